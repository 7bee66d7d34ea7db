/*
 * The last step of both entries of the x86_64 ELF (PVH and multiboot2),
 * once their parser has filled the memory map, the command line and the
 * RSDP: the SMP start-up page, the heap, then kernel_main().
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <vmb/boot_info.h>
#include <vmb/mem.h>

#include "elf_boot.h"
#include "pvh.h"

extern char __image_start[], __image_end[];

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
 * handed us and is read again later (keep[]).
 */
#define TRAMP_LOW 0x1000u
#define TRAMP_HIGH 0x9f000u

static bool overlaps(uint64_t page, uint64_t base, uint64_t size)
{
	return size && base < page + 0x1000 && page < base + size;
}

static void choose_trampoline(struct boot_info *bi, const struct boot_range *keep, unsigned nkeep,
			      const char *name)
{
	for (uint64_t page = TRAMP_HIGH - 0x1000; page >= TRAMP_LOW; page -= 0x1000) {
		bool ram = false, taken = overlaps(page, bi->image_base, bi->image_size);

		for (unsigned i = 0; i < bi->nmem; i++)
			if (bi->mem[i].kind == MEM_RAM && bi->mem[i].base <= page &&
			    page + 0x1000 <= bi->mem[i].base + bi->mem[i].size)
				ram = true;
		for (unsigned i = 0; i < nkeep; i++)
			taken = taken || overlaps(page, keep[i].base, keep[i].size);
		if (!ram || taken)
			continue;
		bi->smp_trampoline = page;
		return;
	}
	char msg[96];
	snprintf(msg, sizeof(msg),
		 "no free RAM page below 1 MiB in the %s memory map: one CPU only", name);
	boot_note(bi, msg);
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

void elf_boot_finish(struct boot_info *bi, const struct boot_range *keep, unsigned nkeep,
		     const char *name)
{
	bi->image_base = (uintptr_t)__image_start;
	bi->image_size = (uintptr_t)__image_end - (uintptr_t)__image_start;
	if (bi->nmem)
		choose_trampoline(bi, keep, nkeep, name);
	choose_heap(bi);
	if (bi->heap_size < HEAP_MIN) {
		/* Without a map, trust the 16 MiB after the image: every PVH
		 * or multiboot2 loader gives a machine more than that. */
		boot_note(bi, "no usable memory map: using 16 MiB after the image as heap");
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
		boot_note(bi, msg);
	}
	kernel_main(bi);
}
