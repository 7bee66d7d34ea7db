/*
 * VM -> hypervisor -> VM with no work in the hypervisor: the cost of two
 * world switches (the first row of the study's table).
 */
#include <bench/bench.h>
#include <vmb/hypercall.h>

static const struct hypercall_ops *hc;

static uint64_t hypercall_batch(struct bench_ctx *ctx, uint32_t batch)
{
	uint64_t t = hc->batch(batch, ctx->reason, sizeof(ctx->reason));

	return t == UINT64_MAX ? BENCH_LOST : t;
}

static enum bench_prep hypercall_prep(struct bench_ctx *ctx)
{
	hc = hypercall_backend(ctx->reason, sizeof(ctx->reason));
	if (!hc || !hc->setup(ctx->call, sizeof(ctx->call), ctx->reason, sizeof(ctx->reason)))
		return BENCH_SKIP;
	if (hc->batch)
		ctx->measure = hypercall_batch;
	return BENCH_RUN;
}

static void hypercall_exec(struct bench_ctx *ctx)
{
	(void)ctx;
	hc->call();
}

BENCH(hypercall, .desc = "null hypercall: two world switches, no work", .prep = hypercall_prep,
      .exec = hypercall_exec);
