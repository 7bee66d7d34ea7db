#ifndef VMB_REPORT_OUTPUT_H
#define VMB_REPORT_OUTPUT_H

#include <stdio.h>

#include "logparse.h"

void print_table(FILE *out, struct vmb_log *logs, int n);
void print_comparison(FILE *out, struct vmb_log *logs, int n);
void print_json(FILE *out, struct vmb_log *logs, int n);
void print_csv(FILE *out, struct vmb_log *logs, int n);
/* The records as read, one "VMB {json}" line each: for scripts. */
void print_records(FILE *out, const struct vmb_log *log);
/* "arm64/kvm" or the file name when the boot record is missing. */
void log_label(const struct vmb_log *log, char *buf, size_t len);

/* Shared by the forms (output.c). */
/* ns per operation from a result's value, or -1 when the rate is unknown. */
/* A CSV field (RFC 4180): quoted always, or only when it must be. */
void csv_field(FILE *out, const char *s, bool always_quote);
/* The protocol's own words: "true", "false" or (v2) "unknown". */
const char *emulated_word(const cJSON *boot);
bool is_suspect(const cJSON *result);

/* The hypercall breakdown (breakdown.c): one row per class of CPU state a
 * world switch saves and restores, when the log has any breakdown.* record. */
void print_breakdown(FILE *out, const struct vmb_log *log);

/* The study (study.c): every table of it as one JSON document, built
 * once from the logs; its forms render that document: Markdown
 * (study_md.c), CSV (study_csv.c), a self-contained HTML page with plots
 * (study_html.c). */
cJSON *study_build(struct vmb_log *logs, int n);
void study_markdown(FILE *out, const cJSON *study);
void study_csv(FILE *out, const cJSON *study);
/* Returns 0, or -1 with the reason on stderr (gnuplot missing or failing). */
int study_html(FILE *out, const cJSON *study);
/* One log's hypercall breakdown for the study, or NULL (breakdown.c). */
cJSON *breakdown_model(const struct vmb_log *log);

/* Shared by the study's forms (study_md.c). */
bool study_flag(const cJSON *o, const char *key);
const cJSON *study_get(const cJSON *o, const char *key);
void study_ns_text(char *buf, size_t len, double ns);
/* " (EMULATED)", " (emulated?)" or "" for an "emulated" word. */
const char *study_emulated_mark(const char *word);

#endif
