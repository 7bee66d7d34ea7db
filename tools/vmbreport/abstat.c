/*
 * Permutation test over boots and bootstrap intervals (abstat.h).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "abstat.h"

/* Every value of every boot, in increasing order, with its boot. */
struct pool {
	size_t n;
	double *v, *w;
	unsigned *boot;
	/* Trimming (ab_params.trim): boots by their own figure, fastest
	 * first, and room for the weights left after trimming. */
	double trim;
	unsigned nboots, *order, *ea, *eb;
};

struct item {
	double v, w;
	unsigned boot;
};

static int cmp_item(const void *x, const void *y)
{
	const struct item *a = x, *b = y;

	return (a->v > b->v) - (a->v < b->v);
}

static void pool_free(struct pool *p)
{
	free(p->v);
	free(p->w);
	free(p->boot);
	free(p->order);
	free(p->ea);
	free(p->eb);
}

/* A boot's own quantile q (its weights add up to 1). */
static double boot_quantile(const struct ab_dist *d, double q)
{
	double c = 0;

	for (size_t j = 0; j < d->n; j++)
		if ((c += d->w[j]) >= q - 1e-12)
			return d->v[j];
	return d->n ? d->v[d->n - 1] : 0;
}

static const double *sort_keys;

static int cmp_key(const void *x, const void *y)
{
	double a = sort_keys[*(const unsigned *)x], b = sort_keys[*(const unsigned *)y];

	return (a > b) - (a < b);
}

/* The boots of both sides by their own figure, for trimming. */
static bool pool_order(struct pool *p, const struct ab_dist *a, unsigned na,
		       const struct ab_dist *b, unsigned nb, double q)
{
	unsigned n = na + nb;
	double *key = calloc(n ? n : 1, sizeof(double));

	p->nboots = n;
	p->order = calloc(n ? n : 1, sizeof(unsigned));
	p->ea = calloc(n ? n : 1, sizeof(unsigned));
	p->eb = calloc(n ? n : 1, sizeof(unsigned));
	if (!key || !p->order || !p->ea || !p->eb) {
		free(key);
		return false;
	}
	for (unsigned i = 0; i < n; i++) {
		key[i] = boot_quantile(i < na ? &a[i] : &b[i - na], q);
		p->order[i] = i;
	}
	sort_keys = key;
	qsort(p->order, n, sizeof(unsigned), cmp_key);
	free(key);
	return true;
}

static bool pool_build(struct pool *p, const struct ab_dist *a, unsigned na,
		       const struct ab_dist *b, unsigned nb)
{
	size_t n = 0, k = 0;

	for (unsigned i = 0; i < na; i++)
		n += a[i].n;
	for (unsigned i = 0; i < nb; i++)
		n += b[i].n;
	struct item *it = calloc(n ? n : 1, sizeof(*it));
	*p = (struct pool){ .n = n };
	p->v = calloc(n ? n : 1, sizeof(double));
	p->w = calloc(n ? n : 1, sizeof(double));
	p->boot = calloc(n ? n : 1, sizeof(unsigned));
	if (!it || !p->v || !p->w || !p->boot) {
		free(it);
		pool_free(p);
		return false;
	}
	for (unsigned i = 0; i < na + nb; i++) {
		const struct ab_dist *d = i < na ? &a[i] : &b[i - na];
		for (size_t j = 0; j < d->n; j++)
			it[k++] = (struct item){ d->v[j], d->w[j], i };
	}
	qsort(it, n, sizeof(*it), cmp_item);
	for (size_t j = 0; j < n; j++) {
		p->v[j] = it[j].v;
		p->w[j] = it[j].w;
		p->boot[j] = it[j].boot;
	}
	free(it);
	return true;
}

/* Weights m without the slowest trim share of their boots (as ranked by
 * their own figure), into e. */
static void trimmed(const struct pool *p, const unsigned *m, unsigned *e)
{
	unsigned total = 0, keep;

	for (unsigned i = 0; i < p->nboots; i++)
		total += m[i];
	keep = total - (unsigned)(p->trim * total);
	for (unsigned k = 0; k < p->nboots; k++) {
		unsigned i = p->order[k];
		e[i] = m[i] < keep ? m[i] : keep;
		keep -= e[i];
	}
}

/* Both sides' quantiles in one pass: boot i weighs ma[i] on side A and
 * mb[i] on side B (0 or 1 for a partition, counts for a resample). */
static void pool_quantiles(const struct pool *p, const unsigned *ma, const unsigned *mb,
			   unsigned nboots, double q, double *qa, double *qb)
{
	double ta = 0, tb = 0, ca = 0, cb = 0;
	bool da = false, db = false;

	for (unsigned i = 0; i < nboots; i++) {
		ta += ma[i];
		tb += mb[i];
	}
	ta *= q;
	tb *= q;
	*qa = *qb = 0;
	for (size_t j = 0; j < p->n && !(da && db); j++) {
		unsigned k = p->boot[j];
		if (!da && ma[k]) {
			ca += p->w[j] * ma[k];
			if (ca >= ta - 1e-12) {
				*qa = p->v[j];
				da = true;
			}
		}
		if (!db && mb[k]) {
			cb += p->w[j] * mb[k];
			if (cb >= tb - 1e-12) {
				*qb = p->v[j];
				db = true;
			}
		}
	}
}

/* The test statistic: the log ratio, safe at zero. */
static double log_ratio(double a, double b)
{
	return log((b + 1e-9) / (a + 1e-9));
}

/* Each side's figure under weights ma, mb: pooled quantiles, or where
 * every boot is one figure, geometric means. */
static void side_figures(const struct pool *p, bool points, const unsigned *ma, const unsigned *mb,
			 unsigned nboots, double q, double *fa, double *fb)
{
	double la = 0, lb = 0, na = 0, nb = 0;

	if (p->trim > 0) {
		trimmed(p, ma, p->ea);
		trimmed(p, mb, p->eb);
		ma = p->ea;
		mb = p->eb;
	}
	if (!points) {
		pool_quantiles(p, ma, mb, nboots, q, fa, fb);
		return;
	}
	for (size_t j = 0; j < p->n; j++) {
		double l = log(p->v[j] + 1e-9);
		la += l * ma[p->boot[j]];
		lb += l * mb[p->boot[j]];
		na += ma[p->boot[j]];
		nb += mb[p->boot[j]];
	}
	*fa = na ? exp(la / na) : 0;
	*fb = nb ? exp(lb / nb) : 0;
}

static double choose(unsigned n, unsigned k)
{
	double c = 1;

	for (unsigned i = 1; i <= k; i++)
		c = c * (n - k + i) / i;
	return c;
}

/* splitmix64: reproducible, good enough to shuffle labels. */
static uint64_t next_rand(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static unsigned rand_below(uint64_t *s, unsigned n)
{
	return (unsigned)(next_rand(s) % n);
}

void ab_params_default(struct ab_params *p, double q)
{
	*p = (struct ab_params){
		.q = q,
		.alpha = 0.01,
		.floor = 0.05,
		.exact_max = 50000,
		.perms = 20000,
		.resamples = 2000,
		.seed = 0x766d62656e6368ull,
	};
}

double ab_p_min(unsigned na, unsigned nb)
{
	return (na == nb ? 2 : 1) / choose(na + nb, na);
}

unsigned ab_min_boots(double alpha)
{
	unsigned k = 1;

	while (k < 64 && 2.0 / choose(2 * k, k) > alpha)
		k++;
	return k;
}

const char *ab_word_name(enum ab_word w)
{
	switch (w) {
	case AB_SLOWER:
		return "slower";
	case AB_FASTER:
		return "faster";
	case AB_TOO_FEW:
		return "not enough data";
	case AB_UNCHANGED:
		break;
	}
	return "unchanged";
}

void ab_pooled_quantiles(const struct ab_dist *boots, unsigned n, const double *q, double *out,
			 unsigned k)
{
	struct pool p;
	double unused;
	unsigned *ones = calloc(n ? n : 1, sizeof(unsigned));

	for (unsigned j = 0; j < k; j++)
		out[j] = 0;
	if (!ones || !pool_build(&p, boots, n, NULL, 0)) {
		free(ones);
		return;
	}
	for (unsigned i = 0; i < n; i++)
		ones[i] = 1;
	for (unsigned j = 0; j < k; j++)
		pool_quantiles(&p, ones, ones, n, q[j], &out[j], &unused);
	pool_free(&p);
	free(ones);
}

double ab_pooled_quantile(const struct ab_dist *boots, unsigned n, double q)
{
	double v;

	ab_pooled_quantiles(boots, n, &q, &v, 1);
	return v;
}

/* Two-sided p-value: the share of boot partitions whose statistic is at
 * least as far from zero as the observed one (the observed partition
 * counts). Exact by Gosper's enumeration of na-subsets when they are few. */
static double permutation_p(const struct pool *pl, bool points, unsigned na, unsigned nb,
			    const struct ab_params *p, double t_obs, bool *exact, double *p_min)
{
	unsigned n = na + nb, ma[64], mb[64];
	double total = choose(n, na), hits = 0, tries = 0, qa, qb;
	double bar = fabs(t_obs) * (1 - 1e-9);
	uint64_t seed = p->seed;

	*exact = n < 64 && total <= p->exact_max;
	if (*exact) {
		*p_min = ab_p_min(na, nb);
		uint64_t set = (1ull << na) - 1, limit = 1ull << n;
		while (set < limit) {
			for (unsigned i = 0; i < n; i++) {
				ma[i] = (unsigned)(set >> i) & 1;
				mb[i] = !ma[i];
			}
			side_figures(pl, points, ma, mb, n, p->q, &qa, &qb);
			hits += fabs(log_ratio(qa, qb)) >= bar;
			tries++;
			uint64_t c = set & -set, r = set + c;
			set = (((r ^ set) >> 2) / c) | r;
		}
		return hits / tries;
	}
	/* Random partitions: (1 + hits) / (1 + tries) stays a valid p-value. */
	unsigned *lab = calloc(n, sizeof(unsigned)), *xa = calloc(n, sizeof(unsigned)),
		 *xb = calloc(n, sizeof(unsigned));
	*p_min = 1.0 / (1 + p->perms);
	for (unsigned r = 0; lab && xa && xb && r < p->perms; r++) {
		for (unsigned i = 0; i < n; i++)
			lab[i] = i;
		for (unsigned i = n - 1; i > 0; i--) {
			unsigned j = rand_below(&seed, i + 1), t = lab[i];
			lab[i] = lab[j];
			lab[j] = t;
		}
		for (unsigned i = 0; i < n; i++) {
			xa[lab[i]] = i < na;
			xb[lab[i]] = i >= na;
		}
		side_figures(pl, points, xa, xb, n, p->q, &qa, &qb);
		hits += fabs(log_ratio(qa, qb)) >= bar;
		tries++;
	}
	free(lab);
	free(xa);
	free(xb);
	return (1 + hits) / (1 + tries);
}

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return (a > b) - (a < b);
}

static double at_share(const double *sorted, unsigned n, double share)
{
	unsigned i = (unsigned)(share * (n - 1) + 0.5);

	return sorted[i < n ? i : n - 1];
}

/* Percentile bootstrap: boots drawn with replacement within each side. */
static void bootstrap(const struct pool *pl, bool points, unsigned na, unsigned nb,
		      const struct ab_params *p, struct ab_verdict *v)
{
	unsigned n = na + nb, r = p->resamples;
	unsigned *ma = calloc(n, sizeof(unsigned)), *mb = calloc(n, sizeof(unsigned));
	double *sa = calloc(r ? r : 1, sizeof(double)), *sb = calloc(r ? r : 1, sizeof(double)),
	       *sc = calloc(r ? r : 1, sizeof(double));
	uint64_t seed = p->seed ^ 0x5bd1e995u;

	v->a_lo = v->a_hi = v->a;
	v->b_lo = v->b_hi = v->b;
	v->change_lo = v->change_hi = v->change;
	if (!ma || !mb || !sa || !sb || !sc || !r)
		goto out;
	for (unsigned k = 0; k < r; k++) {
		memset(ma, 0, n * sizeof(unsigned));
		memset(mb, 0, n * sizeof(unsigned));
		for (unsigned i = 0; i < na; i++)
			ma[rand_below(&seed, na)]++;
		for (unsigned i = 0; i < nb; i++)
			mb[na + rand_below(&seed, nb)]++;
		side_figures(pl, points, ma, mb, n, p->q, &sa[k], &sb[k]);
		sc[k] = sa[k] > 0 ? sb[k] / sa[k] - 1 : 0;
	}
	qsort(sa, r, sizeof(double), cmp_double);
	qsort(sb, r, sizeof(double), cmp_double);
	qsort(sc, r, sizeof(double), cmp_double);
	v->a_lo = at_share(sa, r, p->alpha / 2);
	v->a_hi = at_share(sa, r, 1 - p->alpha / 2);
	v->b_lo = at_share(sb, r, p->alpha / 2);
	v->b_hi = at_share(sb, r, 1 - p->alpha / 2);
	v->change_lo = at_share(sc, r, p->alpha / 2);
	v->change_hi = at_share(sc, r, 1 - p->alpha / 2);
out:
	free(ma);
	free(mb);
	free(sa);
	free(sb);
	free(sc);
}

void ab_compare(const struct ab_dist *a, unsigned na, const struct ab_dist *b, unsigned nb,
		const struct ab_params *p, struct ab_verdict *out)
{
	struct pool pl;
	unsigned *ones_a = calloc(na + nb + 1, sizeof(unsigned)),
		 *ones_b = calloc(na + nb + 1, sizeof(unsigned));

	*out = (struct ab_verdict){ .na = na, .nb = nb, .p = 1, .word = AB_TOO_FEW };
	out->min_boots = ab_min_boots(p->alpha);
	bool built = ones_a && ones_b && na && nb && pool_build(&pl, a, na, b, nb);
	if (!built || (p->trim > 0 && !pool_order(&pl, a, na, b, nb, p->q))) {
		if (built)
			pool_free(&pl);
		free(ones_a);
		free(ones_b);
		return;
	}
	pl.trim = p->trim;
	for (unsigned i = 0; i < na + nb; i++) {
		ones_a[i] = i < na;
		ones_b[i] = i >= na;
	}
	bool points = true;
	for (unsigned i = 0; i < na + nb; i++)
		points &= (i < na ? a[i].n : b[i - na].n) == 1;
	side_figures(&pl, points, ones_a, ones_b, na + nb, p->q, &out->a, &out->b);
	out->change = out->a > 0 ? out->b / out->a - 1 : 0;
	out->p = permutation_p(&pl, points, na, nb, p, log_ratio(out->a, out->b), &out->exact,
			       &out->p_min);
	bootstrap(&pl, points, na, nb, p, out);
	pool_free(&pl);
	free(ones_a);
	free(ones_b);

	if (out->p_min > p->alpha)
		out->word = AB_TOO_FEW;
	else if (out->p <= p->alpha && fabs(out->change) >= p->floor)
		out->word = (out->change > 0) != p->higher_better ? AB_SLOWER : AB_FASTER;
	else
		out->word = AB_UNCHANGED;
}
