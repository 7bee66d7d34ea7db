/*
 * What the device tree tells about the platform, on top of libfdt (the
 * reader itself: <libfdt.h>). The blob comes from firmware or a boot
 * loader and may be truncated or corrupt. Errors are libfdt's negative
 * -FDT_ERR_* codes.
 */
#ifndef VMB_FDT_H
#define VMB_FDT_H

#include <stddef.h>
#include <stdint.h>

#include <vmb/fwinfo.h>

/* Total size a blob's header claims, or 0 when the magic is wrong. */
uint32_t fdt_blob_size(const void *blob);
/* The checks made before any other read: a libfdt-valid header, version
 * 16 or later, the whole blob within max_size bytes, aligned blocks and
 * a readable root node. 0 or a negative libfdt error. */
int fdt_blob_check(const void *blob, size_t max_size);

/* Fill what the tree tells about the platform: memory, console, CPUs,
 * bootargs, PSCI, hypervisor node, GIC, model. Fields the tree does not
 * have are left as they are. Returns 0 or fdt_blob_check's error. */
int fdt_scan(const void *blob, size_t max_size, struct fw_info *info);

/* The largest device tree the image accepts (copied or mapped whole). */
#define FDT_MAX_SIZE (8u << 20)

#endif
