/*
 * The network as a guest sees it, against the host peer (tools/vmb-peer,
 * address from peer=) through lwIP over virtio-net, polled:
 *   net_rr, net_rr.udp   1 byte out, the same byte back from the echo
 *                        port (TCP with Nagle off; UDP): one round trip;
 *   net_stream_tx[.N]    N-byte writes to the sink port (64 KiB, 1448, 64):
 *                        time per write with the send buffer kept full,
 *                        so the inverse of the rate;
 *   net_stream_rx[.N]    the source port writes N-byte chunks: time per
 *                        chunk received.
 * A stream sample spans 1 MiB (the batch), so that it averages over the
 * stack's and the device's bursts; the record's frame_bytes says how much
 * went into each frame, for packets/s.
 * Every operation waits at most NET_OP_TIMEOUT_MS; a peer that stops answering
 * ends the benchmark with an error. Bytes per operation go into the result
 * record ("bytes") so that a reader can turn times into Gbit/s.
 */
#include <stdio.h>
#include <string.h>

#include <arch/counter.h>
#include <lwip/priv/tcp_priv.h> /* tcp_ack_now */
#include <lwip/tcp.h>
#include <lwip/udp.h>
#include <bench/bench.h>
#include <drivers/net/net.h>
#include <vmb/platform.h>
#include <vmb/watchdog.h>

#define CONNECT_TIMEOUT_MS 5000
#define CHUNK_MAX 65536
#define STREAM_BATCH_BYTES (1u << 20)

enum kind { RR_TCP, RR_UDP, STREAM_TX, STREAM_RX };

static struct {
	struct tcp_pcb *tcp;
	struct udp_pcb *udp;
	bool connected, closed, ack_now;
	err_t err;
	uint64_t rx_bytes;	/* delivered since the connection opened */
	uint64_t moved, frames; /* while measuring: payload bytes, frames */
} c;
static uint8_t tx_data[CHUNK_MAX];

static err_t on_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
	(void)arg;
	if (!p) {
		c.closed = true;
		return ERR_OK;
	}
	c.rx_bytes += p->tot_len;
	tcp_recved(pcb, p->tot_len);
	/* Receiving a stream: no delayed ACK, or a sender that waits for one
	 * (Nagle, QEMU's slirp) stalls until lwIP's 250 ms timer. A request/
	 * response carries its ACK on the next request, as TCP_RR does. */
	if (c.ack_now)
		tcp_ack_now(pcb);
	pbuf_free(p);
	return err;
}

static void on_err(void *arg, err_t err)
{
	(void)arg;
	c.tcp = NULL; /* lwIP has freed it */
	c.closed = true;
	c.err = err;
}

static err_t on_connected(void *arg, struct tcp_pcb *pcb, err_t err)
{
	(void)arg;
	(void)pcb;
	c.connected = err == ERR_OK;
	return ERR_OK;
}

static void on_udp(void *arg, struct udp_pcb *pcb, struct pbuf *p, const ip_addr_t *addr,
		   u16_t port)
{
	(void)arg;
	(void)pcb;
	(void)addr;
	(void)port;
	c.rx_bytes += p->tot_len;
	pbuf_free(p);
}

/* Poll the network until *flag or the deadline: false at the deadline. */
static bool wait_for(volatile bool *flag, unsigned ms)
{
	uint64_t t0 = ref_now(), limit = ref_ms(ms);

	while (!*flag) {
		net_poll();
		if (ref_now() - t0 > limit)
			return false;
	}
	return true;
}

/* Poll until `until` bytes have arrived. The timeout runs from the last
 * byte that came, not from the call: a stream batch is 1 MiB, and a slow
 * stream that keeps arriving is no stopped one (in the nested lab 1 MiB
 * of 64-byte chunks took longer than NET_OP_TIMEOUT_MS, and the source was
 * declared stopped while it still sent). False when nothing arrived for
 * NET_OP_TIMEOUT_MS or the connection closed. */
static bool wait_bytes(uint64_t until)
{
	uint64_t t0 = ref_now(), limit = ref_ms(NET_OP_TIMEOUT_MS), seen = c.rx_bytes;

	while (c.rx_bytes < until) {
		net_poll();
		if (c.rx_bytes != seen) {
			seen = c.rx_bytes;
			t0 = ref_now();
			watchdog_beat(); /* progress: this batch is not hung */
		} else if (c.closed || ref_now() - t0 > limit)
			return false;
	}
	return true;
}

static void close_all(void)
{
	if (c.tcp) {
		tcp_arg(c.tcp, NULL);
		tcp_recv(c.tcp, NULL);
		tcp_err(c.tcp, NULL);
		if (tcp_close(c.tcp) != ERR_OK)
			tcp_abort(c.tcp);
		c.tcp = NULL;
	}
	if (c.udp) {
		udp_remove(c.udp);
		c.udp = NULL;
	}
	/* Let the FIN go out. */
	for (int i = 0; i < 100; i++)
		net_poll();
}

static enum bench_prep open_tcp(struct bench_ctx *ctx, ip_addr_t *ip, uint16_t port,
				const char *what)
{
	c.tcp = tcp_new();
	if (!c.tcp)
		return bench_why(ctx, BENCH_FAIL, "lwIP has no memory for a TCP connection");
	tcp_recv(c.tcp, on_recv);
	tcp_err(c.tcp, on_err);
	tcp_nagle_disable(c.tcp);
	if (tcp_connect(c.tcp, ip, port, on_connected) != ERR_OK ||
	    !wait_for(&c.connected, CONNECT_TIMEOUT_MS) || c.closed) {
		close_all();
		return bench_why(ctx, BENCH_FAIL,
				 "no TCP connection to the peer's %s port %u within %u s (%s)",
				 what, port, CONNECT_TIMEOUT_MS / 1000,
				 c.err ? lwip_strerr(c.err) : "no answer");
	}
	return BENCH_RUN;
}

static uint64_t tx_measure(struct bench_ctx *ctx, uint32_t batch);

static enum bench_prep net_prep(struct bench_ctx *ctx)
{
	enum kind k = (enum kind)ctx->arg[0];
	uint32_t size = (uint32_t)ctx->arg[1];
	uint32_t peer;
	uint16_t port;
	ip_addr_t ip;
	char why[192];

	if (!net_peer(&peer, &port, why, sizeof(why)))
		return bench_why(ctx, net_broken() ? BENCH_FAIL : BENCH_SKIP, "%s", why);
	memset(&c, 0, sizeof(c));
	ip_addr_set_ip4_u32(&ip, lwip_htonl(peer));
	static const char *const what[] = { "TCP echo", "UDP echo", "TCP sink", "TCP source" };
	snprintf(ctx->call, sizeof(ctx->call),
		 "lwIP over %s, polled, to peer %s port %u: ", net_where(), what[k],
		 port + (k == STREAM_TX	  ? NET_PEER_SINK
			 : k == STREAM_RX ? NET_PEER_SOURCE
					  : NET_PEER_ECHO));
	size_t used = strlen(ctx->call);
	switch (k) {
	case RR_UDP:
		c.udp = udp_new();
		if (!c.udp)
			return bench_why(ctx, BENCH_FAIL, "lwIP has no memory for a UDP socket");
		udp_recv(c.udp, on_udp, NULL);
		if (udp_connect(c.udp, &ip, port + NET_PEER_ECHO) != ERR_OK)
			return bench_why(ctx, BENCH_FAIL, "lwIP cannot address the peer");
		snprintf(ctx->call + used, sizeof(ctx->call) - used, "1 byte each way");
		return BENCH_RUN;
	case RR_TCP:
		snprintf(ctx->call + used, sizeof(ctx->call) - used, "1 byte each way");
		return open_tcp(ctx, &ip, port + NET_PEER_ECHO, "echo");
	case STREAM_TX:
		snprintf(ctx->call + used, sizeof(ctx->call) - used, "%u-byte writes", size);
		for (uint32_t i = 0; i < size; i++)
			tx_data[i] = (uint8_t)i;
		enum bench_prep v = open_tcp(ctx, &ip, port + NET_PEER_SINK, "sink");
		/* Fill the send buffer first: from then on every write waits
		 * for the peer's ACKs, the steady state being measured. */
		if (v == BENCH_RUN && tx_measure(ctx, 2 * TCP_SND_BUF / size) == BENCH_LOST) {
			close_all();
			return BENCH_FAIL;
		}
		c.moved = c.frames = 0;
		return v;
	case STREAM_RX: {
		snprintf(ctx->call + used, sizeof(ctx->call) - used, "%u-byte chunks", size);
		c.ack_now = true;
		enum bench_prep v = open_tcp(ctx, &ip, port + NET_PEER_SOURCE, "source");
		if (v != BENCH_RUN)
			return v;
		/* The peer's chunk size, big-endian, before it starts writing. */
		uint8_t ask[4] = { size >> 24, size >> 16 & 255, size >> 8 & 255, size & 255 };
		if (tcp_write(c.tcp, ask, 4, TCP_WRITE_FLAG_COPY) != ERR_OK ||
		    tcp_output(c.tcp) != ERR_OK) {
			close_all();
			return bench_why(ctx, BENCH_FAIL, "lwIP could not send the chunk size");
		}
		return BENCH_RUN;
	}
	}
	return BENCH_FAIL;
}

/* Bytes per frame so far: frames counted in the direction of the data. */
static void count_frames(struct bench_ctx *ctx, uint64_t bytes, uint64_t frames)
{
	c.moved += bytes;
	c.frames += frames;
	if (c.frames)
		ctx->bytes_per_frame = (uint32_t)(c.moved / c.frames);
}

static uint64_t lost(struct bench_ctx *ctx, const char *what)
{
	bench_why(ctx, BENCH_FAIL, "%s (%s)", what,
		  c.closed ? (c.err ? lwip_strerr(c.err) : "the peer closed the connection")
			   : "the peer stopped answering");
	return BENCH_LOST;
}

static uint64_t rr_measure(struct bench_ctx *ctx, uint32_t batch)
{
	uint64_t sum = 0;

	for (uint32_t i = 0; i < batch; i++) {
		uint64_t want = c.rx_bytes + 1;
		uint64_t t0 = counter_start();
		if (c.udp) {
			struct pbuf *p = pbuf_alloc(PBUF_TRANSPORT, 1, PBUF_RAM);
			if (!p)
				return lost(ctx, "lwIP has no memory for a datagram");
			((uint8_t *)p->payload)[0] = (uint8_t)i;
			err_t e = udp_send(c.udp, p);
			pbuf_free(p);
			if (e != ERR_OK)
				return lost(ctx, "lwIP could not send the datagram");
		} else {
			uint8_t b = (uint8_t)i;
			if (!c.tcp || tcp_write(c.tcp, &b, 1, TCP_WRITE_FLAG_COPY) != ERR_OK ||
			    tcp_output(c.tcp) != ERR_OK)
				return lost(ctx, "lwIP could not send the request");
		}
		if (!wait_bytes(want))
			return lost(ctx, "no answer within 2 s");
		sum += counter_stop() - t0;
	}
	return sum;
}

/* batch writes, each waiting for room in the send buffer: start to end. */
static uint64_t tx_measure(struct bench_ctx *ctx, uint32_t batch)
{
	uint32_t size = (uint32_t)ctx->arg[1];
	uint64_t in, out0, out1;
	u32_t sent0 = c.tcp ? c.tcp->snd_nxt : 0;
	net_frames(&in, &out0);
	uint64_t t0 = counter_start(), limit = ref_ms(NET_OP_TIMEOUT_MS);

	for (uint32_t i = 0; i < batch; i++) {
		uint32_t done = 0;
		uint64_t since = ref_now();
		while (done < size) {
			if (!c.tcp)
				return lost(ctx, "the connection to the sink broke");
			/* As much as there is room for; tcp_write takes 16 bits. */
			uint32_t n = size - done, room = tcp_sndbuf(c.tcp);
			if (n > room)
				n = room;
			if (n > 0xffff)
				n = 0xffff;
			if (n && tcp_write(c.tcp, tx_data + done, (u16_t)n, TCP_WRITE_FLAG_COPY) ==
					 ERR_OK) {
				done += n;
				since = ref_now();
				/* Progress: a 1 MiB batch of 64-byte writes outlasted
				 * the watchdog in the nested lab, never stuck. */
				watchdog_beat();
				continue;
			}
			tcp_output(c.tcp);
			net_poll();
			if (ref_now() - since > limit)
				return lost(ctx, "no room in the send buffer for 2 s");
		}
		tcp_output(c.tcp);
		net_poll();
	}
	uint64_t t = counter_stop() - t0;
	net_frames(&in, &out1);
	/* The bytes those frames carried are the sequence space sent, not the
	 * bytes written: the send buffer holds up to TCP_SND_BUF of these,
	 * sent before the batch or after it (the arm64 KVM lab once gave 1521
	 * bytes a frame over a 2 MiB run). */
	if (c.tcp)
		count_frames(ctx, (u32_t)(c.tcp->snd_nxt - sent0), out1 - out0);
	return t;
}

static uint64_t rx_measure(struct bench_ctx *ctx, uint32_t batch)
{
	uint32_t size = (uint32_t)ctx->arg[1];
	/* From a chunk boundary, so that each batch waits for whole chunks. */
	uint64_t in0, in1, out;
	net_frames(&in0, &out);
	uint64_t start = c.rx_bytes, t0 = counter_start();

	if (!wait_bytes(start + (uint64_t)batch * size))
		return lost(ctx, "the source sent nothing for 2 s");
	uint64_t t = counter_stop() - t0;
	net_frames(&in1, &out);
	count_frames(ctx, c.rx_bytes - start, in1 - in0);
	return t;
}

static void net_post(struct bench_ctx *ctx)
{
	(void)ctx;
	close_all();
}

#define NET_BENCH(id, str, desc_, kind, size, how, batch)                                          \
	static enum bench_prep prep_##id(struct bench_ctx *ctx)                                    \
	{                                                                                          \
		ctx->arg[0] = kind;                                                                \
		ctx->arg[1] = size;                                                                \
		return net_prep(ctx);                                                              \
	}                                                                                          \
	BENCH_NAMED(id, str, .desc = desc_, .prep = prep_##id, .measure = how, .post = net_post,   \
		    .bytes_per_op = size, .min_batch = batch, .max_batch = batch, .order = 30)

NET_BENCH(net_rr, "net_rr", "TCP 1-byte request/response with the host peer", RR_TCP, 0, rr_measure,
	  0);
NET_BENCH(net_rr_udp, "net_rr.udp", "UDP 1-byte request/response with the host peer", RR_UDP, 0,
	  rr_measure, 0);
NET_BENCH(net_stream_tx, "net_stream_tx", "TCP 64 KiB writes to the host peer: time per write",
	  STREAM_TX, 65536, tx_measure, STREAM_BATCH_BYTES / 65536);
NET_BENCH(net_stream_tx_1448, "net_stream_tx.1448",
	  "TCP 1448-byte writes to the host peer: time per write", STREAM_TX, 1448, tx_measure,
	  STREAM_BATCH_BYTES / 1448);
NET_BENCH(net_stream_tx_64, "net_stream_tx.64",
	  "TCP 64-byte writes to the host peer: time per write", STREAM_TX, 64, tx_measure,
	  STREAM_BATCH_BYTES / 64);
NET_BENCH(net_stream_rx, "net_stream_rx", "TCP 64 KiB chunks from the host peer: time per chunk",
	  STREAM_RX, 65536, rx_measure, STREAM_BATCH_BYTES / 65536);
NET_BENCH(net_stream_rx_1448, "net_stream_rx.1448",
	  "TCP 1448-byte chunks from the host peer: time per chunk", STREAM_RX, 1448, rx_measure,
	  STREAM_BATCH_BYTES / 1448);
NET_BENCH(net_stream_rx_64, "net_stream_rx.64",
	  "TCP 64-byte chunks from the host peer: time per chunk", STREAM_RX, 64, rx_measure,
	  STREAM_BATCH_BYTES / 64);
