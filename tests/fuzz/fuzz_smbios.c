/*
 * SMBIOS reader fuzz target. The input, but for its last byte (the
 * control byte), is physical memory from BASE in a heap block of exactly
 * its size, with an entry point at its start. Random bytes almost never
 * carry valid checksums or a table address inside the input, so unless
 * the control byte says otherwise the harness points a 3.x or 2.x entry
 * point at the bytes after it and fixes its checksums, the way firmware
 * would; mutations then reach the structure parser. The whole input is
 * also scanned as the legacy BIOS area and parsed as a bare table.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <vmb/smbios.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define BASE 0xf0000u
#define TABLE_AT 0x20u

struct buf {
	uint8_t *p;
	size_t n;
};

static const void *map(uint64_t phys, size_t len, void *ctx)
{
	struct buf *b = ctx;
	if (phys < BASE || phys - BASE > b->n || len > b->n - (phys - BASE))
		return NULL;
	return b->p + (phys - BASE);
}

static uint8_t fix(const uint8_t *p, size_t n)
{
	uint8_t s = 0;
	for (size_t i = 0; i < n; i++)
		s = (uint8_t)(s + p[i]);
	return (uint8_t)-s;
}

static void check_ident(const struct smbios_ident *id)
{
	const char *s[] = { id->bios_vendor, id->bios_version, id->bios_date, id->sys_vendor,
			    id->sys_product };
	size_t cap[] = { sizeof(id->bios_vendor), sizeof(id->bios_version), sizeof(id->bios_date),
			 sizeof(id->sys_vendor), sizeof(id->sys_product) };
	for (unsigned i = 0; i < 5; i++) {
		size_t n = strnlen(s[i], cap[i]);
		if (n >= cap[i])
			abort();
		for (size_t k = 0; k < n; k++)
			if (s[i][k] < 0x20 || s[i][k] > 0x7e)
				abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct smbios_ident id;
	if (!size)
		return 0;
	uint8_t ctl = data[size - 1];
	struct buf b = { malloc(size - 1 ? size - 1 : 1), size - 1 };
	uint8_t *e = b.p;

	memcpy(b.p, data, b.n);
	if (b.n >= TABLE_AT && (ctl & 3) == 1) {
		uint32_t len = (uint32_t)(b.n - TABLE_AT), addr = BASE + TABLE_AT;
		memcpy(e, "_SM3_", 5);
		e[6] = 0x18;
		memcpy(e + 0x0c, &len, 4);
		memcpy(e + 0x10, &addr, 4);
		memset(e + 0x14, 0, 4);
		e[5] = 0;
		e[5] = fix(e, 0x18);
	} else if (b.n >= TABLE_AT && (ctl & 3) == 2) {
		uint16_t len = (uint16_t)(b.n - TABLE_AT);
		uint32_t addr = BASE + TABLE_AT;
		memcpy(e, "_SM_", 4);
		e[5] = 0x1f;
		memcpy(e + 0x10, "_DMI_", 5);
		memcpy(e + 0x16, &len, 2);
		memcpy(e + 0x18, &addr, 4);
		e[0x15] = 0;
		e[0x15] = fix(e + 0x10, 0x0f);
		e[4] = 0;
		e[4] = fix(e, 0x1f);
	}
	smbios_read(BASE, map, &b, &id);
	check_ident(&id);
	long off = smbios_find(b.p, b.n);
	if (off >= 0 && (size_t)off >= b.n)
		abort();
	memset(&id, 0, sizeof(id));
	smbios_parse(b.p, b.n, ctl >> 4, &id);
	check_ident(&id);
	free(b.p);
	return 0;
}
