#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <vmb/acpi.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input is physical memory from address 0x1000; the RSDP is at its start. */
#define BASE 0x1000u

struct buf {
	const uint8_t *p;
	size_t n;
};

static const void *map(uint64_t phys, size_t len, void *ctx)
{
	const struct buf *b = ctx;

	if (phys < BASE || phys - BASE > b->n || len > b->n - (phys - BASE))
		return NULL;
	return b->p + (phys - BASE);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy = malloc(size ? size : 1);
	struct buf b = { copy, size };
	struct fw_info info;
	struct acpi a;

	memcpy(copy, data, size);
	fw_info_init(&info);
	acpi_scan(BASE, map, &b, &info);
	if (acpi_open(&a, BASE, map, &b) == ACPI_OK) {
		uint32_t len;
		acpi_find_table(&a, "DSDT", 0, &len);
		acpi_find_table(&a, "APIC", 1, &len);
	}
	free(copy);
	return 0;
}
