/* The study's cells: the rules and the text every form shares. */
#include <stdio.h>
#include <string.h>

#include "study_cell.h"

bool study_flag(const cJSON *o, const char *key)
{
	return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, key));
}

const cJSON *study_get(const cJSON *o, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(o, key);
}

const char *study_column_emulated(const struct study_column *c)
{
	return c->emulated ? "true" : c->unknown ? "unknown" : "false";
}

const char *study_emulated_mark(const char *word)
{
	return !strcmp(word, "true")	  ? " (EMULATED)"
	       : !strcmp(word, "unknown") ? " (emulated?)"
					  : "";
}

double study_overhead_time(double virt_ns, double native_ns)
{
	return virt_ns > 0 && native_ns > 0 ? virt_ns / native_ns : -1;
}

double study_overhead_throughput(double virt_bit_s, double native_bit_s)
{
	return virt_bit_s > 0 && native_bit_s > 0 ? native_bit_s / virt_bit_s : -1;
}

void study_why_not(char *buf, size_t len, struct vmb_log *logs, const struct study_column *c,
		   const char *bench)
{
	for (int k = 0; k < c->nlogs; k++) {
		const cJSON *s = vmb_log_skip(&logs[c->logs[k]], bench);
		if (s) {
			snprintf(buf, len, "skipped: %s", vmb_str(s, "reason", "?"));
			return;
		}
	}
	for (int k = 0; k < c->nlogs; k++) {
		const cJSON *e = vmb_log_error(&logs[c->logs[k]], bench);
		if (e) {
			snprintf(buf, len, "ERROR: %s", vmb_str(e, "msg", "?"));
			return;
		}
	}
	snprintf(buf, len, "not in these logs");
}

void study_net_why(char *buf, size_t len, struct vmb_log *logs, const struct study_column *c,
		   const char *bench, bool host)
{
	for (int k = 0; k < c->nlogs; k++) {
		const struct vmb_log *log = &logs[c->logs[k]];
		const cJSON *r;
		if (host) {
			cJSON_ArrayForEach(r, log->hosts)
				if (!strcmp(vmb_str(r, "bench", ""), bench)) {
					snprintf(buf, len, "the host's client failed: %s",
						 vmb_str(r, "error", "?"));
					return;
				}
		} else if ((r = vmb_log_result(log, bench)) && is_suspect(r)) {
			snprintf(buf, len, "NOT TRUSTWORTHY: %s", vmb_str(r, "suspect", ""));
			return;
		}
	}
	/* The host's clients talk to the image's network: without one, why. */
	if (host) {
		for (int k = 0; k < c->nlogs; k++) {
			const cJSON *s = vmb_log_skip(&logs[c->logs[k]], "net_rr");
			if (s) {
				snprintf(buf, len, "the image had no network: %s",
					 vmb_str(s, "reason", "?"));
				return;
			}
		}
		snprintf(buf, len, "not in these logs");
		return;
	}
	study_why_not(buf, len, logs, c, bench);
}

void study_ns_text(char *buf, size_t len, double ns)
{
	if (ns >= 1e6)
		snprintf(buf, len, "%.2f ms", ns / 1e6);
	else if (ns >= 1e4)
		snprintf(buf, len, "%.1f µs", ns / 1e3);
	else
		snprintf(buf, len, "%.0f ns", ns);
}

void study_cell_text(struct study_cell_text *t, const cJSON *cell, const char *kind)
{
	bool micro = !strcmp(kind, "micro");

	memset(t, 0, sizeof(*t));
	if (micro && study_flag(cell, "rate_unknown")) {
		snprintf(t->value, sizeof(t->value), "%.0f %s (rate unknown)",
			 vmb_num(cell, "p50", 0), vmb_str(cell, "unit", ""));
		return;
	}
	if (micro) {
		study_ns_text(t->value, sizeof(t->value), vmb_num(cell, "p50_ns", 0));
		study_ns_text(t->lo, sizeof(t->lo), vmb_num(cell, "lo_ns", 0));
		study_ns_text(t->hi, sizeof(t->hi), vmb_num(cell, "p99_ns", 0));
		if (study_get(cell, "cycles"))
			snprintf(t->cycles, sizeof(t->cycles), "%.0f cycles",
				 vmb_num(cell, "cycles", 0));
	} else if (!strcmp(kind, "rate")) {
		snprintf(t->value, sizeof(t->value), "%.0f/s", vmb_num(cell, "per_s", 0));
	} else if (!strcmp(kind, "time")) {
		study_ns_text(t->value, sizeof(t->value), vmb_num(cell, "ns", 0));
	} else {
		snprintf(t->value, sizeof(t->value), "%.3f Gbit/s",
			 vmb_num(cell, "bit_s", 0) / 1e9);
	}
	if (study_get(cell, "overhead"))
		snprintf(t->overhead, sizeof(t->overhead), micro ? "×%.1f" : "×%.2f",
			 vmb_num(cell, "overhead", 0));
}
