/* The UEFI memory map in our own terms. */
#include <efi.h>

#include "efi_stub.h"

enum mem_kind efi_mem_kind(UINT32 type, UINT64 attribute)
{
	switch (type) {
	case EfiConventionalMemory:
	case EfiBootServicesCode:
	case EfiBootServicesData:
		return MEM_RAM;
	case EfiMemoryMappedIO:
	case EfiMemoryMappedIOPortSpace:
		return MEM_MMIO;
	default:
		/* Loader data holds this image and its heap; runtime, ACPI
		 * and reserved RAM keep cacheable attributes when the
		 * firmware gives them. */
		return (attribute & EFI_MEMORY_WB) ? MEM_RAM_RESERVED : MEM_MMIO;
	}
}

void efi_convert_memmap(const void *map, UINTN map_size, UINTN desc_size, struct boot_info *bi)
{
	for (UINTN off = 0; off + sizeof(EFI_MEMORY_DESCRIPTOR) <= map_size; off += desc_size) {
		const EFI_MEMORY_DESCRIPTOR *d = (const void *)((const UINT8 *)map + off);
		enum mem_kind kind = efi_mem_kind(d->Type, d->Attribute);
		uint64_t size = d->NumberOfPages << 12;
		struct mem_region *last = bi->nmem ? &bi->mem[bi->nmem - 1] : NULL;

		if (!size)
			continue;
		if (last && last->kind == kind && last->base + last->size == d->PhysicalStart) {
			last->size += size;
			continue;
		}
		if (bi->nmem == BOOT_MAX_MEM) {
			/* Losing a region only loses its cacheable mapping or
			 * unused RAM; say so rather than guess. */
			bi->mem_dropped++;
			continue;
		}
		bi->mem[bi->nmem++] = (struct mem_region){ d->PhysicalStart, size, kind };
	}
}
