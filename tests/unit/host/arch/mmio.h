/*
 * Device register access for host builds of driver code: "registers" are
 * plain memory a test owns, so that the driver's logic runs against a
 * simulated device.
 */
#ifndef ARCH_MMIO_H
#define ARCH_MMIO_H

#include <stdint.h>

#define HOST_MMIO(bits)                                                                            \
	static inline uint##bits##_t mmio_read##bits(uint64_t addr)                                \
	{                                                                                          \
		return *(volatile uint##bits##_t *)(uintptr_t)addr;                                \
	}                                                                                          \
	static inline void mmio_write##bits(uint64_t addr, uint##bits##_t v)                       \
	{                                                                                          \
		*(volatile uint##bits##_t *)(uintptr_t)addr = v;                                   \
	}
HOST_MMIO(8)
HOST_MMIO(16)
HOST_MMIO(32)
HOST_MMIO(64)

static inline void dma_mb(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

#endif
