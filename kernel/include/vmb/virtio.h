/*
 * virtio 1.x over PCI (modern devices only: a legacy-only device is
 * refused), split virtqueues, and the block device the I/O benchmarks
 * use. Completion is polled.
 */
#ifndef VMB_VIRTIO_H
#define VMB_VIRTIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vmb/pci.h>

#define VIRTIO_ID_NET 1
#define VIRTIO_ID_BLK 2

#define VIRTIO_F_VERSION_1 (1ull << 32)

#define VIRTQ_DESC_F_NEXT 1
#define VIRTQ_DESC_F_WRITE 2

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
};

struct virtio_dev {
	const struct pci_dev *pci;
	uint64_t common, notify_base, isr, device_cfg;
	uint32_t notify_mul;
	uint64_t features;
};

/* One buffer of a request: device-readable, or written by the device. */
struct virtq_buf {
	void *addr;
	uint32_t len;
	bool device_writes;
};

/* The n-th function of this virtio type on the PCI buses, set up to the
 * point where features are negotiated (wanted: driver features beyond
 * VERSION_1 that it can use). False and why when there is none, it is a
 * legacy-only device, or it refuses the features. */
bool virtio_pci_open(unsigned type, unsigned nth, uint64_t wanted, struct virtio_dev *vd, char *why,
		     size_t why_len);
/* Queue `index`, at most max_size entries. */
bool virtq_setup(struct virtio_dev *vd, struct virtq *q, uint16_t index, uint16_t max_size,
		 char *why, size_t why_len);
void virtio_driver_ok(struct virtio_dev *vd);
/* Mark the device failed and reset it: the image lets it go. */
void virtio_release(struct virtio_dev *vd);
uint8_t virtio_cfg_read8(const struct virtio_dev *vd, unsigned off);
uint32_t virtio_cfg_read32(const struct virtio_dev *vd, unsigned off);
uint64_t virtio_cfg_read64(const struct virtio_dev *vd, unsigned off);

/* Post a chain of n buffers; its head's id, or -1 when the queue is full. */
int virtq_add(struct virtq *q, const struct virtq_buf *bufs, unsigned n);
void virtq_kick(struct virtq *q);
/* A used chain, if any: its head's id and the bytes written; the chain's
 * descriptors are free again. */
bool virtq_get(struct virtq *q, uint16_t *id, uint32_t *len);

/* The virtio-blk device with this serial (VIRTIO_BLK_T_GET_ID): the only
 * one the image writes to. */
struct vblk {
	struct virtio_dev vd;
	struct virtq q;
	uint64_t sectors; /* of 512 bytes */
	char serial[21];
};

#define VBLK_SCRATCH_SERIAL "vmbench-scratch"

bool vblk_open_serial(const char *serial, struct vblk *b, char *why, size_t why_len);
/* One request, not waited for: its id, or -1 when the queue is full. The
 * header and status live in slot `slot` (0..VBLK_SLOTS-1). */
#define VBLK_SLOTS 32
int vblk_submit(struct vblk *b, unsigned slot, bool write, uint64_t sector, void *buf,
		uint32_t len);
/* Poll for one completed request: its slot, and whether it succeeded. */
bool vblk_complete(struct vblk *b, unsigned *slot, bool *ok);
/* Submit, kick and poll one request to completion within timeout_ms. */
bool vblk_sync(struct vblk *b, bool write, uint64_t sector, void *buf, uint32_t len,
	       unsigned timeout_ms, char *why, size_t why_len);

#endif
