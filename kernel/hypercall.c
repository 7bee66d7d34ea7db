/* Which null hypercall this run makes, chosen once by mode. */
#include <stdio.h>

#include <vmb/hypercall.h>
#include <vmb/platform.h>

static const struct hypercall_ops *chosen;
static char none_why[128] = "the hypervisor's mode is not known yet";

void hypercall_choose(const struct platform *p)
{
	switch (p->mode) {
	case MODE_KVM:
		chosen = &hypercall_kvm;
		break;
	case MODE_XEN:
		chosen = &hypercall_xen;
		break;
	case MODE_NATIVE:
		chosen = &hypercall_own;
		break;
	default:
		chosen = NULL;
		snprintf(none_why, sizeof(none_why), "hypervisor '%s' has no known null hypercall",
			 p->hypervisor);
	}
}

const struct hypercall_ops *hypercall_backend(char *why, size_t why_len)
{
	if (!chosen)
		snprintf(why, why_len, "%s", none_why);
	return chosen;
}
