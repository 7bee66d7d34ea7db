/*
 * The image's own EL1 guest (arch/guest.h). Natively at EL2 the image is
 * the hypervisor: EL1 gets the kernel's identity map in the EL1 format,
 * FP/SIMD (compiled C uses it), vectors that hand every exception to EL2,
 * and AArch64 (HCR_EL2.RW), and a stage 2 of its own (identity for the
 * first 512 GiB, VMID 1), as a hypervisor gives its guests.
 */
#include <stdio.h>

#include <arch/el2.h>
#include <arch/guest.h>
#include <arch/mmu.h>
#include <arch/sysreg.h>
#include <arch/vcpu.h>
#include <vmb/arch.h>
#include <vmb/mem.h>
#include <vmb/smp.h>

#define MDCR_TPMCR (1ull << 5)
#define MDCR_TPM (1ull << 6)
#define CPACR_FPEN (3ull << 20)
/* SCTLR_EL1: the bits RES1 in Armv8.0, then MMU, data and instruction
 * caches on; alignment checks off (-mstrict-align code needs none). */
#define SCTLR_EL1_RES1                                                                             \
	((1ull << 11) | (1ull << 20) | (1ull << 22) | (1ull << 23) | (1ull << 28) | (1ull << 29))
#define GUEST_VMID 1ull

uint64_t arm64_el1_call(uint64_t (*fn)(uint64_t), uint64_t arg, void *stack_top,
			struct guest_exit *exit);
extern char arm64_guest_vectors_el1[];

static void *stack_top;
/* EL1's registers are per CPU: set on each CPU that enters the guest. */
static bool ready[MAX_CPUS];

bool arch_guest_setup(char *why, size_t why_len)
{
	unsigned cpu = arch_cpu_index() % MAX_CPUS;
	uint64_t ttbr, tcr, vttbr, vtcr;

	if (ready[cpu])
		return true;
	if (current_el() != 2) {
		snprintf(why, why_len, "not at EL2: no room below for a guest of the image's own");
		return false;
	}
	if (read_sysreg(hcr_el2) & HCR_EL2_E2H) {
		snprintf(why, why_len,
			 "VHE (HCR_EL2.E2H) is on: the guest's EL1 registers would be "
			 "reached as *_EL12, which the image does not do yet");
		return false;
	}
	if (!arm64_el1_map(&ttbr, &tcr) || !arm64_stage2_map(&vttbr, &vtcr)) {
		snprintf(why, why_len,
			 "no EL1-format or stage-2 map of memory (out of memory at boot)");
		return false;
	}
	if (!stack_top) {
		uint8_t *stack = mem_alloc_pages(GUEST_STACK_PAGES);
		if (!stack) {
			snprintf(why, why_len, "no memory for the guest's stack");
			return false;
		}
		stack_top = stack + GUEST_STACK_PAGES * 4096;
	}
	write_sysreg(vtcr_el2, vtcr);
	write_sysreg(vttbr_el2, vttbr | GUEST_VMID << 48);
	write_sysreg(hcr_el2, (read_sysreg(hcr_el2) | HCR_RW | HCR_VM) & ~HCR_TGE);
	write_sysreg(mdcr_el2, read_sysreg(mdcr_el2) & ~(MDCR_TPM | MDCR_TPMCR));
	write_sysreg(cpacr_el1, CPACR_FPEN);
	write_sysreg(mair_el1, MAIR_VALUE);
	write_sysreg(tcr_el1, tcr);
	write_sysreg(ttbr0_el1, ttbr);
	write_sysreg(vbar_el1, (uintptr_t)arm64_guest_vectors_el1);
	isb();
	__asm__ volatile("tlbi vmalls12e1; dsb ish; isb" ::: "memory");
	write_sysreg(sctlr_el1, SCTLR_EL1_RES1 | SCTLR_M | SCTLR_C | SCTLR_I);
	isb();
	ready[cpu] = true;
	return true;
}

bool arch_guest_call(uint64_t (*fn)(uint64_t), uint64_t arg, uint64_t *result, char *why,
		     size_t why_len)
{
	struct guest_exit e = { 0 };

	arm64_vcpu_home();
	arm64_el1_call(fn, arg, stack_top, &e);
	if (e.fault) {
		snprintf(why, why_len,
			 "the image's EL1 guest took EL1 vector %llu: ESR_EL1 %#llx ELR_EL1 "
			 "%#llx FAR_EL1 %#llx",
			 (unsigned long long)e.fault - 1, (unsigned long long)e.esr,
			 (unsigned long long)e.elr, (unsigned long long)e.far);
		return false;
	}
	*result = e.result;
	return true;
}
