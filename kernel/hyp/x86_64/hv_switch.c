/*
 * vm_switch on the image's own x86 hypervisor (arch/x86_hv.h): the first
 * guest's switch request goes to the second guest as KVM's run loop
 * switches vCPUs: SVM saves the one's VMCB state (VMSAVE), its general
 * registers out and the other's in, VMLOAD and VMRUN of the other VMCB;
 * VMX its general registers out and in, VMPTRLD of the other VMCS and
 * VMRESUME. Each guest has its own ASID or VPID and nested page tables.
 * The figure is one way, on the one CPU's TSC, from the first guest's
 * last read to the second's first.
 */
#include <stdio.h>

#include <arch/counter.h>
#include <arch/x86_hv.h>
#include <vmb/arch.h>

static volatile uint64_t vm_stamp, vm_sum;

bool arch_switch_setup(enum switch_peer to, char *call, size_t call_len, char *why, size_t why_len)
{
	if (to == SWITCH_TO_HOST_VHE) {
		snprintf(why, why_len,
			 "the VHE shape is arm64's (Armv8.1 HCR_EL2.E2H: the host kernel in "
			 "EL2); x86's VMX and SVM have one shape");
		return false;
	}
	if (to == SWITCH_TO_HOST) {
		snprintf(why, why_len,
			 "x86: the CPU switches between guest and host state in one instruction "
			 "each way (VMRUN/#VMEXIT, VM entry/exit): the image's hypercall is "
			 "already that round trip");
		return false;
	}
	if (!arch_guest_setup(why, why_len))
		return false;
	snprintf(
		call, call_len, "%s",
		x86_hv_kind == HV_SVM
			? "vmmcall: VMSAVE, 14 GPRs, VMLOAD, VMRUN of the other VMCB (ASID 2, own "
			  "NPT)"
			: "vmcall: 15 GPRs, VMPTRLD, VMRESUME of the other VMCS (VPID 2, own EPT)");
	return true;
}

bool arch_switch_class_setup(enum switch_class c, char *call, size_t call_len, char *why,
			     size_t why_len)
{
	(void)c, (void)call, (void)call_len;
	snprintf(why, why_len,
		 "x86: the CPU saves and restores a guest's state in microcode on entry and "
		 "exit, not class by class (the breakdown is arm64's)");
	return false;
}

/* The second guest: each time it runs, the time since the first's stamp. */
static _Noreturn void second_guest_loop(void)
{
	for (;;) {
		uint64_t t = counter_now();
		vm_sum += t - vm_stamp;
		x86_hv_request(HV_CALL_SWITCH);
	}
}

static uint64_t first_guest(uint64_t batch)
{
	vm_sum = 0;
	for (uint64_t i = 0; i < batch; i++) {
		vm_stamp = counter_now();
		x86_hv_request(HV_CALL_SWITCH);
	}
	return vm_sum;
}

uint64_t arch_vm_switch_batch(uint32_t batch, char *why, size_t why_len)
{
	uint64_t sum, before = x86_hv_switches();

	x86_hv_second_entry(second_guest_loop);
	if (!arch_guest_call(first_guest, batch, &sum, why, why_len))
		return UINT64_MAX;
	if (x86_hv_switches() - before != 2ull * batch) {
		snprintf(why, why_len,
			 "%llu world switches for %u round trips: some never happened",
			 (unsigned long long)(x86_hv_switches() - before), batch);
		return UINT64_MAX;
	}
	return sum;
}

static void second_guest_undef(void)
{
	__asm__ volatile("ud2" ::: "memory");
}

bool arch_switch_fault(char *why, size_t why_len)
{
	uint64_t sum;
	char fault[200];

	x86_hv_second_entry(second_guest_undef);
	if (arch_guest_call(first_guest, 1, &sum, fault, sizeof(fault)))
		snprintf(why, why_len, "the second guest's undefined instruction did not fault");
	else
		snprintf(why, why_len, "after a switch to the second guest: %s", fault);
	return false;
}
