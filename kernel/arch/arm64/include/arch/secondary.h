/*
 * What a starting secondary CPU needs from the boot CPU, read with its
 * MMU and caches off: one block per CPU, cleaned to the point of
 * coherency before the start request. The offsets serve the assembly
 * entry (kernel/arch/arm64/secondary.S); smp.c checks them against the
 * struct.
 */
#ifndef ARCH_SECONDARY_H
#define ARCH_SECONDARY_H

#define SB_HWID 0     /* MPIDR affinity: spin-table CPUs find their block by it */
#define SB_VALID 8    /* nonzero once the block is filled */
#define SB_STACK 16   /* stack top */
#define SB_EL 24      /* EL the boot CPU runs at, 1 or 2 */
#define SB_HCR 32     /* boot CPU's HCR_EL2 (EL2 only) */
#define SB_CNTVOFF 40 /* boot CPU's CNTVOFF_EL2 (EL2 only) */
#define SB_SCTLR 48   /* boot CPU's SCTLR_ELx, MMU and caches cleared */
#define SB_TTBR 56    /* TTBR0_ELx, TCR_ELx, MAIR_ELx */
#define SB_TCR 64
#define SB_MAIR 72
#define SB_SIZE 128
#define SB_COUNT 64 /* MAX_CPUS */

#ifndef __ASSEMBLER__
#include <stdint.h>

struct secondary_boot {
	uint64_t hwid;
	uint64_t valid;
	uint64_t stack_top;
	uint64_t el;
	uint64_t hcr_el2;
	uint64_t cntvoff_el2;
	uint64_t sctlr;
	uint64_t ttbr0, tcr, mair;
	/* Read in C once the MMU is on. */
	uint64_t cpu;
	uint64_t pmu; /* nonzero: mirror the boot CPU's cycle counter set-up */
	uint64_t pmccfiltr, pmcr;
} __attribute__((aligned(SB_SIZE)));

/* The entries: PSCI passes the block in x0; spin-table passes nothing. */
void arm64_secondary_entry(void);
void arm64_secondary_spin_entry(void);
extern struct secondary_boot arm64_secondary_blocks[SB_COUNT];
#endif

#endif
