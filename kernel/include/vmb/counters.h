/*
 * The counters a benchmark can be timed with, and their names: one table
 * (kernel/counters.c) for the counter= option, the boot record and the
 * messages. Plain C, tested on the host.
 */
#ifndef VMB_COUNTERS_H
#define VMB_COUNTERS_H

#include <stdbool.h>
#include <stddef.h>

enum counter_kind {
	COUNTER_AUTO = 0, /* counter=auto: the platform chooses by mode */
	COUNTER_TSC,
	COUNTER_PMCCNTR,
	COUNTER_CNTVCT,
};

/* "tsc", "pmccntr", "cntvct"; "none" for COUNTER_AUTO or anything else. */
const char *counter_name(enum counter_kind kind);
/* "cycles", or "ticks" for the architected counter. */
const char *counter_unit(enum counter_kind kind);
/* A counter= value ("auto" included): false when it names none. */
bool counter_by_name(const char *name, enum counter_kind *kind);
/* Every counter= value, as "auto, tsc, pmccntr or cntvct". */
const char *counter_choices(void);

#endif
