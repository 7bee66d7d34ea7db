/*
 * The XenbusState handshake of a PV frontend (io/xenbus.h): the toolstack
 * writes device/<type>/<id>/{backend,backend-id} into this domain's
 * xenstore home; the frontend publishes its rings and moves its own
 * state, and follows the backend's, through a watch on it. Every wait is
 * bounded and says which state it saw.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arch/counter.h>
#include <drivers/xen/xen.h>
#include <drivers/xen/xenbus.h>
#include <vmb/arch.h>
#include <vmb/platform.h>

/* xenstored answers EAGAIN only when another writer came between: a few
 * runs settle it, more would hide a loop. */
#define PUBLISH_TRIES 5
#define CLOSE_MS 2000
/* Watch events can be lost (a full queue): read the node this often too. */
#define REREAD_MS 200
#define NAMES 512

static const char *const state_names[] = { "Unknown",	"Initialising", "InitWait", "Initialised",
					   "Connected", "Closing",	"Closed" };

const char *xenbus_state_name(int state)
{
	if (state < 0 || state >= (int)(sizeof(state_names) / sizeof(state_names[0])))
		return "?";
	return state_names[state];
}

/* names (count NUL-ended) joined with ", " into out. */
static void join(const char *names, unsigned count, char *out, size_t len)
{
	size_t o = 0;

	out[0] = 0;
	for (unsigned i = 0; i < count && o < len; i++, names += strlen(names) + 1)
		o += (size_t)snprintf(out + o, len - o, "%s%s", i ? ", " : "", names);
}

/* The numeric ids of a directory listing, the nth smallest into *id. */
static bool nth_id(const char *names, unsigned count, unsigned nth, unsigned long *id)
{
	const char *n = names;

	/* The one with exactly nth smaller ids: a handful of devices at most. */
	for (unsigned i = 0; i < count; i++, n += strlen(n) + 1) {
		const char *a = names;
		unsigned long v = strtoul(n, NULL, 10);
		unsigned below = 0;
		for (unsigned j = 0; j < count; j++, a += strlen(a) + 1)
			below += strtoul(a, NULL, 10) < v;
		if (below == nth) {
			*id = v;
			return true;
		}
	}
	return false;
}

bool xenbus_find(const char *type, unsigned nth, struct xenbus_dev *d, char *why, size_t why_len)
{
	static char names[NAMES];
	char path[64], value[16], has[96];
	unsigned count = 0;
	unsigned long id;

	memset(d, 0, sizeof(*d));
	if (snprintf(path, sizeof(path), "device/%s", type) >= (int)sizeof(path)) {
		snprintf(why, why_len, "no such device type: %s", type);
		return false;
	}
	if (!xenstore_directory(0, path, names, sizeof(names), &count, why, why_len) &&
	    strcmp(why, "xenstore: ENOENT"))
		return false;
	if (!nth_id(names, count, nth, &id)) {
		/* Say what the domain has instead. */
		count = 0;
		if (!xenstore_directory(0, "device", names, sizeof(names), &count, has,
					sizeof(has)))
			count = 0;
		join(names, count, has, sizeof(has));
		if (!count)
			snprintf(has, sizeof(has), "nothing");
		snprintf(why, why_len, "no %s device %u in xenstore (device/ has: %s)", type, nth,
			 has);
		return false;
	}
	snprintf(d->node, sizeof(d->node), "device/%s/%lu", type, id);
	snprintf(path, sizeof(path), "%s/backend", d->node);
	if (!xenstore_read(0, path, d->backend, sizeof(d->backend), why, why_len))
		return false;
	snprintf(path, sizeof(path), "%s/backend-id", d->node);
	if (!xenstore_read(0, path, value, sizeof(value), why, why_len))
		return false;
	d->backend_id = (unsigned)strtoul(value, NULL, 10);
	return true;
}

bool xenbus_read_backend(const struct xenbus_dev *d, const char *key, char *value, size_t len,
			 char *why, size_t why_len)
{
	char path[128];

	if (snprintf(path, sizeof(path), "%s/%s", d->backend, key) >= (int)sizeof(path)) {
		snprintf(why, why_len, "path too long: %s/%s", d->backend, key);
		return false;
	}
	return xenstore_read(0, path, value, len, why, why_len);
}

int xenbus_backend_state(const struct xenbus_dev *d)
{
	char value[8], why[8], *end;
	long s;

	if (!xenbus_read_backend(d, "state", value, sizeof(value), why, sizeof(why)))
		return -1;
	s = strtol(value, &end, 10);
	return end == value || *end || s < 0 ? -1 : (int)s;
}

bool xenbus_publish(struct xenbus_dev *d, const char *const *keys, const char *const *values,
		    unsigned n, char *why, size_t why_len)
{
	char path[128], state[4];
	bool again = false;

	snprintf(state, sizeof(state), "%d", XENBUS_STATE_INITIALISED);
	for (unsigned tries = 0; tries < PUBLISH_TRIES; tries++) {
		uint32_t tx;
		bool ok = true;
		if (!xenstore_transaction_start(&tx, why, why_len))
			return false;
		for (unsigned i = 0; ok && i <= n; i++) {
			snprintf(path, sizeof(path), "%s/%s", d->node, i < n ? keys[i] : "state");
			ok = xenstore_write(tx, path, i < n ? values[i] : state, why, why_len);
		}
		if (!ok) {
			char ignored[8];
			xenstore_transaction_end(tx, false, &again, ignored, sizeof(ignored));
			return false;
		}
		if (xenstore_transaction_end(tx, true, &again, why, why_len))
			return true;
		if (!again)
			return false;
	}
	snprintf(why, why_len, "xenstore: EAGAIN on each of %u tries to publish %s", PUBLISH_TRIES,
		 d->node);
	return false;
}

bool xenbus_set_state(struct xenbus_dev *d, int state, char *why, size_t why_len)
{
	char path[64], value[4];

	snprintf(path, sizeof(path), "%s/state", d->node);
	snprintf(value, sizeof(value), "%d", state);
	return xenstore_write(0, path, value, why, why_len);
}

/* Wait until the backend's state is one of mask's bits. */
static bool wait_states(struct xenbus_dev *d, unsigned mask, unsigned timeout_ms, int *seen,
			char *why, size_t why_len)
{
	char path[112], epath[112], token[16];
	uint64_t deadline = ref_now() + ref_ms(timeout_ms), reread = 0;
	bool watched, ok = false;

	snprintf(path, sizeof(path), "%s/state", d->backend);
	/* Without a watch the node is still read, every REREAD_MS. */
	watched = xenstore_watch(path, "vmb-be", why, why_len);
	*seen = -1;
	for (;;) {
		/* Any watch's event is taken: one handshake runs at a time. */
		bool fired = xenstore_next_event(epath, sizeof(epath), token, sizeof(token));
		/* The watch fires once when set: the first read comes from it,
		 * or from the timer when events went missing. */
		if (fired || xenstore_events_lost() || ref_now() >= reread) {
			*seen = xenbus_backend_state(d);
			reread = ref_now() + ref_ms(REREAD_MS);
			if (*seen >= 0 && *seen < 32 && (mask & (1u << *seen))) {
				ok = true;
				break;
			}
		}
		if (ref_now() > deadline)
			break;
		arch_cpu_relax();
	}
	if (watched)
		xenstore_unwatch(path, "vmb-be", epath, sizeof(epath));
	if (!ok)
		snprintf(why, why_len, "backend %s stayed %s (%d) for %u ms", d->backend,
			 *seen < 0 ? "unreadable" : xenbus_state_name(*seen), *seen, timeout_ms);
	return ok;
}

bool xenbus_wait_backend(struct xenbus_dev *d, int want, unsigned timeout_ms, int *seen, char *why,
			 size_t why_len)
{
	*seen = -1;
	if (want < 0 || want >= 32) {
		snprintf(why, why_len, "no XenbusState %d", want);
		return false;
	}
	return wait_states(d, 1u << want, timeout_ms, seen, why, why_len);
}

void xenbus_close(struct xenbus_dev *d)
{
	char why[8];
	int seen;

	/* Nothing to report to: closing is best effort, each step bounded. */
	xenbus_set_state(d, XENBUS_STATE_CLOSING, why, sizeof(why));
	wait_states(d, 1u << XENBUS_STATE_CLOSING | 1u << XENBUS_STATE_CLOSED, CLOSE_MS, &seen, why,
		    sizeof(why));
	xenbus_set_state(d, XENBUS_STATE_CLOSED, why, sizeof(why));
}

bool xenbus_describe(char *out, size_t len, char *why, size_t why_len)
{
	static char types[NAMES], ids[NAMES];
	unsigned ntypes = 0, nids;
	size_t o = 0;

	out[0] = 0;
	if (!xenstore_directory(0, "device", types, sizeof(types), &ntypes, why, why_len))
		return !strcmp(why, "xenstore: ENOENT"); /* no device/ at all: none */
	for (const char *t = types; ntypes--; t += strlen(t) + 1) {
		char path[64];
		/* A name too long for our buffers is no device we drive. */
		if (snprintf(path, sizeof(path), "device/%s", t) >= (int)sizeof(path))
			continue;
		if (!xenstore_directory(0, path, ids, sizeof(ids), &nids, why, why_len))
			return false;
		for (const char *id = ids; nids-- && o < len; id += strlen(id) + 1) {
			struct xenbus_dev d = { .backend_id = 0 };
			char state[24] = "unreadable", value[16], ignored[8];
			int s;
			if (snprintf(d.node, sizeof(d.node), "device/%s/%s", t, id) >=
			    (int)sizeof(d.node))
				continue;
			snprintf(path, sizeof(path), "%s/backend", d.node);
			/* Not every entry is a device: xl's device/suspend/
			 * event-channel has no backend. */
			if (!xenstore_read(0, path, d.backend, sizeof(d.backend), ignored,
					   sizeof(ignored)))
				continue;
			s = xenbus_backend_state(&d);
			if (s >= 0)
				snprintf(state, sizeof(state), "%s", xenbus_state_name(s));
			snprintf(path, sizeof(path), "%s/backend-id", d.node);
			if (!xenstore_read(0, path, value, sizeof(value), ignored, sizeof(ignored)))
				snprintf(value, sizeof(value), "?");
			o += (size_t)snprintf(out + o, len - o, "%s%s/%s (backend d%s state %s)",
					      o ? ", " : "", t, id, value, state);
		}
	}
	return true;
}
