/*
 * x86_64 PVH entry (Xen's PVH boot ABI, also used by QEMU -kernel,
 * Firecracker and cloud-hypervisor): 32-bit protected mode, paging off,
 * EBX = physical address of struct hvm_start_info. We build an identity
 * map of the first PVH_EARLY_MAP_GIB GiB with 2 MiB pages, enter long mode
 * and call pvh_main(start_info) on a stack of our own. The multiboot2
 * entry (mb2_entry.S) takes the same way from x86_boot32 on. RAM above that
 * (q35 with 4 GiB or more puts most of it above 4 GiB) is not mapped yet:
 * pvh_main keeps everything it and kernel_main touch below
 * PVH_EARLY_MAP_TOP, and arch_mmu_init() then maps all of RAM.
 */
#include "pvh.h"

#define XEN_ELFNOTE_PHYS32_ENTRY 18

	.section .note.pvh, "a", @note
	.align	4
	.long	4			/* name size */
	.long	4			/* descriptor size */
	.long	XEN_ELFNOTE_PHYS32_ENTRY
	.asciz	"Xen"
	.long	pvh_start

	.section .text.pvh, "ax"
	.code32
	.globl	pvh_start
pvh_start:
	cli
	cld
	movl	%ebx, %esi
	movl	$pvh_main, %ebp

	/* From here on, shared with mb2_start: ESI = what the loader handed
	 * over, EBP = the C function to call with it in long mode. */
	.globl	x86_boot32
x86_boot32:

	/* Zero .bss first: the page tables and the stack live there. */
	movl	$__bss_start, %edi
	movl	$__bss_end, %ecx
	subl	%edi, %ecx
	xorl	%eax, %eax
	rep stosb

	/* PML4[0] -> PDPT; PDPT[0..N-1] -> N page directories of 2 MiB pages. */
	movl	$pvh_pdpt, %eax
	orl	$0x3, %eax
	movl	%eax, pvh_pml4
	xorl	%ecx, %ecx
1:	movl	%ecx, %eax
	shll	$12, %eax
	addl	$pvh_pd, %eax
	orl	$0x3, %eax
	movl	%eax, pvh_pdpt(, %ecx, 8)
	incl	%ecx
	cmpl	$PVH_EARLY_MAP_GIB, %ecx
	jb	1b
	xorl	%ecx, %ecx
2:	movl	%ecx, %eax
	shll	$21, %eax
	orl	$0x83, %eax		/* present, writable, 2 MiB */
	movl	%ecx, %edx
	shrl	$11, %edx		/* high half: bits 32+ of the address */
	movl	%eax, pvh_pd(, %ecx, 8)
	movl	%edx, pvh_pd + 4(, %ecx, 8)
	incl	%ecx
	cmpl	$(PVH_EARLY_MAP_GIB * 512), %ecx
	jb	2b

	/* PAE, and SSE (OSFXSR, OSXMMEXCPT): compiled C uses SSE registers. */
	movl	%cr4, %eax
	orl	$0x620, %eax
	movl	%eax, %cr4
	movl	$pvh_pml4, %eax
	movl	%eax, %cr3
	movl	$0xc0000080, %ecx	/* EFER */
	rdmsr
	orl	$0x100, %eax		/* LME */
	wrmsr
	movl	%cr0, %eax
	andl	$~0x4, %eax		/* EM off */
	orl	$0x80000003, %eax	/* PG, MP, PE */
	movl	%eax, %cr0
	lgdt	pvh_gdt_ptr
	ljmp	$0x08, $pvh_long

	.code64
pvh_long:
	movw	$0x10, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	movw	%ax, %fs
	movw	%ax, %gs
	leaq	pvh_stack_top(%rip), %rsp
	movl	%esi, %edi
	movl	%ebp, %eax		/* zero-extended: the upper halves are undefined */
	call	*%rax
3:	hlt
	jmp	3b

	.section .rodata.pvh, "a"
	.align	16
pvh_gdt:
	.quad	0
	.quad	0x00af9a000000ffff	/* 64-bit code */
	.quad	0x00cf92000000ffff	/* data */
pvh_gdt_ptr:
	.word	pvh_gdt_ptr - pvh_gdt - 1
	.long	pvh_gdt

	.section .bss.pvh, "aw", @nobits
	.align	4096
pvh_pml4:	.skip	4096
pvh_pdpt:	.skip	4096
pvh_pd:		.skip	PVH_EARLY_MAP_GIB * 4096
pvh_stack:	.skip	16384
pvh_stack_top:

	.section .note.GNU-stack, "", @progbits
