/*
 * The scratch disk, whichever kind it is, and the waits every block
 * benchmark shares.
 */
#include <stdio.h>
#include <string.h>

#include <arch/counter.h>
#include <drivers/blk/blkdev.h>
#include <drivers/pci/pci.h>
#include <vmb/platform.h>

static struct blkdev *opened;

/* virtio-blk first, then real machines' disks (NVMe, AHCI); a Xen
 * guest's disks are its vbds. */
static const struct blkdev_kind kinds[] = {
	{ "virtio-blk", blkdev_virtio_open, blkdev_virtio_drives },
	{ "NVMe", blkdev_nvme_open, blkdev_nvme_drives },
	{ "AHCI", blkdev_ahci_open, blkdev_ahci_drives },
	{ "blkfront", blkfront_open_scratch, NULL },
};
#define BLK_KINDS (sizeof(kinds) / sizeof(kinds[0]))

static bool some_kind_drives(const struct pci_dev *f)
{
	for (unsigned k = 0; k < BLK_KINDS; k++)
		if (kinds[k].drives && kinds[k].drives(f))
			return true;
	return false;
}

bool blkdev_open_scratch(struct blkdev *d, bool *found, char *why, size_t why_len)
{
	char first[320] = "";

	for (unsigned k = 0; k < BLK_KINDS; k++) {
		memset(d, 0, sizeof(*d));
		if (kinds[k].open_scratch(d, found, why, why_len)) {
			opened = d;
			return true;
		}
		/* A scratch disk that is there but failed is the reason, not
		 * the next kind's absence. */
		if (*found)
			return false;
		/* A Xen guest's disks are its vbds: what blkfront saw. Elsewhere
		 * what every PCI kind saw: the disks a real machine's kinds left
		 * alone are named. */
		bool xen_kind = !kinds[k].drives;
		size_t n = strlen(first);
		if (!first[0] || (xen_kind && the_platform.mode == MODE_XEN))
			snprintf(first, sizeof(first), "%s", why);
		else if (!xen_kind && the_platform.mode != MODE_XEN)
			snprintf(first + n, sizeof(first) - n, "; %s: %s", kinds[k].name, why);
	}
	/* Nothing the image drives: what is there that it could not. */
	char undriven[256];
	if (the_platform.mode != MODE_XEN &&
	    pci_undriven(PCI_CLASS_STORAGE, some_kind_drives, undriven, sizeof(undriven)))
		snprintf(why, why_len, "%s; no driver for %s", first, undriven);
	else
		snprintf(why, why_len, "%s", first);
	return false;
}

bool blkdev_wait(struct blkdev *d, unsigned timeout_ms, unsigned *slot, bool *ok)
{
	uint64_t t0 = ref_now(), limit = ref_ms(timeout_ms);

	while (!d->ops->complete(d, slot, ok))
		if (ref_now() - t0 > limit)
			return false;
	return true;
}

bool blkdev_sync(struct blkdev *d, bool write, uint64_t sector, void *buf, uint32_t len,
		 unsigned timeout_ms, char *why, size_t why_len)
{
	unsigned slot;
	bool ok;

	if (!d->ops->submit(d, 0, write, sector, buf, len)) {
		snprintf(why, why_len, "%s: no room for a request", d->where);
		return false;
	}
	d->ops->kick(d);
	if (!blkdev_wait(d, timeout_ms, &slot, &ok)) {
		snprintf(why, why_len, "%s: %s of sector %llu not completed within %u ms", d->where,
			 write ? "write" : "read", (unsigned long long)sector, timeout_ms);
		return false;
	}
	if (!ok) {
		snprintf(why, why_len, "%s: %s of sector %llu failed", d->where,
			 write ? "write" : "read", (unsigned long long)sector);
		return false;
	}
	return true;
}

void blkdev_close_all(void)
{
	if (opened && opened->ops && opened->ops->close)
		opened->ops->close(opened);
	opened = NULL;
}
