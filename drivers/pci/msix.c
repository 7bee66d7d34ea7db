/*
 * MSI-X: the capability's table lives in one of the function's BARs;
 * each entry is an address, a data word and a mask bit (PCI Local Bus
 * 3.0, 6.8.2). The message itself is the architecture's business
 * (arch_msi_route: the local APIC's address window on x86_64).
 */
#include <stdio.h>

#include <arch/mmio.h>
#include <drivers/pci/pci.h>

#define PCI_CAP_ID_MSIX 0x11
#define MSIX_ENABLE (1u << 31)	/* message control bit 15, in the cap's dword */
#define MSIX_FN_MASK (1u << 30) /* bit 14 */
#define ENTRY_BYTES 16
#define ENTRY_MASKED 1u

bool pci_msix_enable(const struct pci_dev *d, struct pci_msix *m, char *why, size_t why_len)
{
	unsigned cap = pci_find_cap(d, PCI_CAP_ID_MSIX, 0);

	if (!cap) {
		snprintf(why, why_len, "pci %02x:%02x.%u has no MSI-X capability", d->bus, d->dev,
			 d->fn);
		return false;
	}
	uint32_t ctl = pci_read32(d, cap), where = pci_read32(d, cap + 4);
	m->cap = cap;
	m->entries = (ctl >> 16 & 0x7ff) + 1;
	if (!pci_bar_map(d, where & 7, where & ~7u, (uint64_t)m->entries * ENTRY_BYTES,
			 &m->table)) {
		snprintf(why, why_len, "pci %02x:%02x.%u: its MSI-X table (BAR%u) is not reachable",
			 d->bus, d->dev, d->fn, where & 7);
		return false;
	}
	for (unsigned n = 0; n < m->entries; n++)
		mmio_write32(m->table + n * ENTRY_BYTES + 12, ENTRY_MASKED);
	pci_write32(d, cap, (ctl | MSIX_ENABLE) & ~MSIX_FN_MASK);
	return true;
}

void pci_msix_disable(const struct pci_dev *d, struct pci_msix *m)
{
	if (!m->entries)
		return;
	pci_write32(d, m->cap, pci_read32(d, m->cap) & ~MSIX_ENABLE);
	m->entries = 0;
}

void pci_msix_set(const struct pci_msix *m, unsigned n, uint64_t addr, uint32_t data)
{
	uint64_t e = m->table + n * ENTRY_BYTES;

	mmio_write32(e + 12, ENTRY_MASKED);
	mmio_write32(e, (uint32_t)addr);
	mmio_write32(e + 4, (uint32_t)(addr >> 32));
	mmio_write32(e + 8, data);
	mmio_write32(e + 12, 0);
}

void pci_msix_mask(const struct pci_msix *m, unsigned n)
{
	if (n < m->entries)
		mmio_write32(m->table + n * ENTRY_BYTES + 12, ENTRY_MASKED);
}
