#include <string.h>

#include <vmb/fwinfo.h>
#include <vmb/irq.h>

void fw_info_init(struct fw_info *info)
{
	memset(info, 0, sizeof(*info));
}

uint64_t fw_pci_ecam_size(const struct fw_info *info)
{
	if (!info->pci_ecam_base || info->pci_bus_end < info->pci_bus_start)
		return 0;
	return ((uint64_t)(info->pci_bus_end - info->pci_bus_start) + 1) << 20;
}

bool fw_gic_spi_range(uint64_t first, uint64_t count)
{
	return first >= 32 && first < IRQ_SPECIAL && count && count <= IRQ_SPECIAL - first;
}

unsigned fw_pci_intx(const struct fw_info *info, unsigned bus, unsigned dev, unsigned fn,
		     unsigned pin)
{
	uint32_t addr = (bus & 0xff) << 16 | (dev & 0x1f) << 11 | (fn & 7) << 8;

	for (unsigned i = 0; i < info->n_pci_intx; i++) {
		const struct fw_pci_intx *e = &info->pci_intx[i];
		if ((addr & info->pci_intx_mask_addr) == e->addr &&
		    (pin & info->pci_intx_mask_pin) == e->pin)
			return e->irq;
	}
	return 0;
}
