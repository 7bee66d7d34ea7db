/*
 * CPUID leaf 0: always intercepted by VMX and SVM hypervisors, so under
 * one it is a full exit and return; natively it is the instruction's own
 * (serializing) cost.
 */
#include <stdio.h>

#include <arch/counter.h>
#include <arch/x86.h>
#include <arch/x86_hv.h>
#include <bench/bench.h>
#include <vmb/arch.h>
#include <vmb/platform.h>

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

/* In the image's own SVM guest: the harness's bracket around the batch. */
static uint64_t guest_cpuid_batch(uint64_t batch)
{
	uint64_t t0 = counter_start();

	for (uint64_t i = 0; i < batch; i++) {
		struct cpuid_regs r = cpuid(0, 0);
		__asm__ volatile("" ::"r"(r.eax), "r"(r.ebx), "r"(r.ecx), "r"(r.edx));
	}
	return counter_stop() - t0;
}

static uint64_t cpuid_guest_measure(struct bench_ctx *ctx, uint32_t batch)
{
	uint64_t ticks;

	if (!arch_guest_call(guest_cpuid_batch, batch, &ticks, ctx->reason, sizeof(ctx->reason)))
		return BENCH_LOST;
	return ticks;
}

static enum bench_prep cpuid_guest_prep(struct bench_ctx *ctx)
{
	if (the_platform.mode != MODE_NATIVE)
		return bench_why(ctx, BENCH_SKIP,
				 "a hypervisor is below: cpuid is its exit already");
	if (!arch_guest_setup(ctx->reason, sizeof(ctx->reason)))
		return BENCH_SKIP;
	snprintf(ctx->call, sizeof(ctx->call),
		 "cpuid eax=0 in the image's %s guest, answered by its run loop", x86_hv_name());
	return BENCH_RUN;
}

/* Natively: the exit a hypervisor takes for it, next to the bare one. */
BENCH_NAMED(cpuid_guest, "cpuid.guest",
	    .desc = "CPUID leaf 0 from the image's own guest: an exit to its own VMM",
	    .prep = cpuid_guest_prep, .measure = cpuid_guest_measure);
