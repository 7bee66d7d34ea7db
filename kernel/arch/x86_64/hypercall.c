/*
 * The null hypercall on x86_64. KVM: VMCALL (Intel) or VMMCALL (AMD)
 * with a hypercall number KVM does not implement, which it answers with
 * -KVM_ENOSYS after the two world switches and no work. Xen: xen_version
 * through the hypercall page Xen fills in when we name it by MSR.
 */
#include <stdio.h>

#include <arch/x86.h>
#include <arch/xen.h>
#include <vmb/arch.h>
#include <vmb/platform.h>

#define KVM_HC_UNUSED 0x1000ul /* no such KVM hypercall */
#define KVM_ENOSYS 1000
#define XENVER_VERSION 0

extern bool x86_is_amd;

static enum { HC_NONE, HC_VMCALL, HC_VMMCALL, HC_XEN } hc_kind;

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
	case MODE_NATIVE:
		snprintf(why, why_len, "no hypervisor detected (mode native)");
		return false;
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
		break;
	}
}
