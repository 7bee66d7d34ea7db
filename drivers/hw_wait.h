/*
 * Bounded waits on a device's registers, on the reference clock: every
 * driver that resets a controller or waits for a link needs them, and a
 * device that never answers must end the wait.
 */
#ifndef DRIVERS_HW_WAIT_H
#define DRIVERS_HW_WAIT_H

#include <stdbool.h>
#include <stdint.h>

#include <arch/counter.h>
#include <arch/mmio.h>
#include <vmb/arch.h>
#include <vmb/platform.h>

/* Until (the register at addr & mask) == want, for at most ms: whether it
 * came (looked at once more after the bound). */
static inline bool mmio_wait32(uint64_t addr, uint32_t mask, uint32_t want, unsigned ms)
{
	uint64_t t0 = ref_now(), limit = ref_ms(ms);

	for (;;) {
		if ((mmio_read32(addr) & mask) == want)
			return true;
		if (ref_now() - t0 > limit)
			return (mmio_read32(addr) & mask) == want;
		arch_cpu_relax();
	}
}

/* At least ms of the reference clock (a device's minimum hold times). */
static inline void ref_delay_ms(unsigned ms)
{
	uint64_t t0 = ref_now(), limit = ref_ms(ms);

	while (ref_now() - t0 < limit)
		arch_cpu_relax();
}

#endif
