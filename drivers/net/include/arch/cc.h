/*
 * lwIP's port to the image: newlib supplies the C library, the image
 * prints diagnostics on its console, and a failed lwIP assertion ends
 * the run as a fatal error (the stack's state cannot be trusted after).
 */
#ifndef VMB_LWIP_ARCH_CC_H
#define VMB_LWIP_ARCH_CC_H

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>

/* newlib has ssize_t (sys/types.h) but no SSIZE_MAX for lwIP to see it by. */
#ifndef SSIZE_MAX
#define SSIZE_MAX LONG_MAX
#endif

_Noreturn void vmb_lwip_assert(const char *msg, const char *file, int line);
unsigned vmb_lwip_rand(void);

#define LWIP_PLATFORM_DIAG(x)                                                                      \
	do {                                                                                       \
		printf x;                                                                          \
	} while (0)
#define LWIP_PLATFORM_ASSERT(x) vmb_lwip_assert(x, __FILE__, __LINE__)
#define LWIP_RAND() ((u32_t)vmb_lwip_rand())

#endif
