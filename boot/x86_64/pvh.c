/*
 * The PVH boot path in C: everything comes from struct hvm_start_info
 * (Xen's public arch-x86/hvm/start_info.h layout): the command line, the
 * ACPI RSDP and, from version 1, the memory map in E820 terms.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <vmb/boot_info.h>

#include "elf_boot.h"
#include "pvh.h"

#define HVM_START_MAGIC 0x336ec578u

struct hvm_start_info {
	uint32_t magic;
	uint32_t version;
	uint32_t flags;
	uint32_t nr_modules;
	uint64_t modlist_paddr;
	uint64_t cmdline_paddr;
	uint64_t rsdp_paddr;
	uint64_t memmap_paddr; /* version 1 */
	uint32_t memmap_entries;
	uint32_t reserved;
};

struct hvm_memmap_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
	uint32_t reserved;
};

static struct boot_info pvh_boot_info;

void pvh_main(uint32_t start_info);

/*
 * Whether [addr, addr + size) lies inside the entry's identity map. Until
 * arch_mmu_init() has mapped all of RAM, nothing else may be touched: an
 * access above it faults before there is a console to say so.
 */
static bool early_mapped(uint64_t addr, uint64_t size)
{
	return addr < PVH_EARLY_MAP_TOP && size <= PVH_EARLY_MAP_TOP - addr;
}

/* The command line, bounded by its buffer and by the entry's map. */
static void copy_cmdline(struct boot_info *bi, uint64_t paddr)
{
	const char *c = (const char *)(uintptr_t)paddr;
	size_t n = 0;

	if (!early_mapped(paddr, 1)) {
		boot_note(bi, "PVH command line lies above the boot page tables: ignored");
		return;
	}
	while (n + 1 < sizeof(bi->cmdline) && early_mapped(paddr + n, 1) && c[n]) {
		bi->cmdline[n] = c[n];
		n++;
	}
	bi->cmdline[n] = 0;
}

static void read_memmap(struct boot_info *bi, const struct hvm_start_info *si)
{
	const struct hvm_memmap_entry *e = (const void *)(uintptr_t)si->memmap_paddr;

	if (!early_mapped(si->memmap_paddr, (uint64_t)si->memmap_entries * sizeof(*e))) {
		boot_note(bi, "PVH memory map lies above the boot page tables: ignored");
		return;
	}
	for (uint32_t i = 0; i < si->memmap_entries; i++) {
		if (!e[i].size)
			continue;
		if (bi->nmem == BOOT_MAX_MEM) {
			bi->mem_dropped++;
			continue;
		}
		bi->mem[bi->nmem++] =
			(struct mem_region){ e[i].addr, e[i].size, e820_kind(e[i].type) };
	}
}

void pvh_main(uint32_t start_info)
{
	struct boot_info *bi = &pvh_boot_info;
	/* EBX is 32 bits wide: the start info itself is always mapped. */
	const struct hvm_start_info *si = (const void *)(uintptr_t)start_info;

	bi->path = BOOT_PVH;
	if (!si || si->magic != HVM_START_MAGIC) {
		boot_note(bi,
			  "PVH start info missing or with a wrong magic: no options, no tables");
		elf_boot_finish(bi, NULL, 0, "PVH");
	}
	if (si->cmdline_paddr)
		copy_cmdline(bi, si->cmdline_paddr);
	bi->acpi_rsdp = si->rsdp_paddr;
	if (si->version >= 1 && si->memmap_paddr)
		read_memmap(bi, si);
	else
		boot_note(bi, "PVH start info has no memory map (version 0)");
	/* What the SMP start-up page must not overwrite: the RSDP is read
	 * again at power-off, the rest possibly so. */
	const struct boot_range keep[] = {
		{ (uintptr_t)si, sizeof(*si) },
		{ si->memmap_paddr,
		  (uint64_t)si->memmap_entries * sizeof(struct hvm_memmap_entry) },
		{ si->cmdline_paddr, BOOT_CMDLINE_MAX },
		{ si->rsdp_paddr, 36 },
		{ si->modlist_paddr, (uint64_t)si->nr_modules * 32 },
	};
	elf_boot_finish(bi, keep, sizeof(keep) / sizeof(keep[0]), "PVH");
}
