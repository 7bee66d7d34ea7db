/*
 * The BAR window guessed from the memory map (kernel/fw/pci_gap.c): the
 * map QEMU's q35 gives a PVH guest under qboot, maps whose only holes are
 * too small, odd maps (unsorted, overlapping, wrapping, no RAM, too many
 * entries), and random maps whose window must never touch a region.
 */
#include <stdint.h>
#include <stdlib.h>

#include <vmb/boot_info.h>
#include <vmb/fw.h>

#include "check.h"

#define MiB (1ull << 20)
#define GiB (1ull << 30)

static struct mem_region map[BOOT_MAX_MEM + 1];
static unsigned nmap;

static void put(uint64_t base, uint64_t size, enum mem_kind kind)
{
	map[nmap++] = (struct mem_region){ base, size, kind };
}

static void q35_map(void)
{
	nmap = 0;
	put(0, 0x9fc00, MEM_RAM);
	put(0x9fc00, 0x400, MEM_RAM_RESERVED);
	put(0xf0000, 0x10000, MEM_RAM_RESERVED);
	put(MiB, 0x7fdd000 - MiB, MEM_RAM);
	put(0x7fdd000, 0x23000, MEM_RAM_RESERVED);
	put(0xfeffc000, 0x4000, MEM_RAM_RESERVED);
	put(0xfffc0000, 0x40000, MEM_RAM_RESERVED);
	put(0xfd00000000ull, 0x300000000ull, MEM_RAM_RESERVED);
}

static void q35_fw(struct fw_info *fw)
{
	fw_info_init(fw);
	fw->pci_ecam_base = 0xb0000000;
	fw->pci_bus_start = 0;
	fw->pci_bus_end = 255;
	fw->lapic_base = 0xfee00000;
	fw->hpet_base = 0xfed00000;
}

static void test_q35(void)
{
	struct fw_info fw;
	struct fw_pci_window w = { 1, 2, 3 };

	q35_map();
	q35_fw(&fw);
	CHECK(fw_pci_gap(&fw, map, nmap, &w));
	/* From the end of RAM up to the ECAM. */
	CHECK_EQ_U(w.pci, 0x08000000);
	CHECK_EQ_U(w.cpu, w.pci);
	CHECK_EQ_U(w.size, 0xb0000000 - 0x08000000);

	/* Without the ECAM the hole runs up to the HPET. */
	fw.pci_ecam_base = 0;
	CHECK(fw_pci_gap(&fw, map, nmap, &w));
	CHECK_EQ_U(w.pci, 0x08000000);
	CHECK_EQ_U(w.size, 0xfed00000 - 0x08000000);
}

static void test_small_holes(void)
{
	struct fw_info fw;
	struct fw_pci_window w = { 0 };

	fw_info_init(&fw);
	nmap = 0;
	put(0, 4 * GiB - 3 * MiB, MEM_RAM);
	put(4 * GiB - 2 * MiB, 2 * MiB, MEM_RAM_RESERVED);
	/* A 1 MiB hole: a crack, not a window. */
	CHECK(!fw_pci_gap(&fw, map, nmap, &w));
	CHECK_EQ_U(w.size, 0);

	/* A hole of 4 MiB that starts 4 KiB short of a MiB boundary keeps
	 * less than 4 MiB once aligned. */
	nmap = 0;
	put(0, 3 * GiB + 4096, MEM_RAM);
	put(3 * GiB + 4096 + 4 * MiB, GiB - 4096 - 4 * MiB, MEM_RAM_RESERVED);
	CHECK(!fw_pci_gap(&fw, map, nmap, &w));
}

static void test_alignment_and_order(void)
{
	struct fw_info fw;
	struct fw_pci_window w = { 0 };

	fw_info_init(&fw);
	nmap = 0;
	/* Unsorted, overlapping, RAM ending off a MiB boundary. */
	put(3 * GiB, GiB, MEM_MMIO);
	put(GiB, 0x123456, MEM_RAM);
	put(0, GiB + 0x1000, MEM_RAM);
	CHECK(fw_pci_gap(&fw, map, nmap, &w));
	CHECK_EQ_U(w.pci, GiB + 2 * MiB);
	CHECK_EQ_U(w.size, 2 * GiB - 2 * MiB);

	/* RAM above 4 GiB does not count; the hole below it does. */
	nmap = 0;
	put(0, 2 * GiB, MEM_RAM);
	put(4 * GiB, 4 * GiB, MEM_RAM);
	CHECK(fw_pci_gap(&fw, map, nmap, &w));
	CHECK_EQ_U(w.pci, 2 * GiB);
	CHECK_EQ_U(w.size, 2 * GiB);
}

static void test_odd_maps(void)
{
	struct fw_info fw;
	struct fw_pci_window w = { 0 };

	fw_info_init(&fw);
	/* No RAM: the map describes nothing. */
	nmap = 0;
	put(0xfec00000, 0x1000, MEM_MMIO);
	CHECK(!fw_pci_gap(&fw, map, nmap, &w));
	CHECK(!fw_pci_gap(&fw, map, 0, &w));

	/* A region that wraps covers the rest of the space. */
	nmap = 0;
	put(0, GiB, MEM_RAM);
	put(2 * GiB, UINT64_MAX, MEM_RAM_RESERVED);
	CHECK(fw_pci_gap(&fw, map, nmap, &w));
	CHECK_EQ_U(w.pci, GiB);
	CHECK_EQ_U(w.size, GiB);

	/* Everything below 4 GiB taken. */
	nmap = 0;
	put(0, 4 * GiB, MEM_RAM);
	CHECK(!fw_pci_gap(&fw, map, nmap, &w));

	/* More entries than a boot_info holds. */
	nmap = 0;
	for (unsigned i = 0; i < BOOT_MAX_MEM + 1; i++)
		put((uint64_t)i * 16 * MiB, MiB, MEM_RAM);
	CHECK(!fw_pci_gap(&fw, map, BOOT_MAX_MEM + 1, &w));
	CHECK(fw_pci_gap(&fw, map, BOOT_MAX_MEM, &w));
}

static bool overlaps(uint64_t a, uint64_t a_end, uint64_t b, uint64_t size)
{
	uint64_t b_end = b + size < b ? UINT64_MAX : b + size;
	return size && a < b_end && b < a_end;
}

/* Random maps: a window, when there is one, lies in [1 MiB, 4 GiB), is
 * aligned and at least 4 MiB, and touches no region and no named MMIO. */
static void test_random(void)
{
	unsigned bad = 0, found = 0;

	srand(23);
	for (unsigned t = 0; t < 20000; t++) {
		struct fw_info fw;
		struct fw_pci_window w = { 0 };

		fw_info_init(&fw);
		if (rand() & 1) {
			fw.pci_ecam_base = (uint64_t)(rand() & 0xff) << 24;
			fw.pci_bus_start = (uint8_t)(rand() & 3);
			fw.pci_bus_end = (uint8_t)rand();
		}
		if (rand() & 1)
			fw.lapic_base = (uint64_t)(rand() & 0xfffff) << 12;
		nmap = (unsigned)(rand() % 12);
		for (unsigned i = 0; i < nmap; i++) {
			uint64_t base = (uint64_t)rand() << 12 | (unsigned)(rand() & 0xfff);
			uint64_t size = rand() % 8 == 0 ? UINT64_MAX - (uint64_t)rand()
							: (uint64_t)rand() << (rand() % 10);
			map[i] = (struct mem_region){ base, size,
						      rand() % 3 ? MEM_RAM : MEM_RAM_RESERVED };
		}
		if (!fw_pci_gap(&fw, map, nmap, &w))
			continue;
		found++;
		uint64_t end = w.pci + w.size;
		bool ok = w.pci >= MiB && end <= 4 * GiB && !(w.pci % MiB) && w.size >= 4 * MiB &&
			  w.cpu == w.pci;
		for (unsigned i = 0; i < nmap; i++)
			ok &= !overlaps(w.pci, end, map[i].base, map[i].size);
		if (fw.pci_ecam_base && fw.pci_bus_end >= fw.pci_bus_start)
			ok &= !overlaps(w.pci, end, fw.pci_ecam_base,
					(uint64_t)(fw.pci_bus_end - fw.pci_bus_start + 1) << 20);
		if (fw.lapic_base)
			ok &= !overlaps(w.pci, end, fw.lapic_base, 4096);
		bad += !ok;
	}
	CHECK_EQ_U(bad, 0);
	/* The random maps do reach the interesting case. */
	CHECK(found > 1000);
}

int main(void)
{
	test_q35();
	test_small_holes();
	test_alignment_and_order();
	test_odd_maps();
	test_random();
	return check_report("pci_gap");
}
