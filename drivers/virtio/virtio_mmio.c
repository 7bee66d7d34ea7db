/*
 * The virtio-mmio transport (version 2, virtio 1.x), in the slots the
 * device tree names: QEMU's virt machine (32 of them, most empty),
 * Firecracker, kvmtool. A version 1 (legacy) device is refused; QEMU's
 * are legacy unless started with -global virtio-mmio.force-legacy=false.
 */
#include <stdio.h>

#include <arch/mmio.h>
#include <vmb/arch.h>
#include <vmb/irq.h>
#include <drivers/virtio/virtio.h>

#define MAGIC 0x74726976 /* "virt" */
#define R_MAGIC 0x000
#define R_VERSION 0x004
#define R_DEVICE_ID 0x008
#define R_DEV_FEATURES 0x010
#define R_DEV_FEATURES_SEL 0x014
#define R_DRV_FEATURES 0x020
#define R_DRV_FEATURES_SEL 0x024
#define R_QUEUE_SEL 0x030
#define R_QUEUE_NUM_MAX 0x034
#define R_QUEUE_NUM 0x038
#define R_QUEUE_READY 0x044
#define R_QUEUE_NOTIFY 0x050
#define R_INT_STATUS 0x060
#define R_INT_ACK 0x064
#define R_STATUS 0x070
#define R_QUEUE_DESC 0x080
#define R_QUEUE_DRIVER 0x090
#define R_QUEUE_DEVICE 0x0a0
#define R_GENERATION 0x0fc
#define R_CONFIG 0x100
#define SLOT_SIZE 0x200

static const uint64_t *slots;
static const unsigned *slot_irq;
static unsigned n_slots;

void virtio_mmio_set_slots(const uint64_t *base, const unsigned *irq, unsigned n)
{
	slots = base;
	slot_irq = irq;
	n_slots = n;
}

static uint32_t rd(struct virtio_dev *vd, unsigned reg)
{
	return mmio_read32(vd->base + reg);
}

static void wr(struct virtio_dev *vd, unsigned reg, uint32_t v)
{
	mmio_write32(vd->base + reg, v);
}

static uint64_t mmio_features(struct virtio_dev *vd)
{
	wr(vd, R_DEV_FEATURES_SEL, 0);
	uint64_t f = rd(vd, R_DEV_FEATURES);
	wr(vd, R_DEV_FEATURES_SEL, 1);
	return f | (uint64_t)rd(vd, R_DEV_FEATURES) << 32;
}

static void mmio_set_features(struct virtio_dev *vd, uint64_t f)
{
	wr(vd, R_DRV_FEATURES_SEL, 0);
	wr(vd, R_DRV_FEATURES, (uint32_t)f);
	wr(vd, R_DRV_FEATURES_SEL, 1);
	wr(vd, R_DRV_FEATURES, (uint32_t)(f >> 32));
}

static uint8_t mmio_status(struct virtio_dev *vd)
{
	return (uint8_t)rd(vd, R_STATUS);
}

static void mmio_set_status(struct virtio_dev *vd, uint8_t s)
{
	wr(vd, R_STATUS, s);
}

static uint16_t mmio_queue_max(struct virtio_dev *vd, uint16_t index)
{
	wr(vd, R_QUEUE_SEL, index);
	if (rd(vd, R_QUEUE_READY))
		return 0;
	uint32_t max = rd(vd, R_QUEUE_NUM_MAX);
	return max > 0xffff ? 0xffff : (uint16_t)max;
}

static void mmio_queue_enable(struct virtio_dev *vd, struct virtq *q)
{
	wr(vd, R_QUEUE_SEL, q->index);
	wr(vd, R_QUEUE_NUM, q->size);
	virtio_write_addr(vd->base + R_QUEUE_DESC, q->desc);
	virtio_write_addr(vd->base + R_QUEUE_DRIVER, q->avail);
	virtio_write_addr(vd->base + R_QUEUE_DEVICE, q->used);
	q->notify = vd->base + R_QUEUE_NOTIFY;
	q->notify32 = true;
	wr(vd, R_QUEUE_READY, 1);
}

static uint32_t mmio_generation(const struct virtio_dev *vd)
{
	return mmio_read32(vd->base + R_GENERATION);
}

static uint64_t mmio_cfg_base(const struct virtio_dev *vd)
{
	return vd->base + R_CONFIG;
}

/* The device's one line, a GIC SPI from the device tree, for all its
 * queues; level-triggered in QEMU until InterruptACK. */
static bool mmio_queue_irq(struct virtio_dev *vd, struct virtq *q, char *why, size_t why_len)
{
	if (!vd->irq || vd->irq < 32 || !irqchip) {
		snprintf(why, why_len, "%s: %s", vd->where,
			 !irqchip ? "no interrupt controller"
				  : "the device tree gives it no SPI the image understands");
		return false;
	}
	q->irq = vd->irq;
	irq_mark_level(vd->irq);
	snprintf(vd->irq_via, sizeof(vd->irq_via), "GIC SPI");
	irqchip->enable(vd->irq, true);
	return true;
}

static void mmio_irq_ack(struct virtio_dev *vd)
{
	wr(vd, R_INT_ACK, rd(vd, R_INT_STATUS));
}

static void mmio_irq_release(struct virtio_dev *vd, struct virtq *q)
{
	irqchip->enable(vd->irq, false);
	mmio_irq_ack(vd);
	q->irq = 0;
}

static const struct virtio_transport mmio_transport = {
	.name = "mmio",
	.features = mmio_features,
	.set_features = mmio_set_features,
	.status = mmio_status,
	.set_status = mmio_set_status,
	.queue_max = mmio_queue_max,
	.queue_enable = mmio_queue_enable,
	.generation = mmio_generation,
	.cfg_base = mmio_cfg_base,
	.queue_irq = mmio_queue_irq,
	.irq_ack = mmio_irq_ack,
	.irq_release = mmio_irq_release,
};

bool virtio_mmio_find(unsigned type, unsigned nth, struct virtio_dev *vd, char *why, size_t why_len)
{
	for (unsigned i = 0, seen = 0; i < n_slots; i++) {
		struct virtio_dev probe = { .base = slots[i], .irq = slot_irq ? slot_irq[i] : 0 };
		if (!arch_map_mmio(probe.base, SLOT_SIZE) || rd(&probe, R_MAGIC) != MAGIC ||
		    rd(&probe, R_DEVICE_ID) != type || seen++ != nth)
			continue;
		*vd = probe;
		snprintf(vd->where, sizeof(vd->where), "mmio %#llx", (unsigned long long)vd->base);
		if (rd(vd, R_VERSION) != 2) {
			snprintf(why, why_len,
				 "%s: virtio-mmio version %u, a legacy device (QEMU: "
				 "-global virtio-mmio.force-legacy=false)",
				 vd->where, rd(vd, R_VERSION));
			return true; /* found, not drivable */
		}
		vd->t = &mmio_transport;
		return true;
	}
	return false;
}
