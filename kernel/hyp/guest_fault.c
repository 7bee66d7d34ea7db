/* fault=guest: the image's own guest executes an undefined instruction,
 * and its hypervisor must get the exception back. */
#include <stdio.h>

#include <vmb/arch.h>
#include <vmb/hypercall.h>

bool hyp_guest_fault(char *why, size_t why_len)
{
	uint64_t r;

	if (!arch_guest_setup(why, why_len))
		return false;
	if (arch_guest_call(arch_guest_undef, 0, &r, why, why_len))
		snprintf(why, why_len, "the guest's undefined instruction did not fault");
	return false;
}
