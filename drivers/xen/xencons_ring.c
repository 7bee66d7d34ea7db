/*
 * The output half of Xen's console ring protocol: we produce at out_prod,
 * the console daemon consumes at out_cons; indices run free and wrap by
 * the ring's power-of-two size. Plain C, tested on the host.
 */
#include <drivers/xen/xen.h>

size_t xencons_ring_write(volatile struct xencons_ring *ring, const char *s, size_t len)
{
	uint32_t cons = ring->out_cons, prod = ring->out_prod;
	size_t n = 0;

	/* Read the consumer index before reusing the slots it freed. */
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	/* A corrupt pair (more queued than the ring holds) queues nothing. */
	if (prod - cons > XENCONS_OUT_SIZE)
		return 0;
	while (n < len && prod - cons < XENCONS_OUT_SIZE) {
		ring->out[prod % XENCONS_OUT_SIZE] = s[n++];
		prod++;
	}
	/* The bytes must be visible before the index that publishes them. */
	__atomic_thread_fence(__ATOMIC_RELEASE);
	ring->out_prod = prod;
	return n;
}
