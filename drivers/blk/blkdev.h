/*
 * A block device the benchmarks may write to: what virtio-blk and Xen's
 * blkfront each provide, so that the block benchmarks run over either
 * unchanged. Only a disk marked as scratch is ever opened for them: a
 * virtio disk by its serial (VBLK_SCRATCH_SERIAL), any other by the mark
 * tools/mark-scratch writes at its start (BLKDEV_MARK), which the
 * benchmarks then leave in place.
 */
#ifndef DRIVERS_BLKDEV_H
#define DRIVERS_BLKDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BLKDEV_SECTOR 512u
/* Requests in flight at once, each in its own slot. */
#define BLKDEV_SLOTS 32
/* The scratch mark: these bytes at the start of sector 0, written by
 * tools/mark-scratch; the first BLKDEV_MARK_KEEP bytes of such a disk
 * are never written by the image. */
#define BLKDEV_MARK "vmbench-scratch\n"
#define BLKDEV_MARK_KEEP (1u << 20)

struct blkdev;

struct blkdev_ops {
	/* One request, not waited for, in slot (0..BLKDEV_SLOTS-1): false
	 * while the device has no room for it. */
	bool (*submit)(struct blkdev *d, unsigned slot, bool write, uint64_t sector, void *buf,
		       uint32_t len);
	/* Tell the device of the requests submitted since the last kick. */
	void (*kick)(struct blkdev *d);
	/* One completed request, if any: its slot and whether it succeeded. */
	bool (*complete)(struct blkdev *d, unsigned *slot, bool *ok);
	/* Completions signalled by an interrupt: its number (how it comes in
	 * irq_via), or false and why. on: the device interrupts; off: polled
	 * again, the source let go of. */
	bool (*irq)(struct blkdev *d, unsigned *irq, char *why, size_t why_len);
	void (*irq_on)(struct blkdev *d, bool on);
	/* In the handler, before the interrupt completes. */
	void (*irq_ack)(struct blkdev *d);
	/* What the interrupt's source shows when one did not come (pending
	 * and mask bits, ring indices); NULL: nothing to add. */
	void (*irq_state)(struct blkdev *d, char *out, size_t len);
	/* Let the device go (a Xen backend is told); NULL: nothing to do. */
	void (*close)(struct blkdev *d);
};

struct blkdev {
	const struct blkdev_ops *ops;
	char where[64];	  /* "virtio-blk (pci 00:04.0)", "blkfront (vbd 51712, backend d0)" */
	char path[64];	  /* how requests travel, for a result's call */
	char irq_via[64]; /* once routed: "MSI-X to local APIC vector", ... */
	uint64_t sectors;
	uint64_t first_sector; /* the first the benchmarks may write */
	bool read_only;
	char read_only_why[48]; /* "the device offers VIRTIO_BLK_F_RO" */
};

/* The scratch disk: a virtio-blk disk with the scratch serial, else the
 * first Xen vbd that carries the mark; the others are left alone. False
 * and why otherwise; found says a scratch disk was there (and failed). */
bool blkdev_open_scratch(struct blkdev *d, bool *found, char *why, size_t why_len);
/* The kinds, as blkdev_open_scratch tries them (same contract). */
bool blkdev_virtio_open(struct blkdev *d, bool *found, char *why, size_t why_len);
bool blkfront_open_scratch(struct blkdev *d, bool *found, char *why, size_t why_len);

/* Poll until one request completes: false after timeout_ms. */
bool blkdev_wait(struct blkdev *d, unsigned timeout_ms, unsigned *slot, bool *ok);
/* Submit, kick and poll one request to completion within timeout_ms. */
bool blkdev_sync(struct blkdev *d, bool write, uint64_t sector, void *buf, uint32_t len,
		 unsigned timeout_ms, char *why, size_t why_len);
/* Sector 0 starts with BLKDEV_MARK (plain C, tested on the host). */
bool blkdev_is_marked(const void *sector0);
/* At the end of the run: the scratch disk let go of. */
void blkdev_close_all(void);

#endif
