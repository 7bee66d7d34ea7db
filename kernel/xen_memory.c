/*
 * A guest's own frames under Xen (memory.h): a page of RAM handed back so
 * that Xen can put something else at its frame (the grant table, the
 * shared info page), as a balloon driver does.
 */
#include <stdio.h>

#include <arch/cache.h>
#include <vmb/xen.h>

/* No dirty line of the page may outlive it in our cache. */
bool xen_give_back(void *page, char *why, size_t why_len)
{
	uint64_t gfn = (uintptr_t)page / XEN_PAGE;
	struct xen_memory_reservation r = {
		.extent_start = (uintptr_t)&gfn,
		.nr_extents = 1,
		.domid = DOMID_SELF,
	};

	dcache_clean_to_poc(page, XEN_PAGE, true);
	long rc =
		arch_xen_hypercall(XEN_HC_MEMORY_OP, XENMEM_DECREASE_RESERVATION, (uintptr_t)&r, 0);
	if (rc == 1)
		return true;
	snprintf(why, why_len, "Xen took no page of RAM back (XENMEM_decrease_reservation: %ld)",
		 rc);
	return false;
}

bool xen_map_over(void *page, unsigned space, unsigned idx, const char *what, char *why,
		  size_t why_len)
{
	if (!xen_give_back(page, why, why_len))
		return false;
	struct xen_add_to_physmap a = {
		.domid = DOMID_SELF,
		.space = space,
		.idx = idx,
		.gpfn = (uintptr_t)page / XEN_PAGE,
	};
	long rc = arch_xen_hypercall(XEN_HC_MEMORY_OP, XENMEM_ADD_TO_PHYSMAP, (uintptr_t)&a, 0);
	if (rc) {
		snprintf(why, why_len, "Xen did not map %s (XENMEM_add_to_physmap: %ld)", what, rc);
		return false;
	}
	return true;
}

/* One mapping for every user (the x86 clock, the event channels). */
static uint8_t shared_info[XEN_PAGE] __attribute__((aligned(XEN_PAGE)));
static bool shared_mapped;

volatile void *xen_shared_info(char *why, size_t why_len)
{
	if (!shared_mapped && !xen_map_over(shared_info, XENMAPSPACE_SHARED_INFO, 0,
					    "the shared info page", why, why_len))
		return NULL;
	shared_mapped = true;
	return shared_info;
}
