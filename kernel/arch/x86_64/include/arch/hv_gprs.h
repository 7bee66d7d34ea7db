/*
 * A guest's general registers in memory, for the x86 run loops
 * (svm_entry.S, vmx_entry.S): slot 0 is RAX (VMX keeps it there; SVM's
 * VMCB has it), then RBX, RCX, RDX, RSI, RDI, RBP, R8..R15; RSP is the
 * VMCB's or the VMCS's.
 */
#ifndef ARCH_HV_GPRS_H
#define ARCH_HV_GPRS_H

#define HV_GPRS 15
#define HV_GPR_RSI 4
#define HV_GPR_RDI 5

#ifdef __ASSEMBLER__
/* clang-format off */
/* All but RAX, to or from the registers at \base (RAX is the caller's). */
.macro SAVE_GPRS base
	mov	%rbx, 8(\base)
	mov	%rcx, 16(\base)
	mov	%rdx, 24(\base)
	mov	%rsi, 32(\base)
	mov	%rdi, 40(\base)
	mov	%rbp, 48(\base)
	mov	%r8, 56(\base)
	mov	%r9, 64(\base)
	mov	%r10, 72(\base)
	mov	%r11, 80(\base)
	mov	%r12, 88(\base)
	mov	%r13, 96(\base)
	mov	%r14, 104(\base)
	mov	%r15, 112(\base)
.endm

.macro LOAD_GPRS base
	mov	8(\base), %rbx
	mov	16(\base), %rcx
	mov	24(\base), %rdx
	mov	32(\base), %rsi
	mov	40(\base), %rdi
	mov	48(\base), %rbp
	mov	56(\base), %r8
	mov	64(\base), %r9
	mov	72(\base), %r10
	mov	80(\base), %r11
	mov	88(\base), %r12
	mov	96(\base), %r13
	mov	104(\base), %r14
	mov	112(\base), %r15
.endm

/* The host's callee-saved registers around a run loop: every other
 * register is the guest's after an exit. */
.macro HOST_PUSH
	push	%rbp
	push	%rbx
	push	%r12
	push	%r13
	push	%r14
	push	%r15
.endm

.macro HOST_POP
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbx
	pop	%rbp
.endm
/* clang-format on */
#endif

#endif
