/*
 * fault=guest: the image's own guest (natively at EL2) executes an
 * undefined instruction. Its hypervisor must take the exception back and
 * end this benchmark with an error naming it; the suite goes on.
 */
#include <vmb/arch.h>
#include <bench/bench.h>
#include <vmb/platform.h>

static enum bench_prep guest_fault_prep(struct bench_ctx *ctx)
{
	if (!arch_hypercall_setup(&the_platform, ctx->call, sizeof(ctx->call), ctx->reason,
				  sizeof(ctx->reason)))
		return BENCH_SKIP;
	if (!arch_hypercall_batched())
		return bench_why(ctx, BENCH_SKIP,
				 "the null hypercall here goes to a hypervisor below, not to "
				 "the image's own");
	return BENCH_RUN;
}

static uint64_t guest_fault_measure(struct bench_ctx *ctx, uint32_t batch)
{
	(void)batch;
	arch_guest_fault(ctx->reason, sizeof(ctx->reason));
	return BENCH_LOST;
}

BENCH(guest_fault, .desc = "the image's own guest faults (fault=guest only)",
      .prep = guest_fault_prep, .measure = guest_fault_measure, .max_batch = 1,
      .fault_test = FAULT_GUEST, .order = -50);
