/*
 * ACPI table reader fuzz target.
 *
 * The input is physical memory from BASE with the RSDP at its start,
 * followed by one control byte (the input's last byte, not part of
 * memory). Random bytes almost never carry valid checksums, and the
 * reader rejects a table with a bad one before any parser sees it, so
 * unless the control byte says otherwise the harness lays out checksums
 * the way firmware would: the DSDT and every table the root tables
 * point to, the root tables themselves, then the RSDP's v1 and extended
 * checksums. Mutations then reach the MADT, SPCR, FADT and HPET parsers
 * and the DSDT's \_S5_ search. A fraction of inputs is left unfixed (or
 * fixed only partly) so the checksum gates themselves stay fuzzed.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <vmb/acpi.h>
#include <vmb/acpi_s5.h>
#include "../unit/acpi_checksum.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define BASE 0x1000u

/* Control byte, low three bits. */
enum {
	FIX_NONE = 0,  /* checksums as the input has them */
	FIX_RSDP = 1,  /* only the RSDP: the root and other tables stay as they are */
	FIX_TABLES = 2 /* every table but not the RSDP */
		       /* 3..7: everything */
};

struct buf {
	uint8_t *p;
	size_t n;
};

static const void *map(uint64_t phys, size_t len, void *ctx)
{
	const struct buf *b = ctx;

	if (phys < BASE || phys - BASE > b->n || len > b->n - (phys - BASE))
		return NULL;
	return b->p + (phys - BASE);
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t rd64(const uint8_t *p)
{
	return rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

/* The SDT at phys when its header and claimed length lie in the buffer. */
static uint8_t *sdt(struct buf *b, uint64_t phys, uint32_t *len)
{
	uint8_t *h = (uint8_t *)map(phys, ACPI_SDT_HEADER, b);

	if (!h)
		return NULL;
	*len = rd32(h + 4);
	if (*len < ACPI_SDT_HEADER || !map(phys, *len, b))
		return NULL;
	return h;
}

static void fix_sdt(struct buf *b, uint64_t phys)
{
	uint32_t len;
	uint8_t *t = sdt(b, phys, &len);

	if (t)
		acpi_fix_checksum(t, len, 9);
}

/* The DSDT as acpi_poweroff() (kernel/arch/x86_64/acpi_off.c) finds it. */
static uint64_t dsdt_of(const uint8_t *fadt, uint32_t flen)
{
	uint64_t dsdt = flen >= 44 ? rd32(fadt + 40) : 0;

	if (flen >= 148 && rd64(fadt + 140))
		dsdt = rd64(fadt + 140);
	return dsdt;
}

/* Fix the leaf tables a root table at phys points to (then the root). */
static void fix_root(struct buf *b, uint64_t phys, unsigned esize)
{
	uint32_t len;
	uint8_t *root = sdt(b, phys, &len);

	if (!root)
		return;
	for (uint32_t off = ACPI_SDT_HEADER; off + esize <= len; off += esize) {
		uint64_t e = esize == 8 ? rd64(root + off) : rd32(root + off);
		uint32_t tlen;
		uint8_t *t = sdt(b, e, &tlen);
		if (!t)
			continue;
		if (!memcmp(t, "FACP", 4))
			fix_sdt(b, dsdt_of(t, tlen));
		acpi_fix_checksum(t, tlen, 9);
	}
	/* Entries may overlap the root itself: fix it last, and re-read its
	 * length in case an entry's checksum byte landed on it. */
	fix_sdt(b, phys);
}

static void fix_checksums(struct buf *b, int mode)
{
	uint8_t *r = b->p;

	if (b->n < 20 || memcmp(r, "RSD PTR ", 8))
		return;
	if (mode != FIX_RSDP) {
		if (r[15] >= 2 && b->n >= 32)
			fix_root(b, rd64(r + 24), 8);
		fix_root(b, rd32(r + 16), 4);
	}
	if (mode == FIX_TABLES)
		return;
	acpi_fix_checksum(r, 20, 8);
	if (r[15] >= 2 && b->n >= 36) {
		uint32_t len = rd32(r + 20);
		if (len >= 36 && len <= 4096 && len <= b->n)
			acpi_fix_checksum(r, len, 32);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	int mode = data[size - 1] & 7;
	size--;
	uint8_t *copy = malloc(size ? size : 1);
	struct buf b = { copy, size };
	struct fw_info info;
	struct acpi a;

	memcpy(copy, data, size);
	if (mode != FIX_NONE)
		fix_checksums(&b, mode);
	fw_info_init(&info);
	acpi_scan(BASE, map, &b, &info);
	if (acpi_open(&a, BASE, map, &b) == ACPI_OK) {
		uint32_t len, flen;
		const uint8_t *fadt;
		acpi_find_table(&a, "DSDT", 0, &len);
		acpi_find_table(&a, "APIC", 1, &len);
		/* \_S5_ in the DSDT the FADT names, as acpi_poweroff() reads it. */
		if ((fadt = acpi_find_table(&a, "FACP", 0, &flen))) {
			const uint8_t *d = map(dsdt_of(fadt, flen), ACPI_SDT_HEADER, &b);
			uint8_t typ_a, typ_b;
			if (d && !memcmp(d, "DSDT", 4) && (len = rd32(d + 4)) >= ACPI_SDT_HEADER &&
			    (d = map(dsdt_of(fadt, flen), len, &b)))
				acpi_s5_sleep_type(d + ACPI_SDT_HEADER, len - ACPI_SDT_HEADER,
						   &typ_a, &typ_b);
		}
	}
	free(copy);
	return 0;
}
