/*
 * An IPI from this CPU to another: virt_ipi is one way, from the send
 * until the receiver's handler runs, on the reference clock corrected by
 * the receiver's offset, measured just before and checked again just
 * after (clocks that are not invariant drift apart: in the nested x86
 * KVM lab a boot-time offset gave a one-way p50 above the round trip's);
 * virt_ipi_rtt is the round trip, from
 * the send until the receiver's handler's answer is seen here, on this
 * CPU's counter (the figure peer tools give). With fault=irqlost,
 * virt_ipi.lost sends to a receiver that keeps interrupts masked: the
 * loss must end it with its reason.
 */
#include <stdio.h>

#include <arch/counter.h>
#include <vmb/arch.h>
#include <vmb/bench.h>
#include <vmb/irq.h>
#include <vmb/platform.h>
#include <vmb/smp.h>
#include <vmb/stats.h>

/* One-way figures are printed only when the clock offset between the two
 * CPUs is known to better than this fraction of the figure. */
#define ONE_WAY_MAX_UNCERTAINTY_PERCENT 10

struct ipi_shared {
	volatile unsigned count; /* handler runs seen on the receiver */
	volatile uint64_t t_recv;
	volatile bool ready, stop;
	bool held; /* fault=irqlost: the receiver keeps its interrupts masked */
	unsigned irq;
	unsigned cpu;
	struct cpu_skew skew; /* measured in prep, for the one-way figure */
};

static struct ipi_shared sh;

static void ipi_handler(unsigned irq, void *arg)
{
	(void)irq, (void)arg;
	sh.t_recv = ref_now();
	__atomic_store_n(&sh.count, sh.count + 1, __ATOMIC_RELEASE);
}

/* On the receiver: take IPIs while running, until told to stop. */
static void receiver(void *arg)
{
	(void)arg;
	irqchip->enable(sh.irq, true);
	sh.ready = true;
	if (!sh.held)
		arch_irq_enable();
	while (!sh.stop)
		arch_cpu_relax();
	if (sh.held) {
		/* Take the IPIs held back, with their handler still there. */
		unsigned seen = sh.count;
		uint64_t t0 = ref_now();
		arch_irq_enable();
		while (sh.count == seen && ref_now() - t0 < ref_ms(irq_lost_ms()))
			arch_cpu_relax();
	}
	arch_irq_disable();
	sh.ready = false;
}

static enum bench_prep ipi_prep(struct bench_ctx *ctx, bool one_way, bool held)
{
	if (!irqchip)
		return bench_why(ctx, BENCH_SKIP, "no interrupt controller: %s", irq_why());
	int other = smp_other_cpu(0);
	if (other < 0) {
		const struct cpu_info *c = smp_cpu(1);
		if (smp_cpus_described() < 2)
			return bench_why(ctx, BENCH_SKIP, "one CPU described by the firmware");
		return bench_why(
			ctx, BENCH_SKIP, "no second CPU up: CPU 1 %s (its cpu record says why)",
			c && c->state == CPU_FAILED ? "failed to start" : "was not started");
	}
	sh = (struct ipi_shared){ .irq = irqchip->ipi_irq(IPI_BENCH),
				  .cpu = (unsigned)other,
				  .held = held };
	if (one_way && !smp_measure_skew(sh.cpu, &sh.skew))
		return bench_why(
			ctx, BENCH_SKIP,
			"the clock offset of CPU %d could not be measured; see virt_ipi_rtt",
			other);
	irq_register(sh.irq, ipi_handler, NULL, false);
	if (!on_cpu_async(sh.cpu, receiver, NULL))
		return bench_why(ctx, BENCH_FAIL, "CPU %u is not idle", sh.cpu);
	uint64_t t0 = ref_now();
	while (!sh.ready)
		if (ref_now() - t0 > ref_ms(irq_lost_ms()))
			return bench_why(ctx, BENCH_FAIL, "CPU %u did not start its receiver",
					 sh.cpu);
	snprintf(ctx->call, sizeof(ctx->call), "%s IPI (interrupt %u) CPU 0 -> CPU %u%s",
		 irqchip->name, sh.irq, sh.cpu, one_way ? " handler entry" : " and back");
	return BENCH_RUN;
}

static enum bench_prep virt_ipi_prep(struct bench_ctx *ctx)
{
	return ipi_prep(ctx, true, false);
}

static enum bench_prep virt_ipi_rtt_prep(struct bench_ctx *ctx)
{
	return ipi_prep(ctx, false, false);
}

static enum bench_prep virt_ipi_lost_prep(struct bench_ctx *ctx)
{
	return ipi_prep(ctx, false, true);
}

/* After a loss: whether the IPI arrives late (a receiver kept off its
 * CPU) or not at all, in another irq_lost_ms(), still below the watchdog. */
static void lost(struct bench_ctx *ctx, unsigned before, uint64_t t0)
{
	uint64_t t;

	do
		t = ref_now();
	while (__atomic_load_n(&sh.count, __ATOMIC_ACQUIRE) == before &&
	       t - t0 < 2 * ref_ms(irq_lost_ms()));
	if (__atomic_load_n(&sh.count, __ATOMIC_ACQUIRE) != before)
		bench_why(ctx, BENCH_FAIL,
			  "the IPI to CPU %u was not handled within %u ms (it was, %llu ms after "
			  "it was sent)",
			  sh.cpu, irq_lost_ms(), (unsigned long long)((t - t0) / ref_ms(1)));
	else
		bench_why(ctx, BENCH_FAIL,
			  "the IPI to CPU %u was not handled within %u ms (nor within %u ms)",
			  sh.cpu, irq_lost_ms(), 2 * irq_lost_ms());
}

/* Send and wait for the handler; false when it never ran. */
static bool send_and_wait(struct bench_ctx *ctx)
{
	unsigned before = sh.count;
	uint64_t limit = ref_ms(irq_lost_ms()), t0 = 0;

	irqchip->send_ipi(sh.cpu, sh.irq);
	for (unsigned spins = 0; __atomic_load_n(&sh.count, __ATOMIC_ACQUIRE) == before; spins++) {
		if ((spins & 255) != 0)
			continue;
		if (!t0)
			t0 = ref_now();
		else if (ref_now() - t0 > limit) {
			lost(ctx, before, t0);
			return false;
		}
	}
	return true;
}

static uint64_t virt_ipi_measure(struct bench_ctx *ctx, uint32_t batch)
{
	int64_t offset = sh.skew.offset;
	uint64_t sum = 0;

	for (uint32_t i = 0; i < batch; i++) {
		uint64_t t_send = ref_now();
		if (!send_and_wait(ctx))
			return BENCH_LOST;
		uint64_t t_seen = ref_now();
		int64_t d = (int64_t)(sh.t_recv - t_send) - offset;
		/* Negative: the offset was wrong by more than the figure. */
		if (d < 0)
			ctx->arg[1]++;
		/* Longer than this very sample's own round trip, seen on this
		 * CPU's clock alone, beyond the offset's uncertainty: impossible,
		 * so the offset is wrong. */
		if (d > (int64_t)(t_seen - t_send + sh.skew.uncertainty))
			ctx->arg[2]++;
		ctx->arg[3]++;
		sum += d > 0 ? (uint64_t)d : 0;
	}
	return sum;
}

/* The offset again, with the receiver stopped: it must not have moved
 * by more than the figure can bear. */
static bool offset_held(struct bench_ctx *ctx, const struct stats *st)
{
	struct cpu_skew after;

	sh.stop = true;
	if (!cpu_wait_idle(sh.cpu, 1000) || !smp_measure_skew(sh.cpu, &after)) {
		snprintf(ctx->reason, sizeof(ctx->reason),
			 "the clock offset of CPU %u could not be measured again after sampling; "
			 "see virt_ipi_rtt",
			 sh.cpu);
		return false;
	}
	int64_t moved = after.offset - sh.skew.offset;
	uint64_t drift = (uint64_t)(moved < 0 ? -moved : moved);
	uint64_t slack = sh.skew.uncertainty + after.uncertainty;
	if (drift > slack && (drift - slack) * 100 > st->p50 * ONE_WAY_MAX_UNCERTAINTY_PERCENT) {
		snprintf(ctx->reason, sizeof(ctx->reason),
			 "one-way figure (p50 %llu ticks) not printed: the clocks of CPU 0 and CPU "
			 "%u drifted %llu ticks apart while it was measured; see virt_ipi_rtt",
			 (unsigned long long)st->p50, sh.cpu, (unsigned long long)drift);
		return false;
	}
	return true;
}

static bool virt_ipi_accept(struct bench_ctx *ctx, const struct stats *st)
{
	const struct cpu_skew *k = &sh.skew;

	if (ctx->arg[1]) {
		snprintf(ctx->reason, sizeof(ctx->reason),
			 "%llu samples arrived before they were sent after the clock-offset "
			 "correction: offset not trusted; see virt_ipi_rtt",
			 (unsigned long long)ctx->arg[1]);
		return false;
	}
	if (ctx->arg[2] * 100 > ctx->arg[3]) {
		snprintf(ctx->reason, sizeof(ctx->reason),
			 "%llu of %llu samples took longer one way than their own round trip "
			 "after the clock-offset correction: offset not trusted; see virt_ipi_rtt",
			 (unsigned long long)ctx->arg[2], (unsigned long long)ctx->arg[3]);
		return false;
	}
	if (k->uncertainty * 100 > st->p50 * ONE_WAY_MAX_UNCERTAINTY_PERCENT) {
		snprintf(ctx->reason, sizeof(ctx->reason),
			 "one-way figure (p50 %llu ticks) not printed: the clock offset of CPU %u "
			 "is known only to +-%llu ticks (over %u%%); see virt_ipi_rtt",
			 (unsigned long long)st->p50, sh.cpu, (unsigned long long)k->uncertainty,
			 ONE_WAY_MAX_UNCERTAINTY_PERCENT);
		return false;
	}
	return offset_held(ctx, st);
}

static uint64_t virt_ipi_rtt_measure(struct bench_ctx *ctx, uint32_t batch)
{
	uint64_t t0 = counter_start();

	for (uint32_t i = 0; i < batch; i++)
		if (!send_and_wait(ctx))
			return BENCH_LOST;
	return counter_stop() - t0;
}

static void ipi_post(struct bench_ctx *ctx)
{
	(void)ctx;
	if (!irqchip || !sh.irq)
		return;
	sh.stop = true;
	cpu_wait_idle(sh.cpu, 1000);
	irq_unregister(sh.irq);
}

BENCH(virt_ipi, .desc = "IPI to another CPU: send until its handler runs (one way)",
      .prep = virt_ipi_prep, .measure = virt_ipi_measure, .max_batch = 1, .ref_clock = true,
      .accept = virt_ipi_accept, .post = ipi_post);
BENCH(virt_ipi_rtt, .desc = "IPI to another CPU and its answer back (round trip)",
      .prep = virt_ipi_rtt_prep, .measure = virt_ipi_rtt_measure, .post = ipi_post);
BENCH_NAMED(virt_ipi_lost, "virt_ipi.lost",
	    .desc = "IPIs to a CPU that masks them (fault=irqlost only): proves a loss is named",
	    .prep = virt_ipi_lost_prep, .measure = virt_ipi_rtt_measure, .post = ipi_post,
	    .fault_test = FAULT_IRQ_LOST);
