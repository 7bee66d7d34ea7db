/*
 * The null hypercall on arm64. KVM: HVC #0 with SMCCC_VERSION, which KVM
 * answers in its exit handler with no further work. Xen: xen_version
 * (XENVER_version) through HVC #0xEA1 with the call number in x16.
 */
#include <stdio.h>

#include <arch/smccc.h>
#include <arch/sysreg.h>
#include <vmb/arch.h>
#include <vmb/fault.h>
#include <vmb/platform.h>

#define XEN_HVC_IMM "0xEA1"
#define XEN_HC_XEN_VERSION 17
#define XENVER_VERSION 0

static enum { HC_NONE, HC_SMCCC, HC_XEN } hc_kind;

static long xen_version(void)
{
	register uint64_t x0 __asm__("x0") = XENVER_VERSION;
	register uint64_t x1 __asm__("x1") = 0;
	register uint64_t x16 __asm__("x16") = XEN_HC_XEN_VERSION;

	__asm__ volatile("hvc #" XEN_HVC_IMM : "+r"(x0), "+r"(x1), "+r"(x16)::"memory");
	return (long)x0;
}

static struct smccc_res probe;
static long xen_ver;

static void probe_smccc(void *arg)
{
	(void)arg;
	probe = smccc_hvc(SMCCC_VERSION, 0, 0, 0);
}

static void probe_xen(void *arg)
{
	(void)arg;
	xen_ver = xen_version();
}

bool arch_hypercall_setup(const struct platform *p, char *call, size_t call_len, char *why,
			  size_t why_len)
{
	switch (p->mode) {
	case MODE_KVM:
		if (vmb_try(probe_smccc, NULL)) {
			snprintf(why, why_len, "hvc SMCCC_VERSION faulted: %s", vmb_fault_text());
			return false;
		}
		hc_kind = HC_SMCCC;
		snprintf(call, call_len, "hvc #0 SMCCC_VERSION = %#llx",
			 (unsigned long long)probe.a0);
		return true;
	case MODE_XEN:
		if (vmb_try(probe_xen, NULL)) {
			snprintf(why, why_len, "hvc #0xEA1 xen_version faulted: %s",
				 vmb_fault_text());
			return false;
		}
		hc_kind = HC_XEN;
		snprintf(call, call_len, "hvc #0xEA1 xen_version(XENVER_version) = %#lx",
			 (unsigned long)xen_ver);
		return true;
	case MODE_NATIVE:
		if (p->el == 2)
			snprintf(why, why_len,
				 "native at EL2: no hypervisor below (the EL1->EL2 round trip "
				 "through vmbench's own EL2 is a separate benchmark)");
		else
			snprintf(why, why_len, "no hypervisor detected (mode native, EL1)");
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
	case HC_SMCCC:
		smccc_hvc(SMCCC_VERSION, 0, 0, 0);
		break;
	case HC_XEN:
		xen_version();
		break;
	case HC_NONE:
		break;
	}
}
