/* x86_64 interrupts: RFLAGS.IF; the local APIC and its timer. */
#include <stdio.h>

#include <vmb/arch.h>
#include <vmb/irq.h>

void arch_irq_enable(void)
{
	__asm__ volatile("sti" ::: "memory");
}

void arch_irq_disable(void)
{
	__asm__ volatile("cli" ::: "memory");
}

/* STI's one-instruction shadow keeps a pending interrupt from arriving
 * before HLT, so no wake-up is lost. */
void arch_wait_for_irq(void)
{
	__asm__ volatile("sti; hlt; cli" ::: "memory");
}

bool arch_irq_init(const struct fw_info *fw, char *why, size_t why_len)
{
	(void)fw;
	snprintf(why, why_len, "local APIC driver not built yet");
	return false;
}
