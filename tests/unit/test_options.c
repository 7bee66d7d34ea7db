#include <string.h>

#include <vmb/options.h>

#include "check.h"

static int warnings;
static char last_warning[256];

static void warn(void *ctx, const char *msg)
{
	(void)ctx;
	warnings++;
	snprintf(last_warning, sizeof(last_warning), "%s", msg);
}

static int parse(struct options *o, const char *cmdline)
{
	warnings = 0;
	last_warning[0] = 0;
	options_defaults(o);
	return options_parse(o, cmdline, warn, NULL);
}

static void test_defaults(void)
{
	struct options o;

	CHECK_EQ_U(parse(&o, ""), 0);
	CHECK_EQ_U(o.iters, 10000);
	CHECK_EQ_U(o.nbench, 0);
	CHECK(o.exit == EXIT_POWEROFF);
	CHECK(options_selects(&o, "anything"));
	CHECK_EQ_U(parse(&o, NULL), 0);
	CHECK_EQ_U(parse(&o, "   \t \r\n "), 0);
}

static void test_bench_list(void)
{
	struct options o;

	CHECK_EQ_U(parse(&o, "bench=null,cpuid"), 0);
	CHECK_EQ_U(o.nbench, 2);
	CHECK_STR(o.bench[0], "null");
	CHECK_STR(o.bench[1], "cpuid");
	CHECK(options_selects(&o, "null"));
	CHECK(!options_selects(&o, "hypercall"));

	CHECK_EQ_U(parse(&o, "bench=a,,b,"), 0);
	CHECK_EQ_U(o.nbench, 2);

	CHECK_EQ_U(parse(&o, "skip=hypercall"), 0);
	CHECK(options_selects(&o, "null"));
	CHECK(!options_selects(&o, "hypercall"));

	/* later options win */
	CHECK_EQ_U(parse(&o, "bench=a bench=b"), 0);
	CHECK_EQ_U(o.nbench, 1);
	CHECK_STR(o.bench[0], "b");
}

static void test_numbers(void)
{
	struct options o;

	CHECK_EQ_U(parse(&o, "iters=500 warmup=0 budget=100 batch=8"), 0);
	CHECK_EQ_U(o.iters, 500);
	CHECK_EQ_U(o.warmup, 0);
	CHECK_EQ_U(o.budget_ms, 100);
	CHECK_EQ_U(o.batch, 8);
	CHECK_EQ_U(parse(&o, "iters=2k"), 0);
	CHECK_EQ_U(o.iters, 2000);
	CHECK_EQ_U(parse(&o, "iters=1M"), 0);
	CHECK_EQ_U(o.iters, 1000000);

	/* malformed: warned, default kept, the rest still parsed */
	CHECK_EQ_U(parse(&o, "iters=abc bench=null"), 1);
	CHECK_EQ_U(o.iters, 10000);
	CHECK_EQ_U(o.nbench, 1);
	CHECK(strstr(last_warning, "iters") != NULL);
	CHECK_EQ_U(parse(&o, "iters=0"), 1);
	CHECK_EQ_U(parse(&o, "iters=-5"), 1);
	CHECK_EQ_U(parse(&o, "iters=99999999999999999999999"), 1);
	CHECK_EQ_U(o.iters, 10000);
	CHECK_EQ_U(parse(&o, "iters="), 1);
	CHECK_EQ_U(parse(&o, "iters"), 1);
	CHECK_EQ_U(parse(&o, "budget=12x"), 1);

	/* the peer guest of vm_switch: seconds, at most an hour */
	CHECK_EQ_U(parse(&o, "vm_peer=120"), 0);
	CHECK_EQ_U(o.vm_peer_s, 120);
	CHECK_EQ_U(parse(&o, "vm_peer=3601"), 1);
	CHECK_EQ_U(o.vm_peer_s, 0);
	CHECK(strstr(last_warning, "vm_peer") != NULL);

	/* Xen's domain ids stop below DOMID_FIRST_RESERVED (0x7ff0) */
	CHECK_EQ_U(parse(&o, "peer_dom=2"), 0);
	CHECK_EQ_U(o.peer_dom, 2);
	CHECK_EQ_U(parse(&o, "peer_dom=32752"), 1);
	CHECK(strstr(last_warning, "peer_dom") != NULL);
	CHECK_EQ_U(parse(&o, "peer_dom=d2"), 1);
}

static void test_exit_and_flags(void)
{
	struct options o;

	CHECK_EQ_U(parse(&o, "exit=halt"), 0);
	CHECK(o.exit == EXIT_HALT);
	CHECK_EQ_U(parse(&o, "exit=reboot"), 1);
	CHECK_STR(last_warning, "option exit: 'reboot' is not poweroff or halt");
	CHECK(o.exit == EXIT_POWEROFF);
	CHECK_EQ_U(parse(&o, "list notable"), 0);
	CHECK(o.list && o.no_table);
	CHECK_EQ_U(parse(&o, "verbose"), 1);
	CHECK_EQ_U(parse(&o, "list=no"), 0);
	CHECK(!o.list);
	CHECK_EQ_U(parse(&o, "list=maybe"), 1);
	CHECK_EQ_U(parse(&o, ""), 0);
	CHECK(o.hist == OPT_DEFAULT_HIST);
	CHECK_EQ_U(parse(&o, "hist=0"), 0);
	CHECK(!o.hist);
	CHECK_EQ_U(parse(&o, "hist=1"), 0);
	CHECK(o.hist);
	CHECK_EQ_U(parse(&o, "hist=2"), 1);
	CHECK_STR(last_warning, "option hist: '2' is not yes or no");
	CHECK(o.hist == OPT_DEFAULT_HIST);
	CHECK_EQ_U(parse(&o, "fault=undef"), 0);
	CHECK(o.fault == FAULT_UNDEF);
	CHECK_EQ_U(parse(&o, "fault=memory"), 0);
	CHECK(o.fault == FAULT_MEMORY);
	CHECK_EQ_U(parse(&o, "fault=hang"), 0);
	CHECK(o.fault == FAULT_HANG);
	CHECK_EQ_U(parse(&o, "fault=cpu"), 0);
	CHECK(o.fault == FAULT_CPU);
	CHECK_EQ_U(parse(&o, "fault=irqlost"), 0);
	CHECK(o.fault == FAULT_IRQ_LOST);
	CHECK_EQ_U(parse(&o, "fault=boom"), 1);
	CHECK_STR(last_warning,
		  "option fault: 'boom' is not undef, memory, hang, cpu, guest or irqlost");
	CHECK(o.fault == FAULT_NONE);
}

static void test_counter(void)
{
	struct options o;

	CHECK_EQ_U(parse(&o, ""), 0);
	CHECK(o.counter == COUNTER_AUTO);
	CHECK_EQ_U(parse(&o, "counter=pmccntr"), 0);
	CHECK(o.counter == COUNTER_PMCCNTR);
	CHECK_EQ_U(parse(&o, "counter=cntvct"), 0);
	CHECK(o.counter == COUNTER_CNTVCT);
	CHECK_EQ_U(parse(&o, "counter=tsc"), 0);
	CHECK(o.counter == COUNTER_TSC);
	/* auto is the default, not a wish */
	CHECK_EQ_U(parse(&o, "counter=pmccntr counter=auto"), 0);
	CHECK(o.counter == COUNTER_AUTO);
	CHECK_EQ_U(parse(&o, "counter=hpet"), 1);
	CHECK(strstr(last_warning, "hpet") != NULL);
	CHECK(strstr(last_warning, "'hpet' is not auto, tsc, pmccntr or cntvct") != NULL);
	CHECK(o.counter == COUNTER_AUTO);
	CHECK_EQ_U(parse(&o, "counter"), 1);
	CHECK_EQ_U(parse(&o, "counter=PMCCNTR"), 1);
	/* One table: every name read back as the kind it names. */
	enum counter_kind k = COUNTER_AUTO;
	CHECK(counter_by_name("cntvct", &k) && k == COUNTER_CNTVCT);
	CHECK(!strcmp(counter_name(COUNTER_PMCCNTR), "pmccntr"));
	CHECK(!strcmp(counter_name(COUNTER_AUTO), "none"));
	CHECK(!counter_by_name(NULL, &k) && !counter_by_name("", &k));
}

static void test_net(void)
{
	struct options o;
	uint32_t a;

	CHECK_EQ_U(parse(&o, ""), 0);
	CHECK_EQ_U(o.ip, 0);
	CHECK_EQ_U(o.prefix, 24);
	CHECK_EQ_U(o.peer_port, 0);
	CHECK_EQ_U(parse(&o, "ip=10.0.2.15/16 gw=10.0.2.2 peer=10.0.2.2:7000"), 0);
	CHECK_EQ_U(o.ip, 0x0a00020f);
	CHECK_EQ_U(o.prefix, 16);
	CHECK_EQ_U(o.gw, 0x0a000202);
	CHECK_EQ_U(o.peer, 0x0a000202);
	CHECK_EQ_U(o.peer_port, 7000);
	CHECK_EQ_U(parse(&o, "ip=192.168.1.200"), 0);
	CHECK_EQ_U(o.ip, 0xc0a801c8);
	CHECK_EQ_U(o.prefix, 24);
	/* malformed: warned, nothing half-set */
	static const char *const bad[] = {
		"ip=10.0.2",
		"ip=10.0.2.256",
		"ip=10.0.2.15/33",
		"ip=10.0.2.15/0",
		"ip=1.2.3.4.5",
		"ip=",
		"ip",
		"gw=10.0.2.2/24",
		"peer=10.0.2.2",
		"peer=10.0.2.2:0",
		"peer=10.0.2.2:65533",
		"peer=10.0.2.2:x",
		"ip=01234.0.0.1",
		"ip=1..2.3",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK_EQ_U(parse(&o, bad[i]), 1);
		CHECK_EQ_U(o.ip, 0);
		CHECK_EQ_U(o.gw, 0);
		CHECK_EQ_U(o.peer, 0);
		CHECK_EQ_U(o.peer_port, 0);
	}
	CHECK(strstr(last_warning, "1..2.3") != NULL);
	CHECK(options_parse_ip4("0.0.0.0", &a) && a == 0);
	CHECK(options_parse_ip4("255.255.255.255", &a) && a == 0xffffffffu);
	CHECK(!options_parse_ip4(" 1.2.3.4", &a));
	CHECK(!options_parse_ip4("1.2.3.4 ", &a));
}

static void test_unknown_and_foreign(void)
{
	struct options o;

	CHECK_EQ_U(parse(&o, "frobnicate=1 bench=null"), 1);
	CHECK(strstr(last_warning, "frobnicate") != NULL);
	CHECK_EQ_U(o.nbench, 1);
	/* words boot loaders add are not ours and not errors */
	CHECK_EQ_U(parse(&o, "BOOT_IMAGE=/vmbench console=ttyAMA0 earlycon bench=null"), 0);
	CHECK_EQ_U(warnings, 0);
}

static void test_limits(void)
{
	struct options o;
	char line[4096];

	memset(line, 'x', 1000);
	line[1000] = 0;
	CHECK_EQ_U(parse(&o, line), 1);

	strcpy(line, "bench=");
	for (int i = 0; i < 40; i++)
		strcat(line, "b,");
	CHECK(parse(&o, line) > 0);
	CHECK_EQ_U(o.nbench, OPT_MAX_BENCH);

	strcpy(line, "bench=");
	memset(line + 6, 'n', 100);
	line[106] = 0;
	CHECK(parse(&o, line) > 0);
	CHECK_EQ_U(o.nbench, 0);
}

int main(void)
{
	test_defaults();
	test_bench_list();
	test_numbers();
	test_exit_and_flags();
	test_counter();
	test_net();
	test_unknown_and_foreign();
	test_limits();
	return check_report("options");
}
