/* Xen on arm64: what differs from x86 in its public layouts. */
#ifndef ARCH_XEN_H
#define ARCH_XEN_H

/* The shared info page (xen.h struct shared_info, arch-arm.h): one legacy
 * vcpu_info of 48 bytes (no arch part) before the event channel bits. */
#define XEN_SHARED_VCPUS 1
#define XEN_VCPU_INFO_BYTES 48
/* The ring layout a PV backend is told this guest uses (io/protocols.h). */
#define XEN_IO_PROTO_ABI "arm-abi"

#include <stdbool.h>

/* The device tree's /hypervisor node: Xen is there, and the PPI it raises
 * for event channels (GIC INTID, 0 when none is named). */
extern bool arm64_xen_present;
extern unsigned arm64_xen_upcall_irq;

#endif
