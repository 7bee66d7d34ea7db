/* The hypercall breakdown: one row per class of CPU state a world switch
 * saves and restores, when the log has any breakdown.* record. */
#ifndef VMB_REPORT_BREAKDOWN_H
#define VMB_REPORT_BREAKDOWN_H

#include <stdio.h>

#include "logparse.h"

void print_breakdown(FILE *out, const struct vmb_log *log);
/* One log's breakdown for the study, or NULL. */
cJSON *breakdown_model(const struct vmb_log *log);

#endif
