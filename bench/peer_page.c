/* Where the page vm_switch's two guests share comes from, by hypervisor. */
#include <vmb/options.h>
#include <bench/pingpong.h>
#include <vmb/platform.h>

enum peer_page_found peer_page_find(struct peer_page *p, bool as_peer, char *why, size_t why_len)
{
	if (the_platform.mode == MODE_XEN)
		return xen_page_share(p, as_peer, the_options->peer_dom, PINGPONG_GRANT_REF, why,
				      why_len);
	return ivshmem_page_find(p, sizeof(struct pingpong), why, why_len);
}
