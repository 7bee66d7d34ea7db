/*
 * The world switch's assembly (arch/vcpu.h): the GP registers of a
 * context, saved on the switch HVC and restored before its ERET; the
 * FP/SIMD registers; the host context's loop; and the GP class timed
 * alone, with the very sequences the switch uses.
 */
#include <arch/guest.h>
#include <arch/vcpu.h>

/* x0..x30, SP_EL0, ELR_EL2 and SPSR_EL2 into the context at \base
 * (which must be x16 or x17: the HVC has already used both, and both are
 * stored as found). x0..x2 are free afterwards. */
.macro GP_SAVE base
	stp	x0, x1, [\base, #VCPU_GP_X + 16 * 0]
	stp	x2, x3, [\base, #VCPU_GP_X + 16 * 1]
	stp	x4, x5, [\base, #VCPU_GP_X + 16 * 2]
	stp	x6, x7, [\base, #VCPU_GP_X + 16 * 3]
	stp	x8, x9, [\base, #VCPU_GP_X + 16 * 4]
	stp	x10, x11, [\base, #VCPU_GP_X + 16 * 5]
	stp	x12, x13, [\base, #VCPU_GP_X + 16 * 6]
	stp	x14, x15, [\base, #VCPU_GP_X + 16 * 7]
	stp	x16, x17, [\base, #VCPU_GP_X + 16 * 8]
	stp	x18, x19, [\base, #VCPU_GP_X + 16 * 9]
	stp	x20, x21, [\base, #VCPU_GP_X + 16 * 10]
	stp	x22, x23, [\base, #VCPU_GP_X + 16 * 11]
	stp	x24, x25, [\base, #VCPU_GP_X + 16 * 12]
	stp	x26, x27, [\base, #VCPU_GP_X + 16 * 13]
	stp	x28, x29, [\base, #VCPU_GP_X + 16 * 14]
	str	x30, [\base, #VCPU_GP_X + 16 * 15]
	mrs	x0, sp_el0
	mrs	x1, elr_el2
	mrs	x2, spsr_el2
	stp	x0, x1, [\base, #VCPU_GP_SP_EL0]
	str	x2, [\base, #VCPU_GP_PSTATE]
.endm

/* The reverse, from the context at x0; x0 itself last. */
.macro GP_RESTORE
	ldp	x1, x2, [x0, #VCPU_GP_SP_EL0]
	msr	sp_el0, x1
	msr	elr_el2, x2
	ldr	x1, [x0, #VCPU_GP_PSTATE]
	msr	spsr_el2, x1
	ldp	x2, x3, [x0, #VCPU_GP_X + 16 * 1]
	ldp	x4, x5, [x0, #VCPU_GP_X + 16 * 2]
	ldp	x6, x7, [x0, #VCPU_GP_X + 16 * 3]
	ldp	x8, x9, [x0, #VCPU_GP_X + 16 * 4]
	ldp	x10, x11, [x0, #VCPU_GP_X + 16 * 5]
	ldp	x12, x13, [x0, #VCPU_GP_X + 16 * 6]
	ldp	x14, x15, [x0, #VCPU_GP_X + 16 * 7]
	ldp	x16, x17, [x0, #VCPU_GP_X + 16 * 8]
	ldp	x18, x19, [x0, #VCPU_GP_X + 16 * 9]
	ldp	x20, x21, [x0, #VCPU_GP_X + 16 * 10]
	ldp	x22, x23, [x0, #VCPU_GP_X + 16 * 11]
	ldp	x24, x25, [x0, #VCPU_GP_X + 16 * 12]
	ldp	x26, x27, [x0, #VCPU_GP_X + 16 * 13]
	ldp	x28, x29, [x0, #VCPU_GP_X + 16 * 14]
	ldr	x30, [x0, #VCPU_GP_X + 16 * 15]
	ldp	x0, x1, [x0, #VCPU_GP_X + 16 * 0]
.endm

/* The benchmark counter as arch/counter.h reads it. */
.macro COUNTER reg, ctr
	isb
	mrs	\reg, \ctr
	isb
.endm

	.text
/* EL2: the switch HVC (GUEST_HVC_SWITCH) from whichever context runs;
 * reached from arm64_el2_lower_sync with x16 and x17 used. The C part
 * runs on EL2's stack, below the frame of the arm64_el1_call that
 * entered the first guest. */
	.globl	arm64_vcpu_switch_entry
arm64_vcpu_switch_entry:
	adrp	x16, arm64_vcpu_current
	ldr	x16, [x16, :lo12:arm64_vcpu_current]
	GP_SAVE	x16
	mov	x0, x16
	bl	arm64_vcpu_switch
	GP_RESTORE
	eret

/* EL2 with HCR_EL2.E2H set: the VHE switch HVC (GUEST_HVC_SWITCH_VHE)
 * from the guest arm64_vhe_guest points to, reached as the one above. */
	.globl	arm64_vcpu_vhe_entry
arm64_vcpu_vhe_entry:
	adrp	x16, arm64_vhe_guest
	ldr	x16, [x16, :lo12:arm64_vhe_guest]
	GP_SAVE	x16
	mov	x0, x16
	bl	arm64_vcpu_vhe_round_trip
	GP_RESTORE
	eret

/* void arm64_el2_regime(hcr, tcr, ttbr0, cptr): EL2's MMU off, the new
 * regime's HCR_EL2 (E2H), CPTR_EL2 (its layout follows E2H), TCR_EL2 and
 * TTBR0_EL2, the old regime's TLB entries gone, the MMU on again. The
 * code runs from the identity map, so fetching goes on with the MMU off;
 * nothing between the two SCTLR writes touches memory. */
	.globl	arm64_el2_regime
arm64_el2_regime:
	mrs	x4, sctlr_el2
	bic	x5, x4, #1
	dsb	sy
	tlbi	alle2
	dsb	ish
	msr	sctlr_el2, x5
	isb
	msr	hcr_el2, x0
	msr	cptr_el2, x3
	msr	tcr_el2, x1
	msr	ttbr0_el2, x2
	isb
	tlbi	alle2
	dsb	ish
	isb
	msr	sctlr_el2, x4
	isb
	ret

/* The host context (hypercall_switch): at EL1, it hands the CPU straight
 * back to the guest, as a host's run loop does once the exit needs no
 * work. */
	.globl	arm64_vcpu_host_loop
arm64_vcpu_host_loop:
	hvc	#GUEST_HVC_SWITCH
	b	arm64_vcpu_host_loop

/* void vcpu_fp_save(struct vcpu_fp *fp) */
	.globl	vcpu_fp_save
vcpu_fp_save:
	stp	q0, q1, [x0, #32 * 0]
	stp	q2, q3, [x0, #32 * 1]
	stp	q4, q5, [x0, #32 * 2]
	stp	q6, q7, [x0, #32 * 3]
	stp	q8, q9, [x0, #32 * 4]
	stp	q10, q11, [x0, #32 * 5]
	stp	q12, q13, [x0, #32 * 6]
	stp	q14, q15, [x0, #32 * 7]
	stp	q16, q17, [x0, #32 * 8]
	stp	q18, q19, [x0, #32 * 9]
	stp	q20, q21, [x0, #32 * 10]
	stp	q22, q23, [x0, #32 * 11]
	stp	q24, q25, [x0, #32 * 12]
	stp	q26, q27, [x0, #32 * 13]
	stp	q28, q29, [x0, #32 * 14]
	stp	q30, q31, [x0, #32 * 15]
	mrs	x1, fpsr
	mrs	x2, fpcr
	add	x0, x0, #VCPU_FP_FPSR - VCPU_FP
	stp	x1, x2, [x0]
	ret

/* void vcpu_fp_restore(const struct vcpu_fp *fp) */
	.globl	vcpu_fp_restore
vcpu_fp_restore:
	ldp	q0, q1, [x0, #32 * 0]
	ldp	q2, q3, [x0, #32 * 1]
	ldp	q4, q5, [x0, #32 * 2]
	ldp	q6, q7, [x0, #32 * 3]
	ldp	q8, q9, [x0, #32 * 4]
	ldp	q10, q11, [x0, #32 * 5]
	ldp	q12, q13, [x0, #32 * 6]
	ldp	q14, q15, [x0, #32 * 7]
	ldp	q16, q17, [x0, #32 * 8]
	ldp	q18, q19, [x0, #32 * 9]
	ldp	q20, q21, [x0, #32 * 10]
	ldp	q22, q23, [x0, #32 * 11]
	ldp	q24, q25, [x0, #32 * 12]
	ldp	q26, q27, [x0, #32 * 13]
	ldp	q28, q29, [x0, #32 * 14]
	ldp	q30, q31, [x0, #32 * 15]
	add	x0, x0, #VCPU_FP_FPSR - VCPU_FP
	ldp	x1, x2, [x0]
	msr	fpsr, x1
	msr	fpcr, x2
	ret

/* uint64_t vcpu_gp_save_timed(struct vcpu_gp *gp, uint64_t use_pmccntr):
 * GP_SAVE between two counter reads. It changes only x0..x2 and x16,
 * x9 and x10 (caller-saved); the stored values are whatever the
 * registers held. */
.macro SAVE_TIMED ctr
	COUNTER	x9, \ctr
	GP_SAVE	x16
	COUNTER	x10, \ctr
	sub	x0, x10, x9
	ret
.endm
	.globl	vcpu_gp_save_timed
vcpu_gp_save_timed:
	mov	x16, x0
	cbz	x1, 1f
	SAVE_TIMED pmccntr_el0
1:	SAVE_TIMED cntvct_el0

/* uint64_t vcpu_gp_restore_timed(const struct vcpu_gp *gp, uint64_t
 * use_pmccntr): GP_RESTORE between two counter reads. Every register is
 * loaded, so the caller's callee-saved ones wait on the stack, and the
 * first reading too (one store inside the timed window, next to the 21
 * loads and 3 system-register writes). */
.macro RESTORE_TIMED ctr
	isb
	mrs	x9, \ctr
	str	x9, [sp, #96]
	isb
	GP_RESTORE
	COUNTER	x10, \ctr
	ldr	x9, [sp, #96]
	sub	x0, x10, x9
	b	2f
.endm
	.globl	vcpu_gp_restore_timed
vcpu_gp_restore_timed:
	stp	x19, x20, [sp, #-112]!
	stp	x21, x22, [sp, #16]
	stp	x23, x24, [sp, #32]
	stp	x25, x26, [sp, #48]
	stp	x27, x28, [sp, #64]
	stp	x29, x30, [sp, #80]
	cbz	x1, 1f
	RESTORE_TIMED pmccntr_el0
1:	RESTORE_TIMED cntvct_el0
2:	ldp	x21, x22, [sp, #16]
	ldp	x23, x24, [sp, #32]
	ldp	x25, x26, [sp, #48]
	ldp	x27, x28, [sp, #64]
	ldp	x29, x30, [sp, #80]
	ldp	x19, x20, [sp], #112
	ret

	.section .note.GNU-stack, "", @progbits
