/* The UEFI boot path's internal interface. */
#ifndef VMB_EFI_STUB_H
#define VMB_EFI_STUB_H

#include <efi.h>

#include <vmb/boot_info.h>

extern EFI_SYSTEM_TABLE *efi_st;
extern EFI_HANDLE efi_image;

/* At most max UCS-2 units, non-ASCII replaced by '?', always terminated. */
void efi_ucs2_to_ascii(char *dst, size_t cap, const CHAR16 *src, size_t max);
/* Command line from the load options and vmbench.cfg beside the image. */
void efi_read_cmdline(EFI_LOADED_IMAGE *li, struct boot_info *bi);
/* vmbench.cfg over TFTP when the image was network-booted: bytes read into buf. */
size_t efi_read_pxe_cfg(EFI_LOADED_IMAGE *li, char *buf, size_t cap);
/* A configuration file's text as options: comments dropped, lines joined. */
void efi_cfg_to_options(const char *text, size_t size, char *out, size_t cap);
/* UEFI memory map entry to our memory kinds. */
enum mem_kind efi_mem_kind(UINT32 type, UINT64 attribute);
/* Append the UEFI map to bi->mem, merging neighbours of the same kind. */
void efi_convert_memmap(const void *map, UINTN map_size, UINTN desc_size, struct boot_info *bi);

#endif
