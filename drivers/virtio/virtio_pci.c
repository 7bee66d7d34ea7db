/*
 * The virtio 1.x PCI transport: vendor capabilities locate the common,
 * notify, ISR and device configuration in the BARs. A function without
 * them is legacy-only, which this image does not drive.
 */
#include <stdio.h>

#include <arch/mmio.h>
#include <vmb/arch.h>
#include <vmb/irq.h>
#include <vmb/report.h>
#include <drivers/virtio/virtio.h>

#define PCI_CAP_ID_VENDOR 0x09
#define VIRTIO_PCI_VENDOR 0x1af4
#define VIRTIO_PCI_MODERN_BASE 0x1040

#define CAP_COMMON 1
#define CAP_NOTIFY 2
#define CAP_ISR 3
#define CAP_DEVICE 4

/* Common configuration registers. */
#define C_DFSELECT 0x00
#define C_DF 0x04
#define C_GFSELECT 0x08
#define C_GF 0x0c
#define C_MSIX_CONFIG 0x10
#define C_NUMQ 0x12
#define C_STATUS 0x14
#define C_GENERATION 0x15
#define C_Q_SELECT 0x16
#define C_Q_SIZE 0x18
#define C_Q_ENABLE 0x1c
#define C_Q_MSIX 0x1a
#define C_Q_NOFF 0x1e
#define NO_VECTOR 0xffff
#define C_Q_DESC 0x20
#define C_Q_AVAIL 0x28
#define C_Q_USED 0x30

/* Transitional device ids (0x1000 + type - 1) also carry the modern
 * capabilities; the modern ones are 0x1040 + type. */
bool virtio_pci_is_type(const struct pci_dev *d, unsigned type)
{
	if (d->vendor != VIRTIO_PCI_VENDOR)
		return false;
	return d->device == VIRTIO_PCI_MODERN_BASE + type || d->device == 0x1000 + type - 1;
}

static bool find_caps(struct virtio_dev *vd, char *why, size_t why_len)
{
	const struct pci_dev *d = vd->pci;
	bool common = false, notify = false, isr = false;

	if (!(pci_read32(d, PCI_COMMAND) & PCI_STATUS_CAPS)) {
		snprintf(why, why_len, "%s: no capability list: a legacy-only virtio device",
			 vd->where);
		return false;
	}
	/* Every vendor capability; a list that loops is cut off. */
	unsigned ptr = pci_find_cap(d, PCI_CAP_ID_VENDOR, 0);
	for (unsigned n = 0; ptr && n < 48; n++, ptr = pci_find_cap(d, PCI_CAP_ID_VENDOR, ptr)) {
		unsigned bar = pci_read32(d, ptr + 4) & 0xff;
		uint32_t off = pci_read32(d, ptr + 8), len = pci_read32(d, ptr + 12);
		switch (pci_read32(d, ptr) >> 24 & 0xff) {
		case CAP_COMMON:
			common = common || pci_bar_map(d, bar, off, len, &vd->common);
			break;
		case CAP_NOTIFY:
			if (!notify && pci_bar_map(d, bar, off, len, &vd->notify_base)) {
				vd->notify_mul = pci_read32(d, ptr + 16);
				notify = true;
			}
			break;
		case CAP_ISR:
			isr = isr || pci_bar_map(d, bar, off, len, &vd->isr);
			break;
		case CAP_DEVICE:
			pci_bar_map(d, bar, off, len, &vd->device_cfg);
			break;
		}
	}
	if (!common || !notify || !isr) {
		snprintf(why, why_len,
			 "%s: no usable virtio 1.x %s capability (a legacy-only device, or its BAR "
			 "is not reachable)",
			 vd->where,
			 !common   ? "common"
			 : !notify ? "notify"
				   : "ISR");
		return false;
	}
	return true;
}

static uint64_t pci_features(struct virtio_dev *vd)
{
	mmio_write32(vd->common + C_DFSELECT, 0);
	uint64_t f = mmio_read32(vd->common + C_DF);
	mmio_write32(vd->common + C_DFSELECT, 1);
	return f | (uint64_t)mmio_read32(vd->common + C_DF) << 32;
}

static void pci_set_features(struct virtio_dev *vd, uint64_t f)
{
	mmio_write32(vd->common + C_GFSELECT, 0);
	mmio_write32(vd->common + C_GF, (uint32_t)f);
	mmio_write32(vd->common + C_GFSELECT, 1);
	mmio_write32(vd->common + C_GF, (uint32_t)(f >> 32));
}

static uint8_t pci_status(struct virtio_dev *vd)
{
	return mmio_read8(vd->common + C_STATUS);
}

static void pci_set_status(struct virtio_dev *vd, uint8_t s)
{
	mmio_write8(vd->common + C_STATUS, s);
}

static uint16_t pci_queue_max(struct virtio_dev *vd, uint16_t index)
{
	if (index >= mmio_read16(vd->common + C_NUMQ))
		return 0;
	mmio_write16(vd->common + C_Q_SELECT, index);
	return mmio_read16(vd->common + C_Q_SIZE);
}

static void pci_queue_enable(struct virtio_dev *vd, struct virtq *q)
{
	mmio_write16(vd->common + C_Q_SELECT, q->index);
	mmio_write16(vd->common + C_Q_SIZE, q->size);
	virtio_write_addr(vd->common + C_Q_DESC, q->desc);
	virtio_write_addr(vd->common + C_Q_AVAIL, q->avail);
	virtio_write_addr(vd->common + C_Q_USED, q->used);
	q->notify = vd->notify_base + (uint64_t)mmio_read16(vd->common + C_Q_NOFF) * vd->notify_mul;
	q->notify32 = false;
	mmio_write16(vd->common + C_Q_ENABLE, 1);
}

static uint32_t pci_generation(const struct virtio_dev *vd)
{
	return mmio_read8(vd->common + C_GENERATION);
}

static uint64_t pci_cfg_base(const struct virtio_dev *vd)
{
	return vd->device_cfg;
}

/* Each queue its own MSI-X entry (its index) and interrupt. */
static bool pci_queue_msi(struct virtio_dev *vd, struct virtq *q, char *why, size_t why_len)
{
	const struct pci_dev *d = vd->pci;
	struct msi_route r;

	if (!vd->msix.entries && !pci_msix_enable(vd->pci, &vd->msix, why, why_len))
		return false;
	if (q->index >= vd->msix.entries) {
		snprintf(why, why_len, "%s: %u MSI-X entries, none for queue %u", vd->where,
			 vd->msix.entries, q->index);
		return false;
	}
	if (!arch_msi_route(pci_rid(d), q->index, &r, why, why_len))
		return false;
	pci_msix_set(&vd->msix, q->index, r.addr, r.data);
	mmio_write16(vd->common + C_MSIX_CONFIG, NO_VECTOR);
	mmio_write16(vd->common + C_Q_SELECT, q->index);
	mmio_write16(vd->common + C_Q_MSIX, q->index);
	if (mmio_read16(vd->common + C_Q_MSIX) != q->index) {
		snprintf(why, why_len, "%s refused MSI-X entry %u for queue %u", vd->where,
			 q->index, q->index);
		return false;
	}
	q->irq = r.irq;
	vd->msi_queues++;
	snprintf(vd->irq_via, sizeof(vd->irq_via), "MSI-X to %s", r.via);
	return true;
}

/* INTx lines in use, and by which device: a line the registry gives one
 * handler cannot serve two. */
#define MAX_LINES 8
static struct {
	unsigned line;
	const struct virtio_dev *vd;
} lines[MAX_LINES];

static bool claim_line(const struct virtio_dev *vd, unsigned line, char *why, size_t why_len)
{
	unsigned free_slot = MAX_LINES;

	for (unsigned i = 0; i < MAX_LINES; i++) {
		if (lines[i].line == line && lines[i].vd != vd) {
			snprintf(why, why_len, "INTx line %u is %s's too", line,
				 lines[i].vd->where);
			return false;
		}
		if (lines[i].line == line)
			return true;
		if (!lines[i].line && free_slot == MAX_LINES)
			free_slot = i;
	}
	if (free_slot == MAX_LINES) {
		snprintf(why, why_len, "more than %u INTx lines", MAX_LINES);
		return false;
	}
	lines[free_slot].line = line;
	lines[free_slot].vd = vd;
	return true;
}

/* Without MSIs (none before on this device): the function's one INTx
 * line for all its queues, lowered by reading the ISR status. */
static bool pci_queue_intx(struct virtio_dev *vd, struct virtq *q, char *why, size_t why_len)
{
	unsigned irq = vd->intx;

	if (vd->msi_queues) {
		snprintf(why, why_len, "%s: its other queues have MSIs", vd->where);
		return false;
	}
	if (!irq) {
		pci_msix_disable(vd->pci, &vd->msix);
		if (!pci_intx_line(vd->pci, &irq, why, why_len))
			return false;
	}
	if (!claim_line(vd, irq, why, why_len) || !arch_line_route(irq, why, why_len))
		return false;
	vd->intx = irq;
	q->irq = irq;
	snprintf(vd->irq_via, sizeof(vd->irq_via), "INTx line");
	return true;
}

static bool pci_queue_irq(struct virtio_dev *vd, struct virtq *q, char *why, size_t why_len)
{
	char msi_why[160], intx_why[160];

	if (vd->intx)
		return pci_queue_intx(vd, q, why, why_len);
	if (pci_queue_msi(vd, q, msi_why, sizeof(msi_why)))
		return true;
	if (!pci_queue_intx(vd, q, intx_why, sizeof(intx_why))) {
		snprintf(why, why_len, "no MSI (%s); no INTx (%s)", msi_why, intx_why);
		return false;
	}
	report_info("%s: no MSI (%s); its queues signal by INTx line %u", vd->where, msi_why,
		    vd->intx);
	return true;
}

static void pci_irq_ack(struct virtio_dev *vd)
{
	if (vd->intx)
		(void)mmio_read8(vd->isr); /* reading it lowers the line */
}

static void pci_irq_release(struct virtio_dev *vd, struct virtq *q)
{
	if (!vd->intx)
		return; /* MSIs stay routed */
	irqchip->enable(vd->intx, false);
	pci_irq_ack(vd);
	q->irq = 0;
}

static const struct virtio_transport pci_transport = {
	.name = "pci",
	.features = pci_features,
	.set_features = pci_set_features,
	.status = pci_status,
	.set_status = pci_set_status,
	.queue_max = pci_queue_max,
	.queue_enable = pci_queue_enable,
	.generation = pci_generation,
	.cfg_base = pci_cfg_base,
	.queue_irq = pci_queue_irq,
	.irq_ack = pci_irq_ack,
	.irq_release = pci_irq_release,
};

bool virtio_pci_find(unsigned type, unsigned nth, struct virtio_dev *vd, char *why, size_t why_len)
{
	const struct pci_bus_scan *s = pci_devices();
	const struct pci_dev *d = NULL;

	for (unsigned i = 0, seen = 0; i < s->ndev && !d; i++)
		if (virtio_pci_is_type(&s->dev[i], type) && seen++ == nth)
			d = &s->dev[i];
	if (!d)
		return false;
	*vd = (struct virtio_dev){ .pci = d };
	snprintf(vd->where, sizeof(vd->where), "pci %02x:%02x.%u", d->bus, d->dev, d->fn);
	if (!find_caps(vd, why, why_len))
		return true; /* found, not drivable: t stays NULL */
	pci_write32(d, PCI_COMMAND,
		    (pci_read32(d, PCI_COMMAND) & 0xffff) | PCI_CMD_MEM | PCI_CMD_MASTER);
	vd->t = &pci_transport;
	return true;
}
