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

/* Install the PV console ring as the console, when Xen gave us one. */
bool xen_pv_console_init(void);
/* Install CONSOLEIO_write as the console (dom0). */
void xen_console_io_init(void);

#endif
