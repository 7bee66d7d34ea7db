/*
 * Flattened device tree reader. Every read is bounds-checked against the
 * size the header claims and the size the caller allows: the blob comes
 * from firmware or a boot loader and may be truncated or corrupt.
 */
#ifndef VMB_FDT_H
#define VMB_FDT_H

#include <stddef.h>
#include <stdint.h>

#include <vmb/fwinfo.h>

#define FDT_MAGIC 0xd00dfeedu

enum fdt_err {
	FDT_OK = 0,
	FDT_ERR_MAGIC = -1,
	FDT_ERR_VERSION = -2,
	FDT_ERR_TRUNCATED = -3,
	FDT_ERR_BADSTRUCT = -4,
	FDT_ERR_NOTFOUND = -5,
};

struct fdt {
	const uint8_t *blob;
	uint32_t size;        /* totalsize, clipped to what the caller allows */
	uint32_t off_struct;
	uint32_t size_struct;
	uint32_t off_strings;
	uint32_t size_strings;
};

/* Validate the header of a blob of at most max_size bytes. */
int fdt_open(struct fdt *f, const void *blob, size_t max_size);
/* Total size a valid header claims, or 0 when the magic is wrong. */
uint32_t fdt_header_size(const void *blob);

/* Nodes are identified by their offset in the structure block; the root is 0. */
int fdt_first_child(const struct fdt *f, int node);
int fdt_next_sibling(const struct fdt *f, int node);
int fdt_parent(const struct fdt *f, int node);
const char *fdt_node_name(const struct fdt *f, int node);
/* "/a/b@1"; a path not starting with '/' is looked up in /aliases first.
 * Node names match with or without their unit address. */
int fdt_path_offset(const struct fdt *f, const char *path);
/* Next node after `after` (-1 = from the start) whose compatible lists compat. */
int fdt_find_compatible(const struct fdt *f, int after, const char *compat);
int fdt_is_compatible(const struct fdt *f, int node, const char *compat);

const void *fdt_getprop(const struct fdt *f, int node, const char *name, int *len);
/* Property as a NUL-terminated string, or NULL. */
const char *fdt_getprop_str(const struct fdt *f, int node, const char *name);
/* Single-cell property, or dflt when absent or malformed. */
uint32_t fdt_getprop_u32(const struct fdt *f, int node, const char *name, uint32_t dflt);
/* Entry `index` of node's "reg", using the parent's #address-cells/#size-cells. */
int fdt_get_reg(const struct fdt *f, int node, int index, uint64_t *addr, uint64_t *size);

/* Fill what the tree tells about the platform: memory, console, CPUs,
 * bootargs, PSCI, hypervisor node, GIC, model. Fields the tree does not
 * have are left as they are. Returns 0 or an fdt_err. */
int fdt_scan(const void *blob, size_t max_size, struct fw_info *info);

#endif
