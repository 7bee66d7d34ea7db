/*
 * The host's time under KVM x86: KVM_HC_CLOCK_PAIRING returns the host's
 * CLOCK_REALTIME and the guest's TSC read at the same instant (Linux
 * arch/x86/kvm/x86.c, kvm_pv_clock_pairing). KVM answers -KVM_EOPNOTSUPP
 * when its host's clocksource is not the TSC. Under Xen, every domain
 * reads Xen's system time alike from its shared info page
 * (arch_guests_clock), so two guests' stamps meet on it.
 */
#include <stdio.h>

#include <arch/counter.h>
#include <arch/xen.h>
#include <vmb/arch.h>
#include <vmb/platform.h>
#include <vmb/smp.h>
#include <vmb/xen.h>

#define KVM_HC_CLOCK_PAIRING 9
#define KVM_CLOCK_PAIRING_WALLCLOCK 0
#define KVM_EOPNOTSUPP 95

extern bool x86_is_amd;

struct kvm_clock_pairing {
	int64_t sec;
	int64_t nsec;
	uint64_t tsc;
	uint32_t flags;
	uint32_t pad[9];
};

static long pairing_call(uint64_t paddr)
{
	long ret;

	/* The structure is in identity-mapped memory: its address is physical. */
	if (x86_is_amd)
		__asm__ volatile("vmmcall"
				 : "=a"(ret)
				 : "a"((long)KVM_HC_CLOCK_PAIRING), "b"(paddr),
				   "c"((long)KVM_CLOCK_PAIRING_WALLCLOCK)
				 : "memory");
	else
		__asm__ volatile("vmcall"
				 : "=a"(ret)
				 : "a"((long)KVM_HC_CLOCK_PAIRING), "b"(paddr),
				   "c"((long)KVM_CLOCK_PAIRING_WALLCLOCK)
				 : "memory");
	return ret;
}

static bool xen_dom0_clock(uint64_t *host_ns, uint64_t *ref, char *why, size_t why_len);

bool arch_host_clock(uint64_t *host_ns, uint64_t *ref, char *why, size_t why_len)
{
	static struct kvm_clock_pairing pair __attribute__((aligned(64)));

	if (the_platform.mode == MODE_XEN)
		return xen_dom0_clock(host_ns, ref, why, why_len);
	if (the_platform.mode != MODE_KVM) {
		snprintf(why, why_len, "%s",
			 the_platform.mode == MODE_NATIVE ? "native, no hypervisor"
							  : "only KVM and Xen offer one");
		return false;
	}
	long ret = pairing_call((uint64_t)(uintptr_t)&pair);
	if (ret) {
		snprintf(why, why_len, "KVM_HC_CLOCK_PAIRING answered %ld%s", ret,
			 ret == -KVM_EOPNOTSUPP
				 ? " (-KVM_EOPNOTSUPP: the host's clocksource is not "
				   "the TSC)"
				 : "");
		return false;
	}
	*host_ns = (uint64_t)pair.sec * 1000000000ull + (uint64_t)pair.nsec;
	*ref = pair.tsc; /* the reference clock on x86_64 is the TSC */
	return true;
}

/* Xen's system time (ns since Xen booted, the same for every domain) and
 * this vCPU's TSC at one instant, from its vcpu_time_info: read again
 * while Xen was updating it (version odd or changed). */
bool arch_guests_clock(uint64_t *ns, uint64_t *ref, char *why, size_t why_len)
{
	if (the_platform.mode != MODE_XEN)
		return arch_host_clock(ns, ref, why, why_len);
	volatile struct vcpu_info_x86 *xen_vcpu =
		(volatile struct vcpu_info_x86 *)xen_shared_info(why, why_len);
	if (!xen_vcpu)
		return false;
	unsigned cpu = smp_this_cpu();
	if (cpu >= 32) {
		snprintf(why, why_len, "CPU %u has no vcpu_info in the shared info page", cpu);
		return false;
	}
	volatile struct vcpu_time_info *t = &xen_vcpu[cpu].time;
	uint32_t version;
	uint64_t tsc, stamp, system_ns;
	uint32_t mul;
	int8_t shift;
	do {
		version = __atomic_load_n(&t->version, __ATOMIC_ACQUIRE);
		stamp = t->tsc_timestamp;
		system_ns = t->system_time;
		mul = t->tsc_to_system_mul;
		shift = t->tsc_shift;
		tsc = ref_now();
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
	} while ((version & 1) || version != t->version);
	if (!mul) {
		snprintf(why, why_len, "Xen left this vCPU's system time empty");
		return false;
	}
	uint64_t delta = tsc - stamp;
	delta = shift < 0 ? delta >> -shift : delta << shift;
	*ns = system_ns + (uint64_t)(((unsigned __int128)delta * mul) >> 32);
	*ref = tsc;
	return true;
}

/* dom0's CLOCK_REALTIME under Xen: dom0's Linux tells Xen its time
 * (XENPF_settime64, when stepped and every 11 minutes), and Xen keeps
 * every domain's wallclock so that wallclock + system time is that time.
 * A domU adds the two: wall time as dom0 reads it, on Xen's system time.
 * Not exact when dom0's clock is slewed by NTP between its pushes, or the
 * domain has an RTC offset (xl's rtc_timeoffset, localtime=1): the
 * one-way figures check each sample against its round trip and say so. */
static bool xen_dom0_clock(uint64_t *host_ns, uint64_t *ref, char *why, size_t why_len)
{
	uint64_t system_ns;
	volatile uint8_t *s = xen_shared_info(why, why_len);

	if (!s || !arch_guests_clock(&system_ns, ref, why, why_len))
		return false;
	volatile struct xen_wallclock *w = (volatile struct xen_wallclock *)(s + XEN_WALLCLOCK_OFF);
	uint32_t version, nsec;
	uint64_t sec;
	do {
		version = __atomic_load_n(&w->version, __ATOMIC_ACQUIRE);
		sec = (uint64_t)w->sec_hi << 32 | w->sec;
		nsec = w->nsec;
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
	} while ((version & 1) || version != w->version);
	*host_ns = sec * 1000000000ull + nsec + system_ns;
	return true;
}
