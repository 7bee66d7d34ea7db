/* What the exception vectors save (kernel/arch/arm64/vectors.S). */
#ifndef ARCH_FRAME_H
#define ARCH_FRAME_H

#include <stdint.h>

struct arm64_frame {
	uint64_t x[31];
	uint64_t elr, spsr, esr;
};

#endif
