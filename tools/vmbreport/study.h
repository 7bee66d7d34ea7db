/*
 * The study: every table of it as one JSON document, built once from the
 * logs (study.c, its cells by study_cell.c); its forms render that
 * document: Markdown (study_md.c), CSV (study_csv.c), a self-contained
 * HTML page with plots (study_html.c).
 */
#ifndef VMB_REPORT_STUDY_H
#define VMB_REPORT_STUDY_H

#include <stdio.h>

#include "logparse.h"

cJSON *study_build(struct vmb_log *logs, int n);
void study_markdown(FILE *out, const cJSON *study);
void study_csv(FILE *out, const cJSON *study);
/* Returns 0, or -1 with the reason on stderr (gnuplot missing or failing). */
int study_html(FILE *out, const cJSON *study);

#endif
