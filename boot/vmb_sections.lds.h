/*
 * Linker-script parts that the image layouts share. The scripts under
 * boot/<arch>/ include this file and are run through the C preprocessor
 * (the Makefile's $(BUILD)/%.lds rule) before ld reads them.
 */
#ifndef VMB_SECTIONS_LDS_H
#define VMB_SECTIONS_LDS_H

/* The benchmark registry: BENCH() (bench/bench.h) places
 * one descriptor per benchmark in vmb_bench and the harness walks them
 * between these bounds. KEEP: nothing names a descriptor, so
 * --gc-sections would drop them all. Goes inside a data section.
 * Linker-script text, not C: clang-format would break it. */
/* clang-format off */
#define VMB_BENCH_SECTION                                                    \
	. = ALIGN(8);                                                        \
	__start_vmb_bench = .;                                               \
	KEEP(*(vmb_bench))                                                   \
	__stop_vmb_bench = .;

/* Code and read-only data, gathered alike by every layout. */
#define VMB_TEXT_INPUT *(.text .text.*)
#define VMB_RODATA_INPUT *(.rodata .rodata.*)

/* Zeroed data between page-aligned bounds, which the entry code clears
 * itself (the PVH ELF and the arm64 Image: no loader does it for them).
 * Goes inside a bss section. */
#define VMB_BSS_CONTENTS                                                     \
	__bss_start = .;                                                     \
	*(.bss .bss.*)                                                       \
	*(COMMON)                                                            \
	. = ALIGN(4096);                                                     \
	__bss_end = .;
/* clang-format on */

#endif
