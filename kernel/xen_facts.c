/*
 * What a guest can learn about its Xen with hypercalls alone: the
 * version and extraversion, the feature flags (the hardware domain, dom0,
 * owns most I/O ports itself), HVM parameters (where the console and
 * xenstore rings are) and event-channel notification. The domain's role
 * follows: dom0, a domU made by a toolstack (it has a xenstore), or a
 * dom0less domain (Xen made it at boot, without xenstore).
 */
#include <stdio.h>
#include <string.h>

#include <vmb/platform.h>
#include <vmb/xen.h>

bool xen_has_feature(unsigned feature)
{
	struct xen_feature_info fi = { .submap_idx = feature / 32 };

	if (arch_xen_hypercall(XEN_HC_XEN_VERSION, XENVER_GET_FEATURES, (unsigned long)&fi, 0) < 0)
		return false;
	return (fi.submap >> (feature % 32)) & 1;
}

bool xen_is_dom0(void)
{
	return xen_has_feature(XENFEAT_DOM0);
}

int xen_hvm_get_param(uint32_t index, uint64_t *value)
{
	struct xen_hvm_param p = { .domid = DOMID_SELF, .index = index };
	long rc =
		arch_xen_hypercall(XEN_HC_HVM_OP, HVMOP_GET_PARAM, (unsigned long)(uintptr_t)&p, 0);

	*value = p.value;
	return (int)rc;
}

void xen_evtchn_send(uint32_t port)
{
	arch_xen_hypercall(XEN_HC_EVENT_CHANNEL_OP, EVTCHNOP_SEND, (unsigned long)(uintptr_t)&port,
			   0);
}

void xen_describe(struct platform *p)
{
	char extra[XEN_EXTRAVERSION_LEN + 1] = "";
	long v = arch_xen_hypercall(XEN_HC_XEN_VERSION, XENVER_VERSION, 0, 0);
	uint64_t store = 0;

	if (arch_xen_hypercall(XEN_HC_XEN_VERSION, XENVER_EXTRAVERSION, (unsigned long)extra, 0) <
	    0)
		extra[0] = 0;
	extra[XEN_EXTRAVERSION_LEN] = 0;
	if (v > 0)
		snprintf(p->xen_version, sizeof(p->xen_version), "%lu.%lu%s",
			 (unsigned long)v >> 16, (unsigned long)v & 0xffff, extra);
	p->xen_domid = -1;
	if (xen_is_dom0()) {
		p->xen_role = "dom0";
		p->xen_domid = 0;
	} else if (!xen_hvm_get_param(HVM_PARAM_STORE_PFN, &store) && store) {
		p->xen_role = "domU";
	} else {
		p->xen_role = "dom0less";
	}
}
