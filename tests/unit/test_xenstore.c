/* xenstore's ring halves: wrap-around, a full ring, and a reply ring whose
 * indices dom0 corrupted. */
#include <stdlib.h>
#include <string.h>

#include <drivers/xen/xen.h>

#include "check.h"

int main(void)
{
	struct xenstore_ring *r = calloc(1, sizeof(*r));
	char big[2 * XENSTORE_RING_SIZE], out[2 * XENSTORE_RING_SIZE];

	/* A request, then as much as fits until xenstored consumes. */
	CHECK_EQ_U(xenstore_ring_put(r, "domid", 6), 6);
	CHECK_EQ_U(r->req_prod, 6);
	CHECK(!memcmp(r->req, "domid", 6));
	memset(big, 'x', sizeof(big));
	CHECK_EQ_U(xenstore_ring_put(r, big, sizeof(big)), XENSTORE_RING_SIZE - 6);
	CHECK_EQ_U(xenstore_ring_put(r, "y", 1), 0);
	r->req_cons = 4;
	CHECK_EQ_U(xenstore_ring_put(r, "abcdef", 6), 4);
	CHECK(!memcmp(r->req, "abcd", 4)); /* wrapped into the first slots */

	/* A reply: only what xenstored produced, across the wrap. */
	memset(r, 0, sizeof(*r));
	r->rsp_cons = r->rsp_prod = 0xfffffffeu;
	r->rsp[XENSTORE_RING_SIZE - 2] = '1';
	r->rsp[XENSTORE_RING_SIZE - 1] = '2';
	r->rsp[0] = '3';
	r->rsp_prod += 3;
	CHECK_EQ_U(xenstore_ring_get(r, out, sizeof(out)), 3);
	CHECK(!memcmp(out, "123", 3));
	CHECK_EQ_U(r->rsp_cons, 1);
	CHECK_EQ_U(xenstore_ring_get(r, out, sizeof(out)), 0);
	/* Less asked than there is: the rest stays for the next call. */
	r->rsp_prod += 5;
	CHECK_EQ_U(xenstore_ring_get(r, out, 2), 2);
	CHECK_EQ_U(xenstore_ring_get(r, out, 10), 3);

	/* Corrupt indices (more than a ring's worth queued) move nothing. */
	r->rsp_cons = 0;
	r->rsp_prod = 5000;
	CHECK_EQ_U(xenstore_ring_get(r, out, sizeof(out)), 0);
	CHECK_EQ_U(r->rsp_cons, 0);
	r->req_cons = 0;
	r->req_prod = 3000;
	CHECK_EQ_U(xenstore_ring_put(r, "z", 1), 0);
	free(r);
	return check_report("xenstore");
}
