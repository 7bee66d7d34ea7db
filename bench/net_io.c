/*
 * The study's I/O latency, on the host's own clock: a datagram to the
 * host peer's stamp port (tools/vmb-peer), which answers with the times
 * its kernel received the datagram and it sent the answer
 * (CLOCK_REALTIME). Just before each operation the guest asks its
 * hypervisor for the host's time and its own reference counter at one
 * instant (arch_host_clock) and maps its stamps onto the host's clock:
 *   io_out   from just before the datagram's doorbell until the host's
 *            kernel received it (through the device model and the host's
 *            network stack);
 *   io_in    from the host's send of the answer until the guest's poll
 *            saw its frame in the used ring (polled: no interrupt handler);
 *   io_in.irq  the same until the receive queue's MSI-X handler runs, the
 *            study's definition (skipped where there is no MSI);
 *   io_rtt   from the doorbell until the answer's frame was seen, on the
 *            guest's clock alone: wherever there is a network, while the
 *            one-way split needs a host clock (KVM) and says why not.
 * The study's request/response breakdown, with the guest as the responder
 * (the netperf server in the VM): the guest asks the stamp port for a
 * "request" (its answer, sent at host time T1), answers it at once from
 * lwIP's receive callback, and the stamp port's answer to that gives the
 * host's receive time T2:
 *   io_rr.in     host send (T1) until the guest's poll saw the request;
 *   io_rr.guest  the guest's receive until its response's doorbell (lwIP
 *                in and out, UDP: guest clock only);
 *   io_rr.out    the response's doorbell until the host received it (T2).
 * An operation whose frames were not exactly one out and one in (an ARP
 * refresh between) is done again. A one-way time below zero, or above the
 * same operation's round trip on the guest's clock, means the two clocks
 * disagree: such a sample is done again, never kept, and more than 1 % of
 * them and the figure is not printed.
 */
#include <stdio.h>
#include <string.h>

#include <arch/counter.h>
#include <lwip/udp.h>
#include <vmb/arch.h>
#include <bench/bench.h>
#include <vmb/irq.h>
#include <drivers/net/net.h>
#include <vmb/platform.h>

#define RETRIES 8
#define STAMP_BYTES 24

enum io_kind { IO_OUT, IO_IN, IO_RTT, IO_IN_IRQ, IO_RR_IN, IO_RR_GUEST, IO_RR_OUT };

#define RR_RESPONSE (1ull << 63) /* in the sequence word of the guest's response */

static struct {
	struct udp_pcb *pcb;
	volatile bool got;
	uint64_t seq, rx_ref, rx_irq;
	/* Responder mode: the request's stamp, the response's doorbell. */
	bool responder, answered;
	uint64_t rr_rx, rr_tx, rr_host_send;
	uint8_t answer[STAMP_BYTES];
	uint64_t negative, over, samples;
	unsigned irq;
} io;

static volatile uint64_t irq_at;
static volatile unsigned irq_count;

static void rx_irq_handler(unsigned irq, void *arg)
{
	uint64_t now = ref_now();

	(void)irq, (void)arg;
	net_rx_irq_ack();
	/* Only an interrupt that finds a frame waiting is an arrival: one
	 * left over (a frame already taken by a poll, a stray broadcast, an
	 * event that came while interrupts were masked and is delivered only
	 * now, where an emulated CPU opens no window between STI and CLI)
	 * would stamp a time before the answer was sent. */
	if (!net_rx_ready())
		return;
	irq_at = now;
	irq_count++;
}

static uint64_t get64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static void on_answer(void *arg, struct udp_pcb *pcb, struct pbuf *p, const ip_addr_t *addr,
		      u16_t port)
{
	uint64_t tx;

	(void)arg, (void)pcb, (void)addr, (void)port;
	/* This frame's stamp: lwIP delivers it before the poll looks further. */
	net_io_stamps(&tx, &io.rx_ref);
	if (p->tot_len == STAMP_BYTES) {
		pbuf_copy_partial(p, io.answer, STAMP_BYTES, 0);
		uint64_t seq = get64(io.answer);
		if (io.responder && seq == io.seq && !io.answered) {
			/* The request: answer it here, as a server's receive
			 * handler would. */
			io.rr_rx = io.rx_ref;
			io.rr_host_send = get64(io.answer + 16);
			io.answered = true;
			struct pbuf *r = pbuf_alloc(PBUF_TRANSPORT, 8, PBUF_RAM);
			if (r) {
				for (int i = 0; i < 8; i++)
					((uint8_t *)r->payload)[i] =
						(uint8_t)((seq | RR_RESPONSE) >> (8 * i));
				udp_send(pcb, r);
				pbuf_free(r);
				uint64_t rx;
				net_io_stamps(&io.rr_tx, &rx);
			}
		} else {
			io.got = seq == (io.responder ? io.seq | RR_RESPONSE : io.seq);
		}
	}
	pbuf_free(p);
}

/* Where the host side's time comes from, for the call. */
static const char *host_time(void)
{
	return the_platform.mode == MODE_XEN ? ", dom0's time as Xen's wallclock + system time"
					     : ", host time by hypercall";
}

static enum bench_prep io_prep(struct bench_ctx *ctx)
{
	enum io_kind k = (enum io_kind)ctx->arg[0];
	char why[288];
	uint32_t peer;
	uint16_t port;
	ip_addr_t ip;
	uint64_t ns, ref;

	if (!net_peer(&peer, &port, why, sizeof(why)))
		return bench_why(ctx, net_broken() ? BENCH_FAIL : BENCH_SKIP, "%s", why);
	if (k != IO_RTT && k != IO_RR_GUEST && !arch_host_clock(&ns, &ref, why, sizeof(why)))
		return bench_why(
			ctx, BENCH_SKIP,
			"no clock shared with the host side (%s); see io_rtt for the round "
			"trip",
			why);
	memset(&io, 0, sizeof(io));
	io.responder = k == IO_RR_IN || k == IO_RR_GUEST || k == IO_RR_OUT;
	if (k == IO_IN_IRQ) {
		if (!net_rx_irq(&io.irq, why, sizeof(why)))
			return bench_why(ctx, BENCH_SKIP, "no receive interrupt: %s; see io_in",
					 why);
		irq_register(io.irq, rx_irq_handler, NULL, false);
		net_rx_irq_on(true);
	}
	io.pcb = udp_new();
	if (!io.pcb)
		return bench_why(ctx, BENCH_FAIL, "lwIP has no memory for a UDP socket");
	udp_recv(io.pcb, on_answer, NULL);
	ip_addr_set_ip4_u32(&ip, lwip_htonl(peer));
	if (udp_connect(io.pcb, &ip, port + NET_PEER_STAMP) != ERR_OK)
		return bench_why(ctx, BENCH_FAIL, "lwIP cannot address the peer");
	snprintf(ctx->call, sizeof(ctx->call), "UDP to the peer's stamp port %u, %s, polled%s",
		 port + NET_PEER_STAMP, net_where(), k == IO_RTT ? "" : host_time());
	if (k == IO_IN_IRQ)
		snprintf(ctx->call, sizeof(ctx->call),
			 "UDP to the peer's stamp port %u, %s, %s %u to handler",
			 port + NET_PEER_STAMP, net_where(), net_rx_irq_via(), io.irq);
	if (io.responder)
		snprintf(ctx->call, sizeof(ctx->call),
			 "the guest answers UDP requests of port %u, %s, polled%s",
			 port + NET_PEER_STAMP, net_where(), k == IO_RR_GUEST ? "" : host_time());
	return BENCH_RUN;
}

/* One datagram out and its answer in; false (ctx->reason) when lost. */
static bool exchange(struct bench_ctx *ctx, bool paired, uint64_t *pair_ns, uint64_t *pair_ref,
		     uint64_t *tx_ref, bool by_irq)
{
	char why[288];

	for (int attempt = 0; attempt < RETRIES; attempt++) {
		uint64_t in0, out0, in1, out1, rx;
		if (paired && !arch_host_clock(pair_ns, pair_ref, why, sizeof(why))) {
			bench_why(ctx, BENCH_FAIL, "the host clock went away: %s", why);
			return false;
		}
		struct pbuf *p = pbuf_alloc(PBUF_TRANSPORT, 8, PBUF_RAM);
		if (!p) {
			bench_why(ctx, BENCH_FAIL, "lwIP has no memory for a datagram");
			return false;
		}
		io.seq++;
		for (int i = 0; i < 8; i++)
			((uint8_t *)p->payload)[i] = (uint8_t)(io.seq >> (8 * i));
		/* A frame that came just as the last one was taken (a late
		 * answer, a stray broadcast) is taken now, so that the ring is
		 * empty and armed: otherwise its device (Xen's rsp_event, passed
		 * already) would not interrupt for this answer. */
		if (by_irq)
			net_poll();
		io.got = false;
		io.answered = false;
		/* An interrupt left pending by an earlier frame runs now, not
		 * in place of this answer's. */
		if (by_irq) {
			arch_irq_enable();
			arch_cpu_relax();
			arch_irq_disable();
		}
		unsigned irqs = irq_count;
		net_frames(&in0, &out0);
		err_t e = udp_send(io.pcb, p);
		pbuf_free(p);
		net_io_stamps(tx_ref, &rx);
		net_frames(&in1, &out1);
		if (e != ERR_OK) {
			bench_why(ctx, BENCH_FAIL, "lwIP could not send the datagram");
			return false;
		}
		uint64_t t0 = ref_now(), limit = ref_ms(NET_OP_TIMEOUT_MS);
		if (by_irq) {
			arch_irq_enable();
			while (irq_count == irqs && ref_now() - t0 < limit)
				arch_cpu_relax();
			arch_irq_disable();
			io.rx_irq = irq_at;
			if (irq_count == irqs) {
				char state[160];
				net_rx_irq_state(state, sizeof(state));
				bench_why(ctx, BENCH_FAIL, "no receive interrupt within 2 s%s%s",
					  state[0] ? ": " : "", state);
				return false;
			}
		}
		while (!io.got && ref_now() - t0 < limit)
			net_poll();
		if (!io.got) {
			bench_why(ctx, BENCH_FAIL,
				  "no answer from the peer's stamp port within 2 s");
			return false;
		}
		uint64_t in2, out2;
		net_frames(&in2, &out2);
		/* One out and one in; as responder two each (the request asked for
		 * and the response, and their answers). */
		unsigned each = io.responder ? 2 : 1;
		if (out1 - out0 == 1 && out2 - out1 == each - 1 && in2 - in1 == each)
			return true;
		/* An ARP exchange or a stray frame between: not this operation's. */
	}
	bench_why(ctx, BENCH_FAIL,
		  "%d tries each had frames other than the datagram and its answer", RETRIES);
	return false;
}

/* Reference ticks to ns and back; spans here are far below an overflow. */
static int64_t ref_to_ns(int64_t ticks)
{
	return (int64_t)((__int128)ticks * 1000000000 / (__int128)the_platform.ref_hz);
}

static int64_t ns_to_ref(int64_t ns)
{
	return (int64_t)((__int128)ns * (__int128)the_platform.ref_hz / 1000000000);
}

/* One operation's figure in reference ticks; for a one-way time, false
 * (and counted) when it came out below zero or above the exchange's own
 * round trip, which no real operation does. */
static bool one_sample(struct bench_ctx *ctx, enum io_kind k, uint64_t *ticks, bool *lost)
{
	uint64_t pair_ns = 0, pair_ref = 0, tx;

	if (!exchange(ctx, k != IO_RTT && k != IO_RR_GUEST, &pair_ns, &pair_ref, &tx,
		      k == IO_IN_IRQ)) {
		*lost = true;
		return false;
	}
	if (k == IO_RR_GUEST) {
		*ticks = io.rr_tx - io.rr_rx;
		return true;
	}
	if (k == IO_IN_IRQ)
		io.rx_ref = io.rx_irq; /* the handler's stamp ends it, not the poll's */
	if (k == IO_RTT) {
		*ticks = io.rx_ref - tx;
		return true;
	}
	/* The guest's stamps on the host's clock, from the pairing on. */
	int64_t tx_ns = (int64_t)pair_ns + ref_to_ns((int64_t)(tx - pair_ref));
	int64_t rx_ns = (int64_t)pair_ns + ref_to_ns((int64_t)(io.rx_ref - pair_ref));
	int64_t host_rx = (int64_t)get64(io.answer + 8), host_tx = (int64_t)get64(io.answer + 16);
	int64_t one_way = k == IO_OUT ? host_rx - tx_ns : rx_ns - host_tx;
	if (k == IO_RR_IN)
		one_way = (int64_t)pair_ns + ref_to_ns((int64_t)(io.rr_rx - pair_ref)) -
			  (int64_t)io.rr_host_send;
	else if (k == IO_RR_OUT)
		one_way = host_rx - ((int64_t)pair_ns + ref_to_ns((int64_t)(io.rr_tx - pair_ref)));
	io.samples++;
	if (one_way < 0) {
		io.negative++;
		return false;
	}
	if (one_way > ref_to_ns((int64_t)(io.rx_ref - tx))) {
		io.over++;
		return false;
	}
	*ticks = (uint64_t)ns_to_ref(one_way);
	return true;
}

/* An impossible one-way sample is not printed as a figure: the operation
 * is done again (io_accept refuses the whole figure past 1 % of them). */
static uint64_t io_measure(struct bench_ctx *ctx, uint32_t batch)
{
	enum io_kind k = (enum io_kind)ctx->arg[0];
	uint64_t ticks;
	bool lost = false;

	(void)batch; /* max_batch 1 */
	for (int attempt = 0; attempt < RETRIES; attempt++) {
		if (one_sample(ctx, k, &ticks, &lost))
			return ticks;
		if (lost)
			return BENCH_LOST;
	}
	/* The clocks, not the I/O path, failed: no figure can be trusted, and
	 * io_rtt still gives the round trip. */
	bench_why(ctx, BENCH_SKIP,
		  "%d tries in a row came out below zero or above their own round trip on the "
		  "host's clock: the guest's and the host's clocks disagree; see io_rtt",
		  RETRIES);
	ctx->gave_up = true;
	return BENCH_LOST;
}

static bool io_accept(struct bench_ctx *ctx, const struct stats *st)
{
	(void)st;
	if ((io.negative + io.over) * 100 > io.samples) {
		snprintf(ctx->reason, sizeof(ctx->reason),
			 "%llu of %llu samples came out below zero and %llu above their own round "
			 "trip on the host's clock: the guest's and the host's clocks disagree; "
			 "see io_rtt",
			 (unsigned long long)io.negative, (unsigned long long)io.samples,
			 (unsigned long long)io.over);
		return false;
	}
	return true;
}

static void io_post(struct bench_ctx *ctx)
{
	(void)ctx;
	if (io.irq) {
		net_rx_irq_on(false);
		irq_unregister(io.irq);
	}
	if (io.pcb)
		udp_remove(io.pcb);
	io.pcb = NULL;
}

#define IO_BENCH(id, str, desc_, kind, accept_)                                                    \
	static enum bench_prep prep_##id(struct bench_ctx *ctx)                                    \
	{                                                                                          \
		ctx->arg[0] = kind;                                                                \
		return io_prep(ctx);                                                               \
	}                                                                                          \
	BENCH_NAMED(id, str, .desc = desc_, .prep = prep_##id, .measure = io_measure,              \
		    .max_batch = 1, .ref_clock = true, .accept = accept_, .post = io_post,         \
		    .order = 31)

IO_BENCH(io_out, "io_out",
	 "I/O out: guest doorbell until the host side has the datagram (host clock)", IO_OUT,
	 io_accept);
IO_BENCH(io_in, "io_in", "I/O in: host side's send until the guest sees the frame (host clock)",
	 IO_IN, io_accept);
IO_BENCH(io_in_irq, "io_in.irq",
	 "I/O in: host side's send until the guest's receive interrupt handler runs", IO_IN_IRQ,
	 io_accept);
IO_BENCH(io_rr_in, "io_rr.in",
	 "request/response, guest answering: host send until the guest sees the request", IO_RR_IN,
	 io_accept);
IO_BENCH(io_rr_guest, "io_rr.guest",
	 "request/response, guest answering: guest receive until its response's doorbell",
	 IO_RR_GUEST, NULL);
IO_BENCH(io_rr_out, "io_rr.out",
	 "request/response, guest answering: the response's doorbell until the host has it",
	 IO_RR_OUT, io_accept);
IO_BENCH(io_rtt, "io_rtt", "I/O round trip: guest doorbell until the answer's frame is seen",
	 IO_RTT, NULL);
