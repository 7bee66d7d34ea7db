/* x86 data-cache maintenance: none is needed. */
#ifndef ARCH_CACHE_H
#define ARCH_CACHE_H

#include <stdbool.h>
#include <stddef.h>

/* x86 caches are coherent with every agent that reads or takes back
 * memory, so nothing is ever written back by hand. */
static inline void dcache_clean_to_poc(const void *p, size_t len, bool invalidate)
{
	(void)p, (void)len, (void)invalidate;
}

#endif
