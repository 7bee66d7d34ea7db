/*
 * EL2's configuration bits that the image's interrupt set-up, its own
 * guest and its world switch share (HCR_EL2.E2H is arch/mmu.h's: the
 * translation regime follows it). CNTHCTL_EL2 and CPTR_EL2 change their
 * layout with E2H: both are given.
 */
#ifndef ARCH_EL2_H
#define ARCH_EL2_H

#define HCR_VM (1ull << 0)   /* stage 2 on */
#define HCR_FMO (1ull << 3)  /* physical FIQs to EL2 */
#define HCR_IMO (1ull << 4)  /* physical IRQs to EL2 */
#define HCR_TGE (1ull << 27) /* EL0 is the host's: EL1 unused */
#define HCR_RW (1ull << 31)  /* EL1 is AArch64 */

/* CNTHCTL_EL2: EL1's access to the physical counter and timer. */
#define CNTHCTL_EL1PCTEN (1ull << 0) /* E2H clear */
#define CNTHCTL_EL1PCEN (1ull << 1)
#define CNTHCTL_VHE_EL1PCTEN (1ull << 10) /* E2H set */
#define CNTHCTL_VHE_EL1PCEN (1ull << 11)

/* CPTR_EL2 with E2H set has CPACR's layout: FP/SIMD not trapped. */
#define CPTR_VHE_FPEN (3ull << 20)

#endif
