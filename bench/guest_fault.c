/*
 * fault=guest: the image's own guest (natively at EL2) executes an
 * undefined instruction. Its hypervisor must take the exception back and
 * end this benchmark with an error naming it; the suite goes on.
 */
#include <bench/bench.h>
#include <vmb/hypercall.h>

static enum bench_prep guest_fault_prep(struct bench_ctx *ctx)
{
	const struct hypercall_ops *hc = hypercall_backend(ctx->reason, sizeof(ctx->reason));

	if (!hc || !hc->setup(ctx->call, sizeof(ctx->call), ctx->reason, sizeof(ctx->reason)))
		return BENCH_SKIP;
	if (!hc->batch)
		return bench_why(ctx, BENCH_SKIP,
				 "the null hypercall here goes to a hypervisor below, not to "
				 "the image's own");
	return BENCH_RUN;
}

static uint64_t guest_fault_measure(struct bench_ctx *ctx, uint32_t batch)
{
	(void)batch;
	hyp_guest_fault(ctx->reason, sizeof(ctx->reason));
	return BENCH_LOST;
}

BENCH(guest_fault, .desc = "the image's own guest faults (fault=guest only)",
      .prep = guest_fault_prep, .measure = guest_fault_measure, .max_batch = 1,
      .fault_test = FAULT_GUEST, .order = -50);
