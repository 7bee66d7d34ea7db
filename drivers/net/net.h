/*
 * The network: the first network device (virtio-net, an Intel e1000, netfront)
 * under lwIP (raw API, polled),
 * addressed by options (ip=, gw=) or DHCP, and the host peer the network
 * benchmarks talk to (peer=, tools/vmb-peer).
 */
#ifndef VMB_NET_H
#define VMB_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vmb/options.h>

/* The peer's ports, counted from the one given by peer=. */
#define NET_PEER_ECHO 0	  /* UDP and TCP: every byte back */
#define NET_PEER_SINK 1	  /* TCP: reads and drops */
#define NET_PEER_SOURCE 2 /* TCP: writes until the connection closes */
#define NET_PEER_STAMP 3  /* UDP: answers with its receive and send times */

/* How long a network benchmark waits for one operation to complete. */
#define NET_OP_TIMEOUT_MS 2000

/* The image's ports for the host's own clients (net_serve, serve=):
 * NET_SERVE_* in vmb/options.h. */

/* Once: the device found, lwIP up, an address. False and why otherwise
 * (and again on every later call, with the same why). */
bool net_up(char *why, size_t why_len);
/* Frames in to the stack, buffers back to the device, lwIP's timers. */
void net_poll(void);
/* The network up (net_up) and the host peer from peer=: false and why
 * when either is missing. */
bool net_peer(uint32_t *addr, uint16_t *port, char *why, size_t why_len);
/* Serve sockperf and iperf clients on the host until it says done or
 * seconds pass; a "serve" record tells the host where. */
void net_serve(unsigned seconds);
/* After net_up failed: the device is there but did not come up (a Xen
 * backend that never connected), which is an error, not a skip. */
bool net_broken(void);
/* "virtio-net (pci 00:03.0)" */
const char *net_where(void);
/* Reference-clock stamps of the last frame out (before its doorbell) and
 * the last frame in (when the poll saw it). */
void net_io_stamps(uint64_t *tx_ref, uint64_t *rx_ref);
/* Received frames signalled by an interrupt: its number, or false and why
 * (on: the device interrupts; off: polled again, a line let go of). */
bool net_rx_irq(unsigned *irq, char *why, size_t why_len);
/* How it arrives, once routed: "MSI-X to local APIC vector", "INTx line", ... */
const char *net_rx_irq_via(void);
void net_rx_irq_on(bool on);
/* In the handler: what the transport needs before the interrupt completes. */
void net_rx_irq_ack(void);
/* Frames the device has moved each way since it came up. */
void net_frames(uint64_t *in, uint64_t *out);
/* A received frame waits in the device's ring, not yet taken. */
bool net_rx_ready(void);
/* What the receive interrupt's source shows ("" when nothing), for the
 * message about an interrupt that did not come. */
void net_rx_irq_state(char *out, size_t len);
/* At the end of the run: let the device go (a Xen backend is told). */
void net_close(void);

#endif
