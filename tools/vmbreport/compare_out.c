/*
 * The A/B document as Markdown (for people) and JUnit XML (for any CI:
 * one test case per metric, a counted regression as a failure).
 */
#include <string.h>

#include "compare.h"
#include "plots.h"

/* A figure in its unit, to about three significant digits. */
static void figure(char *buf, size_t len, double v, const char *unit)
{
	if (!strcmp(unit, "bit/s"))
		snprintf(buf, len, "%.1f Mbit/s", v / 1e6);
	else if (v >= 100000)
		snprintf(buf, len, "%.1f us", v / 1000);
	else if (v >= 100)
		snprintf(buf, len, "%.0f ns", v);
	else
		snprintf(buf, len, "%.1f ns", v);
}

static void side_line(FILE *out, const char *name, const cJSON *side)
{
	const cJSON *x;

	fprintf(out, "- %s: %d usable boot(s)", name, (int)vmb_num(side, "boots", 0));
	cJSON_ArrayForEach(x, compare_get(side, "left_out"))
		fprintf(out, "; left out %s (%s)", vmb_str(x, "file", "?"), vmb_str(x, "why", "?"));
	fprintf(out, "\n");
}

static const char *verdict_md(const cJSON *row)
{
	const char *v = vmb_str(row, "verdict", "?");
	bool counts = cJSON_IsTrue(compare_get(row, "counts"));

	if (!strcmp(v, "slower"))
		return counts ? "**SLOWER**" : "slower (p99: not counted)";
	if (!strcmp(v, "faster"))
		return "**faster**";
	return v;
}

void compare_markdown(FILE *out, const cJSON *doc)
{
	const cJSON *x;
	double alpha = vmb_num(doc, "alpha", 0.01);

	fprintf(out, "# vmbench A/B: B against A\n\n");
	side_line(out, "A", compare_get(doc, "a"));
	side_line(out, "B", compare_get(doc, "b"));
	if (vmb_str(doc, "refused", NULL))
		fprintf(out,
			"\n**REFUSED: %s.** A and B ran on different machines or kinds of "
			"machine, so a change between them is not the change being tested "
			"(--force compares anyway, marked).\n",
			vmb_str(doc, "refused", ""));
	if (vmb_str(doc, "forced", NULL))
		fprintf(out,
			"\n**PROVENANCE DIFFERS (compared with --force): %s.** Every "
			"verdict below mixes that difference with the one being tested.\n",
			vmb_str(doc, "forced", ""));
	fprintf(out, "\n| provenance | A | B |\n|---|---|---|\n");
	cJSON_ArrayForEach(x, compare_get(doc, "provenance")) {
		bool same = cJSON_IsTrue(compare_get(x, "same"));
		fprintf(out, "| %s%s | %s | %s |\n", vmb_str(x, "key", "?"),
			same					      ? ""
			: !strcmp(vmb_str(x, "kind", ""), "hardware") ? " **(differs)**"
								      : " (differs)",
			vmb_str(x, "a", ""), same ? "same" : vmb_str(x, "b", ""));
	}
	cJSON_ArrayForEach(x, compare_get(doc, "warnings"))
		fprintf(out, "\n**Warning:** %s.\n", x->valuestring);
	if (!cJSON_GetArraySize(compare_get(doc, "metrics"))) {
		fprintf(out, "\nNo metric compared.\n");
		return;
	}
	fprintf(out,
		"\nPooled over boots, each boot weighing the same; [%.0f %% interval by bootstrap "
		"over boots]. Verdict: a two-sided permutation test over boots at alpha = %g, and "
		"a change of at least the floor (default %.0f %%). p50s decide%s.\n\n",
		(1 - alpha) * 100, alpha, vmb_num(doc, "floor", 0.05) * 100,
		cJSON_IsTrue(compare_get(doc, "tail")) ? ", and p99s too" : "; p99s are shown");
	if (vmb_num(doc, "trim", 0) > 0)
		fprintf(out,
			"Each side's slowest %.0f %% of boots left out of its figure (--trim).\n\n",
			vmb_num(doc, "trim", 0) * 100);
	fprintf(out, "| metric | stat | boots A/B | A | B | change | p | verdict |\n"
		     "|---|---|---|---|---|---|---|---|\n");
	cJSON_ArrayForEach(x, compare_get(doc, "metrics")) {
		const char *unit = vmb_str(x, "unit", "ns");
		char fa[32], fb[32], la[32], ha[32], lb[32], hb[32];
		figure(fa, sizeof(fa), vmb_num(x, "a", 0), unit);
		figure(fb, sizeof(fb), vmb_num(x, "b", 0), unit);
		figure(la, sizeof(la), compare_item(compare_get(x, "a_ci"), 0), unit);
		figure(ha, sizeof(ha), compare_item(compare_get(x, "a_ci"), 1), unit);
		figure(lb, sizeof(lb), compare_item(compare_get(x, "b_ci"), 0), unit);
		figure(hb, sizeof(hb), compare_item(compare_get(x, "b_ci"), 1), unit);
		fprintf(out,
			"| %s | %s | %d/%d | %s [%s, %s] | %s [%s, %s] | %+.1f %% [%+.1f, %+.1f] "
			"| %.4f | %s%s%s |\n",
			vmb_str(x, "metric", "?"), vmb_str(x, "stat", "?"),
			(int)vmb_num(x, "na", 0), (int)vmb_num(x, "nb", 0), fa, la, ha, fb, lb, hb,
			vmb_num(x, "change", 0) * 100,
			compare_item(compare_get(x, "change_ci"), 0) * 100,
			compare_item(compare_get(x, "change_ci"), 1) * 100, vmb_num(x, "p", 1),
			verdict_md(x), vmb_str(x, "note", NULL) ? ": " : "",
			vmb_str(x, "note", ""));
	}
	int status = compare_status(doc);
	fprintf(out, "\n%s\n",
		status == COMPARE_SLOWER ? "**Verdict: B is slower** (exit 1)."
		: status == COMPARE_SAME ? "Verdict: no regression (exit 0)."
					 : "Verdict: could not test (exit 125).");
	cJSON_ArrayForEach(x, compare_get(doc, "regressions"))
		fprintf(out, "- slower: %s\n", x->valuestring);
}

void compare_junit(FILE *out, const cJSON *doc)
{
	const cJSON *x;
	int tests = 0, failures = 0, skipped = 0;

	cJSON_ArrayForEach(x, compare_get(doc, "metrics")) {
		tests++;
		if (!strcmp(vmb_str(x, "verdict", ""), "not enough data"))
			skipped++;
		else if (cJSON_IsTrue(compare_get(x, "counts")) &&
			 !strcmp(vmb_str(x, "verdict", ""), "slower"))
			failures++;
	}
	const char *refused = vmb_str(doc, "refused", NULL);
	fprintf(out,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n"
		"<testsuite name=\"vmbench A/B\" tests=\"%d\" failures=\"%d\" errors=\"%d\" "
		"skipped=\"%d\">\n",
		tests + (refused != NULL), failures, refused != NULL, skipped);
	if (refused) {
		fprintf(out, "<testcase classname=\"vmbench.ab\" name=\"provenance\"><error "
			     "message=\"");
		html_text(out, refused);
		fprintf(out, "\"/></testcase>\n");
	}
	cJSON_ArrayForEach(x, compare_get(doc, "metrics")) {
		char line[512];
		const char *verdict = vmb_str(x, "verdict", "?");
		snprintf(line, sizeof(line),
			 "%s: %s %g -> %g %s (%+.1f %%, p = %.4f, %d/%d boots)%s%s", verdict,
			 vmb_str(x, "stat", ""), vmb_num(x, "a", 0), vmb_num(x, "b", 0),
			 vmb_str(x, "unit", ""), vmb_num(x, "change", 0) * 100, vmb_num(x, "p", 1),
			 (int)vmb_num(x, "na", 0), (int)vmb_num(x, "nb", 0),
			 vmb_str(x, "note", NULL) ? "; " : "", vmb_str(x, "note", ""));
		fprintf(out, "<testcase classname=\"vmbench.ab.");
		html_text(out, vmb_str(x, "stat", "?"));
		fprintf(out, "\" name=\"");
		html_text(out, vmb_str(x, "metric", "?"));
		fprintf(out, " ");
		html_text(out, vmb_str(x, "stat", "?"));
		fprintf(out, "\">");
		if (!strcmp(verdict, "not enough data")) {
			fprintf(out, "<skipped message=\"");
			html_text(out, line);
			fprintf(out, "\"/>");
		} else if (cJSON_IsTrue(compare_get(x, "counts")) && !strcmp(verdict, "slower")) {
			fprintf(out, "<failure type=\"regression\" message=\"");
			html_text(out, line);
			fprintf(out, "\"/>");
		} else {
			fprintf(out, "<system-out>");
			html_text(out, line);
			fprintf(out, "</system-out>");
		}
		fprintf(out, "</testcase>\n");
	}
	fprintf(out, "</testsuite>\n</testsuites>\n");
}
