/*
 * A/B comparison of two groups of logs (docs/compare.md): for every
 * metric both groups measured, each side's p50 and p99 with intervals,
 * the change, and a verdict from a permutation test over boots and an
 * effect floor (abstat.h). Built as one JSON document that every output
 * form prints.
 */
#ifndef VMB_COMPARE_H
#define VMB_COMPARE_H

#include <stdbool.h>
#include <stdio.h>

#include "logparse.h"

#define COMPARE_MAX_FLOORS 32

struct compare_opts {
	double alpha;
	double floor; /* relative, 0.05 for 5 % */
	struct {
		char metric[64];
		double floor;
	} floors[COMPARE_MAX_FLOORS];
	unsigned nfloors;
	bool tail;   /* p99 verdicts decide too, not only p50s */
	double trim; /* share of each side's slowest boots left out (abstat.h) */
	bool force;  /* compare although the hardware differs, marked */
};

/* Exit statuses, as git bisect run reads them. */
enum { COMPARE_SAME = 0, COMPARE_SLOWER = 1, COMPARE_UNTESTABLE = 125 };

void compare_opts_default(struct compare_opts *o);
cJSON *compare_build(const struct vmb_log *a, int na, const struct vmb_log *b, int nb,
		     const struct compare_opts *o);
/* COMPARE_SAME, COMPARE_SLOWER or COMPARE_UNTESTABLE. */
int compare_status(const cJSON *doc);

/* Readers of the document for its forms: a member, and item i of an
 * array of numbers (an interval, a CDF), NAN where there is none. */
const cJSON *compare_get(const cJSON *o, const char *key);
double compare_item(const cJSON *array, int i);

void compare_markdown(FILE *out, const cJSON *doc);
void compare_junit(FILE *out, const cJSON *doc);
/* 0, or -1 when gnuplot drew nothing (said on stderr). */
int compare_html(FILE *out, const cJSON *doc);

/* vmb-report --compare ...: the command line (compare_main.c). */
int compare_main(int argc, char **argv);

#endif
