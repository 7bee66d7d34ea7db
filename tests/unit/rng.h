/*
 * A reproducible random stream for host tests that draw synthetic data
 * (splitmix64): the same seed, the same trials, on every machine.
 */
#ifndef VMB_TEST_RNG_H
#define VMB_TEST_RNG_H

#include <stdint.h>

/* Uniform in (0, 1), never 0 (a log of it stays finite). */
static inline double rng_uniform(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	z ^= z >> 31;
	return ((double)(z >> 11) + 0.5) / 9007199254740992.0;
}

#endif
