/*
 * x86_64 SMP: which CPU this is, and starting the others: INIT-SIPI-SIPI
 * into the real-mode trampoline (trampoline.S) on a page below 1 MiB the
 * boot path reserved, or under Xen a vCPU started in long mode by
 * hypercall. One CPU at a time: the page and its boot block are shared.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <arch/counter.h>
#include <arch/x86.h>
#include <arch/xen.h>
#include <vmb/xen.h>
#include <vmb/arch.h>
#include <vmb/fwinfo.h>
#include <vmb/platform.h>
#include <vmb/smp.h>
#include <arch/lapic.h>

#include "trampoline.h"

#define APIC_BASE_X2APIC (1ull << 10)
#define APIC_BASE_ENABLE (1ull << 11)
#define XAPIC_ICR_LO 0x300
#define XAPIC_ICR_HI 0x310
#define ICR_INIT 0x4500u    /* INIT, level assert */
#define ICR_STARTUP 0x4600u /* start-up; the vector is the page number */

#define EFER_LME (1u << 8)
#define EFER_NXE (1u << 11)
#define CR4_PAE (1u << 5)
#define CR4_OSFXSR (1u << 9)
#define CR4_OSXMMEXCPT (1u << 10)
#define CR4_LA57 (1ull << 12)

/* The boot block at TB_OFFSET in the trampoline page (trampoline.h). */
struct tramp_block {
	uint64_t gdt[3];
	uint16_t pad0[3];
	uint16_t gdt_limit;
	uint32_t gdt_base;
	uint32_t jump_offset;
	uint16_t jump_sel;
	uint16_t pad1;
	uint32_t cr3_32;
	uint32_t cr0;
	uint32_t cr4;
	uint32_t efer;
	uint32_t hwid;
	uint64_t cr3;
	uint64_t stack;
	uint64_t entry;
	uint64_t cpu;
	uint32_t started;
	uint32_t left;
};

_Static_assert(offsetof(struct tramp_block, gdt) == TB_GDT, "boot block layout");
_Static_assert(offsetof(struct tramp_block, gdt_limit) == TB_GDTR, "boot block layout");
_Static_assert(offsetof(struct tramp_block, jump_offset) == TB_JUMP, "boot block layout");
_Static_assert(offsetof(struct tramp_block, cr3_32) == TB_CR3_32, "boot block layout");
_Static_assert(offsetof(struct tramp_block, cr0) == TB_CR0, "boot block layout");
_Static_assert(offsetof(struct tramp_block, cr4) == TB_CR4, "boot block layout");
_Static_assert(offsetof(struct tramp_block, efer) == TB_EFER, "boot block layout");
_Static_assert(offsetof(struct tramp_block, hwid) == TB_HWID, "boot block layout");
_Static_assert(offsetof(struct tramp_block, cr3) == TB_CR3, "boot block layout");
_Static_assert(offsetof(struct tramp_block, stack) == TB_STACK, "boot block layout");
_Static_assert(offsetof(struct tramp_block, entry) == TB_ENTRY, "boot block layout");
_Static_assert(offsetof(struct tramp_block, cpu) == TB_CPU, "boot block layout");
_Static_assert(offsetof(struct tramp_block, started) == TB_STARTED, "boot block layout");
_Static_assert(offsetof(struct tramp_block, left) == TB_LEFT, "boot block layout");
_Static_assert(sizeof(struct tramp_block) == TB_SIZE, "boot block layout");
_Static_assert(TB_OFFSET + TB_SIZE <= 4096, "boot block outside the page");

extern const char x86_tramp_start[], x86_tramp_long[], x86_tramp_end[];

/* How long a started CPU may take to leave the page before the next one
 * gets it anyway (a latecomer then parks: its APIC id does not match). */
#define TRAMP_LEAVE_MS 5000

static uint64_t tramp_page; /* physical = virtual: identity mapped */
static bool tramp_copied;
static bool tramp_in_use;   /* a CPU was started and has not been seen to leave */
static uint64_t tramp_sent; /* ref_now() of that CPU's last start-up IPI */

/* GS points at the CPU's slot here: `mov %gs:0` reads its index. */
static unsigned cpu_index_slot[MAX_CPUS];

uint64_t arch_cpu_hwid(void)
{
	/* Leaf 0xB gives the full x2APIC id; leaf 1 the 8-bit xAPIC id. */
	if (cpuid(0, 0).eax >= 0xb && cpuid(0xb, 0).ebx)
		return cpuid(0xb, 0).edx;
	return cpuid(1, 0).ebx >> 24;
}

void arch_set_cpu_index(unsigned cpu)
{
	cpu_index_slot[cpu] = cpu;
	wrmsr(MSR_GS_BASE, (uint64_t)(uintptr_t)&cpu_index_slot[cpu]);
}

unsigned arch_cpu_index(void)
{
	unsigned v;

	__asm__ volatile("movl %%gs:0, %0" : "=r"(v));
	return v;
}

void x86_smp_set_trampoline(uint64_t page)
{
	tramp_page = page;
}

static bool xen_vcpus(void)
{
	return the_platform.mode == MODE_XEN && xen_init();
}

const char *arch_cpu_method_name(const struct fw_info *fw, const struct fw_cpu *c)
{
	(void)fw, (void)c;
	return xen_vcpus() ? "xen-vcpu-op" : "sipi";
}

static uint64_t us_to_ref(uint64_t us)
{
	/* Not calibrated (should not happen): assume a fast clock, waits
	 * are then long rather than short. */
	uint64_t hz = the_platform.ref_hz ? the_platform.ref_hz : 4000000000ull;

	return hz / 1000000 * us;
}

/* Wait for *flag to become nonzero, at most us microseconds after t0. */
static bool wait_flag(const volatile uint32_t *flag, uint64_t t0, uint64_t us)
{
	uint64_t limit = us_to_ref(us);

	while (!__atomic_load_n(flag, __ATOMIC_ACQUIRE)) {
		if (ref_now() - t0 > limit)
			return false;
		arch_cpu_relax();
	}
	return true;
}

static void delay_us(uint64_t us)
{
	static const uint32_t never;

	wait_flag(&never, ref_now(), us);
}

/*
 * A minimal interrupt command register write, enough for INIT and
 * start-up IPIs, until the local APIC driver owns the APIC: x2APIC by MSR
 * when the firmware left it in that mode, else xAPIC by MMIO.
 */
static bool send_ipi(uint32_t apic_id, uint32_t icr, char *why, size_t why_len)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);

	if (!(base & APIC_BASE_ENABLE)) {
		base = (base & ~APIC_BASE_X2APIC) | APIC_BASE_ENABLE;
		wrmsr(MSR_APIC_BASE, base);
	}
	if (base & APIC_BASE_X2APIC) {
		wrmsr(MSR_X2APIC_ICR, (uint64_t)apic_id << 32 | icr);
		return true;
	}
	if (apic_id > 0xff) {
		snprintf(why, why_len, "APIC id %#x needs x2APIC mode, the APIC is in xAPIC mode",
			 (unsigned)apic_id);
		return false;
	}
	volatile uint32_t *apic =
		(volatile uint32_t *)(uintptr_t)(base & ~0xfffull & ((1ull << 52) - 1));
	apic[XAPIC_ICR_HI / 4] = apic_id << 24;
	apic[XAPIC_ICR_LO / 4] = icr;
	uint64_t t0 = ref_now();
	while (apic[XAPIC_ICR_LO / 4] & ICR_PENDING) {
		if (ref_now() - t0 > us_to_ref(10000)) {
			snprintf(why, why_len,
				 "the local APIC did not deliver the IPI within 10 ms");
			return false;
		}
		arch_cpu_relax();
	}
	return true;
}

_Noreturn void x86_secondary_entry(unsigned cpu);

/* First C on a secondary, on its own stack with the boot CPU's CR3. */
_Noreturn void x86_secondary_entry(unsigned cpu)
{
	x86_cpu_load_tables();
	/* As arch_early_init: SSE for compiled code (CR0.MP on, EM off). */
	write_cr0((read_cr0() & ~(1ull << 2)) | (1ull << 1));
	write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
	arch_set_cpu_index(cpu);
	smp_secondary_main(cpu);
}

/* The page below 1 MiB armed for one CPU; false (why set) if it cannot be. */
static bool tramp_arm(const struct fw_cpu *c, unsigned cpu, void *stack_top, char *why,
		      size_t why_len)
{
	size_t code = (size_t)(x86_tramp_end - x86_tramp_start);
	uint64_t cr3 = read_cr3();

	if (!tramp_page) {
		snprintf(why, why_len, "no page below 1 MiB for the start-up trampoline");
		return false;
	}
	if (cr3 >> 32 || (read_cr4() & CR4_LA57)) {
		snprintf(why, why_len, "page tables at %#llx%s: the trampoline cannot load them",
			 (unsigned long long)cr3,
			 (read_cr4() & CR4_LA57) ? " use 5 levels" : " lie above 4 GiB");
		return false;
	}
	if (code > TB_OFFSET) {
		snprintf(why, why_len, "trampoline code (%zu bytes) overlaps its boot block", code);
		return false;
	}
	/* The previous CPU must be off the page before its block changes. */
	if (tramp_in_use) {
		struct tramp_block *prev = (void *)(uintptr_t)(tramp_page + TB_OFFSET);
		wait_flag(&prev->left, tramp_sent, TRAMP_LEAVE_MS * 1000);
	}
	tramp_in_use = false;

	char *page = (char *)(uintptr_t)tramp_page;
	struct tramp_block *b = (void *)(page + TB_OFFSET);
	/* The code once: a latecomer may be parked in it. */
	if (!tramp_copied) {
		memset(page, 0, 4096);
		memcpy(page, x86_tramp_start, code);
		tramp_copied = true;
	}
	*b = (struct tramp_block){
		/* Null, 64-bit code, data: the kernel's own selectors. */
		.gdt = { 0, 0x00af9a000000ffffull, 0x00cf92000000ffffull },
		.gdt_limit = sizeof(b->gdt) - 1,
		.gdt_base = (uint32_t)(tramp_page + TB_OFFSET + TB_GDT),
		.jump_offset = (uint32_t)(tramp_page + (size_t)(x86_tramp_long - x86_tramp_start)),
		.jump_sel = TB_SEL_CODE,
		.cr3_32 = (uint32_t)cr3,
		.cr0 = (uint32_t)read_cr0(),
		.cr4 = CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT,
		.efer = EFER_LME | ((uint32_t)rdmsr(MSR_EFER) & EFER_NXE),
		.hwid = (uint32_t)c->hwid,
		.cr3 = cr3,
		.stack = (uint64_t)(uintptr_t)stack_top,
		.entry = (uint64_t)(uintptr_t)x86_secondary_entry,
		.cpu = cpu,
	};
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return true;
}

static bool start_sipi(const struct fw_cpu *c, unsigned cpu, void *stack_top, char *why,
		       size_t why_len)
{
	if (!tramp_arm(c, cpu, stack_top, why, why_len))
		return false;
	struct tramp_block *b = (void *)(uintptr_t)(tramp_page + TB_OFFSET);
	uint32_t id = (uint32_t)c->hwid, vector = (uint32_t)(tramp_page >> 12);

	/* INIT, 10 ms, start-up; a second start-up only if the first was lost. */
	if (!send_ipi(id, ICR_INIT, why, why_len))
		return false;
	delay_us(10000);
	tramp_in_use = true;
	tramp_sent = ref_now();
	if (!send_ipi(id, ICR_STARTUP | vector, why, why_len))
		return false;
	if (!wait_flag(&b->started, tramp_sent, 200)) {
		tramp_sent = ref_now();
		if (!send_ipi(id, ICR_STARTUP | vector, why, why_len))
			return false;
	}
	return true;
}

/*
 * A Xen HVM/PVH vCPU started in long mode by VCPUOP_initialise straight at
 * x86_secondary_entry(cpu): no real mode, no trampoline. Xen's vCPU ids
 * follow the MADT it builds, so the entry's position in the table is the id.
 */
static bool start_xen(const struct fw_info *fw, const struct fw_cpu *c, unsigned cpu,
		      void *stack_top, char *why, size_t why_len)
{
	unsigned vcpu = (unsigned)(c - fw->cpu);
	struct vcpu_hvm_context ctx = {
		.mode = VCPU_HVM_MODE_64B,
		.cpu_regs.x86_64 = {
			/* As after a call: the return address slot below the top. */
			.rsp = (uint64_t)(uintptr_t)stack_top - 8,
			.rdi = cpu,
			.rip = (uint64_t)(uintptr_t)x86_secondary_entry,
			.rflags = 0x2,
			.cr0 = read_cr0(),
			.cr3 = read_cr3(),
			.cr4 = read_cr4(),
			.efer = rdmsr(MSR_EFER),
		},
	};
	long rc = arch_xen_hypercall(XEN_HC_VCPU_OP, VCPUOP_INITIALISE, vcpu,
				     (unsigned long)(uintptr_t)&ctx);

	if (rc) {
		snprintf(why, why_len, "VCPUOP_initialise for vCPU %u failed: %ld", vcpu, rc);
		return false;
	}
	rc = arch_xen_hypercall(XEN_HC_VCPU_OP, VCPUOP_UP, vcpu, 0);
	if (rc) {
		snprintf(why, why_len, "VCPUOP_up for vCPU %u failed: %ld", vcpu, rc);
		return false;
	}
	return true;
}

bool arch_cpu_on(const struct fw_info *fw, const struct fw_cpu *c, unsigned cpu, void *stack_top,
		 char *why, size_t why_len)
{
	if (xen_vcpus())
		return start_xen(fw, c, cpu, stack_top, why, why_len);
	if (c->method != CPU_METHOD_SIPI) {
		snprintf(why, why_len, "start method %d is not one x86 has", (int)c->method);
		return false;
	}
	return start_sipi(c, cpu, stack_top, why, why_len);
}
