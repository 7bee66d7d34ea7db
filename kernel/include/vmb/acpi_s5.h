/*
 * The S5 (soft-off) sleep type from the DSDT's \_S5_ package: what to
 * write to PM1x_CNT.SLP_TYP to power the machine off without firmware.
 */
#ifndef VMB_ACPI_S5_H
#define VMB_ACPI_S5_H

#include <stddef.h>
#include <stdint.h>

/* aml: the table's AML after its 36-byte header. Returns 0 when found. */
int acpi_s5_sleep_type(const uint8_t *aml, size_t len, uint8_t *typ_a, uint8_t *typ_b);

#endif
