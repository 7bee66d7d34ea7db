#include <stdio.h>
#include <string.h>

#include <vmb/crc32.h>
#include <vmb/hist.h>

#include "check.h"
#include "logparse.h"

static const char good[] =
	"BdsDxe: starting Boot0001\r\n"
	"\x1b[2J\x1b[01;01Hvmbench: UEFI entry\r\n"
	"VMB "
	"{\"t\":\"boot\",\"v\":1,\"arch\":\"arm64\",\"mode\":\"native\",\"el\":2,\"counter_hz\":"
	"1000000000}\r\n"
	"null             cycles ...\r\n"
	"VMB "
	"{\"t\":\"result\",\"bench\":\"null\",\"unit\":\"cycles\",\"n\":10,\"min\":1,\"p50\":2,"
	"\"mean\":2,\"p99\":3,\"max\":4,\"sd\":1}\r\n"
	"VMB {\"t\":\"skip\",\"bench\":\"hypercall\",\"reason\":\"no hypervisor\"}\r\n"
	"VMB {\"t\":\"info\",\"msg\":\"hello\"}\r\n"
	"VMB {\"t\":\"end\",\"status\":\"ok\",\"results\":1,\"skips\":1,\"errors\":0}\r\n";

static void parse_all(struct vmb_log *log, const char *text, size_t chunk)
{
	size_t n = strlen(text);

	vmb_log_init(log, "test");
	for (size_t i = 0; i < n; i += chunk)
		vmb_log_feed(log, text + i, n - i < chunk ? n - i : chunk);
	vmb_log_finish(log);
}

static void test_good(void)
{
	struct vmb_log log;

	/* Same outcome whatever the chunking. */
	for (size_t chunk = 1; chunk < 200; chunk += 37) {
		parse_all(&log, good, chunk);
		CHECK(vmb_log_complete(&log));
		CHECK(vmb_log_ok(&log));
		CHECK_EQ_U(log.nproblems, 0);
		CHECK_EQ_U(cJSON_GetArraySize(log.results), 1);
		CHECK_EQ_U(cJSON_GetArraySize(log.skips), 1);
		CHECK_EQ_U(cJSON_GetArraySize(log.infos), 1);
		CHECK_STR(vmb_str(log.boot, "arch", ""), "arm64");
		const cJSON *r = vmb_log_result(&log, "null");
		CHECK(r != NULL);
		CHECK_EQ_U((unsigned)vmb_num(r, "p50", 0), 2);
		CHECK(vmb_log_result(&log, "cpuid") == NULL);
		vmb_log_free(&log);
	}
}

static void test_xen_prefix_and_noise(void)
{
	struct vmb_log log;
	const char text[] =
		"(XEN) DOM1: VMB {\"t\":\"boot\",\"v\":1,\"arch\":\"arm64\",\"mode\":\"xen\"}\n"
		"(d1) VMB {\"t\":\"result\",\"bench\":\"hypercall\",\"p50\":100}\n"
		"random VMB text that is not a record\n"
		"\0\0\0VMB "
		"{\"t\":\"end\",\"status\":\"ok\",\"results\":1,\"skips\":0,\"errors\":0}   \n";

	vmb_log_init(&log, "xen");
	vmb_log_feed(&log, text, sizeof(text) - 1);
	vmb_log_finish(&log);
	CHECK(vmb_log_ok(&log));
	CHECK_STR(vmb_str(log.boot, "mode", ""), "xen");
	CHECK_EQ_U(log.nproblems, 0);
	vmb_log_free(&log);
}

/* Xen's console splits a guest's long lines and repeats its prefix. */
static void test_wrapped(void)
{
	struct vmb_log log;
	const char text[] =
		"(XEN) DOM1: VMB {\"t\":\"boot\",\"v\":1,\"arch\":\"ar\n"
		"(XEN) DOM1: m64\",\"mode\":\"xen\"}\n"
		"(XEN) DOM1: VMB {\"t\":\"result\",\"bench\":\"hypercall\",\n"
		"(XEN) d0v0 unrelated hypervisor chatter\n"
		"(XEN) DOM1: VMB "
		"{\"t\":\"end\",\"status\":\"ok\",\"results\":0,\"skips\":0,\"errors\":0}\n";

	parse_all(&log, text, 13);
	CHECK(vmb_log_complete(&log));
	CHECK_STR(vmb_str(log.boot, "arch", ""), "arm64");
	CHECK_STR(vmb_str(log.boot, "mode", ""), "xen");
	/* the cut result record is reported, not invented, and the log is
	 * not taken for a whole one */
	CHECK_EQ_U(log.nproblems, 1);
	CHECK_EQ_U(log.damaged, 1);
	CHECK(!vmb_log_ok(&log));
	CHECK(strstr(log.problems[0], "'result' record of 'hypercall' is lost") != NULL);
	CHECK_EQ_U(cJSON_GetArraySize(log.all), 2);
	vmb_log_free(&log);
}

/* Two Xen guests on one console: the other's lines (the vm_switch peer,
 * whose records are tagged VMB-peer) fall between the parts of a wrapped
 * record, which is still whole; the peer's records are not the run's. */
static void test_interleaved_guests(void)
{
	struct vmb_log log;
	const char text[] =
		"(XEN) DOM1: VMB {\"t\":\"boot\",\"v\":1,\"arch\":\"ar\n"
		"(XEN) DOM2: VMB-peer {\"t\":\"boot\",\"v\":1,\"arch\":\"arm64\"}\n"
		"(XEN) d2v0 hypervisor chatter\n"
		"(XEN) DOM1: m64\",\"mode\":\"xen\"}\n"
		"(XEN) DOM1: VMB {\"t\":\"result\",\"bench\":\"vm_switch\",\n"
		"(XEN) DOM2: info: vm_peer: gave the CPU up 60 times\n"
		"(XEN) DOM1: \"p50\":7}\n"
		"(XEN) DOM1: VMB "
		"{\"t\":\"end\",\"status\":\"ok\",\"results\":1,\"skips\":0,\"errors\":0}\n";

	parse_all(&log, text, 13);
	CHECK(vmb_log_ok(&log));
	CHECK_EQ_U(log.nproblems, 0);
	CHECK_STR(vmb_str(log.boot, "mode", ""), "xen");
	CHECK_EQ_U((unsigned)vmb_num(vmb_log_result(&log, "vm_switch"), "p50", 0), 7);
	vmb_log_free(&log);

	/* but a record whose rest never comes is not waited for forever */
	char lost[4096] = "(XEN) DOM1: VMB {\"t\":\"boot\",\n";
	for (int i = 0; i < 70; i++)
		strcat(lost, "(XEN) DOM2: chatter\n");
	strcat(lost, "(XEN) DOM1: \"v\":1}\n");
	parse_all(&log, lost, 13);
	CHECK(log.boot == NULL);
	CHECK(log.damaged >= 1);
	vmb_log_free(&log);
}

static void test_incomplete(void)
{
	struct vmb_log log;
	char cut[sizeof(good)];

	/* Cut in the middle of the end record. */
	size_t at = strstr(good, "\"t\":\"end\"") - good + 5;
	memcpy(cut, good, at);
	cut[at] = 0;
	parse_all(&log, cut, 64);
	CHECK(!vmb_log_complete(&log));
	CHECK(!vmb_log_ok(&log));
	CHECK(log.nproblems >= 2); /* malformed last line, no end */
	int incomplete = 0;
	for (unsigned i = 0; i < log.nproblems; i++)
		incomplete |= strstr(log.problems[i], "INCOMPLETE") != NULL;
	CHECK(incomplete);
	vmb_log_free(&log);

	parse_all(&log, "", 1);
	CHECK(!vmb_log_complete(&log));
	vmb_log_free(&log);
}

static void test_problems(void)
{
	struct vmb_log log;

	parse_all(&log,
		  "VMB {\"t\":\"result\",\"bench\":\"x\"}\n"
		  "VMB {\"t\":\"boot\"}\n"
		  "VMB {broken json\n"
		  "VMB {\"t\":\"weird\"}\n"
		  "VMB {\"no\":\"type\"}\n"
		  "VMB {\"t\":\"boot\"}\n"
		  "VMB {\"t\":\"end\",\"status\":\"fail\",\"results\":5,\"skips\":0,\"errors\":0}\n"
		  "VMB {\"t\":\"result\",\"bench\":\"late\"}\n",
		  7);
	CHECK(vmb_log_complete(&log));
	CHECK(!vmb_log_ok(&log));
	/* before boot, malformed, unknown type, no type, second boot, after end, count mismatch */
	CHECK_EQ_U(log.nproblems, 7);
	CHECK(vmb_log_result(&log, "late") == NULL);
	vmb_log_free(&log);
}

static void test_long_line(void)
{
	struct vmb_log log;
	static char text[VMB_LINE_MAX * 2 + 200];

	strcpy(text, "VMB {\"t\":\"boot\",\"pad\":\"");
	size_t n = strlen(text);
	memset(text + n, 'a', VMB_LINE_MAX + 10);
	strcpy(text + n + VMB_LINE_MAX + 10,
	       "\"}\nVMB "
	       "{\"t\":\"end\",\"status\":\"ok\",\"results\":0,\"skips\":0,\"errors\":0}\n");
	parse_all(&log, text, 4096);
	CHECK(log.boot == NULL); /* cut, so malformed */
	CHECK(log.end != NULL);
	CHECK(log.nproblems >= 2);
	vmb_log_free(&log);
}

/* Protocol v2 numbers its records: a line that vanished is still seen. */
static const char v2[] =
	"VMB "
	"{\"t\":\"boot\",\"v\":2,\"arch\":\"arm64\",\"mode\":\"kvm\",\"counter_hz\":62500000,"
	"\"seq\":0}\n"
	"VMB "
	"{\"t\":\"result\",\"bench\":\"null\",\"unit\":\"ticks\",\"n\":10,\"p50\":1,\"seq\":1}\n"
	"VMB "
	"{\"t\":\"result\",\"bench\":\"hypercall\",\"unit\":\"ticks\",\"n\":10,\"p50\":2300,"
	"\"seq\":2}\n"
	"VMB "
	"{\"t\":\"end\",\"status\":\"ok\",\"results\":2,\"skips\":0,\"errors\":0,\"suspect\":0,"
	"\"seq\":3}\n";

/* v2 with one line taken out, or with one line garbled. */
static void edit_v2(char *out, const char *drop_at, const char *garble)
{
	const char *cut = strstr(v2, drop_at), *eol = strchr(cut, '\n') + 1;

	memcpy(out, v2, (size_t)(cut - v2));
	out[cut - v2] = 0;
	strcat(out, garble);
	strcat(out, eol);
}

static void test_sequence(void)
{
	struct vmb_log log;
	char text[sizeof(v2) + 256];

	parse_all(&log, v2, 17);
	CHECK(vmb_log_ok(&log));
	CHECK_EQ_U(log.nproblems, 0);
	vmb_log_free(&log);

	/* A result line lost without a trace: the gap names what came before. */
	edit_v2(text, "VMB {\"t\":\"result\",\"bench\":\"hypercall\"", "");
	parse_all(&log, text, 17);
	CHECK(vmb_log_complete(&log));
	CHECK(!vmb_log_ok(&log));
	CHECK(log.damaged >= 1);
	CHECK(strstr(log.problems[0], "record 2 lost (after the 'result' record of 'null')") !=
	      NULL);
	vmb_log_free(&log);

	/* A garbled line: the record it was is named. */
	edit_v2(text, "VMB {\"t\":\"result\",\"bench\":\"hypercall\"",
		"VMB {\"t\":\"result\",\"bench\":\"hypercall\",\"unit\":\"ti#$\n");
	parse_all(&log, text, 17);
	CHECK(!vmb_log_ok(&log));
	CHECK(strstr(log.problems[0], "'result' record of 'hypercall' is lost") != NULL);
	vmb_log_free(&log);

	/* The same line twice (a console replayed it). */
	edit_v2(text, "VMB {\"t\":\"end\"",
		"VMB "
		"{\"t\":\"result\",\"bench\":\"hypercall\",\"unit\":\"ticks\",\"n\":10,\"p50\":"
		"2300,\"seq\":2}\n"
		"VMB "
		"{\"t\":\"end\",\"status\":\"ok\",\"results\":2,\"skips\":0,\"errors\":0,\"seq\":3}"
		"\n");
	parse_all(&log, text, 17);
	CHECK(!vmb_log_ok(&log));
	CHECK(log.damaged >= 1);
	vmb_log_free(&log);
}

/* A figure the image flagged: read, counted, said; the log stays whole. */
static void test_suspect(void)
{
	struct vmb_log log;
	char text[sizeof(v2) + 256];

	edit_v2(text, "VMB {\"t\":\"result\",\"bench\":\"hypercall\"",
		"VMB "
		"{\"t\":\"result\",\"bench\":\"hypercall\",\"unit\":\"cycles\",\"n\":10,\"p50\":"
		"2300,"
		"\"suspect\":\"pmccntr ran at 3.1% of its calibrated rate\",\"seq\":2}\n");
	parse_all(&log, text, 17);
	CHECK(vmb_log_complete(&log));
	CHECK_EQ_U(log.suspect, 1);
	CHECK_EQ_U(log.damaged, 1); /* the end record counted 0 untrustworthy */
	CHECK(log.nproblems >= 1);
	CHECK(strstr(log.problems[0], "hypercall is NOT TRUSTWORTHY") != NULL);
	vmb_log_free(&log);
}

/* Protocol v3: a log of sealed records, as the image writes them. */
static void sealed_log(char *out, size_t cap, const char *const *bodies, size_t n)
{
	size_t len = 0;

	out[0] = 0;
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(out + len, cap - len, "(d1) VMB %s,\"crc\":\"%08x\"}\r\n",
					bodies[i],
					(unsigned)vmb_crc32(bodies[i], strlen(bodies[i])));
}

static void test_checksum(void)
{
	static const char *const bodies[] = {
		"{\"t\":\"boot\",\"v\":3,\"arch\":\"arm64\",\"mode\":\"kvm\",\"seq\":0",
		"{\"t\":\"result\",\"bench\":\"hypercall\",\"unit\":\"ticks\",\"n\":10,"
		"\"min\":4000,\"p50\":4500,\"mean\":4600,\"p99\":5000,\"max\":5100,\"seq\":1",
		"{\"t\":\"end\",\"status\":\"ok\",\"results\":1,\"skips\":0,\"errors\":0,"
		"\"seq\":2",
	};
	char text[1024], bad[1024];
	struct vmb_log log;

	sealed_log(text, sizeof(text), bodies, 3);
	parse_all(&log, text, 7);
	CHECK(vmb_log_ok(&log));
	CHECK_EQ_U(log.nproblems, 0);
	CHECK_EQ_U((unsigned)vmb_num(vmb_log_result(&log, "hypercall"), "p50", 0), 4500);
	vmb_log_free(&log);

	/* One digit changed on the way: the record parses, its checksum does
	 * not agree, and it is not read (nor counted lost a second time). */
	memcpy(bad, text, sizeof(bad));
	char *digit = strstr(bad, "\"p50\":4500") + 7;
	*digit = '9';
	parse_all(&log, bad, 7);
	CHECK(!vmb_log_ok(&log));
	CHECK(vmb_log_result(&log, "hypercall") == NULL);
	CHECK(log.nproblems >= 1);
	CHECK(strstr(log.problems[0], "'result' record of 'hypercall' fails its checksum") != NULL);
	CHECK(strstr(log.problems[0], "lost") == NULL);
	vmb_log_free(&log);

	/* A v3 record without its seal. */
	memcpy(bad, text, sizeof(bad));
	char *crc = strstr(strstr(bad, "\"bench\""), ",\"crc\"");
	memmove(crc, crc + 17, strlen(crc + 17) + 1);
	parse_all(&log, bad, 7);
	CHECK(!vmb_log_ok(&log));
	CHECK(strstr(log.problems[0], "has no checksum") != NULL);
	vmb_log_free(&log);

	/* The host's own records (tools/run writes them) carry none. */
	char mixed[1200];
	char *end = strstr(text, "(d1) VMB {\"t\":\"end\"");
	snprintf(mixed, sizeof(mixed),
		 "%.*sVMB {\"t\":\"host\",\"side\":\"host\",\"bench\":"
		 "\"sockperf.udp\"}\n%s",
		 (int)(end - text), text, end);
	parse_all(&log, mixed, 7);
	CHECK(vmb_log_ok(&log));
	CHECK_EQ_U(cJSON_GetArraySize(log.hosts), 1);
	vmb_log_free(&log);
}

/* A serial log as LAVA's job log holds it: each line a "target" entry
 * (the shell logger's '\"', then YAML's escapes), among LAVA's own
 * entries, some of which quote a record's start. */
static void lava_wrap(char *out, size_t cap, const char *serial)
{
	size_t len = 0;

	len += (size_t)snprintf(out + len, cap - len,
				"- {\"dt\": \"2026-12-07T19:00:00.1\", \"lvl\": \"info\", \"msg\": "
				"\"Waiting for start message: VMB {\\\\\\\"t\\\\\\\":\"}\n");
	for (const char *p = serial; *p;) {
		const char *eol = strchr(p, '\n');
		size_t n = eol ? (size_t)(eol - p) : strlen(p);
		len += (size_t)snprintf(
			out + len, cap - len,
			"- {\"dt\": \"2026-12-07T19:00:01.2\", \"lvl\": \"target\", "
			"\"msg\": \"");
		for (size_t i = 0; i < n && len + 8 < cap; i++) {
			char c = p[i];
			if (c == '\r')
				continue;
			if (c == '"')
				len += (size_t)snprintf(out + len, cap - len, "\\\\\\\"");
			else if (c == '\\')
				len += (size_t)snprintf(out + len, cap - len, "\\\\");
			else
				out[len++] = c;
		}
		len += (size_t)snprintf(
			out + len, cap - len,
			"\"}\n- {\"dt\": \"2026-12-07T19:00:01.3\", \"lvl\": "
			"\"results\", \"msg\": {\"case\": \"x\", \"result\": \"pass\"}}\n");
		p += n + (eol != NULL);
	}
}

static void test_lava(void)
{
	static const char *const bodies[] = {
		"{\"t\":\"boot\",\"v\":3,\"arch\":\"x86_64\",\"mode\":\"native\","
		"\"emulation\":\"CPU model \\\"QEMU\\\"\",\"seq\":0",
		"{\"t\":\"result\",\"bench\":\"null\",\"unit\":\"cycles\",\"n\":10,"
		"\"min\":40,\"p50\":45,\"mean\":46,\"p99\":50,\"max\":51,\"seq\":1",
		"{\"t\":\"end\",\"status\":\"ok\",\"results\":1,\"skips\":0,\"errors\":0,"
		"\"seq\":2",
	};
	char text[1024], lava[4096];
	struct vmb_log log;

	sealed_log(text, sizeof(text), bodies, 3);
	lava_wrap(lava, sizeof(lava), text);
	parse_all(&log, lava, 13);
	CHECK(vmb_log_ok(&log));
	CHECK_EQ_U(log.nproblems, 0);
	CHECK_STR(vmb_str(log.boot, "emulation", ""), "CPU model \"QEMU\"");
	CHECK_EQ_U((unsigned)vmb_num(vmb_log_result(&log, "null"), "p50", 0), 45);
	vmb_log_free(&log);

	/* A digit changed on the way is still caught by the seal. */
	char *digit = strstr(lava, "p50") + 8;
	CHECK(*digit == '4');
	*digit = '9';
	parse_all(&log, lava, 13);
	CHECK(!vmb_log_ok(&log));
	CHECK(vmb_log_result(&log, "null") == NULL);
	vmb_log_free(&log);

	/* Cut before the end record: incomplete, as a serial capture would be. */
	lava_wrap(lava, sizeof(lava), text);
	*strstr(lava, "- {\"dt\": \"2026-12-07T19:00:01.2\", \"lvl\": \"target\", \"msg\": "
		      "\"(d1) VMB {\\\\\\\"t\\\\\\\":\\\\\\\"end") = 0;
	parse_all(&log, lava, 13);
	CHECK(!vmb_log_complete(&log));
	vmb_log_free(&log);
}

/* Provenance: the boot record's word first, then the host's setup records,
 * wherever they stand in the log. */
static void test_provenance(void)
{
	struct vmb_log log;
	const char text[] =
		"VMB {\"t\":\"setup\",\"side\":\"host\",\"qemu\":\"7.2.22\","
		"\"host_kernel\":\"6.1.0-28-amd64\",\"build\":\"host's\"}\n"
		"VMB {\"t\":\"boot\",\"v\":1,\"arch\":\"x86_64\",\"mode\":\"native\","
		"\"emulated\":true,\"build\":\"0123456789ab-dirty\",\"fw_vendor\":\"SeaBIOS\","
		"\"cpus\":2}\n"
		"VMB {\"t\":\"end\",\"status\":\"ok\",\"results\":0,\"skips\":0,\"errors\":0}\n"
		"VMB {\"t\":\"setup\",\"side\":\"host\",\"lab_kernel\":\"6.1.0-30-arm64\"}\n";

	parse_all(&log, text, 64);
	CHECK_EQ_U(log.nproblems, 0);
	CHECK_STR(vmb_log_provenance(&log, "build"), "0123456789ab-dirty");
	CHECK_STR(vmb_log_provenance(&log, "fw_vendor"), "SeaBIOS");
	CHECK_STR(vmb_log_provenance(&log, "emulated"), "true");
	CHECK_STR(vmb_log_provenance(&log, "qemu"), "7.2.22");
	CHECK_STR(vmb_log_provenance(&log, "host_kernel"), "6.1.0-28-amd64");
	CHECK_STR(vmb_log_provenance(&log, "lab_kernel"), "6.1.0-30-arm64");
	/* Not a string: not a provenance fact. Absent: NULL. */
	CHECK(vmb_log_provenance(&log, "cpus") == NULL);
	CHECK(vmb_log_provenance(&log, "microcode") == NULL);
	vmb_log_free(&log);

	/* No boot record at all: the host's word alone. */
	parse_all(&log, "VMB {\"t\":\"setup\",\"side\":\"host\",\"bochs\":\"2.7\"}\n", 8);
	CHECK_STR(vmb_log_provenance(&log, "bochs"), "2.7");
	CHECK(vmb_log_provenance(&log, "build") == NULL);
	vmb_log_free(&log);
}

/* Protocol v4: a result and its hist records, as the image writes them
 * (kernel/report.c), from sorted samples; bodies without their seals. */
static size_t hist_bodies(char (*bodies)[2048], const uint64_t *sorted, size_t n)
{
	uint64_t b[2 * HIST_RECORD_PAIRS];
	struct hist_enc e;
	size_t used = hist_buckets_used(sorted, n), pairs, k = 0;
	size_t parts = (used + HIST_RECORD_PAIRS - 1) / HIST_RECORD_PAIRS;

	snprintf(bodies[k++], 2048, "{\"t\":\"boot\",\"v\":4,\"arch\":\"x86_64\",\"seq\":0");
	snprintf(bodies[k++], 2048,
		 "{\"t\":\"result\",\"bench\":\"hypercall\",\"unit\":\"cycles\",\"n\":%zu,"
		 "\"min\":%llu,\"p50\":%llu,\"max\":%llu,\"seq\":1",
		 n, (unsigned long long)sorted[0], (unsigned long long)sorted[n / 2],
		 (unsigned long long)sorted[n - 1]);
	hist_enc_begin(&e, sorted, n);
	while ((pairs = hist_enc_next(&e, b, HIST_RECORD_PAIRS))) {
		int len = snprintf(bodies[k], 2048,
				   "{\"t\":\"hist\",\"bench\":\"hypercall\",\"unit\":\"cycles\","
				   "\"sub_bits\":7,\"n\":%zu,\"part\":%zu,\"parts\":%zu,\"b\":[",
				   n, k - 1, parts);
		for (size_t i = 0; i < 2 * pairs; i++)
			len += snprintf(bodies[k] + len, 2048 - (size_t)len, "%s%llu", i ? "," : "",
					(unsigned long long)b[i]);
		snprintf(bodies[k] + len, 2048 - (size_t)len, "],\"seq\":%zu", k);
		k++;
	}
	snprintf(bodies[k], 2048,
		 "{\"t\":\"end\",\"status\":\"ok\",\"results\":1,\"skips\":0,\"errors\":0,"
		 "\"seq\":%zu",
		 k);
	return k + 1;
}

static void seal_all(char *out, size_t cap, char (*bodies)[2048], size_t n)
{
	const char *ptrs[16];

	for (size_t i = 0; i < n; i++)
		ptrs[i] = bodies[i];
	sealed_log(out, cap, ptrs, n);
}

static void test_hist(void)
{
	static uint64_t s[3000];
	static char bodies[16][2048], text[32768];
	struct vmb_log log;
	struct vmb_hist h;
	size_t n = sizeof(s) / sizeof(s[0]);

	/* 1000 to 3999: buckets 8 and 16 wide, ~250 of them, 3 parts */
	for (size_t i = 0; i < n; i++)
		s[i] = 1000 + i;
	size_t nb = hist_bodies(bodies, s, n);
	CHECK_EQ_U(nb, 6);
	seal_all(text, sizeof(text), bodies, nb);
	parse_all(&log, text, 301);
	CHECK(vmb_log_ok(&log));
	CHECK_EQ_U(log.nproblems, 0);
	CHECK_EQ_U(cJSON_GetArraySize(log.hists), 3);
	CHECK(vmb_log_hist(&log, "hypercall", &h));
	CHECK_EQ_U(h.n, n);
	CHECK_EQ_U(h.sub_bits, 7);
	CHECK_EQ_U(h.nb, hist_buckets_used(s, n));
	unsigned bad = 0;
	size_t at = 0;
	for (unsigned i = 0; i < h.nb; i++) {
		bad += i && h.idx[i] <= h.idx[i - 1];
		for (unsigned long long c = 0; c < h.count[i]; c++)
			bad += at >= n || hist_index(s[at++]) != h.idx[i];
	}
	CHECK_EQ_U(bad, 0);
	CHECK_EQ_U(at, n);
	vmb_hist_free(&h);
	CHECK(!vmb_log_hist(&log, "null", &h));
	CHECK(h.idx == NULL && h.nb == 0);
	vmb_log_free(&log);

	/* a count changed (and sealed again, so only the sum can tell) */
	char *count = strstr(bodies[3], "\"b\":[");
	count = strchr(count, ',') + 1;
	*count = *count == '9' ? '8' : (char)(*count + 1);
	seal_all(text, sizeof(text), bodies, nb);
	parse_all(&log, text, 301);
	CHECK(!vmb_log_ok(&log));
	CHECK_EQ_U(log.damaged, 1);
	CHECK(log.nproblems >= 1 &&
	      strstr(log.problems[0], "DAMAGED: line 5: the 'hist' record of 'hypercall' ends "
				      "with counts that do not add up") != NULL);
	CHECK(!vmb_log_hist(&log, "hypercall", &h));
	CHECK_EQ_U(cJSON_GetArraySize(log.hists), 2); /* the last part is not kept */
	vmb_log_free(&log);

	/* a hist record that does not decode: a step of 0 */
	nb = hist_bodies(bodies, s, 100);
	CHECK_EQ_U(nb, 4);
	char *b = strstr(bodies[2], "\"b\":[") + 5;
	b = strchr(strchr(b, ',') + 1, ',') + 1; /* the second pair's step */
	CHECK(b[0] == '1' && b[1] == ',');
	*b = '0';
	seal_all(text, sizeof(text), bodies, nb);
	parse_all(&log, text, 301);
	CHECK(!vmb_log_ok(&log));
	CHECK(log.nproblems >= 1 && strstr(log.problems[0], "out of order") != NULL);
	vmb_log_free(&log);

	/* a hist record whose result is not just before it */
	nb = hist_bodies(bodies, s, 100);
	char *bench = strstr(bodies[2], "hypercall");
	memcpy(bench, "hypercalx", 9);
	seal_all(text, sizeof(text), bodies, nb);
	parse_all(&log, text, 301);
	CHECK(!vmb_log_ok(&log));
	CHECK(log.nproblems >= 1 &&
	      strstr(log.problems[0], "'hypercalx' names a benchmark with no result") != NULL);
	vmb_log_free(&log);

	/* a part left out (the numbers made to agree): the set stops short */
	nb = hist_bodies(bodies, s, n);
	memcpy(bodies[4], bodies[5], sizeof(bodies[5]));
	*strstr(bodies[4], "\"seq\":5") = 0;
	strcat(bodies[4], "\"seq\":4");
	seal_all(text, sizeof(text), bodies, nb - 1);
	parse_all(&log, text, 301);
	CHECK(!vmb_log_ok(&log));
	CHECK(log.nproblems >= 1 &&
	      strstr(log.problems[0], "'hypercall' stop after part 2 of 3") != NULL);
	CHECK(!vmb_log_hist(&log, "hypercall", &h));
	vmb_log_free(&log);
}

/* A version 3 log, sealed but without hist records, reads as before. */
static void test_v3_without_hist(void)
{
	static const char *const bodies[] = {
		"{\"t\":\"boot\",\"v\":3,\"arch\":\"arm64\",\"mode\":\"kvm\",\"seq\":0",
		"{\"t\":\"result\",\"bench\":\"hypercall\",\"unit\":\"ticks\",\"n\":10,"
		"\"min\":4000,\"p50\":4500,\"mean\":4600,\"p99\":5000,\"max\":5100,\"seq\":1",
		"{\"t\":\"end\",\"status\":\"ok\",\"results\":1,\"skips\":0,\"errors\":0,"
		"\"seq\":2",
	};
	char text[1024];
	struct vmb_log log;
	struct vmb_hist h;

	sealed_log(text, sizeof(text), bodies, 3);
	parse_all(&log, text, 64);
	CHECK(vmb_log_ok(&log));
	CHECK_EQ_U(log.nproblems, 0);
	CHECK_EQ_U(cJSON_GetArraySize(log.hists), 0);
	CHECK(!vmb_log_hist(&log, "hypercall", &h));
	vmb_log_free(&log);
}

int main(void)
{
	test_good();
	test_xen_prefix_and_noise();
	test_wrapped();
	test_interleaved_guests();
	test_incomplete();
	test_problems();
	test_long_line();
	test_sequence();
	test_checksum();
	test_suspect();
	test_provenance();
	test_hist();
	test_v3_without_hist();
	test_lava();
	return check_report("logparse");
}
