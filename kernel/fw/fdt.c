/*
 * Flattened device tree reader (Devicetree Specification, v0.4, chapter
 * 5). The blob comes from a boot loader or firmware: every offset and
 * length is checked against the header's blocks before use, strings
 * must end inside their block, and walks are bounded by the block size,
 * so a corrupt tree yields errors, never an out-of-bounds read or a loop.
 */
#include <string.h>

#include <vmb/fdt.h>

#define FDT_BEGIN_NODE 1u
#define FDT_END_NODE 2u
#define FDT_PROP 3u
#define FDT_NOP 4u
#define FDT_END 9u

#define FDT_HEADER_SIZE 40u
#define FDT_MAX_DEPTH 64

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

uint32_t fdt_header_size(const void *blob)
{
	const uint8_t *b = blob;

	if (!b || be32(b) != FDT_MAGIC)
		return 0;
	return be32(b + 4);
}

int fdt_open(struct fdt *f, const void *blob, size_t max_size)
{
	const uint8_t *b = blob;

	memset(f, 0, sizeof(*f));
	if (!b || max_size < FDT_HEADER_SIZE)
		return FDT_ERR_TRUNCATED;
	if (be32(b) != FDT_MAGIC)
		return FDT_ERR_MAGIC;
	uint32_t total = be32(b + 4);
	uint32_t off_struct = be32(b + 8), off_strings = be32(b + 12);
	uint32_t version = be32(b + 20), last_comp = be32(b + 24);
	uint32_t size_strings = be32(b + 32), size_struct = be32(b + 36);

	if (version < 16 || last_comp > 17)
		return FDT_ERR_VERSION;
	if (total < FDT_HEADER_SIZE || total > max_size)
		return FDT_ERR_TRUNCATED;
	if (off_struct > total || size_struct > total - off_struct ||
	    off_strings > total || size_strings > total - off_strings || size_struct < 4 ||
	    (off_struct & 3))
		return FDT_ERR_BADSTRUCT;
	f->blob = b;
	f->size = total;
	f->off_struct = off_struct;
	f->size_struct = size_struct & ~3u;
	f->off_strings = off_strings;
	f->size_strings = size_strings;
	return FDT_OK;
}

/* Token at structure offset off, or FDT_END when out of bounds. */
static uint32_t token(const struct fdt *f, int off)
{
	if (off < 0 || (uint32_t)off + 4 > f->size_struct)
		return FDT_END;
	return be32(f->blob + f->off_struct + (uint32_t)off);
}

/* Length of a NUL-terminated string starting at structure offset off, or -1. */
static int struct_strlen(const struct fdt *f, uint32_t off)
{
	const uint8_t *p = f->blob + f->off_struct;

	for (uint32_t i = off; i < f->size_struct; i++)
		if (!p[i])
			return (int)(i - off);
	return -1;
}

static uint32_t align4(uint32_t v)
{
	return (v + 3u) & ~3u;
}

/* Offset of the token after the one at off, or a negative error. */
static int next_token(const struct fdt *f, int off)
{
	uint32_t tag = token(f, off);
	uint32_t pos = (uint32_t)off + 4;

	switch (tag) {
	case FDT_BEGIN_NODE: {
		int len = struct_strlen(f, pos);
		if (len < 0)
			return FDT_ERR_BADSTRUCT;
		pos = align4(pos + (uint32_t)len + 1);
		break;
	}
	case FDT_PROP: {
		if (pos + 8 > f->size_struct)
			return FDT_ERR_BADSTRUCT;
		uint32_t len = be32(f->blob + f->off_struct + pos);
		if (len > f->size_struct - pos - 8)
			return FDT_ERR_BADSTRUCT;
		pos = align4(pos + 8 + len);
		break;
	}
	case FDT_END_NODE:
	case FDT_NOP:
		break;
	default:
		return FDT_ERR_BADSTRUCT;
	}
	if (pos > f->size_struct)
		return FDT_ERR_BADSTRUCT;
	return (int)pos;
}

/* Skip NOPs and properties: the next BEGIN_NODE or END_NODE at this level. */
static int skip_props(const struct fdt *f, int off)
{
	while (off >= 0) {
		uint32_t tag = token(f, off);
		if (tag != FDT_PROP && tag != FDT_NOP)
			return off;
		off = next_token(f, off);
	}
	return off;
}

/* Offset just past the END_NODE that closes the node at off. */
static int node_end(const struct fdt *f, int node)
{
	int depth = 0, off = node;

	/* Each step advances by at least 4 bytes: bounded by the block size. */
	while (off >= 0 && (uint32_t)off < f->size_struct) {
		uint32_t tag = token(f, off);
		if (tag == FDT_BEGIN_NODE)
			depth++;
		else if (tag == FDT_END_NODE && --depth == 0)
			return off + 4;
		else if (tag == FDT_END)
			return FDT_ERR_BADSTRUCT;
		off = next_token(f, off);
	}
	return FDT_ERR_BADSTRUCT;
}

int fdt_first_child(const struct fdt *f, int node)
{
	if (token(f, node) != FDT_BEGIN_NODE)
		return FDT_ERR_NOTFOUND;
	int off = skip_props(f, next_token(f, node));
	if (off < 0)
		return off;
	return token(f, off) == FDT_BEGIN_NODE ? off : FDT_ERR_NOTFOUND;
}

int fdt_next_sibling(const struct fdt *f, int node)
{
	int off = node_end(f, node);

	if (off < 0)
		return off;
	while (token(f, off) == FDT_NOP)
		off += 4;
	return token(f, off) == FDT_BEGIN_NODE ? off : FDT_ERR_NOTFOUND;
}

int fdt_parent(const struct fdt *f, int node)
{
	int stack[FDT_MAX_DEPTH];
	int depth = 0, off = 0;

	if (node <= 0)
		return FDT_ERR_NOTFOUND;
	while (off >= 0 && (uint32_t)off < f->size_struct) {
		uint32_t tag = token(f, off);
		if (tag == FDT_BEGIN_NODE) {
			if (off == node)
				return depth ? stack[depth - 1] : FDT_ERR_NOTFOUND;
			if (depth == FDT_MAX_DEPTH)
				return FDT_ERR_BADSTRUCT;
			stack[depth++] = off;
		} else if (tag == FDT_END_NODE) {
			if (--depth < 0)
				return FDT_ERR_BADSTRUCT;
		} else if (tag == FDT_END) {
			break;
		}
		off = next_token(f, off);
	}
	return FDT_ERR_NOTFOUND;
}

const char *fdt_node_name(const struct fdt *f, int node)
{
	if (token(f, node) != FDT_BEGIN_NODE || struct_strlen(f, (uint32_t)node + 4) < 0)
		return NULL;
	return (const char *)f->blob + f->off_struct + node + 4;
}

static const char *string_at(const struct fdt *f, uint32_t off)
{
	const char *s = (const char *)f->blob + f->off_strings;

	if (off >= f->size_strings)
		return NULL;
	for (uint32_t i = off; i < f->size_strings; i++)
		if (!s[i])
			return s + off;
	return NULL;
}

const void *fdt_getprop(const struct fdt *f, int node, const char *name, int *len)
{
	if (token(f, node) != FDT_BEGIN_NODE)
		return NULL;
	int off = next_token(f, node);

	while (off >= 0) {
		uint32_t tag = token(f, off);
		if (tag == FDT_NOP) {
			off += 4;
			continue;
		}
		if (tag != FDT_PROP)
			return NULL;
		const uint8_t *p = f->blob + f->off_struct + off;
		uint32_t plen = be32(p + 4);
		const char *pname = string_at(f, be32(p + 8));
		int next = next_token(f, off);
		if (next < 0)
			return NULL;
		if (pname && !strcmp(pname, name)) {
			if (len)
				*len = (int)plen;
			return p + 12;
		}
		off = next;
	}
	return NULL;
}

const char *fdt_getprop_str(const struct fdt *f, int node, const char *name)
{
	int len;
	const char *s = fdt_getprop(f, node, name, &len);

	if (!s || len < 1 || s[len - 1])
		return NULL;
	return s;
}

uint32_t fdt_getprop_u32(const struct fdt *f, int node, const char *name, uint32_t dflt)
{
	int len;
	const uint8_t *p = fdt_getprop(f, node, name, &len);

	return p && len == 4 ? be32(p) : dflt;
}

int fdt_is_compatible(const struct fdt *f, int node, const char *compat)
{
	int len;
	const char *list = fdt_getprop(f, node, "compatible", &len);

	if (!list)
		return 0;
	/* A string list: each entry NUL-terminated, the last one included. */
	for (int pos = 0; pos < len;) {
		const char *s = list + pos;
		int n = 0;
		while (pos + n < len && s[n])
			n++;
		if (pos + n < len && !strcmp(s, compat))
			return 1;
		pos += n + 1;
	}
	return 0;
}

int fdt_find_compatible(const struct fdt *f, int after, const char *compat)
{
	int off = after < 0 ? 0 : next_token(f, after);

	while (off >= 0 && (uint32_t)off < f->size_struct) {
		uint32_t tag = token(f, off);
		if (tag == FDT_END)
			break;
		if (tag == FDT_BEGIN_NODE && fdt_is_compatible(f, off, compat))
			return off;
		off = next_token(f, off);
	}
	return FDT_ERR_NOTFOUND;
}

/* Does a node name match a path component? "cpu@0" matches "cpu@0" and "cpu". */
static int name_matches(const char *name, const char *comp, size_t len)
{
	if (strncmp(name, comp, len))
		return 0;
	return name[len] == 0 || (name[len] == '@' && !memchr(comp, '@', len));
}

int fdt_path_offset(const struct fdt *f, const char *path)
{
	char buf[256];

	if (!f->blob || !path)
		return FDT_ERR_NOTFOUND;
	if (token(f, 0) != FDT_BEGIN_NODE)
		return FDT_ERR_BADSTRUCT;
	if (path[0] != '/') {
		/* An alias, possibly followed by a path below it. */
		size_t alen = strcspn(path, "/");
		if (alen >= sizeof(buf))
			return FDT_ERR_NOTFOUND;
		memcpy(buf, path, alen);
		buf[alen] = 0;
		int aliases = fdt_path_offset(f, "/aliases");
		const char *target = aliases >= 0 ? fdt_getprop_str(f, aliases, buf) : NULL;
		/* An alias must point at an absolute path: no alias chains. */
		if (!target || target[0] != '/' || strlen(target) + strlen(path + alen) >= sizeof(buf))
			return FDT_ERR_NOTFOUND;
		strcpy(buf, target);
		strcat(buf, path + alen);
		path = buf;
	}
	int node = 0;
	const char *p = path;
	while (*p) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		size_t len = strcspn(p, "/");
		int child = fdt_first_child(f, node);
		while (child >= 0) {
			const char *name = fdt_node_name(f, child);
			if (name && name_matches(name, p, len))
				break;
			child = fdt_next_sibling(f, child);
		}
		if (child < 0)
			return FDT_ERR_NOTFOUND;
		node = child;
		p += len;
	}
	return node;
}

static uint64_t read_cells(const uint8_t *p, uint32_t cells)
{
	uint64_t v = 0;

	for (uint32_t i = 0; i < cells; i++)
		v = v << 32 | be32(p + 4 * i);
	return v;
}

int fdt_get_reg(const struct fdt *f, int node, int index, uint64_t *addr, uint64_t *size)
{
	int parent = fdt_parent(f, node);
	uint32_t ac = 2, sc = 1;
	int len;

	if (parent >= 0) {
		ac = fdt_getprop_u32(f, parent, "#address-cells", 2);
		sc = fdt_getprop_u32(f, parent, "#size-cells", 1);
	}
	if (ac < 1 || ac > 2 || sc > 2 || index < 0)
		return FDT_ERR_BADSTRUCT;
	const uint8_t *reg = fdt_getprop(f, node, "reg", &len);
	uint32_t stride = 4 * (ac + sc);
	if (!reg || len < 0 || ((uint64_t)index + 1) * stride > (uint64_t)len)
		return FDT_ERR_NOTFOUND;
	reg += (uint32_t)index * stride;
	*addr = read_cells(reg, ac);
	*size = read_cells(reg + 4 * ac, sc);
	return FDT_OK;
}
