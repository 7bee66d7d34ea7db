/*
 * A network device under the image's lwIP netif: what virtio-net and
 * Xen's netfront each provide, so that every network benchmark runs over
 * either unchanged. Frames are whole Ethernet frames without FCS; buffers
 * are the device's own, lent between get and done.
 */
#ifndef DRIVERS_NETDEV_H
#define DRIVERS_NETDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct netdev;

struct netdev_ops {
	/* Room for the next frame (at least NETDEV_FRAME_MAX bytes), or NULL
	 * while every buffer is in flight. */
	void *(*tx_buf)(struct netdev *d);
	/* Send len bytes written into the buffer tx_buf gave; stamps tx_ref
	 * just before telling the device. */
	void (*tx_send)(struct netdev *d, void *frame, uint32_t len);
	/* The next received frame, if any, lent until rx_done(id); stamps
	 * rx_ref when it is seen. */
	const void *(*rx_get)(struct netdev *d, uint32_t *len, uint16_t *id);
	void (*rx_done)(struct netdev *d, uint16_t id);
	/* Tell the device of the buffers given back since the last kick. */
	void (*rx_kick)(struct netdev *d);
	/* Received frames signalled by an interrupt: its number, or false and
	 * why. on: it interrupts; off: polled again, the source let go of. */
	bool (*rx_irq)(struct netdev *d, unsigned *irq, char *why, size_t why_len);
	void (*rx_irq_on)(struct netdev *d, bool on);
	/* In the handler, before the interrupt completes. */
	void (*rx_irq_ack)(struct netdev *d);
	/* A received frame waits to be taken (the handler's check that its
	 * interrupt is for a frame, not one left over). */
	bool (*rx_ready)(struct netdev *d);
	/* What the interrupt's source shows when one did not come (pending
	 * and mask bits, ring indices); NULL: nothing to add. */
	void (*irq_state)(struct netdev *d, char *out, size_t len);
	/* Let the device go at the end of the run (the backend can tear its
	 * side down); NULL when there is nothing to say. */
	void (*close)(struct netdev *d);
};

#define NETDEV_FRAME_MAX 1514

struct netdev {
	const struct netdev_ops *ops;
	void *priv;
	char where[64];	  /* "virtio-net (pci 00:03.0)", "netfront (vif/0, backend d0)" */
	char irq_via[64]; /* "MSI-X to local APIC vector", "event channel 5, callback vector" */
	uint8_t mac[6];
	uint64_t rx_frames, tx_frames;
	/* Reference-clock stamps (io_out, io_in): just before the last
	 * frame's doorbell, and when the last received frame was seen. */
	uint64_t tx_ref, rx_ref;
};

struct pci_dev;

/* A kind of network device (drivers/net/netdev.c lists them in the order
 * they are tried). open fills d and returns true, or returns false with
 * why; found says whether there was such a device at all (a device that
 * failed is reported, not passed over). drives: whether the kind drives
 * this PCI function (NULL: not a PCI kind), so that the functions nobody
 * drives can be named. */
struct netdev_kind {
	const char *name;
	bool (*open)(struct netdev *d, bool *found, char *why, size_t why_len);
	bool (*drives)(const struct pci_dev *f);
};

/* The first device of the first kind that has one. False and why: the
 * device found failed (found true), or none of any kind is there, with
 * the network functions the image has no driver for. */
bool netdev_open(struct netdev *d, bool *found, char *why, size_t why_len);

bool netdev_virtio_open(struct netdev *d, bool *found, char *why, size_t why_len);
bool netdev_virtio_drives(const struct pci_dev *f);
bool netdev_e1000_open(struct netdev *d, bool *found, char *why, size_t why_len);
bool netdev_e1000_drives(const struct pci_dev *f);
bool netfront_open(struct netdev *d, bool *found, char *why, size_t why_len);

#endif
