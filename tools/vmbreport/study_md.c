/* The study's tables in Markdown, rendered from study_build()'s document. */
#include <string.h>

#include "study.h"
#include "study_cell.h"

/* The header row: the first column's title, then one per column, each
 * saying whether its figures came from an emulator. */
static void table_head(FILE *out, const char *first, const cJSON *cols)
{
	const cJSON *c;

	fprintf(out, "|%s%s |", *first ? " " : "", first);
	cJSON_ArrayForEach(c, cols)
		fprintf(out, " %s%s |", vmb_str(c, "label", "?"),
			study_emulated_mark(vmb_str(c, "emulated", "unknown")));
	fprintf(out, "\n|---|");
	cJSON_ArrayForEach(c, cols)
		fprintf(out, "---|");
	fprintf(out, "\n");
}

/* A reason in a cell: short, on one line, without the '|' that ends a
 * cell, and cut between characters, not inside one. */
static void reason(FILE *out, const char *why)
{
	size_t len = strlen(why), cut = len > 89 ? 89 : len;

	while (cut < len && ((unsigned char)why[cut] & 0xc0) == 0x80)
		cut--;
	for (size_t i = 0; i < cut; i++)
		fputc(why[i] == '|' ? '/' : why[i] == '\n' || why[i] == '\r' ? ' ' : why[i], out);
	if (cut < len)
		fprintf(out, "…");
}

/* What the marks printed in a table mean. */
static void legend(FILE *out, bool suspect, bool damaged)
{
	if (suspect)
		fprintf(out, "- ! NOT TRUSTWORTHY: the counter missed time the operation took.\n");
	if (damaged)
		fprintf(out, "- # from a DAMAGED log: records were lost or changed on the way.\n");
}

/* ! and #, and whether any was printed. */
static void marks(FILE *out, const cJSON *o, bool *suspect, bool *damaged)
{
	if (study_flag(o, "suspect")) {
		fprintf(out, " !");
		*suspect = true;
	}
	if (study_flag(o, "damaged")) {
		fprintf(out, " #");
		*damaged = true;
	}
}

static void micro_cell(FILE *out, const cJSON *cell, bool *suspect, bool *damaged)
{
	struct study_cell_text t;

	if (study_get(cell, "missing")) {
		fprintf(out, " — (");
		reason(out, vmb_str(cell, "missing", ""));
		fprintf(out, ") |");
		return;
	}
	study_cell_text(&t, cell, "micro");
	if (!t.lo[0]) {
		fprintf(out, " %s", t.value);
		marks(out, cell, suspect, damaged);
		fprintf(out, " |");
		return;
	}
	fprintf(out, " **%s**", t.value);
	if (t.cycles[0])
		fprintf(out, " %s", t.cycles);
	if (t.overhead[0])
		fprintf(out, " %s", t.overhead);
	fprintf(out, "<br>[%s–%s]", t.lo, t.hi);
	marks(out, cell, suspect, damaged);
	fprintf(out, " |");
}

static void micro(FILE *out, const cJSON *doc)
{
	const cJSON *cols = study_get(doc, "columns"), *row, *cell, *y;
	bool suspect = false, damaged = false;

	fprintf(out, "## Micro Numbers\n\n");
	if (!cJSON_GetArraySize(cols)) {
		fprintf(out, "No log with a boot record of a known architecture and mode.\n\n");
		return;
	}
	fprintf(out, "p50 per operation, [p1–p99] beneath it (min for logs without p1); "
		     "cycles of the CPU clock; ×: against native on the same architecture.\n\n");
	table_head(out, "operation", cols);
	cJSON_ArrayForEach(row, study_get(doc, "micro")) {
		fprintf(out, "| %s |", vmb_str(row, "label", "?"));
		cJSON_ArrayForEach(cell, study_get(row, "cells"))
			micro_cell(out, cell, &suspect, &damaged);
		fprintf(out, "\n");
	}
	fprintf(out, "\n");
	cJSON_ArrayForEach(y, study_get(doc, "cycles"))
		fprintf(out, "- %s cycles: at %.0f MHz, the rate of %s's %s.\n",
			vmb_str(y, "arch", "?"), vmb_num(y, "hz", 0) / 1e6, vmb_str(y, "file", "?"),
			vmb_str(y, "counter", "?"));
	if (study_flag(doc, "emulated"))
		fprintf(out, "- EMULATED columns ran under an emulator (or could not tell): "
			     "their figures are not hardware figures.\n");
	legend(out, suspect, damaged);
	fprintf(out, "\n");
}

static void breakdown(FILE *out, const cJSON *b, bool *suspect, bool *damaged)
{
	const cJSON *c, *w;

	fprintf(out, "### %s %s, %s%s\n\n", vmb_str(b, "arch", "?"), vmb_str(b, "mode", "?"),
		vmb_str(b, "irqchip", "?"), study_emulated_mark(vmb_str(b, "emulated", "unknown")));
	fprintf(out, "%s\n\n| class | save | restore |\n|---|---|---|\n", vmb_str(b, "file", "?"));
	cJSON_ArrayForEach(c, study_get(b, "classes")) {
		fprintf(out, "| %s |", vmb_str(c, "label", "?"));
		if (study_get(c, "missing")) {
			fprintf(out, " — (");
			reason(out, vmb_str(c, "missing", ""));
			fprintf(out, ") | — |\n");
			continue;
		}
		for (int k = 0; k < 2; k++) {
			const char *part = k ? "restore" : "save";
			if (!study_get(c, part))
				fprintf(out, " ?");
			else
				fprintf(out, " %.0f %s", vmb_num(c, part, 0),
					vmb_str(c, "unit", ""));
			marks(out, c, suspect, damaged);
			fprintf(out, " |");
		}
		fprintf(out, "\n");
	}
	fprintf(out, "\n");
	cJSON_ArrayForEach(w, study_get(b, "whole")) {
		fprintf(out, "- %s p50: %.0f %s", vmb_str(w, "bench", "?"), vmb_num(w, "p50", 0),
			vmb_str(w, "unit", ""));
		marks(out, w, suspect, damaged);
		fprintf(out, "\n");
	}
	fprintf(out, "\n");
}

/* The latency CDFs as tables: the percentiles every series has, per
 * column. */
static void latency(FILE *out, const cJSON *doc)
{
	static const double pcts[] = { 0, 1, 5, 25, 50, 75, 95, 99, 100 };
	const cJSON *cols = study_get(doc, "columns"), *row, *s;

	fprintf(out, "## Latency distributions\n\n");
	if (!cJSON_GetArraySize(study_get(doc, "latency"))) {
		fprintf(out, "No RR or I/O latency figure in these logs.\n\n");
		return;
	}
	fprintf(out, "ns at each percentile of the operations; —: that log did not give the "
		     "point (logs before p1 and the CDF give min, p50, p99, max).\n\n");
	cJSON_ArrayForEach(row, study_get(doc, "latency")) {
		fprintf(out, "### %s\n\n| percentile |", vmb_str(row, "label", "?"));
		cJSON_ArrayForEach(s, study_get(row, "series")) {
			const cJSON *col = cJSON_GetArrayItem(cols, (int)vmb_num(s, "column", 0));
			fprintf(out, " %s%s%s |", vmb_str(col, "label", "?"),
				study_emulated_mark(vmb_str(col, "emulated", "unknown")),
				study_flag(s, "damaged") ? " #" : "");
		}
		fprintf(out, "\n|---|");
		cJSON_ArrayForEach(s, study_get(row, "series"))
			fprintf(out, "---|");
		fprintf(out, "\n");
		for (size_t k = 0; k < sizeof(pcts) / sizeof(pcts[0]); k++) {
			fprintf(out, "| %g %% |", pcts[k]);
			cJSON_ArrayForEach(s, study_get(row, "series")) {
				const cJSON *pt, *found = NULL;
				cJSON_ArrayForEach(pt, study_get(s, "points"))
					if (cJSON_GetArrayItem(pt, 0) &&
					    cJSON_GetArrayItem(pt, 0)->valuedouble == pcts[k])
						found = cJSON_GetArrayItem(pt, 1);
				char t[24];
				if (cJSON_IsNumber(found)) {
					study_ns_text(t, sizeof(t), found->valuedouble);
					fprintf(out, " %s |", t);
				} else
					fprintf(out, " — |");
			}
			fprintf(out, "\n");
		}
		fprintf(out, "\n");
	}
}

static void net_table(FILE *out, const cJSON *cols, const cJSON *rows)
{
	const cJSON *row, *cell;

	table_head(out, "", cols);
	cJSON_ArrayForEach(row, rows) {
		const char *kind = vmb_str(row, "kind", "");
		fprintf(out, "| %s |", vmb_str(row, "label", "?"));
		cJSON_ArrayForEach(cell, study_get(row, "cells")) {
			struct study_cell_text t;
			if (study_get(cell, "missing")) {
				fprintf(out, " — (");
				reason(out, vmb_str(cell, "missing", ""));
				fprintf(out, ") |");
				continue;
			}
			study_cell_text(&t, cell, kind);
			fprintf(out, " %s", t.value);
			if (t.overhead[0])
				fprintf(out, " %s", t.overhead);
			fprintf(out, "%s |", study_flag(cell, "damaged") ? " #" : "");
		}
		fprintf(out, "\n");
	}
	fprintf(out, "\n");
}

void study_markdown(FILE *out, const cJSON *doc)
{
	const cJSON *cols = study_get(doc, "columns"), *b;

	micro(out, doc);
	fprintf(out, "## Hypercall Breakdown\n\np50 of one save and of one restore "
		     "of each class, timer overhead subtracted.\n\n");
	bool suspect = false, damaged = false;
	cJSON_ArrayForEach(b, study_get(doc, "breakdown"))
		breakdown(out, b, &suspect, &damaged);
	if (!cJSON_GetArraySize(study_get(doc, "breakdown")))
		fprintf(out, "No log has one: the breakdown runs natively at EL2 on "
			     "arm64 (breakdown.<class>).\n\n");
	legend(out, suspect, damaged);
	if (suspect || damaged)
		fprintf(out, "\n");
	if (!cJSON_GetArraySize(cols))
		return;
	fprintf(out, "## TCP_RR\n\np50; ×: virtual over native time (the study's overhead), "
		     "only where native measured the same; —: no figure, and why.\n\n");
	net_table(out, cols, study_get(doc, "tcp_rr"));
	fprintf(out, "## Bulk stream\n\nThroughput at the p50 time per chunk (the image's) or "
		     "over the run (iperf's); ×: native over virtual throughput.\n\n");
	net_table(out, cols, study_get(doc, "bulk"));
	latency(out, doc);
}
