/*
 * The A/B document as one self-contained HTML page: the verdict, the
 * provenance of both sides, the table, and per metric the two pooled
 * CDFs drawn by gnuplot, A and B on one plot.
 */
#include <string.h>

#include "compare.h"
#include "plots.h"

static bool emulated(const cJSON *doc)
{
	const cJSON *x;

	cJSON_ArrayForEach(x, compare_get(doc, "provenance"))
		if (!strcmp(vmb_str(x, "key", ""), "emulated"))
			return strcmp(vmb_str(x, "a", ""), "false") ||
			       strcmp(vmb_str(x, "b", ""), "false");
	return true;
}

/* One plot per metric with CDFs, up to both sides' p99 (a tail of one
 * slow sample would squeeze the rest into one line), on a log axis
 * where the range spans more than 20 times. */
static void cdf_plots(struct plots *p, const cJSON *doc, bool emu)
{
	const cJSON *x;

	cJSON_ArrayForEach(x, compare_get(doc, "metrics")) {
		const cJSON *ca = compare_get(x, "cdf_a"), *cb = compare_get(x, "cdf_b");
		char title[256], name[16];
		if (!ca || !cb)
			continue;
		int n = cJSON_GetArraySize(ca), n99 = (n - 1) * 99 / 100;
		double lo = compare_item(ca, 0) < compare_item(cb, 0) ? compare_item(ca, 0)
								      : compare_item(cb, 0);
		double hi = compare_item(ca, n99) > compare_item(cb, n99) ? compare_item(ca, n99)
									  : compare_item(cb, n99);
		snprintf(title, sizeof(title), "%s: %s (A solid, B dashed, up to p99)",
			 vmb_str(x, "metric", "?"), vmb_str(x, "verdict", "?"));
		FILE *d = plot_begin(p, title, emu, name, sizeof(name));
		if (!d)
			return;
		for (int s = 0; s < 2; s++) {
			const cJSON *c = s ? cb : ca;
			int m = cJSON_GetArraySize(c);
			for (int k = 0; k < m; k++)
				fprintf(d, "%.6g %.4f\n", compare_item(c, k),
					m > 1 ? (double)k / (m - 1) : 1.0);
			fprintf(d, "\n\n");
		}
		fclose(d);
		fprintf(p->gp,
			"set xlabel %s\nset ylabel 'share of samples'\nset key bottom right\n"
			"set yrange [0:1]\nset xrange [%.6g:%.6g]\n",
			!strcmp(vmb_str(x, "unit", "ns"), "bit/s") ? "'bit/s'"
								   : "'ns per operation'",
			lo > 0 ? lo * 0.95 : 0, hi > lo ? hi * 1.05 : lo + 1);
		if (lo > 0 && hi > 20 * lo)
			fprintf(p->gp, "set logscale x\n");
		fprintf(p->gp,
			"plot '%s.dat' index 0 using 1:2 with steps lw 2 lc rgb '#1f5fa8' "
			"title 'A', '' index 1 using 1:2 with steps lw 2 dt 2 lc rgb '#c0392b' "
			"title 'B'\n",
			name);
	}
}

static const char style[] =
	"body{font-family:sans-serif;max-width:80em;margin:1em auto;padding:0 1em}"
	"table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #bbb;padding:.2em "
	".5em;text-align:right}td:first-child,th:first-child{text-align:left}"
	".slower{background:#f6c6c0;font-weight:bold}.faster{background:#cdebc6}"
	".few{color:#777}.banner{background:#c00;color:#fff;padding:.8em;font-weight:bold}"
	".differs{color:#c00;font-weight:bold}figure{display:inline-block;margin:.5em}"
	"img{border:1px solid #ddd}";

static void table(FILE *out, const cJSON *doc)
{
	const cJSON *x;

	fprintf(out, "<table><tr><th>metric</th><th>stat</th><th>boots A/B</th><th>A</th>"
		     "<th>B</th><th>change</th><th>interval</th><th>p</th><th>verdict</th></tr>\n");
	cJSON_ArrayForEach(x, compare_get(doc, "metrics")) {
		const char *v = vmb_str(x, "verdict", "?");
		bool counts = cJSON_IsTrue(compare_get(x, "counts"));
		const cJSON *ci = compare_get(x, "change_ci");
		fprintf(out, "<tr class=\"%s\"><td>",
			!strcmp(v, "slower") && counts	? "slower"
			: !strcmp(v, "faster")		? "faster"
			: !strcmp(v, "not enough data") ? "few"
							: "");
		html_text(out, vmb_str(x, "metric", "?"));
		fprintf(out,
			"</td><td>%s</td><td>%d/%d</td><td>%.4g</td><td>%.4g</td>"
			"<td>%+.1f %%</td><td>[%+.1f, %+.1f] %%</td><td>%.4f</td><td>",
			vmb_str(x, "stat", "?"), (int)vmb_num(x, "na", 0), (int)vmb_num(x, "nb", 0),
			vmb_num(x, "a", 0), vmb_num(x, "b", 0), vmb_num(x, "change", 0) * 100,
			compare_item(ci, 0) * 100, compare_item(ci, 1) * 100, vmb_num(x, "p", 1));
		html_text(out, v);
		if (vmb_str(x, "note", NULL)) {
			fprintf(out, ": ");
			html_text(out, vmb_str(x, "note", ""));
		}
		fprintf(out, "</td></tr>\n");
	}
	fprintf(out, "</table>\n");
}

static void page(FILE *out, const cJSON *doc, const struct plots *p, bool emu)
{
	const cJSON *x;
	int status = compare_status(doc);

	fprintf(out,
		"<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8><title>vmbench "
		"A/B</title><style>%s</style></head><body>\n<h1>vmbench A/B: B against A</h1>\n",
		style);
	fprintf(out, "<p class=%s>%s</p>\n", status == COMPARE_SLOWER ? "banner" : "verdict",
		status == COMPARE_SLOWER ? "B is SLOWER: see the red rows."
		: status == COMPARE_SAME ? "No regression found."
					 : "Could not test: see below.");
	if (emu)
		fprintf(out,
			"<p class=banner>EMULATED: these figures come from an emulator or from "
			"a guest that could not tell; they are not hardware figures.</p>\n");
	const char *why = vmb_str(doc, "refused", vmb_str(doc, "forced", NULL));
	if (why) {
		fprintf(out, "<p class=banner>PROVENANCE DIFFERS: ");
		html_text(out, why);
		fprintf(out, "%s</p>\n",
			vmb_str(doc, "refused", NULL) ? " (refused)" : " (compared with --force)");
	}
	cJSON_ArrayForEach(x, compare_get(doc, "warnings")) {
		fprintf(out, "<p class=differs>");
		html_text(out, x->valuestring);
		fprintf(out, "</p>\n");
	}
	fprintf(out,
		"<p>Pooled over boots, each boot weighing the same. Verdict: two-sided "
		"permutation test over boots at alpha = %g and a change of at least the "
		"floor (%.0f %% unless set per metric). Intervals: bootstrap over boots.</p>\n",
		vmb_num(doc, "alpha", 0.01), vmb_num(doc, "floor", 0.05) * 100);
	table(out, doc);
	fprintf(out, "<h2>Distributions</h2>\n");
	for (int i = 0; i < p->n; i++)
		embed_svg(out, p, i, "A and B pooled CDFs of one metric");
	fprintf(out, "<h2>Provenance</h2>\n<table><tr><th>key</th><th>A</th><th>B</th></tr>\n");
	cJSON_ArrayForEach(x, compare_get(doc, "provenance")) {
		bool same = cJSON_IsTrue(compare_get(x, "same"));
		fprintf(out, "<tr%s><td>", same ? "" : " class=differs");
		html_text(out, vmb_str(x, "key", "?"));
		fprintf(out, "</td><td>");
		html_text(out, vmb_str(x, "a", ""));
		fprintf(out, "</td><td>");
		html_text(out, same ? "same" : vmb_str(x, "b", ""));
		fprintf(out, "</td></tr>\n");
	}
	fprintf(out, "</table>\n<h2>Logs</h2>\n");
	for (int s = 0; s < 2; s++) {
		fprintf(out, "<p>%s: ", s ? "B" : "A");
		cJSON_ArrayForEach(x, compare_get(compare_get(doc, s ? "b" : "a"), "logs")) {
			html_text(out, x->valuestring);
			fprintf(out, " ");
		}
		cJSON_ArrayForEach(x, compare_get(compare_get(doc, s ? "b" : "a"), "left_out")) {
			fprintf(out, "<span class=differs>left out ");
			html_text(out, vmb_str(x, "file", "?"));
			fprintf(out, " (");
			html_text(out, vmb_str(x, "why", "?"));
			fprintf(out, ")</span> ");
		}
		fprintf(out, "</p>\n");
	}
	fprintf(out, "</body></html>\n");
}

int compare_html(FILE *out, const cJSON *doc)
{
	struct plots p;
	bool emu = emulated(doc);

	if (plots_open(&p))
		return -1;
	cdf_plots(&p, doc, emu);
	int rc = plots_draw(&p);
	if (!rc)
		page(out, doc, &p, emu);
	plots_clean(&p);
	return rc;
}
