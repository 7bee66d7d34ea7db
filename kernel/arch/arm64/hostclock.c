/*
 * The host's time under KVM arm64: the PTP service of KVM's vendor
 * hypercalls returns the host's CLOCK_REALTIME and the guest's virtual
 * counter at the same instant (Linux arch/arm64/kvm/hypercalls.c,
 * kvm_ptp_get_time), when the host's clocksource is the arch counter.
 * Under Xen, guests share no wall clock with it but read one physical
 * counter alike (arch_guests_clock).
 */
#include <stdio.h>

#include <arch/counter.h>
#include <arch/smccc.h>
#include <vmb/arch.h>
#include <vmb/fault.h>
#include <vmb/platform.h>

#define KVM_PTP 0x86000001u
#define KVM_FEATURE_PTP 1
#define KVM_PTP_VIRT_COUNTER 0
#define SMCCC_NOT_SUPPORTED 0xffffffffffffffffull

static struct smccc_res res;

static void features(void *arg)
{
	(void)arg;
	res = smccc_hvc(SMCCC_KVM_FEATURES, 0, 0, 0);
}

static void ptp(void *arg)
{
	(void)arg;
	res = smccc_hvc(KVM_PTP, KVM_PTP_VIRT_COUNTER, 0, 0);
}

bool arch_host_clock(uint64_t *host_ns, uint64_t *ref, char *why, size_t why_len)
{
	static int have = -1;

	if (the_platform.mode == MODE_XEN) {
		/* Xen 4.17 on arm keeps no system time for guests (their
		 * vcpu_time_info stays empty) and offsets each domain's
		 * wallclock by whole seconds; the physical counter both read
		 * is out of reach of dom0's user space (CNTKCTL_EL1.EL0PCTEN
		 * is clear in Linux), and each domain's virtual counter has
		 * its own offset that Xen does not publish. */
		snprintf(why, why_len,
			 "Xen on arm64 gives dom0's user space no clock this domain can read: "
			 "dom0's virtual counter has an offset Xen does not publish, and "
			 "Xen keeps no system time for arm guests");
		return false;
	}
	if (the_platform.mode != MODE_KVM) {
		snprintf(why, why_len, "%s",
			 the_platform.mode == MODE_NATIVE ? "native, no hypervisor"
							  : "only KVM and Xen offer one");
		return false;
	}
	if (have < 0)
		have = !vmb_try(features, NULL) && res.a0 != SMCCC_NOT_SUPPORTED &&
		       (res.a0 & (1u << KVM_FEATURE_PTP));
	if (!have) {
		snprintf(why, why_len,
			 "KVM offers no PTP service (vendor hypervisor features %#llx)",
			 (unsigned long long)res.a0);
		return false;
	}
	if (vmb_try(ptp, NULL) || (uint32_t)res.a0 == (uint32_t)SMCCC_NOT_SUPPORTED) {
		snprintf(why, why_len,
			 "KVM's PTP service refused (the host's clocksource is not the arch "
			 "counter)");
		return false;
	}
	*host_ns = (res.a0 & 0xffffffffu) << 32 | (res.a1 & 0xffffffffu);
	*ref = (res.a2 & 0xffffffffu) << 32 | (res.a3 & 0xffffffffu); /* cntvct: the reference */
	return true;
}

/* Tries of the Xen pairing's calibration; the narrowest bracket wins. */
#define OFFSET_TRIES 64

static int64_t virt_to_phys; /* CNTPCT - CNTVCT, measured once */

static void measure_offset(void *arg)
{
	uint64_t bracket = UINT64_MAX;

	(void)arg;
	for (int i = 0; i < OFFSET_TRIES; i++) {
		uint64_t pct, before = read_cntvct();
		/* Xen sets CNTHCTL_EL2.EL1PCTEN: the read does not trap (if it
		 * does, vmb_try says so). */
		__asm__ volatile("isb; mrs %0, cntpct_el0; isb" : "=r"(pct)::"memory");
		uint64_t after = read_cntvct();
		if (after - before < bracket) {
			bracket = after - before;
			virt_to_phys = (int64_t)(pct - (before + (after - before) / 2));
		}
	}
}

/*
 * Xen sets a domain's CNTVOFF_EL2 once, when it creates the domain, and
 * loads the same value each time one of its vCPUs runs (its vtimer's
 * offset): the tie between this guest's virtual counter and the physical
 * counter every guest reads is a constant. Measured once, through the
 * narrowest of a few reads of the physical counter bracketed by reads of
 * the virtual one, it makes every later pairing exact. Reading both
 * counters at each pairing was not: when the other guest's timer fired
 * between the two reads, Xen could run that guest first, and the pair
 * no longer named one instant (the arm64 Xen lab refused a figure:
 * a stamp "after" it was seen).
 */
bool arch_guests_clock(uint64_t *ns, uint64_t *ref, char *why, size_t why_len)
{
	static bool measured;

	if (the_platform.mode != MODE_XEN)
		return arch_host_clock(ns, ref, why, why_len);
	if (!measured) {
		if (vmb_try(measure_offset, NULL)) {
			snprintf(why, why_len,
				 "Xen does not let this guest read the physical counter");
			return false;
		}
		measured = true;
	}
	*ref = read_cntvct();
	*ns = ticks_to_ns(*ref + (uint64_t)virt_to_phys, the_platform.ref_hz);
	return true;
}
