#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logparse.h"

static void problem(struct vmb_log *log, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void problem(struct vmb_log *log, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	if (log->nproblems >= VMB_MAX_PROBLEMS)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	log->problems[log->nproblems++] = strdup(buf);
}

void vmb_log_init(struct vmb_log *log, const char *name)
{
	memset(log, 0, sizeof(*log));
	log->name = strdup(name ? name : "-");
	log->results = cJSON_CreateArray();
	log->skips = cJSON_CreateArray();
	log->errors = cJSON_CreateArray();
	log->infos = cJSON_CreateArray();
	log->all = cJSON_CreateArray();
	log->line = malloc(VMB_LINE_MAX + 1);
	log->pending = malloc(VMB_LINE_MAX + 1);
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

static void record(struct vmb_log *log, cJSON *rec)
{
	const char *t = vmb_str(rec, "t", NULL);

	if (!t) {
		problem(log, "line %lu: record without a type", log->lines);
		cJSON_Delete(rec);
		return;
	}
	if (log->end) {
		problem(log, "line %lu: '%s' record after the end record", log->lines, t);
		cJSON_Delete(rec);
		return;
	}
	if (!strcmp(t, "boot")) {
		if (log->boot) {
			problem(log, "line %lu: a second boot record (the machine rebooted?)",
				log->lines);
			cJSON_Delete(rec);
			return;
		}
		log->boot = rec;
		cJSON_AddItemToArray(log->all, cJSON_Duplicate(rec, 1));
		return;
	}
	cJSON_AddItemToArray(log->all, cJSON_Duplicate(rec, 1));
	if (!log->boot)
		problem(log, "line %lu: '%s' record before the boot record", log->lines, t);
	if (!strcmp(t, "result"))
		cJSON_AddItemToArray(log->results, rec);
	else if (!strcmp(t, "skip"))
		cJSON_AddItemToArray(log->skips, rec);
	else if (!strcmp(t, "error"))
		cJSON_AddItemToArray(log->errors, rec);
	else if (!strcmp(t, "info"))
		cJSON_AddItemToArray(log->infos, rec);
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
		record(log, rec);
		return;
	}
	cJSON_Delete(rec);
	/* A console wraps a record over a handful of lines, not more. */
	if (final || log->pending_lines >= 64) {
		problem(log, "line %lu: malformed record%s", log->lines,
			log->overlong ? " (line too long, cut)" : "");
		log->pending_len = 0;
	}
}

static void parse_line(struct vmb_log *log, char *line, size_t len)
{
	line[len] = 0;
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
		if (!tag && !strncmp(line, log->pending_prefix, pl) &&
		    log->pending_len + strlen(line + pl) < VMB_LINE_MAX) {
			strcpy(log->pending + log->pending_len, line + pl);
			log->pending_len += strlen(line + pl);
			log->pending_lines++;
			try_pending(log, false);
			return;
		}
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
	if (!log->end) {
		problem(log, "INCOMPLETE: no end record (the run crashed, hung or was cut off)");
		return;
	}
	const struct {
		const char *key;
		cJSON *list;
	} counts[] = { { "results", log->results }, { "skips", log->skips }, { "errors", log->errors } };
	for (size_t i = 0; i < 3; i++) {
		double want = vmb_num(log->end, counts[i].key, -1);
		int have = cJSON_GetArraySize(counts[i].list);
		if (want != have)
			problem(log, "end record counts %.0f %s, the log has %d", want, counts[i].key,
				have);
	}
}

void vmb_log_free(struct vmb_log *log)
{
	cJSON_Delete(log->boot);
	cJSON_Delete(log->results);
	cJSON_Delete(log->skips);
	cJSON_Delete(log->errors);
	cJSON_Delete(log->infos);
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
	return vmb_log_complete(log) && !strcmp(vmb_str(log->end, "status", ""), "ok");
}

const cJSON *vmb_log_result(const struct vmb_log *log, const char *bench)
{
	const cJSON *r;

	cJSON_ArrayForEach(r, log->results)
		if (!strcmp(vmb_str(r, "bench", ""), bench))
			return r;
	return NULL;
}
