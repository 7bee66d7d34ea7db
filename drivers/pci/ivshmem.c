/*
 * QEMU's ivshmem-plain device: memory the host shares between guests,
 * in BAR 2 (docs/specs/ivshmem-spec.rst in QEMU). It has no registers the
 * image needs (BAR 0 is for the doorbell variant) and no interrupts.
 *
 * The BAR is mapped uncached, as all BARs are: both guests then reach the
 * memory itself, and KVM cleans a page to the point of coherency before
 * it first maps it into a guest, so nothing stale hides in a cache.
 */
#include <stdio.h>

#include <drivers/pci/pci.h>
#include <drivers/peer_page.h>

#define IVSHMEM_VENDOR 0x1af4
#define IVSHMEM_DEVICE 0x1110
#define IVSHMEM_BAR 2

enum peer_page_found ivshmem_page_find(struct peer_page *p, size_t min_size, char *why,
				       size_t why_len)
{
	const struct pci_bus_scan *s = pci_devices();
	const struct pci_dev *d = NULL;

	for (unsigned i = 0; i < s->ndev && !d; i++)
		if (s->dev[i].vendor == IVSHMEM_VENDOR && s->dev[i].device == IVSHMEM_DEVICE)
			d = &s->dev[i];
	if (!d) {
		snprintf(why, why_len,
			 "no memory shared with another guest (no ivshmem PCI device, "
			 "1af4:1110; PCI access: %s)",
			 pci_access_name());
		return PEER_PAGE_NONE;
	}
	const struct pci_bar *b = &d->bar[IVSHMEM_BAR];
	if (b->size < min_size || !pci_bar_map(d, IVSHMEM_BAR, 0, b->size, &p->base)) {
		snprintf(why, why_len, "ivshmem %02x:%02x.%x: BAR 2 %s", d->bus, d->dev, d->fn,
			 !b->size	      ? "not implemented"
			 : b->size < min_size ? "too small"
			 : d->why[0]	      ? d->why
					      : "could not be mapped");
		return PEER_PAGE_NONE;
	}
	pci_write32(d, PCI_COMMAND, (pci_read32(d, PCI_COMMAND) & 0xffff) | PCI_CMD_MEM);
	p->size = b->size;
	snprintf(p->what, sizeof(p->what), "ivshmem %02x:%02x.%x BAR 2 (%llu KiB)", d->bus, d->dev,
		 d->fn, (unsigned long long)(b->size >> 10));
	return PEER_PAGE_FOUND;
}
