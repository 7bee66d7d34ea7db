/* The xenstore client and the xenbus handshake against a fake xenstored
 * on a ring in host memory: replies matched by req_id, watch events
 * between replies, late replies, EAGAIN, a corrupt stream, time limits. */
#include <stdlib.h>
#include <string.h>

#include <drivers/xen/xen.h>
#include <drivers/xen/xenbus.h>
#include <vmb/arch.h>
#include <vmb/platform.h>

#include "check.h"

struct platform the_platform = { .ref_hz = 1000 }; /* a tick a poll: 1 s is 1000 polls */
static uint64_t now;
static struct xenstore_ring *ring;

/* What the fake does with the next request. */
enum { NORMAL, SILENT, EVENT_FIRST, STALE_FIRST, CORRUPT, WRONG_TYPE, EAGAIN_END } mode;
static unsigned eagains; /* EAGAIN_END: this many commits refused */

#define NODES 32
static struct {
	char path[64], value[64];
} store[NODES];
static struct {
	char path[64], token[16];
} watch;
static char req[sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX];
static size_t req_got;
static struct xsd_sockmsg held; /* a request answered late (SILENT) */

static void put(uint32_t type, uint32_t id, const void *body, uint32_t len)
{
	struct xsd_sockmsg h = { .type = type, .req_id = id, .len = len };
	const char *b = body;

	for (size_t i = 0; i < sizeof(h) + len; i++)
		ring->rsp[ring->rsp_prod++ % XENSTORE_RING_SIZE] =
			i < sizeof(h) ? ((char *)&h)[i] : b[i - sizeof(h)];
}

static void event(const char *path)
{
	char b[96];
	int n = snprintf(b, sizeof(b), "%s%c%s", path, 0, watch.token);

	put(XS_WATCH_EVENT, 0, b, (uint32_t)n + 1);
}

static char *node(const char *path, bool create)
{
	for (int i = 0; i < NODES; i++)
		if (!strcmp(store[i].path, path))
			return store[i].value;
	for (int i = 0; create && i < NODES; i++)
		if (!store[i].path[0]) {
			snprintf(store[i].path, sizeof(store[i].path), "%s", path);
			return store[i].value;
		}
	return NULL;
}

static void set(const char *path, const char *value)
{
	snprintf(node(path, true), 64, "%s", value);
	if (watch.path[0] && !strncmp(path, watch.path, strlen(watch.path)))
		event(path);
}

static void answer(struct xsd_sockmsg *h, const char *a0, const char *a1)
{
	char b[512];
	uint32_t n = 0;
	char *v;

	switch (h->type) {
	case XS_READ:
		if (!(v = node(a0, false)))
			return put(XS_ERROR, h->req_id, "ENOENT", 7);
		return put(XS_READ, h->req_id, v, (uint32_t)strlen(v));
	case XS_WRITE:
		set(a0, a1);
		return put(XS_WRITE, h->req_id, "OK", 3);
	case XS_DIRECTORY:
		/* The next name below a0 of every node under it, once each. */
		for (int i = 0; i < NODES; i++) {
			size_t l = strlen(a0), c;
			const char *rest = store[i].path + l + 1;
			if (strncmp(store[i].path, a0, l) || store[i].path[l] != '/')
				continue;
			c = strcspn(rest, "/");
			bool seen = false;
			for (uint32_t j = 0; j < n; j += (uint32_t)strlen(b + j) + 1)
				seen |= strlen(b + j) == c && !strncmp(b + j, rest, c);
			if (!seen) {
				memcpy(b + n, rest, c);
				b[n + c] = 0;
				n += (uint32_t)c + 1;
			}
		}
		if (!n && !node(a0, false))
			return put(XS_ERROR, h->req_id, "ENOENT", 7);
		return put(XS_DIRECTORY, h->req_id, b, n);
	case XS_WATCH:
		snprintf(watch.path, sizeof(watch.path), "%s", a0);
		snprintf(watch.token, sizeof(watch.token), "%s", a1);
		put(XS_WATCH, h->req_id, "OK", 3);
		return event(a0); /* fires once when set */
	case XS_UNWATCH:
		watch.path[0] = 0;
		return put(XS_UNWATCH, h->req_id, "OK", 3);
	case XS_TRANSACTION_START:
		return put(XS_TRANSACTION_START, h->req_id, "77", 3);
	case XS_TRANSACTION_END:
		if (mode == EAGAIN_END && eagains && !strcmp(a0, "T")) {
			eagains--;
			return put(XS_ERROR, h->req_id, "EAGAIN", 7);
		}
		return put(XS_TRANSACTION_END, h->req_id, "OK", 3);
	}
	put(XS_ERROR, h->req_id, "EINVAL", 7);
}

/* xenstored's turn: take whole requests off the ring and answer. */
static void serve(void)
{
	while (ring->req_cons != ring->req_prod) {
		struct xsd_sockmsg h;
		req[req_got++] = ring->req[ring->req_cons++ % XENSTORE_RING_SIZE];
		if (req_got < sizeof(h))
			continue;
		memcpy(&h, req, sizeof(h));
		if (req_got < sizeof(h) + h.len)
			continue;
		req[req_got] = 0;
		req_got = 0;
		const char *a0 = req + sizeof(h), *a1 = a0 + strlen(a0) + 1;
		if (h.type == XS_WRITE) /* the value has no NUL: the buffer's */
			req[sizeof(h) + h.len] = 0;
		if (mode == SILENT) {
			held = h;
			continue;
		}
		if (held.req_id) { /* the late reply comes first */
			put(held.type, held.req_id, "late", 4);
			held.req_id = 0;
		}
		if (mode == EVENT_FIRST)
			event("elsewhere");
		if (mode == STALE_FIRST)
			put(h.type, h.req_id - 1, "stale", 5);
		if (mode == WRONG_TYPE)
			return put(XS_READ, h.req_id, "x", 1);
		if (mode == CORRUPT) { /* a header that claims too much */
			struct xsd_sockmsg bad = { .type = XS_READ,
						   .req_id = h.req_id,
						   .len = XENSTORE_PAYLOAD_MAX + 1 };
			for (size_t i = 0; i < sizeof(bad); i++)
				ring->rsp[ring->rsp_prod++ % XENSTORE_RING_SIZE] =
					((char *)&bad)[i];
			return;
		}
		answer(&h, a0, a1);
	}
}

uint64_t ref_now(void)
{
	return ++now;
}

void arch_cpu_relax(void)
{
	serve();
}

void xen_evtchn_send(uint32_t port)
{
	(void)port;
	serve();
}

int xen_hvm_get_param(uint32_t index, uint64_t *value)
{
	*value = index == HVM_PARAM_STORE_PFN ? (uintptr_t)ring >> 12 : 5;
	return 0;
}

int main(void)
{
	char v[64], why[128], names[64], path[64], token[16];
	unsigned count;
	uint32_t tx;
	bool again;

	ring = aligned_alloc(XEN_PAGE, XEN_PAGE);
	memset(ring, 0, XEN_PAGE);

	/* Write, read back, list; errors as xenstore's word. */
	CHECK(xenstore_write(0, "data/x", "1", why, sizeof(why)));
	CHECK(xenstore_read(0, "data/x", v, sizeof(v), why, sizeof(why)));
	CHECK_STR(v, "1");
	CHECK(!xenstore_read(0, "data/none", v, sizeof(v), why, sizeof(why)));
	CHECK_STR(why, "xenstore: ENOENT");
	CHECK(xenstore_write(0, "data/y", "22", why, sizeof(why)));
	CHECK(xenstore_directory(0, "data", names, sizeof(names), &count, why, sizeof(why)));
	CHECK_EQ_U(count, 2);
	CHECK(!memcmp(names, "x\0y\0", 4));
	/* A value longer than the caller's buffer is refused, not cut. */
	CHECK(!xenstore_read(0, "data/y", v, 2, why, sizeof(why)));

	/* A watch fires when set and on each change; events come between
	 * replies and wait in the queue. */
	CHECK(!xenstore_next_event(path, sizeof(path), token, sizeof(token)));
	CHECK(xenstore_watch("data/x", "tk", why, sizeof(why)));
	CHECK(xenstore_write(0, "data/x", "2", why, sizeof(why)));
	CHECK(xenstore_next_event(path, sizeof(path), token, sizeof(token)));
	CHECK_STR(path, "data/x");
	CHECK_STR(token, "tk");
	CHECK(xenstore_next_event(path, sizeof(path), token, sizeof(token)));
	CHECK(!xenstore_next_event(path, sizeof(path), token, sizeof(token)));
	mode = EVENT_FIRST;
	CHECK(xenstore_read(0, "data/x", v, sizeof(v), why, sizeof(why)));
	CHECK_STR(v, "2");
	mode = NORMAL;
	CHECK(xenstore_next_event(path, sizeof(path), token, sizeof(token)));
	CHECK_STR(path, "elsewhere");
	/* More events than the queue holds: the loss is told once. */
	CHECK(!xenstore_events_lost());
	for (int i = 0; i < 12; i++)
		CHECK(xenstore_write(0, "data/x", "3", why, sizeof(why)));
	CHECK(xenstore_events_lost());
	CHECK(!xenstore_events_lost());
	while (xenstore_next_event(path, sizeof(path), token, sizeof(token)))
		;
	CHECK(xenstore_unwatch("data/x", "tk", why, sizeof(why)));

	/* A reply to an earlier request is not the one waited for. */
	mode = STALE_FIRST;
	CHECK(xenstore_read(0, "data/x", v, sizeof(v), why, sizeof(why)));
	CHECK_STR(v, "3");
	/* No answer in a second; the late answer comes later and is dropped. */
	mode = SILENT;
	uint64_t t0 = now;
	CHECK(!xenstore_read(0, "data/x", v, sizeof(v), why, sizeof(why)));
	CHECK_STR(why, "xenstore did not answer within 1000 ms");
	CHECK(now - t0 >= 1000 && now - t0 < 1100);
	mode = NORMAL;
	CHECK(xenstore_read(0, "data/y", v, sizeof(v), why, sizeof(why)));
	CHECK_STR(v, "22");
	/* A reply of another type than the request's. */
	mode = WRONG_TYPE;
	CHECK(!xenstore_write(0, "data/x", "4", why, sizeof(why)));
	CHECK_STR(why, "xenstore answered a request of type 11 with type 2");
	mode = NORMAL;

	/* Transactions: an id, and EAGAIN told apart from other errors. */
	CHECK(xenstore_transaction_start(&tx, why, sizeof(why)));
	CHECK_EQ_U(tx, 77);
	CHECK(xenstore_transaction_end(tx, true, &again, why, sizeof(why)));
	CHECK(!again);
	mode = EAGAIN_END;
	eagains = 1;
	CHECK(!xenstore_transaction_end(tx, true, &again, why, sizeof(why)));
	CHECK(again);
	CHECK_STR(why, "xenstore: EAGAIN");

	/* The handshake: the device the toolstack made, found by number. */
	mode = NORMAL;
	set("device/vif/10/backend", "/local/domain/0/backend/vif/3/10");
	set("device/vif/10/backend-id", "0");
	set("device/vif/9/backend", "/local/domain/0/backend/vif/3/9");
	set("device/vif/9/backend-id", "0");
	set("/local/domain/0/backend/vif/3/9/state", "2");
	set("device/suspend/event-channel", "");
	struct xenbus_dev d;
	int seen;
	CHECK(xenbus_find("vif", 0, &d, why, sizeof(why)));
	CHECK_STR(d.node, "device/vif/9");
	CHECK_STR(d.backend, "/local/domain/0/backend/vif/3/9");
	CHECK(xenbus_find("vif", 1, &d, why, sizeof(why)));
	CHECK_STR(d.node, "device/vif/10");
	CHECK(!xenbus_find("vbd", 0, &d, why, sizeof(why)));
	CHECK_STR(why, "no vbd device 0 in xenstore (device/ has: vif, suspend)");
	CHECK(xenbus_find("vif", 0, &d, why, sizeof(why)));
	CHECK_EQ_U(xenbus_backend_state(&d), XENBUS_STATE_INIT_WAIT);
	char list[160];
	CHECK(xenbus_describe(list, sizeof(list), why, sizeof(why)));
	CHECK_STR(list, "vif/10 (backend d0 state unreadable), vif/9 (backend d0 state InitWait)");
	/* Publish in one transaction, again after an EAGAIN. */
	static const char *const keys[] = { "tx-ring-ref", "event-channel" }, *const vals[] = {
		"8", "5"
	};
	mode = EAGAIN_END;
	eagains = 2;
	CHECK(xenbus_publish(&d, keys, vals, 2, why, sizeof(why)));
	CHECK_STR(node("device/vif/9/state", false), "3");
	CHECK_STR(node("device/vif/9/event-channel", false), "5");
	eagains = 10;
	CHECK(!xenbus_publish(&d, keys, vals, 2, why, sizeof(why)));
	CHECK_STR(why, "xenstore: EAGAIN on each of 5 tries to publish device/vif/9");
	mode = NORMAL;
	/* Waits: met at once, or bounded with the state seen in why. */
	CHECK(xenbus_wait_backend(&d, XENBUS_STATE_INIT_WAIT, 100, &seen, why, sizeof(why)));
	t0 = now;
	CHECK(!xenbus_wait_backend(&d, XENBUS_STATE_CONNECTED, 300, &seen, why, sizeof(why)));
	CHECK_EQ_U(seen, XENBUS_STATE_INIT_WAIT);
	CHECK_STR(why, "backend /local/domain/0/backend/vif/3/9 stayed InitWait (2) for 300 ms");
	CHECK(now - t0 < 1000);
	set("/local/domain/0/backend/vif/3/9/state", "6");
	xenbus_close(&d);
	CHECK_STR(node("device/vif/9/state", false), "6");

	/* A corrupt stream: nothing after it is trusted. */
	mode = CORRUPT;
	CHECK(!xenstore_read(0, "data/x", v, sizeof(v), why, sizeof(why)));
	CHECK_STR(why, "xenstore's reply claims 4097 bytes, more than the 4096 allowed");
	mode = NORMAL;
	CHECK(!xenstore_read(0, "data/x", v, sizeof(v), why, sizeof(why)));
	CHECK(strstr(why, "lost earlier") != NULL);
	free(ring);
	return check_report("xenstore_client");
}
