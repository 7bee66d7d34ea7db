/*
 * The index arithmetic of Xen's shared rings (io/ring.h). Each side
 * publishes a free-running producer index and says, by an event index,
 * when it wants to be told that the other produced more. Indices written
 * by the other domain are checked before any slot is read. Plain C,
 * tested on the host.
 */
#include <drivers/xen/xen.h>

bool xen_ring_notify(uint32_t old_prod, uint32_t new_prod, uint32_t event)
{
	/* event lies in (old, new]: the producer passed it with this push. */
	return (uint32_t)(new_prod - event) < (uint32_t)(new_prod - old_prod);
}

bool xen_ring_arm(volatile struct xen_sring_header *s, uint32_t cons)
{
	s->rsp_event = cons + 1;
	/* The event index before the producer is read again. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return __atomic_load_n(&s->rsp_prod, __ATOMIC_ACQUIRE) == cons;
}

int xen_ring_pending(uint32_t prod, uint32_t cons, uint32_t size)
{
	uint32_t n = prod - cons;

	return n > size ? -1 : (int)n;
}
