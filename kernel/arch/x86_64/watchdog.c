/*
 * The watchdog's way in on x86_64: an NMI from the watching CPU, which
 * IF=0 does not hold back. With one CPU there is no way in: the local
 * APIC timer cannot be delivered as an NMI.
 */
#include <arch/x86_irq.h>
#include <vmb/arch.h>
#include <vmb/watchdog.h>

#define SEL_CODE 0x08
#define SEL_DATA 0x10

/* The CPU blocks further NMIs until the next IRET; leaving the handler
 * by longjmp would skip it, so do an IRET to the next instruction here. */
static void nmi_unblock(void)
{
	__asm__ volatile("movq %%rsp, %%rax\n\t"
			 "pushq %[ss]\n\t"
			 "pushq %%rax\n\t"
			 "pushfq\n\t"
			 "pushq %[cs]\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "iretq\n"
			 "1:"
			 :
			 : [ss] "i"(SEL_DATA), [cs] "i"(SEL_CODE)
			 : "rax", "memory");
}

static bool watchdog_nmi(void)
{
	if (!watchdog_fired())
		return false;
	nmi_unblock();
	watchdog_break();
	return true;
}

void arch_watchdog_kick(unsigned cpu)
{
	x86_nmi_hook = watchdog_nmi;
	x86_lapic_send_nmi(cpu);
}

/* The NMI needs nothing opened on the watched CPU. */
bool arch_watchdog_begin(bool acks_irqs, char *why, size_t why_len)
{
	(void)acks_irqs, (void)why, (void)why_len;
	return true;
}

void arch_watchdog_end(void)
{
}
