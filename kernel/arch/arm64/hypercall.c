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
#include <vmb/hypercall.h>
#include <vmb/platform.h>
#include <vmb/xen.h>

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

static bool kvm_setup(char *call, size_t call_len, char *why, size_t why_len)
{
	if (vmb_try(probe_smccc, NULL)) {
		snprintf(why, why_len, "hvc SMCCC_VERSION faulted: %s", vmb_fault_text());
		return false;
	}
	snprintf(call, call_len, "hvc #0 SMCCC_VERSION = %#llx", (unsigned long long)probe.a0);
	return true;
}

static void kvm_call(void)
{
	smccc_hvc(SMCCC_VERSION, 0, 0, 0);
}

const struct hypercall_ops hypercall_kvm = { .setup = kvm_setup, .call = kvm_call };

static bool xen_setup(char *call, size_t call_len, char *why, size_t why_len)
{
	if (vmb_try(probe_xen, NULL)) {
		snprintf(why, why_len, "hvc #0xEA1 xen_version faulted: %s", vmb_fault_text());
		return false;
	}
	snprintf(call, call_len, "hvc #0xEA1 xen_version(XENVER_version) = %#lx",
		 (unsigned long)xen_ver);
	return true;
}

static void xen_call(void)
{
	xen_version();
}

const struct hypercall_ops hypercall_xen = { .setup = xen_setup, .call = xen_call };

static bool own_setup(char *call, size_t call_len, char *why, size_t why_len)
{
	char guest_why[160];

	if (the_platform.el != 2) {
		snprintf(why, why_len, "no hypervisor detected (mode native, EL1)");
		return false;
	}
	if (!arch_guest_setup(guest_why, sizeof(guest_why))) {
		snprintf(why, why_len, "native at EL2, but no guest of the image's own: %s",
			 guest_why);
		return false;
	}
	snprintf(call, call_len,
		 "hvc #%u from the image's EL1 guest (stage 2 on, VMID 1) to its empty EL2 "
		 "handler",
		 GUEST_HVC_NULL);
	return true;
}

/* At EL1, in the guest: the harness's own bracket around the batch. */
static uint64_t guest_hvc_batch(uint64_t batch)
{
	uint64_t t0 = counter_start();

	for (uint64_t i = 0; i < batch; i++)
		__asm__ volatile("hvc #" STR(GUEST_HVC_NULL)::: "x16", "x17", "memory");
	return counter_stop() - t0;
}

static uint64_t own_batch(uint32_t batch, char *why, size_t why_len)
{
	uint64_t ticks;

	if (!arch_guest_call(guest_hvc_batch, batch, &ticks, why, why_len))
		return UINT64_MAX;
	return ticks;
}

const struct hypercall_ops hypercall_own = { .setup = own_setup, .batch = own_batch };

/* At EL1: an undefined instruction. */
uint64_t arch_guest_undef(uint64_t arg)
{
	(void)arg;
	__asm__ volatile("udf #0" ::: "memory");
	return 0;
}
