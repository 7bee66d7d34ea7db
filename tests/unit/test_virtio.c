/*
 * virtio_open's handshake against a simulated transport: a modern device
 * that takes the features, one that refuses them at FEATURES_OK (the
 * driver must give up and say so, leaving the device FAILED), a legacy
 * device without VIRTIO_F_VERSION_1, and no device at all.
 */
#include <stdlib.h>
#include <string.h>

#include <vmb/mem.h>
#include <drivers/pci/pci.h>
#include <drivers/virtio/virtio.h>

#include "check.h"

#define F_WANTED (1ull << 5)
#define F_OTHER (1ull << 9)

/* The simulated device. */
static struct sim_dev {
	bool present, refuse;
	uint64_t offered, accepted;
	uint8_t status, last_status;
	unsigned status_writes;
} dev;

static uint64_t features(struct virtio_dev *vd)
{
	(void)vd;
	return dev.offered;
}

static void set_features(struct virtio_dev *vd, uint64_t f)
{
	(void)vd;
	dev.accepted = f;
}

static uint8_t status(struct virtio_dev *vd)
{
	(void)vd;
	return dev.status;
}

/* A device that cannot work with the features it was given keeps
 * FEATURES_OK clear (virtio 1.2, 3.1.1 step 6). */
static void set_status(struct virtio_dev *vd, uint8_t s)
{
	(void)vd;
	dev.status_writes++;
	dev.last_status = s;
	if (dev.refuse)
		s &= (uint8_t)~VIRTIO_S_FEATURES_OK;
	dev.status = s;
}

static const struct virtio_transport sim = {
	.name = "sim",
	.features = features,
	.set_features = set_features,
	.status = status,
	.set_status = set_status,
};

bool virtio_pci_find(unsigned type, unsigned nth, struct virtio_dev *vd, char *why, size_t why_len)
{
	(void)type, (void)why, (void)why_len;
	if (!dev.present || nth > 0)
		return false;
	vd->t = &sim;
	strcpy(vd->where, "sim 0");
	return true;
}

bool virtio_mmio_find(unsigned type, unsigned nth, struct virtio_dev *vd, char *why, size_t why_len)
{
	(void)type, (void)nth, (void)vd, (void)why, (void)why_len;
	return false;
}

const char *pci_access_name(void)
{
	return "sim";
}

void *mem_alloc_pages(size_t npages)
{
	return calloc(npages, 4096);
}

void arch_cpu_relax(void)
{
}

static bool open_dev(char *why, size_t len, struct virtio_dev *vd)
{
	return virtio_open(2, 0, F_WANTED, vd, why, len);
}

int main(void)
{
	struct virtio_dev vd;
	char why[160];

	/* Takes what both sides know, and only that. */
	dev = (struct sim_dev){ .present = true,
				.offered = VIRTIO_F_VERSION_1 | F_WANTED | F_OTHER };
	CHECK(open_dev(why, sizeof(why), &vd));
	CHECK_EQ_U(dev.accepted, VIRTIO_F_VERSION_1 | F_WANTED);
	CHECK_EQ_U(vd.features, VIRTIO_F_VERSION_1 | F_WANTED);
	CHECK(dev.status & VIRTIO_S_FEATURES_OK);

	/* Refused at FEATURES_OK: false, why names it, the device is FAILED. */
	dev = (struct sim_dev){ .present = true, .refuse = true, .offered = VIRTIO_F_VERSION_1 };
	CHECK(!open_dev(why, sizeof(why), &vd));
	CHECK(strstr(why, "refused the features") != NULL);
	CHECK(strstr(why, "sim 0") != NULL);
	CHECK_EQ_U(dev.last_status, VIRTIO_S_FAILED);

	/* Legacy only: refused before any feature is written. */
	dev = (struct sim_dev){ .present = true, .offered = F_WANTED };
	CHECK(!open_dev(why, sizeof(why), &vd));
	CHECK(strstr(why, "legacy only") != NULL);
	CHECK_EQ_U(dev.accepted, 0);
	CHECK_EQ_U(dev.last_status, VIRTIO_S_FAILED);

	/* No device: says where it looked. */
	dev = (struct sim_dev){ .present = false };
	CHECK(!open_dev(why, sizeof(why), &vd));
	CHECK(strstr(why, "no virtio device of type 2") != NULL);
	return check_report("virtio");
}
