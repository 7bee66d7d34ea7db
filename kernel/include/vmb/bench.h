/*
 * A benchmark is one file under bench/ and one BENCH() declaration: the
 * descriptor lands in the vmb_bench section and the harness finds it
 * there. exec() performs exactly one instance of the measured operation.
 */
#ifndef VMB_BENCH_H
#define VMB_BENCH_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

struct bench_ctx {
	/* Set by prep() when the benchmark cannot run or failed to set up. */
	char reason[160];
	/* What exactly is measured ("vmcall nr=..."); set by prep() if useful. */
	char call[64];
	/* Free for the benchmark's own state. */
	void *priv;
	uint64_t arg[4];
};

enum bench_prep {
	BENCH_RUN = 0,
	BENCH_SKIP, /* ctx->reason says why */
	BENCH_FAIL, /* ctx->reason says why */
};

struct bench {
	const char *name;
	const char *desc;
	enum bench_prep (*prep)(struct bench_ctx *ctx);
	void (*exec)(struct bench_ctx *ctx);
	void (*post)(struct bench_ctx *ctx);
	/* The harness does not subtract timer overhead (the null bench itself). */
	bool raw;
	/* Run before all others: its result corrects everyone else's. */
	int order;
};

#define BENCH(id, ...)                                                                             \
	static const struct bench bench_desc_##id                                                  \
		__attribute__((used, section("vmb_bench"), aligned(8))) = { .name = #id,           \
									    __VA_ARGS__ }

/* Printf into ctx->reason; returns the given verdict for `return bench_why(...)`. */
enum bench_prep bench_why(struct bench_ctx *ctx, enum bench_prep v, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

struct options;
void bench_run_all(const struct options *opt);
void bench_list(void);

#endif
