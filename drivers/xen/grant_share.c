/*
 * A page shared by two Xen guests through the grant table (Xen's public
 * grant_table.h and memory.h): the measuring guest grants a page of its
 * own to the peer's domain at a fixed reference, and the peer maps that
 * grant into its own physical address space. Both then reach the page
 * through their ordinary cacheable map of RAM, as Xen maps grants.
 *
 * Neither side touches its page tables: the granter's table is mapped
 * over pages of its RAM (grant_table.c), and the peer gives a page of its
 * RAM back to Xen (XENMEM_decrease_reservation, as a balloon driver does)
 * and has Xen put the granted page at that frame (GNTTABOP_map_grant_ref).
 */
#include <stdio.h>

#include <drivers/peer_page.h>
#include <drivers/xen/xen.h>

static uint8_t shared[XEN_PAGE] __attribute__((aligned(XEN_PAGE)));  /* the granter's page */
static uint8_t foreign[XEN_PAGE] __attribute__((aligned(XEN_PAGE))); /* where the peer maps it */
static enum { NOTHING, GRANTED, GAVE_BACK, MAPPED, FAILED } done;
static char failed[160]; /* why, once FAILED: a page given back stays gone */

static const char *gntst_name(int status)
{
	switch (status) {
	case GNTST_BAD_DOMAIN:
		return "no such domain";
	case -3:
		return "bad grant reference";
	case -9:
		return "bad page";
	case -7:
	case -13:
		return "out of mapping space";
	case -8:
		/* Debian's Xen boots in XSM SILO mode unless told xsm=dummy */
		return "permission denied: an XSM policy (SILO mode) forbids grants between guests";
	default:
		return "see Xen's grant_table.h";
	}
}

static enum peer_page_found grant(struct peer_page *p, unsigned peer_dom, unsigned ref, char *why,
				  size_t why_len)
{
	if (done != GRANTED) {
		if (!gnttab_grant_at(ref, peer_dom, shared, false, why, why_len))
			return PEER_PAGE_NONE;
		done = GRANTED;
	}
	p->base = (uintptr_t)shared;
	p->size = XEN_PAGE;
	snprintf(p->what, sizeof(p->what), "Xen grant %u to d%u", ref, peer_dom);
	return PEER_PAGE_FOUND;
}

static enum peer_page_found map(struct peer_page *p, unsigned peer_dom, unsigned ref, char *why,
				size_t why_len)
{
	if (done == NOTHING) {
		if (!xen_give_back(foreign, why, why_len))
			return PEER_PAGE_NONE;
		done = GAVE_BACK;
	}
	if (done != MAPPED) {
		struct gnttab_map_grant_ref m = {
			.host_addr = (uintptr_t)foreign,
			.flags = GNTMAP_HOST_MAP,
			.ref = ref,
			.dom = (uint16_t)peer_dom,
		};
		long rc = arch_xen_hypercall(XEN_HC_GRANT_TABLE_OP, GNTTABOP_MAP_GRANT_REF,
					     (uintptr_t)&m, 1);
		if (rc < 0) {
			snprintf(why, why_len, "Xen refused GNTTABOP_map_grant_ref (%ld)", rc);
			return PEER_PAGE_NONE;
		}
		if (m.status == GNTST_BAD_DOMAIN) {
			/* A toolstack creates one guest after the other (xl: the
			 * peer first): the other may not exist yet. */
			snprintf(why, why_len, "d%u does not exist (yet)", peer_dom);
			return PEER_PAGE_NOT_YET;
		}
		if (m.status == GNTST_GENERAL_ERROR) {
			/* Or never will: granted to another domain (each side's
			 * peer_dom= must name the other), or read-only. */
			snprintf(why, why_len,
				 "d%u has not granted page %u to this guest (peer_dom= on both "
				 "sides must name the other)",
				 peer_dom, ref);
			return PEER_PAGE_NOT_YET;
		}
		if (m.status != GNTST_OKAY) {
			snprintf(why, why_len, "Xen would not map grant %u of d%u (GNTST %d: %s)",
				 ref, peer_dom, m.status, gntst_name(m.status));
			return PEER_PAGE_NONE;
		}
		done = MAPPED;
	}
	p->base = (uintptr_t)foreign;
	p->size = XEN_PAGE;
	snprintf(p->what, sizeof(p->what), "Xen grant %u of d%u", ref, peer_dom);
	return PEER_PAGE_FOUND;
}

enum peer_page_found xen_page_share(struct peer_page *p, bool as_peer, unsigned peer_dom,
				    unsigned ref, char *why, size_t why_len)
{
	if (!peer_dom) {
		snprintf(why, why_len,
			 "no memory shared with another guest (no other Xen guest named: "
			 "option peer_dom=D)");
		return PEER_PAGE_NONE;
	}
	if (done == FAILED) {
		snprintf(why, why_len, "%s", failed);
		return PEER_PAGE_NONE;
	}
	enum peer_page_found found = as_peer ? map(p, peer_dom, ref, why, why_len)
					     : grant(p, peer_dom, ref, why, why_len);
	if (found == PEER_PAGE_NONE) {
		done = FAILED;
		snprintf(failed, sizeof(failed), "%s", why);
	}
	return found;
}
