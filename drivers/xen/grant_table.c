/*
 * Grant table v1 (grant_table.h): the frames of this guest's table mapped
 * over pages of ours once, and references handed out from a free list.
 * A reference lets one other domain map or copy one page of ours: the
 * rings and buffers of the PV devices, the vm_switch page. The first
 * GNTTAB_NR_RESERVED_ENTRIES belong to the toolstack (console, xenstore)
 * and the fixed ones below GNTTAB_FIRST_FREE to their named users.
 */
#include <stdio.h>
#include <string.h>

#include <drivers/xen/xen.h>

#define ENTRIES (GNTTAB_FRAMES * XEN_PAGE / sizeof(struct grant_entry_v1))

static uint8_t frames[GNTTAB_FRAMES][XEN_PAGE] __attribute__((aligned(XEN_PAGE)));
static volatile struct grant_entry_v1 *table;
static char failed[160];
static uint16_t free_refs[ENTRIES], n_free;

static bool map_table(char *why, size_t why_len)
{
	if (table)
		return true;
	if (failed[0]) {
		snprintf(why, why_len, "%s", failed);
		return false;
	}
	/* Xen grows the table to frame idx when asked for it. */
	for (unsigned i = 0; i < GNTTAB_FRAMES; i++)
		if (!xen_map_over(frames[i], XENMAPSPACE_GRANT_TABLE, i, "this guest's grant table",
				  failed, sizeof(failed))) {
			snprintf(why, why_len, "%s", failed);
			return false;
		}
	table = (volatile struct grant_entry_v1 *)frames;
	for (unsigned r = ENTRIES; r-- > GNTTAB_FIRST_FREE;)
		free_refs[n_free++] = (uint16_t)r;
	return true;
}

static void set(unsigned ref, unsigned domid, const void *page, bool readonly)
{
	volatile struct grant_entry_v1 *e = &table[ref];

	e->domid = (uint16_t)domid;
	e->frame = (uint32_t)((uintptr_t)page / XEN_PAGE);
	/* Xen reads the flags first: the rest must be there before. */
	__atomic_store_n(&e->flags, (uint16_t)(GTF_PERMIT_ACCESS | (readonly ? GTF_READONLY : 0)),
			 __ATOMIC_RELEASE);
}

bool gnttab_grant_at(unsigned ref, unsigned domid, const void *page, bool readonly, char *why,
		     size_t why_len)
{
	if (!map_table(why, why_len))
		return false;
	if (ref < GNTTAB_NR_RESERVED_ENTRIES || ref >= GNTTAB_FIRST_FREE) {
		snprintf(why, why_len, "grant reference %u is not one of the fixed ones (%u..%u)",
			 ref, GNTTAB_NR_RESERVED_ENTRIES, GNTTAB_FIRST_FREE - 1);
		return false;
	}
	set(ref, domid, page, readonly);
	return true;
}

int gnttab_grant(unsigned domid, const void *page, bool readonly, char *why, size_t why_len)
{
	if (!map_table(why, why_len))
		return -1;
	if (!n_free) {
		snprintf(why, why_len, "all %u grant references are in use", (unsigned)ENTRIES);
		return -1;
	}
	unsigned ref = free_refs[--n_free];
	set(ref, domid, page, readonly);
	return (int)ref;
}

bool gnttab_end(unsigned ref)
{
	volatile uint16_t *flags = &table[ref].flags;
	uint16_t f = __atomic_load_n(flags, __ATOMIC_ACQUIRE);

	/* Still mapped or being copied by the other side: the page is not
	 * ours again, and the reference stays taken. */
	do {
		if (f & (GTF_READING | GTF_WRITING))
			return false;
	} while (!__atomic_compare_exchange_n(flags, &f, 0, false, __ATOMIC_ACQ_REL,
					      __ATOMIC_ACQUIRE));
	if (ref >= GNTTAB_FIRST_FREE)
		free_refs[n_free++] = (uint16_t)ref;
	return true;
}
