/* Split virtqueues: chains of descriptors posted in the avail ring,
 * taken back from the used ring. */
#include <arch/mmio.h>
#include <vmb/virtio.h>

int virtq_add(struct virtq *q, const struct virtq_buf *bufs, unsigned n)
{
	if (!n || n > q->num_free)
		return -1;
	uint16_t head = q->free_head, d = head, last = head;

	for (unsigned i = 0; i < n; i++) {
		last = d;
		q->desc[d].addr = (uint64_t)(uintptr_t)bufs[i].addr;
		q->desc[d].len = bufs[i].len;
		q->desc[d].flags = (uint16_t)((bufs[i].device_writes ? VIRTQ_DESC_F_WRITE : 0) |
					      (i + 1 < n ? VIRTQ_DESC_F_NEXT : 0));
		d = q->desc[d].next;
	}
	q->free_head = d;
	q->num_free = (uint16_t)(q->num_free - n);
	(void)last;
	q->avail[2 + q->avail_idx % q->size] = head;
	dma_wmb();
	q->avail_idx++;
	q->avail[1] = q->avail_idx;
	return head;
}

void virtq_kick(struct virtq *q)
{
	dma_mb();
	mmio_write16(q->notify, q->index);
}

bool virtq_get(struct virtq *q, uint16_t *id, uint32_t *len)
{
	if (q->used[1] == q->last_used)
		return false;
	dma_rmb();
	volatile struct virtq_used_elem *ring = (volatile struct virtq_used_elem *)(q->used + 2);
	struct virtq_used_elem e = { ring[q->last_used % q->size].id,
				     ring[q->last_used % q->size].len };
	q->last_used++;
	/* Back on the free list: the whole chain. */
	uint16_t d = (uint16_t)e.id, n = 1;
	while (q->desc[d].flags & VIRTQ_DESC_F_NEXT) {
		d = q->desc[d].next;
		n++;
	}
	q->desc[d].next = q->free_head;
	q->free_head = (uint16_t)e.id;
	q->num_free = (uint16_t)(q->num_free + n);
	*id = (uint16_t)e.id;
	*len = e.len;
	return true;
}
