/* The study's cell rules on their own: overheads, why a cell is empty,
 * emulation marks, and the text every form prints. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "study_cell.h"

static void parse(struct vmb_log *log, const char *name, const char *text)
{
	vmb_log_init(log, name);
	vmb_log_feed(log, text, strlen(text));
	vmb_log_finish(log);
}

static void test_overhead(void)
{
	/* virtual over native time; native over virtual throughput */
	CHECK(study_overhead_time(300, 100) == 3.0);
	CHECK(study_overhead_throughput(2e9, 8e9) == 4.0);
	/* only where both were measured */
	CHECK(study_overhead_time(300, -1) < 0);
	CHECK(study_overhead_time(0, 100) < 0);
	CHECK(study_overhead_throughput(-1, 8e9) < 0);
	CHECK(study_overhead_throughput(2e9, 0) < 0);
}

static void test_emulated(void)
{
	struct study_column c = { .arch = "arm64", .mode = "kvm" };

	CHECK_STR(study_column_emulated(&c), "false");
	c.unknown = true;
	CHECK_STR(study_column_emulated(&c), "unknown");
	c.emulated = true;
	CHECK_STR(study_column_emulated(&c), "true");
	CHECK_STR(study_emulated_mark("true"), " (EMULATED)");
	CHECK_STR(study_emulated_mark("unknown"), " (emulated?)");
	CHECK_STR(study_emulated_mark("false"), "");
}

static void test_why_not(void)
{
	struct vmb_log logs[2];
	struct study_column c = { .arch = "x86_64", .mode = "kvm", .logs = { 0, 1 }, .nlogs = 2 };
	char why[256];

	parse(&logs[0], "a",
	      "VMB {\"t\":\"boot\",\"v\":1,\"arch\":\"x86_64\",\"mode\":\"kvm\"}\n"
	      "VMB {\"t\":\"error\",\"bench\":\"vm_switch\",\"msg\":\"peer gone\"}\n"
	      "VMB {\"t\":\"result\",\"bench\":\"net_rr\",\"unit\":\"cycles\",\"p50\":9,"
	      "\"suspect\":\"the counter stopped\"}\n"
	      "VMB {\"t\":\"host\",\"side\":\"host\",\"bench\":\"iperf.stream\","
	      "\"error\":\"connection refused\"}\n");
	parse(&logs[1], "b",
	      "VMB {\"t\":\"boot\",\"v\":1,\"arch\":\"x86_64\",\"mode\":\"kvm\"}\n"
	      "VMB {\"t\":\"skip\",\"bench\":\"vm_switch\",\"reason\":\"no ivshmem\"}\n");
	/* a skip says more than an error in another log of the column */
	study_why_not(why, sizeof(why), logs, &c, "vm_switch");
	CHECK_STR(why, "skipped: no ivshmem");
	c.nlogs = 1;
	study_why_not(why, sizeof(why), logs, &c, "vm_switch");
	CHECK_STR(why, "ERROR: peer gone");
	study_why_not(why, sizeof(why), logs, &c, "io_in");
	CHECK_STR(why, "not in these logs");
	study_net_why(why, sizeof(why), logs, &c, "net_rr", false);
	CHECK_STR(why, "NOT TRUSTWORTHY: the counter stopped");
	study_net_why(why, sizeof(why), logs, &c, "iperf.stream", true);
	CHECK_STR(why, "the host's client failed: connection refused");
	study_net_why(why, sizeof(why), logs, &c, "sockperf.tcp", true);
	CHECK_STR(why, "not in these logs");
	vmb_log_free(&logs[0]);
	vmb_log_free(&logs[1]);

	parse(&logs[0], "c",
	      "VMB {\"t\":\"boot\",\"v\":1,\"arch\":\"x86_64\",\"mode\":\"xen\"}\n"
	      "VMB {\"t\":\"skip\",\"bench\":\"net_rr\",\"reason\":\"no virtio-net\"}\n");
	study_net_why(why, sizeof(why), logs, &c, "sockperf.udp", true);
	CHECK_STR(why, "the image had no network: no virtio-net");
	vmb_log_free(&logs[0]);
}

static void test_text(void)
{
	struct study_cell_text t;
	cJSON *cell = cJSON_Parse("{\"p50_ns\":15000,\"lo_ns\":900,\"p99_ns\":2500000,"
				  "\"cycles\":45000.4,\"overhead\":2.345}");

	study_cell_text(&t, cell, "micro");
	CHECK_STR(t.value, "15.0 µs");
	CHECK_STR(t.lo, "900 ns");
	CHECK_STR(t.hi, "2.50 ms");
	CHECK_STR(t.cycles, "45000 cycles");
	CHECK_STR(t.overhead, "×2.3");
	cJSON_Delete(cell);

	cell = cJSON_Parse("{\"p50\":812,\"unit\":\"ticks\",\"rate_unknown\":true}");
	study_cell_text(&t, cell, "micro");
	CHECK_STR(t.value, "812 ticks (rate unknown)");
	CHECK_STR(t.lo, "");
	CHECK_STR(t.overhead, "");
	cJSON_Delete(cell);

	cell = cJSON_Parse("{\"ns\":40000,\"per_s\":25000,\"overhead\":1.234}");
	study_cell_text(&t, cell, "rate");
	CHECK_STR(t.value, "25000/s");
	CHECK_STR(t.overhead, "×1.23");
	study_cell_text(&t, cell, "time");
	CHECK_STR(t.value, "40.0 µs");
	CHECK_STR(t.cycles, "");
	cJSON_Delete(cell);

	cell = cJSON_Parse("{\"bit_s\":941000000}");
	study_cell_text(&t, cell, "throughput");
	CHECK_STR(t.value, "0.941 Gbit/s");
	CHECK_STR(t.overhead, "");
	cJSON_Delete(cell);
}

int main(void)
{
	test_overhead();
	test_emulated();
	test_why_not();
	test_text();
	return check_report("study_cell");
}
