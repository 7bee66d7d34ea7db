/*
 * vmb-peer: the host end of the image's network benchmarks. On four
 * consecutive ports from BASE:
 *   BASE   UDP and TCP echo: every byte back as it arrives (net_rr);
 *   BASE+1 TCP sink: reads and drops (net_stream_tx);
 *   BASE+2 TCP source: reads a chunk size (4 bytes, big-endian, at most
 *          64 KiB), then writes chunks of it until the other side closes
 *          (net_stream_rx);
 *   BASE+3 UDP stamp: answers each datagram with its first 8 bytes, the
 *          time the kernel received it and the time of the answer's send,
 *          CLOCK_REALTIME ns, little-endian (io_out, io_in: the guest reads
 *          the same clock through its hypervisor).
 * One thread, poll(), non-blocking sockets. With --port 0 it picks a free
 * base itself; the base is printed on stdout once every port listens.
 * It stops on SIGTERM, when stdin reaches end of file (--stdin), or after
 * --lifetime seconds, so a runner that dies cannot leave it behind.
 * With --send it is instead a one-line TCP client (tools/host-clients uses
 * it where no shell has /dev/tcp): TEXT and a newline to ADDR:PORT.
 *
 *   vmb-peer [--port BASE] [--bind ADDR] [--lifetime S] [--stdin]
 *   vmb-peer --send ADDR PORT TEXT
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONNS 64
#define BUF (64 * 1024)

enum role { ECHO, SINK, SOURCE };

struct conn {
	int fd;
	enum role role;
	size_t pending, off; /* echo: bytes read and not yet written back */
	size_t chunk;	     /* source: bytes per write, 0 until asked */
	unsigned asked;	     /* source: bytes of the size read so far */
	unsigned char buf[BUF];
};

static struct conn conns[MAX_CONNS];
static volatile sig_atomic_t stop;
static unsigned char source_data[BUF];

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static int nonblock(int fd)
{
	return fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

static int open_socket(int type, const char *addr, unsigned port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int one = 1, fd = socket(AF_INET, type, 0);

	if (fd < 0 || inet_pton(AF_INET, addr, &sa.sin_addr) != 1)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (type == SOCK_DGRAM)
		setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    (type == SOCK_STREAM && listen(fd, 16)) || nonblock(fd)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* listeners[0..2]: TCP echo, sink, source; [3]: UDP echo; [4]: UDP stamp. */
#define N_FDS 5
static bool open_all(const char *addr, unsigned base, int *fds)
{
	for (int i = 0; i < N_FDS; i++) {
		fds[i] = open_socket(i < 3 ? SOCK_STREAM : SOCK_DGRAM, addr,
				     i < 3    ? base + i
				     : i == 3 ? base
					      : base + 3);
		if (fds[i] < 0) {
			while (i--)
				close(fds[i]);
			return false;
		}
	}
	return true;
}

static void accept_one(int lfd, enum role role)
{
	int fd = accept(lfd, NULL, NULL), one = 1;

	if (fd < 0)
		return;
	for (int i = 0; i < MAX_CONNS; i++) {
		if (conns[i].fd >= 0)
			continue;
		nonblock(fd);
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		conns[i].fd = fd;
		conns[i].role = role;
		conns[i].pending = conns[i].off = conns[i].chunk = 0;
		conns[i].asked = 0;
		return;
	}
	close(fd); /* full */
}

static void drop(struct conn *c)
{
	close(c->fd);
	c->fd = -1;
}

/* One round of work on a connection that poll() says is ready. */
static void serve(struct conn *c, short revents)
{
	ssize_t n;

	if (revents & (POLLERR | POLLNVAL)) {
		drop(c);
		return;
	}
	switch (c->role) {
	case ECHO:
		if (c->pending == 0 && (revents & (POLLIN | POLLHUP))) {
			n = read(c->fd, c->buf, sizeof(c->buf));
			if (n <= 0 && !(n < 0 && errno == EAGAIN)) {
				drop(c);
				return;
			}
			c->pending = n > 0 ? (size_t)n : 0;
			c->off = 0;
		}
		if (c->pending) {
			n = write(c->fd, c->buf + c->off, c->pending);
			if (n < 0 && errno != EAGAIN) {
				drop(c);
				return;
			}
			if (n > 0) {
				c->off += (size_t)n;
				c->pending -= (size_t)n;
			}
		}
		break;
	case SINK:
		n = read(c->fd, c->buf, sizeof(c->buf));
		if (n == 0 || (n < 0 && errno != EAGAIN))
			drop(c);
		break;
	case SOURCE:
		if (revents & (POLLIN | POLLHUP)) {
			n = read(c->fd, c->buf, c->asked < 4 ? 4 - c->asked : sizeof(c->buf));
			if (n == 0 || (n < 0 && errno != EAGAIN)) {
				drop(c);
				return;
			}
			for (ssize_t i = 0; i < n && c->asked < 4; i++)
				c->chunk = c->chunk << 8 | c->buf[i], c->asked++;
			if (c->asked == 4 && (c->chunk == 0 || c->chunk > BUF)) {
				drop(c); /* not a size this peer writes */
				return;
			}
		}
		if (c->asked == 4 && (revents & POLLOUT)) {
			n = send(c->fd, source_data, c->chunk, MSG_NOSIGNAL);
			if (n < 0 && errno != EAGAIN)
				drop(c);
		}
		break;
	}
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void put64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* The receive time from the kernel (SO_TIMESTAMPNS), else from the clock
 * right after the read. */
static void udp_stamp(int fd)
{
	unsigned char buf[64], ctl[256];
	struct sockaddr_in from;
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	struct msghdr m = { .msg_name = &from, .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n;

	for (;;) {
		m.msg_namelen = sizeof(from);
		m.msg_control = ctl;
		m.msg_controllen = sizeof(ctl);
		n = recvmsg(fd, &m, 0);
		if (n < 0)
			return;
		uint64_t rx = now_ns();
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c))
			if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
				struct timespec ts;
				memcpy(&ts, CMSG_DATA(c), sizeof(ts));
				rx = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
			}
		unsigned char out[24] = { 0 };
		memcpy(out, buf, n < 8 ? (size_t)n : 8);
		put64(out + 8, rx);
		put64(out + 16, now_ns());
		sendto(fd, out, sizeof(out), 0, (struct sockaddr *)&from, m.msg_namelen);
	}
}

static void udp_echo(int fd)
{
	unsigned char buf[2048];
	struct sockaddr_in from;
	socklen_t len = sizeof(from);
	ssize_t n;

	while ((n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len)) >= 0) {
		sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&from, len);
		len = sizeof(from);
	}
}

static int send_line(const char *addr, const char *port, const char *text)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons((uint16_t)strtoul(port, NULL, 10)) };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0 || inet_pton(AF_INET, addr, &sa.sin_addr) != 1 ||
	    connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		fprintf(stderr, "vmb-peer: cannot connect to %s:%s: %s\n", addr, port,
			strerror(errno));
		return 1;
	}
	size_t len = strlen(text);
	if (write(fd, text, len) != (ssize_t)len || write(fd, "\n", 1) != 1) {
		fprintf(stderr, "vmb-peer: cannot send to %s:%s: %s\n", addr, port,
			strerror(errno));
		return 1;
	}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	const char *addr = "127.0.0.1";
	unsigned base = 0, lifetime = 3600;
	bool watch_stdin = false;
	int fds[N_FDS];

	if (argc == 5 && !strcmp(argv[1], "--send"))
		return send_line(argv[2], argv[3], argv[4]);
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--port") && i + 1 < argc)
			base = (unsigned)strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--bind") && i + 1 < argc)
			addr = argv[++i];
		else if (!strcmp(argv[i], "--lifetime") && i + 1 < argc)
			lifetime = (unsigned)strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--stdin"))
			watch_stdin = true;
		else {
			fprintf(stderr,
				"usage: %s [--port BASE] [--bind ADDR] [--lifetime S] [--stdin]\n"
				"       %s --send ADDR PORT TEXT\n",
				argv[0], argv[0]);
			return 2;
		}
	}
	if (base > 65532) {
		fprintf(stderr, "vmb-peer: port %u leaves no room for BASE+3\n", base);
		return 2;
	}
	if (base) {
		if (!open_all(addr, base, fds)) {
			fprintf(stderr, "vmb-peer: cannot listen on %s ports %u-%u: %s\n", addr,
				base, base + 3, strerror(errno));
			return 1;
		}
	} else {
		srand((unsigned)time(NULL) ^ (unsigned)getpid());
		int tries = 0;
		do
			base = 20000 + (unsigned)rand() % 40000;
		while (!open_all(addr, base, fds) && ++tries < 100);
		if (tries == 100) {
			fprintf(stderr, "vmb-peer: no four free ports found on %s\n", addr);
			return 1;
		}
	}
	for (size_t i = 0; i < sizeof(source_data); i++)
		source_data[i] = (unsigned char)(i * 7 + 1);
	for (int i = 0; i < MAX_CONNS; i++)
		conns[i].fd = -1;
	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);
	signal(SIGPIPE, SIG_IGN);
	printf("%u\n", base);
	fflush(stdout);

	time_t until = time(NULL) + lifetime;
	while (!stop && time(NULL) < until) {
		struct pollfd p[N_FDS + 1 + MAX_CONNS];
		int who[MAX_CONNS], n = 0;
		for (int i = 0; i < N_FDS; i++)
			p[n++] = (struct pollfd){ .fd = fds[i], .events = POLLIN };
		p[n++] = (struct pollfd){ .fd = watch_stdin ? 0 : -1, .events = POLLIN };
		for (int i = 0; i < MAX_CONNS; i++) {
			if (conns[i].fd < 0)
				continue;
			short ev = POLLIN;
			if ((conns[i].role == SOURCE && conns[i].asked == 4) || conns[i].pending)
				ev |= POLLOUT;
			if (conns[i].pending)
				ev = POLLOUT;
			who[n - N_FDS - 1] = i;
			p[n++] = (struct pollfd){ .fd = conns[i].fd, .events = ev };
		}
		if (poll(p, (nfds_t)n, 1000) < 0) {
			if (errno == EINTR)
				continue;
			perror("vmb-peer: poll");
			return 1;
		}
		for (int i = 0; i < 3; i++)
			if (p[i].revents & POLLIN)
				accept_one(fds[i], (enum role)i);
		if (p[3].revents & POLLIN)
			udp_echo(fds[3]);
		if (p[4].revents & POLLIN)
			udp_stamp(fds[4]);
		if (p[N_FDS].revents) {
			char c;
			if (read(0, &c, 1) <= 0)
				break;
		}
		for (int k = N_FDS + 1; k < n; k++)
			if (p[k].revents)
				serve(&conns[who[k - N_FDS - 1]], p[k].revents);
	}
	return 0;
}
