/*
 * The one timing loop. Every benchmark goes through prep, warm-up,
 * batch sizing, sampling under a time budget, overhead correction and
 * statistics here; a benchmark file only says what one operation is.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arch/counter.h>
#include <vmb/bench.h>
#include <vmb/console.h>
#include <vmb/fault.h>
#include <vmb/options.h>
#include <vmb/platform.h>
#include <vmb/report.h>

extern const struct bench __start_vmb_bench[], __stop_vmb_bench[];

/* A coarse counter (the architected timer) needs batches spanning at
 * least this many ticks for one tick of error to stay below 1%. */
#define BATCH_MIN_TICKS 128
#define BATCH_MAX 65536

struct run {
	const struct bench *b;
	const struct options *opt;
	struct bench_ctx ctx;
	uint64_t *samples;
	size_t n;
	uint32_t batch;
	bool budget_hit;
	enum bench_prep prep;
};

/* Median cost of timing nothing: subtracted from every other sample. */
static uint64_t timer_overhead;
static bool overhead_known;

enum bench_prep bench_why(struct bench_ctx *ctx, enum bench_prep v, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ctx->reason, sizeof(ctx->reason), fmt, ap);
	va_end(ap);
	return v;
}

/* With an unmeasured counter, assume 4 GHz: the budget errs long. */
#define UNKNOWN_COUNTER_HZ 4000000000ull

static uint64_t budget_ticks(const struct options *opt)
{
	uint64_t hz = the_platform.counter_hz ? the_platform.counter_hz : UNKNOWN_COUNTER_HZ;

	return hz / 1000 * opt->budget_ms;
}

static uint64_t time_batch(struct run *r, uint32_t batch)
{
	uint64_t t0 = counter_start();

	for (uint32_t j = 0; j < batch; j++)
		r->b->exec(&r->ctx);
	return counter_stop() - t0;
}

static uint32_t choose_batch(struct run *r)
{
	if (r->opt->batch)
		return r->opt->batch;
	if (!counter_is_coarse())
		return 1;
	uint32_t batch = 1;
	while (batch < BATCH_MAX && time_batch(r, batch) < BATCH_MIN_TICKS)
		batch *= 2;
	return batch;
}

/* Everything that runs the operation, under vmb_try() so that an
 * exception ends this benchmark only. */
static void sample(void *arg)
{
	struct run *r = arg;
	const struct options *opt = r->opt;
	uint64_t start = counter_now(), budget = budget_ticks(opt);

	for (uint32_t i = 0; i < opt->warmup; i++)
		r->b->exec(&r->ctx);
	r->batch = choose_batch(r);
	for (r->n = 0; r->n < opt->iters; r->n++) {
		r->samples[r->n] = time_batch(r, r->batch);
		if ((r->n & 15) == 15 && counter_now() - start > budget) {
			r->n++;
			r->budget_hit = true;
			break;
		}
	}
}

static void prep(void *arg)
{
	struct run *r = arg;

	r->prep = r->b->prep ? r->b->prep(&r->ctx) : BENCH_RUN;
}

static void post(void *arg)
{
	struct run *r = arg;

	if (r->b->post)
		r->b->post(&r->ctx);
}

static void finish(struct run *r, bool print)
{
	struct bench_result res = {
		.bench = r->b->name,
		.unit = counter_unit(the_platform.counter),
		.call = r->ctx.call[0] ? r->ctx.call : NULL,
		.batch = r->batch,
	};
	uint64_t overhead = r->b->raw ? 0 : timer_overhead;

	/* The timestamps cost the same whatever runs between them: take
	 * their median cost off the sample, then share it over the batch. */
	for (size_t i = 0; i < r->n; i++) {
		uint64_t s = r->samples[i];
		s = s > overhead ? s - overhead : 0;
		r->samples[i] = s / r->batch;
	}
	stats_compute(r->samples, r->n, &res.st);
	res.overhead = overhead;
	if (r->b->raw && !overhead_known) {
		timer_overhead = r->batch == 1 ? res.st.p50 : 0;
		overhead_known = true;
	}
	if (print) {
		report_result(&res);
		if (r->budget_hit)
			report_info("%s: time budget of %u ms reached after %zu of %u samples",
				    r->b->name, r->opt->budget_ms, r->n, r->opt->iters);
	}
}

static void run_one(const struct bench *b, const struct options *opt, bool print)
{
	struct run r = { .b = b, .opt = opt, .batch = 1 };
	uint64_t fault;

	if ((fault = vmb_try(prep, &r))) {
		report_error(b->name, "exception during set-up: %s", vmb_fault_text());
		return;
	}
	if (r.prep == BENCH_SKIP) {
		if (print)
			report_skip(b->name, "%s", r.ctx.reason[0] ? r.ctx.reason : "not available here");
		return;
	}
	if (r.prep == BENCH_FAIL) {
		report_error(b->name, "%s", r.ctx.reason[0] ? r.ctx.reason : "set-up failed");
		return;
	}
	r.samples = malloc(sizeof(uint64_t) * opt->iters);
	if (!r.samples) {
		report_error(b->name, "no memory for %u samples", opt->iters);
	} else if ((fault = vmb_try(sample, &r))) {
		report_error(b->name, "exception after %zu samples: %s", r.n, vmb_fault_text());
	} else {
		finish(&r, print);
	}
	free(r.samples);
	if (vmb_try(post, &r))
		report_error(b->name, "exception during clean-up: %s", vmb_fault_text());
}

static int by_order(const void *a, const void *b)
{
	const struct bench *x = *(const struct bench *const *)a, *y = *(const struct bench *const *)b;

	if (x->order != y->order)
		return x->order < y->order ? -1 : 1;
	return strcmp(x->name, y->name);
}

static size_t sorted_benches(const struct bench **out, size_t cap)
{
	size_t n = 0;

	for (const struct bench *b = __start_vmb_bench; b < __stop_vmb_bench && n < cap; b++)
		out[n++] = b;
	qsort(out, n, sizeof(*out), by_order);
	return n;
}

void bench_list(void)
{
	const struct bench *list[64];
	size_t n = sorted_benches(list, 64);

	kprintf("benchmarks in this image:\n");
	for (size_t i = 0; i < n; i++)
		kprintf("  %-16s %s\n", list[i]->name, list[i]->desc ? list[i]->desc : "");
}

void bench_run_all(const struct options *opt)
{
	const struct bench *list[64];
	size_t n = sorted_benches(list, 64);

	for (unsigned i = 0; i < opt->nbench; i++) {
		bool known = false;
		for (size_t j = 0; j < n; j++)
			known |= !strcmp(list[j]->name, opt->bench[i]);
		if (!known)
			report_info("bench=%s: no such benchmark in this image (see 'list')",
				    opt->bench[i]);
	}
	for (size_t i = 0; i < n; i++) {
		bool selected = options_selects(opt, list[i]->name);

		/* The overhead reference runs even when not selected: every
		 * other figure depends on it. */
		if (selected || (list[i]->raw && !overhead_known))
			run_one(list[i], opt, selected);
	}
}
