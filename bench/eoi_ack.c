/*
 * Acknowledge and complete a real pending interrupt, a self-IPI: the
 * study's EOI+ACK row. Only the acknowledge and completion are timed;
 * raising the interrupt happens before the clock starts.
 *
 * GIC: the interrupt stays pending while masked; ICC_IAR1/GICC_IAR
 * acknowledges it, ICC_EOIR1/GICC_EOIR completes it, timed together
 * (eoi_ack) and each alone (eoi_ack.ack, eoi_ack.eoi). x86: the CPU
 * acknowledges by delivering the interrupt; eoi_ack is the EOI write to
 * the interrupt it delivered.
 */
#include <stdio.h>

#include <arch/counter.h>
#include <vmb/arch.h>
#include <bench/bench.h>
#include <vmb/irq.h>
#include <vmb/platform.h>

/* Distinct SGIs/vectors pending at once: few enough for any hypervisor's
 * list registers (KVM and Xen use at least 4). */
#define PENDING_MAX 4

enum part { BOTH, ACK, EOI };

static volatile unsigned delivered;

static void delivered_handler(unsigned irq, void *arg)
{
	(void)irq, (void)arg;
	delivered++;
}

static enum bench_prep prep_part(struct bench_ctx *ctx, enum part part)
{
	ctx->arg[0] = part;
	if (!irqchip)
		return bench_why(ctx, BENCH_SKIP, "no interrupt controller: %s", irq_why());
	if (!irqchip->ack && part != BOTH)
		return bench_why(ctx, BENCH_SKIP,
				 "%s: the CPU acknowledges on delivery, nothing to time alone; "
				 "eoi_ack is the EOI write",
				 irqchip->name);
	for (unsigned k = 0; k < PENDING_MAX; k++) {
		unsigned irq = irqchip->ipi_irq(IPI_BENCH + k);
		irqchip->enable(irq, true);
		if (!irqchip->ack)
			irq_register(irq, delivered_handler, NULL, true);
	}
	const char *what[] = { "acknowledge + end of interrupt", "acknowledge",
			       "end of interrupt" };
	if (irqchip->ack)
		snprintf(ctx->call, sizeof(ctx->call), "%s %s of a self-SGI", irqchip->name,
			 what[part]);
	else
		snprintf(ctx->call, sizeof(ctx->call),
			 "%s EOI write after delivery of a self-IPI (the CPU acknowledges)",
			 irqchip->name);
	return BENCH_RUN;
}

/* Raise n self-IPIs and wait until they are pending. Only the first is
 * required to show: Xen's vGIC does not report SGIs it holds in list
 * registers at the redistributor, and the CPU interface shows only the
 * highest; an acknowledge that finds nothing is caught afterwards. */
static bool raise_pending(struct bench_ctx *ctx, uint32_t n)
{
	uint64_t t0 = ref_now(), limit = ref_ms(irq_lost_ms());
	uint64_t grace = the_platform.ref_hz / 1000;

	for (unsigned k = 0; k < n; k++)
		irqchip->send_self_ipi(irqchip->ipi_irq(IPI_BENCH + k));
	for (unsigned k = 0; k < n; k++) {
		uint64_t t1 = ref_now();
		while (!irqchip->pending(irqchip->ipi_irq(IPI_BENCH + k))) {
			if (k > 0 && ref_now() - t1 > grace)
				break;
			if (ref_now() - t0 > limit) {
				bench_why(ctx, BENCH_FAIL,
					  "a self-IPI (interrupt %u) was not pending after %u ms",
					  irqchip->ipi_irq(IPI_BENCH + k), irq_lost_ms());
				return false;
			}
		}
	}
	return true;
}

/* GIC: n pending SGIs, each acknowledged and completed in turn. */
static uint64_t measure_gic(struct bench_ctx *ctx, uint32_t n, enum part part)
{
	unsigned ids[PENDING_MAX];
	uint64_t t0, t1;

	if (!raise_pending(ctx, n))
		return BENCH_LOST;
	switch (part) {
	case BOTH:
		t0 = counter_start();
		for (uint32_t i = 0; i < n; i++) {
			ids[i] = irqchip->ack();
			irqchip->eoi(ids[i]);
		}
		t1 = counter_stop();
		break;
	case ACK:
		t0 = counter_start();
		ids[0] = irqchip->ack();
		t1 = counter_stop();
		irqchip->eoi(ids[0]);
		break;
	default:
		ids[0] = irqchip->ack();
		t0 = counter_start();
		irqchip->eoi(ids[0]);
		t1 = counter_stop();
		break;
	}
	for (uint32_t i = 0; i < (part == BOTH ? n : 1); i++)
		if (ids[i] >= IRQ_SPECIAL) {
			bench_why(ctx, BENCH_FAIL, "acknowledge found nothing pending (INTID %u)",
				  ids[i]);
			return BENCH_LOST;
		}
	return t1 - t0;
}

/* x86: let the CPU deliver the self-IPI, then time its EOI. */
static uint64_t measure_lapic_one(struct bench_ctx *ctx)
{
	unsigned irq = irqchip->ipi_irq(IPI_BENCH), before = delivered;
	uint64_t t0 = ref_now(), limit = ref_ms(irq_lost_ms());

	if (!raise_pending(ctx, 1))
		return BENCH_LOST;
	arch_irq_enable();
	while (delivered == before && ref_now() - t0 < limit)
		arch_cpu_relax();
	arch_irq_disable();
	if (delivered == before) {
		bench_why(ctx, BENCH_FAIL, "the self-IPI (vector %#x) was never delivered", irq);
		return BENCH_LOST;
	}
	t0 = counter_start();
	irqchip->eoi(irq);
	return counter_stop() - t0;
}

static uint64_t eoi_ack_measure(struct bench_ctx *ctx, uint32_t batch)
{
	if (!irqchip->ack) {
		uint64_t sum = 0;
		for (uint32_t i = 0; i < batch; i++) {
			uint64_t t = measure_lapic_one(ctx);
			if (t == BENCH_LOST)
				return t;
			sum += t;
		}
		return sum;
	}
	return measure_gic(ctx, batch, (enum part)ctx->arg[0]);
}

static void eoi_ack_post(struct bench_ctx *ctx)
{
	(void)ctx;
	for (unsigned k = 0; k < PENDING_MAX && irqchip; k++) {
		if (!irqchip->ack)
			irq_unregister(irqchip->ipi_irq(IPI_BENCH + k));
	}
}

static enum bench_prep prep_both(struct bench_ctx *ctx)
{
	return prep_part(ctx, BOTH);
}

static enum bench_prep prep_ack(struct bench_ctx *ctx)
{
	return prep_part(ctx, ACK);
}

static enum bench_prep prep_eoi(struct bench_ctx *ctx)
{
	return prep_part(ctx, EOI);
}

/* Only BOTH can take several in a row: a second acknowledge before the
 * first completes finds the running priority in the way. */
BENCH(eoi_ack, .desc = "acknowledge + complete a pending self-IPI", .prep = prep_both,
      .measure = eoi_ack_measure, .max_batch = PENDING_MAX, .acks_irqs = true,
      .post = eoi_ack_post);
BENCH_NAMED(eoi_ack_ack, "eoi_ack.ack", .desc = "acknowledge alone (GIC IAR)", .prep = prep_ack,
	    .measure = eoi_ack_measure, .max_batch = 1, .acks_irqs = true, .post = eoi_ack_post);
BENCH_NAMED(eoi_ack_eoi, "eoi_ack.eoi", .desc = "completion alone (GIC EOIR)", .prep = prep_eoi,
	    .measure = eoi_ack_measure, .max_batch = 1, .acks_irqs = true, .post = eoi_ack_post);
