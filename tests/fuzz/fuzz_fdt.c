#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <vmb/fdt.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A private copy, so reads past `size` are caught by ASan. */
	uint8_t *copy = malloc(size ? size : 1);
	struct fw_info info;
	struct fdt f;

	memcpy(copy, data, size);
	fw_info_init(&info);
	fdt_scan(copy, size, &info);
	if (fdt_open(&f, copy, size) == FDT_OK) {
		fdt_path_offset(&f, "/cpus/cpu@0");
		fdt_path_offset(&f, "serial0");
		int n = fdt_find_compatible(&f, -1, "arm,pl011");
		uint64_t a, s;
		if (n >= 0)
			fdt_get_reg(&f, n, 0, &a, &s);
	}
	free(copy);
	return 0;
}
