/*
 * The image's own hypervisor on x86_64 (arch/x86_hv.h): SVM where the CPU
 * has it, VMX where it has that, each behind the same calls.
 */
#include <stdio.h>

#include <arch/svm.h>
#include <arch/vmx.h>
#include <arch/x86.h>
#include <arch/x86_hv.h>
#include <vmb/arch.h>

enum x86_hv x86_hv_kind;

bool arch_guest_setup(char *why, size_t why_len)
{
	char svm_why[128], vmx_why[128];

	if (x86_hv_kind != HV_NONE)
		return true;
	if (arch_cpu_index() != 0) {
		snprintf(why, why_len, "the image's guests run on the boot CPU");
		return false;
	}
	if (svm_setup(svm_why, sizeof(svm_why))) {
		x86_hv_kind = HV_SVM;
		return true;
	}
	if (!(cpuid(1, 0).ecx & CPUID_VMX)) {
		snprintf(why, why_len, "%s; no VMX (CPUID 1 ECX bit 5)", svm_why);
		return false;
	}
	if (vmx_setup(vmx_why, sizeof(vmx_why))) {
		x86_hv_kind = HV_VMX;
		return true;
	}
	snprintf(why, why_len, "%s", vmx_why);
	return false;
}

const char *x86_hv_name(void)
{
	return x86_hv_kind == HV_SVM ? "SVM" : x86_hv_kind == HV_VMX ? "VMX" : "none";
}

bool arch_guest_call(uint64_t (*fn)(uint64_t), uint64_t arg, uint64_t *result, char *why,
		     size_t why_len)
{
	return x86_hv_kind == HV_SVM ? svm_guest_call(fn, arg, result, why, why_len)
				     : vmx_guest_call(fn, arg, result, why, why_len);
}

void x86_hv_second_entry(void (*entry)(void))
{
	if (x86_hv_kind == HV_SVM)
		svm_second_entry(entry);
	else
		vmx_second_entry(entry);
}

uint64_t x86_hv_switches(void)
{
	return x86_hv_kind == HV_SVM ? svm_switches : vmx_switches;
}

const char *x86_hv_exit_name(const struct hv_exit_name *names, size_t n, uint64_t code)
{
	for (size_t i = 0; i < n; i++)
		if (names[i].code == code)
			return names[i].name;
	return "an unexpected exit";
}
