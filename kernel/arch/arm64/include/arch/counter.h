/*
 * The benchmark clock on arm64: the PMU cycle counter when it is there
 * and counts, the architected counter (CNTVCT_EL0) otherwise. An ISB on
 * each side keeps the read from moving across the measured code.
 */
#ifndef ARCH_COUNTER_H
#define ARCH_COUNTER_H

#include <stdbool.h>
#include <stdint.h>

extern bool arm64_use_pmccntr;

static inline uint64_t read_pmccntr(void)
{
	uint64_t v;

	__asm__ volatile("isb; mrs %0, pmccntr_el0; isb" : "=r"(v)::"memory");
	return v;
}

static inline uint64_t read_cntvct(void)
{
	uint64_t v;

	__asm__ volatile("isb; mrs %0, cntvct_el0; isb" : "=r"(v)::"memory");
	return v;
}

static inline uint64_t counter_now(void)
{
	return arm64_use_pmccntr ? read_pmccntr() : read_cntvct();
}

static inline uint64_t counter_start(void)
{
	return counter_now();
}

static inline uint64_t counter_stop(void)
{
	return counter_now();
}

/* The reference every sampling loop is checked against: the architected
 * counter, which keeps counting whatever runs, at a fixed rate. */
static inline uint64_t ref_now(void)
{
	return read_cntvct();
}

/* The architected counter runs at tens of MHz: cheap operations need batches. */
static inline bool counter_is_coarse(void)
{
	return !arm64_use_pmccntr;
}

/* The architected counter: tens of MHz. */
static inline bool ref_is_coarse(void)
{
	return true;
}

#endif
