/*
 * Exception vectors, one table per exception level we may run at: the
 * registers that hold the syndrome differ between EL1 and EL2. Each entry
 * saves the general registers and the exception state into a frame and
 * calls arm64_irq(frame, vector index) for the IRQ vectors (1, 5, 9, 13),
 * arm64_exception(frame, vector index) for the others.
 */
#define FRAME_SIZE (34 * 8)

.macro SAVE_AND_CALL el, index
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #16 * 0]
	stp	x2, x3, [sp, #16 * 1]
	stp	x4, x5, [sp, #16 * 2]
	stp	x6, x7, [sp, #16 * 3]
	stp	x8, x9, [sp, #16 * 4]
	stp	x10, x11, [sp, #16 * 5]
	stp	x12, x13, [sp, #16 * 6]
	stp	x14, x15, [sp, #16 * 7]
	stp	x16, x17, [sp, #16 * 8]
	stp	x18, x19, [sp, #16 * 9]
	stp	x20, x21, [sp, #16 * 10]
	stp	x22, x23, [sp, #16 * 11]
	stp	x24, x25, [sp, #16 * 12]
	stp	x26, x27, [sp, #16 * 13]
	stp	x28, x29, [sp, #16 * 14]
	mrs	x1, elr_\el
	stp	x30, x1, [sp, #16 * 15]
	mrs	x1, spsr_\el
	mrs	x2, esr_\el
	stp	x1, x2, [sp, #16 * 16]
	mov	x0, sp
	mov	x1, #\index
	.if (\index & 3) == 1
	bl	arm64_irq
	.else
	bl	arm64_exception
	.endif
	/* Returning means "resume": restore and eret. */
	ldp	x30, x1, [sp, #16 * 15]
	msr	elr_\el, x1
	ldp	x1, x2, [sp, #16 * 16]
	msr	spsr_\el, x1
	ldp	x0, x1, [sp, #16 * 0]
	ldp	x2, x3, [sp, #16 * 1]
	ldp	x4, x5, [sp, #16 * 2]
	ldp	x6, x7, [sp, #16 * 3]
	ldp	x8, x9, [sp, #16 * 4]
	ldp	x10, x11, [sp, #16 * 5]
	ldp	x12, x13, [sp, #16 * 6]
	ldp	x14, x15, [sp, #16 * 7]
	ldp	x16, x17, [sp, #16 * 8]
	ldp	x18, x19, [sp, #16 * 9]
	ldp	x20, x21, [sp, #16 * 10]
	ldp	x22, x23, [sp, #16 * 11]
	ldp	x24, x25, [sp, #16 * 12]
	ldp	x26, x27, [sp, #16 * 13]
	ldp	x28, x29, [sp, #16 * 14]
	add	sp, sp, #FRAME_SIZE
	eret
.endm

.macro VECTOR_TABLE el
	.align	11
	.globl	arm64_vectors_\el
arm64_vectors_\el:
	.irp	index, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	.align	7
	/* EL2's lower-EL synchronous entry decodes the image's own guest's
	 * HVCs first (guest_entry.S), then comes back here. */
	.ifc	\el\()_\index, el2_8
	b	arm64_el2_lower_sync
	.else
	b	vec_\el\()_\index
	.endif
	.endr
	.irp	index, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
vec_\el\()_\index:
	SAVE_AND_CALL \el, \index
	.endr
.endm

	.text
	VECTOR_TABLE el1
	VECTOR_TABLE el2
	.globl	arm64_el2_lower_sync_slow
	.set	arm64_el2_lower_sync_slow, vec_el2_8

/* void arch_call_on_stack(void *top, void (*fn)(void *), void *arg) */
	.globl	arch_call_on_stack
arch_call_on_stack:
	mov	sp, x0
	mov	x29, #0
	mov	x30, #0
	mov	x0, x2
	blr	x1
1:	wfi
	b	1b

/*
 * Switch page tables: x0 = TTBR0, x1 = TCR, x2 = MAIR. The MMU is off
 * only between the two SCTLR writes, and nothing in between touches
 * memory, so no cache maintenance is needed around it. WXN and alignment
 * checks are cleared: RAM is mapped read-write-execute.
 */
.macro MMU_SWITCH el, tlbi_op
	.globl	arm64_mmu_switch_\el
arm64_mmu_switch_\el:
	dsb	ish
	mrs	x3, sctlr_\el
	bic	x4, x3, #1
	msr	sctlr_\el, x4
	isb
	msr	mair_\el, x2
	msr	tcr_\el, x1
	msr	ttbr0_\el, x0
	isb
	tlbi	\tlbi_op
	dsb	ish
	isb
	mov	x5, #(1 << 0) | (1 << 2) | (1 << 12)	/* M, C, I */
	orr	x3, x3, x5
	bic	x3, x3, #(1 << 19)			/* WXN */
	bic	x3, x3, #(1 << 1)			/* A */
	msr	sctlr_\el, x3
	isb
	ret
.endm

	MMU_SWITCH el1, vmalle1
	MMU_SWITCH el2, alle2

	.section .note.GNU-stack, "", @progbits
