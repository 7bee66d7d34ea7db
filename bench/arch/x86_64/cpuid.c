/*
 * CPUID leaf 0: always intercepted by VMX and SVM hypervisors, so under
 * one it is a full exit and return; natively it is the instruction's own
 * (serializing) cost.
 */
#include <arch/x86.h>
#include <vmb/bench.h>

static void cpuid_exec(struct bench_ctx *ctx)
{
	(void)ctx;
	struct cpuid_regs r = cpuid(0, 0);
	__asm__ volatile("" ::"r"(r.eax), "r"(r.ebx), "r"(r.ecx), "r"(r.edx));
}

static enum bench_prep cpuid_prep(struct bench_ctx *ctx)
{
	__builtin_strcpy(ctx->call, "cpuid eax=0");
	return BENCH_RUN;
}

BENCH(cpuid, .desc = "CPUID leaf 0: traps to any hypervisor", .prep = cpuid_prep,
      .exec = cpuid_exec);
