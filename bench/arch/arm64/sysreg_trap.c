/*
 * A read of ID_AA64PFR0_EL1: with HCR_EL2.TID3 set (KVM and Xen set it
 * to present sanitised ID registers) it traps to the hypervisor and back;
 * natively it is a plain system-register read.
 */
#include <stdint.h>

#include <bench/bench.h>

static void sysreg_trap_exec(struct bench_ctx *ctx)
{
	uint64_t v;

	(void)ctx;
	__asm__ volatile("mrs %0, id_aa64pfr0_el1" : "=r"(v)::"memory");
}

static enum bench_prep sysreg_trap_prep(struct bench_ctx *ctx)
{
	__builtin_strcpy(ctx->call, "mrs ID_AA64PFR0_EL1");
	return BENCH_RUN;
}

BENCH(sysreg_trap, .desc = "ID register read: traps to the hypervisor under TID3",
      .prep = sysreg_trap_prep, .exec = sysreg_trap_exec);
