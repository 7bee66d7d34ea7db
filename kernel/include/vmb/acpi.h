/*
 * ACPI table reader. Tables are reached through a mapper so that the same
 * code reads physical memory in the image and a crafted buffer in host
 * tests; a mapper returns NULL for addresses it cannot map, and every
 * length and checksum is verified before use.
 */
#ifndef VMB_ACPI_H
#define VMB_ACPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vmb/fwinfo.h>

/* Every system description table starts with a header this long. */
#define ACPI_SDT_HEADER 36u

typedef const void *(*acpi_map_fn)(uint64_t phys, size_t len, void *ctx);

struct acpi {
	acpi_map_fn map;
	void *ctx;
	uint64_t root;	/* XSDT or RSDT physical address */
	int entry_size; /* 8 for XSDT, 4 for RSDT */
	unsigned nentries;
	/* The XSDT had a valid checksum but not the "XSDT" signature (Xen
	 * 4.17 builds such a one for a PVH dom0 on RSDT-only firmware). */
	bool xsdt_bad_signature;
	char rsdp_oem_id[7];
	char oem_id[7];
	char oem_table_id[9];
};

enum acpi_err {
	ACPI_OK = 0,
	ACPI_ERR_MAP = -1,
	ACPI_ERR_SIGNATURE = -2,
	ACPI_ERR_CHECKSUM = -3,
	ACPI_ERR_LENGTH = -4,
	ACPI_ERR_NOTFOUND = -5,
};

/* Validate the RSDP at rsdp_phys and its XSDT (preferred) or RSDT. */
int acpi_open(struct acpi *a, uint64_t rsdp_phys, acpi_map_fn map, void *ctx);
/* The n-th (0-based) table with this 4-character signature, whose header
 * and checksum are valid; *len gets its length. NULL when absent. */
const void *acpi_find_table(const struct acpi *a, const char *sig, int n, uint32_t *len);

/* Fill from SPCR (console), MADT (CPU count, GIC, local APIC), FADT
 * (PM timer, reset register, PSCI flags on arm64), HPET. Returns 0 or an
 * acpi_err when the root tables themselves are unusable. */
int acpi_scan(uint64_t rsdp_phys, acpi_map_fn map, void *ctx, struct fw_info *info);

#endif
