/*
 * The null hypercall on x86_64. KVM: VMCALL (Intel) or VMMCALL (AMD)
 * with a hypercall number KVM does not implement, which it answers with
 * -KVM_ENOSYS after the two world switches and no work. Xen: xen_version
 * through the hypercall page Xen fills in when we name it by MSR.
 * Natively with SVM or VMX free: VMMCALL or VMCALL from the image's own
 * guest to its own run loop, which answers at once (arch/x86_hv.h).
 */
#include <stdio.h>

#include <arch/counter.h>
#include <arch/x86_hv.h>
#include <arch/x86.h>
#include <arch/xen.h>
#include <vmb/xen.h>
#include <vmb/arch.h>
#include <vmb/platform.h>

#define KVM_HC_UNUSED 0x1000ul /* no such KVM hypercall */
#define KVM_ENOSYS 1000

extern bool x86_is_amd;

static enum { HC_NONE, HC_VMCALL, HC_VMMCALL, HC_XEN, HC_OWN } hc_kind;

static long kvm_vmcall(unsigned long nr)
{
	long ret;

	__asm__ volatile("vmcall" : "=a"(ret) : "a"(nr) : "memory");
	return ret;
}

static long kvm_vmmcall(unsigned long nr)
{
	long ret;

	__asm__ volatile("vmmcall" : "=a"(ret) : "a"(nr) : "memory");
	return ret;
}

static long xen_version(void)
{
	return xen_hypercall3(XEN_HC_XEN_VERSION, XENVER_VERSION, 0, 0);
}

bool arch_hypercall_setup(const struct platform *p, char *call, size_t call_len, char *why,
			  size_t why_len)
{
	switch (p->mode) {
	case MODE_KVM: {
		hc_kind = x86_is_amd ? HC_VMMCALL : HC_VMCALL;
		long ret = hc_kind == HC_VMMCALL ? kvm_vmmcall(KVM_HC_UNUSED)
						 : kvm_vmcall(KVM_HC_UNUSED);
		if (ret != -KVM_ENOSYS) {
			snprintf(why, why_len, "KVM answered nr %#lx with %ld, not -KVM_ENOSYS",
				 KVM_HC_UNUSED, ret);
			return false;
		}
		snprintf(call, call_len, "%s nr=%#lx (-KVM_ENOSYS)",
			 hc_kind == HC_VMMCALL ? "vmmcall" : "vmcall", KVM_HC_UNUSED);
		return true;
	}
	case MODE_XEN:
		if (!xen_init()) {
			snprintf(why, why_len, "Xen hypercall page could not be installed");
			return false;
		}
		hc_kind = HC_XEN;
		snprintf(call, call_len, "xen_version(XENVER_version) = %#lx",
			 (unsigned long)xen_version());
		return true;
	case MODE_NATIVE: {
		char hv_why[200];
		if (!x86_hv_setup(hv_why, sizeof(hv_why))) {
			snprintf(
				why, why_len,
				"no hypervisor detected (mode native), and no guest of the image's "
				"own: %s",
				hv_why);
			return false;
		}
		hc_kind = HC_OWN;
		snprintf(call, call_len,
			 "%s from the image's %s guest (own paging, tagged TLB) to "
			 "its run loop",
			 x86_hv_kind == HV_SVM ? "vmmcall" : "vmcall", x86_hv_name());
		return true;
	}
	default:
		snprintf(why, why_len, "hypervisor '%s' has no known null hypercall",
			 p->hypervisor);
		return false;
	}
}

void arch_hypercall(void)
{
	switch (hc_kind) {
	case HC_VMCALL:
		kvm_vmcall(KVM_HC_UNUSED);
		break;
	case HC_VMMCALL:
		kvm_vmmcall(KVM_HC_UNUSED);
		break;
	case HC_XEN:
		xen_version();
		break;
	case HC_NONE:
	case HC_OWN: /* only from the guest: arch_hypercall_batch */
		break;
	}
}

bool arch_hypercall_batched(void)
{
	return hc_kind == HC_OWN;
}

/* In the guest: the harness's own bracket around the batch, one loop per
 * instruction so that the loop holds nothing but the request. */
static uint64_t guest_vmmcall_batch(uint64_t batch)
{
	uint64_t t0 = counter_start();

	for (uint64_t i = 0; i < batch; i++)
		__asm__ volatile("vmmcall" ::"a"((uint64_t)HV_CALL_NULL) : "memory");
	return counter_stop() - t0;
}

static uint64_t guest_vmcall_batch(uint64_t batch)
{
	uint64_t t0 = counter_start();

	for (uint64_t i = 0; i < batch; i++)
		__asm__ volatile("vmcall" ::"a"((uint64_t)HV_CALL_NULL) : "memory");
	return counter_stop() - t0;
}

uint64_t arch_hypercall_batch(uint32_t batch, char *why, size_t why_len)
{
	uint64_t ticks;

	if (!x86_hv_call(x86_hv_kind == HV_SVM ? guest_vmmcall_batch : guest_vmcall_batch, batch,
			 &ticks, why, why_len))
		return UINT64_MAX;
	return ticks;
}

static uint64_t guest_undef(uint64_t arg)
{
	(void)arg;
	__asm__ volatile("ud2" ::: "memory");
	return 0;
}

bool arch_guest_fault(char *why, size_t why_len)
{
	uint64_t r;

	if (!x86_hv_setup(why, why_len))
		return false;
	if (x86_hv_call(guest_undef, 0, &r, why, why_len))
		snprintf(why, why_len, "the guest's undefined instruction did not fault");
	return false;
}
