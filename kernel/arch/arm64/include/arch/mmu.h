/*
 * arm64 stage-1 translation as vmbench uses it: 4 KiB granule, 48-bit VA,
 * identity maps. One definition for the Image entry's first map
 * (boot/arm64/image_early.c, MMU off, no library calls) and the kernel's
 * own (kernel/arch/arm64/mmu.c); the constants also serve assembly.
 *
 * Two translation regimes matter. At EL1, and at EL2 with HCR_EL2.E2H set
 * (VHE: the EL2&0 regime), TCR has the EL1 layout and descriptors carry
 * AP[1] as "EL0 may access", PXN and UXN. At EL2 with E2H clear (the EL2
 * regime), TCR_EL2 has its own layout, AP[1] is RES1, PXN RES0 and bit 54
 * is the only XN. mmu_el2_regime() tells the two apart.
 */
#ifndef ARCH_MMU_H
#define ARCH_MMU_H

#ifdef __ASSEMBLER__
#define MMU_U64(x) (x)
#else
#define MMU_U64(x) (x##ull)
#endif

/* MAIR_ELx: index 0 device-nGnRnE, index 1 normal write-back RW-allocate. */
#define MAIR_IDX_DEVICE 0
#define MAIR_IDX_NORMAL 1
#define MAIR_ATTR_DEVICE_NGNRNE 0x00
#define MAIR_ATTR_NORMAL_WB 0xff
#define MAIR_VALUE                                                                                 \
	((MAIR_ATTR_DEVICE_NGNRNE << (8 * MAIR_IDX_DEVICE)) |                                      \
	 (MAIR_ATTR_NORMAL_WB << (8 * MAIR_IDX_NORMAL)))

/* Block and table descriptors (levels 1 and 2), and their attributes. */
#define PTE_BLOCK MMU_U64(1)
#define PTE_TABLE MMU_U64(3)
#define PTE_ATTRINDX(i) (MMU_U64(i) << 2)
#define PTE_AP1 (MMU_U64(1) << 6) /* EL0 access; RES1 in the EL2 regime */
#define PTE_SH_INNER (MMU_U64(3) << 8)
#define PTE_AF (MMU_U64(1) << 10)
#define PTE_PXN (MMU_U64(1) << 53) /* RES0 in the EL2 regime */
#define PTE_XN (MMU_U64(1) << 54)  /* UXN with two ELs, XN in the EL2 regime */

/* TCR fields common to both layouts: TTBR0 walks. */
#define TCR_T0SZ_48 MMU_U64(16)
#define TCR_IRGN0_WBWA (MMU_U64(1) << 8)
#define TCR_ORGN0_WBWA (MMU_U64(1) << 10)
#define TCR_SH0_INNER (MMU_U64(3) << 12)
#define TCR_TG0_4K (MMU_U64(0) << 14)
#define TCR_TTBR0_WALK (TCR_T0SZ_48 | TCR_IRGN0_WBWA | TCR_ORGN0_WBWA | TCR_SH0_INNER | TCR_TG0_4K)
/* EL1 layout (TCR_EL1; TCR_EL2 when E2H is set): no TTBR1 walks. */
#define TCR_EPD1 (MMU_U64(1) << 23)
#define TCR_TG1_4K (MMU_U64(2) << 30)
#define TCR_IPS_SHIFT 32
/* EL2 layout (TCR_EL2 when E2H is clear). */
#define TCR_EL2_PS_SHIFT 16
#define TCR_EL2_RES1 ((MMU_U64(1) << 23) | (MMU_U64(1) << 31))

#define HCR_EL2_E2H (MMU_U64(1) << 34)

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stdint.h>

#include <arch/sysreg.h>

/* True at EL2 without VHE, where the EL2 layouts apply. HCR_EL2 is only
 * read at EL2: at EL1 the access would trap. */
static inline bool mmu_el2_regime(void)
{
	return current_el() == 2 && !(read_sysreg(hcr_el2) & HCR_EL2_E2H);
}

/* ID_AA64MMFR0_EL1.PARange, capped at 48 bits (52 needs LPA). */
static inline unsigned mmu_pa_range(void)
{
	unsigned r = read_sysreg(id_aa64mmfr0_el1) & 0xf;

	return r > 5 ? 5 : r;
}

/* Normal write-back memory, executable at the EL we run at. */
static inline uint64_t mmu_normal_block(bool el2_regime)
{
	uint64_t d = PTE_BLOCK | PTE_AF | PTE_SH_INNER | PTE_ATTRINDX(MAIR_IDX_NORMAL);

	return el2_regime ? d | PTE_AP1 : d;
}

/* Device-nGnRnE memory, never executable. */
static inline uint64_t mmu_device_block(bool el2_regime)
{
	uint64_t d = PTE_BLOCK | PTE_AF | PTE_ATTRINDX(MAIR_IDX_DEVICE) | PTE_XN;

	return el2_regime ? d | PTE_AP1 : d | PTE_PXN;
}

/* At EL2 without VHE: the kernel's identity map in the EL1 format, and
 * its TCR_EL1; false elsewhere. */
bool arm64_el1_map(uint64_t *ttbr, uint64_t *tcr);
/* The same as a stage 2 for the first 512 GiB (what the guest uses):
 * VTTBR_EL2's table address (without VMID) and VTCR_EL2. */
bool arm64_stage2_map(uint64_t *vttbr, uint64_t *vtcr);
/* A second stage 2 of its own, the same map in other tables, for the
 * image's second guest (vm_switch). */
bool arm64_stage2_map_second(uint64_t *vttbr, uint64_t *vtcr);
/* Leave the 2 MiB around addr out of that stage 2: the guest's accesses
 * there fault to EL2 (where the image emulates them). */
bool arm64_stage2_unmap(uint64_t addr);

/* Stage-2 block descriptors: MemAttr in bits 5:2 (0xf normal write-back,
 * 0 device-nGnRnE), S2AP read-write in bits 7:6. */
#define S2_MEMATTR_NORMAL_WB (MMU_U64(0xf) << 2)
#define S2_MEMATTR_DEVICE (MMU_U64(0) << 2)
#define S2_AP_RW (MMU_U64(3) << 6)
static inline uint64_t mmu_s2_normal_block(void)
{
	return PTE_BLOCK | PTE_AF | PTE_SH_INNER | S2_MEMATTR_NORMAL_WB | S2_AP_RW;
}

static inline uint64_t mmu_s2_device_block(void)
{
	return PTE_BLOCK | PTE_AF | S2_MEMATTR_DEVICE | S2_AP_RW | PTE_XN;
}

/* VTCR_EL2: a 39-bit IPA walked from level 1 (T0SZ 25, SL0 1), the same
 * cacheability and 4 KiB granule as our own walks, PS the PA range. */
#define VTCR_T0SZ_39 MMU_U64(25)
#define VTCR_SL0_L1 (MMU_U64(1) << 6)
#define VTCR_PS_SHIFT 16
#define VTCR_RES1 (MMU_U64(1) << 31)
static inline uint64_t mmu_vtcr(unsigned pa_range)
{
	return VTCR_T0SZ_39 | VTCR_SL0_L1 | TCR_IRGN0_WBWA | TCR_ORGN0_WBWA | TCR_SH0_INNER |
	       TCR_TG0_4K | VTCR_RES1 | ((uint64_t)pa_range << VTCR_PS_SHIFT);
}

/* TCR for a TTBR0-only identity map covering PARange pa_range. */
static inline uint64_t mmu_tcr(bool el2_regime, unsigned pa_range)
{
	if (el2_regime)
		return TCR_TTBR0_WALK | TCR_EL2_RES1 | ((uint64_t)pa_range << TCR_EL2_PS_SHIFT);
	return TCR_TTBR0_WALK | TCR_EPD1 | TCR_TG1_4K | ((uint64_t)pa_range << TCR_IPS_SHIFT);
}
#endif

#endif
