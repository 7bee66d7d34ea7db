/*
 * A xenstore client for a domU made by a toolstack: the ring page and
 * event channel from HVM parameters, one request at a time, polled with
 * a time limit. So far it reads (XS_READ); watches and transactions come
 * with the PV devices. A reply's length is dom0's word: it is checked.
 */
#include <stdio.h>
#include <string.h>

#include <arch/counter.h>
#include <drivers/xen/xen.h>
#include <vmb/arch.h>
#include <vmb/platform.h>

#define REPLY_MS 1000

static volatile struct xenstore_ring *ring;
static uint32_t port, next_id;

static bool connect(char *why, size_t why_len)
{
	uint64_t pfn = 0, evtchn = 0;

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

/* Move all of len bytes through the ring, kicking xenstored, until the
 * deadline: false when time ran out first. */
static bool transfer(bool out, void *data, size_t len, uint64_t deadline)
{
	char *p = data;

	while (len) {
		size_t n = out ? xenstore_ring_put(ring, p, len) : xenstore_ring_get(ring, p, len);
		p += n;
		len -= n;
		if (n)
			xen_evtchn_send(port);
		else if (ref_now() > deadline)
			return false;
		else
			arch_cpu_relax();
	}
	return true;
}

bool xenstore_read(const char *path, char *value, size_t len, char *why, size_t why_len)
{
	struct xsd_sockmsg h = { .type = XS_READ,
				 .req_id = ++next_id,
				 .len = (uint32_t)strlen(path) + 1 };
	static char body[XENSTORE_PAYLOAD_MAX + 1];
	uint64_t deadline = ref_now() + ref_ms(REPLY_MS);

	if (!connect(why, why_len))
		return false;
	if (!transfer(true, &h, sizeof(h), deadline) ||
	    !transfer(true, (char *)path, h.len, deadline) ||
	    !transfer(false, &h, sizeof(h), deadline)) {
		snprintf(why, why_len, "xenstore did not answer within %u ms", REPLY_MS);
		return false;
	}
	if (h.len > XENSTORE_PAYLOAD_MAX) {
		snprintf(why, why_len, "xenstore's reply claims %u bytes, more than the %u allowed",
			 h.len, XENSTORE_PAYLOAD_MAX);
		ring = NULL; /* the stream is lost: no later reply can be trusted */
		return false;
	}
	if (!transfer(false, body, h.len, deadline)) {
		snprintf(why, why_len, "xenstore's reply stopped after its header");
		ring = NULL;
		return false;
	}
	body[h.len] = 0;
	if (h.type == XS_ERROR) {
		snprintf(why, why_len, "xenstore: %s", body);
		return false;
	}
	snprintf(value, len, "%s", body);
	return true;
}
