/*
 * The image's own hypervisor on AMD SVM (arch/svm.h), natively with SVM
 * free: two guests, each a VMCB with its own ASID and nested page tables
 * (a copy of the image's identity map), running the image's own code in
 * 64-bit mode at CPL 0 with the host's control registers and descriptor
 * tables. Every exception, interrupt, NMI, HLT and shutdown of a guest
 * exits, as does CPUID; the run loop (svm_entry.S) answers VMMCALL and
 * CPUID itself and ends on anything else.
 */
#include <stdio.h>
#include <string.h>

#include <arch/svm.h>
#include <arch/x86.h>
#include <vmb/arch.h>
#include <vmb/mem.h>

#define EFER_SVME (1ull << 12)
#define MSR_VM_CR 0xc0010114
#define VM_CR_SVMDIS (1ull << 4)
#define MSR_VM_HSAVE_PA 0xc0010117
#define MSR_PAT 0x277
#define CPUID_SVM (1u << 2)    /* 0x80000001 ECX */
#define CPUID_SVM_NP (1u << 0) /* 0x8000000a EDX */
#define INTERCEPT_INTR (1u << 0)
#define INTERCEPT_NMI (1u << 1)
#define INTERCEPT_CPUID (1u << 18)
#define INTERCEPT_HLT (1u << 24)
#define INTERCEPT_SHUTDOWN (1u << 31)
#define INTERCEPT_VMRUN (1u << 0)
#define INTERCEPT_VMMCALL (1u << 1)
#define V_INTR_MASKING (1u << 24)
#define ATTR_CODE64 0x29b /* P, S, execute/read accessed, L */
#define ATTR_DATA 0xc93	  /* G, D/B, P, S, read/write accessed */
#define IOPM_PAGES 3
#define MSRPM_PAGES 2

void svm_run(struct svm_vcpu *first, struct svm_exit *exit);
void svm_guest_entry(void);
extern struct svm_vcpu *svm_current;

_Static_assert(offsetof(struct svm_vcpu, vmcb_pa) == SVM_VCPU_VMCB, "svm.h layout");
_Static_assert(offsetof(struct svm_vcpu, next) == SVM_VCPU_NEXT, "svm.h layout");

enum { FIRST, SECOND, GUESTS };
static uint8_t *vmcb[GUESTS];
static struct svm_vcpu vcpu[GUESTS];
static uint8_t *stack_top[GUESTS];
static void (*second_entry)(void);
static bool ready;

#define VMCB64(v, off) (*(uint64_t *)((v) + (off)))
#define VMCB32(v, off) (*(uint32_t *)((v) + (off)))

struct desc_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

static void set_seg(uint8_t *v, unsigned off, uint16_t sel, uint16_t attr, uint32_t limit)
{
	*(uint16_t *)(v + off) = sel;
	*(uint16_t *)(v + off + 2) = attr;
	*(uint32_t *)(v + off + 4) = limit;
	*(uint64_t *)(v + off + 8) = 0;
}

/* A guest as the host is: 64-bit mode, CPL 0, interrupts masked, the
 * host's CR0, CR3, CR4, EFER, GDT, IDT and PAT. */
static bool vmcb_init(uint8_t *v, uint32_t asid, uint64_t iopm, uint64_t msrpm, char *why,
		      size_t why_len)
{
	uint64_t ncr3 = x86_nested_identity_map(NESTED_NPT);
	struct desc_ptr gdtr, idtr;
	uint16_t cs, ds, ss, es;

	if (!ncr3) {
		snprintf(why, why_len, "no memory for nested page tables");
		return false;
	}
	memset(v, 0, 4096);
	VMCB32(v, VMCB_INTERCEPT_EXC) = 0xffffffff;
	VMCB32(v, VMCB_INTERCEPT_MISC1) = INTERCEPT_INTR | INTERCEPT_NMI | INTERCEPT_CPUID |
					  INTERCEPT_HLT | INTERCEPT_SHUTDOWN;
	VMCB32(v, VMCB_INTERCEPT_MISC2) = INTERCEPT_VMRUN | INTERCEPT_VMMCALL;
	VMCB64(v, VMCB_IOPM) = iopm;
	VMCB64(v, VMCB_MSRPM) = msrpm;
	VMCB32(v, VMCB_ASID) = asid;
	VMCB32(v, VMCB_INT_CTL) = V_INTR_MASKING;
	VMCB64(v, VMCB_NP_CTL) = 1;
	VMCB64(v, VMCB_NCR3) = ncr3;

	__asm__ volatile("sgdt %0; sidt %1" : "=m"(gdtr), "=m"(idtr));
	__asm__ volatile("mov %%cs, %0; mov %%ds, %1; mov %%ss, %2; mov %%es, %3"
			 : "=r"(cs), "=r"(ds), "=r"(ss), "=r"(es));
	set_seg(v, VMCB_CS, cs, ATTR_CODE64, 0xffffffff);
	set_seg(v, VMCB_DS, ds, ATTR_DATA, 0xffffffff);
	set_seg(v, VMCB_SS, ss, ATTR_DATA, 0xffffffff);
	set_seg(v, VMCB_ES, es, ATTR_DATA, 0xffffffff);
	VMCB32(v, VMCB_GDTR + 4) = gdtr.limit;
	VMCB64(v, VMCB_GDTR + 8) = gdtr.base;
	VMCB32(v, VMCB_IDTR + 4) = idtr.limit;
	VMCB64(v, VMCB_IDTR + 8) = idtr.base;
	set_seg(v, VMCB_TR, 0, 0x8b, 0xffff);
	v[VMCB_CPL] = 0;
	VMCB64(v, VMCB_EFER) = rdmsr(MSR_EFER);
	VMCB64(v, VMCB_CR0) = read_cr0();
	VMCB64(v, VMCB_CR3) = read_cr3();
	VMCB64(v, VMCB_CR4) = read_cr4();
	VMCB64(v, VMCB_DR6) = 0xffff0ff0;
	VMCB64(v, VMCB_DR7) = 0x400;
	VMCB64(v, VMCB_RFLAGS) = 0x2;
	VMCB64(v, VMCB_GPAT) = rdmsr(MSR_PAT);
	/* FS, GS (the CPU index), TR, LDTR and the syscall MSRs as the
	 * host has them, for VMLOAD on a switch. */
	__asm__ volatile("vmsave %%rax" ::"a"((uint64_t)(uintptr_t)v) : "memory");
	return true;
}

static _Noreturn void second_guest_idle(void)
{
	for (;;)
		__asm__ volatile("vmmcall" ::"a"((uint64_t)HV_CALL_SWITCH) : "memory");
}

bool svm_setup(char *why, size_t why_len)
{
	if (ready)
		return true;
	if (cpuid(0x80000000, 0).eax < 0x8000000a || !(cpuid(0x80000001, 0).ecx & CPUID_SVM)) {
		snprintf(why, why_len, "no SVM (CPUID 0x80000001 ECX bit 2)");
		return false;
	}
	if (rdmsr(MSR_VM_CR) & VM_CR_SVMDIS) {
		snprintf(why, why_len, "SVM is disabled by firmware (VM_CR.SVMDIS)");
		return false;
	}
	if (!(cpuid(0x8000000a, 0).edx & CPUID_SVM_NP)) {
		snprintf(why, why_len, "SVM without nested paging (CPUID 0x8000000a EDX bit 0)");
		return false;
	}
	uint8_t *hsave = mem_alloc_pages(1), *iopm = mem_alloc_pages(IOPM_PAGES),
		*msrpm = mem_alloc_pages(MSRPM_PAGES);
	for (unsigned g = 0; g < GUESTS; g++) {
		uint8_t *stack = mem_alloc_pages(GUEST_STACK_PAGES);
		vmcb[g] = mem_alloc_pages(1);
		stack_top[g] = stack ? stack + GUEST_STACK_PAGES * 4096 : NULL;
		if (!vmcb[g] || !stack)
			hsave = NULL;
	}
	if (!hsave || !iopm || !msrpm) {
		snprintf(why, why_len, "no memory for the VMCBs, host save area and bitmaps");
		return false;
	}
	/* Nothing is intercepted by port or MSR: the bitmaps are zero. */
	memset(iopm, 0, IOPM_PAGES * 4096);
	memset(msrpm, 0, MSRPM_PAGES * 4096);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME);
	wrmsr(MSR_VM_HSAVE_PA, (uint64_t)(uintptr_t)hsave);
	for (unsigned g = 0; g < GUESTS; g++) {
		if (!vmcb_init(vmcb[g], g + 1, (uintptr_t)iopm, (uintptr_t)msrpm, why, why_len))
			return false;
		vcpu[g].vmcb_pa = (uint64_t)(uintptr_t)vmcb[g];
		vcpu[g].next = &vcpu[!g];
	}
	ready = true;
	svm_second_entry(second_guest_idle);
	return true;
}

/* Where each guest starts: the first at svm_guest_entry with fn and arg in
 * RSI and RDI, the second at its entry, each on its own stack (entered
 * as by a call: RSP 8 below 16-byte alignment). */
static void start(uint64_t (*fn)(uint64_t), uint64_t arg)
{
	memset(vcpu[FIRST].gpr, 0, sizeof(vcpu[FIRST].gpr));
	vcpu[FIRST].gpr[HV_GPR_RSI] = (uintptr_t)fn;
	vcpu[FIRST].gpr[HV_GPR_RDI] = arg;
	VMCB64(vmcb[FIRST], VMCB_RIP) = (uintptr_t)svm_guest_entry;
	VMCB64(vmcb[FIRST], VMCB_RSP) = (uintptr_t)stack_top[FIRST] - 8;
	VMCB64(vmcb[FIRST], VMCB_RFLAGS) = 0x2;
}

static void restart_second(void)
{
	memset(vcpu[SECOND].gpr, 0, sizeof(vcpu[SECOND].gpr));
	VMCB64(vmcb[SECOND], VMCB_RIP) = (uintptr_t)second_entry;
	VMCB64(vmcb[SECOND], VMCB_RSP) = (uintptr_t)stack_top[SECOND] - 8;
	VMCB64(vmcb[SECOND], VMCB_RFLAGS) = 0x2;
}

/* What ended a guest, in words. */
static const struct hv_exit_name exit_names[] = {
	{ SVM_EXIT_SHUTDOWN, "shutdown (a triple fault)" },
	{ SVM_EXIT_HLT, "HLT" },
	{ SVM_EXIT_NPF, "a nested page fault" },
	{ SVM_EXIT_VMMCALL, "VMMCALL with an unknown request" },
	{ ~0ull, "VMEXIT_INVALID: VMRUN refused the guest state" },
};

static void exit_text(const struct svm_exit *e, char *buf, size_t len)
{
	if (e->code >= SVM_EXIT_EXCP_BASE && e->code < SVM_EXIT_EXCP_BASE + 32)
		snprintf(buf, len, "exception vector %llu",
			 (unsigned long long)(e->code - SVM_EXIT_EXCP_BASE));
	else
		snprintf(buf, len, "%s",
			 x86_hv_exit_name(exit_names, sizeof(exit_names) / sizeof(exit_names[0]),
					  e->code));
}

bool svm_guest_call(uint64_t (*fn)(uint64_t), uint64_t arg, uint64_t *result, char *why,
		    size_t why_len)
{
	struct svm_exit e = { 0 };
	char what[64];

	start(fn, arg);
	svm_run(&vcpu[FIRST], &e);
	if (e.fault) {
		exit_text(&e, what, sizeof(what));
		/* A second guest that faulted starts over next time; one left
		 * mid-loop goes on from its VMMCALL. */
		unsigned which = svm_current == &vcpu[FIRST] ? 1 : 2;
		if (which == 2)
			svm_second_entry(second_guest_idle);
		snprintf(why, why_len,
			 "the image's SVM guest %u exited with code %#llx, %s: EXITINFO1 %#llx, "
			 "RIP %#llx",
			 which, (unsigned long long)e.code, what, (unsigned long long)e.info1,
			 (unsigned long long)e.rip);
		return false;
	}
	*result = e.result;
	return true;
}

void svm_second_entry(void (*entry)(void))
{
	second_entry = entry;
	restart_second();
}
