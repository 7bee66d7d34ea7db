/* The report's forms of a run's logs: readable tables, the comparison
 * against native, one JSON document, CSV rows, the records as read. */
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
/* One form of a document into path by fn (0 when written): a form not
 * whole (fn failed, gnuplot drew nothing) is removed, not left half
 * written, and said on stderr; -1 then. */
int write_form(const char *path, const cJSON *doc, int (*fn)(FILE *, const cJSON *));
/* The document as indented JSON: a form for write_form. */
int json_form(FILE *f, const cJSON *doc);

#endif
