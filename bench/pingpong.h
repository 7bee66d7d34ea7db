/*
 * vm_switch between two real guests of one host: two instances of the
 * image share a page of memory and run on one physical CPU. The peer
 * (options vm_peer=S) stamps the time and gives the CPU up; the
 * measuring instance, polling, sees the stamp and takes the gap. The two
 * guests' counters have different offsets: each stamp carries the
 * pairing of its guest's counter with a clock both read alike, taken just
 * before (arch_guests_clock: the host's wall clock under KVM, the
 * physical counter under Xen on arm64), so that the gap is taken on that
 * clock.
 *
 * The page is found by peer_page_find() (drivers/peer_page.h): QEMU's
 * ivshmem-plain PCI device under KVM; under Xen a page of the measuring
 * guest granted to the peer's domain (option peer_dom=D on both sides
 * names the other) at grant reference PINGPONG_GRANT_REF.
 */
#ifndef VMB_PINGPONG_H
#define VMB_PINGPONG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <bench/bench.h>
#include <drivers/peer_page.h>

#define PINGPONG_MAGIC 0x3168637469777376ull /* "vswitch1" */
/* The peer sleeps this long after each stamp: long enough that the host
 * gives the CPU to the measuring guest, which polls, and halts it. */
#define PINGPONG_SLEEP_US 2000
/* How long either side waits for the other before it gives up. */
#define PINGPONG_JOIN_MS 20000
#define PINGPONG_YIELD_MS 1000
/* Until then the peer looks at the page this often, asleep in between,
 * so that it takes next to no time from the guest it shares a CPU with. */
#define PINGPONG_NAP_MS 50
/* Xen: the grant reference of the page (the first one after the eight
 * Xen's grant_table.h reserves). */
#define PINGPONG_GRANT_REF 8

enum pingpong_state {
	PINGPONG_EMPTY = 0,
	PINGPONG_READY,	 /* the measuring guest waits for a peer */
	PINGPONG_JOINED, /* the peer is there and stamping */
	PINGPONG_DONE,	 /* the measuring guest needs no more stamps */
	PINGPONG_FAILED, /* the peer cannot go on: why says why */
};

/* Every field is written by one side only (marked) and read by the other
 * with acquire/release ordering. */
struct pingpong {
	uint64_t magic; /* measuring guest */
	uint32_t state; /* enum pingpong_state: either, as marked there */
	uint32_t pad;
	uint64_t seq;	   /* peer: stamps given so far */
	uint64_t ack;	   /* measuring guest: the last seq it saw */
	uint64_t stamp;	   /* peer: its reference counter as it gave up the CPU */
	uint64_t go;	   /* peer: its reference counter as it saw the ack */
	uint64_t host_ns;  /* peer: the shared clock of its last pairing */
	uint64_t host_ref; /* peer: its reference counter at that instant */
	uint64_t ref_hz;   /* peer: its reference counter's frequency */
	char how[80];	   /* peer: how it gives up the CPU */
	char why[160];	   /* peer: why it failed */
};

/* The page, by how this guest runs (the other domain: option peer_dom=):
 * as_peer for the peer's side. */
enum peer_page_found peer_page_find(struct peer_page *p, bool as_peer, char *why, size_t why_len);

/* The measuring guest's side (bench/vm_switch_peer.c), for vm_switch
 * under a hypervisor: prep finds the page and waits for the peer. */
enum bench_prep vm_switch_peer_prep(struct bench_ctx *ctx);
uint64_t vm_switch_peer_measure(struct bench_ctx *ctx, uint32_t batch);
bool vm_switch_peer_accept(struct bench_ctx *ctx, const struct stats *st);
/* Tell the peer it may stop. */
void vm_switch_peer_done(void);

/* The peer's side (options vm_peer=S): serve stamps for at most S seconds
 * or until the measuring guest says done, then return. */
void vm_peer_run(uint32_t seconds);

#endif
