/*
 * The image's own hypervisor on Intel VMX (arch/vmx.h), natively with VMX
 * free: two guests, each a VMCS with its own VPID (where the CPU has
 * VPIDs) and its own EPT (a copy of the image's identity map), running
 * the image's own code in 64-bit mode at CPL 0 with the host's control
 * registers and descriptor tables. Every exception, external interrupt,
 * NMI, HLT and CPUID of a guest exits; the run loop (vmx_entry.S)
 * answers VMCALL and CPUID itself and ends on anything else.
 */
#include <stdio.h>
#include <string.h>

#include <arch/vmx.h>
#include <arch/x86.h>
#include <vmb/arch.h>
#include <vmb/mem.h>

#define MSR_FEATURE_CONTROL 0x3a
#define FC_LOCK (1ull << 0)
#define FC_VMXON_OUTSIDE_SMX (1ull << 2)
#define MSR_SYSENTER_CS 0x174
#define MSR_SYSENTER_ESP 0x175
#define MSR_SYSENTER_EIP 0x176
#define MSR_VMX_BASIC 0x480
#define MSR_VMX_PINBASED 0x481
#define MSR_VMX_PROCBASED 0x482
#define MSR_VMX_EXIT 0x483
#define MSR_VMX_ENTRY 0x484
#define MSR_VMX_CR0_FIXED0 0x486
#define MSR_VMX_CR0_FIXED1 0x487
#define MSR_VMX_CR4_FIXED0 0x488
#define MSR_VMX_CR4_FIXED1 0x489
#define MSR_VMX_PROCBASED2 0x48b
#define MSR_VMX_EPT_VPID_CAP 0x48c
#define MSR_VMX_TRUE_PINBASED 0x48d
#define MSR_VMX_TRUE_PROCBASED 0x48e
#define MSR_VMX_TRUE_EXIT 0x48f
#define MSR_VMX_TRUE_ENTRY 0x490
#define MSR_FS_BASE 0xc0000100
#define BASIC_TRUE_CTLS (1ull << 55)
#define CR4_VMXE (1ull << 13)

#define PIN_EXTINT_EXITING (1u << 0)
#define PIN_NMI_EXITING (1u << 3)
#define PROC_HLT_EXITING (1u << 7)
#define PROC_SECONDARY (1u << 31)
#define PROC2_EPT (1u << 1)
#define PROC2_RDTSCP (1u << 3) /* else RDTSCP is #UD in the guest */
#define PROC2_VPID (1u << 5)
#define EXIT_HOST_64 (1u << 9)
#define ENTRY_IA32E_GUEST (1u << 9)
#define EPT_CAP_WALK4 (1ull << 6)
#define EPT_CAP_WB (1ull << 14)
#define EPTP_WB_WALK4 ((3ull << 3) | 6)

#define AR_CODE64 0xa09b    /* G, L, P, S, execute/read accessed */
#define AR_DATA 0xc093	    /* G, D/B, P, S, read/write accessed */
#define AR_TSS_BUSY 0x008b  /* P, busy 64-bit TSS */
#define AR_UNUSABLE 0x10000 /* a null selector */
#define TR_SELECTOR 0x18    /* nothing loads it: VM exit takes TR from the VMCS */

void vmx_run(struct vmx_vcpu *first, struct vmx_exit *exit);
void vmx_guest_entry(void);
extern struct vmx_vcpu *vmx_current;

_Static_assert(offsetof(struct vmx_vcpu, vmcs_pa) == VMX_VCPU_VMCS, "vmx.h layout");
_Static_assert(offsetof(struct vmx_vcpu, next) == VMX_VCPU_NEXT, "vmx.h layout");
_Static_assert(offsetof(struct vmx_vcpu, launched) == VMX_VCPU_LAUNCHED, "vmx.h layout");
_Static_assert(offsetof(struct vmx_exit, insn_error) == VMX_EXIT_INSN_ERROR, "vmx.h layout");

enum { FIRST, SECOND, GUESTS };
static struct vmx_vcpu vcpu[GUESTS];
static uint8_t *stack_top[GUESTS];
static void (*second_entry)(void);
static bool ready;
/* A TSS for the VMCS's TR fields: VM entry wants a usable one. */
static uint8_t tss[104] __attribute__((aligned(16)));

struct desc_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

/* VMX instructions report failure in CF or ZF. */
static bool vmwrite(uint64_t field, uint64_t value)
{
	uint8_t fail;

	__asm__ volatile("vmwrite %2, %1; setna %0" : "=q"(fail) : "r"(field), "rm"(value) : "cc");
	return !fail;
}

static uint64_t vmread(uint64_t field)
{
	uint64_t v = 0;

	__asm__ volatile("vmread %1, %0" : "=rm"(v) : "r"(field) : "cc");
	return v;
}

static bool vmxon_at(uint64_t pa)
{
	uint8_t fail;

	__asm__ volatile("vmxon %1; setna %0" : "=q"(fail) : "m"(pa) : "cc", "memory");
	return !fail;
}

static bool vmclear_at(uint64_t pa)
{
	uint8_t fail;

	__asm__ volatile("vmclear %1; setna %0" : "=q"(fail) : "m"(pa) : "cc", "memory");
	return !fail;
}

static bool vmptrld_at(uint64_t pa)
{
	uint8_t fail;

	__asm__ volatile("vmptrld %1; setna %0" : "=q"(fail) : "m"(pa) : "cc", "memory");
	return !fail;
}

/* A control's value as the CPU allows it: the bits it requires set, the
 * ones it cannot set dropped. */
static uint32_t adjust(uint32_t msr, uint32_t want)
{
	uint64_t allowed = rdmsr(msr);

	return (want | (uint32_t)allowed) & (uint32_t)(allowed >> 32);
}

static uint32_t want_missing(uint32_t msr, uint32_t want)
{
	return want & ~adjust(msr, want);
}

static bool ept_vpid(bool *vpid)
{
	uint64_t proc = rdmsr(MSR_VMX_PROCBASED), proc2 = rdmsr(MSR_VMX_PROCBASED2);

	*vpid = (proc >> 32 & PROC_SECONDARY) && (proc2 >> 32 & PROC2_VPID);
	return (proc >> 32 & PROC_SECONDARY) && (proc2 >> 32 & PROC2_EPT) &&
	       (rdmsr(MSR_VMX_EPT_VPID_CAP) & (EPT_CAP_WALK4 | EPT_CAP_WB)) ==
		       (EPT_CAP_WALK4 | EPT_CAP_WB);
}

/* A guest as the host is: 64-bit mode, CPL 0, interrupts masked, the
 * host's CR0, CR3, CR4, GDT, IDT, FS and GS bases (the CPU index). */
static bool vmcs_init(struct vmx_vcpu *v, uint16_t vpid, bool use_vpid, bool true_ctls, char *why,
		      size_t why_len)
{
	uint64_t eptp = x86_nested_identity_map(NESTED_EPT);
	struct desc_ptr gdtr, idtr;
	uint16_t cs, ds, ss, es;
	bool ok = true;

	if (!eptp) {
		snprintf(why, why_len, "no memory for EPT tables");
		return false;
	}
	if (!vmclear_at(v->vmcs_pa) || !vmptrld_at(v->vmcs_pa)) {
		snprintf(why, why_len, "VMCLEAR or VMPTRLD of a fresh VMCS failed");
		return false;
	}
	__asm__ volatile("sgdt %0; sidt %1" : "=m"(gdtr), "=m"(idtr));
	__asm__ volatile("mov %%cs, %0; mov %%ds, %1; mov %%ss, %2; mov %%es, %3"
			 : "=r"(cs), "=r"(ds), "=r"(ss), "=r"(es));
	uint32_t pin = adjust(true_ctls ? MSR_VMX_TRUE_PINBASED : MSR_VMX_PINBASED,
			      PIN_EXTINT_EXITING | PIN_NMI_EXITING);
	uint32_t proc = adjust(true_ctls ? MSR_VMX_TRUE_PROCBASED : MSR_VMX_PROCBASED,
			       PROC_HLT_EXITING | PROC_SECONDARY);
	uint32_t proc2 =
		adjust(MSR_VMX_PROCBASED2, PROC2_EPT | PROC2_RDTSCP | (use_vpid ? PROC2_VPID : 0));
	uint32_t exit = adjust(true_ctls ? MSR_VMX_TRUE_EXIT : MSR_VMX_EXIT, EXIT_HOST_64);
	uint32_t entry = adjust(true_ctls ? MSR_VMX_TRUE_ENTRY : MSR_VMX_ENTRY, ENTRY_IA32E_GUEST);

	ok &= vmwrite(VMCS_PIN_CTLS, pin);
	ok &= vmwrite(VMCS_PROC_CTLS, proc);
	ok &= vmwrite(VMCS_PROC_CTLS2, proc2);
	ok &= vmwrite(VMCS_EXIT_CTLS, exit);
	ok &= vmwrite(VMCS_ENTRY_CTLS, entry);
	ok &= vmwrite(VMCS_EXCEPTION_BITMAP, 0xffffffff);
	ok &= vmwrite(VMCS_CR3_TARGET_COUNT, 0);
	ok &= vmwrite(VMCS_EPT_POINTER, eptp | EPTP_WB_WALK4);
	if (use_vpid)
		ok &= vmwrite(VMCS_VPID, vpid);

	/* The host, as VM exit will load it. */
	ok &= vmwrite(VMCS_HOST_CR0, read_cr0());
	ok &= vmwrite(VMCS_HOST_CR3, read_cr3());
	ok &= vmwrite(VMCS_HOST_CR4, read_cr4());
	ok &= vmwrite(VMCS_HOST_ES_SEL, es);
	ok &= vmwrite(VMCS_HOST_ES_SEL + 2, cs);
	ok &= vmwrite(VMCS_HOST_ES_SEL + 4, ss);
	ok &= vmwrite(VMCS_HOST_ES_SEL + 6, ds);
	ok &= vmwrite(VMCS_HOST_ES_SEL + 8, 0);
	ok &= vmwrite(VMCS_HOST_ES_SEL + 10, 0);
	ok &= vmwrite(VMCS_HOST_ES_SEL + 12, TR_SELECTOR);
	ok &= vmwrite(VMCS_HOST_FS_BASE, rdmsr(MSR_FS_BASE));
	ok &= vmwrite(VMCS_HOST_GS_BASE, rdmsr(MSR_GS_BASE));
	ok &= vmwrite(VMCS_HOST_TR_BASE, (uintptr_t)tss);
	ok &= vmwrite(VMCS_HOST_GDTR_BASE, gdtr.base);
	ok &= vmwrite(VMCS_HOST_IDTR_BASE, idtr.base);
	ok &= vmwrite(VMCS_HOST_SYSENTER_CS, rdmsr(MSR_SYSENTER_CS));
	ok &= vmwrite(VMCS_HOST_SYSENTER_ESP, rdmsr(MSR_SYSENTER_ESP));
	ok &= vmwrite(VMCS_HOST_SYSENTER_EIP, rdmsr(MSR_SYSENTER_EIP));

	/* The guest: ES, CS, SS, DS usable; FS, GS, LDTR null; TR busy. */
	const uint16_t sel[8] = { es, cs, ss, ds, 0, 0, 0, TR_SELECTOR };
	const uint32_t ar[8] = { AR_DATA,     AR_CODE64,   AR_DATA,	AR_DATA,
				 AR_UNUSABLE, AR_UNUSABLE, AR_UNUSABLE, AR_TSS_BUSY };
	for (unsigned i = 0; i < 8; i++) {
		ok &= vmwrite(VMCS_GUEST_ES_SEL + 2 * i, sel[i]);
		ok &= vmwrite(VMCS_GUEST_ES_LIMIT + 2 * i, i == 7 ? sizeof(tss) - 1 : 0xffffffff);
		ok &= vmwrite(VMCS_GUEST_ES_AR + 2 * i, ar[i]);
		ok &= vmwrite(VMCS_GUEST_ES_BASE + 2 * i, 0);
	}
	ok &= vmwrite(VMCS_GUEST_ES_BASE + 2 * 4, rdmsr(MSR_FS_BASE));
	ok &= vmwrite(VMCS_GUEST_ES_BASE + 2 * 5, rdmsr(MSR_GS_BASE));
	ok &= vmwrite(VMCS_GUEST_ES_BASE + 2 * 7, (uintptr_t)tss);
	ok &= vmwrite(VMCS_GUEST_ES_LIMIT + 16, gdtr.limit);
	ok &= vmwrite(VMCS_GUEST_ES_LIMIT + 18, idtr.limit);
	ok &= vmwrite(VMCS_GUEST_ES_BASE + 16, gdtr.base);
	ok &= vmwrite(VMCS_GUEST_ES_BASE + 18, idtr.base);
	ok &= vmwrite(VMCS_GUEST_CR0, read_cr0());
	ok &= vmwrite(VMCS_GUEST_CR3, read_cr3());
	ok &= vmwrite(VMCS_GUEST_CR4, read_cr4());
	ok &= vmwrite(VMCS_GUEST_DR7, 0x400);
	ok &= vmwrite(VMCS_GUEST_RFLAGS, 0x2);
	ok &= vmwrite(VMCS_LINK_POINTER, ~0ull);
	ok &= vmwrite(VMCS_GUEST_DEBUGCTL, 0);
	ok &= vmwrite(VMCS_GUEST_INTERRUPTIBILITY, 0);
	ok &= vmwrite(VMCS_GUEST_ACTIVITY, 0);
	ok &= vmwrite(VMCS_GUEST_PENDING_DBG, 0);
	ok &= vmwrite(VMCS_GUEST_SYSENTER_CS, 0);
	ok &= vmwrite(VMCS_GUEST_SYSENTER_ESP, 0);
	ok &= vmwrite(VMCS_GUEST_SYSENTER_EIP, 0);
	if (!ok) {
		snprintf(why, why_len, "VMWRITE refused a field: VM-instruction error %llu",
			 (unsigned long long)vmread(VMCS_INSN_ERROR));
		return false;
	}
	return true;
}

bool vmx_setup(char *why, size_t why_len)
{
	bool vpid, true_ctls;

	if (ready)
		return true;
	uint64_t fc = rdmsr(MSR_FEATURE_CONTROL);
	if ((fc & FC_LOCK) && !(fc & FC_VMXON_OUTSIDE_SMX)) {
		snprintf(why, why_len, "VMX is disabled by firmware (IA32_FEATURE_CONTROL locked)");
		return false;
	}
	if (!(fc & FC_LOCK))
		wrmsr(MSR_FEATURE_CONTROL, fc | FC_LOCK | FC_VMXON_OUTSIDE_SMX);
	if (!ept_vpid(&vpid)) {
		snprintf(why, why_len, "VMX without EPT (4-level, write-back)");
		return false;
	}
	uint64_t basic = rdmsr(MSR_VMX_BASIC);
	true_ctls = basic & BASIC_TRUE_CTLS;
	uint32_t missing =
		want_missing(true_ctls ? MSR_VMX_TRUE_PINBASED : MSR_VMX_PINBASED,
			     PIN_EXTINT_EXITING | PIN_NMI_EXITING) |
		want_missing(true_ctls ? MSR_VMX_TRUE_ENTRY : MSR_VMX_ENTRY, ENTRY_IA32E_GUEST);
	if (missing) {
		snprintf(why, why_len, "VMX without interrupt/NMI exiting or 64-bit guests");
		return false;
	}
	uint8_t *vmxon = mem_alloc_pages(1);
	for (unsigned g = 0; g < GUESTS; g++) {
		uint8_t *vmcs = mem_alloc_pages(1), *stack = mem_alloc_pages(GUEST_STACK_PAGES);
		if (!vmcs || !stack)
			vmxon = NULL;
		else {
			memset(vmcs, 0, 4096);
			*(uint32_t *)vmcs = (uint32_t)basic & 0x7fffffff;
			vcpu[g].vmcs_pa = (uintptr_t)vmcs;
			vcpu[g].next = &vcpu[!g];
			stack_top[g] = stack + GUEST_STACK_PAGES * 4096;
		}
	}
	if (!vmxon) {
		snprintf(why, why_len, "no memory for the VMXON region and VMCSs");
		return false;
	}
	memset(vmxon, 0, 4096);
	*(uint32_t *)vmxon = (uint32_t)basic & 0x7fffffff;
	/* VMX operation wants these CR0 and CR4 bits as the CPU fixes them
	 * (CR0.NE, CR4.VMXE). */
	write_cr0((read_cr0() | rdmsr(MSR_VMX_CR0_FIXED0)) & rdmsr(MSR_VMX_CR0_FIXED1));
	write_cr4((read_cr4() | rdmsr(MSR_VMX_CR4_FIXED0) | CR4_VMXE) & rdmsr(MSR_VMX_CR4_FIXED1));
	if (!vmxon_at((uintptr_t)vmxon)) {
		snprintf(why, why_len, "VMXON failed (another VMM holds VMX?)");
		return false;
	}
	for (unsigned g = 0; g < GUESTS; g++)
		if (!vmcs_init(&vcpu[g], (uint16_t)(g + 1), vpid, true_ctls, why, why_len))
			return false;
	ready = true;
	vmx_second_entry(NULL);
	return true;
}

static _Noreturn void second_guest_idle(void)
{
	for (;;)
		__asm__ volatile("vmcall" ::"a"((uint64_t)HV_CALL_SWITCH) : "memory");
}

/* Guest RIP and RSP of the current VMCS; RSP 8 below 16-byte alignment,
 * as after a call. */
static void place(unsigned g, uint64_t rip)
{
	vmwrite(VMCS_GUEST_RIP, rip);
	vmwrite(VMCS_GUEST_RSP, (uintptr_t)stack_top[g] - 8);
	vmwrite(VMCS_GUEST_RFLAGS, 0x2);
}

void vmx_second_entry(void (*entry)(void))
{
	second_entry = entry ? entry : second_guest_idle;
	memset(vcpu[SECOND].gpr, 0, sizeof(vcpu[SECOND].gpr));
	vmptrld_at(vcpu[SECOND].vmcs_pa);
	place(SECOND, (uintptr_t)second_entry);
}

static const struct hv_exit_name exit_names[] = {
	{ VMX_EXIT_TRIPLE_FAULT, "a triple fault" },
	{ VMX_EXIT_HLT, "HLT" },
	{ VMX_EXIT_VMCALL, "VMCALL with an unknown request" },
	{ VMX_EXIT_INVALID_STATE, "VM entry failed: invalid guest state" },
	{ VMX_EXIT_EPT_VIOLATION, "an EPT violation" },
	{ VMX_EXIT_EPT_MISCONFIG, "an EPT misconfiguration" },
};

static void exit_text(const struct vmx_exit *e, char *buf, size_t len)
{
	unsigned basic = (unsigned)e->reason & 0xffff;

	if (e->fault == 2)
		snprintf(buf, len, "VM entry refused: VM-instruction error %llu",
			 (unsigned long long)e->insn_error);
	else if (basic == VMX_EXIT_EXCEPTION_NMI)
		snprintf(buf, len, "exception vector %llu",
			 (unsigned long long)(e->intr_info & 0xff));
	else
		snprintf(buf, len, "%s",
			 x86_hv_exit_name(exit_names, sizeof(exit_names) / sizeof(exit_names[0]),
					  basic));
}

bool vmx_guest_call(uint64_t (*fn)(uint64_t), uint64_t arg, uint64_t *result, char *why,
		    size_t why_len)
{
	struct vmx_exit e = { 0 };
	char what[80];

	memset(vcpu[FIRST].gpr, 0, sizeof(vcpu[FIRST].gpr));
	vcpu[FIRST].gpr[HV_GPR_RSI] = (uintptr_t)fn;
	vcpu[FIRST].gpr[HV_GPR_RDI] = arg;
	vmptrld_at(vcpu[FIRST].vmcs_pa);
	place(FIRST, (uintptr_t)vmx_guest_entry);
	vmx_run(&vcpu[FIRST], &e);
	if (e.fault) {
		exit_text(&e, what, sizeof(what));
		/* A second guest that faulted starts over next time. */
		unsigned which = vmx_current == &vcpu[FIRST] ? 1 : 2;
		if (which == 2)
			vmx_second_entry(NULL);
		snprintf(why, why_len,
			 "the image's VMX guest %u exited, reason %#llx, %s: qualification %#llx, "
			 "RIP %#llx",
			 which, (unsigned long long)e.reason, what,
			 (unsigned long long)e.qualification, (unsigned long long)e.rip);
		return false;
	}
	*result = e.result;
	return true;
}
