/* arm64 SMP: which CPU this is, and starting the others. */
#include <stdio.h>

#include <arch/sysreg.h>
#include <vmb/arch.h>
#include <vmb/fwinfo.h>

/* Affinity fields Aff3..Aff0, as device trees and the MADT give them. */
#define MPIDR_AFF_MASK 0xff00ffffffull

uint64_t arch_cpu_hwid(void)
{
	return read_sysreg(mpidr_el1) & MPIDR_AFF_MASK;
}

/* TPIDR_EL0 holds the index: readable at every EL we run at, and the
 * image has no EL0 that could change it. */
void arch_set_cpu_index(unsigned cpu)
{
	write_sysreg(tpidr_el0, (uint64_t)cpu);
}

unsigned arch_cpu_index(void)
{
	return (unsigned)read_sysreg(tpidr_el0);
}

const char *arch_cpu_method_name(const struct fw_info *fw, const struct fw_cpu *c)
{
	(void)fw, (void)c;
	return "none";
}

bool arch_cpu_on(const struct fw_info *fw, const struct fw_cpu *c, unsigned cpu, void *stack_top,
		 char *why, size_t why_len)
{
	(void)fw, (void)c, (void)cpu, (void)stack_top;
	snprintf(why, why_len, "secondary CPU start not built yet");
	return false;
}
