/*
 * Serving the host's own clients, so that figures come from tools users
 * already trust: Debian's sockperf in ping-pong mode (UDP and TCP) and
 * iperf 2 (lwIP's lwiperf server for the host's client; for the other
 * direction the host's iperf server measures what the image sends it). The
 * host side (tools/host-clients) runs the tools and writes their figures
 * into the log. The control port takes one line per connection:
 * "client PORT SECONDS" has the image send to PORT on the host for SECONDS
 * (an iperf 2 stream: a 24-byte header of zeros, no options, then data;
 * not lwiperf's client, which always sends for 10 s and cannot be stopped
 * cleanly), "done" ends the serving. The image waits at most serve=
 * seconds.
 *
 * sockperf's messages: a 14-byte header (sequence number, 8 bytes; flags,
 * 2; total length, 4; network order) and padding. The server answers a
 * message flagged client and pong-request with the same bytes, the client
 * flag cleared.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arch/counter.h>
#include <lwip/apps/lwiperf.h>
#include <lwip/tcp.h>
#include <lwip/udp.h>
#include <drivers/net/net.h>
#include <vmb/platform.h>
#include <vmb/report.h>

#define SP_HDR 14
#define SP_FLAGS 8
#define SP_LEN 10
#define SP_CLIENT 1
#define SP_PONG 2
#define SP_MAX 65536

static struct {
	bool done;
	unsigned udp_msgs, tcp_msgs, iperf_runs, bad;
	struct tcp_conn {
		struct tcp_pcb *pcb;
		uint32_t have;
		uint8_t *buf; /* SP_MAX bytes */
	} tcp;
	uint8_t *udp_msg; /* SP_MAX bytes */
	struct sender {	  /* towards the host's iperf server */
		struct tcp_pcb *pcb;
		bool connected, failed;
		uint64_t start, until; /* reference clock */
		uint64_t written;
	} tx;
} sv;

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* A message to answer: the client flag cleared in place. */
static bool sp_answer(uint8_t *msg, uint32_t len)
{
	if (len < SP_HDR || be32(msg + SP_LEN) != len) {
		sv.bad++;
		return false;
	}
	uint8_t *flags = msg + SP_FLAGS + 1; /* the low byte, network order */
	if ((*flags & (SP_CLIENT | SP_PONG)) != (SP_CLIENT | SP_PONG))
		return false;
	*flags &= (uint8_t)~SP_CLIENT;
	return true;
}

static void sp_udp(void *arg, struct udp_pcb *pcb, struct pbuf *p, const ip_addr_t *addr,
		   u16_t port)
{
	uint8_t *msg = sv.udp_msg;

	(void)arg;
	uint16_t len = p->tot_len;
	pbuf_copy_partial(p, msg, len, 0);
	pbuf_free(p);
	if (!sp_answer(msg, len))
		return;
	struct pbuf *r = pbuf_alloc(PBUF_TRANSPORT, len, PBUF_RAM);
	if (!r)
		return;
	pbuf_take(r, msg, len);
	udp_sendto(pcb, r, addr, port);
	pbuf_free(r);
	sv.udp_msgs++;
}

static err_t sp_tcp_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
	struct tcp_conn *c = arg;

	if (!p) {
		tcp_arg(pcb, NULL);
		tcp_recv(pcb, NULL);
		tcp_err(pcb, NULL);
		c->pcb = NULL;
		if (tcp_close(pcb) != ERR_OK) {
			tcp_abort(pcb);
			return ERR_ABRT;
		}
		return ERR_OK;
	}
	for (struct pbuf *q = p; q; q = q->next) {
		const uint8_t *in = q->payload;
		for (uint16_t i = 0; i < q->len;) {
			/* The header first, then the rest of the length it gives. */
			uint32_t want = c->have < SP_HDR ? SP_HDR : be32(c->buf + SP_LEN);
			if (want < SP_HDR || want > SP_MAX) {
				sv.bad++;
				c->have = 0; /* not sockperf's framing: start over */
				want = SP_HDR;
			}
			uint32_t n = want - c->have;
			if (n > (uint32_t)(q->len - i))
				n = q->len - i;
			memcpy(c->buf + c->have, in + i, n);
			c->have += n;
			i = (uint16_t)(i + n);
			if (c->have >= SP_HDR && c->have == be32(c->buf + SP_LEN)) {
				if (sp_answer(c->buf, c->have) &&
				    tcp_write(pcb, c->buf, (u16_t)c->have, TCP_WRITE_FLAG_COPY) ==
					    ERR_OK)
					sv.tcp_msgs++;
				c->have = 0;
			}
		}
	}
	tcp_recved(pcb, p->tot_len);
	pbuf_free(p);
	tcp_output(pcb);
	return err;
}

/* A reset connection: lwIP has freed it already. */
static void sp_tcp_err(void *arg, err_t err)
{
	struct tcp_conn *c = arg;

	(void)err;
	c->pcb = NULL;
}

static err_t sp_tcp_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
	(void)arg;
	if (err != ERR_OK || !pcb)
		return ERR_VAL;
	if (sv.tcp.pcb) {
		tcp_abort(pcb); /* one client at a time */
		return ERR_ABRT;
	}
	sv.tcp.pcb = pcb;
	sv.tcp.have = 0;
	tcp_arg(pcb, &sv.tcp);
	tcp_recv(pcb, sp_tcp_recv);
	tcp_err(pcb, sp_tcp_err);
	tcp_nagle_disable(pcb);
	return ERR_OK;
}

static void iperf_report(void *arg, enum lwiperf_report_type type, const ip_addr_t *local,
			 u16_t local_port, const ip_addr_t *remote, u16_t remote_port, u32_t bytes,
			 u32_t ms, u32_t kbit_s);

static void tx_err(void *arg, err_t err)
{
	(void)arg;
	sv.tx.pcb = NULL; /* lwIP has freed it */
	sv.tx.failed = true;
	/* Said, or the host only sees its server wait for nothing. */
	report_info("net: the iperf stream to the host failed: %s", lwip_strerr(err));
}

static err_t tx_connected(void *arg, struct tcp_pcb *pcb, err_t err)
{
	(void)arg, (void)pcb;
	sv.tx.connected = err == ERR_OK;
	sv.tx.start = ref_now();
	return ERR_OK;
}

static void tx_start(const ip_addr_t *host, unsigned port, unsigned seconds)
{
	if (sv.tx.pcb)
		return;
	memset(&sv.tx, 0, sizeof(sv.tx));
	sv.tx.pcb = tcp_new();
	if (!sv.tx.pcb) {
		report_info("net: no memory for the iperf stream to the host");
		return;
	}
	tcp_err(sv.tx.pcb, tx_err);
	sv.tx.until = the_platform.ref_hz * seconds;
	if (tcp_connect(sv.tx.pcb, host, (u16_t)port, tx_connected) != ERR_OK) {
		tcp_abort(sv.tx.pcb);
		sv.tx.pcb = NULL;
		report_info("net: could not connect to the host's iperf server");
	}
}

/* Keep the send buffer full until the time is up, then close. */
static void tx_pump(void)
{
	static const uint8_t zeros[1024];
	struct sender *t = &sv.tx;

	if (!t->pcb || !t->connected)
		return;
	uint64_t now = ref_now();
	if (now - t->start >= t->until) {
		unsigned ms = (unsigned)((now - t->start) / (the_platform.ref_hz / 1000));
		tcp_err(t->pcb, NULL);
		if (tcp_close(t->pcb) != ERR_OK)
			tcp_abort(t->pcb);
		t->pcb = NULL;
		sv.iperf_runs++;
		/* The format of lwiperf's report, which the record checker reads. */
		report_info("net: iperf test sent (client): %llu bytes in %u ms",
			    (unsigned long long)t->written, ms);
		return;
	}
	while (tcp_sndbuf(t->pcb) >= sizeof(zeros) &&
	       tcp_write(t->pcb, zeros, sizeof(zeros), 0) == ERR_OK)
		t->written += sizeof(zeros);
	tcp_output(t->pcb);
}

static err_t control_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
	(void)arg;
	if (p) {
		char line[32] = "";
		unsigned port, seconds;
		pbuf_copy_partial(p, line, sizeof(line) - 1, 0);
		tcp_recved(pcb, p->tot_len);
		pbuf_free(p);
		if (!strncmp(line, "done", 4)) {
			sv.done = true;
		} else if (sscanf(line, "client %u %u", &port, &seconds) == 2 && port &&
			   port < 65536 && seconds && seconds <= 60) {
			/* Towards the host the command came from. */
			tx_start(&pcb->remote_ip, port, seconds);
		}
		return err;
	}
	tcp_recv(pcb, NULL);
	tcp_close(pcb);
	return ERR_OK;
}

static err_t control_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
	(void)arg;
	if (err != ERR_OK || !pcb)
		return ERR_VAL;
	tcp_recv(pcb, control_recv);
	return ERR_OK;
}

static void iperf_report(void *arg, enum lwiperf_report_type type, const ip_addr_t *local,
			 u16_t local_port, const ip_addr_t *remote, u16_t remote_port, u32_t bytes,
			 u32_t ms, u32_t kbit_s)
{
	static const char *const what[] = { "received (server)",   "sent (client)",
					    "aborted here",	   "aborted: data check failed",
					    "aborted: send error", "aborted by the host" };
	(void)arg, (void)local, (void)local_port, (void)remote, (void)remote_port;
	sv.iperf_runs++;
	report_info("net: iperf test %s: %lu bytes in %lu ms (%lu kbit/s as lwiperf counts)",
		    type < sizeof(what) / sizeof(what[0]) ? what[type] : "ended",
		    (unsigned long)bytes, (unsigned long)ms, (unsigned long)kbit_s);
}

static struct tcp_pcb *listen_on(uint16_t port, tcp_accept_fn fn)
{
	struct tcp_pcb *pcb = tcp_new();

	if (!pcb || tcp_bind(pcb, IP_ADDR_ANY, port) != ERR_OK) {
		if (pcb)
			tcp_abort(pcb);
		return NULL;
	}
	struct tcp_pcb *l = tcp_listen(pcb);
	if (!l) {
		tcp_abort(pcb);
		return NULL;
	}
	tcp_accept(l, fn);
	return l;
}

void net_serve(unsigned seconds)
{
	char why[192];

	if (!net_up(why, sizeof(why))) {
		report_info("net: not serving host clients: %s", why);
		return;
	}
	/* From the heap: static buffers would sit in BOOTX64.EFI's .data. */
	sv.tcp.buf = malloc(SP_MAX);
	sv.udp_msg = malloc(SP_MAX);
	if (!sv.tcp.buf || !sv.udp_msg) {
		report_info("net: not serving host clients: no memory");
		return;
	}
	struct udp_pcb *udp = udp_new();
	struct tcp_pcb *sp = listen_on(NET_SERVE_SOCKPERF, sp_tcp_accept);
	struct tcp_pcb *ctl = listen_on(NET_SERVE_CONTROL, control_accept);
	void *iperf = lwiperf_start_tcp_server(IP_ADDR_ANY, NET_SERVE_IPERF, iperf_report, NULL);
	if (!udp || udp_bind(udp, IP_ADDR_ANY, NET_SERVE_SOCKPERF) != ERR_OK || !sp || !ctl ||
	    !iperf) {
		report_info("net: not serving host clients: lwIP could not open the ports");
	} else {
		udp_recv(udp, sp_udp, NULL);
		report_serve(NET_SERVE_SOCKPERF, NET_SERVE_IPERF, NET_SERVE_CONTROL, seconds);
		uint64_t t0 = ref_now(), limit = the_platform.ref_hz * seconds;
		while (!sv.done && ref_now() - t0 < limit) {
			net_poll();
			tx_pump();
		}
		report_info("net: served %u sockperf UDP and %u TCP messages (%u malformed), %u "
			    "iperf tests; %s",
			    sv.udp_msgs, sv.tcp_msgs, sv.bad, sv.iperf_runs,
			    sv.done ? "the host said done" : "timed out waiting for the host");
	}
	/* lwiperf's server stays: lwiperf_abort frees its state and leaves
	 * the listening pcb pointing at it (lwIP 2.1.3). */
	if (sv.tx.pcb)
		tcp_abort(sv.tx.pcb);
	if (sv.tcp.pcb)
		tcp_abort(sv.tcp.pcb);
	if (sp)
		tcp_close(sp);
	if (ctl)
		tcp_close(ctl);
	if (udp)
		udp_remove(udp);
	for (int i = 0; i < 100; i++)
		net_poll();
}
