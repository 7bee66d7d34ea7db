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
#include <bench/bench.h>
#include <vmb/console.h>
#include <vmb/fault.h>
#include <vmb/options.h>
#include <vmb/platform.h>
#include <vmb/report.h>
#include <vmb/watchdog.h>

extern const struct bench __start_vmb_bench[], __stop_vmb_bench[];

/* A coarse counter (the architected timer) needs batches spanning at
 * least this many ticks for one tick of error to stay below 1%. */
#define BATCH_MIN_TICKS 128
#define BATCH_MAX 65536
/* A counter read dearer than this traps to the hypervisor (Xen's emulated
 * TSC, a KVM guest's PMU): its cost and its jitter are then a trap's, and
 * an operation is timed in batches spanning this many times the read. */
#define READ_TRAPS_NS 2000
#define TRAPPING_READ_FACTOR 8
/* A capped batch spanning fewer ticks than this at p50 is not a figure. */
#define RESOLUTION_MIN_TICKS 8
/* The counter may run this far (per mille) from its calibrated rate over a
 * sampling loop before its figure is flagged; loops shorter than this are
 * too short to judge. */
#define RATE_TOLERANCE 100
#define CHECK_MIN_US 2000
/* Reads of the counter bracketed by the reference, best of this many. */
#define PAIR_TRIES 8
/* The budget is looked at every this many samples, or after every sample
 * once one takes longer than SLOW_SAMPLE_MS (then a look costs nothing
 * beside it): a stream's 1 MiB batch took 5.7 s in the nested lab, and
 * 16 of them ran 26 times over a 5 s budget. Warm-up stops once it has
 * used WARMUP_BUDGET_SHARE of the budget. */
#define BUDGET_LOOK_EVERY 16
#define SLOW_SAMPLE_MS 1
#define WARMUP_BUDGET_SHARE 4
/* A test build may plant a fixed delay in one operation (make
 * PLANT_DELAY=bench:ns), so that the A/B tool's own test has a known
 * regression to find. No option reaches it; the image says so when it
 * runs that benchmark, and the boot record's build flags show it. */
#ifndef VMB_PLANT_BENCH
#define VMB_PLANT_BENCH ""
#define VMB_PLANT_NS 0
#endif

struct run {
	const struct bench *b;
	const struct options *opt;
	struct bench_ctx ctx;
	uint64_t *samples;
	/* Per part, for a benchmark made of parts (bench->parts). */
	uint64_t *part_samples[RESULT_MAX_PARTS];
	unsigned nparts;
	size_t n;
	uint32_t batch;
	bool budget_hit;
	bool lost;	  /* measure() said an operation never completed */
	uint64_t planted; /* reference ticks of a test build's planted delay */
	enum bench_prep prep;
	/* The sampling loop as the reference clock and the counter saw it,
	 * and the sum of the raw samples: what the check compares. */
	uint64_t ref_span, counter_span, sample_sum;
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

/* The budget runs on the reference clock: a counter that stops while
 * the hypervisor runs would stretch it many times over. */
static uint64_t budget_ticks(const struct options *opt)
{
	uint64_t hz = the_platform.ref_hz ? the_platform.ref_hz : UNKNOWN_COUNTER_HZ;

	return hz / 1000 * opt->budget_ms;
}

/*
 * The counter and the reference read at one instant, as near as can be:
 * the counter read bracketed by two reference reads, the closest pair of
 * a few tries, the reference taken at its midpoint. A vCPU preempted
 * between two plain reads would otherwise give the loop check a window
 * on one clock that the other did not see.
 */
static void read_pair(uint64_t *ref, uint64_t *counter)
{
	uint64_t best = UINT64_MAX;

	for (unsigned i = 0; i < PAIR_TRIES; i++) {
		uint64_t a = ref_now(), c = counter_now(), b = ref_now();
		if (b - a < best) {
			best = b - a;
			*ref = a + (b - a) / 2;
			*counter = c;
		}
	}
}

static uint64_t time_batch(struct run *r, uint32_t batch)
{
	if (batch < r->b->min_batch)
		batch = r->b->min_batch;
	watchdog_beat();
	uint64_t (*measure)(struct bench_ctx *, uint32_t) =
		r->ctx.measure ? r->ctx.measure : r->b->measure;
	if (measure) {
		uint64_t t = measure(&r->ctx, batch);
		if (t == BENCH_LOST)
			r->lost = true;
		return t;
	}
	uint64_t t0 = counter_start();

	for (uint32_t j = 0; j < batch; j++) {
		r->b->exec(&r->ctx);
		/* Nothing at all in the loop of a normal build: VMB_PLANT_NS is 0. */
		if (VMB_PLANT_NS && r->planted)
			for (uint64_t until = ref_now() + r->planted; ref_now() < until;)
				;
	}
	return counter_stop() - t0;
}

static bool coarse(const struct run *r)
{
	return r->b->ref_clock ? ref_is_coarse() : counter_is_coarse();
}

/* Reading the counter itself traps: the null benchmark's median says so. */
static bool read_traps(void)
{
	return overhead_known &&
	       ticks_to_ns(timer_overhead, the_platform.counter_hz) > READ_TRAPS_NS;
}

/* The smallest raw sample that the counter can time to about 1 %: a few
 * ticks above a coarse clock's resolution, or, where reading the counter
 * traps, well above the read's own cost and jitter. 0: any sample. */
static uint64_t sample_goal(const struct run *r)
{
	uint64_t goal = coarse(r) ? BATCH_MIN_TICKS : 0;

	if (!r->b->ref_clock && !r->b->raw && read_traps() &&
	    goal < TRAPPING_READ_FACTOR * timer_overhead)
		goal = TRAPPING_READ_FACTOR * timer_overhead;
	return goal;
}

static uint32_t choose_batch(struct run *r)
{
	uint32_t cap = r->b->max_batch ? r->b->max_batch : BATCH_MAX;
	uint64_t goal = sample_goal(r);

	uint32_t least = r->b->min_batch ? r->b->min_batch : 1;

	if (r->opt->batch)
		return r->opt->batch < least ? least : r->opt->batch < cap ? r->opt->batch : cap;
	if (!goal)
		return least;
	uint32_t batch = least;
	while (batch < cap && !r->lost && time_batch(r, batch) < goal)
		batch = batch * 2 < cap ? batch * 2 : cap;
	return batch;
}

/* Everything that runs the operation, under vmb_try() so that an
 * exception ends this benchmark only. */
static void sample(void *arg)
{
	struct run *r = arg;
	const struct options *opt = r->opt;
	uint64_t start = ref_now(), budget = budget_ticks(opt);
	uint64_t warm = budget / WARMUP_BUDGET_SHARE;

	if (r->ctx.measure || r->b->measure)
		for (uint32_t i = 0; i < opt->warmup / 16 + 1 && !r->lost; i++) {
			time_batch(r, 1);
			if (ref_now() - start > warm)
				break;
		}
	else
		for (uint32_t i = 0; i < opt->warmup; i++) {
			watchdog_beat();
			r->b->exec(&r->ctx);
			if (i % BUDGET_LOOK_EVERY == BUDGET_LOOK_EVERY - 1 &&
			    ref_now() - start > warm)
				break;
		}
	r->batch = choose_batch(r);
	if (r->lost)
		return;

	uint64_t ref0, c0, ref1, c1, sum = 0, slow = ref_ms(SLOW_SAMPLE_MS);
	uint64_t last = ref_now(), since = 0; /* samples since the last look */
	bool look_each = false;
	read_pair(&ref0, &c0);
	for (r->n = 0; r->n < opt->iters; r->n++) {
		uint64_t s = time_batch(r, r->batch);
		if (r->lost)
			break;
		r->samples[r->n] = s;
		for (unsigned p = 0; p < r->nparts; p++)
			r->part_samples[p][r->n] = r->ctx.part[p];
		sum += s;
		since++;
		/* The first sample says whether samples are slow. */
		if (!look_each && r->n && r->n % BUDGET_LOOK_EVERY != BUDGET_LOOK_EVERY - 1)
			continue;
		uint64_t now = ref_now();
		look_each = now - last > slow * since;
		last = now;
		since = 0;
		if (now - start > budget) {
			r->n++;
			r->budget_hit = true;
			break;
		}
	}
	read_pair(&ref1, &c1);
	r->counter_span = c1 - c0;
	r->ref_span = ref1 - ref0;
	r->sample_sum = sum;
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

/*
 * Did the counter see the whole operation? The sampling loop is timed on
 * the reference clock too. Where the reference is another clock, the
 * counter's own span over the loop must match it at the calibrated rate:
 * a cycle counter that stops while the hypervisor runs (a KVM guest's
 * PMCCNTR) falls far short, and the result is flagged, not trusted.
 */
static void loop_check(const struct run *r, struct loop_check *c)
{
	const struct platform *p = &the_platform;
	uint64_t ops = (uint64_t)r->n * r->batch;
	uint64_t hz = r->b->ref_clock ? p->ref_hz : p->counter_hz;

	*c = (struct loop_check){ .ref = counter_name(p->ref), .rate = -1 };
	c->span_ns = ticks_to_ns(r->ref_span, p->ref_hz);
	if (!c->span_ns || !hz)
		return;
	c->wall_op_ns = ops ? c->span_ns / ops : 0;
	c->accounted = (unsigned)(ticks_to_ns(r->sample_sum, hz) * 1000 / c->span_ns);
	if (p->ref == p->counter || r->b->ref_clock || c->span_ns < CHECK_MIN_US * 1000ull)
		return;
	c->rate = (int)(ticks_to_ns(r->counter_span, p->counter_hz) * 1000 / c->span_ns);
	if (c->rate < 1000 - RATE_TOLERANCE || c->rate > 1000 + RATE_TOLERANCE)
		snprintf(c->suspect, sizeof(c->suspect),
			 "%s ran at %d.%d%% of its calibrated rate during this benchmark (%s as "
			 "reference): it missed time the operation took",
			 counter_name(p->counter), c->rate / 10, c->rate % 10, c->ref);
}

static void finish(struct run *r, bool print)
{
	const struct platform *p = &the_platform;
	bool own_clock = r->b->ref_clock && p->ref != p->counter;
	struct bench_result res = {
		.bench = r->b->name,
		.unit = counter_unit(r->b->ref_clock ? p->ref : p->counter),
		.call = r->ctx.call[0] ? r->ctx.call : NULL,
		.clock = own_clock ? counter_name(p->ref) : NULL,
		.clock_hz = own_clock ? p->ref_hz : 0,
		.batch = r->batch,
		.bytes = r->b->bytes_per_op,
		.bytes_per_frame = r->ctx.bytes_per_frame,
	};
	uint64_t overhead = r->b->raw || r->b->ref_clock ? 0 : timer_overhead;
	uint64_t min_raw = UINT64_MAX;

	/* The timestamps cost the same whatever runs between them: take
	 * their median cost off the sample, then share it over the batch.
	 * Each part was timed alone: each pays the overhead once, and the
	 * sample is the sum of the corrected parts. */
	for (size_t i = 0; i < r->n; i++) {
		uint64_t s = r->samples[i];
		if (s < min_raw)
			min_raw = s;
		if (!r->nparts) {
			s = s > overhead ? s - overhead : 0;
			r->samples[i] = s / r->batch;
			continue;
		}
		r->samples[i] = 0;
		for (unsigned p = 0; p < r->nparts; p++) {
			uint64_t ps = r->part_samples[p][i];
			ps = (ps > overhead ? ps - overhead : 0) / r->batch;
			r->part_samples[p][i] = ps;
			r->samples[i] += ps;
		}
	}
	stats_compute(r->samples, r->n, &res.st);
	res.sorted = r->samples;
	res.nsorted = r->n;
	res.overhead = overhead * (r->nparts ? r->nparts : 1);
	res.nparts = r->nparts;
	for (unsigned p = 0; p < r->nparts; p++) {
		res.part_names[p] = r->b->parts[p];
		stats_compute(r->part_samples[p], r->n, &res.part_st[p]);
	}
	loop_check(r, &res.check);
	if (r->b->raw && !overhead_known) {
		timer_overhead = r->batch == 1 ? res.st.p50 : 0;
		overhead_known = true;
		if (print && read_traps())
			report_info(
				"%s: reading %s costs %llu ns at p50, a trap: the other "
				"benchmarks are timed in batches spanning at least %u such reads",
				r->b->name, counter_name(p->counter),
				(unsigned long long)ticks_to_ns(timer_overhead, p->counter_hz),
				TRAPPING_READ_FACTOR);
	}
	/* A figure made of a few ticks is mostly quantization: not printed. */
	uint64_t p50_ticks = res.st.p50 * r->batch + overhead;
	if (print && coarse(r) && r->b->max_batch && r->batch == r->b->max_batch &&
	    p50_ticks < RESOLUTION_MIN_TICKS) {
		report_skip(r->b->name,
			    "below the resolution of %s (%llu Hz): a sample of %u operation(s) "
			    "spans %llu ticks at p50",
			    counter_name(r->b->ref_clock ? p->ref : p->counter),
			    (unsigned long long)(r->b->ref_clock ? p->ref_hz : p->counter_hz),
			    r->batch, (unsigned long long)p50_ticks);
		return;
	}
	if (print && r->b->accept && !r->b->accept(&r->ctx, &res.st)) {
		report_skip(r->b->name, "%s", r->ctx.reason);
		return;
	}
	if (print) {
		report_result(&res);
		/* A capped batch on a coarse clock: say the figure is quantized. */
		if (coarse(r) && r->b->max_batch && r->batch == r->b->max_batch &&
		    min_raw < BATCH_MIN_TICKS)
			report_info(
				"%s: resolution-limited: a sample of %u operations spans as "
				"few as %llu ticks of %s (%llu Hz)",
				r->b->name, r->batch, (unsigned long long)min_raw,
				counter_name(r->b->ref_clock ? p->ref : p->counter),
				(unsigned long long)(r->b->ref_clock ? p->ref_hz : p->counter_hz));
		if (res.check.suspect[0])
			report_info("%s: NOT TRUSTWORTHY: %s", r->b->name, res.check.suspect);
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
			report_skip(b->name, "%s",
				    r.ctx.reason[0] ? r.ctx.reason : "not available here");
		return;
	}
	if (r.prep == BENCH_FAIL) {
		report_error(b->name, "%s", r.ctx.reason[0] ? r.ctx.reason : "set-up failed");
		return;
	}
	while (r.nparts < RESULT_MAX_PARTS && b->parts[r.nparts])
		r.nparts++;
	if (VMB_PLANT_NS && !strcmp(b->name, VMB_PLANT_BENCH)) {
		/* Only where the harness times each operation itself. */
		bool own = !r.ctx.measure && !b->measure;
		r.planted = own ? the_platform.ref_hz * VMB_PLANT_NS / 1000000000ull : 0;
		if (print)
			report_info("%s: TEST BUILD: %s %llu ns planted in each operation (make "
				    "PLANT_DELAY)",
				    b->name,
				    own ? "a delay of" : "no delay: it times itself, so not the",
				    (unsigned long long)VMB_PLANT_NS);
	}
	r.samples = malloc(sizeof(uint64_t) * opt->iters);
	bool parts_ok = true;
	for (unsigned p = 0; p < r.nparts; p++)
		parts_ok &= (r.part_samples[p] = malloc(sizeof(uint64_t) * opt->iters)) != NULL;
	if (!r.samples || !parts_ok) {
		report_error(b->name, "no memory for %u samples", opt->iters);
		goto out;
	}
	static char said_unwatched[128];
	const char *watched = watchdog_start(b->name, b->acks_irqs, b->uses_timer);
	if (!watched && print && strcmp(said_unwatched, watchdog_why())) {
		/* Once per reason: on one CPU it is the same for every benchmark. */
		report_info("%s: not watched for hangs: %s", b->name, watchdog_why());
		snprintf(said_unwatched, sizeof(said_unwatched), "%s", watchdog_why());
	}
	fault = vmb_try(sample, &r);
	watchdog_stop();
	if (fault && watchdog_fired()) {
		report_error(b->name, "%s after %zu samples; the suite goes on", vmb_fault_text(),
			     r.n);
	} else if (fault) {
		report_error(b->name, "exception after %zu samples: %s", r.n, vmb_fault_text());
	} else if (r.lost && r.ctx.gave_up) {
		report_skip(b->name, "%s (after %zu samples)", r.ctx.reason, r.n);
	} else if (r.lost) {
		report_error(b->name, "operation lost after %zu samples: %s", r.n,
			     r.ctx.reason[0] ? r.ctx.reason : "it never completed");
	} else {
		finish(&r, print);
	}
out:
	free(r.samples);
	for (unsigned p = 0; p < r.nparts; p++)
		free(r.part_samples[p]);
	if (vmb_try(post, &r))
		report_error(b->name, "exception during clean-up: %s", vmb_fault_text());
}

static int by_order(const void *a, const void *b)
{
	const struct bench *x = *(const struct bench *const *)a,
			   *y = *(const struct bench *const *)b;

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

void bench_run_all(void)
{
	const struct options *opt = the_options;
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
		bool selected = list[i]->fault_test ? opt->fault == list[i]->fault_test
						    : options_selects(opt, list[i]->name);

		/* The overhead reference runs even when not selected: every
		 * other figure depends on it. */
		if (selected || (list[i]->raw && !overhead_known))
			run_one(list[i], opt, selected);
	}
}
