/*
 * A read of an interrupt-controller register that a hypervisor must
 * emulate, and back: the study's "interrupt controller trap" row.
 * Natively it is the bare device register read; irqchip_trap.stage2 is
 * the same read from the image's own guest, emulated by the image's own
 * hypervisor (natively at EL2 on arm64).
 */
#include <vmb/arch.h>
#include <bench/bench.h>
#include <bench/bench_arch.h>
#include <vmb/irq.h>

static enum bench_prep irqchip_trap_prep(struct bench_ctx *ctx)
{
	if (!irqchip)
		return bench_why(ctx, BENCH_SKIP, "no interrupt controller: %s", irq_why());
	if (!bench_arch_irqchip_trap_setup(ctx->call, sizeof(ctx->call), ctx->reason,
					   sizeof(ctx->reason)))
		return BENCH_SKIP;
	return BENCH_RUN;
}

static void irqchip_trap_exec(struct bench_ctx *ctx)
{
	ctx->arg[0] += bench_arch_irqchip_trap_read();
}

BENCH(irqchip_trap, .desc = "interrupt-controller register read a hypervisor emulates",
      .prep = irqchip_trap_prep, .exec = irqchip_trap_exec);

static uint64_t stage2_measure(struct bench_ctx *ctx, uint32_t batch)
{
	uint64_t t = arch_guest_trap_batch(batch, ctx->reason, sizeof(ctx->reason));

	return t == UINT64_MAX ? BENCH_LOST : t;
}

static enum bench_prep stage2_prep(struct bench_ctx *ctx)
{
	if (!arch_guest_trap_setup(ctx->call, sizeof(ctx->call), ctx->reason, sizeof(ctx->reason)))
		return BENCH_SKIP;
	return BENCH_RUN;
}

BENCH_NAMED(irqchip_trap_stage2, "irqchip_trap.stage2",
	    .desc = "the same read from the image's own guest, emulated by its own EL2",
	    .prep = stage2_prep, .measure = stage2_measure);
