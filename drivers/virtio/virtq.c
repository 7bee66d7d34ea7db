/*
 * Split virtqueues: chains of descriptors posted in the avail ring, taken
 * back from the used ring. Without VIRTIO_F_ORDER_PLATFORM the device is
 * coherent and the ordering of ordinary memory accesses is all that is
 * needed, so this file is plain C and runs on the host in the tests.
 */
#include <drivers/virtio/virtio.h>

int virtq_add(struct virtq *q, const struct virtq_buf *bufs, unsigned n)
{
	if (!n || n > q->num_free)
		return -1;
	uint16_t head = q->free_head, d = head;

	for (unsigned i = 0; i < n; i++) {
		q->desc[d].addr = (uint64_t)(uintptr_t)bufs[i].addr;
		q->desc[d].len = bufs[i].len;
		q->desc[d].flags = (uint16_t)((bufs[i].device_writes ? VIRTQ_DESC_F_WRITE : 0) |
					      (i + 1 < n ? VIRTQ_DESC_F_NEXT : 0));
		d = q->desc[d].next;
	}
	q->free_head = d;
	q->num_free = (uint16_t)(q->num_free - n);
	q->avail[2 + q->avail_idx % q->size] = head;
	/* The descriptors and the ring entry before the index that shows them. */
	__atomic_thread_fence(__ATOMIC_RELEASE);
	q->avail_idx++;
	q->avail[1] = q->avail_idx;
	return head;
}

bool virtq_has_used(const struct virtq *q)
{
	return q->used[1] != q->last_used;
}

bool virtq_get(struct virtq *q, uint16_t *id, uint32_t *len)
{
	if (q->used[1] == q->last_used)
		return false;
	/* The entry after the index that announced it. */
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	volatile struct virtq_used_elem *ring = (volatile struct virtq_used_elem *)(q->used + 2);
	uint32_t e_id = ring[q->last_used % q->size].id, e_len = ring[q->last_used % q->size].len;
	if (e_id >= q->size)
		return false; /* a device bug; nothing of ours to free */
	q->last_used++;
	/* The whole chain back on the free list. */
	uint16_t d = (uint16_t)e_id, n = 1;
	while ((q->desc[d].flags & VIRTQ_DESC_F_NEXT) && n < q->size) {
		d = q->desc[d].next;
		n++;
	}
	q->desc[d].next = q->free_head;
	q->free_head = (uint16_t)e_id;
	q->num_free = (uint16_t)(q->num_free + n);
	*id = (uint16_t)e_id;
	*len = e_len;
	return true;
}

void virtq_interrupts(struct virtq *q, bool on)
{
	q->avail[0] = on ? 0 : VIRTQ_AVAIL_F_NO_INTERRUPT;
}
