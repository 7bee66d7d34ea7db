/*
 * The x86 irqchip trap's second record: a local APIC register read, which
 * exits to the hypervisor wherever APIC virtualization does not serve it.
 * The timer's current count is computed on every read: hypervisors
 * intercept it even with APIC register virtualization, which serves most
 * other registers (the version register among them) without an exit.
 */
#include <stdio.h>
#include <string.h>

#include <arch/lapic.h>
#include <bench/bench.h>
#include <vmb/irq.h>

static enum bench_prep lapic_trap_prep(struct bench_ctx *ctx)
{
	if (!irqchip)
		return bench_why(ctx, BENCH_SKIP, "no local APIC: %s", irq_why());
	snprintf(ctx->call, sizeof(ctx->call), "%s",
		 strcmp(irqchip->name, "x2apic")
			 ? "LAPIC timer current count (xAPIC MMIO 0x390)"
			 : "LAPIC timer current count (x2APIC rdmsr 0x839)");
	return BENCH_RUN;
}

static void lapic_trap_exec(struct bench_ctx *ctx)
{
	ctx->arg[0] += lapic_read(LAPIC_TIMER_CURRENT);
}

BENCH_NAMED(irqchip_trap_lapic, "irqchip_trap.lapic",
	    .desc = "local APIC register read a hypervisor emulates", .prep = lapic_trap_prep,
	    .exec = lapic_trap_exec);
