/* arm64 SMP: which CPU this is, and starting the others (PSCI, spin-table). */
#include <stddef.h>
#include <stdio.h>

#include <arch/cache.h>
#include <arch/counter.h>
#include <arch/secondary.h>
#include <arch/smccc.h>
#include <arch/sysreg.h>
#include <vmb/arch.h>
#include <vmb/fault.h>
#include <vmb/fwinfo.h>
#include <vmb/smp.h>

/* Affinity fields Aff3..Aff0, as device trees and the MADT give them. */
#define MPIDR_AFF_MASK 0xff00ffffffull

_Static_assert(offsetof(struct secondary_boot, hwid) == SB_HWID, "SB_HWID");
_Static_assert(offsetof(struct secondary_boot, valid) == SB_VALID, "SB_VALID");
_Static_assert(offsetof(struct secondary_boot, stack_top) == SB_STACK, "SB_STACK");
_Static_assert(offsetof(struct secondary_boot, el) == SB_EL, "SB_EL");
_Static_assert(offsetof(struct secondary_boot, hcr_el2) == SB_HCR, "SB_HCR");
_Static_assert(offsetof(struct secondary_boot, cntvoff_el2) == SB_CNTVOFF, "SB_CNTVOFF");
_Static_assert(offsetof(struct secondary_boot, sctlr) == SB_SCTLR, "SB_SCTLR");
_Static_assert(offsetof(struct secondary_boot, ttbr0) == SB_TTBR, "SB_TTBR");
_Static_assert(offsetof(struct secondary_boot, tcr) == SB_TCR, "SB_TCR");
_Static_assert(offsetof(struct secondary_boot, mair) == SB_MAIR, "SB_MAIR");
_Static_assert(sizeof(struct secondary_boot) == SB_SIZE, "SB_SIZE");
_Static_assert(SB_COUNT == MAX_CPUS, "SB_COUNT");

struct secondary_boot arm64_secondary_blocks[SB_COUNT];

extern char _text[], _etext[];
void arm64_cpu_local_init(void);
_Noreturn void arm64_secondary_main(struct secondary_boot *b);

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
	if (c->method == CPU_METHOD_SPIN_TABLE)
		return "spin-table";
	if (c->method == CPU_METHOD_PSCI && fw->psci == PSCI_HVC)
		return "psci-hvc";
	if (c->method == CPU_METHOD_PSCI && fw->psci == PSCI_SMC)
		return "psci-smc";
	return "none";
}

static void fill_block(struct secondary_boot *b, const struct fw_cpu *c, unsigned cpu,
		       void *stack_top)
{
	int el = current_el();

	*b = (struct secondary_boot){
		.hwid = c->hwid,
		.valid = 1,
		.stack_top = (uintptr_t)stack_top,
		.el = (uint64_t)el,
		.cpu = cpu,
	};
	if (el == 2) {
		b->hcr_el2 = read_sysreg(hcr_el2);
		b->cntvoff_el2 = read_sysreg(cntvoff_el2);
		b->sctlr = read_sysreg(sctlr_el2);
		b->ttbr0 = read_sysreg(ttbr0_el2);
		b->tcr = read_sysreg(tcr_el2);
		b->mair = read_sysreg(mair_el2);
	} else {
		b->sctlr = read_sysreg(sctlr_el1);
		b->ttbr0 = read_sysreg(ttbr0_el1);
		b->tcr = read_sysreg(tcr_el1);
		b->mair = read_sysreg(mair_el1);
	}
	b->sctlr &= ~(SCTLR_M | SCTLR_C | SCTLR_I);
	if (arm64_use_pmccntr) {
		b->pmu = 1;
		b->pmccfiltr = read_sysreg(pmccfiltr_el0);
		b->pmcr = read_sysreg(pmcr_el0);
	}
}

static const char *psci_error(int32_t e)
{
	switch (e) {
	case -1:
		return "NOT_SUPPORTED";
	case -2:
		return "INVALID_PARAMETERS";
	case -3:
		return "DENIED";
	case -4:
		return "ALREADY_ON";
	case -5:
		return "ON_PENDING";
	case -6:
		return "INTERNAL_FAILURE";
	case -7:
		return "NOT_PRESENT";
	case -8:
		return "DISABLED";
	case -9:
		return "INVALID_ADDRESS";
	}
	return "an unknown error";
}

/* The call runs under vmb_try(): a tree that names a conduit the CPU
 * does not have (HVC with no EL2, SMC with no EL3) makes it undefined,
 * and that must cost this CPU only, not the run. */
struct psci_cpu_on_args {
	enum psci_conduit conduit;
	uint64_t hwid, entry, ctx;
	struct smccc_res res;
};
static struct psci_cpu_on_args cpu_on_call;

static void psci_cpu_on_call(void *arg)
{
	(void)arg;
	if (cpu_on_call.conduit == PSCI_HVC)
		cpu_on_call.res = smccc_hvc(PSCI_CPU_ON, cpu_on_call.hwid, cpu_on_call.entry,
					    cpu_on_call.ctx);
	else
		cpu_on_call.res = smccc_smc(PSCI_CPU_ON, cpu_on_call.hwid, cpu_on_call.entry,
					    cpu_on_call.ctx);
}

static bool psci_cpu_on(const struct fw_info *fw, const struct fw_cpu *c, struct secondary_boot *b,
			char *why, size_t why_len)
{
	const char *conduit = fw->psci == PSCI_HVC ? "hvc" : "smc";

	if (fw->psci != PSCI_HVC && fw->psci != PSCI_SMC) {
		snprintf(why, why_len, "PSCI conduit not named by the firmware");
		return false;
	}
	cpu_on_call = (struct psci_cpu_on_args){
		.conduit = fw->psci,
		.hwid = c->hwid,
		.entry = (uintptr_t)arm64_secondary_entry,
		.ctx = (uintptr_t)b,
	};
	if (vmb_try(psci_cpu_on_call, NULL)) {
		snprintf(why, why_len, "PSCI CPU_ON by %s faulted, no such conduit here: %s",
			 conduit, vmb_fault_text());
		return false;
	}
	int32_t e = (int32_t)cpu_on_call.res.a0;
	if (e == 0)
		return true;
	snprintf(why, why_len, "PSCI CPU_ON (%s) for MPIDR %#llx: %s (%d)", conduit,
		 (unsigned long long)c->hwid, psci_error(e), (int)e);
	return false;
}

/* The CPU polls release_addr with its caches off, woken by SEV. */
static void spin_table_release(const struct fw_cpu *c)
{
	volatile uint64_t *release = (volatile uint64_t *)(uintptr_t)c->release_addr;

	*release = (uintptr_t)arm64_secondary_spin_entry;
	dcache_clean_to_poc((const void *)release, sizeof(*release), true);
	__asm__ volatile("sev" ::: "memory");
}

bool arch_cpu_on(const struct fw_info *fw, const struct fw_cpu *c, unsigned cpu, void *stack_top,
		 char *why, size_t why_len)
{
	static bool cleaned;

	if (cpu >= SB_COUNT) {
		snprintf(why, why_len, "CPU index %u beyond the %u start blocks", cpu, SB_COUNT);
		return false;
	}
	if (c->method == CPU_METHOD_SPIN_TABLE && !c->release_addr) {
		snprintf(why, why_len, "spin-table CPU without a cpu-release-addr");
		return false;
	}
	if (c->method != CPU_METHOD_PSCI && c->method != CPU_METHOD_SPIN_TABLE) {
		snprintf(why, why_len, "no start method for it on arm64");
		return false;
	}
	/* What runs with the MMU off: the entry code, the MMU switch, and
	 * every block (spin-table CPUs search them all). */
	if (!cleaned) {
		dcache_clean_to_poc(_text, (size_t)(_etext - _text), false);
		dcache_clean_to_poc(arm64_secondary_blocks, sizeof(arm64_secondary_blocks), false);
		cleaned = true;
	}
	struct secondary_boot *b = &arm64_secondary_blocks[cpu];
	fill_block(b, c, cpu, stack_top);
	dcache_clean_to_poc(b, sizeof(*b), false);
	if (c->method == CPU_METHOD_SPIN_TABLE) {
		spin_table_release(c);
		return true;
	}
	return psci_cpu_on(fw, c, b, why, why_len);
}

/* On the new CPU, MMU on, on its own stack, exceptions masked. */
_Noreturn void arm64_secondary_main(struct secondary_boot *b)
{
	arm64_cpu_local_init();
	arch_set_cpu_index((unsigned)b->cpu);
	if (b->pmu) {
		write_sysreg(pmccfiltr_el0, b->pmccfiltr);
		write_sysreg(pmcr_el0, b->pmcr);
		write_sysreg(pmcntenset_el0, 1ull << 31);
		isb();
	}
	smp_secondary_main((unsigned)b->cpu);
}
