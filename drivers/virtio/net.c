/*
 * virtio-net: frames in and out through two queues, polled. Every
 * descriptor is one buffer holding the virtio-net header and the frame
 * (VERSION_1 lets the header share a buffer with the data). Buffers are
 * kept apart from descriptors: the free list hands out descriptors in
 * whatever order they came back.
 */
#include <stdio.h>
#include <string.h>

#include <arch/counter.h>
#include <vmb/mem.h>
#include <drivers/virtio/virtio.h>

#define F_MAC (1ull << 5)
#define Q_RX 0
#define Q_TX 1

static void rx_post(struct vnet *n, uint16_t buf)
{
	struct virtq_buf b = { n->rx_mem + (size_t)buf * VNET_BUF, VNET_BUF, true };
	int id = virtq_add(&n->rx, &b, 1);

	if (id >= 0)
		n->rx_buf[id] = buf;
	n->rx_reposted++;
}

bool vnet_open(struct vnet *n, char *why, size_t why_len)
{
	memset(n, 0, sizeof(*n));
	if (!virtio_open(VIRTIO_ID_NET, 0, F_MAC, &n->vd, why, why_len))
		return false;
	if (!virtq_setup(&n->vd, &n->rx, Q_RX, VNET_QUEUE, why, why_len) ||
	    !virtq_setup(&n->vd, &n->tx, Q_TX, VNET_QUEUE, why, why_len)) {
		virtio_release(&n->vd);
		return false;
	}
	n->rx_mem = mem_alloc_pages(VNET_QUEUE * VNET_BUF / 4096);
	n->tx_mem = mem_alloc_pages(VNET_QUEUE * VNET_BUF / 4096);
	if (!n->rx_mem || !n->tx_mem) {
		snprintf(why, why_len, "%s: no memory for network buffers", n->vd.where);
		virtio_release(&n->vd);
		return false;
	}
	if (n->vd.features & F_MAC) {
		virtio_cfg_read(&n->vd, 0, n->mac, 6);
	} else {
		/* A locally administered address of our own. */
		static const uint8_t own[6] = { 0x02, 0x56, 0x4d, 0x42, 0x00, 0x01 };
		memcpy(n->mac, own, 6);
	}
	/* Polled: no interrupts wanted for either queue. */
	virtq_interrupts(&n->rx, false);
	virtq_interrupts(&n->tx, false);
	for (uint16_t i = 0; i < n->rx.size; i++)
		rx_post(n, i);
	for (uint16_t i = 0; i < n->tx.size; i++)
		n->tx_free[n->n_tx_free++] = i;
	virtio_driver_ok(&n->vd);
	vnet_rx_kick(n);
	return true;
}

void vnet_rx_kick(struct vnet *n)
{
	if (!n->rx_reposted)
		return;
	n->rx_reposted = 0;
	virtq_kick(&n->rx);
}

const void *vnet_rx_get(struct vnet *n, uint32_t *len, uint16_t *id)
{
	uint32_t used;

	while (virtq_get(&n->rx, id, &used)) {
		uint16_t buf = n->rx_buf[*id];
		*id = buf;
		if (used <= VNET_HDR || used > VNET_BUF) {
			rx_post(n, buf); /* nothing usable in it */
			continue;
		}
		*len = used - VNET_HDR;
		n->rx_frames++;
		n->rx_ref = ref_now();
		return n->rx_mem + (size_t)buf * VNET_BUF + VNET_HDR;
	}
	return NULL;
}

void vnet_rx_done(struct vnet *n, uint16_t id)
{
	rx_post(n, id);
}

void *vnet_tx_buf(struct vnet *n)
{
	uint16_t id;
	uint32_t len;

	while (virtq_get(&n->tx, &id, &len))
		n->tx_free[n->n_tx_free++] = n->tx_buf[id];
	if (!n->n_tx_free)
		return NULL;
	uint8_t *b = n->tx_mem + (size_t)n->tx_free[n->n_tx_free - 1] * VNET_BUF;
	return b + VNET_HDR;
}

void vnet_tx_send(struct vnet *n, void *frame, uint32_t len)
{
	uint8_t *b = (uint8_t *)frame - VNET_HDR;
	uint16_t buf = n->tx_free[--n->n_tx_free];

	memset(b, 0, VNET_HDR); /* no checksum or segmentation offload */
	struct virtq_buf vb = { b, VNET_HDR + len, false };
	int id = virtq_add(&n->tx, &vb, 1);
	n->tx_buf[id] = buf;
	n->tx_frames++;
	n->tx_ref = ref_now();
	virtq_kick(&n->tx);
}
