/* The report's three forms: readable tables, one JSON document, CSV rows. */
#include <stdlib.h>
#include <string.h>

#include "breakdown.h"
#include "csv.h"
#include "output.h"
#include "provenance.h"

void log_label(const struct vmb_log *log, char *buf, size_t len)
{
	if (!log->boot) {
		snprintf(buf, len, "%s", log->name);
		return;
	}
	const char *el = "";
	char elbuf[8] = "";
	if (vmb_num(log->boot, "el", 0) > 0) {
		snprintf(elbuf, sizeof(elbuf), "@EL%.0f", vmb_num(log->boot, "el", 0));
		el = elbuf;
	}
	snprintf(buf, len, "%s/%s%s", vmb_str(log->boot, "arch", "?"),
		 vmb_str(log->boot, "mode", "?"), el);
}

static void print_one(FILE *out, struct vmb_log *log)
{
	const cJSON *b = log->boot, *r;

	fprintf(out, "== %s\n", log->name);
	if (b) {
		fprintf(out, "%s, mode %s%s%s, boot %s", vmb_str(b, "arch", "?"),
			vmb_str(b, "mode", "?"), *vmb_str(b, "hypervisor", "") ? " " : "",
			vmb_str(b, "hypervisor", ""), vmb_str(b, "boot", "?"));
		if (vmb_num(b, "el", 0) > 0)
			fprintf(out, ", EL%.0f", vmb_num(b, "el", 0));
		fprintf(out, ", %.0f CPU(s)", vmb_num(b, "cpus", 0));
		if (cJSON_GetObjectItemCaseSensitive(b, "cpus_up"))
			fprintf(out, " (%.0f up, %s)", vmb_num(b, "cpus_up", 0),
				vmb_str(b, "cpu_on", "?"));
		fprintf(out, ", %s\n", vmb_str(b, "cpu", "?"));
		if (cJSON_GetObjectItemCaseSensitive(b, "irqchip"))
			fprintf(out, "interrupts %s, timer %s\n", vmb_str(b, "irqchip", "?"),
				vmb_str(b, "irq_timer", "?"));
		cJSON_ArrayForEach(r, log->cpus) {
			if (!strcmp(vmb_str(r, "state", ""), "up") && vmb_num(r, "cpu", 0) > 0)
				fprintf(out, "  CPU %.0f: clock offset %.0f ns +- %.0f ns\n",
					vmb_num(r, "cpu", 0), vmb_num(r, "offset_ns", 0),
					vmb_num(r, "uncertainty_ns", 0));
			else if (strcmp(vmb_str(r, "state", ""), "up"))
				fprintf(out, "  CPU %.0f: %s: %s\n", vmb_num(r, "cpu", 0),
					vmb_str(r, "state", "?"), vmb_str(r, "why", ""));
		}
		fprintf(out, "platform %s, counter %s at %.0f Hz", vmb_str(b, "platform", "?"),
			vmb_str(b, "counter", "?"), vmb_num(b, "counter_hz", 0));
		if (*vmb_str(b, "counter_why", ""))
			fprintf(out, " (%s)", vmb_str(b, "counter_why", ""));
		fprintf(out, "\n");
		const char *emu = emulated_word(b);
		if (!strcmp(emu, "true"))
			fprintf(out, "EMULATED (%s): figures are not hardware figures\n",
				vmb_str(b, "emulation", "QEMU TCG"));
		else if (!strcmp(emu, "unknown"))
			fprintf(out, "hardware or EMULATED: unknown (%s)\n",
				vmb_str(b, "emulation", "no evidence either way"));
	}
	print_provenance(out, log);
	if (log->damaged)
		fprintf(out,
			"DAMAGED LOG: %u record(s) lost, repeated or changed on the way (problems "
			"below): the figures are what survived, not the whole run\n",
			log->damaged);
	/* The name column as wide as the longest name ("breakdown.el2_config"). */
	int w = 16;
	cJSON_ArrayForEach(r, log->results) {
		int len = (int)strlen(vmb_str(r, "bench", "?"));
		w = len > w && len < 48 ? len : w;
	}
	if (cJSON_GetArraySize(log->results)) {
		fprintf(out, "\n%-*s %-7s %7s %9s %9s %9s %9s %9s %8s %11s\n", w, "benchmark",
			"unit", "n", "min", "p50", "mean", "p99", "max", "sd", "p50 ns");
		cJSON_ArrayForEach(r, log->results) {
			double ns = to_ns(log, r, vmb_num(r, "p50", 0));
			fprintf(out, "%-*s %-7s %7.0f %9.0f %9.0f %9.0f %9.0f %9.0f %8.0f ", w,
				vmb_str(r, "bench", "?"), vmb_str(r, "unit", "?"),
				vmb_num(r, "n", 0), vmb_num(r, "min", 0), vmb_num(r, "p50", 0),
				vmb_num(r, "mean", 0), vmb_num(r, "p99", 0), vmb_num(r, "max", 0),
				vmb_num(r, "sd", 0));
			if (ns >= 0)
				fprintf(out, "%11.1f", ns);
			else
				fprintf(out, "%11s", "?");
			fprintf(out, "%s\n", is_suspect(r) ? "  NOT TRUSTWORTHY" : "");
		}
	}
	print_breakdown(out, log);
	/* I/O: a time per operation that moves bytes is a rate. */
	bool rates = false;
	cJSON_ArrayForEach(r, log->results) {
		double bytes = vmb_num(r, "bytes", 0), fb = vmb_num(r, "frame_bytes", 0);
		double ns = to_ns(log, r, vmb_num(r, "p50", 0));
		if (bytes <= 0 || ns <= 0)
			continue;
		if (!rates)
			fprintf(out,
				"\nrates at p50 (bytes per operation / time per operation):\n");
		rates = true;
		fprintf(out, "%-20s %10.1f Mbit/s", vmb_str(r, "bench", "?"), bytes * 8e3 / ns);
		if (fb > 0)
			fprintf(out, " %10.0f packets/s (%.0f payload bytes per frame)",
				bytes / fb * 1e9 / ns, fb);
		fprintf(out, "\n");
	}
	if (cJSON_GetArraySize(log->hosts))
		fprintf(out, "\nhost side (the host's own clients, their figures):\n");
	cJSON_ArrayForEach(r, log->hosts) {
		const char *unit = vmb_str(r, "unit", "");
		fprintf(out, "%-16s %-20s ", vmb_str(r, "bench", "?"), vmb_str(r, "tool", "?"));
		if (vmb_str(r, "error", NULL))
			fprintf(out, "ERROR %s\n", vmb_str(r, "error", ""));
		else if (!strcmp(unit, "ns"))
			fprintf(out, "n %.0f, p50 %.1f us, p99 %.1f us, min %.1f us, max %.1f us\n",
				vmb_num(r, "n", 0), vmb_num(r, "p50", 0) / 1e3,
				vmb_num(r, "p99", 0) / 1e3, vmb_num(r, "min", 0) / 1e3,
				vmb_num(r, "max", 0) / 1e3);
		else if (!strcmp(unit, "bit/s"))
			fprintf(out, "%.1f Mbit/s (%.0f bytes in %.1f s)\n",
				vmb_num(r, "value", 0) / 1e6, vmb_num(r, "bytes", 0),
				vmb_num(r, "seconds", 0));
		else
			fprintf(out, "(unit '%s' not known to this reader)\n", unit);
	}
	cJSON_ArrayForEach(r, log->skips)
		fprintf(out, "skip  %-16s %s\n", vmb_str(r, "bench", "?"),
			vmb_str(r, "reason", ""));
	cJSON_ArrayForEach(r, log->errors)
		fprintf(out, "ERROR %-16s %s\n", vmb_str(r, "bench", "?"), vmb_str(r, "msg", ""));
	for (unsigned i = 0; i < log->nproblems; i++)
		fprintf(out, "problem: %s\n", log->problems[i]);
	if (!vmb_log_complete(log))
		fprintf(out, "status: INCOMPLETE\n\n");
	else
		fprintf(out, "status: %s\n\n", vmb_str(log->end, "status", "?"));
}

void print_table(FILE *out, struct vmb_log *logs, int n)
{
	for (int i = 0; i < n; i++)
		print_one(out, &logs[i]);
}

/* Index of a native log of the same architecture, or -1. */
static int native_of(struct vmb_log *logs, int n, int i)
{
	const char *arch = logs[i].boot ? vmb_str(logs[i].boot, "arch", "") : "";

	for (int j = 0; j < n; j++)
		if (logs[j].boot && !strcmp(vmb_str(logs[j].boot, "mode", ""), "native") &&
		    !strcmp(vmb_str(logs[j].boot, "arch", ""), arch))
			return j;
	return -1;
}

/*
 * The comparison is in nanoseconds: each figure is converted with its own
 * log's counter rate first, so a ratio is never one of ticks to cycles.
 */
void print_comparison(FILE *out, struct vmb_log *logs, int n)
{
	char label[64];
	const char *names[256];
	int nnames = 0;
	bool any_suspect = false;

	for (int i = 0; i < n; i++) {
		const cJSON *r;
		cJSON_ArrayForEach(r, logs[i].results) {
			const char *b = vmb_str(r, "bench", "?");
			int k = 0;
			while (k < nnames && strcmp(names[k], b))
				k++;
			if (k == nnames && nnames < 256)
				names[nnames++] = b;
		}
	}
	fprintf(out,
		"== comparison: p50 per operation in ns (ratio to native of the same arch)\n"
		"%-16s",
		"benchmark");
	for (int i = 0; i < n; i++) {
		log_label(&logs[i], label, sizeof(label));
		fprintf(out, " %22s", label);
	}
	fprintf(out, "\n");
	for (int k = 0; k < nnames; k++) {
		fprintf(out, "%-16s", names[k]);
		for (int i = 0; i < n; i++) {
			const cJSON *r = vmb_log_result(&logs[i], names[k]);
			int nat = native_of(logs, n, i);
			const cJSON *base = nat >= 0 ? vmb_log_result(&logs[nat], names[k]) : NULL;
			double ns = r ? to_ns(&logs[i], r, vmb_num(r, "p50", 0)) : -1;
			double base_ns =
				base ? to_ns(&logs[nat], base, vmb_num(base, "p50", 0)) : -1;
			const char *mark = r && is_suspect(r)	  ? "!"
					   : r && logs[i].damaged ? "#"
								  : "";
			char cell[40];

			any_suspect |= *mark == '!';
			if (!r)
				snprintf(cell, sizeof(cell), "-");
			else if (ns < 0)
				snprintf(cell, sizeof(cell), "%.0f %s, rate ?%s",
					 vmb_num(r, "p50", 0), vmb_str(r, "unit", ""), mark);
			else if (base_ns > 0 && nat != i && !is_suspect(base))
				snprintf(cell, sizeof(cell), "%.1f ns%s (x%.1f)", ns, mark,
					 ns / base_ns);
			else
				snprintf(cell, sizeof(cell), "%.1f ns%s", ns, mark);
			fprintf(out, " %22s", cell);
		}
		fprintf(out, "\n");
	}
	fprintf(out, "counters:");
	for (int i = 0; i < n; i++) {
		const cJSON *b = logs[i].boot;
		log_label(&logs[i], label, sizeof(label));
		fprintf(out, "%s %s %s at %.0f Hz, emulated %s", i ? ";" : "", label,
			b ? vmb_str(b, "counter", "?") : "?", b ? vmb_num(b, "counter_hz", 0) : 0,
			emulated_word(b));
	}
	fprintf(out, "\n");
	if (any_suspect)
		fprintf(out, "! NOT TRUSTWORTHY: the counter missed time the operation took\n");
	for (int i = 0; i < n; i++)
		if (logs[i].damaged) {
			log_label(&logs[i], label, sizeof(label));
			fprintf(out,
				"# %s: DAMAGED LOG (records lost or changed): not the whole run\n",
				label);
		}
	fprintf(out, "\n");
}

/* Each figure also in ns, converted with its own log's rate: "p50_ns", or
 * a part's "save_p50_ns". */
static void add_ns(const struct vmb_log *l, cJSON *r, const char *part)
{
	static const char *const keys[] = { "min", "p50", "mean", "p99", "max" };

	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		char key[VMB_PART_MAX + 16], ns_key[VMB_PART_MAX + 24];
		snprintf(key, sizeof(key), "%s%s%s", part ? part : "", part ? "_" : "", keys[k]);
		snprintf(ns_key, sizeof(ns_key), "%s_ns", key);
		double ns = to_ns(l, r, vmb_num(r, key, 0));
		if (ns >= 0 && cJSON_GetObjectItemCaseSensitive(r, key) &&
		    !cJSON_GetObjectItemCaseSensitive(r, ns_key))
			cJSON_AddNumberToObject(r, ns_key, ns);
	}
}

void print_json(FILE *out, struct vmb_log *logs, int n)
{
	cJSON *doc = cJSON_CreateObject();
	cJSON *arr = cJSON_AddArrayToObject(doc, "logs");

	cJSON_AddNumberToObject(doc, "v", 1);
	for (int i = 0; i < n; i++) {
		struct vmb_log *l = &logs[i];
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "file", l->name);
		cJSON_AddBoolToObject(o, "complete", vmb_log_complete(l));
		cJSON_AddBoolToObject(o, "damaged", l->damaged != 0);
		cJSON_AddStringToObject(o, "status",
					!vmb_log_complete(l) ? "incomplete"
							     : vmb_str(l->end, "status", "?"));
		cJSON_AddItemToObject(o, "boot",
				      l->boot ? cJSON_Duplicate(l->boot, 1) : cJSON_CreateNull());
		cJSON_AddItemToObject(o, "provenance", provenance_json(l));
		cJSON *res = cJSON_Duplicate(l->results, 1), *r;
		cJSON_ArrayForEach(r, res) {
			add_ns(l, r, NULL);
			char parts[8][VMB_PART_MAX];
			int np = vmb_parts(r, parts, 8);
			for (int k = 0; k < np; k++)
				add_ns(l, r, parts[k]);
			cJSON_AddBoolToObject(r, "trustworthy", !is_suspect(r));
		}
		cJSON_AddItemToObject(o, "results", res);
		cJSON_AddItemToObject(o, "skips", cJSON_Duplicate(l->skips, 1));
		cJSON_AddItemToObject(o, "errors", cJSON_Duplicate(l->errors, 1));
		cJSON_AddItemToObject(o, "infos", cJSON_Duplicate(l->infos, 1));
		cJSON_AddItemToObject(o, "host", cJSON_Duplicate(l->hosts, 1));
		cJSON *p = cJSON_AddArrayToObject(o, "problems");
		for (unsigned k = 0; k < l->nproblems; k++)
			cJSON_AddItemToArray(p, cJSON_CreateString(l->problems[k]));
		cJSON_AddItemToArray(arr, o);
	}
	char *text = cJSON_Print(doc);
	fprintf(out, "%s\n", text);
	free(text);
	cJSON_Delete(doc);
}

void print_csv(FILE *out, struct vmb_log *logs, int n)
{
	static const char *const nums[] = { "n",   "min", "p50",      "mean", "p99",
					    "max", "sd",  "overhead", "batch" };

	fprintf(out, "file,arch,mode,emulated,bench,unit,n,min,p50,mean,p99,max,sd,overhead,batch,"
		     "counter_hz,p50_ns,trustworthy,save_p50,restore_p50,log_damaged\n");
	for (int i = 0; i < n; i++) {
		const cJSON *b = logs[i].boot, *r;
		cJSON_ArrayForEach(r, logs[i].results) {
			csv_field(out, logs[i].name, true);
			fprintf(out, ",%s,%s,%s,", b ? vmb_str(b, "arch", "") : "",
				b ? vmb_str(b, "mode", "") : "", emulated_word(b));
			csv_field(out, vmb_str(r, "bench", ""), true);
			fprintf(out, ",%s", vmb_str(r, "unit", ""));
			for (size_t k = 0; k < sizeof(nums) / sizeof(nums[0]); k++)
				fprintf(out, ",%.0f", vmb_num(r, nums[k], 0));
			double ns = to_ns(&logs[i], r, vmb_num(r, "p50", 0));
			fprintf(out, ",%.0f,", result_hz(&logs[i], r));
			if (ns >= 0)
				fprintf(out, "%.2f", ns);
			fprintf(out, ",%s", is_suspect(r) ? "no" : "yes");
			/* Parts of a result (the hypercall breakdown's): empty when none. */
			static const char *const parts[] = { "save", "restore" };
			for (size_t k = 0; k < sizeof(parts) / sizeof(parts[0]); k++) {
				double v = vmb_part_num(r, parts[k], "p50", -1);
				if (v >= 0)
					fprintf(out, ",%.0f", v);
				else
					fprintf(out, ",");
			}
			fprintf(out, ",%s\n", logs[i].damaged ? "yes" : "no");
		}
	}
}

void print_records(FILE *out, const struct vmb_log *log)
{
	const cJSON *r;

	cJSON_ArrayForEach(r, log->all) {
		char *text = cJSON_PrintUnformatted(r);
		fprintf(out, "VMB %s\n", text);
		free(text);
	}
}

int write_form(const char *path, const cJSON *doc, int (*fn)(FILE *, const cJSON *))
{
	FILE *f = fopen(path, "w");
	int rc = f ? fn(f, doc) : -1;

	if (!f || fclose(f) || rc) {
		if (f)
			remove(path);
		fprintf(stderr, "vmb-report: could not write %s\n", path);
		return -1;
	}
	return 0;
}

int json_form(FILE *f, const cJSON *doc)
{
	char *text = cJSON_Print(doc);

	if (text)
		fprintf(f, "%s\n", text);
	free(text);
	return text ? 0 : -1;
}
