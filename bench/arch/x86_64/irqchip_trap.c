/*
 * The study's x86 irqchip trap: the 8259's edge/level register, which
 * KVM's in-kernel PIC emulates. A Xen PVH domU has no 8259: the read
 * still exits, and Xen answers it as an unclaimed port (all ones), which
 * the call string says. Xen's dom0 is
 * let at the port itself: no exit, nothing to measure as a trap.
 */
#include <stdio.h>

#include <arch/x86.h>
#include <arch/x86_irq.h>
#include <bench/bench_arch.h>
#include <vmb/platform.h>
#include <vmb/xen.h>

bool bench_arch_irqchip_trap_setup(char *call, size_t call_len, char *why, size_t why_len)
{
	if (the_platform.mode == MODE_XEN && xen_is_dom0()) {
		snprintf(why, why_len,
			 "Xen's dom0 reads port 0x4d0 itself, without an exit (Xen passes "
			 "the port through); the trap figure here is irqchip_trap.lapic");
		return false;
	}
	if (the_platform.mode != MODE_XEN) {
		snprintf(call, call_len, "inb 0x4d0 (8259 ELCR)");
		return true;
	}
	/* Say what answered: nobody mistakes the figure for ELCR emulation. */
	uint8_t v = inb(PIC_ELCR1);
	if (v == 0xff)
		snprintf(call, call_len,
			 "inb 0x4d0: no 8259 in a PVH domU, Xen's default port handler reads 0xff");
	else
		snprintf(call, call_len, "inb 0x4d0 (8259 ELCR), as Xen emulates it: read %#x", v);
	return true;
}

uint32_t bench_arch_irqchip_trap_read(void)
{
	return inb(PIC_ELCR1);
}
