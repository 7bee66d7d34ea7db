/*
 * Entry for all 256 vectors: each pushes a dummy error code where the CPU
 * pushes none, then its number, so one handler (x86_trap) sees one frame
 * layout. Stubs are 16 bytes apart; the IDT is built from that.
 */
	.text

.macro VEC num, has_err
	.align 16
vec_\num:
	.if \has_err == 0
	pushq $0
	.endif
	pushq $\num
	jmp trap_common
.endm

	.align 16
	.globl x86_vector_base
x86_vector_base:
	VEC 0, 0
	VEC 1, 0
	VEC 2, 0
	VEC 3, 0
	VEC 4, 0
	VEC 5, 0
	VEC 6, 0
	VEC 7, 0
	VEC 8, 1
	VEC 9, 0
	VEC 10, 1
	VEC 11, 1
	VEC 12, 1
	VEC 13, 1
	VEC 14, 1
	VEC 15, 0
	VEC 16, 0
	VEC 17, 1
	VEC 18, 0
	VEC 19, 0
	VEC 20, 0
	VEC 21, 1
	VEC 22, 0
	VEC 23, 0
	VEC 24, 0
	VEC 25, 0
	VEC 26, 0
	VEC 27, 0
	VEC 28, 0
	VEC 29, 1
	VEC 30, 1
	VEC 31, 0

	/* Interrupts (32..255): no error code from the CPU. */
	vector = 32
	.rept 224
	.align 16
	pushq $0
	pushq $vector
	jmp trap_common
	vector = vector + 1
	.endr

trap_common:
	/* struct x86_frame, lowest address first: r15 ... rax, vector, error, rip, cs, rflags, rsp, ss */
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	cld
	movq %rsp, %rdi
	/* C code may use SSE registers (the compiler does for copies), and an
	 * interrupt must hand them back untouched: save them, on a 16-byte
	 * aligned area below the frame. */
	movq %rsp, %rbx
	subq $512, %rsp
	andq $-16, %rsp
	fxsave64 (%rsp)
	call x86_trap
	fxrstor64 (%rsp)
	movq %rbx, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	addq $16, %rsp
	iretq

/* void x86_load_segments(void *gdtr, uint16_t code, uint16_t data) */
	.globl x86_load_segments
x86_load_segments:
	lgdt (%rdi)
	movw %dx, %ds
	movw %dx, %es
	movw %dx, %ss
	movw %dx, %fs
	movw %dx, %gs
	/* Far return to reload CS with the new selector. */
	popq %rax
	movzwq %si, %rsi
	pushq %rsi
	pushq %rax
	lretq

/* void arch_call_on_stack(void *top, void (*fn)(void *), void *arg) */
	.globl arch_call_on_stack
arch_call_on_stack:
	movq %rdi, %rsp
	xorl %ebp, %ebp
	movq %rdx, %rdi
	call *%rsi
1:	hlt
	jmp 1b

	.section .note.GNU-stack, "", @progbits
