/* A log's provenance as the report shows it: what built and ran the
 * figures (docs/protocol.md: the boot record and the host's setup
 * records), for readers and for tools/compare. */
#ifndef VMB_REPORT_PROVENANCE_H
#define VMB_REPORT_PROVENANCE_H

#include <stdbool.h>
#include <stdio.h>

#include "logparse.h"

/* The provenance keys, grouped as the report prints them; each group's
 * list ends with NULL. A machine group says which machine ran (tools/compare
 * refuses two sides that differ there); the others may be what an A/B
 * comparison compares (the build, the hypervisor, the host's set-up). */
struct provenance_group {
	const char *label;
	bool machine;
	const char *keys[8];
};
extern const struct provenance_group provenance_groups[];
extern const unsigned n_provenance_groups;

/* "provenance:" and one line per group that has any fact. */
void print_provenance(FILE *out, const struct vmb_log *log);
/* Every fact the log has, as one flat object (key: string). */
cJSON *provenance_json(const struct vmb_log *log);

#endif
