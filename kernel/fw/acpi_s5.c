/*
 * Finding \_S5_ without an AML interpreter: the object is almost always a
 * static Name(_S5_, Package(){a, b, ...}), whose encoding is NameOp (0x08),
 * the name, PackageOp (0x12), a package length, the element count, then
 * integers as ZeroOp, OneOp or BytePrefix (0x0a) + byte.
 */
#include <string.h>

#include <vmb/acpi_s5.h>

#define AML_NAME_OP 0x08
#define AML_PACKAGE_OP 0x12
#define AML_ZERO_OP 0x00
#define AML_ONE_OP 0x01
#define AML_BYTE_PREFIX 0x0a

static int read_int(const uint8_t *p, const uint8_t *end, uint8_t *out, const uint8_t **next)
{
	if (p >= end)
		return -1;
	switch (*p) {
	case AML_ZERO_OP:
		*out = 0;
		*next = p + 1;
		return 0;
	case AML_ONE_OP:
		*out = 1;
		*next = p + 1;
		return 0;
	case AML_BYTE_PREFIX:
		if (p + 1 >= end)
			return -1;
		*out = p[1];
		*next = p + 2;
		return 0;
	default:
		return -1;
	}
}

int acpi_s5_sleep_type(const uint8_t *aml, size_t len, uint8_t *typ_a, uint8_t *typ_b)
{
	const uint8_t *end = aml + len;

	for (const uint8_t *p = aml; p + 4 <= end; p++) {
		if (memcmp(p, "_S5_", 4))
			continue;
		/* NameOp just before the name, maybe with a root prefix '\'. */
		if (!(p > aml && (p[-1] == AML_NAME_OP ||
				  (p[-1] == '\\' && p - 1 > aml && p[-2] == AML_NAME_OP))))
			continue;
		const uint8_t *q = p + 4;
		if (q >= end || *q++ != AML_PACKAGE_OP || q >= end)
			continue;
		/* PkgLength: the top two bits of the lead byte count extra bytes. */
		q += 1 + (*q >> 6);
		if (q >= end)
			continue;
		q++; /* NumElements */
		const uint8_t *next;
		if (read_int(q, end, typ_a, &next))
			continue;
		if (read_int(next, end, typ_b, &next))
			*typ_b = *typ_a;
		return 0;
	}
	return -1;
}
