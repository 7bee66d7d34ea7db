/*
 * x86_64 multiboot2 entry (GRUB's multiboot2 command): the header GRUB
 * looks for in the first 32 KiB of the PVH ELF, and the entry it jumps
 * to in 32-bit protected mode, paging off, EAX = MB2_BOOT_MAGIC and
 * EBX = the boot information's physical address. GRUB loads the ELF's
 * segments where they are linked (1 MiB), as a PVH loader does, so the
 * rest is the PVH entry's way into long mode (pvh_entry.S), which then
 * calls mb2_main(mbi).
 */
#include "mb2.h"

	.section .multiboot2, "a"
	.align	8
mb2_header:
	.long	MB2_HEADER_MAGIC
	.long	MB2_ARCH_I386
	.long	mb2_header_end - mb2_header
	.long	-(MB2_HEADER_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))

	/* What the image reads; optional, since each has a fallback. */
	.align	8
mb2_info_request:
	.short	MB2_HTAG_INFO_REQUEST
	.short	MB2_HTAG_OPTIONAL
	.long	mb2_info_request_end - mb2_info_request
	.long	MB2_TAG_CMDLINE
	.long	MB2_TAG_MMAP
	.long	MB2_TAG_ACPI_NEW
	.long	MB2_TAG_ACPI_OLD
mb2_info_request_end:

	/* The ELF's own entry point is the PVH one: name ours. */
	.align	8
	.short	MB2_HTAG_ENTRY
	.short	0
	.long	12
	.long	mb2_start

	.align	8
	.short	MB2_HTAG_END
	.short	0
	.long	8
mb2_header_end:

	.section .text.pvh, "ax"
	.code32
	.globl	mb2_start
mb2_start:
	cli
	cld
	movl	%ebx, %esi
	cmpl	$MB2_BOOT_MAGIC, %eax
	je	1f
	xorl	%esi, %esi		/* not multiboot2: no information */
1:	movl	$mb2_main, %ebp
	jmp	x86_boot32

	.section .note.GNU-stack, "", @progbits
