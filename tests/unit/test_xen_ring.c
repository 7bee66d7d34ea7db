/* The index arithmetic of Xen's shared rings (when to notify, what is
 * pending, a corrupt producer) and the scratch-disk mark. */
#include <string.h>

#include <drivers/blk/blkdev.h>
#include <drivers/xen/xen.h>

#include "check.h"

int main(void)
{
	/* The other side asked to be told at index 5 (event = 5). */
	CHECK(xen_ring_notify(4, 5, 5));  /* pushed exactly to it */
	CHECK(xen_ring_notify(2, 9, 5));  /* pushed past it */
	CHECK(!xen_ring_notify(5, 9, 5)); /* it was passed before this push */
	CHECK(!xen_ring_notify(1, 4, 5)); /* not reached yet */
	CHECK(!xen_ring_notify(7, 7, 5)); /* nothing pushed */
	/* Across the 2^32 wrap of the free-running indices. */
	CHECK(xen_ring_notify(0xfffffffeu, 2, 0xffffffffu));
	CHECK(xen_ring_notify(0xfffffffeu, 2, 1));
	CHECK(!xen_ring_notify(0xfffffffeu, 2, 3));
	CHECK(!xen_ring_notify(2, 4, 0xffffffffu));

	CHECK_EQ_U(xen_ring_pending(7, 7, 32), 0);
	CHECK_EQ_U(xen_ring_pending(39, 7, 32), 32);
	CHECK(xen_ring_pending(40, 7, 32) < 0);		      /* more than the ring holds */
	CHECK(xen_ring_pending(6, 7, 32) < 0);		      /* producer behind the consumer */
	CHECK_EQ_U(xen_ring_pending(3, 0xfffffffdu, 256), 6); /* wrapped */

	/* The final check: the event index just past the consumer, and
	 * whether a response is already waiting. */
	struct xen_sring_header h = { .rsp_prod = 9, .rsp_event = 1 };
	CHECK(xen_ring_arm(&h, 9));
	CHECK_EQ_U(h.rsp_event, 10);
	h.rsp_prod = 11;
	CHECK(!xen_ring_arm(&h, 10));
	CHECK_EQ_U(h.rsp_event, 11);

	/* The mark: exactly BLKDEV_MARK at the start, whatever follows. */
	unsigned char s[512];
	memset(s, 0, sizeof(s));
	CHECK(!blkdev_is_marked(s));
	memcpy(s, BLKDEV_MARK, strlen(BLKDEV_MARK));
	CHECK(blkdev_is_marked(s));
	s[strlen(BLKDEV_MARK)] = 0xff;
	CHECK(blkdev_is_marked(s));
	s[strlen(BLKDEV_MARK) - 1] = 0; /* the newline is part of it */
	CHECK(!blkdev_is_marked(s));
	memcpy(s, "vmbench-scratcH\n", 16);
	CHECK(!blkdev_is_marked(s));
	return check_report("xen_ring");
}
