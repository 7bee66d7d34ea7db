/*
 * Xen's PV console for guests started by a toolstack (`xl create`): the
 * ring's page and event channel come from HVM parameters; after queuing
 * output we kick the event channel. A full ring is waited on for a bounded
 * time only, so a console nobody drains cannot hang the run.
 */
#include <stdint.h>

#include <vmb/arch.h>
#include <vmb/console.h>
#include <drivers/xen/xen.h>

#define FULL_RING_SPINS 1000000

static volatile struct xencons_ring *ring;
static uint32_t evtchn;

static void kick(void)
{
	xen_evtchn_send(evtchn);
}

static void pv_console_sink(const char *s, size_t len)
{
	unsigned spins = 0;

	while (len) {
		size_t n = xencons_ring_write(ring, s, len);
		s += n;
		len -= n;
		kick();
		if (!n && ++spins > FULL_RING_SPINS)
			return; /* nobody reads the console: drop rather than hang */
		if (!n)
			arch_cpu_relax();
	}
}

bool xen_pv_console_init(void)
{
	uint64_t pfn = 0, port = 0;

	if (xen_hvm_get_param(HVM_PARAM_CONSOLE_PFN, &pfn) || !pfn ||
	    xen_hvm_get_param(HVM_PARAM_CONSOLE_EVTCHN, &port))
		return false;
	ring = (volatile struct xencons_ring *)(uintptr_t)(pfn << 12);
	evtchn = (uint32_t)port;
	console_set_sink(pv_console_sink, "xen-pv-console");
	return true;
}
