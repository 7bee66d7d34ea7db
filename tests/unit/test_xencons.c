#include <stdlib.h>
#include <string.h>

#include <drivers/xen/xen.h>

#include "check.h"

int main(void)
{
	struct xencons_ring *r = calloc(1, sizeof(*r));

	CHECK_EQ_U(xencons_ring_write(r, "hello", 5), 5);
	CHECK_EQ_U(r->out_prod, 5);
	CHECK(!memcmp(r->out, "hello", 5));

	/* Full: nothing more until the consumer moves. */
	char big[4096];
	memset(big, 'x', sizeof(big));
	CHECK_EQ_U(xencons_ring_write(r, big, sizeof(big)), XENCONS_OUT_SIZE - 5);
	CHECK_EQ_U(xencons_ring_write(r, "y", 1), 0);
	r->out_cons = 10;
	CHECK_EQ_U(xencons_ring_write(r, "abcdefghijkl", 12), 10);
	/* wrapped into the first slots */
	CHECK(!memcmp(r->out, "abcdefghij", 10));

	/* Indices that wrap around 2^32 keep working. */
	memset(r, 0, sizeof(*r));
	r->out_cons = r->out_prod = 0xfffffffeu;
	CHECK_EQ_U(xencons_ring_write(r, "wrap", 4), 4);
	CHECK_EQ_U(r->out_prod, 2);
	CHECK(r->out[2046] == 'w' && r->out[2047] == 'r' && r->out[0] == 'a' && r->out[1] == 'p');

	/* A corrupt pair queues nothing instead of scribbling. */
	r->out_cons = 0;
	r->out_prod = 5000;
	CHECK_EQ_U(xencons_ring_write(r, "z", 1), 0);
	free(r);
	return check_report("xencons");
}
