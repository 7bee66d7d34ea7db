/*
 * The x86 irqchip trap's second record: a local APIC register read, which
 * exits to the hypervisor wherever APIC virtualization does not serve it.
 */
#include <stdio.h>

#include <arch/x86_irq.h>
#include <bench/bench.h>
#include <vmb/irq.h>

static enum bench_prep lapic_trap_prep(struct bench_ctx *ctx)
{
	if (!irqchip)
		return bench_why(ctx, BENCH_SKIP, "no local APIC: %s", irq_why());
	snprintf(ctx->call, sizeof(ctx->call), "%s", x86_lapic_trap_name());
	return BENCH_RUN;
}

static void lapic_trap_exec(struct bench_ctx *ctx)
{
	ctx->arg[0] += x86_lapic_trap_read();
}

BENCH_NAMED(irqchip_trap_lapic, "irqchip_trap.lapic",
	    .desc = "local APIC register read a hypervisor emulates", .prep = lapic_trap_prep,
	    .exec = lapic_trap_exec);
