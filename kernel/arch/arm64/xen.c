/* Xen on arm64: hypercalls (HVC #0xEA1, call number in x16, arguments in
 * x0-x2) and the event channel upcall, a PPI through the GIC. */
#include <stdio.h>

#include <arch/xen.h>
#include <vmb/irq.h>
#include <vmb/xen.h>

bool arm64_xen_present;
unsigned arm64_xen_upcall_irq;

long arch_xen_hypercall(unsigned nr, unsigned long a1, unsigned long a2, unsigned long a3)
{
	register unsigned long x0 __asm__("x0") = a1;
	register unsigned long x1 __asm__("x1") = a2;
	register unsigned long x2 __asm__("x2") = a3;
	register unsigned long x16 __asm__("x16") = nr;

	if (!arm64_xen_present)
		return -38;
	__asm__ volatile("hvc #0xEA1" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x16)::"memory");
	return (long)x0;
}

bool arch_xen_upcall(unsigned *irq, char *via, size_t via_len, char *why, size_t why_len)
{
	if (!arm64_xen_upcall_irq) {
		snprintf(why, why_len,
			 "the device tree's /hypervisor node names no PPI for event channels");
		return false;
	}
	if (!irqchip) {
		snprintf(why, why_len, "no interrupt controller: %s", irq_why());
		return false;
	}
	irqchip->enable(arm64_xen_upcall_irq, true);
	*irq = arm64_xen_upcall_irq;
	snprintf(via, via_len, "the /hypervisor node's PPI");
	return true;
}
