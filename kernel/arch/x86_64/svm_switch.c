/*
 * vm_switch on the image's own SVM hypervisor (arch/svm.h): the first
 * guest's VMMCALL goes to the second guest, through VMSAVE of the one's
 * VMCB, its general registers out and the other's in, VMLOAD and VMRUN of
 * the other's VMCB (its own ASID and nested page tables), as KVM's run
 * loop does around VMRUN. The figure is one way, on the one CPU's TSC,
 * from the first guest's last read to the second's first.
 */
#include <stdio.h>

#include <arch/counter.h>
#include <arch/svm.h>
#include <vmb/arch.h>

static volatile uint64_t vm_stamp, vm_sum;

bool arch_switch_setup(enum switch_peer to, char *call, size_t call_len, char *why, size_t why_len)
{
	if (to == SWITCH_TO_HOST) {
		snprintf(why, why_len,
			 "x86: VMRUN and #VMEXIT switch between guest and host state in one "
			 "instruction each: the image's hypercall is already that round trip");
		return false;
	}
	if (!svm_setup(why, why_len))
		return false;
	snprintf(call, call_len,
		 "vmmcall: VMSAVE, 14 GPRs, VMLOAD, VMRUN of the other VMCB (ASID 2, own NPT)");
	return true;
}

bool arch_switch_class_setup(enum switch_class c, char *call, size_t call_len, char *why,
			     size_t why_len)
{
	(void)c, (void)call, (void)call_len;
	snprintf(why, why_len,
		 "x86: VMRUN and #VMEXIT save and restore the guest's state in microcode, not "
		 "class by class (the breakdown is arm64's)");
	return false;
}

/* The second guest: each time it runs, the time since the first's stamp. */
static _Noreturn void second_guest_loop(void)
{
	for (;;) {
		uint64_t t = counter_now();
		vm_sum += t - vm_stamp;
		__asm__ volatile("vmmcall" ::"a"((uint64_t)SVM_CALL_SWITCH) : "memory");
	}
}

static uint64_t first_guest(uint64_t batch)
{
	vm_sum = 0;
	for (uint64_t i = 0; i < batch; i++) {
		vm_stamp = counter_now();
		__asm__ volatile("vmmcall" ::"a"((uint64_t)SVM_CALL_SWITCH) : "memory");
	}
	return vm_sum;
}

uint64_t arch_vm_switch_batch(uint32_t batch, char *why, size_t why_len)
{
	uint64_t sum, before = svm_switches;

	svm_second_entry(second_guest_loop);
	if (!svm_guest_call_switching(first_guest, batch, &sum, why, why_len))
		return UINT64_MAX;
	if (svm_switches - before != 2ull * batch) {
		snprintf(why, why_len,
			 "%llu world switches for %u round trips: some never happened",
			 (unsigned long long)(svm_switches - before), batch);
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

	svm_second_entry(second_guest_undef);
	if (svm_guest_call_switching(first_guest, 1, &sum, fault, sizeof(fault)))
		snprintf(why, why_len, "the second guest's undefined instruction did not fault");
	else
		snprintf(why, why_len, "after a switch to the second guest (ASID 2): %s", fault);
	return false;
}
