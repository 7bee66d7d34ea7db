/*
 * Memory shared with another guest of the same host, as the drivers find
 * it: QEMU's ivshmem-plain PCI device (1af4:1110, the memory in BAR 2)
 * under KVM (drivers/pci/ivshmem.c), or under Xen a page one domain
 * grants to the other (drivers/xen/grant_share.c).
 */
#ifndef DRIVERS_PEER_PAGE_H
#define DRIVERS_PEER_PAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The memory's address in the identity map and what it is. */
struct peer_page {
	uint64_t base, size;
	char what[64];
};
enum peer_page_found {
	PEER_PAGE_FOUND,
	PEER_PAGE_NOT_YET, /* the other guest has not offered it yet: ask again */
	PEER_PAGE_NONE,	   /* there is none: why says why */
};

/* The ivshmem BAR, when it holds at least min_size bytes. */
enum peer_page_found ivshmem_page_find(struct peer_page *p, size_t min_size, char *why,
				       size_t why_len);
/* Xen: grant a page to peer_dom at grant reference ref, or (as_peer) map
 * the one peer_dom granted there. */
enum peer_page_found xen_page_share(struct peer_page *p, bool as_peer, unsigned peer_dom,
				    unsigned ref, char *why, size_t why_len);

#endif
