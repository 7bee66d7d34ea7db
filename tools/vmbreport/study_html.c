/*
 * The study as one self-contained HTML page (no network at view time):
 * the tables of study_build()'s document, and plots drawn by gnuplot
 * (Debian's gnuplot-nox) as SVG, embedded as data: images. Per operation
 * of the Micro Numbers, a bar per architecture and mode (p50, whiskers
 * p1 to p99); the hypercall breakdown as stacked bars (save, restore);
 * latency CDFs of the RR and I/O figures. Emulated figures are marked in
 * every table, every plot title and every series.
 */
#include <stdlib.h>
#include <string.h>

#include "plots.h"
#include "study.h"
#include "study_cell.h"

/* The series' label: its column, with its emulation mark (on a line
 * of its own under a bar, where the labels stand side by side). */
static void series_label(char *buf, size_t len, const cJSON *col, bool two_lines)
{
	const char *mark = study_emulated_mark(vmb_str(col, "emulated", "unknown"));

	snprintf(buf, len, "%s%s%s", vmb_str(col, "label", "?"), two_lines && *mark ? "\n" : "",
		 two_lines && *mark ? mark + 1 : mark);
}

static bool col_emulated(const cJSON *col)
{
	return strcmp(vmb_str(col, "emulated", "unknown"), "false") != 0;
}

/* Per operation: a bar per column with its figure, p50 high, whiskers
 * the cell's spread (p1, min where the image gave no p1, to p99); log
 * scale, since a trap costs orders of magnitude more under a hypervisor. */
static void micro_plots(struct plots *p, const cJSON *doc)
{
	const cJSON *cols = study_get(doc, "columns"), *row;

	cJSON_ArrayForEach(row, study_get(doc, "micro")) {
		const cJSON *cell;
		int c = 0, bars = 0;
		bool emulated = false, any_min = false;
		cJSON_ArrayForEach(cell, study_get(row, "cells")) {
			const cJSON *col = cJSON_GetArrayItem(cols, c++);
			if (study_get(cell, "p50_ns")) {
				bars++;
				emulated |= col_emulated(col);
				any_min |= !study_get(cell, "p1_ns");
			}
		}
		if (!bars)
			continue;
		char title[200], name[16];
		snprintf(title, sizeof(title), "%s: p50, whiskers p1 to p99%s",
			 vmb_str(row, "label", "?"), any_min ? " (min where no p1)" : "");
		FILE *d = plot_begin(p, title, emulated, name, sizeof(name));
		if (!d)
			return;
		fprintf(p->gp,
			"set style fill solid 0.6 border -1\nset boxwidth 0.6\nset logscale y\n"
			"set ylabel 'ns per operation (log scale)'\nset xrange [-0.6:%d.4]\n"
			"set xtics noenhanced\nset bmargin 4\n"
			"plot '%s.dat' using 0:2:xtic(1) with boxes lc rgb '#4472c4' notitle, "
			"'' using 0:2:3:4 with yerrorbars lc rgb 'black' pt 0 notitle\n",
			bars - 1, name);
		c = 0;
		cJSON_ArrayForEach(cell, study_get(row, "cells")) {
			const cJSON *col = cJSON_GetArrayItem(cols, c++);
			if (!study_get(cell, "p50_ns"))
				continue;
			char label[80];
			series_label(label, sizeof(label), col, true);
			gp_text(d, label);
			fprintf(d, " %.3f %.3f %.3f\n", vmb_num(cell, "p50_ns", 0),
				vmb_num(cell, "lo_ns", 0), vmb_num(cell, "p99_ns", 0));
		}
		fclose(d);
	}
}

/* A breakdown is drawn when at least one class has both figures in ns. */
static bool breakdown_plottable(const cJSON *b)
{
	const cJSON *c;

	cJSON_ArrayForEach(c, study_get(b, "classes"))
		if (study_get(c, "save_ns") && study_get(c, "restore_ns"))
			return true;
	return false;
}

/* Per log with a breakdown: save and restore as bars stacked by class,
 * in ns (the classes' units could differ); a class without both figures
 * is drawn as 0 and named so. */
static void breakdown_plots(struct plots *p, const cJSON *doc)
{
	const cJSON *b;

	cJSON_ArrayForEach(b, study_get(doc, "breakdown")) {
		const cJSON *classes = study_get(b, "classes"), *c;
		int n = cJSON_GetArraySize(classes);
		if (!breakdown_plottable(b))
			continue;
		/* The log's name, not its path: a long path pushed the title off
		 * the plot's left edge; the section above names the whole path. */
		const char *file = vmb_str(b, "file", "?"), *slash = strrchr(file, '/');
		char title[400], name[16];
		snprintf(title, sizeof(title), "Hypercall breakdown, %s %s (%s): p50 by class",
			 vmb_str(b, "arch", "?"), vmb_str(b, "mode", "?"),
			 slash ? slash + 1 : file);
		FILE *d = plot_begin(p, title, strcmp(vmb_str(b, "emulated", "unknown"), "false"),
				     name, sizeof(name));
		if (!d)
			return;
		fprintf(p->gp,
			"set style data histograms\nset style histogram rowstacked\n"
			"set style fill solid 0.8 border -1\nset boxwidth 0.5\n"
			"set key outside right noenhanced\nset ylabel 'ns'\n"
			"plot '%s.dat' using 2:xtic(1) title columnheader(2)",
			name);
		for (int k = 3; k <= n + 1; k++)
			fprintf(p->gp, ", '' using %d title columnheader(%d)", k, k);
		fprintf(p->gp, "\n");
		fprintf(d, "part");
		cJSON_ArrayForEach(c, classes) {
			char label[96];
			snprintf(label, sizeof(label), "%s%s", vmb_str(c, "label", "?"),
				 study_get(c, "save_ns") && study_get(c, "restore_ns")
					 ? ""
					 : " (not measured)");
			fputc(' ', d);
			gp_text(d, label);
		}
		for (int k = 0; k < 2; k++) {
			fprintf(d, "\n%s", k ? "restore" : "save");
			cJSON_ArrayForEach(c, classes)
				fprintf(d, " %.3f", vmb_num(c, k ? "restore_ns" : "save_ns", 0));
		}
		fprintf(d, "\n");
		fclose(d);
	}
}

/* Per latency figure: the CDF of each column that has it, ns on a log
 * scale against the share of operations at or below. */
static void latency_plots(struct plots *p, const cJSON *doc)
{
	const cJSON *cols = study_get(doc, "columns"), *row;

	cJSON_ArrayForEach(row, study_get(doc, "latency")) {
		const cJSON *s, *series = study_get(row, "series");
		bool emulated = false;
		cJSON_ArrayForEach(s, series)
			emulated |= col_emulated(
				cJSON_GetArrayItem(cols, (int)vmb_num(s, "column", 0)));
		char title[200], name[16];
		snprintf(title, sizeof(title), "%s: latency CDF", vmb_str(row, "label", "?"));
		FILE *d = plot_begin(p, title, emulated, name, sizeof(name));
		if (!d)
			return;
		fprintf(p->gp, "set logscale x\nset xlabel 'ns (log scale)'\n"
			       "set ylabel 'operations at or below (%%)'\nset yrange [0:100]\n"
			       /* Beside the plot: inside, it covered the slow
				* columns' curves, which end bottom right. */
			       "set key outside right top noenhanced\nplot");
		int i = 0;
		cJSON_ArrayForEach(s, series) {
			char label[80];
			series_label(label, sizeof(label),
				     cJSON_GetArrayItem(cols, (int)vmb_num(s, "column", 0)), false);
			fprintf(p->gp, "%s '%s.dat' index %d using 2:1 with linespoints title ",
				i ? "," : "", name, i);
			i++;
			gp_text(p->gp, label);
			const cJSON *pt;
			cJSON_ArrayForEach(pt, study_get(s, "points")) {
				const cJSON *x = cJSON_GetArrayItem(pt, 0),
					    *y = cJSON_GetArrayItem(pt, 1);
				if (cJSON_IsNumber(x) && cJSON_IsNumber(y))
					fprintf(d, "%g %.3f\n", x->valuedouble, y->valuedouble);
			}
			fprintf(d, "\n\n"); /* the next index */
		}
		fprintf(p->gp, "\n");
		fclose(d);
	}
}

static void marks_html(FILE *out, const cJSON *o)
{
	if (study_flag(o, "suspect"))
		fprintf(out, " <span class=bad title=\"NOT TRUSTWORTHY\">!</span>");
	if (study_flag(o, "damaged"))
		fprintf(out, " <span class=bad title=\"from a DAMAGED log\">#</span>");
}

static void cell_html(FILE *out, const cJSON *cell, const char *kind)
{
	struct study_cell_text t;

	if (study_get(cell, "missing")) {
		fprintf(out, "<td class=missing>— ");
		html_text(out, vmb_str(cell, "missing", ""));
		fprintf(out, "</td>");
		return;
	}
	study_cell_text(&t, cell, kind);
	fprintf(out, "<td>");
	if (!strcmp(kind, "micro") && t.lo[0]) {
		fprintf(out, "<b>%s</b>", t.value);
		if (t.cycles[0])
			fprintf(out, " %s", t.cycles);
	} else {
		html_text(out, t.value);
	}
	if (t.overhead[0])
		fprintf(out, " <span class=x>%s</span>", t.overhead);
	if (t.lo[0])
		fprintf(out, "<br><small>[%s–%s]</small>", t.lo, t.hi);
	marks_html(out, cell);
	fprintf(out, "</td>");
}

static void table_html(FILE *out, const cJSON *cols, const cJSON *rows, const char *first,
		       bool micro)
{
	const cJSON *c, *row, *cell;

	fprintf(out, "<table><tr><th>");
	html_text(out, first);
	fprintf(out, "</th>");
	cJSON_ArrayForEach(c, cols) {
		fprintf(out, "<th%s>", col_emulated(c) ? " class=emu" : "");
		html_text(out, vmb_str(c, "label", "?"));
		html_text(out, study_emulated_mark(vmb_str(c, "emulated", "unknown")));
		fprintf(out, "</th>");
	}
	fprintf(out, "</tr>\n");
	cJSON_ArrayForEach(row, rows) {
		fprintf(out, "<tr><th>");
		html_text(out, vmb_str(row, "label", "?"));
		fprintf(out, "</th>");
		cJSON_ArrayForEach(cell, study_get(row, "cells"))
			cell_html(out, cell, micro ? "micro" : vmb_str(row, "kind", ""));
		fprintf(out, "</tr>\n");
	}
	fprintf(out, "</table>\n");
}

static void breakdown_html(FILE *out, const cJSON *b)
{
	const cJSON *c, *w;

	fprintf(out, "<table><tr><th>class</th><th>save</th><th>restore</th></tr>\n");
	cJSON_ArrayForEach(c, study_get(b, "classes")) {
		fprintf(out, "<tr><th>");
		html_text(out, vmb_str(c, "label", "?"));
		fprintf(out, "</th>");
		if (study_get(c, "missing")) {
			fprintf(out, "<td class=missing colspan=2>— ");
			html_text(out, vmb_str(c, "missing", ""));
			fprintf(out, "</td></tr>\n");
			continue;
		}
		for (int k = 0; k < 2; k++) {
			const char *part = k ? "restore" : "save";
			fprintf(out, "<td>");
			if (study_get(c, part)) {
				fprintf(out, "%.0f ", vmb_num(c, part, 0));
				html_text(out, vmb_str(c, "unit", ""));
			} else
				fprintf(out, "?");
			marks_html(out, c);
			fprintf(out, "</td>");
		}
		fprintf(out, "</tr>\n");
	}
	fprintf(out, "</table>\n<ul>");
	cJSON_ArrayForEach(w, study_get(b, "whole")) {
		fprintf(out, "<li>");
		html_text(out, vmb_str(w, "bench", "?"));
		fprintf(out, " p50: %.0f ", vmb_num(w, "p50", 0));
		html_text(out, vmb_str(w, "unit", ""));
		marks_html(out, w);
		fprintf(out, "</li>");
	}
	fprintf(out, "</ul>\n");
}

static const char style[] =
	"body{font-family:'DejaVu Sans',sans-serif;margin:2em;max-width:1400px;color:#222}"
	"table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #bbb;"
	"padding:4px 8px;vertical-align:top;text-align:left}th{background:#eef}"
	"th.emu{background:#fdd}td.missing{color:#777;font-size:85%;max-width:18em}"
	".banner{background:#c00;color:#fff;padding:.8em;font-weight:bold;font-size:120%}"
	".bad{color:#c00;font-weight:bold}.x{color:#036}.warn{color:#c00}"
	"figure{display:inline-block;margin:.5em}img{border:1px solid #ddd}";

static void page(FILE *out, const cJSON *doc, const struct plots *p, int first_breakdown,
		 int first_latency)
{
	const cJSON *cols = study_get(doc, "columns"), *x;

	fprintf(out,
		"<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>"
		"<title>vmbench: the study</title><style>%s</style></head><body>\n",
		style);
	fprintf(out, "<h1>vmbench: what virtualization costs</h1>\n");
	if (study_flag(doc, "emulated"))
		fprintf(out,
			"<p class=banner>EMULATED: some or all of these figures come from an "
			"emulator (QEMU TCG, Bochs) or from a guest that could not tell; they "
			"are not hardware figures. Columns, plots and series say which.</p>\n");
	if (p->dropped)
		fprintf(out, "<p class=warn>More than %d plots: the rest are not drawn.</p>\n",
			PLOTS_MAX);
	fprintf(out, "<h2 id=micro>Micro Numbers</h2>\n<p>p50 per operation, [p1–p99] beneath "
		     "it (min for logs without p1); cycles of the CPU clock; ×: against native "
		     "on the same architecture. ! not trustworthy, # from a damaged log.</p>\n");
	if (cJSON_GetArraySize(cols))
		table_html(out, cols, study_get(doc, "micro"), "operation", true);
	else
		fprintf(out,
			"<p>No log with a boot record of a known architecture and mode.</p>\n");
	cJSON_ArrayForEach(x, study_get(doc, "cycles")) {
		fprintf(out, "<p>");
		html_text(out, vmb_str(x, "arch", "?"));
		fprintf(out, " cycles: at %.0f MHz, the rate of ", vmb_num(x, "hz", 0) / 1e6);
		html_text(out, vmb_str(x, "file", "?"));
		fprintf(out, "'s ");
		html_text(out, vmb_str(x, "counter", "?"));
		fprintf(out, ".</p>\n");
	}
	for (int i = 0; i < first_breakdown; i++)
		embed_svg(out, p, i, "a Micro Numbers operation per mode");

	fprintf(out, "<h2 id=breakdown>Hypercall Breakdown</h2>\n<p>p50 of one save and of one "
		     "restore of each class, timer overhead subtracted.</p>\n");
	int i = first_breakdown;
	cJSON_ArrayForEach(x, study_get(doc, "breakdown")) {
		fprintf(out, "<h3>");
		html_text(out, vmb_str(x, "arch", "?"));
		fprintf(out, " ");
		html_text(out, vmb_str(x, "mode", "?"));
		fprintf(out, ", ");
		html_text(out, vmb_str(x, "irqchip", "?"));
		html_text(out, study_emulated_mark(vmb_str(x, "emulated", "unknown")));
		fprintf(out, ": ");
		html_text(out, vmb_str(x, "file", "?"));
		fprintf(out, "</h3>\n");
		breakdown_html(out, x);
		if (breakdown_plottable(x) && i < first_latency)
			embed_svg(out, p, i++, "the breakdown, stacked by class");
	}
	if (!cJSON_GetArraySize(study_get(doc, "breakdown")))
		fprintf(out, "<p>No log has one: the breakdown runs natively at EL2 on arm64 "
			     "(breakdown.&lt;class&gt;).</p>\n");
	if (cJSON_GetArraySize(cols)) {
		fprintf(out, "<h2 id=tcp_rr>TCP_RR</h2>\n<p>p50; ×: virtual over native time (the "
			     "study's overhead), only where native measured the same.</p>\n");
		table_html(out, cols, study_get(doc, "tcp_rr"), "", false);
		fprintf(out, "<h2 id=bulk>Bulk stream</h2>\n<p>Throughput; ×: native over "
			     "virtual.</p>\n");
		table_html(out, cols, study_get(doc, "bulk"), "", false);
	}
	fprintf(out, "<h2 id=latency>Latency distributions</h2>\n");
	for (i = first_latency; i < p->n; i++)
		embed_svg(out, p, i, "a latency CDF per mode");
	if (first_latency == p->n)
		fprintf(out, "<p>No RR or I/O latency figure in these logs.</p>\n");

	fprintf(out, "<h2 id=logs>Logs</h2>\n<table><tr><th>file</th><th>run</th><th>emulated"
		     "</th><th>complete</th><th>damaged</th></tr>\n");
	cJSON_ArrayForEach(x, study_get(doc, "logs")) {
		fprintf(out, "<tr><td>");
		html_text(out, vmb_str(x, "file", "?"));
		fprintf(out, "</td><td>");
		html_text(out, vmb_str(x, "label", "?"));
		fprintf(out, "</td><td>");
		html_text(out, vmb_str(x, "emulated", "?"));
		fprintf(out, "</td><td>%s</td><td%s>%s</td></tr>\n",
			study_flag(x, "complete") ? "yes" : "NO",
			study_flag(x, "damaged") ? " class=bad" : "",
			study_flag(x, "damaged") ? "DAMAGED" : "no");
	}
	fprintf(out, "</table>\n</body></html>\n");
}

int study_html(FILE *out, const cJSON *doc)
{
	struct plots p;

	if (plots_open(&p))
		return -1;
	micro_plots(&p, doc);
	int first_breakdown = p.n;
	breakdown_plots(&p, doc);
	int first_latency = p.n;
	latency_plots(&p, doc);
	int rc = plots_draw(&p);
	if (!rc)
		page(out, doc, &p, first_breakdown, first_latency);
	plots_clean(&p);
	return rc;
}
