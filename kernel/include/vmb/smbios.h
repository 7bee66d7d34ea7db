/*
 * SMBIOS reader (DMTF DSP0134): who made the firmware and the machine,
 * for the boot record's provenance. The tables are untrusted input: every
 * length and string index is checked, and the same code is unit-tested
 * and fuzzed on the host. Tables are reached through the ACPI reader's
 * kind of mapper (NULL for what cannot be mapped).
 */
#ifndef VMB_SMBIOS_H
#define VMB_SMBIOS_H

#include <stddef.h>
#include <stdint.h>

#include <vmb/acpi.h>

/* What one entry point says about its structure table. */
struct smbios_table {
	uint64_t addr;
	uint32_t len;	   /* 2.x: its exact length; 3.x: its maximum size */
	unsigned nstructs; /* 2.x: how many structures; 0 = up to the end (3.x) */
	unsigned major, minor;
};

/* The strings the boot record wants; "" where the table has none. */
struct smbios_ident {
	unsigned major, minor; /* SMBIOS version of the entry point */
	char bios_vendor[64];  /* type 0 */
	char bios_version[64];
	char bios_date[16];
	char sys_vendor[64]; /* type 1 */
	char sys_product[64];
};

enum smbios_err {
	SMBIOS_OK = 0,
	SMBIOS_ERR_MAP = -1,	/* an address could not be mapped */
	SMBIOS_ERR_ANCHOR = -2, /* no "_SM_" or "_SM3_" there */
	SMBIOS_ERR_CHECKSUM = -3,
	SMBIOS_ERR_LENGTH = -4,	   /* an entry point's or table's length out of range */
	SMBIOS_ERR_TRUNCATED = -5, /* a structure or its strings run past the table */
};

/* Longest entry point read: 3.x is 0x18 bytes, 2.x 0x1f. */
#define SMBIOS_EP_MAX 0x20u
/* Largest structure table read (QEMU's are a few KiB). */
#define SMBIOS_TABLE_MAX 0x100000u

/* The entry point at ep (len bytes readable): 0 with *t filled, or an error. */
int smbios_entry(const uint8_t *ep, size_t len, struct smbios_table *t);
/* The structure table in tab (len bytes; at most nstructs structures when
 * not 0): type 0 and 1 strings into id (its version fields untouched).
 * What was read before a malformed structure is kept; returns 0, or
 * SMBIOS_ERR_TRUNCATED. */
int smbios_parse(const uint8_t *tab, size_t len, unsigned nstructs, struct smbios_ident *id);
/* Offset of an entry point anchor on a 16-byte boundary of area (the
 * legacy BIOS scan of 0xf0000-0xfffff), 3.x preferred; -1 when none. */
long smbios_find(const uint8_t *area, size_t len);
/* Entry point at ep_phys, then its table: 0 or an smbios_err. id is
 * cleared first. */
int smbios_read(uint64_t ep_phys, acpi_map_fn map, void *ctx, struct smbios_ident *id);

#endif
