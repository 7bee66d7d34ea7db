/*
 * A xenstore client for a domU made by a toolstack: the ring page and
 * event channel from HVM parameters, one request at a time, polled with
 * a time limit. Replies are matched by req_id; watch events may come
 * between them and are queued. What dom0 writes is checked
 * (xenstore_msg.c); after a corrupt stream nothing more is trusted.
 */
#include <stdio.h>
#include <string.h>

#include <arch/counter.h>
#include <drivers/xen/xen.h>
#include <vmb/arch.h>
#include <vmb/platform.h>

#define REPLY_MS 1000
/* Watch events kept until taken; a handshake watches one node at a time. */
#define EVENTS 8
#define EVENT_PATH 128
#define EVENT_TOKEN 32

static volatile struct xenstore_ring *ring;
static uint32_t port, next_id;
static const char *lost; /* why the stream is no longer trusted */
static bool eagain;	 /* the last call's error was EAGAIN */
static struct xs_reply in;

static struct {
	char path[EVENT_PATH], token[EVENT_TOKEN];
} events[EVENTS];
static unsigned ev_head, ev_count;
/* The queue overflowed: events were dropped, so a watcher cannot know
 * what changed and must read its nodes again (xenstore_events_lost). */
static bool ev_dropped;

static bool connect(char *why, size_t why_len)
{
	uint64_t pfn = 0, evtchn = 0;

	if (lost) {
		snprintf(why, why_len, "xenstore's stream was lost earlier (%s)", lost);
		return false;
	}
	if (ring)
		return true;
	if (xen_hvm_get_param(HVM_PARAM_STORE_PFN, &pfn) || !pfn ||
	    xen_hvm_get_param(HVM_PARAM_STORE_EVTCHN, &evtchn)) {
		snprintf(why, why_len, "no xenstore: Xen names no ring (HVM_PARAM_STORE_PFN)");
		return false;
	}
	ring = (volatile struct xenstore_ring *)(uintptr_t)(pfn << 12);
	port = (uint32_t)evtchn;
	return true;
}

static void queue_event(void)
{
	unsigned slot;

	if (ev_count == EVENTS) {
		ev_dropped = true;
		return;
	}
	slot = (ev_head + ev_count) % EVENTS;
	/* An event too long or malformed to keep is a dropped one. */
	if (!xs_reply_event(&in, events[slot].path, EVENT_PATH, events[slot].token, EVENT_TOKEN)) {
		ev_dropped = true;
		return;
	}
	ev_count++;
}

/* Read what the ring holds, queueing watch events, until a whole reply
 * (in) is there or, past the deadline, nothing more comes: XS_DONE,
 * XS_MORE (time ran out) or XS_CORRUPT (lost is set). A deadline of 0
 * only drains. */
static enum xs_feed pump(uint64_t deadline)
{
	char buf[256];

	for (;;) {
		size_t want = xs_reply_need(&in), n, used;
		n = xenstore_ring_get(ring, buf, want < sizeof(buf) ? want : sizeof(buf));
		if (!n) {
			if (!deadline || ref_now() > deadline)
				return XS_MORE;
			arch_cpu_relax();
			continue;
		}
		xen_evtchn_send(port); /* slots freed: xenstored may write more */
		enum xs_feed f = xs_reply_feed(&in, buf, n, &used);
		if (f == XS_CORRUPT || used != n) {
			lost = "a reply longer than XENSTORE_PAYLOAD_MAX";
			return f;
		}
		if (f == XS_DONE && in.h.type == XS_WATCH_EVENT)
			queue_event();
		else if (f == XS_DONE)
			return f;
	}
}

/* Send one request and wait for its reply in `in`: false and why on no
 * xenstore, a timeout, a corrupt stream, an unexpected reply type or
 * xenstore's error word. */
static bool call(uint32_t type, uint32_t tx, const char *a0, const char *a1, char *why,
		 size_t why_len)
{
	static char req[sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX];
	uint64_t deadline = ref_now() + ref_ms(REPLY_MS);
	uint32_t id = ++next_id;
	size_t len, done = 0;
	const char *err;

	eagain = false;
	if (!connect(why, why_len))
		return false;
	len = xs_request(req, sizeof(req), type, id, tx, a0, a1);
	if (!len) {
		snprintf(why, why_len, "xenstore request too long (%s)", a0);
		return false;
	}
	while (done < len) {
		size_t n = xenstore_ring_put(ring, req + done, len - done);
		done += n;
		if (n)
			xen_evtchn_send(port);
		else if (ref_now() > deadline)
			break;
		else
			arch_cpu_relax();
	}
	if (done < len) {
		/* Half a request on the ring: whatever follows is misread. */
		if (done)
			lost = "a request was cut off";
		snprintf(why, why_len, "xenstore took no request within %u ms", REPLY_MS);
		return false;
	}
	/* Replies to requests that timed out earlier come first: dropped. */
	for (;;) {
		enum xs_feed f = pump(deadline);
		if (f == XS_CORRUPT) {
			snprintf(why, why_len,
				 "xenstore's reply claims %u bytes, more than the %u allowed",
				 in.h.len, XENSTORE_PAYLOAD_MAX);
			return false;
		}
		if (f == XS_MORE) {
			snprintf(why, why_len, "xenstore did not answer within %u ms", REPLY_MS);
			return false;
		}
		if (in.h.req_id == id)
			break;
	}
	err = xs_reply_error(&in);
	if (err) {
		eagain = !strcmp(err, "EAGAIN");
		snprintf(why, why_len, "xenstore: %s", err);
		return false;
	}
	if (in.h.type != type) {
		snprintf(why, why_len, "xenstore answered a request of type %u with type %u", type,
			 in.h.type);
		return false;
	}
	return true;
}

bool xenstore_read(uint32_t tx, const char *path, char *value, size_t len, char *why,
		   size_t why_len)
{
	if (!call(XS_READ, tx, path, NULL, why, why_len))
		return false;
	if (!xs_reply_string(&in, value, len)) {
		snprintf(why, why_len, "xenstore: %s holds %u bytes, not a string of under %zu",
			 path, in.h.len, len);
		return false;
	}
	return true;
}

bool xenstore_write(uint32_t tx, const char *path, const char *value, char *why, size_t why_len)
{
	return call(XS_WRITE, tx, path, value, why, why_len);
}

bool xenstore_directory(uint32_t tx, const char *path, char *names, size_t len, unsigned *count,
			char *why, size_t why_len)
{
	if (!call(XS_DIRECTORY, tx, path, NULL, why, why_len))
		return false;
	if (!xs_reply_names(&in, names, len, count)) {
		snprintf(why, why_len, "xenstore: %s's list of %u bytes is malformed or over %zu",
			 path, in.h.len, len);
		return false;
	}
	return true;
}

bool xenstore_watch(const char *path, const char *token, char *why, size_t why_len)
{
	return call(XS_WATCH, 0, path, token, why, why_len);
}

bool xenstore_unwatch(const char *path, const char *token, char *why, size_t why_len)
{
	return call(XS_UNWATCH, 0, path, token, why, why_len);
}

bool xenstore_next_event(char *path, size_t plen, char *token, size_t tlen)
{
	char why[8];

	/* Replies that come now are to requests that timed out: dropped. */
	if (connect(why, sizeof(why)))
		while (pump(0) == XS_DONE)
			;
	if (!ev_count)
		return false;
	snprintf(path, plen, "%s", events[ev_head].path);
	snprintf(token, tlen, "%s", events[ev_head].token);
	ev_head = (ev_head + 1) % EVENTS;
	ev_count--;
	return true;
}

bool xenstore_events_lost(void)
{
	bool dropped = ev_dropped;

	ev_dropped = false;
	return dropped;
}

bool xenstore_transaction_start(uint32_t *tx, char *why, size_t why_len)
{
	if (!call(XS_TRANSACTION_START, 0, "", NULL, why, why_len))
		return false;
	if (!xs_reply_u32(&in, tx) || !*tx) {
		snprintf(why, why_len, "xenstore gave no transaction id");
		return false;
	}
	return true;
}

bool xenstore_transaction_end(uint32_t tx, bool commit, bool *again, char *why, size_t why_len)
{
	bool ok = call(XS_TRANSACTION_END, tx, commit ? "T" : "F", NULL, why, why_len);

	*again = !ok && eagain;
	return ok;
}
