/* arm64 system register access. */
#ifndef ARCH_SYSREG_H
#define ARCH_SYSREG_H

#include <stdint.h>

/* The register's name is expanded first: an alias below may stand in. */
#define read_sysreg(r) read_sysreg_(r)
#define read_sysreg_(r)                                                                            \
	({                                                                                         \
		uint64_t v__;                                                                      \
		__asm__ volatile("mrs %0, " #r : "=r"(v__));                                       \
		v__;                                                                               \
	})

#define write_sysreg(r, v) write_sysreg_(r, v)
#define write_sysreg_(r, v)                                                                        \
	do {                                                                                       \
		uint64_t v__ = (uint64_t)(v);                                                      \
		__asm__ volatile("msr " #r ", %0" ::"r"(v__) : "memory");                          \
	} while (0)

/* Armv8.1 VHE: at EL2 with HCR_EL2.E2H set, the EL1 (and EL0 timer)
 * names reach EL2's own registers and these aliases reach EL1's. By
 * encoding: the assembler wants -march=armv8.1-a for their names. */
#define SCTLR_EL12 s3_5_c1_c0_0
#define CPACR_EL12 s3_5_c1_c0_2
#define TTBR0_EL12 s3_5_c2_c0_0
#define TTBR1_EL12 s3_5_c2_c0_1
#define TCR_EL12 s3_5_c2_c0_2
#define SPSR_EL12 s3_5_c4_c0_0
#define ELR_EL12 s3_5_c4_c0_1
#define AFSR0_EL12 s3_5_c5_c1_0
#define AFSR1_EL12 s3_5_c5_c1_1
#define ESR_EL12 s3_5_c5_c2_0
#define FAR_EL12 s3_5_c6_c0_0
#define MAIR_EL12 s3_5_c10_c2_0
#define AMAIR_EL12 s3_5_c10_c3_0
#define VBAR_EL12 s3_5_c12_c0_0
#define CONTEXTIDR_EL12 s3_5_c13_c0_1
#define CNTKCTL_EL12 s3_5_c14_c1_0
#define CNTV_CTL_EL02 s3_5_c14_c3_1
#define CNTV_CVAL_EL02 s3_5_c14_c3_2

static inline void isb(void)
{
	__asm__ volatile("isb" ::: "memory");
}

static inline int current_el(void)
{
	return (int)((read_sysreg(CurrentEL) >> 2) & 3);
}

/* SCTLR_ELx: the MMU, the data and the instruction caches on. */
#define SCTLR_M (1ull << 0)
#define SCTLR_C (1ull << 2)
#define SCTLR_I (1ull << 12)

/* A register name or immediate into an asm string. */
#define STR_(x) #x
#define STR(x) STR_(x)

#endif
