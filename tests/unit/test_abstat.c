/*
 * The A/B verdict measured on synthetic boots drawn from known
 * distributions: its false-alarm rate when nothing changed must stay at
 * or below alpha, and it must find a 10 % shift with 5 boots per side at
 * the boot-to-boot noise QEMU shows on these machines.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "abstat.h"
#include "check.h"
#include "rng.h"

#define SAMPLES 100
#define MAX_BOOTS 12
/* A busy host slowed whole boots by this much in ABBA runs here. */
#define BURST 1.6
/* In make test's own ABBA run (tests/boot/abtest.sh, 16 boots of one
 * image, 2026-12-07), 6 of 16 boots ran 1.4 to 2.0 times slower than the
 * other ten, whose p50s were within 2 % of each other (hypercall: ten
 * boots 18165 to 19740 cycles, six 27405 to 38556): the host's other
 * work slows a whole TCG guest now and then. */
#define SLOW_BOOT_SHARE 0.375
#define SLOW_BOOT_MIN 1.4
#define SLOW_BOOT_MAX 2.0

/* Boot-to-boot spread of a benchmark's p50 under QEMU TCG, as a
 * relative standard deviation; measured in ABBA runs of one image on
 * this machine (docs/compare.md). */
#define QEMU_BOOT_SD 0.02

static uint64_t rng = 42;

static double uniform(void)
{
	return rng_uniform(&rng);
}

static double gauss(void)
{
	return sqrt(-2 * log(uniform())) * cos(2 * M_PI * uniform());
}

enum shape { LOGNORMAL, BIMODAL, HEAVY, SHAPES };
static const char *const shape_names[] = { "lognormal", "bimodal", "heavy-tailed" };

/* One sample: around 1000 ns, in the given shape. */
static double draw(enum shape s)
{
	double v = 1000 * exp(0.05 * gauss());

	switch (s) {
	case BIMODAL: /* a slow path taken 30 % of the time */
		return uniform() < 0.3 ? v * 1.6 : v;
	case HEAVY: /* 5 % of samples in a Pareto tail (index 1.5) */
		return uniform() < 0.05 ? v * pow(uniform(), -1 / 1.5) * 2 : v;
	default:
		return v;
	}
}

struct boot {
	double v[SAMPLES], w[SAMPLES];
};

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return (a > b) - (a < b);
}

/* A boot: its own offset (the boot-to-boot noise) times the shape. */
static void make_boot(struct boot *b, struct ab_dist *d, enum shape s, double shift, double boot_sd)
{
	double f = (1 + shift) * exp(boot_sd * gauss());

	for (int i = 0; i < SAMPLES; i++) {
		b->v[i] = draw(s) * f;
		b->w[i] = 1.0 / SAMPLES;
	}
	qsort(b->v, SAMPLES, sizeof(double), cmp_double);
	*d = (struct ab_dist){ SAMPLES, b->v, b->w };
}

static struct boot boots[2][MAX_BOOTS];
static struct ab_dist dists[2][MAX_BOOTS];

static enum ab_word trial(enum shape s, double shift, unsigned n, const struct ab_params *p,
			  double *pval)
{
	struct ab_verdict v;

	for (unsigned i = 0; i < n; i++) {
		make_boot(&boots[0][i], &dists[0][i], s, 0, QEMU_BOOT_SD);
		make_boot(&boots[1][i], &dists[1][i], s, shift, QEMU_BOOT_SD);
	}
	ab_compare(dists[0], n, dists[1], n, p, &v);
	*pval = v.p;
	return v.word;
}

static void test_basics(void)
{
	double v[] = { 1, 2, 3, 4 }, w[] = { 0.25, 0.25, 0.25, 0.25 };
	double v2[] = { 10 }, w2[] = { 1 };
	struct ab_dist d[2] = { { 4, v, w }, { 1, v2, w2 } };

	CHECK_EQ_U(ab_min_boots(0.01), 5);
	CHECK_EQ_U(ab_min_boots(0.05), 4);
	CHECK(ab_pooled_quantile(d, 1, 0.5) == 2);
	CHECK(ab_pooled_quantile(d, 1, 0.99) == 4);
	/* each boot weighs the same whatever its sample count */
	CHECK(ab_pooled_quantile(d, 2, 0.5) == 4);
	CHECK(ab_pooled_quantile(d, 2, 0.51) == 10);
}

static void test_too_few(void)
{
	struct ab_params p;
	struct ab_verdict v;

	ab_params_default(&p, 0.5);
	for (unsigned i = 0; i < 4; i++) {
		make_boot(&boots[0][i], &dists[0][i], LOGNORMAL, 0, 0);
		make_boot(&boots[1][i], &dists[1][i], LOGNORMAL, 1.0, 0);
	}
	/* doubled, yet 4 + 4 boots cannot reach p <= 0.01 */
	ab_compare(dists[0], 4, dists[1], 4, &p, &v);
	CHECK(v.word == AB_TOO_FEW);
	CHECK(v.change > 0.9 && v.change < 1.1);
	ab_compare(dists[0], 4, dists[1], 4, &p, &v);
	make_boot(&boots[0][4], &dists[0][4], LOGNORMAL, 0, 0);
	make_boot(&boots[1][4], &dists[1][4], LOGNORMAL, 1.0, 0);
	ab_compare(dists[0], 5, dists[1], 5, &p, &v);
	CHECK(v.word == AB_SLOWER);
	CHECK(v.exact && v.p < 0.01);
	CHECK(v.a_lo <= v.a && v.a <= v.a_hi && v.b_lo <= v.b && v.b <= v.b_hi);
	CHECK(v.change_lo > 0.5);
	/* a throughput that doubled is faster */
	p.higher_better = true;
	ab_compare(dists[0], 5, dists[1], 5, &p, &v);
	CHECK(v.word == AB_FASTER);
	/* a change below the floor is no verdict, however significant */
	p.higher_better = false;
	for (unsigned i = 0; i < 5; i++)
		make_boot(&boots[1][i], &dists[1][i], LOGNORMAL, 0.02, 0.001);
	for (unsigned i = 0; i < 5; i++)
		make_boot(&boots[0][i], &dists[0][i], LOGNORMAL, 0, 0.001);
	ab_compare(dists[0], 5, dists[1], 5, &p, &v);
	CHECK(v.p < 0.01);
	CHECK(v.word == AB_UNCHANGED);
}

/* Random partitions beyond exact enumeration give a valid p too. */
static void test_random_partitions(void)
{
	struct ab_params p;
	struct ab_verdict v;

	ab_params_default(&p, 0.5);
	p.exact_max = 10;
	p.perms = 2000;
	for (unsigned i = 0; i < 6; i++) {
		make_boot(&boots[0][i], &dists[0][i], BIMODAL, 0, QEMU_BOOT_SD);
		make_boot(&boots[1][i], &dists[1][i], BIMODAL, 0.3, QEMU_BOOT_SD);
	}
	ab_compare(dists[0], 6, dists[1], 6, &p, &v);
	CHECK(!v.exact);
	CHECK(v.word == AB_SLOWER);
	CHECK(v.p < 0.01 && v.p >= 1.0 / 2001);
}

/* One boot slowed by a busy host, on either side: at 8 + 8 boots (what
 * tests/boot/abtest.sh runs) it must neither hide a 10 % shift nor make
 * a verdict where nothing changed. */
static void test_burst(void)
{
	const unsigned n = 8, trials = 100;
	unsigned found = 0, alarms = 0;
	struct ab_params p;
	struct ab_verdict v;

	ab_params_default(&p, 0.5);
	p.resamples = 0;
	p.exact_max = 0; /* 12870 partitions per trial: random ones are enough here */
	p.perms = 2000;
	for (unsigned t = 0; t < 2 * trials; t++) {
		double shift = t < trials ? 0.10 : 0;
		for (unsigned i = 0; i < n; i++) {
			make_boot(&boots[0][i], &dists[0][i], LOGNORMAL, 0, QEMU_BOOT_SD);
			make_boot(&boots[1][i], &dists[1][i], LOGNORMAL, shift, QEMU_BOOT_SD);
		}
		/* the burst: A's first boot when B is slower, else B's */
		struct boot *slow = &boots[t < trials ? 0 : 1][t % n];
		for (unsigned k = 0; k < SAMPLES; k++)
			slow->v[k] *= BURST;
		ab_compare(dists[0], n, dists[1], n, &p, &v);
		if (t < trials)
			found += v.word == AB_SLOWER;
		else
			alarms += v.word != AB_UNCHANGED;
	}
	printf("abstat: one boot %.0f %% slower (a busy host), 8+8 boots: a 10 %% shift found in "
	       "%u of %u, a verdict where nothing changed in %u of %u\n",
	       (BURST - 1) * 100, found, trials, alarms, trials);
	CHECK(found >= trials * 9 / 10);
	CHECK(alarms <= trials / 100);
}

/* This machine's QEMU noise as measured: most boots within 2 %, some
 * slowed as a whole. How many boots a side find a 10 % shift, with and
 * without trimming the slowest half, and how often a verdict comes where
 * nothing changed. A test over boots cannot see through such noise with
 * few boots: only the fast ones carry the shift, and 3 fast boots a side
 * give no p-value below 2 / C(6, 3) = 0.1 however far apart they are. */
static void test_machine_noise(void)
{
	const unsigned trials = 200, sizes[] = { 5, 8, 12 };
	struct ab_params p;
	struct ab_verdict v;

	ab_params_default(&p, 0.5);
	p.resamples = 0;
	p.exact_max = 0;
	p.perms = 1000;
	for (unsigned k = 0; k < 2 * sizeof(sizes) / sizeof(sizes[0]); k++) {
		unsigned n = sizes[k % 3], found = 0, alarms = 0;
		p.trim = k < 3 ? 0 : 0.5;
		for (unsigned t = 0; t < 2 * trials; t++) {
			double shift = t < trials ? 0.10 : 0;
			for (unsigned s = 0; s < 2; s++)
				for (unsigned i = 0; i < n; i++) {
					make_boot(&boots[s][i], &dists[s][i], LOGNORMAL,
						  s ? shift : 0, QEMU_BOOT_SD);
					if (uniform() < SLOW_BOOT_SHARE) {
						double f =
							SLOW_BOOT_MIN +
							(SLOW_BOOT_MAX - SLOW_BOOT_MIN) * uniform();
						for (unsigned j = 0; j < SAMPLES; j++)
							boots[s][i].v[j] *= f;
					}
				}
			ab_compare(dists[0], n, dists[1], n, &p, &v);
			if (t < trials)
				found += v.word == AB_SLOWER;
			else
				alarms += v.word != AB_UNCHANGED;
		}
		printf("abstat: this machine's QEMU noise (%.1f %% of boots 1.4-2x slower), %u+%u "
		       "boots, trim %.0f %%: a 10 %% shift found in %u of %u, a verdict where "
		       "nothing changed in %u of %u\n",
		       SLOW_BOOT_SHARE * 100, n, n, p.trim * 100, found, trials, alarms, trials);
		/* at most alpha, within three standard errors of 200 trials */
		CHECK(alarms <= trials * (p.alpha + 3 * sqrt(p.alpha / trials)));
		/* more boots, more found; half the boots trimmed find more at 12 */
		if (k == 5)
			CHECK(found >= trials / 4);
	}
}

static void test_rates(void)
{
	const unsigned n = 5, power_trials = 300;
	struct ab_params p;
	double pv;

	for (enum shape s = 0; s < SHAPES; s++) {
		for (int k = 0; k < 2; k++) {
			double q = k ? 0.99 : 0.5;
			/* the p50 is the verdict's figure: more trials there */
			unsigned sig = 0, alarms = 0, found = 0, trials = k ? 1000 : 3000;
			ab_params_default(&p, q);
			p.resamples = 0; /* the intervals play no part in the verdict */
			for (unsigned t = 0; t < trials; t++) {
				enum ab_word w = trial(s, 0, n, &p, &pv);
				sig += pv <= p.alpha;
				alarms += w != AB_UNCHANGED;
			}
			for (unsigned t = 0; t < power_trials; t++)
				found += trial(s, 0.10, n, &p, &pv) == AB_SLOWER;
			printf("abstat: %-12s p%-2.0f: unchanged vs unchanged, %u+%u boots: p <= "
			       "%.2f in %.2f %% of %u trials, a verdict in %.2f %%; a 10 %% shift "
			       "found in %.1f %% of %u\n",
			       shape_names[s], q * 100, n, n, p.alpha, 100.0 * sig / trials, trials,
			       100.0 * alarms / trials, 100.0 * found / power_trials, power_trials);
			/* What users see: a verdict where nothing changed, at most
			 * alpha of the time. The test alone (no floor) has size
			 * 2/252 = 0.79 % at 5 + 5 boots: within three standard
			 * errors of alpha. */
			CHECK(alarms <= p.alpha * trials);
			CHECK(sig <= trials * (p.alpha + 3 * sqrt(p.alpha / trials)));
			CHECK(alarms <= sig);
			if (q == 0.5)
				CHECK(found >= power_trials * 9 / 10);
		}
	}
}

int main(void)
{
	test_basics();
	test_too_few();
	test_random_partitions();
	test_burst();
	test_machine_noise();
	test_rates();
	printf("%d passed, %d failed\n", check_passed, check_failed);
	return check_failed != 0;
}
