/*
 * Xen's blkfront (io/blkif.h): one ring shared with dom0's blkback, one
 * event channel, direct requests of up to BLKIF_MAX_SEGMENTS pages (no
 * indirect descriptors, no persistent grants: blkback maps each request's
 * pages and unmaps them before it answers, the path a frontend without
 * feature-persistent takes). A request larger than one ring entry holds
 * goes as several entries that complete one slot together.
 *
 * The benchmarks write only to the vbd whose first sector carries the
 * scratch mark (blkdev.h); every other vbd is read at sector 0, to look
 * for the mark, and let go of.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arch/xen.h>
#include <drivers/blk/blkdev.h>
#include <drivers/xen/xen.h>
#include <drivers/xen/xenbus.h>
#include <vmb/mem.h>
#include <vmb/platform.h>
#include <vmb/report.h>

#define RING_N BLKIF_RING
#define MAX_VBDS 8
/* The largest request the benchmarks make: 1 MiB. */
#define SLOT_PAGES 256

static struct {
	struct xenbus_dev xb;
	char name[16]; /* the backend's "dev", "xvda" */
	uint16_t handle;
	uint32_t port;
	volatile struct xen_sring_header *s;
	volatile union blkif_entry *ring;
	uint32_t prod, cons, kicked;
	struct {
		unsigned parts, pages;
		bool ok;
		uint32_t gref[SLOT_PAGES];
	} slot[BLKDEV_SLOTS];
	int ring_ref;	 /* the ring page's grant, -1 none */
	uint64_t leaked; /* grants blkback still held when their request completed */
	bool irq_on;
} bf;

static bool submit(struct blkdev *d, unsigned slot, bool write, uint64_t sector, void *buf,
		   uint32_t len)
{
	uint8_t *p = buf;
	unsigned pages = (len + XEN_PAGE - 1) / XEN_PAGE;
	unsigned parts = (pages + BLKIF_MAX_SEGMENTS - 1) / BLKIF_MAX_SEGMENTS;
	char why[96];

	/* Whole pages from a page boundary: what the benchmarks give. */
	if (slot >= BLKDEV_SLOTS || bf.slot[slot].parts || (uintptr_t)buf % XEN_PAGE ||
	    len % XEN_PAGE || !pages || pages > SLOT_PAGES || bf.prod - bf.cons + parts > RING_N)
		return false;
	for (unsigned i = 0; i < pages; i++) {
		/* blkback writes what it reads into our page, and reads what
		 * it writes from it. */
		int ref = gnttab_grant(bf.xb.backend_id, p + (size_t)i * XEN_PAGE, write, why,
				       sizeof(why));
		if (ref < 0) {
			while (i--)
				gnttab_end(bf.slot[slot].gref[i]);
			return false;
		}
		bf.slot[slot].gref[i] = (uint32_t)ref;
	}
	bf.slot[slot].parts = parts;
	bf.slot[slot].pages = pages;
	bf.slot[slot].ok = true;
	for (unsigned part = 0, page = 0; part < parts; part++) {
		volatile struct blkif_request *r = &bf.ring[bf.prod++ % RING_N].req;
		unsigned n = pages - page < BLKIF_MAX_SEGMENTS ? pages - page : BLKIF_MAX_SEGMENTS;
		r->operation = write ? BLKIF_OP_WRITE : BLKIF_OP_READ;
		r->nr_segments = (uint8_t)n;
		r->handle = bf.handle;
		r->id = slot;
		r->sector_number = sector + (uint64_t)page * (XEN_PAGE / BLKDEV_SECTOR);
		for (unsigned k = 0; k < n; k++, page++) {
			r->seg[k].gref = bf.slot[slot].gref[page];
			r->seg[k].first_sect = 0;
			r->seg[k].last_sect = XEN_PAGE / BLKDEV_SECTOR - 1;
		}
	}
	(void)d;
	return true;
}

static void kick(struct blkdev *d)
{
	(void)d;
	__atomic_thread_fence(__ATOMIC_RELEASE);
	bf.s->req_prod = bf.prod;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (xen_ring_notify(bf.kicked, bf.prod, bf.s->req_event))
		xen_evtchn_send(bf.port);
	bf.kicked = bf.prod;
}

/* ring.h's final check, when interrupt-driven: ask to be told of the
 * next response, then look once more. True when the ring is empty and
 * armed. */
static bool armed(void)
{
	return !bf.irq_on || xen_ring_arm(bf.s, bf.cons);
}

static bool complete(struct blkdev *d, unsigned *slot, bool *ok)
{
	(void)d;
	for (;;) {
		uint32_t prod = __atomic_load_n(&bf.s->rsp_prod, __ATOMIC_ACQUIRE);
		if (xen_ring_pending(prod, bf.cons, RING_N) < 0)
			return false; /* a corrupt index: the wait runs out, an error */
		if (bf.cons == prod) {
			if (armed())
				return false;
			continue;
		}
		struct blkif_response r =
			*(volatile struct blkif_response *)&bf.ring[bf.cons++ % RING_N].rsp;
		if (r.id >= BLKDEV_SLOTS || !bf.slot[r.id].parts)
			continue; /* not a request of ours */
		unsigned k = (unsigned)r.id;
		if (r.status != BLKIF_RSP_OKAY)
			bf.slot[k].ok = false;
		if (--bf.slot[k].parts)
			continue;
		for (unsigned i = 0; i < bf.slot[k].pages; i++)
			if (!gnttab_end(bf.slot[k].gref[i]))
				bf.leaked++;
		if (bf.cons == prod)
			armed(); /* caught up: an interrupt-driven wait is told */
		*slot = k;
		*ok = bf.slot[k].ok;
		return true;
	}
}

static bool irq(struct blkdev *d, unsigned *irq, char *why, size_t why_len)
{
	return xen_upcall_route(bf.port, irq, d->irq_via, sizeof(d->irq_via), why, why_len);
}

static void irq_on(struct blkdev *d, bool on)
{
	(void)d;
	bf.irq_on = on;
	if (on) {
		armed();
		xen_upcall_allow(bf.port);
	} else {
		xen_upcall_release(bf.port);
	}
}

static void irq_ack(struct blkdev *d)
{
	(void)d;
	evtchn_upcall_ack(bf.port);
}

static void irq_state(struct blkdev *d, char *out, size_t len)
{
	size_t n;

	(void)d;
	evtchn_describe(bf.port, out, len);
	n = strlen(out);
	snprintf(out + n, len - n, "; ring rsp_prod %u rsp_event %u, consumed %u", bf.s->rsp_prod,
		 bf.s->rsp_event, bf.cons);
}

static void bf_close(struct blkdev *d)
{
	(void)d;
	xenbus_close(&bf.xb);
}

static const struct blkdev_ops ops = {
	.submit = submit,
	.kick = kick,
	.complete = complete,
	.irq = irq,
	.irq_on = irq_on,
	.irq_ack = irq_ack,
	.irq_state = irq_state,
	.close = bf_close,
};

/* A vbd given up: its backend told (Closing, Closed), then what the image
 * gave it taken back: every slot's grants, the ring's, the event channel.
 * A grant the backend still holds stays taken, and its page is not used
 * again (the ring page, the buffer of the read that did not complete):
 * false then. */
static bool let_go(void)
{
	uint64_t held = bf.leaked;

	xenbus_close(&bf.xb);
	for (unsigned k = 0; k < BLKDEV_SLOTS; k++) {
		for (unsigned i = 0; bf.slot[k].parts && i < bf.slot[k].pages; i++)
			if (!gnttab_end(bf.slot[k].gref[i]))
				bf.leaked++;
		bf.slot[k].parts = 0;
	}
	if (bf.ring_ref >= 0 && !gnttab_end((unsigned)bf.ring_ref))
		bf.s = NULL; /* still mapped by the backend: a new page next time */
	bf.ring_ref = -1;
	if (bf.port) {
		evtchn_close(bf.port);
		bf.port = 0;
	}
	return bf.leaked == held;
}

static bool backend_u64(const char *key, uint64_t *v, char *why, size_t why_len)
{
	char s[24], *end;

	if (!xenbus_read_backend(&bf.xb, key, s, sizeof(s), why, why_len))
		return false;
	*v = strtoull(s, &end, 10);
	if (end == s || *end) {
		snprintf(why, why_len, "%s: the backend's %s \"%s\" is not a number", bf.xb.node,
			 key, s);
		return false;
	}
	return true;
}

/* The handshake, up to a connected ring: the disk's size and mode in d. */
static bool connect(struct blkdev *d, char *why, size_t why_len)
{
	int state;
	uint64_t sectors, info = 0, sector_size = BLKDEV_SECTOR;

	if (!xenbus_wait_backend(&bf.xb, XENBUS_STATE_INIT_WAIT, XENBUS_CONNECT_MS, &state, why,
				 why_len))
		return false;
	if (!bf.s && !(bf.s = mem_alloc_pages(1))) {
		snprintf(why, why_len, "no memory for blkfront's ring");
		return false;
	}
	memset((void *)bf.s, 0, XEN_PAGE);
	bf.prod = bf.cons = bf.kicked = 0;
	bf.s->req_event = bf.s->rsp_event = 1;
	bf.ring = (volatile union blkif_entry *)(bf.s + 1);
	int ref = gnttab_grant(bf.xb.backend_id, (const void *)bf.s, false, why, why_len);
	if (ref < 0)
		return false;
	bf.ring_ref = ref;
	if (!evtchn_alloc_unbound(bf.xb.backend_id, &bf.port, why, why_len))
		return false;
	char ring_ref[12], port[12];
	snprintf(ring_ref, sizeof(ring_ref), "%d", ref);
	snprintf(port, sizeof(port), "%u", bf.port);
	static const char *const keys[] = { "ring-ref", "event-channel", "protocol" };
	const char *values[] = { ring_ref, port, XEN_IO_PROTO_ABI };
	if (!xenbus_publish(&bf.xb, keys, values, 3, why, why_len) ||
	    !xenbus_wait_backend(&bf.xb, XENBUS_STATE_CONNECTED, XENBUS_CONNECT_MS, &state, why,
				 why_len) ||
	    !backend_u64("sectors", &sectors, why, why_len))
		return false;
	char v[24];
	if (xenbus_read_backend(&bf.xb, "info", v, sizeof(v), why, why_len))
		info = strtoull(v, NULL, 10);
	if (xenbus_read_backend(&bf.xb, "sector-size", v, sizeof(v), why, why_len))
		sector_size = strtoull(v, NULL, 10);
	if (!xenbus_read_backend(&bf.xb, "dev", bf.name, sizeof(bf.name), why, why_len))
		snprintf(bf.name, sizeof(bf.name), "?");
	why[0] = 0;
	if (sector_size != BLKDEV_SECTOR) {
		snprintf(why, why_len, "%s (%s): sectors of %llu bytes; the image uses 512",
			 bf.xb.node, bf.name, (unsigned long long)sector_size);
		return false;
	}
	if (!xenbus_set_state(&bf.xb, XENBUS_STATE_CONNECTED, why, why_len))
		return false;
	d->ops = &ops;
	d->sectors = sectors;
	d->read_only = (info & VDISK_READONLY) != 0;
	snprintf(d->read_only_why, sizeof(d->read_only_why),
		 "the backend's info has VDISK_READONLY");
	snprintf(d->where, sizeof(d->where), "blkfront (%s %s, backend d%u)", bf.xb.node, bf.name,
		 bf.xb.backend_id);
	snprintf(d->path, sizeof(d->path), "blkfront, grant map per request");
	return true;
}

bool blkfront_open_scratch(struct blkdev *d, bool *found, char *why, size_t why_len)
{
	char left[160] = "";
	uint8_t *sector0;

	*found = false;
	bf.ring_ref = -1;
	if (the_platform.mode != MODE_XEN) {
		snprintf(why, why_len, "not a Xen guest: no blkfront");
		return false;
	}
	if (!(sector0 = mem_alloc_pages(1))) {
		snprintf(why, why_len, "no memory for blkfront");
		return false;
	}
	char failed[192] = "";
	for (unsigned n = 0; n < MAX_VBDS; n++) {
		if (!xenbus_find("vbd", n, &bf.xb, why, why_len)) {
			if (n == 0)
				return false; /* why: the domain has no vbd */
			break;
		}
		bf.handle = (uint16_t)strtoul(strrchr(bf.xb.node, '/') + 1, NULL, 10);
		/* A vbd that will not connect, or not read its first sector, is
		 * not known to be scratch: named, and the search goes on. */
		if (!connect(d, why, why_len) || !blkdev_sync(d, false, 0, sector0, XEN_PAGE,
							      BLKDEV_MARK_READ_MS, why, why_len)) {
			report_info("blkfront: %s not used: %s", bf.xb.node, why);
			if (!failed[0])
				snprintf(failed, sizeof(failed), "%s", why);
			if (!let_go() && !(sector0 = mem_alloc_pages(1))) {
				snprintf(why, why_len, "no memory for blkfront");
				return false;
			}
			memset(d, 0, sizeof(*d));
			continue;
		}
		/* A vbd has no serial: only the mark makes it scratch. */
		if (blkdev_scratch_rule(NULL, 0, sector0, &d->first_sector)) {
			*found = true;
			report_info(
				"blkfront: %s (%s) carries the scratch mark: %llu MiB, %s, event "
				"channel %u, %u ring slots",
				bf.xb.node, bf.name,
				(unsigned long long)(d->sectors * BLKDEV_SECTOR >> 20),
				d->read_only ? "read-only" : "writable", bf.port, RING_N);
			return true;
		}
		size_t l = strlen(left);
		snprintf(left + l, sizeof(left) - l, "%s%s (%s)", l ? ", " : "", bf.xb.node,
			 bf.name);
		let_go();
		memset(d, 0, sizeof(*d));
	}
	/* A vbd whose backend never answered may be the scratch disk the
	 * user meant: an error that names it, not a quiet skip. */
	if (failed[0]) {
		*found = true;
		snprintf(why, why_len, "no vbd with the scratch mark could be read: %s", failed);
		return false;
	}
	snprintf(why, why_len,
		 "no vbd carries the scratch mark at its start (tools/mark-scratch writes it); "
		 "left alone: %s",
		 left[0] ? left : "none");
	return false;
}
