/* arm64 data-cache maintenance by address. */
#ifndef ARCH_CACHE_H
#define ARCH_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <arch/sysreg.h>

/* Write [p, p+len) back to the point of coherency, for an observer that
 * does not snoop our caches (a CPU with its MMU off, a GIC reading its
 * tables without shareability); invalidate drops the lines too. */
static inline void dcache_clean_to_poc(const void *p, size_t len, bool invalidate)
{
	uint64_t line = 4ull << ((read_sysreg(ctr_el0) >> 16) & 0xf);
	uintptr_t a = (uintptr_t)p & ~(uintptr_t)(line - 1), end = (uintptr_t)p + len;

	for (; a < end; a += line)
		if (invalidate)
			__asm__ volatile("dc civac, %0" ::"r"(a) : "memory");
		else
			__asm__ volatile("dc cvac, %0" ::"r"(a) : "memory");
	__asm__ volatile("dsb sy" ::: "memory");
}

#endif
