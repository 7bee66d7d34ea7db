/*
 * The image's own EL1 guest, entered from EL2 (kernel/hyp/arm64/guest.c).
 * arm64_el1_call runs a C function at EL1h; the guest comes back by HVC,
 * which the lower-EL synchronous vector of EL2 decodes before anything
 * else: GUEST_HVC_NULL returns at once (the measured round trip, the
 * cheapest a hypervisor can give), GUEST_HVC_EXIT ends the call with the
 * function's result, GUEST_HVC_FAULT ends it with the EL1 vector that was
 * taken, GUEST_HVC_SWITCH switches to another context, GUEST_HVC_SWITCH_VHE
 * exits to a VHE host and comes back (vcpu_entry.S).
 * These HVCs may change x16 and x17, as SMCCC calls may.
 */
#include <arch/guest.h>

#define EC_HVC64 0x16

	.text
/* uint64_t arm64_el1_call(uint64_t (*fn)(uint64_t), uint64_t arg,
 *                         void *el1_stack_top, struct guest_exit *exit) */
	.globl	arm64_el1_call
arm64_el1_call:
	stp	x29, x30, [sp, #-176]!
	stp	x19, x20, [sp, #16]
	stp	x21, x22, [sp, #32]
	stp	x23, x24, [sp, #48]
	stp	x25, x26, [sp, #64]
	stp	x27, x28, [sp, #80]
	mrs	x4, daif
	str	x4, [sp, #96]
	/* d8-d15 too: a world switch gives the CPU other FP/SIMD registers,
	 * and a context that faults leaves them there. */
	stp	d8, d9, [sp, #112]
	stp	d10, d11, [sp, #128]
	stp	d12, d13, [sp, #144]
	stp	d14, d15, [sp, #160]
	adrp	x4, guest_saved
	add	x4, x4, :lo12:guest_saved
	mov	x5, sp
	stp	x5, x3, [x4]
	msr	sp_el1, x2
	adr	x4, el1_trampoline
	msr	elr_el2, x4
	mov	x4, #SPSR_EL1H_MASKED
	msr	spsr_el2, x4
	eret

/* At EL1: fn(arg), then back. */
el1_trampoline:
	mov	x2, x0
	mov	x0, x1
	blr	x2
	hvc	#GUEST_HVC_EXIT
	b	.

/* EL2, synchronous exception from a lower EL in AArch64. */
	.globl	arm64_el2_lower_sync
arm64_el2_lower_sync:
	mrs	x16, esr_el2
	lsr	x17, x16, #26
	cmp	x17, #EC_HVC64
	b.ne	arm64_el2_lower_sync_slow
	and	x16, x16, #0xffff
	cmp	x16, #GUEST_HVC_NULL
	b.ne	0f
	eret
0:	cmp	x16, #GUEST_HVC_SWITCH
	b.eq	arm64_vcpu_switch_entry
	cmp	x16, #GUEST_HVC_SWITCH_VHE
	b.eq	arm64_vcpu_vhe_entry
1:	cmp	x16, #GUEST_HVC_EXIT
	b.ne	2f
	mov	x1, #0
	b	guest_return
2:	cmp	x16, #GUEST_HVC_FAULT
	b.ne	arm64_el2_lower_sync_slow
	add	x1, x0, #1		/* the EL1 vector index + 1 */
	mov	x0, #0
	/* fall through */
/* x0 result, x1 status: back to arm64_el1_call's caller at EL2. */
guest_return:
	adrp	x4, guest_saved
	add	x4, x4, :lo12:guest_saved
	ldp	x5, x3, [x4]
	mov	sp, x5
	stp	x0, x1, [x3]
	mrs	x2, esr_el1
	mrs	x5, elr_el1
	stp	x2, x5, [x3, #16]
	mrs	x2, far_el1
	str	x2, [x3, #32]
	ldr	x4, [sp, #96]
	msr	daif, x4
	ldp	x19, x20, [sp, #16]
	ldp	x21, x22, [sp, #32]
	ldp	x23, x24, [sp, #48]
	ldp	x25, x26, [sp, #64]
	ldp	x27, x28, [sp, #80]
	ldp	d8, d9, [sp, #112]
	ldp	d10, d11, [sp, #128]
	ldp	d12, d13, [sp, #144]
	ldp	d14, d15, [sp, #160]
	ldp	x29, x30, [sp], #176
	ret

/* EL1 vectors of the guest: whatever it takes goes to EL2 as a fault,
 * with the vector's index in x0. */
	.align	11
	.globl	arm64_guest_vectors_el1
arm64_guest_vectors_el1:
	.irp	index, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	.align	7
	mov	x0, #\index
	hvc	#GUEST_HVC_FAULT
	b	.
	.endr

	.data
	.align	3
/* The EL2 stack pointer and the exit record while the guest runs: one
 * CPU at a time enters it (the benchmark's). */
guest_saved:
	.quad	0, 0

	.section .note.GNU-stack, "", @progbits
