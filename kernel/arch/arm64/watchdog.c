/*
 * The watchdog's way in on arm64: a pseudo-NMI. While a benchmark is
 * watched, "masked" means a raised GIC priority mask with PSTATE.I clear
 * (arch_irq_disable in irq.c), so the watching CPU's top-priority
 * IPI_WATCHDOG, or, with no CPU to watch, the generic timer's PPI (as
 * urgent), still gets through. Code that sets PSTATE.I itself is out of
 * reach.
 */
#include <stdio.h>

#include <kernel/irq/arm64/gic.h>
#include <vmb/arch.h>
#include <vmb/irq.h>
#include <vmb/smp.h>
#include <vmb/watchdog.h>

extern bool arm64_watch_open[MAX_CPUS];

static void watchdog_sgi(unsigned irq, void *arg)
{
	(void)arg;
	/* Complete it first: watchdog_break() does not return. */
	irqchip->eoi(irq);
	watchdog_break();
}

void arch_watchdog_kick(unsigned cpu)
{
	irqchip->send_ipi(cpu, irqchip->ipi_irq(IPI_WATCHDOG));
}

bool arch_watchdog_begin(bool by_timer, bool acks_irqs, char *why, size_t why_len)
{
	(void)by_timer; /* the timer's PPI is as urgent as the SGI */
	unsigned irq = irqchip->ipi_irq(IPI_WATCHDOG);

	if (acks_irqs) {
		snprintf(why, why_len,
			 "it acknowledges interrupts itself, which the watchdog's priority "
			 "mask would hide; its waits are bounded");
		return false;
	}
	irq_register(irq, watchdog_sgi, NULL, true);
	irqchip->enable(irq, true);
	arm64_watch_open[arch_cpu_index()] = true;
	arm64_irq_mask_all_but_watchdog(true);
	__asm__ volatile("msr daifclr, #2" ::: "memory");
	return true;
}

void arch_watchdog_end(void)
{
	__asm__ volatile("msr daifset, #2" ::: "memory");
	arm64_irq_mask_all_but_watchdog(false);
	arm64_watch_open[arch_cpu_index()] = false;
}
