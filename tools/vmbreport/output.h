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

#endif
