/* ACPI checksums for tests that lay out tables: the bytes sum to zero. */
#ifndef TESTS_ACPI_CHECKSUM_H
#define TESTS_ACPI_CHECKSUM_H

#include <stdint.h>

/* Make the len bytes at p sum to zero by setting p[at]. */
static inline void acpi_fix_checksum(uint8_t *p, uint32_t len, uint32_t at)
{
	uint8_t sum = 0;

	p[at] = 0;
	for (uint32_t i = 0; i < len; i++)
		sum += p[i];
	p[at] = (uint8_t)-sum;
}

#endif
