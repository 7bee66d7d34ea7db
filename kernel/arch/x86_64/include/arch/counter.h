/*
 * The TSC as the benchmark clock. Start: LFENCE keeps earlier work out of
 * the window, the second LFENCE keeps the operation from starting before
 * the read. Stop: RDTSCP waits for the operation to finish; the LFENCE
 * after it keeps later work out. Without RDTSCP (and under TCG-hosted Xen,
 * which mis-handles it) a fenced RDTSC does the same job.
 */
#ifndef ARCH_COUNTER_H
#define ARCH_COUNTER_H

#include <stdbool.h>
#include <stdint.h>

extern bool x86_use_rdtscp;

static inline uint64_t rdtsc_fenced(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi)::"memory");
	return ((uint64_t)hi << 32) | lo;
}

static inline uint64_t counter_start(void)
{
	return rdtsc_fenced();
}

static inline uint64_t counter_stop(void)
{
	uint32_t lo, hi;

	if (!x86_use_rdtscp)
		return rdtsc_fenced();
	__asm__ volatile("rdtscp; lfence" : "=a"(lo), "=d"(hi)::"rcx", "memory");
	return ((uint64_t)hi << 32) | lo;
}

static inline uint64_t counter_now(void)
{
	return rdtsc_fenced();
}

/* The reference every sampling loop is checked against: the TSC itself,
 * which counts across VM exits. */
static inline uint64_t ref_now(void)
{
	return rdtsc_fenced();
}

static inline bool counter_is_coarse(void)
{
	return false;
}

/* The reference is the TSC itself. */
static inline bool ref_is_coarse(void)
{
	return false;
}

#endif
