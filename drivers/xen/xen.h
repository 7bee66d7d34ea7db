/*
 * The Xen drivers: the PV console ring shared with xenconsoled (what
 * `xl console` shows), CONSOLEIO_write for dom0, and a page shared with
 * another domain through the grant table. Xen's ABI is vmb/xen.h.
 */
#ifndef DRIVERS_XEN_H
#define DRIVERS_XEN_H

#include <stdbool.h>
#include <stddef.h>

#include <vmb/xen.h>

/* Copy as much of s as the ring has room for; returns the bytes queued. */
size_t xencons_ring_write(volatile struct xencons_ring *ring, const char *s, size_t len);

/* xenstore's ring (xenstore_ring.c, plain C, tested on the host): queue
 * as much of data as the request ring has room for, or take as much of a
 * reply as is there; each returns the bytes moved, 0 for a ring whose
 * indices are corrupt (more queued than it holds). */
size_t xenstore_ring_put(volatile struct xenstore_ring *r, const void *data, size_t len);
size_t xenstore_ring_get(volatile struct xenstore_ring *r, void *buf, size_t len);
/* Read a xenstore node of this domain ("domid", or a path from
 * /local/domain/N): its value as a string, or false and why (Xen's error
 * word such as ENOENT, no xenstore, no answer within a second). */
bool xenstore_read(const char *path, char *value, size_t len, char *why, size_t why_len);

/* Install the PV console ring as the console, when Xen gave us one. */
bool xen_pv_console_init(void);
/* Install CONSOLEIO_write as the console (dom0). */
void xen_console_io_init(void);

#endif
