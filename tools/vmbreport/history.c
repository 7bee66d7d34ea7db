/*
 * vmb-report --history: many runs of one target over time, per metric
 * (nightly use). Each argument is a log, or a directory whose *.log files
 * are runs. Runs are ordered by when they ran (the host's setup record,
 * else the file's time). Markdown on stdout: per metric the first and
 * last run's p50, the change, and the range the p50 took; --json F the
 * whole series; --html F a trend plot per metric, each run's p50 with
 * whiskers from p1 to p99.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "history.h"
#include "logfile.h"
#include "output.h"
#include "plots.h"

struct run {
	struct vmb_log log;
	char *path;
	double when; /* seconds since the epoch */
	char label[64];
};

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_when(const void *a, const void *b)
{
	const struct run *x = a, *y = b;

	return (x->when > y->when) - (x->when < y->when);
}

/* Arguments to log paths: a directory gives its *.log files by name. */
static int collect(char **args, int nargs, char ***paths)
{
	int n = 0, cap = 16;
	char **p = malloc(sizeof(*p) * (size_t)cap);

	for (int i = 0; i < nargs; i++) {
		struct stat st;
		if (stat(args[i], &st)) {
			fprintf(stderr, "vmb-report: cannot read %s\n", args[i]);
			continue;
		}
		int first = n;
		if (S_ISDIR(st.st_mode)) {
			DIR *d = opendir(args[i]);
			struct dirent *e;
			while (d && (e = readdir(d))) {
				size_t len = strlen(e->d_name);
				if (len < 5 || strcmp(e->d_name + len - 4, ".log"))
					continue;
				if (n == cap)
					p = realloc(p, sizeof(*p) * (size_t)(cap *= 2));
				size_t plen = strlen(args[i]) + len + 2;
				p[n] = malloc(plen);
				snprintf(p[n++], plen, "%s/%s", args[i], e->d_name);
			}
			if (d)
				closedir(d);
			qsort(p + first, (size_t)(n - first), sizeof(*p), cmp_name);
		} else {
			if (n == cap)
				p = realloc(p, sizeof(*p) * (size_t)(cap *= 2));
			p[n++] = strdup(args[i]);
		}
	}
	*paths = p;
	return n;
}

/* When a run ran: the host's "time" (UTC, 2026-12-07T15:04:05Z), else
 * the file's modification time. */
static double run_time(const struct vmb_log *log, const char *path)
{
	const char *t = vmb_log_setup(log, "time");
	struct tm tm = { 0 };
	struct stat st;

	if (t && sscanf(t, "%d-%d-%dT%d:%d:%dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
			&tm.tm_min, &tm.tm_sec) == 6) {
		tm.tm_year -= 1900;
		tm.tm_mon -= 1;
		return (double)timegm(&tm);
	}
	return stat(path, &st) ? 0 : (double)st.st_mtime;
}

static cJSON *series(struct run *runs, int n, const char *bench)
{
	cJSON *pts = cJSON_CreateArray();

	for (int i = 0; i < n; i++) {
		const cJSON *r = vmb_log_result(&runs[i].log, bench);
		if (!r || is_suspect(r))
			continue;
		cJSON *p = cJSON_CreateObject();
		cJSON_AddNumberToObject(p, "run", i);
		cJSON_AddNumberToObject(
			p, "p1", to_ns(&runs[i].log, r, vmb_num(r, "p1", vmb_num(r, "min", 0))));
		cJSON_AddNumberToObject(p, "p50", to_ns(&runs[i].log, r, vmb_num(r, "p50", 0)));
		cJSON_AddNumberToObject(p, "p99", to_ns(&runs[i].log, r, vmb_num(r, "p99", 0)));
		cJSON_AddItemToArray(pts, p);
	}
	return pts;
}

static cJSON *history_build(struct run *runs, int n)
{
	cJSON *doc = cJSON_CreateObject(), *jr = cJSON_AddArrayToObject(doc, "runs");
	cJSON *metrics = cJSON_AddArrayToObject(doc, "metrics"), *names = cJSON_CreateArray();
	const cJSON *r, *x;

	for (int i = 0; i < n; i++) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "file", runs[i].path);
		cJSON_AddNumberToObject(o, "time", runs[i].when);
		cJSON_AddStringToObject(o, "label", runs[i].label);
		const char *build = vmb_log_provenance(&runs[i].log, "build");
		cJSON_AddStringToObject(o, "build", build ? build : "");
		cJSON_AddStringToObject(o, "emulated", emulated_word(runs[i].log.boot));
		cJSON_AddItemToArray(jr, o);
		cJSON_ArrayForEach(r, runs[i].log.results) {
			const char *b = vmb_str(r, "bench", NULL);
			bool seen = false;
			cJSON_ArrayForEach(x, names)
				seen |= b && !strcmp(x->valuestring, b);
			if (b && !seen)
				cJSON_AddItemToArray(names, cJSON_CreateString(b));
		}
	}
	cJSON_ArrayForEach(x, names) {
		cJSON *m = cJSON_CreateObject();
		cJSON_AddStringToObject(m, "metric", x->valuestring);
		cJSON_AddItemToObject(m, "points", series(runs, n, x->valuestring));
		cJSON_AddItemToArray(metrics, m);
	}
	cJSON_Delete(names);
	return doc;
}

static void markdown(FILE *out, const cJSON *doc)
{
	const cJSON *m, *x;
	const cJSON *runs = cJSON_GetObjectItem(doc, "runs");
	int n = cJSON_GetArraySize(runs);

	fprintf(out, "# vmbench history: %d run(s)\n\n", n);
	if (!n)
		return;
	fprintf(out, "From %s (%s) to %s (%s).\n\n",
		vmb_str(cJSON_GetArrayItem(runs, 0), "label", "?"),
		vmb_str(cJSON_GetArrayItem(runs, 0), "file", "?"),
		vmb_str(cJSON_GetArrayItem(runs, n - 1), "label", "?"),
		vmb_str(cJSON_GetArrayItem(runs, n - 1), "file", "?"));
	fprintf(out, "| metric | runs | first p50 ns | last p50 ns | last vs first | lowest p50 | "
		     "highest p50 | last p1–p99 ns |\n|---|---|---|---|---|---|---|---|\n");
	cJSON_ArrayForEach(m, cJSON_GetObjectItem(doc, "metrics")) {
		const cJSON *pts = cJSON_GetObjectItem(m, "points");
		int k = cJSON_GetArraySize(pts);
		if (!k)
			continue;
		double lo = 1e300, hi = 0;
		cJSON_ArrayForEach(x, pts) {
			double v = vmb_num(x, "p50", 0);
			lo = v < lo ? v : lo;
			hi = v > hi ? v : hi;
		}
		const cJSON *f = cJSON_GetArrayItem(pts, 0), *l = cJSON_GetArrayItem(pts, k - 1);
		double a = vmb_num(f, "p50", 0), b = vmb_num(l, "p50", 0);
		fprintf(out, "| %s | %d | %.0f | %.0f | %+.1f %% | %.0f | %.0f | %.0f–%.0f |\n",
			vmb_str(m, "metric", "?"), k, a, b, a > 0 ? (b / a - 1) * 100 : 0, lo, hi,
			vmb_num(l, "p1", 0), vmb_num(l, "p99", 0));
	}
	fprintf(out,
		"\nA trend, not a verdict: `tools/compare` tests a change between two groups of "
		"boots.\n");
}

static void trend_plots(struct plots *p, const cJSON *doc, bool emu)
{
	const cJSON *m, *x;
	const cJSON *runs = cJSON_GetObjectItem(doc, "runs");

	cJSON_ArrayForEach(m, cJSON_GetObjectItem(doc, "metrics")) {
		char name[16], title[160];
		if (!cJSON_GetArraySize(cJSON_GetObjectItem(m, "points")))
			continue;
		snprintf(title, sizeof(title), "%s: p50 per run, whiskers p1 to p99",
			 vmb_str(m, "metric", "?"));
		FILE *d = plot_begin(p, title, emu, name, sizeof(name));
		if (!d)
			return;
		cJSON_ArrayForEach(x, cJSON_GetObjectItem(m, "points")) {
			int i = (int)vmb_num(x, "run", 0);
			fprintf(d, "%d ", i);
			gp_text(d, vmb_str(cJSON_GetArrayItem(runs, i), "label", "?"));
			fprintf(d, " %.6g %.6g %.6g\n", vmb_num(x, "p50", 0), vmb_num(x, "p1", 0),
				vmb_num(x, "p99", 0));
		}
		fclose(d);
		fprintf(p->gp,
			"set ylabel 'ns per operation'\nset xtics rotate by -40\nunset key\n"
			"set offsets 0.5, 0.5, 0, 0\nset yrange [0:*]\n"
			"plot '%s.dat' using 1:3:4:5:xtic(2) with yerrorbars lc rgb '#1f5fa8' "
			"pt 7, '' using 1:3 with lines lc rgb '#1f5fa8'\n",
			name);
	}
}

static int html(FILE *out, const cJSON *doc)
{
	struct plots p;
	const cJSON *x;
	bool emu = false;

	cJSON_ArrayForEach(x, cJSON_GetObjectItem(doc, "runs"))
		emu |= strcmp(vmb_str(x, "emulated", "unknown"), "false") != 0;
	if (plots_open(&p))
		return -1;
	trend_plots(&p, doc, emu);
	int rc = plots_draw(&p);
	if (!rc) {
		fprintf(out,
			"<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8><title>"
			"vmbench history</title><style>body{font-family:sans-serif;max-width:"
			"80em;margin:1em auto}.banner{background:#c00;color:#fff;padding:.8em;"
			"font-weight:bold}figure{display:inline-block;margin:.5em}</style>"
			"</head><body>\n<h1>vmbench history: %d run(s)</h1>\n",
			cJSON_GetArraySize(cJSON_GetObjectItem(doc, "runs")));
		if (emu)
			fprintf(out,
				"<p class=banner>EMULATED: some runs are emulator figures, not "
				"hardware figures.</p>\n");
		for (int i = 0; i < p.n; i++)
			embed_svg(out, &p, i, "a metric's p50 per run over time");
		fprintf(out, "<h2>Runs</h2>\n<ol start=0>\n");
		cJSON_ArrayForEach(x, cJSON_GetObjectItem(doc, "runs")) {
			fprintf(out, "<li>");
			html_text(out, vmb_str(x, "label", "?"));
			fprintf(out, ": ");
			html_text(out, vmb_str(x, "file", "?"));
			fprintf(out, "</li>\n");
		}
		fprintf(out, "</ol>\n</body></html>\n");
	}
	plots_clean(&p);
	return rc;
}

int history_main(int argc, char **argv)
{
	const char *json = NULL, *html_path = NULL;
	char **args = calloc((size_t)argc + 1, sizeof(*args)), **paths;
	int nargs = 0, rc = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json") && i + 1 < argc)
			json = argv[++i];
		else if (!strcmp(argv[i], "--html") && i + 1 < argc)
			html_path = argv[++i];
		else if (argv[i][0] == '-') {
			fprintf(stderr,
				"usage: vmb-report --history [--json F] [--html F] DIR|LOG...\n");
			free(args);
			return 2;
		} else
			args[nargs++] = argv[i];
	}
	int n = collect(args, nargs, &paths), used = 0;
	struct run *runs = calloc((size_t)n + 1, sizeof(*runs));
	for (int i = 0; i < n; i++) {
		struct run *r = &runs[used];
		if (vmb_log_read(&r->log, paths[i])) {
			rc = 1;
			continue;
		}
		if (!r->log.boot || !r->log.end || r->log.damaged) {
			fprintf(stderr, "vmb-report: %s left out: %s\n", paths[i],
				!r->log.boot  ? "no boot record"
				: !r->log.end ? "incomplete"
					      : "damaged");
			vmb_log_free(&r->log);
			rc = 1;
			continue;
		}
		r->path = paths[i];
		r->when = run_time(&r->log, paths[i]);
		time_t t = (time_t)r->when;
		struct tm tm;
		const char *build = vmb_log_provenance(&r->log, "build");
		strftime(r->label, sizeof(r->label), "%Y-%m-%d %H:%M", gmtime_r(&t, &tm));
		if (build) {
			size_t len = strlen(r->label);
			snprintf(r->label + len, sizeof(r->label) - len, " %s", build);
		}
		used++;
	}
	qsort(runs, (size_t)used, sizeof(*runs), cmp_when);
	cJSON *doc = history_build(runs, used);
	markdown(stdout, doc);
	/* Each form on its own: one not written does not keep the other. */
	if (json && write_form(json, doc, json_form))
		rc = 2;
	if (html_path && write_form(html_path, doc, html))
		rc = 2;
	cJSON_Delete(doc);
	for (int i = 0; i < used; i++)
		vmb_log_free(&runs[i].log);
	for (int i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	free(runs);
	free(args);
	return used ? rc : 2;
}
