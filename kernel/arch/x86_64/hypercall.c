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
#include <vmb/hypercall.h>

#define KVM_HC_UNUSED 0x1000ul /* no such KVM hypercall */
#define KVM_ENOSYS 1000

extern bool x86_is_amd;

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

static bool kvm_setup(char *call, size_t call_len, char *why, size_t why_len)
{
	long ret = x86_is_amd ? kvm_vmmcall(KVM_HC_UNUSED) : kvm_vmcall(KVM_HC_UNUSED);

	if (ret != -KVM_ENOSYS) {
		snprintf(why, why_len, "KVM answered nr %#lx with %ld, not -KVM_ENOSYS",
			 KVM_HC_UNUSED, ret);
		return false;
	}
	snprintf(call, call_len, "%s nr=%#lx (-KVM_ENOSYS)", x86_is_amd ? "vmmcall" : "vmcall",
		 KVM_HC_UNUSED);
	return true;
}

/* AMD's or Intel's instruction: each CPU refuses the other's. */
static void kvm_call(void)
{
	if (x86_is_amd)
		kvm_vmmcall(KVM_HC_UNUSED);
	else
		kvm_vmcall(KVM_HC_UNUSED);
}

const struct hypercall_ops hypercall_kvm = { .setup = kvm_setup, .call = kvm_call };

static bool xen_setup(char *call, size_t call_len, char *why, size_t why_len)
{
	if (!xen_init()) {
		snprintf(why, why_len, "Xen hypercall page could not be installed");
		return false;
	}
	snprintf(call, call_len, "xen_version(XENVER_version) = %#lx",
		 (unsigned long)xen_version());
	return true;
}

static void xen_call(void)
{
	xen_version();
}

const struct hypercall_ops hypercall_xen = { .setup = xen_setup, .call = xen_call };

static bool own_setup(char *call, size_t call_len, char *why, size_t why_len)
{
	char hv_why[200];

	if (!arch_guest_setup(hv_why, sizeof(hv_why))) {
		snprintf(why, why_len,
			 "no hypervisor detected (mode native), and no guest of the image's "
			 "own: %s",
			 hv_why);
		return false;
	}
	snprintf(call, call_len,
		 "%s from the image's %s guest (own paging, tagged TLB) to "
		 "its run loop",
		 x86_hv_kind == HV_SVM ? "vmmcall" : "vmcall", x86_hv_name());
	return true;
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

static uint64_t own_batch(uint32_t batch, char *why, size_t why_len)
{
	uint64_t ticks;

	if (!arch_guest_call(x86_hv_kind == HV_SVM ? guest_vmmcall_batch : guest_vmcall_batch,
			     batch, &ticks, why, why_len))
		return UINT64_MAX;
	return ticks;
}

const struct hypercall_ops hypercall_own = { .setup = own_setup, .batch = own_batch };

uint64_t arch_guest_undef(uint64_t arg)
{
	(void)arg;
	__asm__ volatile("ud2" ::: "memory");
	return 0;
}
