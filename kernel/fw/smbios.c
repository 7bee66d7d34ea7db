/*
 * SMBIOS entry points and the structures the boot record names: type 0
 * (BIOS information: vendor, version, release date) and type 1 (system
 * information: manufacturer, product). Offsets from DMTF DSP0134 3.x.
 */
#include <string.h>

#include <vmb/smbios.h>

/* A structure's header: type, formatted length, handle. */
#define SMBIOS_HDR 4u
#define SMBIOS_TYPE_BIOS 0
#define SMBIOS_TYPE_SYSTEM 1
#define SMBIOS_TYPE_END 127

static uint32_t le16(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t le32(const uint8_t *p)
{
	return le16(p) | le16(p + 2) << 16;
}

static uint8_t sum8(const uint8_t *p, size_t n)
{
	uint8_t s = 0;

	while (n--)
		s = (uint8_t)(s + *p++);
	return s;
}

int smbios_entry(const uint8_t *ep, size_t len, struct smbios_table *t)
{
	memset(t, 0, sizeof(*t));
	if (len >= 0x18 && !memcmp(ep, "_SM3_", 5)) {
		/* 3.x: checksum at 5, length at 6, version at 7 and 8, the
		 * table's maximum size at 0x0c, its 64-bit address at 0x10. */
		size_t n = ep[6];
		if (n < 0x18 || n > len || n > SMBIOS_EP_MAX)
			return SMBIOS_ERR_LENGTH;
		if (sum8(ep, n))
			return SMBIOS_ERR_CHECKSUM;
		t->major = ep[7];
		t->minor = ep[8];
		t->len = le32(ep + 0x0c);
		t->addr = le32(ep + 0x10) | (uint64_t)le32(ep + 0x14) << 32;
	} else if (len >= 0x1e && !memcmp(ep, "_SM_", 4)) {
		/* 2.x: checksum at 4, length at 5 (0x1f; 2.1 said 0x1e), version
		 * at 6 and 7, then "_DMI_" at 0x10 with its own checksum over
		 * 0x10-0x1e, the table's length at 0x16, address at 0x18 and
		 * number of structures at 0x1c. */
		size_t n = ep[5];
		if (n < 0x1e || n > len || n > SMBIOS_EP_MAX)
			return SMBIOS_ERR_LENGTH;
		if (sum8(ep, n))
			return SMBIOS_ERR_CHECKSUM;
		if (memcmp(ep + 0x10, "_DMI_", 5))
			return SMBIOS_ERR_ANCHOR;
		if (sum8(ep + 0x10, 0x0f))
			return SMBIOS_ERR_CHECKSUM;
		t->major = ep[6];
		t->minor = ep[7];
		t->len = le16(ep + 0x16);
		t->addr = le32(ep + 0x18);
		t->nstructs = le16(ep + 0x1c);
	} else {
		return SMBIOS_ERR_ANCHOR;
	}
	if (t->len < SMBIOS_HDR || !t->addr)
		return SMBIOS_ERR_LENGTH;
	return SMBIOS_OK;
}

/* String n (1-based) of the string set at s (set bytes, double-NUL
 * ended), printable ASCII only, trailing blanks dropped; "" for 0 or an
 * index past the set. */
static void copy_string(char *dst, size_t cap, const uint8_t *s, size_t set, unsigned n)
{
	size_t i = 0, out = 0;

	dst[0] = 0;
	if (!n)
		return;
	/* Skip n - 1 strings; an empty string ends the set. */
	for (unsigned k = 1; k < n; k++) {
		if (i >= set || !s[i])
			return;
		while (i < set && s[i])
			i++;
		i++;
	}
	for (; i < set && s[i] && out + 1 < cap; i++)
		dst[out++] = s[i] >= 0x20 && s[i] < 0x7f ? (char)s[i] : '?';
	while (out && dst[out - 1] == ' ')
		out--;
	dst[out] = 0;
}

/* Byte off of a structure's formatted area, 0 when it is too short to
 * hold it (an older SMBIOS version's structure). */
static unsigned field(const uint8_t *st, unsigned off)
{
	return off < st[1] ? st[off] : 0;
}

int smbios_parse(const uint8_t *tab, size_t len, unsigned nstructs, struct smbios_ident *id)
{
	size_t at = 0;

	for (unsigned k = 0; !nstructs || k < nstructs; k++) {
		if (len - at < SMBIOS_HDR)
			return at == len ? SMBIOS_OK : SMBIOS_ERR_TRUNCATED;
		const uint8_t *st = tab + at;
		unsigned type = st[0], flen = st[1];
		if (flen < SMBIOS_HDR || flen > len - at)
			return SMBIOS_ERR_TRUNCATED;
		/* The string set: up to and including its double NUL (a set
		 * with no strings is two NULs too). */
		const uint8_t *s = st + flen;
		size_t room = len - at - flen, set = 0;
		while (set + 1 < room && (s[set] || s[set + 1]))
			set++;
		if (set + 1 >= room)
			return SMBIOS_ERR_TRUNCATED;
		set += 2;
		if (type == SMBIOS_TYPE_BIOS) {
			copy_string(id->bios_vendor, sizeof(id->bios_vendor), s, set,
				    field(st, 0x04));
			copy_string(id->bios_version, sizeof(id->bios_version), s, set,
				    field(st, 0x05));
			copy_string(id->bios_date, sizeof(id->bios_date), s, set, field(st, 0x08));
		} else if (type == SMBIOS_TYPE_SYSTEM) {
			copy_string(id->sys_vendor, sizeof(id->sys_vendor), s, set,
				    field(st, 0x04));
			copy_string(id->sys_product, sizeof(id->sys_product), s, set,
				    field(st, 0x05));
		} else if (type == SMBIOS_TYPE_END) {
			return SMBIOS_OK;
		}
		at += flen + set;
	}
	return SMBIOS_OK;
}

long smbios_find(const uint8_t *area, size_t len)
{
	long legacy = -1;

	for (size_t off = 0; off + 0x18 <= len; off += 16) {
		struct smbios_table t;
		const uint8_t *p = area + off;
		if (p[0] != '_' || p[1] != 'S' || p[2] != 'M')
			continue;
		if (smbios_entry(p, len - off, &t) != SMBIOS_OK)
			continue;
		if (p[3] == '3')
			return (long)off;
		if (legacy < 0)
			legacy = (long)off;
	}
	return legacy;
}

int smbios_read(uint64_t ep_phys, acpi_map_fn map, void *ctx, struct smbios_ident *id)
{
	struct smbios_table t;
	const uint8_t *ep;
	int err;

	memset(id, 0, sizeof(*id));
	/* The shortest entry point (3.x) first, then as long as it says. */
	ep = map(ep_phys, 0x18, ctx);
	if (!ep)
		return SMBIOS_ERR_MAP;
	size_t n = !memcmp(ep, "_SM3_", 5) ? ep[6] : !memcmp(ep, "_SM_", 4) ? ep[5] : 0;
	if (n < 0x18 || n > SMBIOS_EP_MAX)
		return n ? SMBIOS_ERR_LENGTH : SMBIOS_ERR_ANCHOR;
	ep = map(ep_phys, n, ctx);
	if (!ep)
		return SMBIOS_ERR_MAP;
	err = smbios_entry(ep, n, &t);
	if (err)
		return err;
	id->major = t.major;
	id->minor = t.minor;
	uint32_t len = t.len > SMBIOS_TABLE_MAX ? SMBIOS_TABLE_MAX : t.len;
	const uint8_t *tab = map(t.addr, len, ctx);
	if (!tab)
		return SMBIOS_ERR_MAP;
	return smbios_parse(tab, len, t.nstructs, id);
}
