/*
 * The host's time under KVM x86: KVM_HC_CLOCK_PAIRING returns the host's
 * CLOCK_REALTIME and the guest's TSC read at the same instant (Linux
 * arch/x86/kvm/x86.c, kvm_pv_clock_pairing). KVM answers -KVM_EOPNOTSUPP
 * when its host's clocksource is not the TSC.
 */
#include <stdio.h>

#include <vmb/arch.h>
#include <vmb/platform.h>

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

bool arch_host_clock(uint64_t *host_ns, uint64_t *ref, char *why, size_t why_len)
{
	static struct kvm_clock_pairing pair __attribute__((aligned(64)));

	if (the_platform.mode != MODE_KVM) {
		snprintf(why, why_len, "%s",
			 the_platform.mode == MODE_NATIVE
				 ? "native, no hypervisor"
				 : "only KVM offers one (KVM_HC_CLOCK_PAIRING)");
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
