/* virtio-net as a network device under lwIP (netdev.h). */
#include <stdio.h>

#include <drivers/net/netdev.h>
#include <drivers/virtio/virtio.h>

static struct vnet vnet;

static void *tx_buf(struct netdev *d)
{
	(void)d;
	return vnet_tx_buf(&vnet);
}

static void tx_send(struct netdev *d, void *frame, uint32_t len)
{
	vnet_tx_send(&vnet, frame, len);
	d->tx_frames = vnet.tx_frames;
	d->tx_ref = vnet.tx_ref;
}

static const void *rx_get(struct netdev *d, uint32_t *len, uint16_t *id)
{
	const void *f = vnet_rx_get(&vnet, len, id);

	d->rx_frames = vnet.rx_frames;
	d->rx_ref = vnet.rx_ref;
	return f;
}

static void rx_done(struct netdev *d, uint16_t id)
{
	(void)d;
	vnet_rx_done(&vnet, id);
}

static void rx_kick(struct netdev *d)
{
	(void)d;
	vnet_rx_kick(&vnet);
}

static bool rx_irq(struct netdev *d, unsigned *irq, char *why, size_t why_len)
{
	if (!virtio_queue_irq(&vnet.vd, &vnet.rx, why, why_len))
		return false;
	*irq = vnet.rx.irq;
	snprintf(d->irq_via, sizeof(d->irq_via), "%s", vnet.vd.irq_via);
	return true;
}

static void rx_irq_on(struct netdev *d, bool on)
{
	(void)d;
	if (on)
		virtq_interrupts(&vnet.rx, true);
	else
		virtio_queue_irq_release(&vnet.vd, &vnet.rx);
}

static void rx_irq_ack(struct netdev *d)
{
	(void)d;
	virtio_irq_ack(&vnet.vd);
}

static bool rx_ready(struct netdev *d)
{
	(void)d;
	return virtq_has_used(&vnet.rx);
}

static const struct netdev_ops ops = {
	.tx_buf = tx_buf,
	.tx_send = tx_send,
	.rx_get = rx_get,
	.rx_done = rx_done,
	.rx_kick = rx_kick,
	.rx_irq = rx_irq,
	.rx_irq_on = rx_irq_on,
	.rx_irq_ack = rx_irq_ack,
	.rx_ready = rx_ready,
};

_Static_assert(VNET_BUF - VNET_HDR >= NETDEV_FRAME_MAX, "a frame fits a virtio-net buffer");

bool netdev_virtio_drives(const struct pci_dev *f)
{
	return virtio_pci_is_type(f, VIRTIO_ID_NET);
}

bool netdev_virtio_open(struct netdev *d, bool *found, char *why, size_t why_len)
{
	bool ok = vnet_open(&vnet, why, why_len);

	/* A virtio-net that cannot be driven (legacy only, features refused)
	 * is a skip, not an error: its reason still comes first, as the
	 * first kind's (netdev.c). */
	*found = false;
	if (!ok)
		return false;
	d->ops = &ops;
	d->priv = &vnet;
	snprintf(d->where, sizeof(d->where), "virtio-net (%s)", vnet.vd.where);
	for (unsigned i = 0; i < 6; i++)
		d->mac[i] = vnet.mac[i];
	return true;
}
