/*
 * Linux Image protocol entry (x0 = device tree, MMU off, EL2 or EL1).
 * The header already points here so that the file is a valid Image; the
 * path to kernel_main (relocation with the MMU off, stack, bss, boot_info
 * from the device tree) is the boot-paths work that follows the UEFI
 * foundation. Until then the CPU waits here instead of running garbage.
 */
	.text
	.globl	image_entry
image_entry:
	msr	daifset, #0xf
1:	wfe
	b	1b

	.section .note.GNU-stack, "", @progbits
