/* x86_64 instructions as inline functions. */
#ifndef ARCH_X86_H
#define ARCH_X86_H

#include <stdint.h>

struct cpuid_regs {
	uint32_t eax, ebx, ecx, edx;
};

static inline struct cpuid_regs cpuid(uint32_t leaf, uint32_t subleaf)
{
	struct cpuid_regs r;

	__asm__ volatile("cpuid"
			 : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
			 : "a"(leaf), "c"(subleaf));
	return r;
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" ::"c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint32_t inl(uint16_t port)
{
	uint32_t v;

	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" ::"a"(v), "Nd"(port));
}

static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" ::"a"(v), "Nd"(port));
}

static inline void outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" ::"a"(v), "Nd"(port));
}

static inline uint64_t read_cr0(void)
{
	uint64_t v;
	__asm__ volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static inline uint64_t read_cr2(void)
{
	uint64_t v;
	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline uint64_t read_cr3(void)
{
	uint64_t v;
	__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

static inline uint64_t read_cr4(void)
{
	uint64_t v;
	__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static inline void write_cr0(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr0" ::"r"(v) : "memory");
}

static inline void write_cr3(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr3" ::"r"(v) : "memory");
}

/* CR8: the local APIC's task priority, class (vector >> 4) granular. */
static inline void write_cr8(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr8" ::"r"(v) : "memory");
}

static inline void write_cr4(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr4" ::"r"(v) : "memory");
}

/* Load the boot CPU's GDT and IDT (a secondary CPU's first step in C). */
void x86_cpu_load_tables(void);

/* The boot path's page below 1 MiB for the SMP trampoline (0 = none). */
void x86_smp_set_trampoline(uint64_t page);
/* A copy of the image's identity map as nested page tables, for AMD's
 * nested paging or Intel's EPT; its root's physical address, or 0 when
 * out of memory. */
enum nested_format { NESTED_NPT, NESTED_EPT };
uint64_t x86_nested_identity_map(enum nested_format f);

/* CPUID leaf 1 ECX: VMX. */
#define CPUID_VMX (1u << 5)

/* MSRs (Intel SDM vol. 4). */
#define MSR_APIC_BASE 0x1b
/* Intel IA32_BIOS_SIGN_ID (the microcode revision in bits 63:32 after a
 * write of 0 and CPUID leaf 1); on AMD the same number is PATCH_LEVEL,
 * read-only, the revision in bits 31:0. */
#define MSR_BIOS_SIGN_ID 0x8b
#define MSR_EFER 0xc0000080
#define MSR_GS_BASE 0xc0000101

/* The image's GDT: 64-bit code and data selectors. */
#define SEL_CODE 0x08
#define SEL_DATA 0x10

#endif
