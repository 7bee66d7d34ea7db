/*
 * A block device the benchmarks may write to: what each kind of disk
 * (virtio-blk, Xen's blkfront, the others blkdev.c lists) provides, so
 * that the block benchmarks run over any of them unchanged. Only a disk
 * marked as scratch is ever opened for them: by its serial
 * (BLKDEV_SCRATCH_SERIAL, which QEMU's serial= sets for virtio, NVMe and
 * SATA disks), or by the mark tools/mark-scratch writes at its start
 * (BLKDEV_MARK), which the benchmarks then leave in place. Every other
 * disk is read at most, never written (blkdev_scratch_rule).
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
/* How long a disk may take to give its first sector when looking for the
 * mark: one that does not answer is named and left alone. */
#define BLKDEV_MARK_READ_MS 2000
/* The device serial that makes a whole disk scratch. */
#define BLKDEV_SCRATCH_SERIAL "vmbench-scratch"

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

struct pci_dev;

/* A kind of disk (blkdev.c lists them in the order they are tried).
 * open_scratch: its first scratch disk (blkdev_scratch_rule), the others
 * left alone; false and why otherwise, found saying a scratch disk was
 * there (and failed). drives: whether the kind drives this PCI function
 * (NULL: not a PCI kind), so that the functions nobody drives can be
 * named. */
struct blkdev_kind {
	const char *name;
	bool (*open_scratch)(struct blkdev *d, bool *found, char *why, size_t why_len);
	bool (*drives)(const struct pci_dev *f);
};

/* The scratch disk of the first kind that has one (same contract); when
 * there is none, why names the storage functions without a driver. */
bool blkdev_open_scratch(struct blkdev *d, bool *found, char *why, size_t why_len);
bool blkdev_virtio_open(struct blkdev *d, bool *found, char *why, size_t why_len);
bool blkdev_virtio_drives(const struct pci_dev *f);
bool blkdev_nvme_open(struct blkdev *d, bool *found, char *why, size_t why_len);
bool blkdev_nvme_drives(const struct pci_dev *f);
bool blkdev_ahci_open(struct blkdev *d, bool *found, char *why, size_t why_len);
bool blkdev_ahci_drives(const struct pci_dev *f);
bool blkfront_open_scratch(struct blkdev *d, bool *found, char *why, size_t why_len);

/* The scratch rule, for a disk whose serial (as the device gives it,
 * padded with spaces or NULs to serial_len; NULL: none) and first sector
 * (NULL: not read) a kind has read: how it is known to be scratch ("its
 * serial", "the scratch mark") with the first sector the benchmarks may
 * write (0 for a serial, past BLKDEV_MARK_KEEP for the mark), or NULL:
 * not scratch, never to be written. Plain C, tested on the host. */
const char *blkdev_scratch_rule(const char *serial, size_t serial_len, const void *sector0,
				uint64_t *first_sector);

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
