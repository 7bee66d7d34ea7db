/* Xen on x86_64: hypercalls through the page Xen fills in for us. */
#ifndef ARCH_XEN_H
#define ARCH_XEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Detect Xen by CPUID and install the hypercall page; idempotent. */
bool xen_init(void);
bool xen_present(void);
long xen_hypercall3(unsigned nr, unsigned long a1, unsigned long a2, unsigned long a3);

/* SCHEDOP_shutdown with a reason (0 poweroff, 1 reboot); returns on failure. */
void xen_shutdown(unsigned reason);

#endif
