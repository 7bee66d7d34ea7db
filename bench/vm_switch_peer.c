/*
 * vm_switch under a hypervisor: the measuring guest's side of the ping-
 * pong with a peer guest on the same physical CPU (bench/vm_peer.c,
 * <bench/pingpong.h>). Each sample runs from the peer's last stamp before
 * it gives the CPU up to the first read of this guest's counter after
 * the stamp is seen. The two guests' counters are tied to a clock both
 * read alike (the host's, arch_guests_clock) by a pairing each takes
 * right before its own reading, so only a
 * few microseconds are converted with each guest's counter frequency.
 *
 * Every sample is also checked against this guest's own clock: the peer
 * can only stamp after this guest let it (its ack), so a gap longer than
 * the time since the ack, or below zero, means the pairings do not tie
 * the two counters together, and refuses the figure. On one CPU this
 * guest cannot poll while the peer runs from its ack to its stamp: a poll
 * read in that span means the two ran side by side (not pinned: nothing
 * was switched), or the host took the CPU from the peer midway; such a
 * sample is not timed, and when they outnumber the timed ones the figure
 * is refused. A stamp given while this guest was not yet polling (between
 * batches) says nothing and is not timed either.
 */
#include <stdio.h>

#include <arch/counter.h>
#include <vmb/arch.h>
#include <bench/bench.h>
#include <bench/pingpong.h>
#include <vmb/platform.h>
#include <vmb/stats.h>

#define NS 1000000000ull
/* Stale stamps in a row before a sample is given up. */
#define STALE_MAX 100

/* Clock tolerance of the checks: the pairings are to the nanosecond. */
#define CHECK_SLACK_NS 1000

static volatile struct pingpong *pp;
static uint64_t last_seq;
static uint64_t t_acked; /* this guest's counter when it last let the peer stamp */
static struct sample_counts {
	uint64_t samples, early, negative, side_by_side;
} seen;

static int64_t ticks_ns(int64_t ticks, uint64_t hz)
{
	return ticks < 0 ? -(int64_t)muldiv64((uint64_t)-ticks, NS, hz)
			 : (int64_t)muldiv64((uint64_t)ticks, NS, hz);
}

static void ack(void)
{
	t_acked = ref_now();
	__atomic_store_n(&pp->ack, last_seq, __ATOMIC_RELEASE);
}

enum bench_prep vm_switch_peer_prep(struct bench_ctx *ctx)
{
	struct peer_page page;
	uint64_t host_ns, host_ref;
	char why[160];

	if (peer_page_find(&page, false, why, sizeof(why)) != PEER_PAGE_FOUND)
		return bench_why(ctx, BENCH_SKIP, "%s", why);
	if (!arch_guests_clock(&host_ns, &host_ref, why, sizeof(why)))
		return bench_why(ctx, BENCH_SKIP,
				 "no clock ties the two guests' counters together: %s", why);
	pp = (volatile struct pingpong *)(uintptr_t)page.base;
	pp->state = PINGPONG_EMPTY;
	pp->seq = pp->stamp = pp->host_ns = pp->host_ref = pp->ref_hz = 0;
	pp->ack = UINT64_MAX; /* the peer's first stamp waits for the first ack */
	pp->how[0] = pp->why[0] = 0;
	last_seq = 0;
	__atomic_store_n(&pp->magic, PINGPONG_MAGIC, __ATOMIC_RELEASE);
	__atomic_store_n(&pp->state, PINGPONG_READY, __ATOMIC_RELEASE);
	t_acked = ref_now();

	uint32_t state;
	while ((state = __atomic_load_n(&pp->state, __ATOMIC_ACQUIRE)) == PINGPONG_READY)
		if (ref_now() - t_acked > ref_ms(patient_ms(PINGPONG_JOIN_MS)))
			return bench_why(ctx, BENCH_SKIP,
					 "no peer guest joined through %s within %u s (a guest "
					 "booted with vm_peer=S on the same CPU)",
					 page.what, patient_ms(PINGPONG_JOIN_MS) / 1000);
	if (state != PINGPONG_JOINED)
		return bench_why(ctx, BENCH_FAIL, "the peer guest failed: %.160s",
				 (const char *)pp->why);
	if (!pp->ref_hz)
		return bench_why(ctx, BENCH_FAIL, "the peer guest gave no counter frequency");
	snprintf(ctx->call, sizeof(ctx->call), "peer %.40s -> poll here; %s", (const char *)pp->how,
		 page.what);
	seen = (struct sample_counts){ 0 };
	ctx->measure = vm_switch_peer_measure;
	ack();
	return BENCH_RUN;
}

/* The time from the peer's reading `t` (its counter, paired with the
 * host clock at a_ns, a_ref) to this guest's t_seen (paired at b_ns,
 * b_ref), in this guest's reference ticks. */
static int64_t gap_ticks(uint64_t t, uint64_t a_ns, uint64_t a_ref, uint64_t a_hz, uint64_t t_seen,
			 uint64_t b_ns, uint64_t b_ref)
{
	uint64_t hz = the_platform.ref_hz;
	int64_t ns = (int64_t)(b_ns - a_ns) + ticks_ns((int64_t)(t_seen - b_ref), hz) -
		     ticks_ns((int64_t)(t - a_ref), a_hz);

	return ns < 0 ? -(int64_t)muldiv64((uint64_t)-ns, hz, NS)
		      : (int64_t)muldiv64((uint64_t)ns, hz, NS);
}

/* One stamp: its gap in reference ticks, or false (why in ctx) when the
 * peer stopped giving them. */
static bool one_gap(struct bench_ctx *ctx, int64_t *gap)
{
	int64_t slack = (int64_t)muldiv64(CHECK_SLACK_NS, the_platform.ref_hz, NS);

	for (unsigned stale = 0; stale < STALE_MAX; stale++) {
		/* t_last is read before each look at seq, t_prev before the one
		 * before: the last look that found nothing came after t_prev,
		 * and the peer ran after that look. */
		uint64_t t_poll = ref_now(), t_last = t_poll, t_prev = t_poll, seq;
		while ((t_prev = t_last, t_last = ref_now(),
			seq = __atomic_load_n(&pp->seq, __ATOMIC_ACQUIRE)) == last_seq) {
			if (__atomic_load_n(&pp->state, __ATOMIC_ACQUIRE) != PINGPONG_JOINED) {
				bench_why(ctx, BENCH_FAIL, "the peer guest stopped: %.160s",
					  (const char *)pp->why);
				return false;
			}
			/* Patient where emulated: a lab host under load left
			 * the peer off its CPU for over a second. */
			if (t_last - t_poll > ref_ms(patient_ms(PINGPONG_YIELD_MS))) {
				bench_why(ctx, BENCH_FAIL,
					  "the peer guest gave no stamp within %u ms",
					  patient_ms(PINGPONG_YIELD_MS));
				return false;
			}
		}
		uint64_t t_seen = ref_now();
		uint64_t stamp = pp->stamp, go = pp->go, a_ns = pp->host_ns;
		uint64_t a_ref = pp->host_ref, a_hz = pp->ref_hz, b_ns, b_ref;
		char why[160];
		if (!arch_guests_clock(&b_ns, &b_ref, why, sizeof(why))) {
			bench_why(ctx, BENCH_FAIL, "clock pairing: %s", why);
			return false;
		}
		int64_t g = gap_ticks(stamp, a_ns, a_ref, a_hz, t_seen, b_ns, b_ref);
		int64_t awake = gap_ticks(go, a_ns, a_ref, a_hz, t_seen, b_ns, b_ref);
		last_seq = seq;
		uint64_t since_ack = t_seen - t_acked;
		ack();
		if (g > (int64_t)since_ack + slack)
			seen.early++;
		else if (g > (int64_t)(t_seen - t_poll))
			continue; /* given while this guest was not polling */
		else if (g < -slack)
			seen.negative++;
		else if ((int64_t)(t_seen - t_prev) + slack < awake) {
			seen.side_by_side++;
			continue;
		}
		seen.samples++;
		*gap = g;
		return true;
	}
	bench_why(ctx, BENCH_FAIL,
		  "%u stamps in a row came while this guest was not polling or while it ran "
		  "alongside the peer",
		  STALE_MAX);
	return false;
}

uint64_t vm_switch_peer_measure(struct bench_ctx *ctx, uint32_t batch)
{
	uint64_t sum = 0;

	for (uint32_t i = 0; i < batch; i++) {
		int64_t g;
		if (!one_gap(ctx, &g))
			return BENCH_LOST;
		sum += g > 0 ? (uint64_t)g : 0;
	}
	/* The harness times in the benchmark counter's ticks. */
	if (the_platform.counter != the_platform.ref) /* two frequencies: in kHz */
		sum = muldiv64(sum, the_platform.counter_hz / 1000, the_platform.ref_hz / 1000);
	return sum;
}

bool vm_switch_peer_accept(struct bench_ctx *ctx, const struct stats *st)
{
	(void)st;
	if (seen.side_by_side > seen.samples)
		bench_why(ctx, BENCH_SKIP,
			  "%llu times this guest polled while the peer guest ran, against %llu "
			  "switches: the two run side by side, not on one CPU",
			  (unsigned long long)seen.side_by_side, (unsigned long long)seen.samples);
	else if (seen.early || seen.negative)
		bench_why(ctx, BENCH_SKIP,
			  "of %llu stamps, %llu came before this guest let the peer stamp and "
			  "%llu after it saw them: the host clock pairings do not tie the two "
			  "guests' counters together",
			  (unsigned long long)seen.samples, (unsigned long long)seen.early,
			  (unsigned long long)seen.negative);
	else
		return true;
	return false;
}

void vm_switch_peer_done(void)
{

	if (pp)
		__atomic_store_n(&pp->state, PINGPONG_DONE, __ATOMIC_RELEASE);
	pp = NULL;
}
