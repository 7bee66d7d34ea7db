/*
 * vmb-report --compare: the A/B command line (docs/compare.md). The
 * exit status is git bisect run's: 0 no regression, 1 a regression,
 * 125 no verdict possible (refused provenance, too few boots, no common
 * metric); misuse exits 128, which makes git bisect run stop.
 */
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "logfile.h"
#include "output.h"

#define COMPARE_MISUSE 128

static int usage(void)
{
	fprintf(stderr,
		"usage: vmb-report --compare [OPTIONS] A.log... -- B.log...\n"
		"  the Markdown table on stdout; exit 0 no regression, 1 B slower, 125 no verdict\n"
		"  --alpha A          significance level (default 0.01)\n"
		"  --floor PCT        smallest change that counts, in %% (default 5)\n"
		"  --floor-for M=PCT  the floor of one metric (repeatable)\n"
		"  --tail             p99 verdicts decide too (default: p50s decide)\n"
		"  --trim PCT         leave each side's slowest PCT %% of boots out of its figure\n"
		"                     (hosts that slow whole boots: an emulator on a busy "
		"machine)\n"
		"  --force            compare although the sides' hardware differs (marked)\n"
		"  --json F | --junit F | --html F   the same comparison in that form, into F\n");
	return COMPARE_MISUSE;
}

static bool number(const char *s, double lo, double hi, double *out)
{
	char *end;
	double v = s ? strtod(s, &end) : 0;

	if (!s || end == s || *end || !(v >= lo && v <= hi))
		return false;
	*out = v;
	return true;
}

static int junit_out(FILE *f, const cJSON *doc)
{
	compare_junit(f, doc);
	return 0;
}

int compare_main(int argc, char **argv)
{
	struct compare_opts o;
	const char *json = NULL, *junit = NULL, *html = NULL;
	const char **files = calloc((size_t)argc + 1, sizeof(*files));
	int na = -1, n = 0;

	compare_opts_default(&o);
	for (int i = 1; i < argc; i++) {
		const char *next = i + 1 < argc ? argv[i + 1] : NULL;
		double v;
		if (!strcmp(argv[i], "--")) {
			if (na >= 0)
				return usage();
			na = n;
		} else if (!strcmp(argv[i], "--alpha") && number(next, 1e-6, 0.5, &v)) {
			o.alpha = v;
			i++;
		} else if (!strcmp(argv[i], "--floor") && number(next, 0, 1000, &v)) {
			o.floor = v / 100;
			i++;
		} else if (!strcmp(argv[i], "--floor-for") && next && strchr(next, '=') &&
			   o.nfloors < COMPARE_MAX_FLOORS) {
			const char *eq = strchr(next, '=');
			size_t len = (size_t)(eq - next);
			if (!len || len >= sizeof(o.floors[0].metric) ||
			    !number(eq + 1, 0, 1000, &v))
				return usage();
			memcpy(o.floors[o.nfloors].metric, next, len);
			o.floors[o.nfloors].metric[len] = 0;
			o.floors[o.nfloors++].floor = v / 100;
			i++;
		} else if (!strcmp(argv[i], "--trim") && number(next, 0, 75, &v)) {
			o.trim = v / 100;
			i++;
		} else if (!strcmp(argv[i], "--tail")) {
			o.tail = true;
		} else if (!strcmp(argv[i], "--force")) {
			o.force = true;
		} else if (!strcmp(argv[i], "--json") && next) {
			json = argv[++i];
		} else if (!strcmp(argv[i], "--junit") && next) {
			junit = argv[++i];
		} else if (!strcmp(argv[i], "--html") && next) {
			html = argv[++i];
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage();
			return 0;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return usage();
		} else {
			files[n++] = argv[i];
		}
	}
	if (na < 1 || n - na < 1) {
		fprintf(stderr,
			"vmb-report --compare: needs at least one log on each side of --\n");
		return usage();
	}
	struct vmb_log *logs = calloc((size_t)n, sizeof(*logs));
	for (int i = 0; i < n; i++)
		if (vmb_log_read(&logs[i], files[i]))
			return COMPARE_UNTESTABLE;

	cJSON *doc = compare_build(logs, na, logs + na, n - na, &o);
	int rc = compare_status(doc);
	compare_markdown(stdout, doc);
	/* A form not written is said; the verdict stands. */
	if (json)
		write_form(json, doc, json_form);
	if (junit)
		write_form(junit, doc, junit_out);
	if (html)
		write_form(html, doc, compare_html);
	cJSON_Delete(doc);
	for (int i = 0; i < n; i++)
		vmb_log_free(&logs[i]);
	free(logs);
	free(files);
	return rc;
}
