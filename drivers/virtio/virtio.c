/*
 * virtio, whatever the transport: finding a device of a type, the status
 * handshake and feature negotiation, queue memory, the doorbell, and the
 * device-specific configuration read consistently.
 */
#include <stdio.h>
#include <string.h>

#include <arch/mmio.h>
#include <vmb/arch.h>
#include <vmb/mem.h>
#include <drivers/virtio/virtio.h>

#define RESET_SPINS 1000000

/* The nth device of a type over both transports: PCI's count first,
 * counted on a scratch copy so that vd holds only the one found. */
static bool find(unsigned type, unsigned nth, struct virtio_dev *vd, char *why, size_t why_len)
{
	struct virtio_dev scratch;
	char ignored[8];
	unsigned on_pci = 0;

	while (on_pci <= nth && virtio_pci_find(type, on_pci, &scratch, ignored, sizeof(ignored)))
		on_pci++;
	if (nth < on_pci)
		return virtio_pci_find(type, nth, vd, why, why_len);
	return virtio_mmio_find(type, nth - on_pci, vd, why, why_len);
}

bool virtio_open(unsigned type, unsigned nth, uint64_t wanted, struct virtio_dev *vd, char *why,
		 size_t why_len)
{
	why[0] = 0;
	memset(vd, 0, sizeof(*vd));
	if (!find(type, nth, vd, why, why_len)) {
		if (!why[0])
			snprintf(why, why_len, "no virtio device of type %u (PCI: %s; %s)", type,
				 pci_access_name(), "virtio-mmio slots from the device tree");
		return false;
	}
	const struct virtio_transport *t = vd->t;
	if (!t) /* found, but not drivable: why says so */
		return false;
	t->set_status(vd, 0);
	for (unsigned i = 0; i < RESET_SPINS && t->status(vd); i++)
		arch_cpu_relax();
	t->set_status(vd, VIRTIO_S_ACKNOWLEDGE);
	t->set_status(vd, VIRTIO_S_ACKNOWLEDGE | VIRTIO_S_DRIVER);
	uint64_t offered = t->features(vd);
	if (!(offered & VIRTIO_F_VERSION_1)) {
		snprintf(why, why_len, "%s: no VIRTIO_F_VERSION_1 offered: legacy only", vd->where);
		t->set_status(vd, VIRTIO_S_FAILED);
		return false;
	}
	/* ACCESS_PLATFORM: the addresses the image gives are physical ones,
	 * which is what the platform's translation expects here: the image
	 * programs no IOMMU, and a device assigned to a KVM guest through
	 * VFIO is translated by the host's IOMMU from the guest's physical
	 * addresses (docs/lab.md, "Device assignment"). */
	vd->features = offered & (wanted | VIRTIO_F_VERSION_1 | VIRTIO_F_ACCESS_PLATFORM);
	t->set_features(vd, vd->features);
	t->set_status(vd, VIRTIO_S_ACKNOWLEDGE | VIRTIO_S_DRIVER | VIRTIO_S_FEATURES_OK);
	if (!(t->status(vd) & VIRTIO_S_FEATURES_OK)) {
		snprintf(why, why_len, "%s: the device refused the features %#llx", vd->where,
			 (unsigned long long)vd->features);
		t->set_status(vd, VIRTIO_S_FAILED);
		return false;
	}
	return true;
}

bool virtq_setup(struct virtio_dev *vd, struct virtq *q, uint16_t index, uint16_t max_size,
		 char *why, size_t why_len)
{
	uint16_t size = vd->t->queue_max(vd, index);

	if (!size) {
		snprintf(why, why_len, "%s: no queue %u", vd->where, index);
		return false;
	}
	while (size > max_size)
		size /= 2;
	/* desc 16n, avail 6+2n, then used 6+8n on its own page. */
	size_t used_at = (16u * size + 6u + 2u * size + 4095) & ~(size_t)4095;
	size_t pages = (used_at + 6u + 8u * size + 4095) / 4096;
	uint8_t *mem = mem_alloc_pages(pages);
	if (!mem) {
		snprintf(why, why_len, "%s: no memory for queue %u", vd->where, index);
		return false;
	}
	memset(mem, 0, pages * 4096);
	*q = (struct virtq){
		.index = index,
		.size = size,
		.desc = (volatile struct virtq_desc *)mem,
		.avail = (volatile uint16_t *)(mem + 16u * size),
		.used = (volatile uint16_t *)(mem + used_at),
		.num_free = size,
	};
	for (uint16_t i = 0; i < size; i++)
		q->desc[i].next = (uint16_t)(i + 1);
	vd->t->queue_enable(vd, q);
	return true;
}

void virtq_kick(struct virtq *q)
{
	/* The avail index before the doorbell; the doorbell is device memory. */
	dma_mb();
	/* A device busy with the queue says it needs no doorbell: each one
	 * is a trap under a hypervisor (QEMU's virtio-net transmits from a
	 * bottom half with notifications off meanwhile). Read after the index
	 * is published, so a device that just finished sees it or is told. */
	if (q->used[0] & VIRTQ_USED_F_NO_NOTIFY)
		return;
	if (q->notify32)
		mmio_write32(q->notify, q->index);
	else
		mmio_write16(q->notify, q->index);
}

void virtio_write_addr(uint64_t reg, const volatile void *p)
{
	uint64_t a = (uint64_t)(uintptr_t)p;

	mmio_write32(reg, (uint32_t)a);
	mmio_write32(reg + 4, (uint32_t)(a >> 32));
}

void virtio_driver_ok(struct virtio_dev *vd)
{
	vd->t->set_status(vd, VIRTIO_S_ACKNOWLEDGE | VIRTIO_S_DRIVER | VIRTIO_S_FEATURES_OK |
				      VIRTIO_S_DRIVER_OK);
}

void virtio_release(struct virtio_dev *vd)
{
	if (vd->t)
		vd->t->set_status(vd, 0);
}

/* A PCI device may lack the device configuration capability: reads of
 * a configuration it does not have give 0. */
uint64_t virtio_cfg_read64(const struct virtio_dev *vd, unsigned off)
{
	uint64_t base = vd->t->cfg_base(vd);
	uint32_t lo, hi, gen;

	if (!base)
		return 0;
	/* Two halves, as the spec allows: again if the generation moved. */
	do {
		gen = vd->t->generation(vd);
		lo = mmio_read32(base + off);
		hi = mmio_read32(base + off + 4);
	} while (gen != vd->t->generation(vd));
	return (uint64_t)hi << 32 | lo;
}

void virtio_cfg_read(const struct virtio_dev *vd, unsigned off, void *buf, unsigned len)
{
	uint64_t base = vd->t->cfg_base(vd);
	uint8_t *out = buf;
	uint32_t gen;

	if (!base) {
		for (unsigned i = 0; i < len; i++)
			out[i] = 0;
		return;
	}
	do {
		gen = vd->t->generation(vd);
		for (unsigned i = 0; i < len; i++)
			out[i] = mmio_read8(base + off + i);
	} while (gen != vd->t->generation(vd));
}

void virtio_irq_ack(struct virtio_dev *vd)
{
	if (vd->t && vd->t->irq_ack)
		vd->t->irq_ack(vd);
}

bool virtio_queue_irq(struct virtio_dev *vd, struct virtq *q, char *why, size_t why_len)
{
	return q->irq || vd->t->queue_irq(vd, q, why, why_len);
}

void virtio_queue_irq_release(struct virtio_dev *vd, struct virtq *q)
{
	virtq_interrupts(q, false);
	if (q->irq && vd->t->irq_release)
		vd->t->irq_release(vd, q);
}
