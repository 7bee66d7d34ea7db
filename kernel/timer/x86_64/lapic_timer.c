/*
 * The local APIC timer with deadlines on the TSC (the reference clock):
 * TSC-deadline mode takes them as they are; otherwise a one-shot count at
 * divide-by-1, converted with a rate calibrated against the TSC once.
 */
#include <stdio.h>

#include <arch/counter.h>
#include <arch/x86.h>
#include <arch/x86_irq.h>
#include <vmb/irq.h>
#include <vmb/platform.h>

#include <arch/lapic.h>

#define MSR_TSC_DEADLINE 0x6e0
#define CPUID1_ECX_TSC_DEADLINE (1u << 24)

/* LAPIC timer ticks per TSC tick, in 32.32 fixed point. */
static uint64_t ticks_per_tsc;

static bool deadline_cpu_init(char *why, size_t len)
{
	(void)why, (void)len;
	lapic_write(LAPIC_LVT_TIMER, LAPIC_TIMER_TSC_DEADLINE | X86_TIMER_VECTOR);
	/* The mode switch (an MMIO write in xAPIC mode) must land before the
	 * first deadline is written. */
	__asm__ volatile("mfence; lfence" ::: "memory");
	wrmsr(MSR_TSC_DEADLINE, 0);
	return true;
}

/* 0 would disarm: a deadline of 0 means "now". */
static void deadline_arm(uint64_t ref_deadline)
{
	wrmsr(MSR_TSC_DEADLINE, ref_deadline ? ref_deadline : 1);
}

static void deadline_cancel(void)
{
	wrmsr(MSR_TSC_DEADLINE, 0);
}

static bool oneshot_cpu_init(char *why, size_t len)
{
	(void)why, (void)len;
	lapic_write(LAPIC_TIMER_DIVIDE, LAPIC_DIVIDE_BY_1);
	lapic_write(LAPIC_TIMER_INIT, 0);
	lapic_write(LAPIC_LVT_TIMER, X86_TIMER_VECTOR);
	return true;
}

static void oneshot_arm(uint64_t ref_deadline)
{
	uint64_t now = ref_now();
	uint64_t delta = ref_deadline > now ? ref_deadline - now : 0;
	unsigned __int128 ticks = ((unsigned __int128)delta * ticks_per_tsc) >> 32;

	/* A count of 0 stops the timer: the shortest wait is one tick. */
	lapic_write(LAPIC_TIMER_INIT, ticks == 0	    ? 1
				      : ticks > 0xffffffffu ? 0xffffffffu
							    : (uint32_t)ticks);
}

static void oneshot_cancel(void)
{
	lapic_write(LAPIC_TIMER_INIT, 0);
}

static const struct local_timer tsc_deadline = {
	.name = "tsc-deadline",
	.irq = X86_TIMER_VECTOR,
	.cpu_init = deadline_cpu_init,
	.arm = deadline_arm,
	.cancel = deadline_cancel,
};

static const struct local_timer lapic_oneshot = {
	.name = "lapic-oneshot",
	.irq = X86_TIMER_VECTOR,
	.cpu_init = oneshot_cpu_init,
	.arm = oneshot_arm,
	.cancel = oneshot_cancel,
};

#define CALIBRATE_TRIES 3

/* Count down from the top for about 5 ms of TSC time, masked. Each end
 * is a LAPIC access bracketed by two TSC reads, taken at its midpoint: a
 * vCPU preempted between an access and a lone TSC read would skew the
 * rate, and a rate too low makes every deadline fire early. The try
 * with the narrowest brackets wins. */
static bool calibrate(uint64_t ref_hz, char *why, size_t len)
{
	const uint32_t start = 0xffffffffu;
	uint64_t best_width = UINT64_MAX, hz = 0, ticks = 0, span = 0;

	lapic_write(LAPIC_TIMER_DIVIDE, LAPIC_DIVIDE_BY_1);
	lapic_write(LAPIC_LVT_TIMER, LAPIC_LVT_MASKED | X86_TIMER_VECTOR);
	for (unsigned i = 0; i < CALIBRATE_TRIES; i++) {
		uint64_t a0 = ref_now();
		lapic_write(LAPIC_TIMER_INIT, start);
		uint64_t b0 = ref_now();
		while (ref_now() - b0 < ref_hz / 200)
			__asm__ volatile("pause");
		uint64_t a1 = ref_now();
		uint32_t left = lapic_read(LAPIC_TIMER_CURRENT);
		uint64_t b1 = ref_now();
		lapic_write(LAPIC_TIMER_INIT, 0);
		uint64_t width = (b0 - a0) + (b1 - a1);
		uint64_t t = start - left, s = (a1 + b1) / 2 - (a0 + b0) / 2;
		if (!left || !t || !s || width >= best_width)
			continue;
		best_width = width;
		ticks = t;
		span = s;
		hz = t * ref_hz / s;
	}
	if (!hz || hz >= (1ull << 32)) {
		snprintf(why, len, "LAPIC timer calibration failed (%llu ticks in %llu TSC ticks)",
			 (unsigned long long)ticks, (unsigned long long)span);
		return false;
	}
	ticks_per_tsc = (hz << 32) / ref_hz;
	return true;
}

const struct local_timer *lapic_timer_probe(char *why, size_t len)
{
	uint64_t ref_hz = the_platform.ref_hz;

	if (!ref_hz) {
		snprintf(why, len, "reference clock rate unknown");
		return NULL;
	}
	if (cpuid(1, 0).ecx & CPUID1_ECX_TSC_DEADLINE)
		return &tsc_deadline;
	return calibrate(ref_hz, why, len) ? &lapic_oneshot : NULL;
}
