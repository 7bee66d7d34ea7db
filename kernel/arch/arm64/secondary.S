/*
 * Where a secondary CPU starts: MMU and caches off, interrupts in an
 * unknown state, at EL2 or EL1. Everything here reads memory the boot CPU
 * cleaned to the point of coherency (its struct secondary_boot, this
 * code, the MMU switch) and writes none, and nothing touches the stack
 * before the MMU is on: with the MMU off, data accesses bypass the caches.
 * Then the boot CPU's EL, page tables and FP/SIMD set-up, its stack, and
 * C (arm64_secondary_main) with every exception masked.
 */
#include <arch/secondary.h>

	.text
/* Spin-table release: no argument, so find the block by MPIDR. */
	.globl	arm64_secondary_spin_entry
arm64_secondary_spin_entry:
	msr	daifset, #0xf
	mrs	x1, mpidr_el1
	mov	x2, #0xffffff			/* Aff2..Aff0 */
	movk	x2, #0xff, lsl #32		/* Aff3 */
	and	x1, x1, x2
	adrp	x0, arm64_secondary_blocks
	add	x0, x0, :lo12:arm64_secondary_blocks
	mov	x3, #SB_COUNT
1:	ldp	x4, x5, [x0, #SB_HWID]
	cbz	x5, 2f
	cmp	x4, x1
	b.eq	arm64_secondary_entry
2:	add	x0, x0, #SB_SIZE
	subs	x3, x3, #1
	b.ne	1b
	b	park

/* PSCI CPU_ON: x0 = the context id, our struct secondary_boot. */
	.globl	arm64_secondary_entry
arm64_secondary_entry:
	msr	daifset, #0xf
	msr	spsel, #1
	mov	x19, x0
	mrs	x1, CurrentEL
	lsr	x1, x1, #2
	ldr	x2, [x19, #SB_EL]
	cmp	x1, x2
	b.eq	same_el
	/* Started at EL1 while the boot CPU owns EL2: we cannot climb. */
	cmp	x1, #2
	b.ne	park

	/*
	 * Started at EL2 under a boot CPU that runs at EL1 (its loader
	 * dropped it): drop too, leaving EL2 as a minimal host would, with
	 * nothing trapped and the counters open to EL1.
	 */
	mov	x1, #(1 << 31)			/* HCR_EL2.RW: EL1 is AArch64 */
	msr	hcr_el2, x1
	mrs	x1, cnthctl_el2
	orr	x1, x1, #3			/* EL1PCTEN, EL1PCEN */
	msr	cnthctl_el2, x1
	msr	cntvoff_el2, xzr
	mov	x1, #0x33ff			/* CPTR_EL2: RES1 bits, no traps */
	msr	cptr_el2, x1
	mrs	x1, pmcr_el0
	ubfx	x1, x1, #11, #5			/* PMCR_EL0.N: all counters to EL1 */
	msr	mdcr_el2, x1
	mrs	x1, midr_el1
	msr	vpidr_el2, x1
	mrs	x1, mpidr_el1
	msr	vmpidr_el2, x1
	msr	vttbr_el2, xzr
	/* SCTLR_EL1 resets UNKNOWN: have the MMU off before running there. */
	ldr	x1, [x19, #SB_SCTLR]
	msr	sctlr_el1, x1
	mov	x1, #0x3c5			/* EL1h, DAIF masked */
	msr	spsr_el2, x1
	adr	x1, same_el
	msr	elr_el2, x1
	eret

same_el:
	ldr	x2, [x19, #SB_EL]
	cmp	x2, #2
	b.ne	3f
	/* The boot CPU's HCR_EL2 (E2H decides the translation regime the
	 * page tables are built for) and its virtual counter offset. */
	ldr	x1, [x19, #SB_HCR]
	msr	hcr_el2, x1
	isb
	ldr	x1, [x19, #SB_CNTVOFF]
	msr	cntvoff_el2, x1
	mrs	x1, cptr_el2
	bic	x1, x1, #(1 << 10)		/* TFP */
	msr	cptr_el2, x1
	ldr	x1, [x19, #SB_SCTLR]
	msr	sctlr_el2, x1
	isb
	ldr	x0, [x19, #SB_TTBR]
	ldr	x1, [x19, #SB_TCR]
	ldr	x2, [x19, #SB_MAIR]
	bl	arm64_mmu_switch_el2
	b	4f
3:	ldr	x1, [x19, #SB_SCTLR]
	msr	sctlr_el1, x1
	isb
	ldr	x0, [x19, #SB_TTBR]
	ldr	x1, [x19, #SB_TCR]
	ldr	x2, [x19, #SB_MAIR]
	bl	arm64_mmu_switch_el1
4:
	/* FP/SIMD before any C: the compiler may use the vector registers. */
	mrs	x1, cpacr_el1
	orr	x1, x1, #(3 << 20)		/* FPEN */
	msr	cpacr_el1, x1
	isb
	ldr	x1, [x19, #SB_STACK]
	mov	sp, x1
	mov	x29, #0
	mov	x30, #0
	mov	x0, x19
	bl	arm64_secondary_main
park:	wfe
	b	park

	.section .note.GNU-stack, "", @progbits
