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

#define E820_RAM 1
#define E820_ACPI 3
#define E820_NVS 4

#define HEAP_MAX (256ull << 20)
#define HEAP_MIN (8ull << 20)

extern char __image_start[], __image_end[];

static struct boot_info pvh_boot_info;

void pvh_main(uint32_t start_info);

static enum mem_kind e820_kind(uint32_t type)
{
	switch (type) {
	case E820_RAM:
		return MEM_RAM;
	case E820_ACPI:
	case E820_NVS:
		return MEM_RAM_RESERVED;
	default:
		/* Reserved ranges include MMIO (the LAPIC, flash): never cached. */
		return MEM_MMIO;
	}
}

static void note(struct boot_info *bi, const char *msg)
{
	size_t len = strlen(bi->notes);

	snprintf(bi->notes + len, sizeof(bi->notes) - len, "vmbench: %s\n", msg);
}

/*
 * Whether [addr, addr + size) lies inside the entry's identity map. Until
 * arch_mmu_init() has mapped all of RAM, nothing else may be touched: an
 * access above it faults before there is a console to say so.
 */
static bool early_mapped(uint64_t addr, uint64_t size)
{
	return addr < PVH_EARLY_MAP_TOP && size <= PVH_EARLY_MAP_TOP - addr;
}

/*
 * The largest RAM range above 1 MiB, clear of the image and below
 * PVH_EARLY_MAP_TOP, for the heap: kernel_main takes its stack and
 * arch_mmu_init() its page tables from the heap while only the entry's map
 * is live. (q35 with 4 GiB or more has 2 GiB below 4 GiB and the rest
 * above: the largest range there is the unmapped one.)
 */
static void choose_heap(struct boot_info *bi)
{
	uint64_t img_lo = (uintptr_t)__image_start, img_hi = (uintptr_t)__image_end;

	for (unsigned i = 0; i < bi->nmem; i++) {
		const struct mem_region *m = &bi->mem[i];
		uint64_t lo = m->base < (1u << 20) ? (1u << 20) : m->base, hi = m->base + m->size;

		if (m->kind != MEM_RAM)
			continue;
		if (hi > PVH_EARLY_MAP_TOP)
			hi = PVH_EARLY_MAP_TOP;
		if (hi <= lo)
			continue;
		if (lo < img_hi && img_lo < hi) {
			/* Take the larger side of the image. */
			if (hi - img_hi >= img_lo - lo)
				lo = img_hi;
			else
				hi = img_lo;
		}
		lo = (lo + 0xfff) & ~0xfffull;
		if (hi > lo && hi - lo > bi->heap_size) {
			bi->heap_base = lo;
			bi->heap_size = hi - lo;
		}
	}
	if (bi->heap_size > HEAP_MAX)
		bi->heap_size = HEAP_MAX;
}

/*
 * A page for the SMP start-up code: RAM below the EBDA and the VGA hole,
 * above the real-mode vectors, clear of the image and of what the loader
 * handed us (read again later, like the RSDP, or possibly so).
 */
#define TRAMP_LOW 0x1000u
#define TRAMP_HIGH 0x9f000u

static bool overlaps(uint64_t page, uint64_t base, uint64_t size)
{
	return size && base < page + 0x1000 && page < base + size;
}

static void choose_trampoline(struct boot_info *bi, const struct hvm_start_info *si)
{
	for (uint64_t page = TRAMP_HIGH - 0x1000; page >= TRAMP_LOW; page -= 0x1000) {
		bool ram = false;

		for (unsigned i = 0; i < bi->nmem; i++)
			if (bi->mem[i].kind == MEM_RAM && bi->mem[i].base <= page &&
			    page + 0x1000 <= bi->mem[i].base + bi->mem[i].size)
				ram = true;
		if (!ram || overlaps(page, bi->image_base, bi->image_size) ||
		    overlaps(page, (uintptr_t)si, sizeof(*si)) ||
		    overlaps(page, si->memmap_paddr,
			     (uint64_t)si->memmap_entries * sizeof(struct hvm_memmap_entry)) ||
		    overlaps(page, si->cmdline_paddr, BOOT_CMDLINE_MAX) ||
		    overlaps(page, si->rsdp_paddr, 36) ||
		    overlaps(page, si->modlist_paddr, (uint64_t)si->nr_modules * 32))
			continue;
		bi->smp_trampoline = page;
		return;
	}
	note(bi, "no free RAM page below 1 MiB in the PVH memory map: one CPU only");
}

/* RAM the heap could not use because the entry's map does not reach it. */
static uint64_t ram_above_early_map(const struct boot_info *bi)
{
	uint64_t total = 0;

	for (unsigned i = 0; i < bi->nmem; i++) {
		const struct mem_region *m = &bi->mem[i];
		uint64_t lo = m->base, hi = m->base + m->size;

		if (m->kind != MEM_RAM || hi <= PVH_EARLY_MAP_TOP)
			continue;
		if (lo < PVH_EARLY_MAP_TOP)
			lo = PVH_EARLY_MAP_TOP;
		total += hi - lo;
	}
	return total;
}

/* The command line, bounded by its buffer and by the entry's map. */
static void copy_cmdline(struct boot_info *bi, uint64_t paddr)
{
	const char *c = (const char *)(uintptr_t)paddr;
	size_t n = 0;

	if (!early_mapped(paddr, 1)) {
		note(bi, "PVH command line lies above the boot page tables: ignored");
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
		note(bi, "PVH memory map lies above the boot page tables: ignored");
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
	bi->image_base = (uintptr_t)__image_start;
	bi->image_size = (uintptr_t)__image_end - (uintptr_t)__image_start;
	if (!si || si->magic != HVM_START_MAGIC) {
		note(bi, "PVH start info missing or with a wrong magic: no options, no tables");
	} else {
		if (si->cmdline_paddr)
			copy_cmdline(bi, si->cmdline_paddr);
		bi->acpi_rsdp = si->rsdp_paddr;
		if (si->version >= 1 && si->memmap_paddr) {
			read_memmap(bi, si);
			choose_trampoline(bi, si);
		} else {
			note(bi, "PVH start info has no memory map (version 0)");
		}
	}
	choose_heap(bi);
	if (bi->heap_size < HEAP_MIN) {
		/* Without a map, trust the 16 MiB after the image: every PVH
		 * loader gives a guest more than that. */
		note(bi, "no usable memory map: using 16 MiB after the image as heap");
		bi->heap_base = ((uintptr_t)__image_end + 0xfffff) & ~0xfffffull;
		bi->heap_size = 16u << 20;
		if (!bi->nmem)
			bi->mem[bi->nmem++] =
				(struct mem_region){ 0, bi->heap_base + bi->heap_size, MEM_RAM };
	}
	uint64_t above = ram_above_early_map(bi);
	if (above) {
		/* Say what is left unused, so nobody mistakes it for a cap. */
		char msg[160];
		snprintf(msg, sizeof(msg),
			 "heap %llu MiB at %#llx, below %d GiB where the boot page tables reach; "
			 "%llu MiB of RAM above is mapped but not used",
			 (unsigned long long)(bi->heap_size >> 20),
			 (unsigned long long)bi->heap_base, PVH_EARLY_MAP_GIB,
			 (unsigned long long)(above >> 20));
		note(bi, msg);
	}
	kernel_main(bi);
}
