/*
 * VM -> hypervisor -> VM with no work in the hypervisor: the cost of two
 * world switches (the first row of the study's table).
 */
#include <vmb/arch.h>
#include <bench/bench.h>
#include <vmb/platform.h>

static uint64_t hypercall_batch(struct bench_ctx *ctx, uint32_t batch)
{
	uint64_t t = arch_hypercall_batch(batch, ctx->reason, sizeof(ctx->reason));

	return t == UINT64_MAX ? BENCH_LOST : t;
}

static enum bench_prep hypercall_prep(struct bench_ctx *ctx)
{
	if (!arch_hypercall_setup(&the_platform, ctx->call, sizeof(ctx->call), ctx->reason,
				  sizeof(ctx->reason)))
		return BENCH_SKIP;
	if (arch_hypercall_batched())
		ctx->measure = hypercall_batch;
	return BENCH_RUN;
}

static void hypercall_exec(struct bench_ctx *ctx)
{
	(void)ctx;
	arch_hypercall();
}

BENCH(hypercall, .desc = "null hypercall: two world switches, no work", .prep = hypercall_prep,
      .exec = hypercall_exec);
