#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vmb/crc32.h>
#include <bench/oneway.h>

#include "lavalog.h"
#include "logparse.h"

static void add_problem(struct vmb_log *log, bool damage, const char *fmt, va_list ap)
{
	char buf[320];

	log->damaged += damage;
	if (log->nproblems >= VMB_MAX_PROBLEMS)
		return;
	int n = snprintf(buf, sizeof(buf), "%s", damage ? "DAMAGED: " : "");
	vsnprintf(buf + n, sizeof(buf) - (size_t)n, fmt, ap);
	log->problems[log->nproblems++] = strdup(buf);
}

static void problem(struct vmb_log *log, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void damage(struct vmb_log *log, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Worth saying, but the data is whole. */
static void problem(struct vmb_log *log, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_problem(log, false, fmt, ap);
	va_end(ap);
}

/* Data was lost or cannot be trusted to be complete. */
static void damage(struct vmb_log *log, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_problem(log, true, fmt, ap);
	va_end(ap);
}

/* "the 'result' record of 'null'": enough to find a record in the log. */
static void describe(char *buf, size_t len, const char *type, const char *bench)
{
	if (bench)
		snprintf(buf, len, "the '%.20s' record of '%.32s'", type, bench);
	else
		snprintf(buf, len, "the '%.20s' record", type);
}

/* What a broken record was, from its text: its type and benchmark. */
static void describe_raw(char *buf, size_t len, const char *text)
{
	char type[24] = "?", bench[40] = "";
	const char *t = strstr(text, "\"t\":\""), *b = strstr(text, "\"bench\":\"");

	if (t)
		sscanf(t + 5, "%23[a-z]", type);
	if (b)
		sscanf(b + 9, "%39[A-Za-z0-9_.-]", bench);
	describe(buf, len, type, bench[0] ? bench : NULL);
}

/* Sequence numbers run 0, 1, 2...: a gap is a lost record, even one
 * whose line vanished without a trace. */
static void check_seq(struct vmb_log *log, const cJSON *rec, const char *t)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(rec, "seq");

	if (!cJSON_IsNumber(v))
		return;
	long long seq = (long long)v->valuedouble, want = log->last_seq + 1;
	if (seq > want)
		damage(log, "line %lu: record%s %lld%s%.0lld lost (after %s)", log->lines,
		       seq - want > 1 ? "s" : "", want, seq - want > 1 ? "-" : "",
		       seq - want > 1 ? seq - 1 : 0, log->last_desc);
	else if (seq < want)
		damage(log, "line %lu: record %lld repeated or out of order (after %s)", log->lines,
		       seq, log->last_desc);
	log->last_seq = seq;
	describe(log->last_desc, sizeof(log->last_desc), t, vmb_str(rec, "bench", NULL));
}

void vmb_log_init(struct vmb_log *log, const char *name)
{
	memset(log, 0, sizeof(*log));
	log->name = strdup(name ? name : "-");
	log->results = cJSON_CreateArray();
	log->skips = cJSON_CreateArray();
	log->errors = cJSON_CreateArray();
	log->infos = cJSON_CreateArray();
	log->cpus = cJSON_CreateArray();
	log->hosts = cJSON_CreateArray();
	log->setups = cJSON_CreateArray();
	log->hists = cJSON_CreateArray();
	log->all = cJSON_CreateArray();
	log->line = malloc(VMB_LINE_MAX + 1);
	log->pending = malloc(VMB_LINE_MAX + 1);
	log->last_seq = -1;
	snprintf(log->last_desc, sizeof(log->last_desc), "the start of the log");
}

const char *vmb_str(const cJSON *obj, const char *key, const char *dflt)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsString(v) && v->valuestring ? v->valuestring : dflt;
}

double vmb_num(const cJSON *obj, const char *key, double dflt)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsNumber(v) ? v->valuedouble : dflt;
}

/* Protocol v3: each of the image's records ends with its CRC-32 over its
 * own text up to the ,"crc" member, so that a record the console changed
 * on the way (a digit, a letter) is not read as what the image said.
 * True when the record may be read. */
static bool check_crc(struct vmb_log *log, const cJSON *rec, const char *text, size_t len,
		      const char *t)
{
	const cJSON *boot = log->boot ? log->boot : rec;
	const char *want = vmb_str(rec, "crc", NULL), *wrong = NULL;
	char what[96], got[12];

	if (!want) {
		/* the host's own records (tools/run) are not the image's */
		if (vmb_num(boot, "v", 0) < 3 || !strcmp(t, "host"))
			return true;
		wrong = "has no checksum (from protocol v3 on every record is sealed)";
	} else {
		const char *at = NULL;
		for (const char *p = text; (p = strstr(p, ",\"crc\":\"")) && p < text + len; p++)
			at = p;
		if (!at)
			wrong = "has its checksum out of place";
		else {
			snprintf(got, sizeof(got), "%08lx",
				 (unsigned long)vmb_crc32(text, (size_t)(at - text)));
			if (!strcmp(got, want))
				return true;
		}
	}
	/* Named only when it is wrong: most records are not. */
	describe(what, sizeof(what), t, vmb_str(rec, "bench", NULL));
	if (wrong)
		damage(log, "line %lu: %s %s", log->lines, what, wrong);
	else
		damage(log,
		       "line %lu: %s fails its checksum (crc %.8s, its text gives %s): changed on "
		       "the way, not read",
		       log->lines, what, want, got);
	return false;
}

/* A result's distribution (v4): kept when it decodes and agrees with the
 * result just before it, else the log is damaged (a figure was lost) and
 * the record is not passed on to any reader of the log's records. */
static void hist(struct vmb_log *log, cJSON *rec)
{
	const char *why = vmb_hist_seq_hist(&log->hist_seq, rec);

	if (!why) {
		cJSON_AddItemToArray(log->all, cJSON_Duplicate(rec, 1));
		cJSON_AddItemToArray(log->hists, rec);
		return;
	}
	char what[96];
	describe(what, sizeof(what), "hist", vmb_str(rec, "bench", NULL));
	damage(log, "line %lu: %s %s", log->lines, what, why);
	cJSON_Delete(rec);
}

static void record(struct vmb_log *log, cJSON *rec, const char *text, size_t len)
{
	const char *t = vmb_str(rec, "t", NULL);

	if (!t) {
		problem(log, "line %lu: record without a type", log->lines);
		cJSON_Delete(rec);
		return;
	}
	/* The host's word on how it set the run up: written by the host
	 * before the image boots or after it ends, never sealed. */
	if (!strcmp(t, "setup")) {
		if (strcmp(vmb_str(rec, "side", ""), "host")) {
			problem(log, "line %lu: a setup record not marked \"side\":\"host\"",
				log->lines);
			cJSON_Delete(rec);
			return;
		}
		cJSON_AddItemToArray(log->setups, rec);
		return;
	}
	if (log->end) {
		problem(log, "line %lu: '%s' record after the end record", log->lines, t);
		cJSON_Delete(rec);
		return;
	}
	if (!check_crc(log, rec, text, len, t)) {
		/* It was there, if not whole: the next number follows it. */
		if (cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(rec, "seq")))
			log->last_seq++;
		cJSON_Delete(rec);
		return;
	}
	check_seq(log, rec, t);
	if (!strcmp(t, "hist")) {
		hist(log, rec);
		return;
	}
	char cut[128];
	if (vmb_hist_seq_other(&log->hist_seq, cut, sizeof(cut)))
		damage(log, "line %lu: %s", log->lines, cut);
	if (!strcmp(t, "boot")) {
		if (log->boot) {
			damage(log, "line %lu: a second boot record (the machine rebooted?)",
			       log->lines);
			cJSON_Delete(rec);
			return;
		}
		double v = vmb_num(rec, "v", 0);
		if (v > VMB_PROTOCOL)
			problem(log, "protocol version %.0f is newer than this reader's (%d)", v,
				VMB_PROTOCOL);
		log->boot = rec;
		cJSON_AddItemToArray(log->all, cJSON_Duplicate(rec, 1));
		return;
	}
	cJSON_AddItemToArray(log->all, cJSON_Duplicate(rec, 1));
	if (!log->boot)
		problem(log, "line %lu: '%s' record before the boot record", log->lines, t);
	if (!strcmp(t, "result")) {
		if (vmb_str(rec, "suspect", NULL)) {
			log->suspect++;
			problem(log, "line %lu: %s is NOT TRUSTWORTHY: %s", log->lines,
				vmb_str(rec, "bench", "?"), vmb_str(rec, "suspect", ""));
		}
		cJSON_AddItemToArray(log->results, rec);
		vmb_hist_seq_result(&log->hist_seq, rec);
	} else if (!strcmp(t, "skip"))
		cJSON_AddItemToArray(log->skips, rec);
	else if (!strcmp(t, "error"))
		cJSON_AddItemToArray(log->errors, rec);
	else if (!strcmp(t, "info"))
		cJSON_AddItemToArray(log->infos, rec);
	else if (!strcmp(t, "cpu"))
		cJSON_AddItemToArray(log->cpus, rec);
	else if (!strcmp(t, "host"))
		cJSON_AddItemToArray(log->hosts, rec);
	else if (!strcmp(t, "serve"))
		cJSON_Delete(rec); /* where the image served the host's clients: in `all` */
	else if (!strcmp(t, "end"))
		log->end = rec;
	else {
		problem(log, "line %lu: unknown record type '%s' (ignored)", log->lines, t);
		cJSON_Delete(rec);
	}
}

/* Parse the pending record; give up (and report it) only when final. */
static void try_pending(struct vmb_log *log, bool final)
{
	char *json = log->pending;
	size_t jl = log->pending_len;

	while (jl && (json[jl - 1] == ' ' || json[jl - 1] == '\t'))
		jl--;
	cJSON *rec = cJSON_ParseWithLength(json, jl);
	if (rec && cJSON_IsObject(rec)) {
		log->pending_len = 0;
		record(log, rec, json, jl);
		return;
	}
	cJSON_Delete(rec);
	/* A console wraps a record over a handful of lines, not more. */
	if (final || log->pending_lines >= 64) {
		char what[96];
		log->pending[log->pending_len] = 0;
		describe_raw(what, sizeof(what), log->pending);
		damage(log, "line %lu: malformed record, %s is lost%s", log->lines, what,
		       log->overlong ? " (line too long, cut)" : "");
		log->pending_len = 0;
	}
}

static void parse_line(struct vmb_log *log, char *line, size_t len)
{
	line[len] = 0;
	/* A LAVA job log: the console's lines are its "target" entries (a
	 * copy saved with CRLF line ends too: CRs go below anyway). */
	if (len && line[len - 1] == '\r')
		line[--len] = 0;
	switch (lava_unwrap(line, VMB_LINE_MAX + 1)) {
	case LAVA_OWN:
		return;
	case LAVA_TARGET:
		len = strlen(line);
		break;
	case LAVA_PLAIN:
		break;
	}
	/* Strip what consoles add: CR, NULs; the JSON itself is plain ASCII. */
	size_t w = 0;
	for (size_t r = 0; r < len; r++)
		if (line[r] != '\r' && line[r] != 0)
			line[w++] = line[r];
	line[w] = 0;
	char *tag = strstr(line, "VMB {");
	if (log->pending_len) {
		/* Continuation of a wrapped record: same prefix, no new tag. */
		size_t pl = strlen(log->pending_prefix);
		bool same = !strncmp(line, log->pending_prefix, pl);
		if (!tag && same && log->pending_len + strlen(line + pl) < VMB_LINE_MAX) {
			strcpy(log->pending + log->pending_len, line + pl);
			log->pending_len += strlen(line + pl);
			log->pending_lines++;
			try_pending(log, false);
			return;
		}
		/* Another source's line between the parts (another Xen guest's,
		 * the hypervisor's own): the record may go on after it. */
		if (!tag && !same && pl && ++log->pending_lines < 64)
			return;
		try_pending(log, true);
	}
	if (!tag)
		return;
	size_t prefix = (size_t)(tag - line);
	if (prefix >= sizeof(log->pending_prefix))
		prefix = 0;
	memcpy(log->pending_prefix, line, prefix);
	log->pending_prefix[prefix] = 0;
	strcpy(log->pending, tag + 4);
	log->pending_len = strlen(log->pending);
	log->pending_lines = 1;
	try_pending(log, false);
}

void vmb_log_feed(struct vmb_log *log, const char *data, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = data[i];
		if (c == '\n') {
			log->lines++;
			parse_line(log, log->line, log->len);
			log->len = 0;
			log->overlong = false;
			continue;
		}
		if (log->len < VMB_LINE_MAX)
			log->line[log->len++] = c;
		else
			log->overlong = true;
	}
}

static void refuse_impossible(struct vmb_log *log);

void vmb_log_finish(struct vmb_log *log)
{
	if (log->len) {
		log->lines++;
		parse_line(log, log->line, log->len);
		log->len = 0;
	}
	if (log->pending_len)
		try_pending(log, true);
	if (!log->boot)
		problem(log, "no boot record");
	char cut[128];
	if (vmb_hist_seq_other(&log->hist_seq, cut, sizeof(cut)))
		damage(log, "%s", cut);
	if (!log->end) {
		problem(log, "INCOMPLETE: no end record (the run crashed, hung or was cut off)");
		refuse_impossible(log);
		return;
	}
	const struct {
		const char *key;
		cJSON *list;
	} counts[] = { { "results", log->results },
		       { "skips", log->skips },
		       { "errors", log->errors } };
	double suspect = vmb_num(log->end, "suspect", -1);
	if (suspect >= 0 && suspect != log->suspect)
		damage(log, "end record counts %.0f untrustworthy results, the log has %u", suspect,
		       log->suspect);
	for (size_t i = 0; i < 3; i++) {
		double want = vmb_num(log->end, counts[i].key, -1);
		int have = cJSON_GetArraySize(counts[i].list);
		if (want != have)
			damage(log, "end record counts %.0f %s, the log has %d", want,
			       counts[i].key, have);
	}
	/* After the counts: they are the image's, before the reader's verdict. */
	refuse_impossible(log);
}

/* The rate of a result's figures: its own clock (cross-CPU and timer
 * figures are on the reference clock), else the boot record's counter. */
double result_hz(const struct vmb_log *log, const cJSON *r)
{
	double hz = r ? vmb_num(r, "clock_hz", 0) : 0;

	if (hz <= 0 && log->boot)
		hz = vmb_num(log->boot, "counter_hz", 0);
	return hz;
}

double to_ns(const struct vmb_log *log, const cJSON *r, double v)
{
	double hz = result_hz(log, r);

	return hz > 0 ? v * 1e9 / hz : -1;
}

/*
 * A one-way figure cannot be longer than the round trip it is part of.
 * The image prints one only within its clock offset's uncertainty of the
 * round trip, and that uncertainty within ONEWAY_MAX_UNCERTAINTY_PERCENT
 * of the figure (bench/oneway.c): a median beyond that, from any image,
 * is no figure. The reader turns it into a skip that says why, so no
 * table, comparison or plot shows it.
 */
static const struct {
	const char *one_way, *round_trip;
} one_way_pairs[] = { { "virt_ipi", "virt_ipi_rtt" } };

static void refuse_impossible(struct vmb_log *log)
{
	for (size_t i = 0; i < sizeof(one_way_pairs) / sizeof(one_way_pairs[0]); i++) {
		cJSON *r, *ow = NULL;
		cJSON_ArrayForEach(r, log->results) {
			if (!ow && !strcmp(vmb_str(r, "bench", ""), one_way_pairs[i].one_way))
				ow = r;
		}
		const cJSON *rt = vmb_log_result(log, one_way_pairs[i].round_trip);
		if (!ow || !rt)
			continue;
		double a = to_ns(log, ow, vmb_num(ow, "p50", -1));
		double b = to_ns(log, rt, vmb_num(rt, "p50", -1));
		if (a < 0 || b < 0 || a * (100 - ONEWAY_MAX_UNCERTAINTY_PERCENT) <= b * 100)
			continue;
		char why[240];
		snprintf(why, sizeof(why),
			 "refused by the reader: one way (p50 %.0f ns) longer than the round trip "
			 "%s (p50 %.0f ns), which is impossible",
			 a, one_way_pairs[i].round_trip, b);
		cJSON *skip = cJSON_CreateObject();
		cJSON_AddStringToObject(skip, "t", "skip");
		cJSON_AddStringToObject(skip, "bench", one_way_pairs[i].one_way);
		cJSON_AddStringToObject(skip, "reason", why);
		cJSON_AddItemToArray(log->skips, skip);
		cJSON_Delete(cJSON_DetachItemViaPointer(log->results, ow));
		log->refused++;
		problem(log, "%s is NOT TRUSTWORTHY: %s", one_way_pairs[i].one_way, why);
	}
}

void vmb_log_free(struct vmb_log *log)
{
	cJSON_Delete(log->boot);
	cJSON_Delete(log->results);
	cJSON_Delete(log->skips);
	cJSON_Delete(log->errors);
	cJSON_Delete(log->infos);
	cJSON_Delete(log->cpus);
	cJSON_Delete(log->hosts);
	cJSON_Delete(log->setups);
	cJSON_Delete(log->hists);
	cJSON_Delete(log->end);
	cJSON_Delete(log->all);
	free(log->pending);
	for (unsigned i = 0; i < log->nproblems; i++)
		free(log->problems[i]);
	free(log->line);
	free(log->name);
	memset(log, 0, sizeof(*log));
}

bool vmb_log_complete(const struct vmb_log *log)
{
	return log->boot && log->end;
}

bool vmb_log_ok(const struct vmb_log *log)
{
	return vmb_log_complete(log) && !log->damaged &&
	       !strcmp(vmb_str(log->end, "status", ""), "ok");
}

static const cJSON *find_bench(const cJSON *list, const char *bench)
{
	const cJSON *r;

	cJSON_ArrayForEach(r, list)
		if (!strcmp(vmb_str(r, "bench", ""), bench))
			return r;
	return NULL;
}

const char *vmb_log_setup(const struct vmb_log *log, const char *key)
{
	const cJSON *r;

	cJSON_ArrayForEach(r, log->setups)
		if (vmb_str(r, key, NULL))
			return vmb_str(r, key, NULL);
	return NULL;
}

const char *vmb_log_provenance(const struct vmb_log *log, const char *key)
{
	const cJSON *v = log->boot ? cJSON_GetObjectItemCaseSensitive(log->boot, key) : NULL;

	if (cJSON_IsString(v) && v->valuestring)
		return v->valuestring;
	if (cJSON_IsBool(v))
		return cJSON_IsTrue(v) ? "true" : "false";
	return vmb_log_setup(log, key);
}

const cJSON *vmb_log_result(const struct vmb_log *log, const char *bench)
{
	return find_bench(log->results, bench);
}

const cJSON *vmb_log_host(const struct vmb_log *log, const char *bench)
{
	const cJSON *r;

	cJSON_ArrayForEach(r, log->hosts)
		if (!strcmp(vmb_str(r, "bench", ""), bench) && !vmb_str(r, "error", NULL))
			return r;
	return NULL;
}

const cJSON *vmb_log_skip(const struct vmb_log *log, const char *bench)
{
	return find_bench(log->skips, bench);
}

const cJSON *vmb_log_error(const struct vmb_log *log, const char *bench)
{
	return find_bench(log->errors, bench);
}

int vmb_parts(const cJSON *result, char names[][VMB_PART_MAX], int max)
{
	const char *s = vmb_str(result, "parts", "");
	int n = 0;

	while (*s && n < max) {
		size_t len = strcspn(s, ",");
		if (len) {
			size_t keep = len < VMB_PART_MAX - 1 ? len : VMB_PART_MAX - 1;
			memcpy(names[n], s, keep);
			names[n++][keep] = 0;
		}
		s += len + (s[len] == ',');
	}
	return n;
}

double vmb_part_num(const cJSON *result, const char *part, const char *stat, double dflt)
{
	char names[8][VMB_PART_MAX], key[VMB_PART_MAX + 16];
	int n = vmb_parts(result, names, 8);

	for (int i = 0; i < n; i++)
		if (!strcmp(names[i], part)) {
			snprintf(key, sizeof(key), "%s_%s", part, stat);
			return vmb_num(result, key, dflt);
		}
	return dflt;
}

const char *emulated_word(const cJSON *boot)
{
	const cJSON *e = boot ? cJSON_GetObjectItemCaseSensitive(boot, "emulated") : NULL;

	return cJSON_IsTrue(e) ? "true" : cJSON_IsFalse(e) ? "false" : "unknown";
}

bool is_suspect(const cJSON *result)
{
	return vmb_str(result, "suspect", NULL) != NULL;
}
