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
double to_ns(const struct vmb_log *log, const cJSON *r, double v);
/* The protocol's own words: "true", "false" or (v2) "unknown". */
const char *emulated_word(const cJSON *boot);
bool is_suspect(const cJSON *result);

/* The hypercall breakdown (breakdown.c): one row per class of CPU state a
 * world switch saves and restores, when the log has any breakdown.* record. */
void print_breakdown(FILE *out, const struct vmb_log *log);

/* The study's tables (study.c), in Markdown: Micro Numbers, then the
 * Hypercall Breakdown of each log that has one (breakdown.c). */
void print_micro(FILE *out, struct vmb_log *logs, int n);
bool print_breakdown_md(FILE *out, const struct vmb_log *log);
/* TCP_RR (with its breakdown) and bulk stream throughput (study.c). */
void print_network(FILE *out, struct vmb_log *logs, int n);

#endif
