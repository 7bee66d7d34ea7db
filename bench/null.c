/*
 * Nothing between two timestamps: the cost of reading the counter with
 * its serialization, which the harness subtracts from everything else.
 */
#include <bench/bench.h>

static void null_exec(struct bench_ctx *ctx)
{
	/* The call itself stays: every other benchmark pays for one too. */
	__asm__ volatile("" ::"r"(ctx) : "memory");
}

BENCH(null, .desc = "timer overhead: two serialized counter reads", .exec = null_exec, .raw = true,
      .order = -100);
