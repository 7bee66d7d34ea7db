/*
 * Multiboot2 (GRUB's multiboot2 command): the magic values, shared with
 * mb2_entry.S, and the parser of the boot information (MBI) that the
 * loader hands over in EBX. Defines only when included by assembly.
 */
#ifndef VMB_BOOT_MB2_H
#define VMB_BOOT_MB2_H

#define MB2_HEADER_MAGIC 0xe85250d6
#define MB2_BOOT_MAGIC 0x36d76289 /* in EAX at the entry */
#define MB2_ARCH_I386 0

/* Header tags (the image's requests). */
#define MB2_HTAG_END 0
#define MB2_HTAG_INFO_REQUEST 1
#define MB2_HTAG_ENTRY 3
#define MB2_HTAG_OPTIONAL 1

/* Boot information tags. */
#define MB2_TAG_END 0
#define MB2_TAG_CMDLINE 1
#define MB2_TAG_MMAP 6
#define MB2_TAG_ACPI_OLD 14
#define MB2_TAG_ACPI_NEW 15

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

#include <vmb/boot_info.h>

/* An ACPI 2.0 RSDP is 36 bytes, an ACPI 1.0 one 20. */
#define MB2_RSDP_MAX 36

/* What the MBI holds that must outlive it: it lies in RAM the heap takes. */
struct mb2_copy {
	_Alignas(16) uint8_t rsdp[MB2_RSDP_MAX];
};

/*
 * Read the MBI at mbi, of which at most avail bytes may be read, into bi:
 * the command line (tag 1), the memory map (tag 6) and the RSDP (tag 15,
 * else 14), copied into copy and pointed to by bi->acpi_rsdp. Unknown tags
 * are skipped; a tag that overruns the MBI, or is smaller than a tag
 * header, ends the walk. Every problem is a line in bi->notes. Returns
 * the number of problems, or -1 when there is no MBI to read at all.
 */
int mb2_parse(struct boot_info *bi, const void *mbi, size_t avail, struct mb2_copy *copy);
#endif

#endif
