/*
 * The A/B verdict's statistics, on their own (no logs, no JSON), so that
 * its false-alarm rate and power can be measured on synthetic data.
 *
 * The unit of replication is the boot: samples of one boot share its
 * cache layout, host placement and calibration, so they are not
 * independent draws, and a test over pooled samples would find every
 * boot-to-boot difference significant. The test therefore permutes
 * boots between the two sides (exact where the partitions are few) and
 * its statistic is the log ratio of the pooled quantiles: each boot's
 * whole distribution (its histogram) counts, with equal weight per boot.
 * Where every boot is a single figure (logs without histograms, a host
 * client's throughput), the median of five figures would hang on one of
 * them: the side's figure is then the geometric mean of its boots'.
 */
#ifndef VMB_ABSTAT_H
#define VMB_ABSTAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One boot's distribution of one figure: values (ns) in increasing order
 * with weights that add up to 1. A boot whose log has no histogram is
 * one value of weight 1 (its p50, or its p99). */
struct ab_dist {
	size_t n;
	const double *v;
	const double *w;
};

enum ab_word { AB_UNCHANGED, AB_SLOWER, AB_FASTER, AB_TOO_FEW };

struct ab_params {
	double q;	    /* the quantile compared, 0.5 or 0.99 */
	double alpha;	    /* significance level of the test */
	double floor;	    /* smallest relative change that counts */
	bool higher_better; /* a throughput: higher is faster */
	unsigned exact_max; /* enumerate all partitions up to this many */
	unsigned perms;	    /* otherwise this many random ones */
	unsigned resamples; /* bootstrap resamples for the intervals */
	uint64_t seed;	    /* the same inputs always give the same figures */
	/* Share of each side's boots left out of its figure, the slowest by
	 * their own figure (0: none). The test stays exact: its statistic
	 * is computed the same way for every partition. For hosts that slow
	 * whole boots now and then (an emulator on a shared machine). */
	double trim;
};

/* The defaults: alpha 0.01, floor 5 %, exact up to 50000 partitions,
 * 20000 random permutations beyond, 2000 bootstrap resamples. */
void ab_params_default(struct ab_params *p, double q);

struct ab_verdict {
	unsigned na, nb;
	double a, b;		       /* pooled quantile of each side (geometric
					* mean of single figures) */
	double a_lo, a_hi, b_lo, b_hi; /* their (1 - alpha) bootstrap intervals */
	double change;		       /* b / a - 1 */
	double change_lo, change_hi;
	double p;	    /* two-sided permutation p-value */
	double p_min;	    /* the smallest p these boot counts can give */
	unsigned min_boots; /* boots per side the test needs at alpha */
	bool exact;	    /* every partition enumerated */
	enum ab_word word;
};

/* Compare B's boots against A's. Needs na, nb >= 1. */
void ab_compare(const struct ab_dist *a, unsigned na, const struct ab_dist *b, unsigned nb,
		const struct ab_params *p, struct ab_verdict *out);

/* The quantile q of boots pooled with equal weight per boot (the
 * smallest value whose cumulative weight reaches q of the whole). */
double ab_pooled_quantile(const struct ab_dist *boots, unsigned n, double q);
/* The same at k quantiles q[0..k) into out, the boots pooled once (a
 * CDF's points). */
void ab_pooled_quantiles(const struct ab_dist *boots, unsigned n, const double *q, double *out,
			 unsigned k);

/* Boots per side the test needs so that perfect separation is
 * significant at alpha (the smallest p-value of an exact two-sided
 * permutation test on k + k boots is 2 / C(2k, k)). */
unsigned ab_min_boots(double alpha);
/* The smallest p-value na + nb boots can give: 2 / C(na + nb, na) for
 * equal sides (the mirror partition ties), else 1 / C(na + nb, na). */
double ab_p_min(unsigned na, unsigned nb);

const char *ab_word_name(enum ab_word w);

#endif
