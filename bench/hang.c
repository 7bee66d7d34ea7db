/*
 * fault=hang: an operation that never returns, with interrupts masked,
 * as a stuck hypercall or a lost IPI would leave the measuring CPU. Only
 * the watchdog can end it; the suite must go on after its error record.
 */
#include <vmb/arch.h>
#include <bench/bench.h>

static void hang_exec(struct bench_ctx *ctx)
{
	(void)ctx;
	arch_irq_disable();
	for (;;)
		arch_cpu_relax();
}

BENCH(hang, .desc = "never returns (fault=hang only): proves the watchdog", .exec = hang_exec,
      .fault_test = FAULT_HANG, .order = -50);
