/*
 * Secondary CPU start-up code, copied by smp.c to a page below 1 MiB.
 * A start-up IPI begins it in real mode at CS = page >> 4, IP = 0, with
 * caches disabled (CR0 after INIT). It goes straight to long mode (PE and
 * PG in one write, as the boot CPU's CR0 has them) with everything taken
 * from the boot block at TB_OFFSET, then calls entry(cpu) on its stack.
 * Nothing here refers to an absolute address: the same bytes run at
 * whatever page the boot path reserved. Never executed where linked.
 */
#include "trampoline.h"

#define TB(field) (TB_OFFSET + TB_##field)

	.section .rodata.x86_trampoline, "a"
	.globl	x86_tramp_start, x86_tramp_long, x86_tramp_end
	.code16
x86_tramp_start:
.Lbase:
	cli
	cld
	movw	%cs, %ax
	movw	%ax, %ds

	/*
	 * A CPU that was asked earlier and arrives only now, after the boot
	 * CPU gave up on it and armed the page for another, must not share
	 * that one's stack: compare the APIC id as arch_cpu_hwid() reads it.
	 */
	xorl	%eax, %eax
	cpuid
	cmpl	$0xb, %eax
	jb	1f
	movl	$0xb, %eax
	xorl	%ecx, %ecx
	cpuid
	testl	%ebx, %ebx
	jz	1f
	movl	%edx, %esi
	jmp	2f
1:	movl	$1, %eax
	cpuid
	shrl	$24, %ebx
	movl	%ebx, %esi
2:	cmpl	TB(HWID), %esi
	jne	.Lpark
	movl	$1, TB(STARTED)

	lgdtl	TB(GDTR)
	movl	TB(CR4), %eax
	movl	%eax, %cr4
	movl	TB(CR3_32), %eax
	movl	%eax, %cr3
	movl	$0xc0000080, %ecx	/* EFER */
	rdmsr
	orl	TB(EFER), %eax
	wrmsr
	movl	TB(CR0), %eax
	movl	%eax, %cr0
	ljmpl	*TB(JUMP)

.Lpark:
	cli
	hlt
	jmp	.Lpark

	.code64
x86_tramp_long:
	movl	$TB_SEL_DATA, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs
	/* The full CR3: the 32-bit load above may have been a copy's. */
	movq	.Lbase + TB(CR3)(%rip), %rax
	movq	%rax, %cr3
	movq	.Lbase + TB(STACK)(%rip), %rsp
	movq	.Lbase + TB(CPU)(%rip), %rdi
	movq	.Lbase + TB(ENTRY)(%rip), %rax
	movl	$1, .Lbase + TB(LEFT)(%rip)
	xorl	%ebp, %ebp
	call	*%rax
3:	hlt
	jmp	3b
x86_tramp_end:

	.section .note.GNU-stack, "", @progbits
