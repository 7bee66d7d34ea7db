/*
 * Xen's netfront (io/netif.h): one transmit and one receive ring shared
 * with dom0's netback, one event channel, single queue. Every buffer is a
 * page of ours granted to the backend, which copies frames in and out
 * (request-rx-copy: netback does no zero-copy, the study's remark). The
 * image asks for no offloads: every frame carries its checksums
 * (feature-no-csum-offload), one slot per frame (no feature-sg, no GSO).
 * Polled like virtio-net; an interrupt is the event channel's upcall.
 */
#include <stdio.h>
#include <string.h>

#include <arch/counter.h>
#include <drivers/net/netdev.h>
#include <drivers/xen/xen.h>
#include <drivers/xen/xenbus.h>
#include <vmb/mem.h>
#include <vmb/platform.h>
#include <vmb/report.h>

#define RX_N NETIF_RX_RING
#define TX_N NETIF_TX_RING

static struct {
	struct xenbus_dev xb;
	uint32_t port;
	volatile struct xen_sring_header *tx_s, *rx_s;
	volatile union netif_tx_entry *tx;
	volatile union netif_rx_entry *rx;
	uint32_t tx_prod, tx_cons, rx_prod, rx_cons;
	uint8_t *tx_mem, *rx_mem; /* a page per buffer */
	uint32_t tx_gref[TX_N], rx_gref[RX_N];
	uint16_t tx_free[TX_N], n_tx_free;
	unsigned rx_posted;	   /* since the last kick */
	uint32_t rx_kicked;	   /* the producer index the backend was last told of */
	uint16_t rx_slot_id[RX_N]; /* the buffer each rx slot's request named */
	bool rx_more, rx_extra;	   /* inside a frame's further slots or extra info */
	uint64_t dropped;	   /* responses with an error or more than one slot */
	uint8_t mac[6];
	bool irq_on;
	unsigned irq;
} nf;

static void rx_post(uint16_t id)
{
	volatile struct netif_rx_request *r = &nf.rx[nf.rx_prod % RX_N].req;

	nf.rx_slot_id[nf.rx_prod % RX_N] = id;
	r->id = id;
	r->gref = nf.rx_gref[id];
	nf.rx_prod++;
	nf.rx_posted++;
}

static void rx_kick(struct netdev *d)
{
	(void)d;
	if (!nf.rx_posted)
		return;
	nf.rx_posted = 0;
	/* The requests before the index that publishes them. */
	__atomic_thread_fence(__ATOMIC_RELEASE);
	nf.rx_s->req_prod = nf.rx_prod;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	/* feature-rx-notify: netback sleeps until told of new buffers. */
	if (xen_ring_notify(nf.rx_kicked, nf.rx_prod, nf.rx_s->req_event))
		xen_evtchn_send(nf.port);
	nf.rx_kicked = nf.rx_prod;
}

static void tx_reap(void)
{
	uint32_t prod = __atomic_load_n(&nf.tx_s->rsp_prod, __ATOMIC_ACQUIRE);

	if (xen_ring_pending(prod, nf.tx_cons, TX_N) < 0)
		return; /* a corrupt index: nothing it says can be used */
	while (nf.tx_cons != prod) {
		volatile struct netif_tx_response *r = &nf.tx[nf.tx_cons++ % TX_N].rsp;
		if (r->status == NETIF_RSP_NULL)
			continue;
		if (r->status != NETIF_RSP_OKAY)
			nf.dropped++;
		if (r->id < TX_N && nf.n_tx_free < TX_N)
			nf.tx_free[nf.n_tx_free++] = r->id;
	}
}

static void *tx_buf(struct netdev *d)
{
	(void)d;
	tx_reap();
	if (!nf.n_tx_free)
		return NULL;
	return nf.tx_mem + (size_t)nf.tx_free[nf.n_tx_free - 1] * XEN_PAGE;
}

static void tx_send(struct netdev *d, void *frame, uint32_t len)
{
	uint16_t id = nf.tx_free[--nf.n_tx_free];
	volatile struct netif_tx_request *r = &nf.tx[nf.tx_prod % TX_N].req;
	uint32_t old = nf.tx_prod;

	(void)frame;
	r->gref = nf.tx_gref[id];
	r->offset = 0;
	r->flags = 0; /* checksums filled in, one slot */
	r->id = id;
	r->size = (uint16_t)len;
	nf.tx_prod++;
	__atomic_thread_fence(__ATOMIC_RELEASE);
	d->tx_ref = ref_now();
	nf.tx_s->req_prod = nf.tx_prod;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (xen_ring_notify(old, nf.tx_prod, nf.tx_s->req_event))
		xen_evtchn_send(nf.port);
	d->tx_frames++;
}

/* ring.h's final check, when interrupt-driven: ask to be told of the
 * next response, then look once more (one may have come meanwhile). True
 * when the ring is empty and armed. */
static bool rx_armed(void)
{
	return !nf.irq_on || xen_ring_arm(nf.rx_s, nf.rx_cons);
}

static const void *rx_get(struct netdev *d, uint32_t *len, uint16_t *id)
{
	for (;;) {
		uint32_t prod = __atomic_load_n(&nf.rx_s->rsp_prod, __ATOMIC_ACQUIRE);
		if (xen_ring_pending(prod, nf.rx_cons, RX_N) < 0)
			return NULL; /* a corrupt index: nothing it says can be used */
		if (nf.rx_cons == prod) {
			if (rx_armed())
				return NULL;
			continue;
		}
		uint32_t slot = nf.rx_cons++ % RX_N;
		uint16_t posted = nf.rx_slot_id[slot]; /* the buffer this slot's request named */
		if (nf.rx_extra) {
			/* A netif_extra_info, not a response: its flags byte says
			 * whether another follows. */
			nf.rx_extra =
				((volatile uint8_t *)&nf.rx[slot])[1] & XEN_NETIF_EXTRA_FLAG_MORE;
			rx_post(posted);
			continue;
		}
		struct netif_rx_response r = *(volatile struct netif_rx_response *)&nf.rx[slot].rsp;
		bool continued = nf.rx_more;
		nf.rx_more = r.flags & NETRXF_MORE_DATA;
		nf.rx_extra = r.flags & NETRXF_EXTRA_INFO;
		/* Frames in more than one slot or with extra info (the image
		 * asked for neither), errors, a buffer not the one posted in
		 * this slot: dropped and counted once, every buffer posted
		 * again. */
		if (continued || nf.rx_more || nf.rx_extra || r.status <= 0 || r.id != posted ||
		    r.offset + (uint32_t)r.status > XEN_PAGE) {
			if (!continued)
				nf.dropped++;
			rx_post(posted);
			continue;
		}
		*len = (uint32_t)r.status;
		*id = posted;
		d->rx_frames++;
		d->rx_ref = ref_now();
		if (nf.rx_cons == prod)
			rx_armed(); /* caught up: an interrupt-driven wait is told */
		return nf.rx_mem + (size_t)posted * XEN_PAGE + r.offset;
	}
}

static void rx_done(struct netdev *d, uint16_t id)
{
	(void)d;
	rx_post(id);
}

static bool rx_irq(struct netdev *d, unsigned *irq, char *why, size_t why_len)
{
	if (!xen_upcall_route(nf.port, &nf.irq, d->irq_via, sizeof(d->irq_via), why, why_len))
		return false;
	*irq = nf.irq;
	return true;
}

static void rx_irq_on(struct netdev *d, bool on)
{
	(void)d;
	nf.irq_on = on;
	if (on) {
		rx_armed();
		xen_upcall_allow(nf.port);
	} else {
		xen_upcall_release(nf.port);
	}
}

static void rx_irq_ack(struct netdev *d)
{
	(void)d;
	evtchn_upcall_ack(nf.port);
}

static bool rx_ready(struct netdev *d)
{
	(void)d;
	return __atomic_load_n(&nf.rx_s->rsp_prod, __ATOMIC_ACQUIRE) != nf.rx_cons;
}

static void irq_state(struct netdev *d, char *out, size_t len)
{
	size_t n;

	(void)d;
	evtchn_describe(nf.port, out, len);
	n = strlen(out);
	snprintf(out + n, len - n, "; rx ring rsp_prod %u rsp_event %u, consumed %u",
		 nf.rx_s->rsp_prod, nf.rx_s->rsp_event, nf.rx_cons);
}

static void nf_close(struct netdev *d)
{
	(void)d;
	xenbus_close(&nf.xb);
}

static const struct netdev_ops ops = {
	.tx_buf = tx_buf,
	.tx_send = tx_send,
	.rx_get = rx_get,
	.rx_done = rx_done,
	.rx_kick = rx_kick,
	.rx_irq = rx_irq,
	.rx_irq_on = rx_irq_on,
	.rx_irq_ack = rx_irq_ack,
	.rx_ready = rx_ready,
	.irq_state = irq_state,
	.close = nf_close,
};

/* "00:16:3e:12:34:56" into six bytes. */
static bool parse_mac(const char *s, uint8_t mac[6])
{
	for (unsigned i = 0; i < 6; i++) {
		unsigned v = 0;
		for (unsigned k = 0; k < 2; k++, s++) {
			char c = *s;
			unsigned x = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
				     : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
				     : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
							    : 16u;
			if (x > 15)
				return false;
			v = v << 4 | x;
		}
		mac[i] = (uint8_t)v;
		if (*s != (i < 5 ? ':' : 0))
			return false;
		s++;
	}
	return true;
}

/* Grant n pages from mem to the backend, their references into gref. */
static bool grant_pages(uint8_t *mem, unsigned n, bool readonly, uint32_t *gref, char *why,
			size_t why_len)
{
	for (unsigned i = 0; i < n; i++) {
		int r = gnttab_grant(nf.xb.backend_id, mem + (size_t)i * XEN_PAGE, readonly, why,
				     why_len);
		if (r < 0)
			return false;
		gref[i] = (uint32_t)r;
	}
	return true;
}

static bool connect(char *why, size_t why_len)
{
	char v[32], path[80];
	int state;

	snprintf(path, sizeof(path), "%s/mac", nf.xb.node);
	if (!xenstore_read(0, path, v, sizeof(v), why, why_len))
		return false;
	uint8_t mac[6];
	if (!parse_mac(v, mac)) {
		snprintf(why, why_len, "%s: the toolstack's mac \"%s\" is not an Ethernet address",
			 nf.xb.node, v);
		return false;
	}
	/* The backend announces what it offers before the frontend says
	 * what it uses. */
	if (!xenbus_wait_backend(&nf.xb, XENBUS_STATE_INIT_WAIT, XENBUS_CONNECT_MS, &state, why,
				 why_len))
		return false;
	nf.tx_s = mem_alloc_pages(1);
	nf.rx_s = mem_alloc_pages(1);
	nf.tx_mem = mem_alloc_pages(TX_N);
	nf.rx_mem = mem_alloc_pages(RX_N);
	if (!nf.tx_s || !nf.rx_s || !nf.tx_mem || !nf.rx_mem) {
		snprintf(why, why_len, "no memory for netfront's rings and buffers");
		return false;
	}
	memset((void *)nf.tx_s, 0, XEN_PAGE);
	memset((void *)nf.rx_s, 0, XEN_PAGE);
	nf.tx_s->req_event = nf.tx_s->rsp_event = 1;
	nf.rx_s->req_event = nf.rx_s->rsp_event = 1;
	nf.tx = (volatile union netif_tx_entry *)(nf.tx_s + 1);
	nf.rx = (volatile union netif_rx_entry *)(nf.rx_s + 1);
	uint32_t ring_ref[2];
	if (!grant_pages((uint8_t *)nf.tx_s, 1, false, &ring_ref[0], why, why_len) ||
	    !grant_pages((uint8_t *)nf.rx_s, 1, false, &ring_ref[1], why, why_len) ||
	    !grant_pages(nf.tx_mem, TX_N, true, nf.tx_gref, why, why_len) ||
	    !grant_pages(nf.rx_mem, RX_N, false, nf.rx_gref, why, why_len) ||
	    !evtchn_alloc_unbound(nf.xb.backend_id, &nf.port, why, why_len))
		return false;
	char tx_ref[12], rx_ref[12], port[12];
	snprintf(tx_ref, sizeof(tx_ref), "%u", ring_ref[0]);
	snprintf(rx_ref, sizeof(rx_ref), "%u", ring_ref[1]);
	snprintf(port, sizeof(port), "%u", nf.port);
	static const char *const keys[] = {
		"tx-ring-ref",	   "rx-ring-ref",	"event-channel",
		"request-rx-copy", "feature-rx-notify", "feature-no-csum-offload",
		"feature-sg",	   "feature-gso-tcpv4", "feature-gso-tcpv6",
	};
	const char *values[] = { tx_ref, rx_ref, port, "1", "1", "1", "0", "0", "0" };
	if (!xenbus_publish(&nf.xb, keys, values, sizeof(keys) / sizeof(keys[0]), why, why_len) ||
	    !xenbus_set_state(&nf.xb, XENBUS_STATE_CONNECTED, why, why_len) ||
	    !xenbus_wait_backend(&nf.xb, XENBUS_STATE_CONNECTED, XENBUS_CONNECT_MS, &state, why,
				 why_len))
		return false;
	for (uint16_t i = 0; i < TX_N; i++)
		nf.tx_free[nf.n_tx_free++] = i;
	for (uint16_t i = 0; i < RX_N; i++)
		rx_post(i);
	rx_kick(NULL);
	memcpy(nf.mac, mac, 6);
	return true;
}

bool netfront_open(struct netdev *d, bool *found, char *why, size_t why_len)
{
	*found = false;
	if (the_platform.mode != MODE_XEN) {
		snprintf(why, why_len, "not a Xen guest: no netfront");
		return false;
	}
	if (!xenbus_find("vif", 0, &nf.xb, why, why_len))
		return false;
	*found = true;
	if (!connect(why, why_len)) {
		/* Tell the backend we are gone, so it does not wait for us. */
		xenbus_close(&nf.xb);
		return false;
	}
	d->ops = &ops;
	d->priv = &nf;
	memcpy(d->mac, nf.mac, 6);
	snprintf(d->where, sizeof(d->where), "netfront (%s, backend d%u)", nf.xb.node,
		 nf.xb.backend_id);
	report_info("netfront: %s connected to %s: event channel %u, %u rx and %u tx slots, "
		    "grant copy both ways, no offloads",
		    nf.xb.node, nf.xb.backend, nf.port, RX_N, TX_N);
	return true;
}
