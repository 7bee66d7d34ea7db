/*
 * Plain MSI (PCI Local Bus 3.0, 6.8.1): one capability with an address
 * (32 or 64 bits), a data word and an enable bit; here one vector, no
 * per-vector masking. The message is the architecture's (arch_msi_route).
 */
#include <stdio.h>

#include <drivers/pci/pci.h>

#define PCI_CAP_ID_MSI 0x05
/* Message control, in the upper half of the capability's first dword. */
#define MSI_ENABLE (1u << 16)
#define MSI_MME_MASK (7u << 20) /* vectors enabled: 2^MME */
#define MSI_64BIT (1u << 23)

bool pci_msi_enable(const struct pci_dev *d, uint64_t addr, uint32_t data, char *why,
		    size_t why_len)
{
	unsigned cap = pci_find_cap(d, PCI_CAP_ID_MSI, 0);

	if (!cap) {
		snprintf(why, why_len, "pci %02x:%02x.%u has no MSI capability", d->bus, d->dev,
			 d->fn);
		return false;
	}
	uint32_t ctl = pci_read32(d, cap);
	bool wide = ctl & MSI_64BIT;
	if (!wide && addr >> 32) {
		snprintf(why, why_len,
			 "pci %02x:%02x.%u: its MSI address is 32 bits, the message goes to %#llx",
			 d->bus, d->dev, d->fn, (unsigned long long)addr);
		return false;
	}
	/* Off while it changes; one vector. */
	pci_write32(d, cap, ctl & ~(MSI_ENABLE | MSI_MME_MASK));
	pci_write32(d, cap + 4, (uint32_t)addr);
	if (wide)
		pci_write32(d, cap + 8, (uint32_t)(addr >> 32));
	/* The data register is 16 bits; the dword's upper half is reserved
	 * (or, with an extended message, the upper data). */
	unsigned data_off = cap + (wide ? 12 : 8);
	pci_write32(d, data_off, (pci_read32(d, data_off) & 0xffff0000u) | (data & 0xffff));
	pci_write32(d, cap, (ctl & ~MSI_MME_MASK) | MSI_ENABLE);
	return true;
}

void pci_msi_disable(const struct pci_dev *d)
{
	unsigned cap = pci_find_cap(d, PCI_CAP_ID_MSI, 0);

	if (cap)
		pci_write32(d, cap, pci_read32(d, cap) & ~MSI_ENABLE);
}
