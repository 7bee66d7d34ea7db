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

#include <vmb/options.h>
#include <vmb/report.h>

struct bench_ctx {
	/* Set by prep() when the benchmark cannot run or failed to set up. */
	char reason[320];
	/* What exactly is measured ("vmcall nr=..."); set by prep() if useful. */
	char call[160];
	/* Free for the benchmark's own state. */
	void *priv;
	uint64_t arg[4];
	/* Set by prep() to time this run by it instead of exec (as the
	 * descriptor's measure): where it runs is only known then. */
	uint64_t (*measure)(struct bench_ctx *ctx, uint32_t batch);
	/* I/O: payload bytes per frame on the wire while it ran (a reader
	 * turns rates into packets/s); 0 when not known. */
	uint32_t bytes_per_frame;
	/* A benchmark made of parts (the descriptor's parts): measure() sets
	 * the raw ticks of each part over the batch, each timed alone. */
	uint64_t part[RESULT_MAX_PARTS];
	/* Set by measure() with BENCH_LOST when it gave up for a reason that
	 * is no failure of what it measures (two clocks that disagree):
	 * reported as a skip with ctx->reason, not an error. */
	bool gave_up;
};

enum bench_prep {
	BENCH_RUN = 0,
	BENCH_SKIP, /* ctx->reason says why */
	BENCH_FAIL, /* ctx->reason says why */
};

/* What measure() returns when an operation never completed: the run of
 * this benchmark ends with an error record saying ctx->reason. */
#define BENCH_LOST UINT64_MAX

struct stats;

struct bench {
	const char *name;
	const char *desc;
	enum bench_prep (*prep)(struct bench_ctx *ctx);
	void (*exec)(struct bench_ctx *ctx);
	/*
	 * Instead of exec, for operations the harness cannot bracket itself
	 * (work before each one, or an end seen on another CPU or in a
	 * handler): perform `batch` operations and return the ticks they
	 * took, or BENCH_LOST. Timed with counter_start/stop unless ref_clock.
	 */
	uint64_t (*measure)(struct bench_ctx *ctx, uint32_t batch);
	/* The most operations measure() can take at once (0: no limit). */
	uint32_t max_batch;
	/* The fewest it can take (0: 1), e.g. to keep a queue depth. */
	uint32_t min_batch;
	/* measure() returns reference-clock ticks (one clock for all CPUs):
	 * no timer overhead is subtracted, the result names its clock. */
	bool ref_clock;
	/* After sampling: false (and ctx->reason) to print a skip instead
	 * of the figure, e.g. a one-way time below its uncertainty. */
	bool (*accept)(struct bench_ctx *ctx, const struct stats *st);
	/* It acknowledges pending interrupts itself with interrupts masked:
	 * where the watchdog masks by priority (arm64), that would hide them. */
	bool acks_irqs;
	/* It programs the local timer itself, so the timer cannot watch it. */
	bool uses_timer;
	/* Runs only when fault=hang asks for it (a test of the watchdog). */
	enum fault_test fault_test;
	void (*post)(struct bench_ctx *ctx);
	/* The harness does not subtract timer overhead (the null bench itself). */
	bool raw;
	/* Bytes each operation moves (I/O): the record says it, so that a
	 * reader can turn times into rates. */
	uint32_t bytes_per_op;
	/* Run before all others: its result corrects everyone else's. */
	int order;
	/* Names of the parts measure() times separately (a world switch's
	 * save and restore), NULL after the last: each part's figures are
	 * reported, and a sample is the sum of its parts. */
	const char *parts[RESULT_MAX_PARTS];
};

/* A benchmark whose name is not a C identifier ("irqchip_trap.lapic"). */
#define BENCH_NAMED(id, str, ...)                                                                  \
	static const struct bench bench_desc_##id                                                  \
		__attribute__((used, section("vmb_bench"), aligned(8))) = { .name = str,           \
									    __VA_ARGS__ }

#define BENCH(id, ...)                                                                             \
	static const struct bench bench_desc_##id                                                  \
		__attribute__((used, section("vmb_bench"), aligned(8))) = { .name = #id,           \
									    __VA_ARGS__ }

/* Printf into ctx->reason; returns the given verdict for `return bench_why(...)`. */
enum bench_prep bench_why(struct bench_ctx *ctx, enum bench_prep v, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

void bench_run_all(void);
void bench_list(void);

#endif
