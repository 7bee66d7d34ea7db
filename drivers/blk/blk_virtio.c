/* virtio-blk as a block device for the benchmarks (blkdev.h). */
#include <stdio.h>
#include <string.h>

#include <drivers/blk/blkdev.h>
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
	bool ok = vblk_open_serial(BLKDEV_SCRATCH_SERIAL, &vblk, why, why_len);

	*found = vblk.vd.where[0] != 0;
	if (!ok)
		return false;
	d->ops = &ops;
	d->sectors = vblk.sectors;
	d->read_only = vblk.read_only;
	snprintf(d->read_only_why, sizeof(d->read_only_why), "the device offers VIRTIO_BLK_F_RO");
	d->first_sector = 0; /* the serial marks it: all of it is scratch */
	snprintf(d->where, sizeof(d->where), "%s (virtio-%s)", vblk.vd.where, vblk.vd.t->name);
	snprintf(d->path, sizeof(d->path), "virtio-blk (%s)", vblk.vd.t->name);
	return true;
}
