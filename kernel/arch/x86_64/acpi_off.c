/*
 * Soft-off through ACPI when there is no firmware to ask: SLP_TYP from
 * the DSDT's \_S5_ and SLP_EN written to PM1a_CNT (and PM1b_CNT).
 */
#include <stdint.h>
#include <string.h>

#include <arch/x86.h>
#include <vmb/acpi.h>
#include <vmb/acpi_s5.h>
#include <vmb/console.h>

#include "acpi_off.h"

#define SLP_EN (1u << 13)

static const void *identity(uint64_t phys, size_t len, void *ctx)
{
	(void)ctx;
	if (phys < 4096 || phys + len < phys)
		return NULL;
	return (const void *)(uintptr_t)phys;
}

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static uint64_t rd64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

int acpi_poweroff(uint64_t rsdp)
{
	struct acpi a;
	uint32_t flen, dlen;
	uint8_t typ_a, typ_b;

	if (!rsdp || acpi_open(&a, rsdp, identity, NULL))
		return -1;
	const uint8_t *fadt = acpi_find_table(&a, "FACP", 0, &flen);
	if (!fadt || flen < 76)
		return -1;
	uint64_t dsdt = rd32(fadt + 40);
	if (flen >= 148 && rd64(fadt + 140))
		dsdt = rd64(fadt + 140);
	uint16_t pm1a = (uint16_t)rd32(fadt + 64), pm1b = (uint16_t)rd32(fadt + 68);
	const uint8_t *hdr = identity(dsdt, 36, NULL);
	if (!hdr || memcmp(hdr, "DSDT", 4) || (dlen = rd32(hdr + 4)) < 36 || !pm1a)
		return -1;
	if (acpi_s5_sleep_type(hdr + 36, dlen - 36, &typ_a, &typ_b))
		return -1;
	outw(pm1a, (uint16_t)((typ_a & 7u) << 10 | SLP_EN));
	if (pm1b)
		outw(pm1b, (uint16_t)((typ_b & 7u) << 10 | SLP_EN));
	return 0;
}
