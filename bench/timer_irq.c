/*
 * Timer interrupt latency: program the CPU's timer for a deadline on the
 * reference clock; the figure runs from the deadline to the first
 * instruction of the registered handler (exception entry, register save
 * and acknowledge included; the wait before the deadline is not).
 */
#include <stdio.h>

#include <arch/counter.h>
#include <vmb/arch.h>
#include <bench/bench.h>
#include <vmb/irq.h>
#include <vmb/platform.h>
#include <vmb/stats.h>

/* The deadline starts this far ahead and doubles while programming the
 * timer takes longer (a trapping write under a hypervisor). */
#define LEAD_START_US 20
#define LEAD_MAX_US 50000

static volatile uint64_t t_fire;
static volatile unsigned fired;

static void timer_handler(unsigned irq, void *arg)
{
	(void)irq, (void)arg;
	t_fire = ref_now();
	local_timer->cancel();
	fired++;
}

static enum bench_prep timer_irq_prep(struct bench_ctx *ctx)
{
	if (!irqchip || !local_timer)
		return bench_why(ctx, BENCH_SKIP, "no %s: %s",
				 irqchip ? "local timer" : "interrupt controller", irq_why());
	irq_register(local_timer->irq, timer_handler, NULL, false);
	irqchip->enable(local_timer->irq, true);
	ctx->arg[0] = the_platform.ref_hz / 1000000 * LEAD_START_US;
	ctx->arg[1] = 0; /* samples where the handler ran before the deadline */
	snprintf(ctx->call, sizeof(ctx->call), "%s deadline -> handler (interrupt %u)",
		 local_timer->name, local_timer->irq);
	return BENCH_RUN;
}

/* Wait with interrupts open for the handler; false when it never ran. */
static bool wait_fired(unsigned before, uint64_t until)
{
	arch_irq_enable();
	while (fired == before && ref_now() < until)
		arch_cpu_relax();
	arch_irq_disable();
	return fired != before;
}

static uint64_t timer_irq_measure(struct bench_ctx *ctx, uint32_t batch)
{
	uint64_t timeout = ref_ms(irq_lost_ms()), sum = 0;
	uint64_t lead_max = the_platform.ref_hz / 1000000 * LEAD_MAX_US;

	for (uint32_t i = 0; i < batch; i++) {
		unsigned before = fired;
		uint64_t deadline = ref_now() + ctx->arg[0];
		local_timer->arm(deadline);
		bool late = ref_now() >= deadline;
		if (!wait_fired(before, deadline + timeout)) {
			local_timer->cancel();
			bench_why(ctx, BENCH_FAIL, "%s: no interrupt within %u ms of its deadline",
				  local_timer->name, irq_lost_ms());
			return BENCH_LOST;
		}
		if (late) {
			/* Programming outran the lead: this sample says nothing. */
			if (ctx->arg[0] >= lead_max) {
				bench_why(ctx, BENCH_FAIL,
					  "programming %s takes longer than %u us; no deadline "
					  "could be set ahead of it",
					  local_timer->name, LEAD_MAX_US);
				return BENCH_LOST;
			}
			ctx->arg[0] *= 2;
			i--;
			continue;
		}
		if (t_fire < deadline)
			ctx->arg[1]++;
		else
			sum += t_fire - deadline;
	}
	return sum;
}

static bool timer_irq_accept(struct bench_ctx *ctx, const struct stats *st)
{
	(void)st;
	if (ctx->arg[1]) {
		snprintf(ctx->reason, sizeof(ctx->reason),
			 "%s fired before its deadline in %llu samples: its clock does not "
			 "match the reference; no figure",
			 local_timer->name, (unsigned long long)ctx->arg[1]);
		return false;
	}
	return true;
}

static void timer_irq_post(struct bench_ctx *ctx)
{
	(void)ctx;
	if (local_timer) {
		local_timer->cancel();
		irq_unregister(local_timer->irq);
	}
}

BENCH(timer_irq, .desc = "timer deadline to handler entry", .prep = timer_irq_prep,
      .measure = timer_irq_measure, .max_batch = 1, .ref_clock = true, .uses_timer = true,
      .accept = timer_irq_accept, .post = timer_irq_post);
