/*
 * The two halves of xenstore's ring protocol (io/xs_wire.h): requests go
 * out at req_prod, which xenstored consumes at req_cons; replies come in
 * at rsp_prod, which we consume at rsp_cons. Indices run free and wrap by
 * the ring's power-of-two size. The reply ring is written by dom0: its
 * indices are checked before use. Plain C, tested on the host.
 */
#include <drivers/xen/xen.h>

size_t xenstore_ring_put(volatile struct xenstore_ring *r, const void *data, size_t len)
{
	const char *s = data;
	uint32_t cons = r->req_cons, prod = r->req_prod;
	size_t n = 0;

	/* Read the consumer index before reusing the slots it freed. */
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	if (prod - cons > XENSTORE_RING_SIZE)
		return 0;
	while (n < len && prod - cons < XENSTORE_RING_SIZE)
		r->req[prod++ % XENSTORE_RING_SIZE] = s[n++];
	/* The bytes before the index that publishes them. */
	__atomic_thread_fence(__ATOMIC_RELEASE);
	r->req_prod = prod;
	return n;
}

size_t xenstore_ring_get(volatile struct xenstore_ring *r, void *buf, size_t len)
{
	char *d = buf;
	uint32_t cons = r->rsp_cons, prod = r->rsp_prod;
	size_t n = 0;

	/* The producer index before the bytes it published. */
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	if (prod - cons > XENSTORE_RING_SIZE)
		return 0;
	while (n < len && cons != prod)
		d[n++] = r->rsp[cons++ % XENSTORE_RING_SIZE];
	/* Done with the bytes before the slots are handed back. */
	__atomic_thread_fence(__ATOMIC_RELEASE);
	r->rsp_cons = cons;
	return n;
}
