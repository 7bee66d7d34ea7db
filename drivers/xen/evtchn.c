/*
 * Event channels (event_channel.h, 2-level ABI): a port allocated for a
 * backend to bind, its pending bit in the shared info page, and the mask
 * Xen looks at before it raises this guest's upcall.
 */
#include <stdio.h>

#include <arch/xen.h>
#include <drivers/xen/xen.h>

#define PENDING_OFF XEN_EVTCHN_PENDING_OFF
#define MASK_OFF XEN_EVTCHN_MASK_OFF

static volatile uint64_t *word(unsigned off, uint32_t port)
{
	char why[8];
	volatile char *s = xen_shared_info(why, sizeof(why));

	return s ? (volatile uint64_t *)(s + off) + port / 64 : NULL;
}

bool evtchn_alloc_unbound(unsigned remote_dom, uint32_t *port, char *why, size_t why_len)
{
	struct evtchn_alloc_unbound a = { .dom = DOMID_SELF, .remote_dom = (uint16_t)remote_dom };
	long rc = arch_xen_hypercall(XEN_HC_EVENT_CHANNEL_OP, EVTCHNOP_ALLOC_UNBOUND, (uintptr_t)&a,
				     0);

	if (rc) {
		snprintf(why, why_len, "Xen refused an event channel for d%u (%ld)", remote_dom,
			 rc);
		return false;
	}
	*port = a.port;
	/* Masked until an interrupt is wanted: a polled device's events
	 * would otherwise leave this vCPU's selector and upcall flag set,
	 * and Xen raises the upcall only when they go from clear to set. */
	xen_upcall_release(a.port);
	return true;
}

void evtchn_close(uint32_t port)
{
	arch_xen_hypercall(XEN_HC_EVENT_CHANNEL_OP, EVTCHNOP_CLOSE, (uintptr_t)&port, 0);
}

bool evtchn_take(uint32_t port)
{
	volatile uint64_t *w = word(PENDING_OFF, port);
	uint64_t bit = 1ull << (port % 64);

	return w && (__atomic_fetch_and(w, ~bit, __ATOMIC_ACQ_REL) & bit);
}

void evtchn_unmask(uint32_t port)
{
	/* Xen clears the mask bit and, if the port is pending, raises the
	 * upcall it would have raised: the edge is not lost. */
	arch_xen_hypercall(XEN_HC_EVENT_CHANNEL_OP, EVTCHNOP_UNMASK, (uintptr_t)&port, 0);
}

static struct {
	bool tried, ok;
	unsigned irq;
	char via[48], why[160];
} upcall;

bool xen_upcall_route(uint32_t port, unsigned *irq, char *via, size_t via_len, char *why,
		      size_t why_len)
{
	if (!upcall.tried) {
		upcall.tried = true;
		upcall.ok = arch_xen_upcall(&upcall.irq, upcall.via, sizeof(upcall.via), upcall.why,
					    sizeof(upcall.why));
	}
	if (!upcall.ok) {
		snprintf(why, why_len, "%s", upcall.why);
		return false;
	}
	*irq = upcall.irq;
	snprintf(via, via_len, "event channel %u, %s", port, upcall.via);
	return true;
}

void xen_upcall_allow(uint32_t port)
{
	/* What polling left behind is no event for the handler, and would
	 * keep the next one from raising the upcall. */
	evtchn_upcall_ack(port);
	evtchn_unmask(port);
}

void xen_upcall_release(uint32_t port)
{
	volatile uint64_t *w = word(MASK_OFF, port);

	if (w)
		__atomic_fetch_or(w, 1ull << (port % 64), __ATOMIC_ACQ_REL);
}

void evtchn_upcall_ack(uint32_t port)
{
	char why[8];
	volatile uint8_t *vcpu0 = xen_shared_info(why, sizeof(why));

	if (!vcpu0)
		return;
	/* The order Xen's header asks for: the vCPU's flag before the
	 * selector and the port, so that an event that comes meanwhile
	 * raises the upcall again. Xen keeps raising it while the flag
	 * (vcpu_info's first byte) is set. */
	__atomic_store_n(vcpu0, 0, __ATOMIC_SEQ_CST);
	__atomic_fetch_and((volatile uint64_t *)(vcpu0 + 8), ~(1ull << (port / 64)),
			   __ATOMIC_ACQ_REL);
	evtchn_take(port);
}

void evtchn_describe(uint32_t port, char *out, size_t len)
{
	char why[8];
	volatile uint8_t *s = xen_shared_info(why, sizeof(why));

	if (!s) {
		snprintf(out, len, "port %u: no shared info page", port);
		return;
	}
	uint64_t bit = 1ull << (port % 64);
	snprintf(out, len, "port %u pending %d masked %d, vCPU 0 upcall flag %u selector %#llx",
		 port, (*word(PENDING_OFF, port) & bit) != 0, (*word(MASK_OFF, port) & bit) != 0,
		 s[0], (unsigned long long)*(volatile uint64_t *)(s + 8));
}
