/*
 * tools/compare on synthetic logs written as the image writes them
 * (sealed records, hist records after each result): verdicts, exit
 * statuses, provenance refusal, logs left out, and the JUnit form.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vmb/crc32.h>
#include <vmb/hist.h>

#include "check.h"
#include "rng.h"
#include "compare.h"

#define BOOT_SAMPLES 400

struct writer {
	char *text;
	size_t len, cap;
	unsigned seq;
};

static void put(struct writer *w, const char *body)
{
	char sealed[8192];
	int n = snprintf(sealed, sizeof(sealed), "%s,\"seq\":%u", body, w->seq++);
	int m = snprintf(sealed + n, sizeof(sealed) - (size_t)n, ",\"crc\":\"%08x\"}",
			 (unsigned)vmb_crc32(sealed, (size_t)n));
	size_t add = (size_t)(n + m) + 6;

	if (w->len + add + 1 > w->cap) {
		w->cap = (w->len + add + 1) * 2;
		w->text = realloc(w->text, w->cap);
	}
	w->len += (size_t)snprintf(w->text + w->len, w->cap - w->len, "VMB %s\n", sealed);
}

static uint64_t rng = 7;

static double uniform(void)
{
	return rng_uniform(&rng);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* A result around center (cycles of a 1 GHz counter: ns) and its hist. */
static void result(struct writer *w, const char *bench, double center)
{
	uint64_t s[BOOT_SAMPLES], b[2 * HIST_RECORD_PAIRS];
	char body[8192];
	struct hist_enc e;
	size_t pairs, part = 0;

	for (int i = 0; i < BOOT_SAMPLES; i++)
		s[i] = (uint64_t)(center * (0.97 + 0.06 * uniform()));
	qsort(s, BOOT_SAMPLES, sizeof(uint64_t), cmp_u64);
	snprintf(body, sizeof(body),
		 "{\"t\":\"result\",\"bench\":\"%s\",\"unit\":\"cycles\",\"n\":%d,\"min\":%llu,"
		 "\"p1\":%llu,\"p50\":%llu,\"mean\":%llu,\"p99\":%llu,\"max\":%llu,\"sd\":1",
		 bench, BOOT_SAMPLES, (unsigned long long)s[0],
		 (unsigned long long)s[BOOT_SAMPLES / 100], (unsigned long long)s[BOOT_SAMPLES / 2],
		 (unsigned long long)s[BOOT_SAMPLES / 2],
		 (unsigned long long)s[BOOT_SAMPLES * 99 / 100],
		 (unsigned long long)s[BOOT_SAMPLES - 1]);
	put(w, body);
	size_t parts =
		(hist_buckets_used(s, BOOT_SAMPLES) + HIST_RECORD_PAIRS - 1) / HIST_RECORD_PAIRS;
	hist_enc_begin(&e, s, BOOT_SAMPLES);
	while ((pairs = hist_enc_next(&e, b, HIST_RECORD_PAIRS))) {
		int len = snprintf(
			body, sizeof(body),
			"{\"t\":\"hist\",\"bench\":\"%s\",\"unit\":\"cycles\",\"sub_bits\":"
			"7,\"n\":%d,\"part\":%zu,\"parts\":%zu,\"b\":[",
			bench, BOOT_SAMPLES, ++part, parts);
		for (size_t i = 0; i < 2 * pairs; i++)
			len += snprintf(body + len, sizeof(body) - (size_t)len, "%s%llu",
					i ? "," : "", (unsigned long long)b[i]);
		snprintf(body + len, sizeof(body) - (size_t)len, "]");
		put(w, body);
	}
}

/* One boot's log: hypercall and eoi_ack results, an iperf figure. */
static void boot_log(struct vmb_log *log, const char *cpu, double hyp, double eoi, double bw,
		     bool complete)
{
	struct writer w = { 0 };
	char body[512];

	snprintf(
		body, sizeof(body),
		"{\"t\":\"boot\",\"v\":4,\"arch\":\"x86_64\",\"mode\":\"native\",\"emulated\":true,"
		"\"cpu\":\"%s\",\"cpuid\":\"0x806f8\",\"counter\":\"tsc\",\"counter_hz\":"
		"1000000000,"
		"\"build\":\"abc1234\"",
		cpu);
	put(&w, body);
	result(&w, "hypercall", hyp);
	result(&w, "eoi_ack", eoi);
	snprintf(body, sizeof(body),
		 "{\"t\":\"host\",\"side\":\"host\",\"bench\":\"iperf.stream\",\"unit\":\"bit/s\","
		 "\"value\":%.0f",
		 bw);
	put(&w, body);
	if (complete)
		put(&w, "{\"t\":\"end\",\"status\":\"ok\",\"results\":2,\"skips\":0,\"errors\":0");
	vmb_log_init(log, complete ? "boot.log" : "cut.log");
	vmb_log_feed(log, w.text, w.len);
	vmb_log_finish(log);
	free(w.text);
}

static const cJSON *row(const cJSON *doc, const char *metric, const char *stat)
{
	const cJSON *x;

	cJSON_ArrayForEach(x, cJSON_GetObjectItem(doc, "metrics"))
		if (!strcmp(vmb_str(x, "metric", ""), metric) &&
		    !strcmp(vmb_str(x, "stat", ""), stat))
			return x;
	return NULL;
}

static void free_logs(struct vmb_log *l, int n)
{
	for (int i = 0; i < n; i++)
		vmb_log_free(&l[i]);
}

static void test_verdicts(void)
{
	struct vmb_log a[5], b[5];
	struct compare_opts o;

	compare_opts_default(&o);
	for (int i = 0; i < 5; i++) {
		boot_log(&a[i], "QEMU TCG", 10000 * (1 + 0.01 * (i % 3)), 200, 8e9 * (1 + 0.01 * i),
			 true);
		boot_log(&b[i], "QEMU TCG", 13000 * (1 + 0.01 * (i % 2)), 200, 9e9 * (1 - 0.01 * i),
			 true);
	}
	cJSON *doc = compare_build(a, 5, b, 5, &o);
	CHECK_EQ_U(compare_status(doc), COMPARE_SLOWER);
	CHECK_STR(vmb_str(row(doc, "hypercall", "p50"), "verdict", ""), "slower");
	CHECK_STR(vmb_str(row(doc, "hypercall", "p50"), "source", ""), "histograms");
	CHECK_STR(vmb_str(row(doc, "eoi_ack", "p50"), "verdict", ""), "unchanged");
	/* more bandwidth is faster, and no regression */
	CHECK_STR(vmb_str(row(doc, "host:iperf.stream", "value"), "verdict", ""), "faster");
	const cJSON *reg = cJSON_GetObjectItem(doc, "regressions");
	CHECK_EQ_U(cJSON_GetArraySize(reg), 1);
	CHECK_STR(cJSON_GetArrayItem(reg, 0)->valuestring, "hypercall p50");
	double change = vmb_num(row(doc, "hypercall", "p50"), "change", 0);
	CHECK(change > 0.25 && change < 0.35);

	char *text;
	size_t len;
	FILE *f = open_memstream(&text, &len);
	compare_junit(f, doc);
	fclose(f);
	CHECK(strstr(text, "failures=\"1\"") != NULL);
	CHECK(strstr(text, "name=\"hypercall p50\"><failure") != NULL);
	free(text);
	f = open_memstream(&text, &len);
	compare_markdown(f, doc);
	fclose(f);
	CHECK(strstr(text, "| hypercall | p50 | 5/5 |") != NULL);
	CHECK(strstr(text, "**Verdict: B is slower** (exit 1)") != NULL);
	free(text);
	cJSON_Delete(doc);

	/* the same logs on both sides: no verdict but unchanged */
	doc = compare_build(a, 5, a, 5, &o);
	CHECK_EQ_U(compare_status(doc), COMPARE_SAME);
	CHECK_STR(vmb_str(row(doc, "hypercall", "p50"), "verdict", ""), "unchanged");
	cJSON_Delete(doc);

	/* a higher floor for one metric lets its change pass */
	snprintf(o.floors[0].metric, sizeof(o.floors[0].metric), "hypercall");
	o.floors[0].floor = 0.5;
	o.nfloors = 1;
	doc = compare_build(a, 5, b, 5, &o);
	CHECK_EQ_U(compare_status(doc), COMPARE_SAME);
	CHECK(vmb_str(row(doc, "hypercall", "p50"), "note", NULL) != NULL);
	cJSON_Delete(doc);
	free_logs(a, 5);
	free_logs(b, 5);
}

static void test_untestable(void)
{
	struct vmb_log a[5], b[5];
	struct compare_opts o;

	compare_opts_default(&o);
	for (int i = 0; i < 5; i++) {
		boot_log(&a[i], "QEMU TCG", 10000, 200, 8e9, true);
		boot_log(&b[i], i < 3 ? "QEMU TCG" : "Xeon E5-2450", 20000, 200, 8e9, i > 1);
	}
	/* B mixes two CPUs: refused, whatever the figures say */
	cJSON *doc = compare_build(a, 5, b, 5, &o);
	CHECK_EQ_U(compare_status(doc), COMPARE_UNTESTABLE);
	CHECK(strstr(vmb_str(doc, "refused", ""), "cpu differs") != NULL);
	cJSON_Delete(doc);
	o.force = true;
	doc = compare_build(a, 5, b, 5, &o);
	CHECK(vmb_str(doc, "forced", NULL) != NULL);
	/* the cut logs are left out, named: 5 + 3 boots cannot decide */
	const cJSON *out = cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "b"), "left_out");
	CHECK_EQ_U(cJSON_GetArraySize(out), 2);
	CHECK_STR(vmb_str(row(doc, "hypercall", "p50"), "verdict", ""), "not enough data");
	CHECK_EQ_U(compare_status(doc), COMPARE_UNTESTABLE);
	CHECK_EQ_U(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "warnings")), 1);
	cJSON_Delete(doc);
	free_logs(a, 5);
	free_logs(b, 5);

	/* a CPU whose name is part of another's is another CPU all the same */
	for (int i = 0; i < 5; i++) {
		boot_log(&a[i], "Xeon E5-2450 v2", 10000, 200, 8e9, true);
		boot_log(&b[i], i ? "Xeon E5-2450" : "Xeon E5-2450 v2", 10000, 200, 8e9, true);
	}
	compare_opts_default(&o);
	doc = compare_build(a, 5, b, 5, &o);
	CHECK_EQ_U(compare_status(doc), COMPARE_UNTESTABLE);
	CHECK(strstr(vmb_str(doc, "refused", ""), "mixed: Xeon E5-2450 v2 | Xeon E5-2450") != NULL);
	cJSON_Delete(doc);
	free_logs(a, 5);
	free_logs(b, 5);
}

int main(void)
{
	test_verdicts();
	test_untestable();
	printf("%d passed, %d failed\n", check_passed, check_failed);
	return check_failed != 0;
}
