/*
 * The image's own hypervisor's world switch (natively at EL2 on arm64):
 * what a hosted hypervisor pays on every exit, with nothing below it.
 * hypercall_switch is the null hypercall with a full switch to a second
 * context and back; vm_switch goes from one guest to another; the
 * breakdown times each class of state the switch saves and restores, as
 * the study's hypercall breakdown laid it out.
 */
#include <vmb/arch.h>
#include <bench/bench.h>
#include <bench/pingpong.h>
#include <vmb/platform.h>

static uint64_t hypercall_switch_measure(struct bench_ctx *ctx, uint32_t batch)
{
	uint64_t t = arch_hypercall_switch_batch(batch, ctx->reason, sizeof(ctx->reason));

	return t == UINT64_MAX ? BENCH_LOST : t;
}

static enum bench_prep switch_prep(struct bench_ctx *ctx, enum switch_peer to)
{
	return arch_switch_setup(to, ctx->call, sizeof(ctx->call), ctx->reason, sizeof(ctx->reason))
		       ? BENCH_RUN
		       : BENCH_SKIP;
}

static enum bench_prep to_host_prep(struct bench_ctx *ctx)
{
	return switch_prep(ctx, SWITCH_TO_HOST);
}

static enum bench_prep to_guest_prep(struct bench_ctx *ctx)
{
	return switch_prep(ctx, SWITCH_TO_GUEST);
}

BENCH(hypercall_switch, .desc = "null hypercall with a full world switch to the host and back",
      .prep = to_host_prep, .measure = hypercall_switch_measure);

static uint64_t hypercall_switch_vhe_measure(struct bench_ctx *ctx, uint32_t batch)
{
	uint64_t t = arch_hypercall_switch_vhe_batch(batch, ctx->reason, sizeof(ctx->reason));

	return t == UINT64_MAX ? BENCH_LOST : t;
}

static enum bench_prep to_vhe_host_prep(struct bench_ctx *ctx)
{
	return switch_prep(ctx, SWITCH_TO_HOST_VHE);
}

/* The study's projection: with VHE the host kernel runs in EL2, and an
 * exit no longer swaps EL1's system registers for the host's. */
BENCH_NAMED(hypercall_switch_vhe, "hypercall_switch.vhe",
	    .desc = "the same, to a host at EL2 (VHE): its own registers stay put",
	    .prep = to_vhe_host_prep, .measure = hypercall_switch_vhe_measure);

static uint64_t vm_switch_measure(struct bench_ctx *ctx, uint32_t batch)
{
	uint64_t t = arch_vm_switch_batch(batch, ctx->reason, sizeof(ctx->reason));

	return t == UINT64_MAX ? BENCH_LOST : t;
}

/* Natively, between the image's own guests; under a hypervisor, from a
 * peer guest on the same CPU (bench/vm_switch_peer.c). */
static enum bench_prep vm_switch_prep(struct bench_ctx *ctx)
{
	if (the_platform.mode != MODE_NATIVE)
		return vm_switch_peer_prep(ctx);
	return to_guest_prep(ctx);
}

static void vm_switch_post(struct bench_ctx *ctx)
{
	(void)ctx;
	vm_switch_peer_done();
}

BENCH(vm_switch, .desc = "from one guest to another through the hypervisor, one way",
      .prep = vm_switch_prep, .measure = vm_switch_measure, .accept = vm_switch_peer_accept,
      .post = vm_switch_post);

static uint64_t switch_fault_measure(struct bench_ctx *ctx, uint32_t batch)
{
	(void)batch;
	arch_switch_fault(ctx->reason, sizeof(ctx->reason));
	return BENCH_LOST;
}

/* Before the switch benchmarks: they must still run after it. */
BENCH_NAMED(guest_fault_switch, "guest_fault.switch",
	    .desc = "the second guest faults after a world switch (fault=guest only)",
	    .prep = to_guest_prep, .measure = switch_fault_measure, .max_batch = 1,
	    .fault_test = FAULT_GUEST, .order = -50);

static enum bench_prep class_prep(struct bench_ctx *ctx, enum switch_class c)
{
	ctx->arg[0] = c;
	return arch_switch_class_setup(c, ctx->call, sizeof(ctx->call), ctx->reason,
				       sizeof(ctx->reason))
		       ? BENCH_RUN
		       : BENCH_SKIP;
}

static uint64_t class_measure(struct bench_ctx *ctx, uint32_t batch)
{
	(void)batch; /* max_batch 1 */
	arch_switch_class_time((enum switch_class)ctx->arg[0], &ctx->part[0], &ctx->part[1]);
	return ctx->part[0] + ctx->part[1];
}

#define BREAKDOWN(id, cls, what)                                                                   \
	static enum bench_prep prep_##id(struct bench_ctx *ctx)                                    \
	{                                                                                          \
		return class_prep(ctx, cls);                                                       \
	}                                                                                          \
	BENCH_NAMED(breakdown_##id, "breakdown." #id, .desc = "world switch: " what,               \
		    .prep = prep_##id, .measure = class_measure, .max_batch = 1,                   \
		    .parts = { "save", "restore" })

BREAKDOWN(gp, SWITCH_GP, "general-purpose registers");
BREAKDOWN(fp, SWITCH_FP, "FP/SIMD registers");
BREAKDOWN(el1_sys, SWITCH_SYS, "EL1 system registers");
BREAKDOWN(vgic, SWITCH_IRQCHIP, "virtual interrupt controller");
BREAKDOWN(timer, SWITCH_TIMER, "timer registers");
BREAKDOWN(el2_config, SWITCH_HYP_CONFIG, "EL2 configuration registers");
BREAKDOWN(stage2, SWITCH_STAGE2, "stage-2 MMU registers");
