/* Xen on x86_64: hypercalls through the page Xen fills in for us. */
#ifndef ARCH_XEN_H
#define ARCH_XEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The shared info page (xen.h struct shared_info): 32 vcpu_info of 64
 * bytes before the event channel bit arrays. */
#define XEN_SHARED_VCPUS 32
#define XEN_VCPU_INFO_BYTES 64
/* The ring layout a PV backend is told this guest uses (io/protocols.h). */
#define XEN_IO_PROTO_ABI "x86_64-abi"

/* Detect Xen by CPUID and install the hypercall page; idempotent. */
bool xen_init(void);
bool xen_present(void);
long xen_hypercall3(unsigned nr, unsigned long a1, unsigned long a2, unsigned long a3);

/* SCHEDOP_shutdown with a reason (0 poweroff, 1 reboot); returns on failure. */
void xen_shutdown(unsigned reason);

#endif
