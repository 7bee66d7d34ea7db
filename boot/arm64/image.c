/*
 * The Image boot path in C, MMU on with the early map: everything comes
 * from the device tree. The heap must lie in memory the early map covers
 * as normal memory (the image's own gigabyte) until kernel_main has built
 * the full map.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <vmb/boot_info.h>
#include <vmb/fdt.h>
#include <vmb/sizes.h>
#include <vmb/mem.h>

extern char _head[], _end[];

static struct boot_info image_boot_info;
static struct fw_info image_fw;

void image_main(uint64_t dtb);

static void note(struct boot_info *bi, const char *msg)
{
	size_t len = strlen(bi->notes);

	snprintf(bi->notes + len, sizeof(bi->notes) - len, "vmbench: %s\n", msg);
}

static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

/* Free RAM after the image, inside its gigabyte, clear of the device
 * tree and of reserved memory. */
static void choose_heap(struct boot_info *bi)
{
	uint64_t lo = ((uintptr_t)_end + 0xfffff) & ~0xfffffull;
	uint64_t hi = ((uintptr_t)_head & ~(SZ_1G - 1)) + SZ_1G;
	bool in_ram = false;

	for (unsigned i = 0; i < bi->nmem; i++) {
		const struct mem_region *m = &bi->mem[i];
		if (m->kind == MEM_RAM && lo >= m->base && lo < m->base + m->size) {
			in_ram = true;
			if (m->base + m->size < hi)
				hi = m->base + m->size;
		}
	}
	if (!in_ram)
		return;
	if (bi->fdt && overlaps(lo, hi - lo, bi->fdt, bi->fdt_size)) {
		if (bi->fdt >= lo + HEAP_MIN)
			hi = bi->fdt;
		else
			lo = (bi->fdt + bi->fdt_size + 0xfffff) & ~0xfffffull;
	}
	for (unsigned i = 0; i < bi->nmem; i++) {
		const struct mem_region *m = &bi->mem[i];
		if (m->kind == MEM_RAM_RESERVED && hi > lo &&
		    overlaps(lo, hi - lo, m->base, m->size))
			hi = m->base > lo ? m->base : lo;
	}
	if (hi <= lo)
		return;
	bi->heap_base = lo;
	bi->heap_size = hi - lo > HEAP_MAX ? HEAP_MAX : hi - lo;
}

void image_main(uint64_t dtb)
{
	struct boot_info *bi = &image_boot_info;
	const void *blob = (const void *)(uintptr_t)dtb;

	bi->path = BOOT_IMAGE;
	bi->image_base = (uintptr_t)_head;
	bi->image_size = (uintptr_t)_end - (uintptr_t)_head;
	fw_info_init(&image_fw);
	uint32_t size = dtb ? fdt_blob_size(blob) : 0;
	if (!size || size > FDT_MAX_SIZE || fdt_scan(blob, size, &image_fw)) {
		note(bi, "no valid device tree in x0: no memory map, console or options");
	} else {
		bi->fdt = dtb;
		bi->fdt_size = size;
		snprintf(bi->cmdline, sizeof(bi->cmdline), "%s", image_fw.bootargs);
		for (unsigned i = 0; i < image_fw.nmem && bi->nmem < BOOT_MAX_MEM; i++)
			bi->mem[bi->nmem++] = image_fw.mem[i];
	}
	choose_heap(bi);
	if (bi->heap_size < HEAP_MIN) {
		/* No usable map: take 16 MiB after the image, as every loader
		 * leaves at least that much above a kernel. */
		note(bi, "no free RAM found after the image: using 16 MiB after it as heap");
		bi->heap_base = ((uintptr_t)_end + 0xfffff) & ~0xfffffull;
		bi->heap_size = 16u << 20;
		if (!bi->nmem)
			bi->mem[bi->nmem++] = (struct mem_region){ (uintptr_t)_head,
								   bi->heap_base + bi->heap_size -
									   (uintptr_t)_head,
								   MEM_RAM };
	}
	kernel_main(bi);
}
