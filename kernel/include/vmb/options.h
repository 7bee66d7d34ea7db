/*
 * The image's command line: "bench=null,cpuid iters=1000 exit=halt".
 * Plain C, tested on the host. Unknown or malformed options are reported
 * through the warn callback and the defaults are kept.
 */
#ifndef VMB_OPTIONS_H
#define VMB_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

#include <vmb/counters.h>

#define OPT_MAX_BENCH 32
/* Defaults, here once: the help text and the host's checks read them. */
#define OPT_DEFAULT_ITERS 10000
#define OPT_DEFAULT_WARMUP 100
#define OPT_DEFAULT_BUDGET_MS 5000
/* hist=: each result followed by its whole distribution (hist records);
 * off by default: on a 115200-baud line they cost ~4 % of a run, above
 * the 1 % that would make them free (measured: docs/protocol.md, "hist"). */
#define OPT_DEFAULT_HIST 0
/* serve=: the image's ports for the host's own clients (drivers/net/
 * serve.c), here once: the help text and tools/serve-ports read them. */
#define NET_SERVE_SOCKPERF 11111 /* UDP and TCP: sockperf ping-pong */
#define NET_SERVE_IPERF 5001	 /* TCP: iperf 2 */
#define NET_SERVE_CONTROL 5002	 /* TCP: "done" from the host */
#define OPT_NAME_MAX 32

enum exit_action {
	EXIT_POWEROFF = 0,
	EXIT_HALT,
};

struct options {
	char bench[OPT_MAX_BENCH][OPT_NAME_MAX]; /* empty = all */
	unsigned nbench;
	char skip[OPT_MAX_BENCH][OPT_NAME_MAX];
	unsigned nskip;
	uint32_t iters;	    /* samples per benchmark */
	uint32_t warmup;    /* untimed runs first */
	uint32_t budget_ms; /* per benchmark */
	uint32_t batch;	    /* 0 = automatic */
	enum exit_action exit;
	bool list;     /* print the benchmarks and stop */
	bool no_table; /* machine lines only */
	bool hist;     /* hist records after each result */
	enum fault_test {
		FAULT_NONE = 0,
		FAULT_UNDEF,
		FAULT_MEMORY,
		FAULT_HANG,
		FAULT_CPU,
		FAULT_GUEST,
		FAULT_IRQ_LOST,
	} fault;
	/* The counter asked for; COUNTER_AUTO lets the platform choose by mode. */
	enum counter_kind counter;
	/* Networking, IPv4 addresses in host order; ip 0 = DHCP. */
	uint32_t ip, gw, peer;
	uint8_t prefix;	    /* of ip, default 24 */
	uint16_t peer_port; /* the host peer's first port (tools/vmb-peer) */
	uint32_t serve_s;   /* serve the host's sockperf/iperf clients, at most s */
	uint32_t vm_peer_s; /* the peer guest of vm_switch, at most s (no benchmarks) */
	uint32_t peer_dom;  /* Xen: the other guest of vm_switch; 0 = none named */
};

typedef void (*options_warn_fn)(void *ctx, const char *msg);

/* The run's options, read-only for every module: all zero until
 * options_init() (a fault that early powers off, as EXIT_POWEROFF says). */
extern const struct options *const the_options;
/* Parse the command line into the_options (once, by the composition
 * root); returns the number of problems, as options_parse(). */
int options_init(const char *cmdline, options_warn_fn warn, void *ctx);

void options_defaults(struct options *o);
/* Returns the number of problems reported (0 = all understood). */
int options_parse(struct options *o, const char *cmdline, options_warn_fn warn, void *ctx);
/* "a.b.c.d" into a host-order address; false when malformed. */
bool options_parse_ip4(const char *s, uint32_t *out);
bool options_selects(const struct options *o, const char *bench);
/* The valid options, one per line, for help and error messages. */
extern const char options_help[];

#endif
