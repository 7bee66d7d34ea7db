/*
 * The study's cells, one place for what every form shows alike: a
 * column's logs and its emulation word, the overhead rules, why a cell is
 * empty, and a cell's text (the Markdown and HTML forms add only their
 * markup around it). Tested on their own (tests/unit/test_study_cell.c).
 */
#ifndef VMB_REPORT_STUDY_CELL_H
#define VMB_REPORT_STUDY_CELL_H

#include <stdbool.h>
#include <stddef.h>

#include "logparse.h"

/* Members of the study's document. */
bool study_flag(const cJSON *o, const char *key);
const cJSON *study_get(const cJSON *o, const char *key);

/* One column: an architecture in one mode (under Xen, one role of the
 * domain: a dom0 figure never stands in a domU's cell), and the logs that give it
 * (indices into the logs, in the order given; the first with a figure
 * is used). */
#define STUDY_COL_LOGS 64
struct study_column {
	const char *arch, *mode;
	const char
		*role; /* Xen: the logs' xen_role ("domU", "dom0", ...), "" in logs without one */
	int logs[STUDY_COL_LOGS];
	int nlogs;
	bool emulated, unknown; /* any of its logs from an emulator / not known */
};

/* "true" when any log of the column is emulated, else "unknown" when any
 * cannot say, else "false". */
const char *study_column_emulated(const struct study_column *c);
/* " (EMULATED)", " (emulated?)" or "" for an "emulated" word. */
const char *study_emulated_mark(const char *word);

/* The study's overhead: virtual over native time, native over virtual
 * throughput; -1 where either figure is missing (<= 0). A micro row's
 * native figure must also be trustworthy: pass -1 when it is suspect. */
double study_overhead_time(double virt_ns, double native_ns);
double study_overhead_throughput(double virt_bit_s, double native_bit_s);

/* Why a column has no figure for bench: a skip's reason, an error, or
 * not run. */
void study_why_not(char *buf, size_t len, struct vmb_log *logs, const struct study_column *c,
		   const char *bench);
/* The same for a network row: the image's skip or error, a figure the
 * counter could not be trusted for, a host client's failure (host), or
 * the image's missing network for a host client. */
void study_net_why(char *buf, size_t len, struct vmb_log *logs, const struct study_column *c,
		   const char *bench, bool host);

/* ns as the tables print them: "812 ns", "12.3 µs", "1.23 ms". */
void study_ns_text(char *buf, size_t len, double ns);

/* A filled cell's text. kind: "micro", or a network row's "rate",
 * "time", "throughput". */
struct study_cell_text {
	char value[64];	     /* "12.3 µs", "2345/s", "0.941 Gbit/s", "812 cycles (rate unknown)" */
	char cycles[32];     /* micro: "1234 cycles", or "" */
	char overhead[24];   /* "×1.3" (micro), "×1.27" (network), or "" */
	char lo[24], hi[24]; /* micro: the spread p1 (or min) to p99, or "" */
};
void study_cell_text(struct study_cell_text *t, const cJSON *cell, const char *kind);

#endif
