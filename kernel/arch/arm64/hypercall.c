/*
 * The null hypercall on arm64. KVM: HVC #0 with SMCCC_VERSION, which KVM
 * answers in its exit handler with no further work. Xen: xen_version
 * (XENVER_version) through HVC #0xEA1 with the call number in x16.
 * Natively at EL2: HVC from the image's own EL1 guest to an EL2 handler
 * that returns at once (arch/guest.h), the cheapest trap the CPU allows.
 */
#include <stdio.h>

#include <arch/counter.h>
#include <arch/guest.h>
#include <arch/smccc.h>
#include <arch/sysreg.h>
#include <vmb/arch.h>
#include <vmb/fault.h>
#include <vmb/platform.h>
#include <vmb/xen.h>

static enum { HC_NONE, HC_SMCCC, HC_XEN, HC_OWN_EL2 } hc_kind;

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
		if (p->el != 2) {
			snprintf(why, why_len, "no hypervisor detected (mode native, EL1)");
			return false;
		}
		char guest_why[160];
		if (!arm64_guest_setup(guest_why, sizeof(guest_why))) {
			snprintf(why, why_len, "native at EL2, but no guest of the image's own: %s",
				 guest_why);
			return false;
		}
		hc_kind = HC_OWN_EL2;
		snprintf(call, call_len,
			 "hvc #%u from the image's EL1 guest (stage 2 on, VMID 1) to its empty EL2 "
			 "handler",
			 GUEST_HVC_NULL);
		return true;
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
	case HC_OWN_EL2: /* only from the guest: arch_hypercall_batch */
		break;
	}
}

bool arch_hypercall_batched(void)
{
	return hc_kind == HC_OWN_EL2;
}

/* At EL1, in the guest: the harness's own bracket around the batch. */
static uint64_t guest_hvc_batch(uint64_t batch)
{
	uint64_t t0 = counter_start();

	for (uint64_t i = 0; i < batch; i++)
		__asm__ volatile("hvc #" STR(GUEST_HVC_NULL)::: "x16", "x17", "memory");
	return counter_stop() - t0;
}

/* At EL1: an undefined instruction. */
static uint64_t guest_undef(uint64_t arg)
{
	(void)arg;
	__asm__ volatile("udf #0" ::: "memory");
	return 0;
}

bool arch_guest_fault(char *why, size_t why_len)
{
	uint64_t r;

	if (!arm64_guest_setup(why, why_len))
		return false;
	if (arm64_guest_call(guest_undef, 0, &r, why, why_len))
		snprintf(why, why_len, "the guest's undefined instruction did not fault");
	return false;
}

uint64_t arch_hypercall_batch(uint32_t batch, char *why, size_t why_len)
{
	uint64_t ticks;

	if (!arm64_guest_call(guest_hvc_batch, batch, &ticks, why, why_len))
		return UINT64_MAX;
	return ticks;
}
