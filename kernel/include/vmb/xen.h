/*
 * Xen, architecture-neutral: the PV console ring shared with xenconsoled
 * (what `xl console` shows), reached through HVM parameters and an event
 * channel, and CONSOLEIO_write. The hypercall itself is the
 * architecture's (arch_xen_hypercall).
 */
#ifndef VMB_XEN_H
#define VMB_XEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define XEN_HC_MEMORY_OP 12
#define XEN_HC_CONSOLE_IO 18
#define XEN_HC_GRANT_TABLE_OP 20
#define XEN_HC_EVENT_CHANNEL_OP 32
#define XEN_HC_HVM_OP 34

#define XENCONS_OUT_SIZE 2048

/* Layout of Xen's public io/console.h struct xencons_interface. */
struct xencons_ring {
	char in[1024];
	char out[XENCONS_OUT_SIZE];
	uint32_t in_cons, in_prod;
	uint32_t out_cons, out_prod;
};

/* Copy as much of s as the ring has room for; returns the bytes queued. */
size_t xencons_ring_write(volatile struct xencons_ring *ring, const char *s, size_t len);

/* Hypercall with three arguments; -38 (ENOSYS) when no Xen is known. */
long arch_xen_hypercall(unsigned nr, unsigned long a1, unsigned long a2, unsigned long a3);

/* Xen says this domain is the hardware domain (XENFEAT_dom0). */
bool xen_is_dom0(void);

/* Install the PV console ring as the console, when Xen gave us one. */
bool xen_pv_console_init(void);
/* Install CONSOLEIO_write as the console (dom0). */
void xen_console_io_init(void);

#endif
