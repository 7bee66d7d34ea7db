/* arm64 interrupts: PSTATE masking; the GIC and the generic timer. */
#include <stdio.h>

#include <vmb/arch.h>
#include <vmb/irq.h>

void arch_irq_enable(void)
{
	__asm__ volatile("msr daifclr, #2" ::: "memory");
}

void arch_irq_disable(void)
{
	__asm__ volatile("msr daifset, #2" ::: "memory");
}

/* WFI wakes on a pending interrupt even while it is masked; unmasking
 * then takes it. */
void arch_wait_for_irq(void)
{
	__asm__ volatile("wfi; msr daifclr, #2; isb; msr daifset, #2" ::: "memory");
}

bool arch_irq_init(const struct fw_info *fw, char *why, size_t why_len)
{
	(void)fw;
	snprintf(why, why_len, "GIC driver not built yet");
	return false;
}
