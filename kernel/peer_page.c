/* Where the page vm_switch's two guests share comes from, by hypervisor. */
#include <vmb/options.h>
#include <vmb/pingpong.h>
#include <vmb/platform.h>

static unsigned peer_dom;

void peer_page_configure(const struct options *o)
{
	peer_dom = o->peer_dom;
}

enum peer_page_found peer_page_find(struct peer_page *p, bool as_peer, char *why, size_t why_len)
{
	if (the_platform.mode == MODE_XEN)
		return xen_page_share(p, as_peer, peer_dom, why, why_len);
	return ivshmem_page_find(p, why, why_len);
}
