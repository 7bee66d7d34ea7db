/*
 * The PVH boot path in C: everything comes from struct hvm_start_info
 * (Xen's public arch-x86/hvm/start_info.h layout): the command line, the
 * ACPI RSDP and, from version 1, the memory map in E820 terms.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <vmb/boot_info.h>

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

/* The largest RAM range above 1 MiB and clear of the image, for the heap. */
static void choose_heap(struct boot_info *bi)
{
	uint64_t img_lo = (uintptr_t)__image_start, img_hi = (uintptr_t)__image_end;

	for (unsigned i = 0; i < bi->nmem; i++) {
		const struct mem_region *m = &bi->mem[i];
		uint64_t lo = m->base < (1u << 20) ? (1u << 20) : m->base, hi = m->base + m->size;

		if (m->kind != MEM_RAM || hi <= lo)
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

void pvh_main(uint32_t start_info)
{
	struct boot_info *bi = &pvh_boot_info;
	const struct hvm_start_info *si = (const void *)(uintptr_t)start_info;

	bi->path = BOOT_PVH;
	bi->image_base = (uintptr_t)__image_start;
	bi->image_size = (uintptr_t)__image_end - (uintptr_t)__image_start;
	if (!si || si->magic != HVM_START_MAGIC) {
		note(bi, "PVH start info missing or with a wrong magic: no options, no tables");
	} else {
		if (si->cmdline_paddr) {
			const char *c = (const char *)(uintptr_t)si->cmdline_paddr;
			snprintf(bi->cmdline, sizeof(bi->cmdline), "%s", c);
		}
		bi->acpi_rsdp = si->rsdp_paddr;
		if (si->version >= 1 && si->memmap_paddr) {
			const struct hvm_memmap_entry *e = (const void *)(uintptr_t)si->memmap_paddr;
			for (uint32_t i = 0; i < si->memmap_entries && bi->nmem < BOOT_MAX_MEM; i++)
				if (e[i].size)
					bi->mem[bi->nmem++] = (struct mem_region){
						e[i].addr, e[i].size, e820_kind(e[i].type)
					};
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
			bi->mem[bi->nmem++] = (struct mem_region){ 0, bi->heap_base + bi->heap_size,
								   MEM_RAM };
	}
	kernel_main(bi);
}
