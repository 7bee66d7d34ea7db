/*
 * Xen's ABI as the image uses it, in one place: hypercall numbers, their
 * sub-operations, and the layouts of Xen's public headers as a 64-bit
 * guest sees them (xen.h, version.h, memory.h, grant_table.h,
 * event_channel.h, hvm/params.h, vcpu.h, sched.h, io/console.h,
 * io/xs_wire.h, io/xenbus.h). The hypercall instruction itself is the
 * architecture's (arch_xen_hypercall).
 */
#ifndef VMB_XEN_H
#define VMB_XEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Hypercall numbers (xen.h). */
#define XEN_HC_MEMORY_OP 12
#define XEN_HC_XEN_VERSION 17
#define XEN_HC_CONSOLE_IO 18
#define XEN_HC_GRANT_TABLE_OP 20
#define XEN_HC_VCPU_OP 24
#define XEN_HC_SCHED_OP 29
#define XEN_HC_EVENT_CHANNEL_OP 32
#define XEN_HC_HVM_OP 34

/* arm64 makes every hypercall with this HVC immediate, the number in x16. */
#define XEN_HVC_IMM "0xEA1"

#define DOMID_SELF 0x7ff0u
/* Xen's frames are 4 KiB on both architectures. */
#define XEN_PAGE 4096u

/* xen_version (version.h). */
#define XENVER_VERSION 0
#define XENVER_EXTRAVERSION 1
#define XEN_EXTRAVERSION_LEN 16
#define XENVER_GET_FEATURES 6
#define XENFEAT_HVM_CALLBACK_VECTOR 8
#define XENFEAT_DOM0 11
struct xen_feature_info {
	uint32_t submap_idx;
	uint32_t submap;
};

/* console_io. */
#define CONSOLEIO_WRITE 0

/* sched_op (sched.h). */
#define SCHEDOP_SHUTDOWN 2

/* hvm_op (hvm/hvm_op.h, hvm/params.h). */
#define HVMOP_SET_PARAM 0
#define HVMOP_GET_PARAM 1
#define HVM_PARAM_CALLBACK_IRQ 0
#define HVM_CALLBACK_VECTOR(v) (2ull << 56 | (v)) /* delivery type 2: a vector */
#define HVM_PARAM_STORE_PFN 1
#define HVM_PARAM_STORE_EVTCHN 2
#define HVM_PARAM_CONSOLE_PFN 17
#define HVM_PARAM_CONSOLE_EVTCHN 18
struct xen_hvm_param {
	uint16_t domid;
	uint32_t index;
	uint64_t value;
};

/* event_channel_op (event_channel.h). */
#define EVTCHNOP_CLOSE 3
#define EVTCHNOP_SEND 4
#define EVTCHNOP_ALLOC_UNBOUND 6
#define EVTCHNOP_UNMASK 9
struct evtchn_alloc_unbound {
	uint16_t dom, remote_dom;
	uint32_t port; /* out */
};

/* vcpu_op (vcpu.h, hvm/hvm_vcpu.h). */
#define VCPUOP_INITIALISE 0
#define VCPUOP_UP 1
#define VCPU_HVM_MODE_64B 1
struct vcpu_hvm_x86_64 {
	uint64_t rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi, rip, rflags;
	uint64_t cr0, cr3, cr4, efer;
};
struct vcpu_hvm_context {
	uint32_t mode;
	uint32_t pad;
	union {
		uint8_t x86_32[120]; /* struct vcpu_hvm_x86_32: sizes the union */
		struct vcpu_hvm_x86_64 x86_64;
	} cpu_regs;
};

/* memory_op (memory.h). */
#define XENMEM_DECREASE_RESERVATION 1
#define XENMEM_ADD_TO_PHYSMAP 7
#define XENMAPSPACE_SHARED_INFO 0
#define XENMAPSPACE_GRANT_TABLE 1
struct xen_memory_reservation {
	uint64_t extent_start; /* guest handle of the frame numbers */
	uint64_t nr_extents;
	uint32_t extent_order;
	uint32_t mem_flags;
	uint16_t domid;
};
struct xen_add_to_physmap {
	uint16_t domid;
	uint16_t size;
	uint32_t space;
	uint64_t idx;
	uint64_t gpfn;
};
_Static_assert(sizeof(struct xen_memory_reservation) == 32, "memory.h layout");
_Static_assert(sizeof(struct xen_add_to_physmap) == 24, "memory.h layout");

/* grant_table_op (grant_table.h, v1). */
#define GNTTABOP_MAP_GRANT_REF 0
#define GNTMAP_HOST_MAP (1u << 1)
#define GTF_PERMIT_ACCESS 1u
#define GTF_READONLY (1u << 2)
#define GTF_READING (1u << 3) /* the other domain has it mapped or is copying */
#define GTF_WRITING (1u << 4)
/* References the toolstack keeps for itself (console, xenstore). */
#define GNTTAB_NR_RESERVED_ENTRIES 8
#define GNTST_OKAY 0
#define GNTST_GENERAL_ERROR (-1) /* also: not granted (yet), or not to us */
#define GNTST_BAD_DOMAIN (-2)
struct grant_entry_v1 {
	uint16_t flags;
	uint16_t domid;
	uint32_t frame;
};
struct gnttab_map_grant_ref {
	uint64_t host_addr;
	uint32_t flags;
	uint32_t ref;
	uint16_t dom;
	int16_t status;
	uint32_t handle;
	uint64_t dev_bus_addr;
};
_Static_assert(sizeof(struct gnttab_map_grant_ref) == 32, "grant_table.h layout");

/* Xen's system time for one vCPU (xen.h struct vcpu_time_info): ns since
 * Xen booted at tsc_timestamp, and the TSC's rate; version is odd while
 * Xen updates it. */
struct vcpu_time_info {
	uint32_t version;
	uint32_t pad0;
	uint64_t tsc_timestamp;
	uint64_t system_time;
	uint32_t tsc_to_system_mul;
	int8_t tsc_shift;
	uint8_t flags;
	uint8_t pad1[2];
};
/* x86's struct vcpu_info: the time comes after the event channel words
 * and arch_vcpu_info (cr2, pad); shared_info starts with 32 of them. */
struct vcpu_info_x86 {
	uint8_t evtchn_upcall_pending;
	uint8_t evtchn_upcall_mask;
	uint8_t pad[6];
	uint64_t evtchn_pending_sel;
	uint64_t cr2, arch_pad;
	struct vcpu_time_info time;
};
_Static_assert(sizeof(struct vcpu_time_info) == 32, "xen.h layout");
_Static_assert(sizeof(struct vcpu_info_x86) == 64, "xen.h layout");

/* The shared info page (xen.h struct shared_info): the vcpu_infos (their
 * count and size are the architecture's: include arch/xen.h to use these
 * offsets), the event channel
 * pending and mask words (64 of each), then the wallclock: the time of
 * day at system time 0, as dom0 told it (version odd while Xen writes). */
#define XEN_EVTCHN_PENDING_OFF (XEN_SHARED_VCPUS * XEN_VCPU_INFO_BYTES)
#define XEN_EVTCHN_MASK_OFF (XEN_EVTCHN_PENDING_OFF + 64 * 8)
#define XEN_WALLCLOCK_OFF (XEN_EVTCHN_MASK_OFF + 64 * 8)
struct xen_wallclock {
	uint32_t version, sec, nsec, sec_hi;
};

/* The PV console ring (io/console.h struct xencons_interface). */
#define XENCONS_OUT_SIZE 2048
struct xencons_ring {
	char in[1024];
	char out[XENCONS_OUT_SIZE];
	uint32_t in_cons, in_prod;
	uint32_t out_cons, out_prod;
};

/* xenstore's ring page (io/xs_wire.h struct xenstore_domain_interface)
 * and the header of every message on it. */
#define XENSTORE_RING_SIZE 1024
#define XENSTORE_PAYLOAD_MAX 4096
/* Message types (enum xsd_sockmsg_type); WATCH_EVENT and ERROR come only
 * from xenstored. */
#define XS_DIRECTORY 1
#define XS_READ 2
#define XS_WATCH 4
#define XS_UNWATCH 5
#define XS_TRANSACTION_START 6
#define XS_TRANSACTION_END 7
#define XS_WRITE 11
#define XS_WATCH_EVENT 15
#define XS_ERROR 16
struct xenstore_ring {
	char req[XENSTORE_RING_SIZE];
	char rsp[XENSTORE_RING_SIZE];
	uint32_t req_cons, req_prod;
	uint32_t rsp_cons, rsp_prod;
};
struct xsd_sockmsg {
	uint32_t type, req_id, tx_id, len;
};
_Static_assert(sizeof(struct xsd_sockmsg) == 16, "xs_wire.h layout");

/* A PV device's side of the handshake (io/xenbus.h enum xenbus_state),
 * in <frontend or backend>/state as a decimal number. */
#define XENBUS_STATE_UNKNOWN 0
#define XENBUS_STATE_INITIALISING 1
#define XENBUS_STATE_INIT_WAIT 2
#define XENBUS_STATE_INITIALISED 3
#define XENBUS_STATE_CONNECTED 4
#define XENBUS_STATE_CLOSING 5
#define XENBUS_STATE_CLOSED 6

/* A shared ring page (io/ring.h): the producer and event indices of both
 * directions, 64 bytes of header, then the entries (requests and responses
 * share the slots), their count the largest power of two that fits. */
struct xen_sring_header {
	uint32_t req_prod, req_event;
	uint32_t rsp_prod, rsp_event;
	uint8_t pad[48];
};
_Static_assert(sizeof(struct xen_sring_header) == 64, "ring.h layout");
#define XEN_RING_SIZE(entry)                                                                       \
	(XEN_PAGE - 64 >= 256 * (entry)	  ? 256u                                                   \
	 : XEN_PAGE - 64 >= 128 * (entry) ? 128u                                                   \
	 : XEN_PAGE - 64 >= 64 * (entry)  ? 64u                                                    \
					  : 32u)

/* The network's rings (io/netif.h). */
#define NETTXF_MORE_DATA (1u << 2)
#define NETRXF_DATA_VALIDATED (1u << 0)
#define NETRXF_CSUM_BLANK (1u << 1)
#define NETRXF_MORE_DATA (1u << 2)
#define NETRXF_EXTRA_INFO (1u << 3)
#define XEN_NETIF_EXTRA_FLAG_MORE 1u /* in a netif_extra_info's flags byte */
#define NETIF_RSP_OKAY 0
#define NETIF_RSP_NULL 1
struct netif_tx_request {
	uint32_t gref;
	uint16_t offset, flags, id, size;
};
struct netif_tx_response {
	uint16_t id;
	int16_t status;
};
struct netif_rx_request {
	uint16_t id, pad;
	uint32_t gref;
};
struct netif_rx_response {
	uint16_t id, offset, flags;
	int16_t status;
};
union netif_tx_entry {
	struct netif_tx_request req;
	struct netif_tx_response rsp;
};
union netif_rx_entry {
	struct netif_rx_request req;
	struct netif_rx_response rsp;
};
_Static_assert(sizeof(union netif_tx_entry) == 12 && sizeof(union netif_rx_entry) == 8,
	       "netif.h layout");
#define NETIF_TX_RING XEN_RING_SIZE(sizeof(union netif_tx_entry))
#define NETIF_RX_RING XEN_RING_SIZE(sizeof(union netif_rx_entry))

/* The block ring (io/blkif.h): direct requests, up to 11 segments each. */
#define BLKIF_OP_READ 0
#define BLKIF_OP_WRITE 1
#define BLKIF_MAX_SEGMENTS 11
#define BLKIF_RSP_OKAY 0
#define VDISK_READONLY 4 /* in the backend's "info" */
struct blkif_segment {
	uint32_t gref;
	uint8_t first_sect, last_sect;
	uint8_t pad[2];
};
struct blkif_request {
	uint8_t operation, nr_segments;
	uint16_t handle;
	uint32_t pad;
	uint64_t id, sector_number;
	struct blkif_segment seg[BLKIF_MAX_SEGMENTS];
};
struct blkif_response {
	uint64_t id;
	uint8_t operation, pad;
	int16_t status;
	uint32_t pad2;
};
union blkif_entry {
	struct blkif_request req;
	struct blkif_response rsp;
};
_Static_assert(sizeof(struct blkif_request) == 112 && sizeof(struct blkif_response) == 16,
	       "blkif.h layout");
#define BLKIF_RING XEN_RING_SIZE(sizeof(union blkif_entry))

/* Hypercall with three arguments; -38 (ENOSYS) when no Xen is known. */
long arch_xen_hypercall(unsigned nr, unsigned long a1, unsigned long a2, unsigned long a3);

/* Hand a page of RAM (page-aligned, identity-mapped) back to Xen, so that
 * its frame is free to map something else at (XENMEM_add_to_physmap). */
bool xen_give_back(void *page, char *why, size_t why_len);
/* Give page back and have Xen put frame idx of space (XENMAPSPACE_*) at
 * its frame; false and why ("Xen did not map <what> ...") otherwise. */
bool xen_map_over(void *page, unsigned space, unsigned idx, const char *what, char *why,
		  size_t why_len);

/* Xen's shared info page (vcpu_info, event channel bits, wall clock),
 * mapped on first use; NULL and why when Xen would not. */
volatile void *xen_shared_info(char *why, size_t why_len);

/* Route Xen's event channel upcall to the boot CPU, once: its interrupt
 * number (x86: the callback vector, HVM_PARAM_CALLBACK_IRQ, when Xen
 * offers XENFEAT_hvm_callback_vector; arm64: the PPI the /hypervisor node
 * names) and how it comes, or false and why. The handler must acknowledge
 * the upcall (evtchn_upcall_ack) before it completes; x86's callback
 * vector bypasses the local APIC and takes no EOI. */
bool arch_xen_upcall(unsigned *irq, char *via, size_t via_len, char *why, size_t why_len);

/* Xen says this domain is the hardware domain (XENFEAT_dom0). */
bool xen_is_dom0(void);
/* Xen offers this XENFEAT_* feature. */
bool xen_has_feature(unsigned feature);
/* An HVM parameter of this domain (HVMOP_get_param): 0, or Xen's error. */
int xen_hvm_get_param(uint32_t index, uint64_t *value);
/* Notify the other end of an event channel. */
void xen_evtchn_send(uint32_t port);
/* Xen's version and extraversion, and this domain's role (dom0, domU,
 * dom0less) into p; the domain id where the role alone says it (dom0). */
struct platform;
void xen_describe(struct platform *p);

#endif
