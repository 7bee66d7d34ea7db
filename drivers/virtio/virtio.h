/*
 * virtio 1.x over PCI or MMIO (modern devices only: a legacy-only device
 * is refused, saying so), split virtqueues, and the block device the I/O
 * benchmarks use. Completion is polled, or signalled by an MSI-X interrupt
 * where the transport and the architecture have one.
 */
#ifndef VMB_VIRTIO_H
#define VMB_VIRTIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <drivers/pci/pci.h>

#define VIRTIO_ID_NET 1
#define VIRTIO_ID_BLK 2

#define VIRTIO_F_VERSION_1 (1ull << 32)
/* The device's DMA goes through the platform's translation (an IOMMU):
 * offered by a device behind one (QEMU's iommu_platform=on), which
 * refuses FEATURES_OK when the driver declines it. */
#define VIRTIO_F_ACCESS_PLATFORM (1ull << 33)

/* Device status bits (virtio 1.x, 2.1). */
#define VIRTIO_S_ACKNOWLEDGE 1
#define VIRTIO_S_DRIVER 2
#define VIRTIO_S_DRIVER_OK 4
#define VIRTIO_S_FEATURES_OK 8
#define VIRTIO_S_FAILED 128

#define VIRTQ_DESC_F_NEXT 1
#define VIRTQ_DESC_F_WRITE 2
#define VIRTQ_USED_F_NO_NOTIFY 1
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1

struct virtq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

struct virtq_used_elem {
	uint32_t id;
	uint32_t len;
};

/* A split virtqueue: descriptors, the ring the driver fills (avail) and
 * the one the device fills (used), in one block of identity-mapped RAM. */
struct virtq {
	uint16_t index, size;
	volatile struct virtq_desc *desc;
	volatile uint16_t *avail; /* flags, idx, ring[size], used_event */
	volatile uint16_t *used;  /* flags, idx, then ring of virtq_used_elem */
	uint16_t free_head, num_free;
	uint16_t avail_idx, last_used;
	uint64_t notify; /* where a write tells the device */
	bool notify32;	 /* a 32-bit write there (MMIO), else 16-bit (PCI) */
	unsigned irq;	 /* its interrupt once routed (queue_irq), else 0 */
};

struct virtio_dev;

/* What differs between PCI and MMIO: where the registers are. */
struct virtio_transport {
	const char *name; /* "pci", "mmio" */
	uint64_t (*features)(struct virtio_dev *vd);
	void (*set_features)(struct virtio_dev *vd, uint64_t f);
	uint8_t (*status)(struct virtio_dev *vd);
	void (*set_status)(struct virtio_dev *vd, uint8_t s);
	/* The most entries queue `index` takes; 0 when there is no such queue. */
	uint16_t (*queue_max)(struct virtio_dev *vd, uint16_t index);
	/* Hand the device q, its rings placed; sets q->notify. */
	void (*queue_enable)(struct virtio_dev *vd, struct virtq *q);
	uint32_t (*generation)(const struct virtio_dev *vd);
	uint64_t (*cfg_base)(const struct virtio_dev *vd); /* device-specific config */
	/* Have q's used buffers signalled by an interrupt (PCI: an MSI-X
	 * vector, else the function's INTx line; MMIO: the device's line, a
	 * GIC SPI): its number in q->irq, or false and why. */
	bool (*queue_irq)(struct virtio_dev *vd, struct virtq *q, char *why, size_t why_len);
	/* In the handler, before the interrupt completes: lower a level
	 * line (MMIO's InterruptACK, PCI's ISR read); nothing for MSIs. */
	void (*irq_ack)(struct virtio_dev *vd);
	/* Done with q's interrupt: a line is masked and lowered, and q->irq
	 * cleared so that queue_irq routes it again; an MSI stays. */
	void (*irq_release)(struct virtio_dev *vd, struct virtq *q);
};

struct virtio_dev {
	const struct virtio_transport *t;
	const struct pci_dev *pci; /* PCI: the function */
	uint64_t base;		   /* MMIO: the register block */
	unsigned irq;		   /* MMIO: its line (GIC INTID), 0 none */
	char irq_via[40];	   /* its queues' interrupts: "GIC SPI", "MSI-X to GICv3 ITS LPI" */
	unsigned intx;		   /* PCI: its INTx line once its queues use it, else 0 */
	unsigned msi_queues;	   /* PCI: queues with an MSI */
	uint64_t common, notify_base, isr, device_cfg; /* PCI: from its capabilities */
	uint32_t notify_mul;
	struct pci_msix msix; /* PCI: MSI-X, once enabled (entries > 0) */
	uint64_t features;
	char where[32]; /* "pci 00:02.0", "mmio 0xa003e00" */
};

/* One buffer of a request: device-readable, or written by the device. */
struct virtq_buf {
	void *addr;
	uint32_t len;
	bool device_writes;
};

/* The n-th device of this virtio type, PCI ones first, then those the
 * device tree names as virtio-mmio, set up to the point where features are
 * negotiated (wanted: driver features beyond VERSION_1 that it can use).
 * False and why when there is none, it is legacy-only, or it refuses the
 * features. */
bool virtio_open(unsigned type, unsigned nth, uint64_t wanted, struct virtio_dev *vd, char *why,
		 size_t why_len);

/* The transports: the n-th device of this type they hold, its registers
 * located (false when there is no n-th). One that cannot be driven (legacy
 * only) is still found, with vd->t NULL and why saying so. */
/* d is a virtio device of this type (transitional or modern id). */
bool virtio_pci_is_type(const struct pci_dev *d, unsigned type);
bool virtio_pci_find(unsigned type, unsigned nth, struct virtio_dev *vd, char *why, size_t why_len);
bool virtio_mmio_find(unsigned type, unsigned nth, struct virtio_dev *vd, char *why,
		      size_t why_len);
/* The device tree's virtio-mmio slots and their interrupt lines
 * (kernel_main hands them over). */
void virtio_mmio_set_slots(const uint64_t *base, const unsigned *irq, unsigned n);
/* From an interrupt handler: what the transport needs before completion. */
void virtio_irq_ack(struct virtio_dev *vd);
/* For the transports: a ring's address into a register pair, low half
 * first (both transports take 64-bit addresses as two 32-bit writes). */
void virtio_write_addr(uint64_t reg, const volatile void *p);
/* Queue `index`, at most max_size entries. */
bool virtq_setup(struct virtio_dev *vd, struct virtq *q, uint16_t index, uint16_t max_size,
		 char *why, size_t why_len);
void virtio_driver_ok(struct virtio_dev *vd);
/* Mark the device failed and reset it: the image lets it go. */
void virtio_release(struct virtio_dev *vd);
uint64_t virtio_cfg_read64(const struct virtio_dev *vd, unsigned off);
/* len bytes of the device configuration, one byte access each. */
void virtio_cfg_read(const struct virtio_dev *vd, unsigned off, void *buf, unsigned len);

/* Post a chain of n buffers; its head's id, or -1 when the queue is full. */
int virtq_add(struct virtq *q, const struct virtq_buf *bufs, unsigned n);
void virtq_kick(struct virtq *q);
/* Ask the device to interrupt on used buffers, or not (polling). */
void virtq_interrupts(struct virtq *q, bool on);
/* q's used buffers signalled by an interrupt (its number in q->irq, routed
 * once), or false and why; virtq_interrupts switches them on and off. */
bool virtio_queue_irq(struct virtio_dev *vd, struct virtq *q, char *why, size_t why_len);
/* Polled again: no used-buffer interrupts, and a line let go of. */
void virtio_queue_irq_release(struct virtio_dev *vd, struct virtq *q);
/* A used chain, if any: its head's id and the bytes written; the chain's
 * descriptors are free again. */
bool virtq_get(struct virtq *q, uint16_t *id, uint32_t *len);
/* The device has used a chain not yet taken by virtq_get. */
bool virtq_has_used(const struct virtq *q);

/* A virtio-blk device, its serial read (VIRTIO_BLK_T_GET_ID). */
struct vblk {
	struct virtio_dev vd;
	struct virtq q;
	uint64_t sectors; /* of 512 bytes */
	char serial[21];
	bool read_only; /* the device offers VIRTIO_BLK_F_RO: writes fail */
};

/* virtio-blk feature: the device is read-only (virtio 1.x, 5.2.3). */
#define VIRTIO_BLK_F_RO (1ull << 5)

/* The n-th virtio-blk device opened, polled, its serial ("" when it
 * gives none) and size read; VBLK_NONE: there is no n-th; VBLK_UNUSABLE:
 * there is, but it cannot be driven (why). */
enum { VBLK_NONE, VBLK_UNUSABLE, VBLK_OPEN };
int vblk_open(unsigned n, struct vblk *b, char *why, size_t why_len);
/* Reset, left as it was found. */
void vblk_release(struct vblk *b);
/* One request, not waited for: its id, or -1 when the queue is full. The
 * header and status live in slot `slot` (0..VBLK_SLOTS-1). */
#define VBLK_SLOTS 32
int vblk_submit(struct vblk *b, unsigned slot, bool write, uint64_t sector, void *buf,
		uint32_t len);
/* Poll for one completed request: its slot, and whether it succeeded. */
bool vblk_complete(struct vblk *b, unsigned *slot, bool *ok);

/*
 * virtio-net: one receive and one transmit queue, a buffer of VNET_BUF
 * bytes per descriptor (the 12-byte virtio-net header, then the frame),
 * no offloads: the stack computes its own checksums.
 */
#define VNET_HDR 12
#define VNET_BUF 2048
#define VNET_QUEUE 256

struct vnet {
	struct virtio_dev vd;
	struct virtq rx, tx;
	uint8_t mac[6];
	uint8_t *rx_mem, *tx_mem;    /* VNET_QUEUE buffers each */
	uint16_t rx_buf[VNET_QUEUE]; /* descriptor -> buffer */
	uint16_t tx_buf[VNET_QUEUE];
	uint16_t tx_free[VNET_QUEUE], n_tx_free;
	unsigned rx_reposted; /* since the last kick */
	uint64_t rx_frames, tx_frames;
	/* Reference-clock stamps (io_out, io_in): just before the last
	 * frame's doorbell, and when the last received frame was seen. */
	uint64_t tx_ref, rx_ref;
};

/* The first virtio-net device, its queues filled and driver ready. */
bool vnet_open(struct vnet *n, char *why, size_t why_len);
/* Room for the next frame to send (VNET_BUF - VNET_HDR bytes), or NULL
 * while every buffer is in flight. */
void *vnet_tx_buf(struct vnet *n);
/* Send len bytes written into the buffer vnet_tx_buf gave. */
void vnet_tx_send(struct vnet *n, void *frame, uint32_t len);
/* The next received frame, if any, until vnet_rx_done(id). */
const void *vnet_rx_get(struct vnet *n, uint32_t *len, uint16_t *id);
void vnet_rx_done(struct vnet *n, uint16_t id);
/* Tell the device of buffers given back since the last kick. */
void vnet_rx_kick(struct vnet *n);

#endif
