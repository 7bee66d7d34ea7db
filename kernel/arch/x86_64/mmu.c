/*
 * Identity map with 2 MiB pages: write-back where any RAM is, uncached
 * (PCD|PWT, PAT entry 3) elsewhere, so MMIO is never cached even where
 * the MTRRs would allow it.
 */
#include <string.h>

#include <arch/x86.h>
#include <vmb/arch.h>
#include <vmb/boot_info.h>
#include <vmb/console.h>
#include <vmb/mem.h>
#include <vmb/sizes.h>

#define PTE_P (1ull << 0)
#define PTE_W (1ull << 1)
#define PTE_PWT (1ull << 3)
#define PTE_PCD (1ull << 4)
#define PTE_PS (1ull << 7)

static bool has_ram(const struct boot_info *bi, uint64_t base, uint64_t size)
{
	for (unsigned i = 0; i < bi->nmem; i++) {
		const struct mem_region *m = &bi->mem[i];
		if (m->kind != MEM_MMIO && m->base < base + size && base < m->base + m->size)
			return true;
	}
	return false;
}

static uint64_t map_top(const struct boot_info *bi)
{
	uint64_t top = 4 * SZ_1G;

	for (unsigned i = 0; i < bi->nmem; i++)
		if (bi->mem[i].kind != MEM_MMIO && bi->mem[i].base + bi->mem[i].size > top)
			top = bi->mem[i].base + bi->mem[i].size;
	return (top + SZ_1G - 1) & ~(SZ_1G - 1);
}

static uint64_t *root; /* PML4, once ours */

void arch_mmu_init(struct boot_info *bi)
{
	uint64_t top = map_top(bi);
	uint64_t *pml4 = mem_alloc_pages(1);

	/* The first 2 MiB, and so the SMP trampoline page, are mapped below. */
	x86_smp_set_trampoline(bi->smp_trampoline);
	if (!pml4) {
		kprintf("vmbench: no memory for page tables, keeping firmware's\n");
		return;
	}
	for (uint64_t g512 = 0; g512 < top; g512 += SZ_512G) {
		uint64_t *pdpt = mem_alloc_pages(1);
		if (!pdpt)
			goto oom;
		pml4[g512 / SZ_512G] = (uint64_t)(uintptr_t)pdpt | PTE_P | PTE_W;
		for (uint64_t g = g512; g < top && g < g512 + SZ_512G; g += SZ_1G) {
			uint64_t *pd = mem_alloc_pages(1);
			if (!pd)
				goto oom;
			pdpt[(g / SZ_1G) % 512] = (uint64_t)(uintptr_t)pd | PTE_P | PTE_W;
			for (unsigned i = 0; i < 512; i++) {
				uint64_t a = g + i * SZ_2M;
				uint64_t attr = has_ram(bi, a, SZ_2M) ? 0 : PTE_PCD | PTE_PWT;
				pd[i] = a | PTE_P | PTE_W | PTE_PS | attr;
			}
		}
	}
	write_cr3((uint64_t)(uintptr_t)pml4);
	root = pml4;
	return;
oom:
	kprintf("vmbench: out of memory building page tables, keeping firmware's\n");
}

static uint64_t *next_level(uint64_t *entry)
{
	if (!(*entry & PTE_P)) {
		uint64_t *t = mem_alloc_pages(1);
		if (!t)
			return NULL;
		*entry = (uint64_t)(uintptr_t)t | PTE_P | PTE_W;
	}
	return (uint64_t *)(uintptr_t)(*entry & 0x000ffffffffff000ull);
}

/* 2 MiB pages, uncached, where nothing is mapped yet; the 4-level map
 * reaches 256 TiB. */
bool arch_map_mmio(uint64_t base, uint64_t size)
{
	if (!root || !size || base + size < base || base + size > (1ull << 48))
		return false;
	for (uint64_t a = base & ~(SZ_2M - 1); a < base + size; a += SZ_2M) {
		uint64_t *pdpt = next_level(&root[a / SZ_512G % 512]);
		uint64_t *pd = pdpt ? next_level(&pdpt[a / SZ_1G % 512]) : NULL;
		if (!pd)
			return false;
		if (!(pd[a / SZ_2M % 512] & PTE_P))
			pd[a / SZ_2M % 512] = a | PTE_P | PTE_W | PTE_PS | PTE_PCD | PTE_PWT;
	}
	return true;
}

#define PTE_U (1ull << 2)
#define PTE_ADDR 0x000ffffffffff000ull
#define EPT_RWX 7ull
#define EPT_MT_WB (6ull << 3)
#define EPT_MT_UC (0ull << 3)

/* An entry of the image's map in the nested format: AMD's nested paging
 * walks its tables as user accesses (U set at every level); EPT has its
 * own bits: read, write, execute, and at a leaf the memory type, taken
 * from the image's own (PCD set: uncached). */
static uint64_t nested_entry(uint64_t e, uint64_t addr, bool leaf, enum nested_format f)
{
	if (f == NESTED_NPT)
		return (e & ~PTE_ADDR) | addr | PTE_U;
	if (!leaf)
		return addr | EPT_RWX;
	return addr | EPT_RWX | (e & PTE_PS) | (e & PTE_PCD ? EPT_MT_UC : EPT_MT_WB);
}

/* One level of the map, copied in the nested format. */
static uint64_t *copy_level(const uint64_t *from, int level, enum nested_format f)
{
	uint64_t *to = mem_alloc_pages(1);

	if (!to)
		return NULL;
	for (unsigned i = 0; i < 512; i++) {
		uint64_t e = from[i], addr = e & PTE_ADDR;
		if (!(e & PTE_P))
			continue;
		bool leaf = level == 1 || (level > 1 && level < 4 && (e & PTE_PS));
		if (!leaf) {
			uint64_t *next =
				copy_level((const uint64_t *)(uintptr_t)addr, level - 1, f);
			if (!next)
				return NULL;
			addr = (uint64_t)(uintptr_t)next;
		}
		to[i] = nested_entry(e, addr, leaf, f);
	}
	return to;
}

uint64_t x86_nested_identity_map(enum nested_format f)
{
	uint64_t *pml4 = root ? copy_level(root, 4, f) : NULL;

	return (uint64_t)(uintptr_t)pml4;
}
