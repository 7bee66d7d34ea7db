/* arm64 system register access. */
#ifndef ARCH_SYSREG_H
#define ARCH_SYSREG_H

#include <stdint.h>

#define read_sysreg(r)                                                                             \
	({                                                                                         \
		uint64_t v__;                                                                      \
		__asm__ volatile("mrs %0, " #r : "=r"(v__));                                       \
		v__;                                                                               \
	})

#define write_sysreg(r, v)                                                                         \
	do {                                                                                       \
		uint64_t v__ = (uint64_t)(v);                                                      \
		__asm__ volatile("msr " #r ", %0" ::"r"(v__) : "memory");                          \
	} while (0)

static inline void isb(void)
{
	__asm__ volatile("isb" ::: "memory");
}

static inline int current_el(void)
{
	return (int)((read_sysreg(CurrentEL) >> 2) & 3);
}

#endif
