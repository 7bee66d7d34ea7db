/*
 * Our own stage-1 identity map at the EL we run at: 4 KiB granule, 48-bit
 * VA, 1 GiB blocks, split into 2 MiB blocks where a gigabyte holds both
 * RAM and anything else. RAM is normal write-back, everything else
 * device-nGnRnE and execute-never, so a UART or GIC anywhere in the
 * physical space is reachable without the firmware listing it.
 */
#include <stdint.h>

#include <arch/mmu.h>
#include <arch/sysreg.h>
#include <vmb/arch.h>
#include <vmb/boot_info.h>
#include <vmb/console.h>
#include <vmb/mem.h>
#include <vmb/sizes.h>

void arm64_mmu_switch_el1(uint64_t ttbr, uint64_t tcr, uint64_t mair);
void arm64_mmu_switch_el2(uint64_t ttbr, uint64_t tcr, uint64_t mair);

static uint64_t normal_desc, device_desc;
static uint64_t *root;	   /* level 0, once ours */
static uint64_t mapped_pa; /* the physical address range, in bytes */

static bool range_has(const struct boot_info *bi, uint64_t base, uint64_t size, bool ram)
{
	for (unsigned i = 0; i < bi->nmem; i++) {
		const struct mem_region *m = &bi->mem[i];
		bool is_ram = m->kind != MEM_MMIO;
		if (is_ram == ram && m->base < base + size && base < m->base + m->size)
			return true;
	}
	return false;
}

/* Only whole blocks of RAM are cacheable: partial RAM in a device block
 * stays uncached, never the reverse. */
static bool all_ram(const struct boot_info *bi, uint64_t base, uint64_t size)
{
	uint64_t covered = 0;

	for (unsigned i = 0; i < bi->nmem; i++) {
		const struct mem_region *m = &bi->mem[i];
		if (m->kind == MEM_MMIO)
			continue;
		uint64_t lo = m->base > base ? m->base : base;
		uint64_t hi = m->base + m->size < base + size ? m->base + m->size : base + size;
		if (hi > lo)
			covered += hi - lo;
	}
	return covered >= size;
}

static unsigned pa_bits(unsigned pa_range)
{
	static const unsigned bits[] = { 32, 36, 40, 42, 44, 48 };

	return bits[pa_range];
}

static uint64_t map_top(const struct boot_info *bi, unsigned pa)
{
	uint64_t top = 4 * SZ_1G;

	for (unsigned i = 0; i < bi->nmem; i++)
		if (bi->mem[i].base + bi->mem[i].size > top)
			top = bi->mem[i].base + bi->mem[i].size;
	top = (top + SZ_1G - 1) & ~(SZ_1G - 1);
	if (pa < 64 && top > (1ull << pa))
		top = 1ull << pa;
	return top;
}

static bool map_gigabyte(const struct boot_info *bi, uint64_t *l1, uint64_t g)
{
	uint64_t *entry = &l1[(g / SZ_1G) % 512];

	if (all_ram(bi, g, SZ_1G)) {
		*entry = g | normal_desc;
		return true;
	}
	if (!range_has(bi, g, SZ_1G, true)) {
		*entry = g | device_desc;
		return true;
	}
	uint64_t *l2 = mem_alloc_pages(1);
	if (!l2)
		return false;
	for (unsigned i = 0; i < 512; i++) {
		uint64_t a = g + i * SZ_2M;
		l2[i] = a | (all_ram(bi, a, SZ_2M) ? normal_desc : device_desc);
	}
	*entry = (uint64_t)(uintptr_t)l2 | PTE_TABLE;
	return true;
}

/* The identity map with these block descriptors; NULL when out of
 * memory. */
static uint64_t *build(const struct boot_info *bi, uint64_t normal, uint64_t device, uint64_t top)
{
	uint64_t *l0 = mem_alloc_pages(1);

	normal_desc = normal;
	device_desc = device;
	if (!l0)
		return NULL;
	for (uint64_t g512 = 0; g512 < top; g512 += SZ_512G) {
		uint64_t *l1 = mem_alloc_pages(1);
		if (!l1)
			return NULL;
		l0[g512 / SZ_512G] = (uint64_t)(uintptr_t)l1 | PTE_TABLE;
		for (uint64_t g = g512; g < top && g < g512 + SZ_512G; g += SZ_1G)
			if (!map_gigabyte(bi, l1, g))
				return NULL;
	}
	return l0;
}

/* At EL2 without VHE, the same map in the EL1 format and as a stage 2:
 * the image's own EL1 guest runs on them (kernel/hyp/arm64/guest.c). */
static uint64_t *el1_root, *s2_root, *s2_root_second;
static unsigned el1_pa_range;

void arch_mmu_init(struct boot_info *bi)
{
	/* At EL2 with E2H set (VHE) the EL1 layouts apply, and the
	 * _el2 register names reach the EL2&0 regime's registers. */
	bool el2 = mmu_el2_regime();
	unsigned ps = mmu_pa_range();
	uint64_t top = map_top(bi, pa_bits(ps));

	/* The EL1 map first: the descriptors left in normal_desc and
	 * device_desc are then the running regime's, for arch_map_mmio. */
	if (el2) {
		el1_root = build(bi, mmu_normal_block(false), mmu_device_block(false), top);
		s2_root = build(bi, mmu_s2_normal_block(), mmu_s2_device_block(), top);
		s2_root_second = build(bi, mmu_s2_normal_block(), mmu_s2_device_block(), top);
		el1_pa_range = ps;
	}
	uint64_t *l0 = build(bi, mmu_normal_block(el2), mmu_device_block(el2), top);
	if (!l0) {
		kprintf("vmbench: out of memory building page tables, keeping firmware's\n");
		return;
	}
	root = l0;
	mapped_pa = pa_bits(ps) >= 64 ? ~0ull : 1ull << pa_bits(ps);
	uint64_t tcr = mmu_tcr(el2, ps);
	if (current_el() == 2)
		arm64_mmu_switch_el2((uint64_t)(uintptr_t)l0, tcr, MAIR_VALUE);
	else
		arm64_mmu_switch_el1((uint64_t)(uintptr_t)l0, tcr, MAIR_VALUE);
}

/* The stage 2 starts at level 1 (a 39-bit IPA): the level-0 table's
 * first entry is all it walks. */
static bool stage2_of(const uint64_t *l0, uint64_t *vttbr, uint64_t *vtcr)
{
	if (!l0 || !(l0[0] & 1))
		return false;
	*vttbr = l0[0] & ~(uint64_t)0xfff;
	*vtcr = mmu_vtcr(el1_pa_range);
	return true;
}

bool arm64_stage2_map(uint64_t *vttbr, uint64_t *vtcr)
{
	return stage2_of(s2_root, vttbr, vtcr);
}

bool arm64_stage2_map_second(uint64_t *vttbr, uint64_t *vtcr)
{
	return stage2_of(s2_root_second, vttbr, vtcr);
}

bool arm64_stage2_unmap(uint64_t addr)
{
	uint64_t vttbr, vtcr;

	if (!arm64_stage2_map(&vttbr, &vtcr) || addr >= SZ_512G)
		return false;
	uint64_t *l1e = &((uint64_t *)(uintptr_t)vttbr)[addr / SZ_1G];
	if ((*l1e & 3) == PTE_BLOCK) {
		/* Split the gigabyte into 2 MiB blocks with its attributes. */
		uint64_t *l2 = mem_alloc_pages(1);
		if (!l2)
			return false;
		uint64_t base = *l1e & 0x0000ffffc0000000ull, attrs = *l1e & ~0x0000ffffc0000000ull;
		for (unsigned i = 0; i < 512; i++)
			l2[i] = (base + i * SZ_2M) | attrs;
		*l1e = (uint64_t)(uintptr_t)l2 | PTE_TABLE;
	} else if ((*l1e & 3) != PTE_TABLE) {
		return true; /* not mapped at all */
	}
	uint64_t *l2 = (uint64_t *)(uintptr_t)(*l1e & 0x0000fffffffff000ull);
	l2[addr / SZ_2M % 512] = 0;
	__asm__ volatile("dsb ishst; tlbi vmalls12e1; dsb ish; isb" ::: "memory");
	return true;
}

bool arm64_el1_map(uint64_t *ttbr, uint64_t *tcr)
{
	if (!el1_root)
		return false;
	*ttbr = (uint64_t)(uintptr_t)el1_root;
	*tcr = mmu_tcr(false, el1_pa_range);
	return true;
}

/* Gigabytes not mapped yet become device blocks; what is mapped stays. */
bool arch_map_mmio(uint64_t base, uint64_t size)
{
	if (!root || !size || base + size < base || base + size > mapped_pa)
		return false;
	for (uint64_t g = base & ~(SZ_1G - 1); g < base + size; g += SZ_1G) {
		uint64_t *l0e = &root[g / SZ_512G % 512];
		if (!(*l0e & 1)) {
			uint64_t *l1 = mem_alloc_pages(1);
			if (!l1)
				return false;
			*l0e = (uint64_t)(uintptr_t)l1 | PTE_TABLE;
		}
		uint64_t *l1 = (uint64_t *)(uintptr_t)(*l0e & 0xfffffffff000ull);
		if (!(l1[g / SZ_1G % 512] & 1))
			l1[g / SZ_1G % 512] = g | device_desc;
	}
	/* New valid entries need no invalidation, only to be seen. */
	__asm__ volatile("dsb ishst; isb" ::: "memory");
	return true;
}
