/* CSV fields (RFC 4180), shared by the report's and the study's CSV. */
#ifndef VMB_REPORT_CSV_H
#define VMB_REPORT_CSV_H

#include <stdbool.h>
#include <stdio.h>

/* A field: quoted always, or only when it must be. */
void csv_field(FILE *out, const char *s, bool always_quote);

#endif
