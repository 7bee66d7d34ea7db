/*
 * Linux Image protocol entry: x0 = device tree, MMU and D-cache off, at
 * EL2 or EL1 (Documentation/arch/arm64/booting.rst). With the MMU off all
 * data accesses are device accesses, so only aligned assembly and the
 * careful C of image_early.c run before the first page tables are on:
 * relocate, zero .bss, stack, FP/SIMD, early map, invalidate what we
 * wrote with the caches off, MMU on, then image_main(dtb).
 */
#include <arch/mmu.h>

	.text
	.globl	image_entry
image_entry:
	msr	daifset, #0xf
	mov	x19, x0

	adr	x0, _head
	bl	arm64_relocate

	adrp	x1, __bss_start
	add	x1, x1, :lo12:__bss_start
	adrp	x2, __bss_end
	add	x2, x2, :lo12:__bss_end
1:	cmp	x1, x2
	b.hs	2f
	stp	xzr, xzr, [x1], #16
	b	1b
2:
	adrp	x1, image_stack_top
	add	x1, x1, :lo12:image_stack_top
	mov	sp, x1

	/* FP/SIMD: compiled C may use the vector registers anywhere. */
	mrs	x1, CurrentEL
	cmp	x1, #(2 << 2)
	b.ne	3f
	mrs	x1, cptr_el2
	bic	x1, x1, #(1 << 10)	/* TFP */
	msr	cptr_el2, x1
3:	mrs	x1, cpacr_el1
	orr	x1, x1, #(3 << 20)	/* FPEN */
	msr	cpacr_el1, x1
	isb

	adr	x0, _head
	mov	x1, x19
	adrp	x2, image_l0
	add	x2, x2, :lo12:image_l0
	adrp	x3, image_l1
	add	x3, x3, :lo12:image_l1
	bl	image_early_map
	mov	x20, x0			/* TCR */

	/* Lines of the image may sit in the caches from before we were
	 * loaded; everything we wrote went around them. Invalidate. */
	mrs	x3, ctr_el0
	ubfx	x3, x3, #16, #4		/* DminLine: log2(words) */
	mov	x4, #4
	lsl	x4, x4, x3		/* line size in bytes */
	sub	x5, x4, #1
	adr	x1, _head
	bic	x1, x1, x5
	adrp	x2, _end
	add	x2, x2, :lo12:_end
4:	dc	ivac, x1
	add	x1, x1, x4
	cmp	x1, x2
	b.lo	4b
	dsb	sy

	adrp	x0, image_l0
	add	x0, x0, :lo12:image_l0
	mov	x1, x20
	mov	x2, #MAIR_VALUE
	mrs	x3, CurrentEL
	cmp	x3, #(2 << 2)
	b.ne	5f
	bl	arm64_mmu_switch_el2
	b	6f
5:	bl	arm64_mmu_switch_el1
6:
	mov	x0, x19
	bl	image_main
7:	wfi
	b	7b

	.section .bss.image, "aw", @nobits
	.align	12
image_l0:	.skip	4096
image_l1:	.skip	4096
image_stack:	.skip	16384
image_stack_top:

	.section .note.GNU-stack, "", @progbits
