/*
 * The first bytes of the arm64 image, which is at once a UEFI
 * application (PE/COFF, "MZ") and a Linux arm64 Image ("ARM\x64" at
 * 0x38), per the Linux arm64 booting document and the PE/COFF spec.
 * The header constants (_pe_*) are absolute symbols from image.lds.
 */
	.section .head.text, "ax"
	.globl _head
_head:
	/* An instruction without effect whose encoding starts with "MZ". */
	add	x13, x18, #0x16
	b	image_entry
	.quad	0			/* text_offset */
	.quad	_pe_image_size		/* image_size, bss included */
	.quad	0xa			/* flags: LE, 4K pages, anywhere in RAM */
	.quad	0			/* res2 */
	.quad	0			/* res3 */
	.quad	0			/* res4 */
	.ascii	"ARM\x64"		/* magic */
	.long	pe_header - _head	/* PE header offset, as in an MS-DOS stub */

pe_header:
	.ascii	"PE\0\0"
	.short	0xaa64			/* Machine: arm64 */
	.short	2			/* NumberOfSections */
	.long	0			/* TimeDateStamp */
	.long	0			/* PointerToSymbolTable */
	.long	0			/* NumberOfSymbols */
	.short	section_table - optional_header
	/* Executable, line numbers and debug info stripped; relocations
	 * are not stripped (there are none: the image relocates itself). */
	.short	0x206

optional_header:
	.short	0x20b			/* PE32+ */
	.byte	0x02, 0x14		/* linker version */
	.long	_pe_text_size		/* SizeOfCode */
	.long	_pe_data_raw_size	/* SizeOfInitializedData */
	.long	0			/* SizeOfUninitializedData */
	.long	_pe_entry		/* AddressOfEntryPoint */
	.long	_pe_text_start		/* BaseOfCode */
	.quad	0			/* ImageBase */
	.long	0x1000			/* SectionAlignment */
	.long	0x1000			/* FileAlignment: file offsets equal RVAs */
	.short	0, 0			/* OperatingSystemVersion */
	.short	0, 0			/* ImageVersion */
	.short	0, 0			/* SubsystemVersion */
	.long	0			/* Win32VersionValue */
	.long	_pe_image_size		/* SizeOfImage */
	.long	_pe_text_start		/* SizeOfHeaders */
	.long	0			/* CheckSum */
	.short	10			/* Subsystem: EFI application */
	.short	0			/* DllCharacteristics */
	.quad	0, 0, 0, 0		/* stack and heap reserve/commit */
	.long	0			/* LoaderFlags */
	.long	6			/* NumberOfRvaAndSizes */
	.quad	0, 0, 0, 0, 0, 0	/* no export, import, resource, exception, security, relocs */

section_table:
	.ascii	".text\0\0\0"
	.long	_pe_text_size		/* VirtualSize */
	.long	_pe_text_start		/* VirtualAddress */
	.long	_pe_text_size		/* SizeOfRawData */
	.long	_pe_text_start		/* PointerToRawData */
	.long	0, 0
	.short	0, 0
	.long	0x60000020		/* code, execute, read */

	.ascii	".data\0\0\0"
	.long	_pe_data_size		/* VirtualSize, bss included */
	.long	_pe_data_start		/* VirtualAddress */
	.long	_pe_data_raw_size	/* SizeOfRawData */
	.long	_pe_data_start		/* PointerToRawData */
	.long	0, 0
	.short	0, 0
	.long	0xc0000040		/* initialized data, read, write */

	/* Kept by the linker script: only the PE header refers to it. */
	.section .text.entry, "ax"
/*
 * UEFI entry: x0 = image handle, x1 = system table, MMU on, at EL2 or
 * EL1, on the firmware's stack. Relocate, then C.
 */
	.globl	efi_pe_entry
efi_pe_entry:
	stp	x29, x30, [sp, #-32]!
	mov	x29, sp
	stp	x0, x1, [sp, #16]
	adr	x0, _head
	bl	arm64_relocate
	ldp	x0, x1, [sp, #16]
	bl	efi_stub_main
	ldp	x29, x30, [sp], #32
	ret

/*
 * Apply the R_AARCH64_RELATIVE entries of .rela.dyn for a load at x0.
 * Writing base + addend (not adding to the old value) keeps it safe to
 * run twice. Touches x0-x5 only and no stack: it runs before C.
 */
	.globl	arm64_relocate
arm64_relocate:
	adrp	x1, __rela_start
	add	x1, x1, :lo12:__rela_start
	adrp	x2, __rela_end
	add	x2, x2, :lo12:__rela_end
1:	cmp	x1, x2
	b.hs	2f
	ldp	x3, x4, [x1]
	ldr	x5, [x1, #16]
	add	x1, x1, #24
	cmp	w4, #1027		/* R_AARCH64_RELATIVE */
	b.ne	1b
	add	x5, x5, x0
	str	x5, [x0, x3]
	b	1b
2:	ret

	.section .note.GNU-stack, "", @progbits
