/*
 * The start-up trampoline's page below 1 MiB, shared by trampoline.S and
 * smp.c: the code at offset 0 (where a SIPI starts a CPU in real mode),
 * and at TB_OFFSET the boot block the boot CPU fills for each CPU it
 * starts. Included by assembly: defines only.
 */
#ifndef VMB_X86_TRAMPOLINE_H
#define VMB_X86_TRAMPOLINE_H

#define TB_OFFSET 0xf00

/* Byte offsets in struct tramp_block (smp.c asserts them). */
#define TB_GDT 0x00    /* null, 64-bit code, data: the kernel's selectors */
#define TB_GDTR 0x1e   /* 16-bit limit, 32-bit base: lgdtl from real mode */
#define TB_JUMP 0x24   /* far pointer (32-bit offset, selector) to the 64-bit code */
#define TB_CR3_32 0x2c /* CR3 loaded before paging is on: below 4 GiB */
#define TB_CR0 0x30    /* the boot CPU's CR0: PG, PE, no CD/NW left from reset */
#define TB_CR4 0x34    /* PAE and SSE */
#define TB_EFER 0x38   /* bits set in EFER: LME, NXE as on the boot CPU */
#define TB_HWID 0x3c   /* the APIC id of the CPU meant to run this */
#define TB_CR3 0x40    /* the boot CPU's CR3, all 64 bits */
#define TB_STACK 0x48
#define TB_ENTRY 0x50 /* x86_secondary_entry(cpu) */
#define TB_CPU 0x58
#define TB_STARTED 0x60 /* set by the CPU in real mode once it knows it is meant */
#define TB_LEFT 0x64	/* set once it has read everything: the page is free again */
#define TB_SIZE 0x68

#define TB_SEL_CODE 0x08
#define TB_SEL_DATA 0x10

#endif
