/*
 * Where unassigned BARs may go when no table names a host bridge window.
 * ACPI keeps the windows in AML (_CRS), which the image does not
 * interpret, and most firmware assigns every BAR itself; a minimal one
 * (QEMU's qboot) assigns none. Then, as Linux does when it cannot use
 * _CRS (e820__setup_pci_gap), take the largest hole below 4 GiB in the
 * memory map, clear of the MMIO the tables do name. Only where such holes
 * are PCI space (the PC's "PCI hole": arch_pci_hole_in_memory_map).
 */
#include <vmb/boot_info.h>
#include <vmb/fw.h>

#define GAP_TOP (1ull << 32)
/* Below 1 MiB: the PC's legacy ranges, never a window. */
#define GAP_FLOOR (1ull << 20)
/* Linux's smallest gap; a smaller one is a crack in the map. */
#define GAP_MIN (4ull << 20)
#define GAP_ALIGN (1ull << 20)

struct span {
	uint64_t base, end; /* end exclusive, saturated */
};

static unsigned add_span(struct span *s, unsigned n, uint64_t base, uint64_t size)
{
	if (!size)
		return n;
	s[n].base = base;
	s[n].end = base + size < base ? UINT64_MAX : base + size;
	return n + 1;
}

/* The hole that starts at `at`, up to the next span or GAP_TOP; 0 when a
 * span covers `at`. */
static uint64_t hole_end(const struct span *s, unsigned n, uint64_t at)
{
	uint64_t end = GAP_TOP;

	for (unsigned i = 0; i < n; i++) {
		if (s[i].base <= at && at < s[i].end)
			return 0;
		if (s[i].base > at && s[i].base < end)
			end = s[i].base;
	}
	return end;
}

bool fw_pci_gap(const struct fw_info *fw, const struct mem_region *mem, unsigned nmem,
		struct fw_pci_window *out)
{
	struct span s[BOOT_MAX_MEM + 3]; /* the map, ECAM, local APIC, HPET */
	unsigned n = 0;
	uint64_t best_at = 0, best_size = 0;
	bool ram = false;

	if (nmem > BOOT_MAX_MEM)
		return false; /* a map we could not hold whole: no guessing */
	for (unsigned i = 0; i < nmem; i++) {
		n = add_span(s, n, mem[i].base, mem[i].size);
		ram |= mem[i].kind == MEM_RAM && mem[i].size;
	}
	if (!ram)
		return false; /* a map without RAM describes nothing */
	n = add_span(s, n, fw->pci_ecam_base, fw_pci_ecam_size(fw));
	if (fw->lapic_base)
		n = add_span(s, n, fw->lapic_base, 4096);
	if (fw->hpet_base)
		n = add_span(s, n, fw->hpet_base, 4096);

	for (unsigned i = 0; i <= n; i++) {
		uint64_t at = i == n ? GAP_FLOOR : s[i].end;
		if (at < GAP_FLOOR || at >= GAP_TOP)
			continue;
		uint64_t end = hole_end(s, n, at);
		uint64_t start = (at + GAP_ALIGN - 1) & ~(GAP_ALIGN - 1);
		if (start >= end || end - start <= best_size)
			continue;
		best_at = start;
		best_size = end - start;
	}
	if (best_size < GAP_MIN)
		return false;
	*out = (struct fw_pci_window){ .cpu = best_at, .pci = best_at, .size = best_size };
	return true;
}
