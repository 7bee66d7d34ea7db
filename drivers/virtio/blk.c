/*
 * virtio-blk: read and write requests (header, data, status), and
 * GET_ID, the serial by which a disk can be marked as scratch.
 */
#include <stdio.h>
#include <string.h>

#include <arch/counter.h>
#include <vmb/mem.h>
#include <vmb/platform.h>
#include <drivers/virtio/virtio.h>

#define T_IN 0
#define T_OUT 1
#define T_GET_ID 8
#define S_OK 0
#define ID_BYTES 20
#define QUEUE_MAX 128

struct req_hdr {
	uint32_t type;
	uint32_t reserved;
	uint64_t sector;
};

/* Per slot: the header the device reads and the status it writes, in
 * identity-mapped RAM; which slot a used id belongs to. */
struct slot_mem {
	struct req_hdr hdr;
	volatile uint8_t status;
	uint8_t pad[15];
};
static struct slot_mem *slots;
static int8_t slot_of[QUEUE_MAX];

int vblk_submit(struct vblk *b, unsigned slot, bool write, uint64_t sector, void *buf, uint32_t len)
{
	struct slot_mem *s = &slots[slot];

	s->hdr = (struct req_hdr){ .type = write ? T_OUT : T_IN, .sector = sector };
	s->status = 0xff;
	struct virtq_buf bufs[3] = {
		{ &s->hdr, sizeof(s->hdr), false },
		{ buf, len, !write },
		{ (void *)&s->status, 1, true },
	};
	int id = virtq_add(&b->q, bufs, 3);
	if (id >= 0)
		slot_of[id] = (int8_t)slot;
	return id;
}

bool vblk_complete(struct vblk *b, unsigned *slot, bool *ok)
{
	uint16_t id;
	uint32_t len;

	if (!virtq_get(&b->q, &id, &len))
		return false;
	*slot = (unsigned)slot_of[id];
	*ok = slots[*slot].status == S_OK;
	return true;
}

/* GET_ID's wait, before the disk is a blkdev (blkdev_wait afterwards). */
static bool vblk_wait(struct vblk *b, unsigned timeout_ms, unsigned *slot, bool *ok)
{
	uint64_t t0 = ref_now(), limit = ref_ms(timeout_ms);

	while (!vblk_complete(b, slot, ok))
		if (ref_now() - t0 > limit)
			return false;
	return true;
}

static bool get_id(struct vblk *b, char *why, size_t why_len)
{
	static char id[ID_BYTES + 4];
	struct slot_mem *s = &slots[0];
	unsigned slot;
	bool ok;

	memset(id, 0, sizeof(id));
	s->hdr = (struct req_hdr){ .type = T_GET_ID };
	s->status = 0xff;
	struct virtq_buf bufs[3] = {
		{ &s->hdr, sizeof(s->hdr), false },
		{ id, ID_BYTES, true },
		{ (void *)&s->status, 1, true },
	};
	int head = virtq_add(&b->q, bufs, 3);
	if (head < 0)
		return false;
	slot_of[head] = 0;
	virtq_kick(&b->q);
	if (!vblk_wait(b, 1000, &slot, &ok)) {
		snprintf(why, why_len, "virtio-blk GET_ID not answered within 1 s");
		return false;
	}
	memcpy(b->serial, id, ID_BYTES);
	b->serial[ID_BYTES] = 0;
	return ok;
}

int vblk_open(unsigned n, struct vblk *b, char *why, size_t why_len)
{
	if (!slots && !(slots = mem_alloc_pages((VBLK_SLOTS * sizeof(*slots) + 4095) / 4096))) {
		snprintf(why, why_len, "no memory for virtio-blk requests");
		return VBLK_UNUSABLE;
	}
	memset(b, 0, sizeof(*b));
	if (!virtio_open(VIRTIO_ID_BLK, n, VIRTIO_BLK_F_RO, &b->vd, why, why_len))
		/* No n-th device at all, or one that cannot be driven (legacy
		 * only, features refused). */
		return b->vd.where[0] ? VBLK_UNUSABLE : VBLK_NONE;
	if (!virtq_setup(&b->vd, &b->q, 0, QUEUE_MAX, why, why_len)) {
		virtio_release(&b->vd);
		return VBLK_UNUSABLE;
	}
	virtq_interrupts(&b->q, false); /* polled unless asked */
	virtio_driver_ok(&b->vd);
	if (!get_id(b, why, why_len))
		b->serial[0] = 0; /* no serial: only the mark can make it scratch */
	b->sectors = virtio_cfg_read64(&b->vd, 0);
	b->read_only = (b->vd.features & VIRTIO_BLK_F_RO) != 0;
	return VBLK_OPEN;
}

void vblk_release(struct vblk *b)
{
	virtio_release(&b->vd);
}
