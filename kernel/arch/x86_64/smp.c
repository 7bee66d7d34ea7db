/* x86_64 SMP: which CPU this is, and starting the others. */
#include <stdio.h>

#include <arch/x86.h>
#include <vmb/arch.h>
#include <vmb/fwinfo.h>
#include <vmb/smp.h>

#define MSR_GS_BASE 0xc0000101

/* GS points at the CPU's slot here: `mov %gs:0` reads its index. */
static unsigned cpu_index_slot[MAX_CPUS];

uint64_t arch_cpu_hwid(void)
{
	/* Leaf 0xB gives the full x2APIC id; leaf 1 the 8-bit xAPIC id. */
	if (cpuid(0, 0).eax >= 0xb && cpuid(0xb, 0).ebx)
		return cpuid(0xb, 0).edx;
	return cpuid(1, 0).ebx >> 24;
}

void arch_set_cpu_index(unsigned cpu)
{
	cpu_index_slot[cpu] = cpu;
	wrmsr(MSR_GS_BASE, (uint64_t)(uintptr_t)&cpu_index_slot[cpu]);
}

unsigned arch_cpu_index(void)
{
	unsigned v;

	__asm__ volatile("movl %%gs:0, %0" : "=r"(v));
	return v;
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
