/*
 * The A/B document (compare.h): which logs count, whether the two sides
 * ran on the same kind of machine, and a verdict per metric.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <vmb/hist.h>

#include "abstat.h"
#include "compare.h"
#include "provenance.h"

/* Points of each side's pooled CDF kept for the plots. */
#define CDF_POINTS 101

void compare_opts_default(struct compare_opts *o)
{
	*o = (struct compare_opts){ .alpha = 0.01, .floor = 0.05 };
}

/* The options as the user gave them: tools/run adds the host peer's
 * address (peer=), whose port differs every boot. */
static void user_options(char *out, size_t len, const char *cmdline)
{
	const char *w = cmdline;
	size_t at = 0;

	out[0] = 0;
	while (*w) {
		size_t n = strcspn(w, " ");
		if (n && strncmp(w, "peer=", 5) && at + n + 2 < len) {
			memcpy(out + at, w, n);
			at += n;
			out[at++] = ' ';
			out[at] = 0;
		}
		w += n + (w[n] == ' ');
	}
	if (at)
		out[at - 1] = 0;
}

static const char *prov(const struct vmb_log *log, const char *key, char *buf, size_t len)
{
	if (!strcmp(key, "emulated"))
		return log->boot ? emulated_word(log->boot) : NULL;
	const char *v = vmb_log_provenance(log, key);
	if (v && !strcmp(key, "cmdline")) {
		user_options(buf, len, v);
		return buf;
	}
	return v;
}

/* A log the verdict can use: whole, with its boot record. */
static const char *unusable(const struct vmb_log *log)
{
	if (!log->boot)
		return "no boot record";
	if (!log->end)
		return "incomplete: no end record";
	if (log->damaged)
		return "damaged: records lost or changed";
	return NULL;
}

static cJSON *side_doc(const struct vmb_log *logs, int n, unsigned *usable)
{
	cJSON *s = cJSON_CreateObject(), *files = cJSON_AddArrayToObject(s, "logs"),
	      *out = cJSON_AddArrayToObject(s, "left_out");

	*usable = 0;
	for (int i = 0; i < n; i++) {
		const char *why = unusable(&logs[i]);
		if (!why) {
			cJSON_AddItemToArray(files, cJSON_CreateString(logs[i].name));
			(*usable)++;
			continue;
		}
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "file", logs[i].name);
		cJSON_AddStringToObject(o, "why", why);
		cJSON_AddItemToArray(out, o);
	}
	cJSON_AddNumberToObject(s, "boots", *usable);
	return s;
}

/* Whether x is one of the values of "mixed: a | b | ..." (or all of v):
 * whole items only, so that "iters=50" is not taken for "iters=500". */
static bool listed(const char *v, bool mixed, const char *x)
{
	size_t len = strlen(x);
	const char *p = mixed ? v + strlen("mixed: ") : v;

	if (!mixed)
		return !strcmp(v, x);
	for (;;) {
		const char *end = strstr(p, " | ");
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if (n == len && !strncmp(p, x, len))
			return true;
		if (!end)
			return false;
		p = end + 3;
	}
}

/* One side's value of a key: the same in every log, or "mixed: ...". */
static char *side_value(const struct vmb_log *logs, int n, const char *key, bool *mixed)
{
	char *v = NULL;

	*mixed = false;
	for (int i = 0; i < n; i++) {
		if (unusable(&logs[i]))
			continue;
		char buf[512];
		const char *x = prov(&logs[i], key, buf, sizeof(buf));
		if (!x)
			x = "";
		if (!v) {
			v = strdup(x);
		} else if (!listed(v, *mixed, x)) {
			size_t len = strlen(v) + strlen(x) + 16;
			char *m = malloc(len);
			snprintf(m, len, "%s%s | %s", *mixed ? "" : "mixed: ", v, x);
			free(v);
			v = m;
			*mixed = true;
		}
	}
	return v ? v : strdup("");
}

/* One key's row of the provenance table; a machine key that differs is
 * why the sides are not comparable (the first one only). */
static void provenance_row(cJSON *rows, const struct vmb_log *a, int na, const struct vmb_log *b,
			   int nb, const char *key, bool machine, char **why)
{
	bool ma, mb;
	char *va = side_value(a, na, key, &ma), *vb = side_value(b, nb, key, &mb);
	bool same = !ma && !mb && !strcmp(va, vb);

	if (*va || *vb) {
		cJSON *r = cJSON_CreateObject();
		cJSON_AddStringToObject(r, "key", key);
		cJSON_AddStringToObject(r, "kind", machine ? "hardware" : "compared");
		cJSON_AddStringToObject(r, "a", va);
		cJSON_AddStringToObject(r, "b", vb);
		cJSON_AddBoolToObject(r, "same", same);
		cJSON_AddItemToArray(rows, r);
	}
	if (machine && !same && !*why) {
		size_t len = strlen(va) + strlen(vb) + 128;
		*why = malloc(len);
		snprintf(*why, len, "%s differs: A \"%s\", B \"%s\"", key, va, vb);
	}
	free(va);
	free(vb);
}

/* The provenance table; returns why the sides are not comparable, or NULL. */
static char *provenance(cJSON *doc, const struct vmb_log *a, int na, const struct vmb_log *b,
			int nb)
{
	cJSON *rows = cJSON_AddArrayToObject(doc, "provenance");
	char *why = NULL;

	/* The machine's keys first: the first of them that differs is why. */
	for (int k = 0; k < 2; k++)
		for (unsigned g = 0; g < n_provenance_groups; g++) {
			const struct provenance_group *pg = &provenance_groups[g];
			if (pg->machine != !k)
				continue;
			for (unsigned i = 0; pg->keys[i]; i++)
				provenance_row(rows, a, na, b, nb, pg->keys[i], pg->machine, &why);
		}
	return why;
}

/* Names of every metric in order of first appearance: results, then the
 * host's client figures ("host:" before their name). */
static void metric_names(cJSON *names, const struct vmb_log *logs, int n)
{
	const cJSON *r;

	for (int i = 0; i < n; i++) {
		if (unusable(&logs[i]))
			continue;
		cJSON_ArrayForEach(r, logs[i].results) {
			const char *bench = vmb_str(r, "bench", NULL);
			bool seen = false;
			const cJSON *x;
			cJSON_ArrayForEach(x, names)
				seen |= bench && !strcmp(x->valuestring, bench);
			if (bench && !seen)
				cJSON_AddItemToArray(names, cJSON_CreateString(bench));
		}
		cJSON_ArrayForEach(r, logs[i].hosts) {
			char name[96];
			const cJSON *x;
			bool seen = false;
			if (!vmb_str(r, "bench", NULL) || vmb_str(r, "error", NULL))
				continue;
			snprintf(name, sizeof(name), "host:%s", vmb_str(r, "bench", ""));
			cJSON_ArrayForEach(x, names)
				seen |= !strcmp(x->valuestring, name);
			if (!seen)
				cJSON_AddItemToArray(names, cJSON_CreateString(name));
		}
	}
}

/* One boot's distribution of a metric's statistic, in ns (bit/s for a
 * host's throughput). */
struct boot_dist {
	double *v, *w;
	size_t n;
};

static void dist_free(struct boot_dist *d)
{
	free(d->v);
	free(d->w);
	*d = (struct boot_dist){ 0 };
}

static bool dist_point(struct boot_dist *d, double v)
{
	d->v = malloc(sizeof(double));
	d->w = malloc(sizeof(double));
	if (!d->v || !d->w)
		return false;
	d->v[0] = v;
	d->w[0] = 1;
	d->n = 1;
	return true;
}

/* The whole distribution from the log's histogram: each bucket at its
 * middle, in ns, weighted by its share of the boot's samples. */
static bool dist_hist(struct boot_dist *d, const struct vmb_log *log, const cJSON *r)
{
	struct vmb_hist h;

	if (!vmb_log_hist(log, vmb_str(r, "bench", ""), &h))
		return false;
	d->v = calloc(h.nb ? h.nb : 1, sizeof(double));
	d->w = calloc(h.nb ? h.nb : 1, sizeof(double));
	d->n = h.nb;
	for (unsigned i = 0; d->v && d->w && i < h.nb; i++) {
		double lo = (double)hist_low(h.idx[i]), hi = (double)hist_high(h.idx[i]);
		d->v[i] = to_ns(log, r, (lo + hi) / 2);
		d->w[i] = (double)h.count[i] / (double)h.n;
	}
	vmb_hist_free(&h);
	return d->v && d->w;
}

struct side_dists {
	struct boot_dist *d;
	struct ab_dist *ab;
	unsigned n, suspect;
	bool hist_missing; /* a boot with the result has no histogram of it */
};

/* Every usable boot's figure of one metric on one side: its histogram
 * (use_hist), else its one figure of stat. */
static void gather(struct side_dists *s, const struct vmb_log *logs, int n, const char *metric,
		   const char *stat, bool use_hist)
{
	bool host = !strncmp(metric, "host:", 5);

	s->d = calloc((size_t)n + 1, sizeof(*s->d));
	s->ab = calloc((size_t)n + 1, sizeof(*s->ab));
	s->n = s->suspect = 0;
	s->hist_missing = false;
	for (int i = 0; i < n; i++) {
		const struct vmb_log *log = &logs[i];
		if (unusable(log))
			continue;
		const cJSON *r = host ? vmb_log_host(log, metric + 5) : vmb_log_result(log, metric);
		if (!r)
			continue;
		struct boot_dist *d = &s->d[s->n];
		bool have = use_hist && !host && dist_hist(d, log, r);
		s->hist_missing |= use_hist && !host && !have;
		if (!host && is_suspect(r)) {
			dist_free(d);
			s->suspect++;
			continue;
		}
		bool ok = have;
		if (host)
			ok = cJSON_GetObjectItem(r, stat) && dist_point(d, vmb_num(r, stat, 0));
		else if (!have)
			ok = cJSON_GetObjectItem(r, stat) &&
			     dist_point(d, to_ns(log, r, vmb_num(r, stat, 0)));
		if (!ok) {
			dist_free(d);
			continue;
		}
		s->ab[s->n] = (struct ab_dist){ d->n, d->v, d->w };
		s->n++;
	}
}

static void side_free(struct side_dists *s)
{
	for (unsigned i = 0; i < s->n; i++)
		dist_free(&s->d[i]);
	free(s->d);
	free(s->ab);
}

static double metric_floor(const struct compare_opts *o, const char *metric)
{
	for (unsigned i = 0; i < o->nfloors; i++)
		if (!strcmp(o->floors[i].metric, metric))
			return o->floors[i].floor;
	return o->floor;
}

static cJSON *cdf_points(const struct side_dists *s)
{
	double q[CDF_POINTS], v[CDF_POINTS];

	for (int k = 0; k < CDF_POINTS; k++)
		q[k] = k / (double)(CDF_POINTS - 1);
	ab_pooled_quantiles(s->ab, s->n, q, v, CDF_POINTS);
	return cJSON_CreateDoubleArray(v, CDF_POINTS);
}

static void add_interval(cJSON *row, const char *key, double lo, double hi)
{
	double v[2] = { lo, hi };

	cJSON_AddItemToObject(row, key, cJSON_CreateDoubleArray(v, 2));
}

/* One row: a metric's statistic on both sides, and the verdict. */
static cJSON *metric_row(const struct vmb_log *a, int na, const struct vmb_log *b, int nb,
			 const char *metric, const char *stat, const struct compare_opts *o,
			 bool *counted_slower)
{
	bool host = !strncmp(metric, "host:", 5);
	bool throughput = host && !strcmp(stat, "value");
	bool use_hist = !host;
	struct side_dists sa, sb;
	struct ab_params p;
	struct ab_verdict v;

	/* Histograms only where every boot of both sides has one: one boot's
	 * whole distribution beside another's single figure would weigh them
	 * differently. */
	gather(&sa, a, na, metric, stat, use_hist);
	gather(&sb, b, nb, metric, stat, use_hist);
	if (sa.hist_missing || sb.hist_missing) {
		side_free(&sa);
		side_free(&sb);
		use_hist = false;
		gather(&sa, a, na, metric, stat, false);
		gather(&sb, b, nb, metric, stat, false);
	}
	if (!sa.n || !sb.n) {
		side_free(&sa);
		side_free(&sb);
		return NULL;
	}
	ab_params_default(&p, !strcmp(stat, "p99") ? 0.99 : 0.5);
	p.alpha = o->alpha;
	p.floor = metric_floor(o, metric);
	p.higher_better = throughput;
	p.trim = o->trim;
	ab_compare(sa.ab, sa.n, sb.ab, sb.n, &p, &v);

	cJSON *row = cJSON_CreateObject();
	bool counts = !strcmp(stat, "p50") || throughput || (o->tail && !strcmp(stat, "p99"));
	cJSON_AddStringToObject(row, "metric", metric);
	cJSON_AddStringToObject(row, "stat", stat);
	cJSON_AddStringToObject(row, "unit", throughput ? "bit/s" : "ns");
	cJSON_AddBoolToObject(row, "higher_better", throughput);
	cJSON_AddStringToObject(row, "source",
				use_hist ? "histograms"
				: host	 ? "host client"
					 : "per-boot figures");
	cJSON_AddNumberToObject(row, "na", v.na);
	cJSON_AddNumberToObject(row, "nb", v.nb);
	cJSON_AddNumberToObject(row, "a", v.a);
	add_interval(row, "a_ci", v.a_lo, v.a_hi);
	cJSON_AddNumberToObject(row, "b", v.b);
	add_interval(row, "b_ci", v.b_lo, v.b_hi);
	cJSON_AddNumberToObject(row, "change", v.change);
	add_interval(row, "change_ci", v.change_lo, v.change_hi);
	cJSON_AddNumberToObject(row, "p", v.p);
	cJSON_AddBoolToObject(row, "exact", v.exact);
	cJSON_AddNumberToObject(row, "floor", p.floor);
	cJSON_AddStringToObject(row, "verdict", ab_word_name(v.word));
	cJSON_AddBoolToObject(row, "counts", counts);
	char note[192] = "";
	if (v.word == AB_TOO_FEW)
		snprintf(note, sizeof(note),
			 "%u and %u boots: the test needs %u per side at alpha %g", v.na, v.nb,
			 v.min_boots, o->alpha);
	else if (v.word == AB_UNCHANGED && v.p <= o->alpha)
		snprintf(note, sizeof(note), "significant, but below the %.0f %% floor",
			 p.floor * 100);
	if (sa.suspect || sb.suspect) {
		size_t len = strlen(note);
		snprintf(note + len, sizeof(note) - len,
			 "%s%u and %u figure(s) left out: the counter missed time", len ? "; " : "",
			 sa.suspect, sb.suspect);
	}
	if (note[0])
		cJSON_AddStringToObject(row, "note", note);
	if (!strcmp(stat, "p50") || throughput) {
		cJSON_AddItemToObject(row, "cdf_a", cdf_points(&sa));
		cJSON_AddItemToObject(row, "cdf_b", cdf_points(&sb));
	}
	*counted_slower = counts && v.word == AB_SLOWER;
	side_free(&sa);
	side_free(&sb);
	return row;
}

cJSON *compare_build(const struct vmb_log *a, int na, const struct vmb_log *b, int nb,
		     const struct compare_opts *o)
{
	cJSON *doc = cJSON_CreateObject(), *names = cJSON_CreateArray(), *x;
	cJSON *warnings = cJSON_AddArrayToObject(doc, "warnings");
	unsigned ua, ub, testable = 0;
	char w[256];

	cJSON_AddNumberToObject(doc, "alpha", o->alpha);
	cJSON_AddNumberToObject(doc, "floor", o->floor);
	cJSON_AddBoolToObject(doc, "tail", o->tail);
	cJSON_AddNumberToObject(doc, "trim", o->trim);
	cJSON_AddItemToObject(doc, "a", side_doc(a, na, &ua));
	cJSON_AddItemToObject(doc, "b", side_doc(b, nb, &ub));
	char *why = provenance(doc, a, na, b, nb);
	int status = COMPARE_SAME;

	if (why) {
		cJSON_AddStringToObject(doc, o->force ? "forced" : "refused", why);
		free(why);
		if (!o->force) {
			cJSON_AddNumberToObject(doc, "status", COMPARE_UNTESTABLE);
			cJSON_AddArrayToObject(doc, "metrics");
			cJSON_Delete(names);
			return doc;
		}
	}
	if (!ua || !ub || ab_p_min(ua, ub) > o->alpha) {
		snprintf(w, sizeof(w),
			 "A has %u usable boot(s), B %u: the test needs at least %u per side at "
			 "alpha %g, so no metric can get a verdict",
			 ua, ub, ab_min_boots(o->alpha), o->alpha);
		cJSON_AddItemToArray(warnings, cJSON_CreateString(w));
	}
	metric_names(names, a, na);
	cJSON *metrics = cJSON_AddArrayToObject(doc, "metrics");
	cJSON_ArrayForEach(x, names) {
		const char *m = x->valuestring;
		bool iperf = !strncmp(m, "host:iperf", 10);
		static const char *const stats[] = { "p50", "p99" };
		for (int k = 0; k < (iperf ? 1 : 2); k++) {
			bool slower = false;
			cJSON *row =
				metric_row(a, na, b, nb, m, iperf ? "value" : stats[k], o, &slower);
			if (!row)
				continue;
			if (cJSON_IsTrue(cJSON_GetObjectItem(row, "counts")) &&
			    strcmp(vmb_str(row, "verdict", ""), "not enough data"))
				testable++;
			if (slower) {
				status = COMPARE_SLOWER;
				cJSON *reg = cJSON_GetObjectItem(doc, "regressions");
				if (!reg)
					reg = cJSON_AddArrayToObject(doc, "regressions");
				snprintf(w, sizeof(w), "%s %s", m, vmb_str(row, "stat", ""));
				cJSON_AddItemToArray(reg, cJSON_CreateString(w));
			}
			cJSON_AddItemToArray(metrics, row);
		}
	}
	if (!cJSON_GetArraySize(metrics))
		cJSON_AddItemToArray(warnings, cJSON_CreateString("no metric is in both groups"));
	if (!testable && status == COMPARE_SAME)
		status = COMPARE_UNTESTABLE;
	cJSON_AddNumberToObject(doc, "status", status);
	cJSON_Delete(names);
	return doc;
}

const cJSON *compare_get(const cJSON *o, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(o, key);
}

double compare_item(const cJSON *array, int i)
{
	const cJSON *x = cJSON_GetArrayItem(array, i);

	return cJSON_IsNumber(x) ? x->valuedouble : NAN;
}

int compare_status(const cJSON *doc)
{
	return (int)vmb_num(doc, "status", COMPARE_UNTESTABLE);
}
