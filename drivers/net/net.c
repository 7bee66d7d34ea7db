/*
 * lwIP on the image's network device (netdev.h: the kinds netdev.c
 * lists): the netif's output copies each frame into a transmit buffer,
 * net_poll() hands received frames to the stack and runs its timers. One
 * thread, no interrupts: whoever waits for the network calls net_poll().
 */
#include <stdio.h>
#include <string.h>

#include <arch/counter.h>
#include <lwip/dhcp.h>
#include <lwip/etharp.h>
#include <lwip/init.h>
#include <lwip/netif.h>
#include <lwip/pbuf.h>
#include <lwip/sys.h>
#include <lwip/timeouts.h>
#include <netif/ethernet.h>
#include <vmb/fault.h>
#include <drivers/net/net.h>
#include <drivers/net/netdev.h>
#include <vmb/options.h>
#include <vmb/platform.h>
#include <vmb/report.h>

#define DHCP_TIMEOUT_MS 10000
#define TX_WAIT_MS 100
#define POLL_FRAMES 32

static struct {
	bool tried, up;
	bool broken; /* a device that is there failed to come up (a backend that
		      * never connected): an error, not a missing device */
	char why[320];
	struct netdev dev;
	struct netif nif;
	uint64_t rng;
} net;

static uint64_t ms_since(uint64_t t0)
{
	return (ref_now() - t0) / (the_platform.ref_hz / 1000);
}

u32_t sys_now(void)
{
	return (u32_t)(ref_now() / (the_platform.ref_hz / 1000));
}

unsigned vmb_lwip_rand(void)
{
	if (!net.rng)
		net.rng = ref_now() | 1;
	net.rng ^= net.rng << 13;
	net.rng ^= net.rng >> 7;
	net.rng ^= net.rng << 17;
	return (unsigned)(net.rng >> 16);
}

_Noreturn void vmb_lwip_assert(const char *msg, const char *file, int line)
{
	report_error("net", "lwIP assertion failed at %s:%d: %s", file, line, msg);
	kernel_fatal_exit(1);
}

static err_t link_output(struct netif *nif, struct pbuf *p)
{
	uint8_t *frame;
	uint64_t t0 = ref_now();

	(void)nif;
	/* Every buffer in flight: the device frees them as it sends. */
	while (!(frame = net.dev.ops->tx_buf(&net.dev)))
		if (ms_since(t0) > TX_WAIT_MS)
			return ERR_MEM;
	if (p->tot_len > NETDEV_FRAME_MAX)
		return ERR_BUF;
	pbuf_copy_partial(p, frame, p->tot_len, 0);
	net.dev.ops->tx_send(&net.dev, frame, p->tot_len);
	return ERR_OK;
}

static err_t netif_setup(struct netif *nif)
{
	nif->name[0] = 'v';
	nif->name[1] = 'n';
	nif->output = etharp_output;
	nif->linkoutput = link_output;
	nif->mtu = 1500;
	nif->hwaddr_len = 6;
	memcpy(nif->hwaddr, net.dev.mac, 6);
	nif->flags =
		NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET | NETIF_FLAG_LINK_UP;
	return ERR_OK;
}

void net_poll(void)
{
	const uint8_t *frame;
	uint32_t len;
	uint16_t id;

	if (!net.up && !net.nif.input)
		return;
	/* A bounded share per call, so that callers see progress in steps
	 * smaller than a full ring. */
	for (unsigned n = 0; n < POLL_FRAMES && (frame = net.dev.ops->rx_get(&net.dev, &len, &id));
	     n++) {
		struct pbuf *p = pbuf_alloc(PBUF_RAW, (u16_t)len, PBUF_POOL);
		if (p) {
			pbuf_take(p, frame, (u16_t)len);
			if (net.nif.input(p, &net.nif) != ERR_OK)
				pbuf_free(p);
		}
		net.dev.ops->rx_done(&net.dev, id);
	}
	net.dev.ops->rx_kick(&net.dev);
	sys_check_timeouts();
}

static void ip_text(char *s, size_t n, uint32_t a)
{
	snprintf(s, n, "%u.%u.%u.%u", a >> 24, a >> 16 & 255, a >> 8 & 255, a & 255);
}

static bool bring_up(void)
{
	ip4_addr_t ip, mask, gw;
	const struct options *o = the_options;

	bool found;

	if (!netdev_open(&net.dev, &found, net.why, sizeof(net.why))) {
		net.broken = found;
		return false;
	}
	lwip_init();
	uint32_t m = o && o->ip ? (o->prefix ? ~0u << (32 - o->prefix) : 0) : 0;
	ip4_addr_set_u32(&ip, o ? lwip_htonl(o->ip) : 0);
	ip4_addr_set_u32(&mask, lwip_htonl(m));
	ip4_addr_set_u32(&gw, o && o->ip ? lwip_htonl(o->gw) : 0);
	if (!netif_add(&net.nif, &ip, &mask, &gw, NULL, netif_setup, ethernet_input)) {
		snprintf(net.why, sizeof(net.why), "lwIP refused the interface");
		return false;
	}
	netif_set_default(&net.nif);
	netif_set_up(&net.nif);
	const char *how = "from ip=";
	if (!o || !o->ip) {
		how = "by DHCP";
		dhcp_start(&net.nif);
		uint64_t t0 = ref_now();
		while (!dhcp_supplied_address(&net.nif)) {
			net_poll();
			if (ms_since(t0) > DHCP_TIMEOUT_MS) {
				snprintf(net.why, sizeof(net.why),
					 "%s: no DHCP answer within %u s (give ip= and gw=)",
					 net.dev.where, DHCP_TIMEOUT_MS / 1000);
				return false;
			}
		}
	}
	char a[16], g[16], peer[24] = "none (no peer= option)";
	ip_text(a, sizeof(a), lwip_ntohl(ip4_addr_get_u32(netif_ip4_addr(&net.nif))));
	ip_text(g, sizeof(g), lwip_ntohl(ip4_addr_get_u32(netif_ip4_gw(&net.nif))));
	if (o && o->peer_port) {
		ip_text(peer, sizeof(peer), o->peer);
		snprintf(peer + strlen(peer), sizeof(peer) - strlen(peer), ":%u", o->peer_port);
	}
	report_info("net: %s, mac %02x:%02x:%02x:%02x:%02x:%02x, %s/%u %s, gateway %s, peer %s",
		    net.dev.where, net.dev.mac[0], net.dev.mac[1], net.dev.mac[2], net.dev.mac[3],
		    net.dev.mac[4], net.dev.mac[5], a,
		    32u - (unsigned)__builtin_popcount(
				  ~lwip_ntohl(ip4_addr_get_u32(netif_ip4_netmask(&net.nif)))),
		    how, g, peer);
	return true;
}

bool net_up(char *why, size_t why_len)
{
	if (!net.tried) {
		net.tried = true;
		net.up = bring_up();
	}
	if (!net.up)
		snprintf(why, why_len, "%s", net.why);
	return net.up;
}

bool net_peer(uint32_t *addr, uint16_t *port, char *why, size_t why_len)
{
	if (!net_up(why, why_len))
		return false;
	if (!the_options->peer_port) {
		snprintf(why, why_len,
			 "no host peer: give peer=A.B.C.D:PORT (tools/run starts tools/vmb-peer "
			 "and gives it)");
		return false;
	}
	*addr = the_options->peer;
	*port = the_options->peer_port;
	return true;
}

bool net_broken(void)
{
	return net.broken;
}

const char *net_where(void)
{
	return net.dev.where;
}

void net_frames(uint64_t *in, uint64_t *out)
{
	*in = net.dev.rx_frames;
	*out = net.dev.tx_frames;
}

void net_io_stamps(uint64_t *tx_ref, uint64_t *rx_ref)
{
	*tx_ref = net.dev.tx_ref;
	*rx_ref = net.dev.rx_ref;
}

bool net_rx_irq(unsigned *irq, char *why, size_t why_len)
{
	return net.dev.ops->rx_irq(&net.dev, irq, why, why_len);
}

const char *net_rx_irq_via(void)
{
	return net.dev.irq_via;
}

void net_rx_irq_on(bool on)
{
	net.dev.ops->rx_irq_on(&net.dev, on);
}

void net_rx_irq_ack(void)
{
	net.dev.ops->rx_irq_ack(&net.dev);
}

bool net_rx_ready(void)
{
	return net.dev.ops->rx_ready(&net.dev);
}

void net_rx_irq_state(char *out, size_t len)
{
	out[0] = 0;
	if (net.up && net.dev.ops->irq_state)
		net.dev.ops->irq_state(&net.dev, out, len);
}

void net_close(void)
{
	if (net.up && net.dev.ops->close)
		net.dev.ops->close(&net.dev);
}
