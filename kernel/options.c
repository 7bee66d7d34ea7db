/*
 * Command-line options. Words are separated by blanks; each is
 * name=value or a bare flag. Anything not understood is reported and the
 * default stays: an engineer with a typo still gets a full run.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vmb/options.h>

#define OPT_TEXT_(x) #x
#define OPT_TEXT(x) OPT_TEXT_(x)

/* The help keeps its columns; the defaults come from vmb/options.h. */
// clang-format off
const char options_help[] =
	"  bench=a,b,...     run only these benchmarks (default: all)\n"
	"  skip=a,b,...      run all but these\n"
	"  iters=N           samples per benchmark (1..10000000, default " OPT_TEXT(OPT_DEFAULT_ITERS) ")\n"
	"  warmup=N          untimed runs before sampling (default " OPT_TEXT(OPT_DEFAULT_WARMUP) ")\n"
	"  budget=MS         time budget per benchmark in ms (default " OPT_TEXT(OPT_DEFAULT_BUDGET_MS) ")\n"
	"  batch=N           operations per timed sample (default: automatic)\n"
	"  exit=poweroff|halt  what to do after the run (default poweroff)\n"
	"  counter=NAME      auto (default), tsc, pmccntr or cntvct: overrides the\n"
	"                    counter chosen by mode (the boot record says which and why)\n"
	"  ip=A.B.C.D[/N]    the image's IPv4 address (default: DHCP)\n"
	"  gw=A.B.C.D        its gateway (with ip=)\n"
	"  peer=A.B.C.D:PORT the host peer the network benchmarks talk to\n"
	"                    (tools/vmb-peer: PORT echo, +1 sink, +2 source, +3 stamp)\n"
	"  serve=S           after the benchmarks, answer the host's sockperf (port\n"
	"                    " OPT_TEXT(NET_SERVE_SOCKPERF) ") and iperf (" OPT_TEXT(NET_SERVE_IPERF) ") until told done on " OPT_TEXT(NET_SERVE_CONTROL) ", at most S s\n"
	"                    (0: not; tools/run adds serve= when the run has net_*)\n"
	"  vm_peer=S         be the other guest of vm_switch for at most S s: run no\n"
	"                    benchmarks, give the CPU up to the measuring guest through\n"
	"                    the memory both share (0: not; the KVM labs start it)\n"
	"  peer_dom=D        Xen: the domain id of the other guest of vm_switch (the\n"
	"                    peer, or for the peer the measuring guest); the page they\n"
	"                    share is a grant between the two (0: none)\n"
	"  list              list the benchmarks and stop\n"
	"  notable           only the machine records, no table\n"
	"  hist=0|1          each result's whole distribution as hist records, buckets\n"
	"                    within 1 % (default " OPT_TEXT(OPT_DEFAULT_HIST) ")\n"
	"  fault=undef|memory  raise an unexpected exception after the boot record\n"
	"  fault=hang        add a benchmark whose operation never returns, with\n"
	"                    interrupts masked: the watchdog must end it\n"
	"                    (checks that a crash is reported and ends the run)\n"
	"  fault=cpu         describe one CPU more than the machine has, as a\n"
	"                    firmware table naming a missing CPU would: it must be\n"
	"                    reported as failed and the run go on without it\n"
	"  fault=guest       add a benchmark whose guest of the image's own (native\n"
	"                    at EL2) faults: it must end in an error, the run go on\n";
// clang-format on

static struct options current;
const struct options *const the_options = &current;

int options_init(const char *cmdline, options_warn_fn warn, void *ctx)
{
	options_defaults(&current);
	return options_parse(&current, cmdline, warn, ctx);
}

void options_defaults(struct options *o)
{
	memset(o, 0, sizeof(*o));
	o->iters = OPT_DEFAULT_ITERS;
	o->warmup = OPT_DEFAULT_WARMUP;
	o->budget_ms = OPT_DEFAULT_BUDGET_MS;
	o->hist = OPT_DEFAULT_HIST;
	o->exit = EXIT_POWEROFF;
	o->prefix = 24;
}

bool options_parse_ip4(const char *s, uint32_t *out)
{
	uint32_t a = 0;

	for (int i = 0; i < 4; i++) {
		unsigned v = 0, digits = 0;
		while (*s >= '0' && *s <= '9' && digits < 4) {
			v = v * 10 + (unsigned)(*s++ - '0');
			digits++;
		}
		if (!digits || v > 255 || (i < 3 && *s++ != '.'))
			return false;
		a = a << 8 | v;
	}
	if (*s)
		return false;
	*out = a;
	return true;
}

static void warnf(options_warn_fn warn, void *ctx, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void warnf(options_warn_fn warn, void *ctx, const char *fmt, ...)
{
	char msg[192];
	va_list ap;

	if (!warn)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	warn(ctx, msg);
}

static int parse_u32(const char *s, uint32_t lo, uint32_t hi, uint32_t *out)
{
	char *end;
	unsigned long long v;

	if (!*s || *s == '-' || *s == '+')
		return -1;
	v = strtoull(s, &end, 10);
	/* Accept a k/M suffix: iters=1M is easier to type than 1000000. */
	if (*end == 'k' || *end == 'K') {
		v *= 1000;
		end++;
	} else if (*end == 'M') {
		v *= 1000000;
		end++;
	}
	if (*end || v < lo || v > hi)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

/* ip=, gw=, peer=: addresses, with a prefix or a port after them. */
static int parse_net(struct options *o, const char *word, const char *value, options_warn_fn warn,
		     void *ctx)
{
	char addr[16];
	const char *sep = NULL;
	uint32_t num = 0, a;

	if (value && !strcmp(word, "ip"))
		sep = strchr(value, '/');
	else if (value && !strcmp(word, "peer"))
		sep = strchr(value, ':');
	size_t len = value ? (sep ? (size_t)(sep - value) : strlen(value)) : 0;
	bool ok = value && len < sizeof(addr);
	if (ok) {
		memcpy(addr, value, len);
		addr[len] = 0;
		ok = options_parse_ip4(addr, &a);
	}
	if (ok && sep)
		ok = !parse_u32(sep + 1, 1, !strcmp(word, "ip") ? 32 : 65532, &num);
	if (ok && !strcmp(word, "peer") && !sep)
		ok = false;
	if (!ok) {
		warnf(warn, ctx, "option %s: '%s' is not %s, ignored", word, value ? value : "",
		      !strcmp(word, "ip")     ? "A.B.C.D or A.B.C.D/N"
		      : !strcmp(word, "peer") ? "A.B.C.D:PORT"
					      : "A.B.C.D");
		return 1;
	}
	if (!strcmp(word, "ip")) {
		o->ip = a;
		if (sep)
			o->prefix = (uint8_t)num;
	} else if (!strcmp(word, "gw")) {
		o->gw = a;
	} else {
		o->peer = a;
		o->peer_port = (uint16_t)num;
	}
	return 0;
}

static int parse_list(const char *opt, const char *value, char (*list)[OPT_NAME_MAX], unsigned *n,
		      options_warn_fn warn, void *ctx)
{
	int problems = 0;
	const char *p = value;

	*n = 0;
	while (*p) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);

		if (len == 0) {
			/* "a,,b" or a trailing comma: nothing to select. */
		} else if (len >= OPT_NAME_MAX) {
			warnf(warn, ctx, "option %s: name too long: '%.40s'", opt, p);
			problems++;
		} else if (*n >= OPT_MAX_BENCH) {
			warnf(warn, ctx, "option %s: too many names, ignoring '%.40s'", opt, p);
			problems++;
		} else {
			memcpy(list[*n], p, len);
			list[*n][len] = 0;
			(*n)++;
		}
		p += len + (comma ? 1 : 0);
	}
	return problems;
}

/* The values of an option that names one of a few: each name once. */
struct choice {
	const char *name;
	int value;
};
static const struct choice exit_choices[] = {
	{ "poweroff", EXIT_POWEROFF },
	{ "halt", EXIT_HALT },
};
static const struct choice fault_choices[] = {
	{ "undef", FAULT_UNDEF }, { "memory", FAULT_MEMORY }, { "hang", FAULT_HANG },
	{ "cpu", FAULT_CPU },	  { "guest", FAULT_GUEST },   { "irqlost", FAULT_IRQ_LOST },
};

/* value's entry in the table, or a warning that lists them all ("a, b or c"). */
static bool choose(const char *opt, const char *value, const struct choice *tab, size_t n, int *out,
		   options_warn_fn warn, void *ctx)
{
	char names[128] = "";

	for (size_t i = 0; value && i < n; i++) {
		if (!strcmp(value, tab[i].name)) {
			*out = tab[i].value;
			return true;
		}
	}
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(names);
		snprintf(names + len, sizeof(names) - len, "%s%s",
			 !i	      ? ""
			 : i + 1 == n ? " or "
				      : ", ",
			 tab[i].name);
	}
	warnf(warn, ctx, "option %s: '%s' is not %s", opt, value ? value : "", names);
	return false;
}

static int parse_word(struct options *o, char *word, options_warn_fn warn, void *ctx)
{
	char *eq = strchr(word, '=');
	const char *value = eq ? eq + 1 : NULL;

	if (eq)
		*eq = 0;

	if (!strcmp(word, "bench") && value)
		return parse_list("bench", value, o->bench, &o->nbench, warn, ctx);
	if (!strcmp(word, "skip") && value)
		return parse_list("skip", value, o->skip, &o->nskip, warn, ctx);

	struct {
		const char *name;
		uint32_t *dst, lo, hi;
	} nums[] = {
		{ "iters", &o->iters, 1, 10000000 },	 { "warmup", &o->warmup, 0, 1000000 },
		{ "budget", &o->budget_ms, 1, 3600000 }, { "batch", &o->batch, 1, 1000000 },
		{ "serve", &o->serve_s, 0, 3600 },	 { "vm_peer", &o->vm_peer_s, 0, 3600 },
		{ "peer_dom", &o->peer_dom, 0, 0x7fef }, /* below Xen's reserved ids */
	};
	for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		if (strcmp(word, nums[i].name))
			continue;
		if (value && !parse_u32(value, nums[i].lo, nums[i].hi, nums[i].dst))
			return 0;
		warnf(warn, ctx, "option %s: '%s' is not a number in range, default kept", word,
		      value ? value : "");
		return 1;
	}

	if (!strcmp(word, "exit")) {
		int v;
		if (!choose(word, value, exit_choices,
			    sizeof(exit_choices) / sizeof(exit_choices[0]), &v, warn, ctx))
			return 1;
		o->exit = (enum exit_action)v;
		return 0;
	}

	if (!strcmp(word, "counter")) {
		if (counter_by_name(value, &o->counter))
			return 0;
		warnf(warn, ctx, "option counter: '%s' is not %s", value ? value : "",
		      counter_choices());
		return 1;
	}

	if (!strcmp(word, "ip") || !strcmp(word, "gw") || !strcmp(word, "peer"))
		return parse_net(o, word, value, warn, ctx);

	if (!strcmp(word, "fault")) {
		int v;
		if (!choose(word, value, fault_choices,
			    sizeof(fault_choices) / sizeof(fault_choices[0]), &v, warn, ctx))
			return 1;
		o->fault = (enum fault_test)v;
		return 0;
	}

	struct {
		const char *name;
		bool *dst;
	} flags[] = {
		{ "list", &o->list },
		{ "notable", &o->no_table },
		{ "hist", &o->hist },
	};
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		if (strcmp(word, flags[i].name))
			continue;
		if (!value || !strcmp(value, "1") || !strcmp(value, "yes"))
			*flags[i].dst = true;
		else if (!strcmp(value, "0") || !strcmp(value, "no"))
			*flags[i].dst = false;
		else {
			warnf(warn, ctx, "option %s: '%s' is not yes or no", word, value);
			return 1;
		}
		return 0;
	}

	warnf(warn, ctx, "unknown option '%.60s' (ignored)", word);
	return 1;
}

int options_parse(struct options *o, const char *cmdline, options_warn_fn warn, void *ctx)
{
	char word[256];
	int problems = 0;
	const char *p = cmdline ? cmdline : "";

	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (!*p)
			break;
		size_t len = 0;
		while (p[len] && p[len] != ' ' && p[len] != '\t' && p[len] != '\n' &&
		       p[len] != '\r')
			len++;
		if (len >= sizeof(word)) {
			warnf(warn, ctx, "option too long: '%.40s...'", p);
			problems++;
		} else {
			memcpy(word, p, len);
			word[len] = 0;
			/* Boot loaders add their own words (BOOT_IMAGE=, console=): skip
			 * the ones that are clearly not ours silently. */
			if (strncmp(word, "BOOT_IMAGE=", 11) && strncmp(word, "console=", 8) &&
			    strncmp(word, "earlycon", 8))
				problems += parse_word(o, word, warn, ctx);
		}
		p += len;
	}
	return problems;
}

static bool in_list(const char (*list)[OPT_NAME_MAX], unsigned n, const char *name)
{
	for (unsigned i = 0; i < n; i++)
		if (!strcmp(list[i], name))
			return true;
	return false;
}

bool options_selects(const struct options *o, const char *bench)
{
	if (o->nbench && !in_list(o->bench, o->nbench, bench))
		return false;
	return !in_list(o->skip, o->nskip, bench);
}
