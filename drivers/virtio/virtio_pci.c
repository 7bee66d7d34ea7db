/*
 * The virtio 1.x PCI transport: the vendor capabilities that locate the
 * common, notify, ISR and device configuration in the BARs, reset and
 * feature negotiation, queue set-up. A device without them is legacy
 * only, which this image does not drive.
 */
#include <stdio.h>

#include <arch/mmio.h>
#include <vmb/arch.h>
#include <vmb/mem.h>
#include <vmb/virtio.h>

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
#define C_NUMQ 0x12
#define C_STATUS 0x14
#define C_Q_SELECT 0x16
#define C_Q_SIZE 0x18
#define C_Q_ENABLE 0x1c
#define C_Q_NOFF 0x1e
#define C_Q_DESCLO 0x20
#define C_Q_AVAILLO 0x28
#define C_Q_USEDLO 0x30

#define S_ACKNOWLEDGE 1
#define S_DRIVER 2
#define S_DRIVER_OK 4
#define S_FEATURES_OK 8
#define S_FAILED 128

/* Transitional device ids (0x1000 + type - 1) also carry the modern
 * capabilities; the modern ones are 0x1040 + type. */
static bool is_type(const struct pci_dev *d, unsigned type)
{
	if (d->vendor != VIRTIO_PCI_VENDOR)
		return false;
	return d->device == VIRTIO_PCI_MODERN_BASE + type || d->device == 0x1000 + type - 1;
}

static bool map_bar(const struct pci_dev *d, unsigned bar, uint64_t off, uint32_t len,
		    uint64_t *out)
{
	const struct pci_bar *b = bar < PCI_MAX_BARS ? &d->bar[bar] : NULL;

	if (!b || !b->size || b->io || off > b->size || len > b->size - off || !b->cpu)
		return false;
	if (!arch_map_mmio(b->cpu, b->size))
		return false;
	*out = b->cpu + off;
	return true;
}

static bool find_caps(struct virtio_dev *vd, char *why, size_t why_len)
{
	const struct pci_dev *d = vd->pci;
	bool common = false, notify = false, isr = false, dev = false;

	if (!(pci_read32(d, PCI_COMMAND) & PCI_STATUS_CAPS)) {
		snprintf(why, why_len, "no capability list: a legacy-only virtio device");
		return false;
	}
	unsigned ptr = pci_read32(d, PCI_CAP_PTR) & 0xfc;
	for (unsigned guard = 0; ptr >= 0x40 && guard < 48; guard++) {
		uint32_t w0 = pci_read32(d, ptr);
		if ((w0 & 0xff) == PCI_CAP_ID_VENDOR) {
			unsigned type = w0 >> 24 & 0xff;
			unsigned bar = pci_read32(d, ptr + 4) & 0xff;
			uint32_t off = pci_read32(d, ptr + 8), len = pci_read32(d, ptr + 12);
			switch (type) {
			case CAP_COMMON:
				common = common || map_bar(d, bar, off, len, &vd->common);
				break;
			case CAP_NOTIFY:
				if (!notify && map_bar(d, bar, off, len, &vd->notify_base)) {
					vd->notify_mul = pci_read32(d, ptr + 16);
					notify = true;
				}
				break;
			case CAP_ISR:
				isr = isr || map_bar(d, bar, off, len, &vd->isr);
				break;
			case CAP_DEVICE:
				dev = dev || map_bar(d, bar, off, len, &vd->device_cfg);
				break;
			}
		}
		ptr = w0 >> 8 & 0xfc;
	}
	if (!common || !notify || !isr) {
		snprintf(why, why_len,
			 "%s: no usable virtio 1.x %s capability (legacy-only device, or its BAR "
			 "is not reachable)",
			 "virtio",
			 !common   ? "common"
			 : !notify ? "notify"
				   : "ISR");
		return false;
	}
	(void)dev;
	return true;
}

static void set_status(struct virtio_dev *vd, uint8_t s)
{
	mmio_write8(vd->common + C_STATUS, s);
}

static uint8_t status(struct virtio_dev *vd)
{
	return mmio_read8(vd->common + C_STATUS);
}

bool virtio_pci_open(unsigned type, unsigned nth, uint64_t wanted, struct virtio_dev *vd, char *why,
		     size_t why_len)
{
	const struct pci_bus_scan *s = pci_devices();
	const struct pci_dev *d = NULL;

	for (unsigned i = 0, seen = 0; i < s->ndev && !d; i++)
		if (is_type(&s->dev[i], type) && seen++ == nth)
			d = &s->dev[i];
	if (!d) {
		snprintf(why, why_len, "no virtio device of type %u on PCI (%s)", type,
			 pci_access_name());
		return false;
	}
	*vd = (struct virtio_dev){ .pci = d };
	if (!find_caps(vd, why, why_len))
		return false;
	pci_write32(d, PCI_COMMAND,
		    (pci_read32(d, PCI_COMMAND) & 0xffff) | PCI_CMD_MEM | PCI_CMD_MASTER);

	set_status(vd, 0);
	for (unsigned i = 0; i < 1000000 && status(vd); i++)
		arch_cpu_relax();
	set_status(vd, S_ACKNOWLEDGE);
	set_status(vd, S_ACKNOWLEDGE | S_DRIVER);
	mmio_write32(vd->common + C_DFSELECT, 0);
	uint64_t f = mmio_read32(vd->common + C_DF);
	mmio_write32(vd->common + C_DFSELECT, 1);
	f |= (uint64_t)mmio_read32(vd->common + C_DF) << 32;
	if (!(f & VIRTIO_F_VERSION_1)) {
		snprintf(why, why_len, "device does not offer VIRTIO_F_VERSION_1: legacy only");
		set_status(vd, S_FAILED);
		return false;
	}
	vd->features = f & (wanted | VIRTIO_F_VERSION_1);
	mmio_write32(vd->common + C_GFSELECT, 0);
	mmio_write32(vd->common + C_GF, (uint32_t)vd->features);
	mmio_write32(vd->common + C_GFSELECT, 1);
	mmio_write32(vd->common + C_GF, (uint32_t)(vd->features >> 32));
	set_status(vd, S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK);
	if (!(status(vd) & S_FEATURES_OK)) {
		snprintf(why, why_len, "device refused the features %#llx",
			 (unsigned long long)vd->features);
		set_status(vd, S_FAILED);
		return false;
	}
	return true;
}

bool virtq_setup(struct virtio_dev *vd, struct virtq *q, uint16_t index, uint16_t max_size,
		 char *why, size_t why_len)
{
	if (index >= mmio_read16(vd->common + C_NUMQ)) {
		snprintf(why, why_len, "device has no queue %u", index);
		return false;
	}
	mmio_write16(vd->common + C_Q_SELECT, index);
	uint16_t size = mmio_read16(vd->common + C_Q_SIZE);
	if (!size) {
		snprintf(why, why_len, "queue %u is not available", index);
		return false;
	}
	while (size > max_size)
		size /= 2; /* split queues need not be a power of two, ours are */
	/* desc 16*n, avail 6+2n, used 6+8n: one page-aligned block. */
	size_t bytes = 16u * size + 6u + 2u * size + 4096 + 6u + 8u * size;
	uint8_t *mem = mem_alloc_pages((bytes + 4095) / 4096);
	if (!mem) {
		snprintf(why, why_len, "no memory for queue %u", index);
		return false;
	}
	for (size_t i = 0; i < (bytes + 4095) / 4096 * 4096; i++)
		mem[i] = 0;
	*q = (struct virtq){
		.index = index,
		.size = size,
		.desc = (volatile struct virtq_desc *)mem,
		.avail = (volatile uint16_t *)(mem + 16u * size),
		.used = (volatile uint16_t *)(mem +
					      ((16u * size + 6u + 2u * size + 4095) & ~4095u)),
		.num_free = size,
	};
	for (uint16_t i = 0; i < size; i++)
		q->desc[i].next = (uint16_t)(i + 1);
	mmio_write16(vd->common + C_Q_SIZE, size);
	mmio_write32(vd->common + C_Q_DESCLO, (uint32_t)(uintptr_t)q->desc);
	mmio_write32(vd->common + C_Q_DESCLO + 4, (uint32_t)((uint64_t)(uintptr_t)q->desc >> 32));
	mmio_write32(vd->common + C_Q_AVAILLO, (uint32_t)(uintptr_t)q->avail);
	mmio_write32(vd->common + C_Q_AVAILLO + 4, (uint32_t)((uint64_t)(uintptr_t)q->avail >> 32));
	mmio_write32(vd->common + C_Q_USEDLO, (uint32_t)(uintptr_t)q->used);
	mmio_write32(vd->common + C_Q_USEDLO + 4, (uint32_t)((uint64_t)(uintptr_t)q->used >> 32));
	q->notify = vd->notify_base + (uint64_t)mmio_read16(vd->common + C_Q_NOFF) * vd->notify_mul;
	mmio_write16(vd->common + C_Q_ENABLE, 1);
	return true;
}

void virtq_kick(struct virtq *q)
{
	/* The avail index before the doorbell; the doorbell is device memory. */
	dma_mb();
	mmio_write16(q->notify, q->index);
}

void virtio_driver_ok(struct virtio_dev *vd)
{
	set_status(vd, S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK);
}

void virtio_release(struct virtio_dev *vd)
{
	if (vd->common)
		set_status(vd, 0);
}

uint8_t virtio_cfg_read8(const struct virtio_dev *vd, unsigned off)
{
	return mmio_read8(vd->device_cfg + off);
}

uint32_t virtio_cfg_read32(const struct virtio_dev *vd, unsigned off)
{
	return mmio_read32(vd->device_cfg + off);
}

uint64_t virtio_cfg_read64(const struct virtio_dev *vd, unsigned off)
{
	/* Two halves, as the spec allows; retried if the generation moved. */
	uint32_t lo, hi;
	uint8_t gen;

	do {
		gen = mmio_read8(vd->common + 0x15);
		lo = mmio_read32(vd->device_cfg + off);
		hi = mmio_read32(vd->device_cfg + off + 4);
	} while (gen != mmio_read8(vd->common + 0x15));
	return (uint64_t)hi << 32 | lo;
}
