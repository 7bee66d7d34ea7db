/*
 * An IPI from this CPU to another: virt_ipi is one way, from the send
 * until the receiver's handler runs, on the reference clock corrected by
 * the receiver's offset, measured just before sampling and again just
 * after (clocks that are not invariant drift apart: Xen's emulated x86
 * TSC, the nested KVM lab's vCPUs). The figure is printed only when no
 * sample, and not its median, contradicts a round trip (bench/oneway.h):
 * each sample's own, and virt_ipi_rtt's of this run, which therefore runs
 * first. virt_ipi_rtt is the round trip, from the send until the
 * receiver's handler's answer is seen here, on this CPU's counter (the
 * figure peer tools give). With fault=irqlost, virt_ipi.lost sends to a
 * receiver that keeps interrupts masked: the loss must end it with its
 * reason.
 */
#include <stdio.h>
#include <string.h>

#include <arch/counter.h>
#include <vmb/arch.h>
#include <bench/bench.h>
#include <vmb/irq.h>
#include <bench/oneway.h>
#include <vmb/platform.h>
#include <vmb/smp.h>
#include <vmb/stats.h>

struct ipi_shared {
	volatile unsigned count; /* handler runs seen on the receiver */
	volatile uint64_t t_recv;
	volatile bool ready, stop;
	bool held; /* fault=irqlost: the receiver keeps its interrupts masked */
	unsigned irq;
	unsigned cpu;
	struct cpu_skew skew; /* measured in prep, for the one-way figure */
	struct oneway_tally tally;
};

static struct ipi_shared sh;
/* virt_ipi_rtt's median as printed in this run, in ns; 0: not run. */
static uint64_t rtt_p50_ns;

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
		oneway_count(&sh.tally, d, t_seen - t_send, sh.skew.uncertainty);
		sum += d > 0 ? (uint64_t)d : 0;
	}
	return sum;
}

static bool virt_ipi_accept(struct bench_ctx *ctx, const struct stats *st)
{
	struct cpu_skew after = { 0 };
	struct oneway_evidence e = { .tally = sh.tally,
				     .p50 = st->p50,
				     .before = sh.skew.uncertainty,
				     .rtt_name = "virt_ipi_rtt",
				     .cpu = sh.cpu };

	/* The offset again, with the receiver stopped: how far it moved
	 * while the samples were taken. */
	sh.stop = true;
	if (cpu_wait_idle(sh.cpu, 1000) && smp_measure_skew(sh.cpu, &after)) {
		e.remeasured = true;
		e.after = after.uncertainty;
		e.drift = after.offset - sh.skew.offset;
	}
	if (rtt_p50_ns)
		e.rtt_p50 = muldiv64(rtt_p50_ns, the_platform.ref_hz, 1000000000ull);
	if (oneway_trusted(&e, ctx->reason, sizeof(ctx->reason)))
		return true;
	size_t used = strlen(ctx->reason);
	snprintf(ctx->reason + used, sizeof(ctx->reason) - used, "; see virt_ipi_rtt");
	return false;
}

static uint64_t virt_ipi_rtt_measure(struct bench_ctx *ctx, uint32_t batch)
{
	uint64_t t0 = counter_start();

	for (uint32_t i = 0; i < batch; i++)
		if (!send_and_wait(ctx))
			return BENCH_LOST;
	return counter_stop() - t0;
}

/* Keeps the round trip as printed, for virt_ipi's check. */
static bool virt_ipi_rtt_accept(struct bench_ctx *ctx, const struct stats *st)
{
	(void)ctx;
	rtt_p50_ns = ticks_to_ns(st->p50, the_platform.counter_hz);
	return true;
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

/* virt_ipi after virt_ipi_rtt (order 1, the others 0): its figure is
 * checked against the round trip printed before it. */
BENCH(virt_ipi, .desc = "IPI to another CPU: send until its handler runs (one way)",
      .prep = virt_ipi_prep, .measure = virt_ipi_measure, .max_batch = 1, .ref_clock = true,
      .accept = virt_ipi_accept, .post = ipi_post, .order = 1);
BENCH(virt_ipi_rtt, .desc = "IPI to another CPU and its answer back (round trip)",
      .prep = virt_ipi_rtt_prep, .measure = virt_ipi_rtt_measure, .accept = virt_ipi_rtt_accept,
      .post = ipi_post);
BENCH_NAMED(virt_ipi_lost, "virt_ipi.lost",
	    .desc = "IPIs to a CPU that masks them (fault=irqlost only): proves a loss is named",
	    .prep = virt_ipi_lost_prep, .measure = virt_ipi_rtt_measure, .post = ipi_post,
	    .fault_test = FAULT_IRQ_LOST);
