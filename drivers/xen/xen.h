/*
 * The Xen drivers: the PV console ring shared with xenconsoled (what
 * `xl console` shows), CONSOLEIO_write for dom0, and a page shared with
 * another domain through the grant table, xenstore and the XenbusState
 * handshake of PV devices (xenbus.h). Xen's ABI is vmb/xen.h.
 */
#ifndef DRIVERS_XEN_H
#define DRIVERS_XEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vmb/xen.h>

/* Copy as much of s as the ring has room for; returns the bytes queued. */
size_t xencons_ring_write(volatile struct xencons_ring *ring, const char *s, size_t len);

/* xenstore's ring (xenstore_ring.c, plain C, tested on the host): queue
 * as much of data as the request ring has room for, or take as much of a
 * reply as is there; each returns the bytes moved, 0 for a ring whose
 * indices are corrupt (more queued than it holds). */
size_t xenstore_ring_put(volatile struct xenstore_ring *r, const void *data, size_t len);
size_t xenstore_ring_get(volatile struct xenstore_ring *r, void *buf, size_t len);

/* xenstore's messages (xenstore_msg.c, plain C, tested on the host).
 * xs_request: header and arguments into buf, each argument ended by a
 * NUL except WRITE's value (arg1 may be NULL); the bytes, or 0 when it
 * exceeds cap or XENSTORE_PAYLOAD_MAX. */
size_t xs_request(void *buf, size_t cap, uint32_t type, uint32_t req_id, uint32_t tx,
		  const char *arg0, const char *arg1);
/* A reply put together from the ring's pieces; body is NUL-ended. */
struct xs_reply {
	struct xsd_sockmsg h;
	uint32_t got; /* bytes of header and body so far */
	char body[XENSTORE_PAYLOAD_MAX + 1];
};
enum xs_feed { XS_MORE, XS_DONE, XS_CORRUPT };
void xs_reply_reset(struct xs_reply *r);
/* The bytes that complete the header or the body under way: reading no
 * more than that keeps the next message on the ring. */
size_t xs_reply_need(const struct xs_reply *r);
/* Take bytes up to the end of one message (*used says how many): DONE
 * when r holds a whole one (handed out until the next feed), CORRUPT for
 * a length over XENSTORE_PAYLOAD_MAX (the stream is lost). */
enum xs_feed xs_reply_feed(struct xs_reply *r, const void *data, size_t len, size_t *used);
/* The body as a string: false if it holds a NUL or does not fit. */
bool xs_reply_string(const struct xs_reply *r, char *out, size_t len);
/* XS_ERROR's word ("ENOENT", "EAGAIN"), or NULL for any other type. */
const char *xs_reply_error(const struct xs_reply *r);
/* XS_DIRECTORY's NUL-separated names copied into names; false when the
 * body is malformed or the names do not fit. */
bool xs_reply_names(const struct xs_reply *r, char *names, size_t len, unsigned *count);
/* XS_WATCH_EVENT's "path\0token\0"; false when malformed or too long. */
bool xs_reply_event(const struct xs_reply *r, char *path, size_t plen, char *token, size_t tlen);
/* A decimal number (XS_TRANSACTION_START's id). */
bool xs_reply_u32(const struct xs_reply *r, uint32_t *v);

/* The xenstore client (xenstore.c): one request at a time over the ring,
 * polled, each reply awaited at most a second. Paths not starting with
 * '/' are relative to /local/domain/<this domain> (xenstored makes them
 * so). tx is a transaction id, 0 for none. Each call returns false and
 * why: xenstore's error word ("xenstore: ENOENT"), no xenstore, no answer
 * in time, or a corrupt stream (after which nothing more is trusted). */
bool xenstore_read(uint32_t tx, const char *path, char *value, size_t len, char *why,
		   size_t why_len);
bool xenstore_write(uint32_t tx, const char *path, const char *value, char *why, size_t why_len);
/* The children of path: *count names, each ended by a NUL, into names. */
bool xenstore_directory(uint32_t tx, const char *path, char *names, size_t len, unsigned *count,
			char *why, size_t why_len);
/* A watch fires once when set, then on every change at or below path;
 * its events are queued and taken with xenstore_next_event. */
bool xenstore_watch(const char *path, const char *token, char *why, size_t why_len);
bool xenstore_unwatch(const char *path, const char *token, char *why, size_t why_len);
/* A queued watch event, without waiting (what the ring holds is read
 * first); false when there is none. */
bool xenstore_next_event(char *path, size_t plen, char *token, size_t tlen);
/* True once after the event queue overflowed: events were dropped, and
 * whoever watches must read again what they watch. */
bool xenstore_events_lost(void);
bool xenstore_transaction_start(uint32_t *tx, char *why, size_t why_len);
/* Commit (or abandon) tx. *again: xenstored refused the commit with
 * EAGAIN (another writer came between): run the whole transaction again. */
bool xenstore_transaction_end(uint32_t tx, bool commit, bool *again, char *why, size_t why_len);

/* The grant table (grant_table.c): GNTTAB_FRAMES frames of v1 entries;
 * references from GNTTAB_NR_RESERVED_ENTRIES up to GNTTAB_FIRST_FREE are
 * fixed ones a caller names (the vm_switch page), the rest handed out. */
#define GNTTAB_FRAMES 4
#define GNTTAB_FIRST_FREE 16
/* Let domid map or copy page (read-only or not): its reference, or -1
 * and why (no table, every reference taken). */
int gnttab_grant(unsigned domid, const void *page, bool readonly, char *why, size_t why_len);
bool gnttab_grant_at(unsigned ref, unsigned domid, const void *page, bool readonly, char *why,
		     size_t why_len);
/* Take the grant back: false while the other domain still has the page
 * mapped or is copying it (the page is not ours to reuse then). */
bool gnttab_end(unsigned ref);

/* Event channels (evtchn.c). A port for remote_dom to bind to, or false
 * and why (Xen's refusal). */
bool evtchn_alloc_unbound(unsigned remote_dom, uint32_t *port, char *why, size_t why_len);
void evtchn_close(uint32_t port);
/* The port's pending bit, cleared: true when an event came since. */
bool evtchn_take(uint32_t port);
void evtchn_unmask(uint32_t port);
/* Have port's events raise this guest's upcall (arch_xen_upcall, routed
 * once): its interrupt number and how it comes ("event channel 5, callback
 * vector 0x90"), or false and why. Ports are allocated masked (polled);
 * allow clears what polling left pending and unmasks the port, release
 * masks it again. One port at a time is let through. */
bool xen_upcall_route(uint32_t port, unsigned *irq, char *via, size_t via_len, char *why,
		      size_t why_len);
void xen_upcall_allow(uint32_t port);
void xen_upcall_release(uint32_t port);
/* In the upcall's handler: the vCPU's upcall flag, its selector bit and
 * the port's pending bit cleared, in that order. */
void evtchn_upcall_ack(uint32_t port);
/* "port 5 pending 1 masked 0, vCPU 0 upcall flag 1 selector 0x1": what
 * Xen shows of a port, for a message about an event that did not come. */
void evtchn_describe(uint32_t port, char *out, size_t len);

/* The arithmetic of Xen's shared rings (xen_ring.c, io/ring.h, plain C,
 * tested on the host). Indices run free and wrap at 2^32. */
/* After moving a producer index from old to new: must the other side be
 * told, given the event index it set (it asked to be told once the
 * producer passes event)? */
bool xen_ring_notify(uint32_t old_prod, uint32_t new_prod, uint32_t event);
/* ring.h's final check for a consumer of responses that waits for an
 * event: ask to be told of the response after cons, then look once more
 * (one may have come meanwhile). True when none waits: the event will
 * come. */
bool xen_ring_arm(volatile struct xen_sring_header *s, uint32_t cons);
/* Entries between consumer and producer, or -1 when the other side's
 * producer claims more than the ring holds (a corrupt index). */
int xen_ring_pending(uint32_t prod, uint32_t cons, uint32_t size);

/* Install the PV console ring as the console, when Xen gave us one. */
bool xen_pv_console_init(void);
/* Install CONSOLEIO_write as the console (dom0). */
void xen_console_io_init(void);

#endif
