/*
 * A read of an interrupt-controller register that a hypervisor must
 * emulate, and back: the study's "interrupt controller trap" row.
 * Natively it is the bare device register read.
 */
#include <vmb/bench.h>
#include <vmb/irq.h>

static enum bench_prep irqchip_trap_prep(struct bench_ctx *ctx)
{
	if (!irqchip)
		return bench_why(ctx, BENCH_SKIP, "no interrupt controller: %s", irq_why());
	if (!irqchip->trap_setup || !irqchip->trap_read)
		return bench_why(ctx, BENCH_SKIP, "%s: no emulated register to read",
				 irqchip->name);
	if (!irqchip->trap_setup(ctx->call, sizeof(ctx->call), ctx->reason, sizeof(ctx->reason)))
		return BENCH_SKIP;
	return BENCH_RUN;
}

static void irqchip_trap_exec(struct bench_ctx *ctx)
{
	ctx->arg[0] += irqchip->trap_read();
}

BENCH(irqchip_trap, .desc = "interrupt-controller register read a hypervisor emulates",
      .prep = irqchip_trap_prep, .exec = irqchip_trap_exec);
