/*
 * Xen's feature flags (XENVER_get_features), for what depends on the
 * domain's role: the hardware domain (dom0) owns most I/O ports itself,
 * so a port read that traps in any other guest does not trap there.
 */
#include <vmb/xen.h>

bool xen_is_dom0(void)
{
	struct xen_feature_info fi = { .submap_idx = XENFEAT_DOM0 / 32 };

	if (arch_xen_hypercall(XEN_HC_XEN_VERSION, XENVER_GET_FEATURES, (unsigned long)&fi, 0) < 0)
		return false;
	return (fi.submap >> (XENFEAT_DOM0 % 32)) & 1;
}
