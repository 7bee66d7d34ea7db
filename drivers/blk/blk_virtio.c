/* virtio-blk as a block device for the benchmarks (blkdev.h). */
#include <stdio.h>
#include <string.h>

#include <drivers/blk/blkdev.h>
#include <drivers/pci/pci.h>
#include <vmb/fwinfo.h>
#include <vmb/mem.h>
#include <vmb/report.h>
#include <drivers/virtio/virtio.h>

static struct vblk vblk;

static bool submit(struct blkdev *d, unsigned slot, bool write, uint64_t sector, void *buf,
		   uint32_t len)
{
	(void)d;
	return vblk_submit(&vblk, slot, write, sector, buf, len) >= 0;
}

static void kick(struct blkdev *d)
{
	(void)d;
	virtq_kick(&vblk.q);
}

static bool complete(struct blkdev *d, unsigned *slot, bool *ok)
{
	(void)d;
	return vblk_complete(&vblk, slot, ok);
}

static bool irq(struct blkdev *d, unsigned *irq, char *why, size_t why_len)
{
	if (!virtio_queue_irq(&vblk.vd, &vblk.q, why, why_len))
		return false;
	*irq = vblk.q.irq;
	snprintf(d->irq_via, sizeof(d->irq_via), "%s", vblk.vd.irq_via);
	return true;
}

static void irq_on(struct blkdev *d, bool on)
{
	(void)d;
	if (on)
		virtq_interrupts(&vblk.q, true);
	else
		virtio_queue_irq_release(&vblk.vd, &vblk.q);
}

static void irq_ack(struct blkdev *d)
{
	(void)d;
	virtio_irq_ack(&vblk.vd);
}

static const struct blkdev_ops ops = {
	.submit = submit,
	.kick = kick,
	.complete = complete,
	.irq = irq,
	.irq_on = irq_on,
	.irq_ack = irq_ack,
};

_Static_assert(VBLK_SLOTS >= BLKDEV_SLOTS, "a virtio-blk slot per blkdev slot");

bool blkdev_virtio_drives(const struct pci_dev *f)
{
	return virtio_pci_is_type(f, VIRTIO_ID_BLK);
}

bool blkdev_virtio_open(struct blkdev *d, bool *found, char *why, size_t why_len)
{
	static uint8_t *sector0;
	char left[160] = "", last[160] = "";
	size_t l = 0;

	*found = false;
	if (!sector0 && !(sector0 = mem_alloc_pages(1))) {
		snprintf(why, why_len, "no memory for virtio-blk");
		return false;
	}
	/* Bounded by how many devices there can be, whatever the transports say. */
	for (unsigned n = 0; n < PCI_MAX_DEVS + FW_MAX_VIRTIO_MMIO; n++) {
		int r = vblk_open(n, &vblk, last, sizeof(last));
		if (r == VBLK_NONE)
			break;
		if (r == VBLK_UNUSABLE) {
			l += (size_t)snprintf(left + l, l < sizeof(left) ? sizeof(left) - l : 0,
					      "%s%s", l ? ", " : "", last);
			continue;
		}
		memset(d, 0, sizeof(*d));
		d->ops = &ops;
		snprintf(d->where, sizeof(d->where), "%s (virtio-%s)", vblk.vd.where,
			 vblk.vd.t->name);
		/* The serial first: a scratch disk by its serial is not read
		 * before the benchmarks' own first write. */
		const char *how = blkdev_scratch_rule(vblk.serial, sizeof(vblk.serial), NULL,
						      &d->first_sector);
		if (!how && blkdev_sync(d, false, 0, sector0, BLKDEV_SECTOR, BLKDEV_MARK_READ_MS,
					last, sizeof(last)))
			how = blkdev_scratch_rule(NULL, 0, sector0, &d->first_sector);
		if (how) {
			*found = true;
			d->sectors = vblk.sectors;
			d->read_only = vblk.read_only;
			snprintf(d->read_only_why, sizeof(d->read_only_why),
				 "the device offers VIRTIO_BLK_F_RO");
			snprintf(d->path, sizeof(d->path), "virtio-blk (%s)", vblk.vd.t->name);
			report_info("blk: %s is scratch by %s", d->where, how);
			return true;
		}
		/* Not scratch: left as it was found, reset. */
		report_info("blk: %s (serial \"%s\") is not scratch: left alone", d->where,
			    vblk.serial);
		l += (size_t)snprintf(left + l, l < sizeof(left) ? sizeof(left) - l : 0,
				      "%s%s (serial \"%s\")", l ? ", " : "", d->where, vblk.serial);
		vblk_release(&vblk);
	}
	memset(d, 0, sizeof(*d));
	if (!l)
		snprintf(why, why_len, "%s", last);
	else
		snprintf(why, why_len,
			 "no virtio-blk disk has the serial " BLKDEV_SCRATCH_SERIAL
			 " or the scratch mark (the only ones the image writes to); left alone: %s",
			 left);
	return false;
}
