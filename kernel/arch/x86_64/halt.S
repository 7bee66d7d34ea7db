/*
 * The sleep of arch_wait_for_irq (irq.c): STI, then HLT in its shadow.
 * Its own symbols, so that the interrupt entry (traps.c) can tell an
 * interrupt that came in right before the HLT from any other.
 */
	.text
	.globl x86_sti_hlt
	.globl x86_wait_hlt
x86_sti_hlt:
	sti
x86_wait_hlt:
	hlt
	ret

/*
 * Reach that HLT as an interrupt let in after STI would find it: IRETQ
 * sets IF with no shadow, so an interrupt already pending is taken with
 * RIP at the HLT. Called with IF clear, returns with IF set; for the
 * boot-time check of the interrupt entry's answer (irq.c).
 */
	.globl x86_iret_to_wait_hlt
x86_iret_to_wait_hlt:
	mov %rsp, %rax		/* the HLT's RET returns to our caller */
	mov %ss, %ecx
	pushq %rcx
	pushq %rax
	pushfq
	orq $0x200, (%rsp)	/* RFLAGS.IF */
	mov %cs, %ecx
	pushq %rcx
	leaq x86_wait_hlt(%rip), %rcx
	pushq %rcx
	iretq

	.section .note.GNU-stack, "", @progbits
