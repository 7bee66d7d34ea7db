/*
 * Multiboot2 information parser fuzz target: the input is the MBI, read
 * from a heap block of exactly its size (what the parser may read), so any
 * read past total_size or past the block is caught. The first four bytes
 * are total_size: left as the input has them in odd inputs, set to the
 * input's size in even ones, so that mutations reach the tags.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <vmb/boot_info.h>

#include "../../boot/x86_64/mb2.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct boot_info bi;
	static struct mb2_copy copy;
	uint8_t *p = malloc(size ? size : 1);

	memcpy(p, data, size);
	if (size >= 8 && !(p[4] & 1)) {
		uint32_t n = (uint32_t)size;
		memcpy(p, &n, 4);
	}
	memset(&bi, 0, sizeof(bi));
	mb2_parse(&bi, p, size, &copy);
	/* What it produced must be usable as it stands. */
	if (strlen(bi.cmdline) >= sizeof(bi.cmdline) || bi.nmem > BOOT_MAX_MEM ||
	    (bi.acpi_rsdp && bi.acpi_rsdp != (uintptr_t)copy.rsdp))
		abort();
	free(p);
	return 0;
}
