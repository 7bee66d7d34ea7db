/*
 * SMBIOS tables built by hand in a buffer that stands for physical
 * memory at BASE; the mapper refuses anything outside it.
 */
#include <string.h>

#include <vmb/smbios.h>

#include "check.h"

#define BASE 0xf0000ull
#define SMBIOS_MEM 0x2000
#define SMBIOS_AT 0x100u /* the structure table's offset in mem */

static uint8_t mem[SMBIOS_MEM];

static const void *map(uint64_t phys, size_t len, void *ctx)
{
	(void)ctx;
	if (phys < BASE || phys - BASE > SMBIOS_MEM || len > SMBIOS_MEM - (phys - BASE))
		return NULL;
	return mem + (phys - BASE);
}

static void w16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void w32(uint8_t *p, uint32_t v)
{
	w16(p, v);
	w16(p + 2, v >> 16);
}

static uint8_t fix(const uint8_t *p, size_t n)
{
	uint8_t s = 0;
	for (size_t i = 0; i < n; i++)
		s = (uint8_t)(s + p[i]);
	return (uint8_t)-s;
}

/* Appends one structure at *at: formatted area (its length in f[1]),
 * then the strings, then the set's end. */
static void put(size_t *at, const uint8_t *f, const char *const *strs, unsigned n)
{
	memcpy(mem + *at, f, f[1]);
	*at += f[1];
	for (unsigned i = 0; i < n; i++) {
		size_t l = strlen(strs[i]) + 1;
		memcpy(mem + *at, strs[i], l);
		*at += l;
	}
	if (!n)
		mem[(*at)++] = 0;
	mem[(*at)++] = 0;
}

/* Type 0 and type 1 as QEMU writes them, then the end; returns the length. */
static size_t build_table(void)
{
	static const uint8_t bios[0x18] = { 0, 0x18, 0, 0, 1, 2, 0, 0xe8, 3, 0 };
	static const char *const bios_s[] = { "SeaBIOS", "1.16.2-debian-1.16.2-1  ", "04/01/2014" };
	static const uint8_t sys[0x1b] = { 1, 0x1b, 1, 0, 1, 2, 3, 0 };
	static const char *const sys_s[] = { "QEMU", "Standard PC (Q35 + ICH9, 2009)", "pc-q35" };
	static const uint8_t chassis[0x15] = { 3, 0x15, 3, 0, 1 };
	static const char *const chassis_s[] = { "QEMU" };
	static const uint8_t end[4] = { 127, 4, 0xff, 0xff };
	size_t at = SMBIOS_AT;

	memset(mem, 0, sizeof(mem));
	put(&at, bios, bios_s, 3);
	put(&at, chassis, chassis_s, 1);
	put(&at, sys, sys_s, 3);
	put(&at, end, NULL, 0);
	return at - SMBIOS_AT;
}

static void ep3(uint32_t off, uint32_t table_len)
{
	uint8_t *e = mem + off;
	memset(e, 0, 0x18);
	memcpy(e, "_SM3_", 5);
	e[6] = 0x18;
	e[7] = 3;
	e[8] = 0;
	w32(e + 0x0c, table_len);
	w32(e + 0x10, (uint32_t)BASE + SMBIOS_AT);
	e[5] = fix(e, 0x18);
}

static void ep2(uint32_t off, uint32_t table_len, unsigned nstructs)
{
	uint8_t *e = mem + off;
	memset(e, 0, 0x1f);
	memcpy(e, "_SM_", 4);
	e[5] = 0x1f;
	e[6] = 2;
	e[7] = 8;
	memcpy(e + 0x10, "_DMI_", 5);
	w16(e + 0x16, table_len);
	w32(e + 0x18, (uint32_t)BASE + SMBIOS_AT);
	w16(e + 0x1c, nstructs);
	e[0x15] = fix(e + 0x10, 0x0f);
	e[4] = fix(e, 0x1f);
}

static void test_v3(void)
{
	struct smbios_ident id;
	size_t len = build_table();

	ep3(0x40, (uint32_t)len);
	CHECK_EQ_U(smbios_read(BASE + 0x40, map, NULL, &id), SMBIOS_OK);
	CHECK_EQ_U(id.major, 3);
	CHECK_STR(id.bios_vendor, "SeaBIOS");
	/* Trailing blanks dropped. */
	CHECK_STR(id.bios_version, "1.16.2-debian-1.16.2-1");
	CHECK_STR(id.bios_date, "04/01/2014");
	CHECK_STR(id.sys_vendor, "QEMU");
	CHECK_STR(id.sys_product, "Standard PC (Q35 + ICH9, 2009)");
	/* The legacy scan finds it on its 16-byte boundary. */
	CHECK_EQ_U((unsigned long)smbios_find(mem, 0x100), 0x40);
}

static void test_v2(void)
{
	struct smbios_ident id;
	size_t len = build_table();

	ep2(0x20, (uint32_t)len, 4);
	CHECK_EQ_U(smbios_read(BASE + 0x20, map, NULL, &id), SMBIOS_OK);
	CHECK_EQ_U(id.major, 2);
	CHECK_EQ_U(id.minor, 8);
	CHECK_STR(id.sys_product, "Standard PC (Q35 + ICH9, 2009)");
	/* Both: the scan prefers the 3.x entry point. */
	ep3(0x60, (uint32_t)len);
	CHECK_EQ_U((unsigned long)smbios_find(mem, 0x100), 0x60);
	/* A count of one structure stops after type 0. */
	ep2(0x20, (uint32_t)len, 1);
	CHECK_EQ_U(smbios_read(BASE + 0x20, map, NULL, &id), SMBIOS_OK);
	CHECK_STR(id.bios_vendor, "SeaBIOS");
	CHECK_STR(id.sys_vendor, "");
	/* The intermediate checksum is checked too. */
	ep2(0x20, (uint32_t)len, 4);
	mem[0x20 + 0x15]++;
	mem[0x20 + 0x4]--;
	CHECK(smbios_read(BASE + 0x20, map, NULL, &id) == SMBIOS_ERR_CHECKSUM);
}

static void test_bad_entry(void)
{
	struct smbios_ident id;
	size_t len = build_table();
	struct smbios_table t;

	ep3(0x40, (uint32_t)len);
	mem[0x45]++;
	CHECK(smbios_read(BASE + 0x40, map, NULL, &id) == SMBIOS_ERR_CHECKSUM);
	CHECK_EQ_U((unsigned long)smbios_find(mem, 0x100), (unsigned long)-1);
	/* Entry length too long for what is readable. */
	ep3(0x40, (uint32_t)len);
	mem[0x46] = 0x40;
	CHECK(smbios_read(BASE + 0x40, map, NULL, &id) == SMBIOS_ERR_LENGTH);
	CHECK(smbios_entry(mem + 0x40, 0x18, &t) == SMBIOS_ERR_LENGTH);
	/* A table beyond mappable memory. */
	ep3(0x40, 0x10000);
	CHECK(smbios_read(BASE + 0x40, map, NULL, &id) == SMBIOS_ERR_MAP);
	/* No anchor at all. */
	CHECK(smbios_read(BASE + 0x30, map, NULL, &id) == SMBIOS_ERR_ANCHOR);
	CHECK(smbios_read(BASE + SMBIOS_MEM - 4, map, NULL, &id) == SMBIOS_ERR_MAP);
}

static void test_string_index(void)
{
	/* Type 1 names string 5 of 2 for its product. */
	static const uint8_t sys[8] = { 1, 8, 1, 0, 1, 5, 0, 0 };
	static const char *const s[] = { "Vendor", "Product" };
	struct smbios_ident id;
	size_t at = 0;

	memset(mem, 0, sizeof(mem));
	memset(&id, 0, sizeof(id));
	put(&at, sys, s, 2);
	CHECK_EQ_U(smbios_parse(mem, at, 0, &id), SMBIOS_OK);
	CHECK_STR(id.sys_vendor, "Vendor");
	CHECK_STR(id.sys_product, "");
	/* A formatted area too short for a field: no string for it. */
	static const uint8_t old_bios[5] = { 0, 5, 0, 0, 1 };
	at = 0;
	memset(&id, 0, sizeof(id));
	put(&at, old_bios, s, 2);
	CHECK_EQ_U(smbios_parse(mem, at, 0, &id), SMBIOS_OK);
	CHECK_STR(id.bios_vendor, "Vendor");
	CHECK_STR(id.bios_version, "");
	/* Control bytes in a string do not reach the record. */
	static const char *const odd[] = { "A\x01\x7f"
					   "B" };
	at = 0;
	put(&at, sys, odd, 1);
	CHECK_EQ_U(smbios_parse(mem, at, 0, &id), SMBIOS_OK);
	CHECK_STR(id.sys_vendor, "A??B");
}

static void test_truncated(void)
{
	struct smbios_ident id;
	size_t len = build_table();

	/* The table ends inside type 1's formatted area: type 0 kept. */
	memset(&id, 0, sizeof(id));
	size_t cut = 0x18 + strlen("SeaBIOS") + 1 + strlen("1.16.2-debian-1.16.2-1  ") + 1 +
		     strlen("04/01/2014") + 2 + 0x15 + 5 + 1 + 10;
	CHECK(smbios_parse(mem + SMBIOS_AT, cut, 0, &id) == SMBIOS_ERR_TRUNCATED);
	CHECK_STR(id.bios_vendor, "SeaBIOS");
	CHECK_STR(id.sys_vendor, "");
	/* A formatted length below the header's own. */
	uint8_t bad[8] = { 1, 2, 0, 0, 0, 0, 0, 0 };
	CHECK(smbios_parse(bad, sizeof(bad), 0, &id) == SMBIOS_ERR_TRUNCATED);
	/* A formatted length past the table. */
	bad[1] = 9;
	CHECK(smbios_parse(bad, sizeof(bad), 0, &id) == SMBIOS_ERR_TRUNCATED);
	/* A header cut short. */
	CHECK(smbios_parse(bad, 3, 0, &id) == SMBIOS_ERR_TRUNCATED);
	(void)len;
}

static void test_no_double_nul(void)
{
	/* Type 1's strings run to the table's end without their double NUL:
	 * nothing is read from them. */
	uint8_t t[8 + 12];
	struct smbios_ident id;

	memset(&id, 0, sizeof(id));
	memcpy(t, (const uint8_t[]){ 1, 8, 1, 0, 1, 2, 0, 0 }, 8);
	memcpy(t + 8, "Vendor\0Produ", 12);
	CHECK(smbios_parse(t, sizeof(t), 0, &id) == SMBIOS_ERR_TRUNCATED);
	CHECK_STR(id.sys_vendor, "");
	CHECK_STR(id.sys_product, "");
	/* One NUL at the very end is not two. */
	memcpy(t + 8, "Vendor\0Prod\0", 12);
	CHECK(smbios_parse(t, sizeof(t), 0, &id) == SMBIOS_ERR_TRUNCATED);
	CHECK_STR(id.sys_vendor, "");
}

int main(void)
{
	test_v3();
	test_v2();
	test_bad_entry();
	test_string_index();
	test_truncated();
	test_no_double_nul();
	return check_report("smbios");
}
