/*
 * The watchdog's ways in on x86_64. From a watching CPU: an NMI, which
 * IF=0 does not hold back. With no CPU to watch: the local APIC timer,
 * whose vector alone is in the top priority class; while it watches,
 * "masked" means CR8 at X86_TPR_URGENT_ONLY with IF set (arch_irq_disable),
 * so a benchmark that masks interrupts still lets it in. Code that clears
 * IF itself is out of the timer's reach.
 */
#include <stdio.h>

#include <arch/x86.h>
#include <arch/x86_irq.h>
#include <vmb/arch.h>
#include <vmb/watchdog.h>

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

/* The NMI needs nothing opened on the watched CPU; the timer needs IF
 * set and masking by task priority. */
bool arch_watchdog_begin(bool by_timer, bool acks_irqs, char *why, size_t why_len)
{
	(void)acks_irqs, (void)why, (void)why_len;
	if (by_timer) {
		x86_watch_by_tpr[arch_cpu_index()] = true;
		x86_tpr_watches++;
		write_cr8(X86_TPR_URGENT_ONLY);
		__asm__ volatile("sti" ::: "memory");
	}
	return true;
}

void arch_watchdog_end(void)
{
	unsigned cpu = arch_cpu_index();

	if (!x86_watch_by_tpr[cpu])
		return;
	__asm__ volatile("cli" ::: "memory");
	write_cr8(0);
	x86_watch_by_tpr[cpu] = false;
	x86_tpr_watches--;
}
