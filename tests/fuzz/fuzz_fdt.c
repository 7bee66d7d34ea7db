#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include <vmb/fdt.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A private copy, so reads past `size` are caught by ASan. */
	uint8_t *copy = malloc(size ? size : 1);
	struct fw_info info;

	memcpy(copy, data, size);
	fw_info_init(&info);
	fdt_scan(copy, size, &info);
	/* The libfdt calls fdt_scan makes, on a blob that passed its checks. */
	if (fdt_blob_check(copy, size) == 0) {
		/* Absolute paths only: libfdt follows alias chains by recursion
		 * (fdt_scan resolves aliases itself). */
		fdt_path_offset(copy, "/cpus/cpu@0");
		int n = fdt_node_offset_by_compatible(copy, -1, "arm,pl011");
		if (n >= 0) {
			int len, parent = fdt_parent_offset(copy, n);
			fdt_getprop(copy, n, "reg", &len);
			if (parent >= 0) {
				fdt_address_cells(copy, parent);
				fdt_size_cells(copy, parent);
			}
		}
	}
	free(copy);
	return 0;
}
