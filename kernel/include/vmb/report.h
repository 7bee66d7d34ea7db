/*
 * The result protocol (docs/protocol.md): VMB lines plus the readable
 * table, and the run's verdict, which only ever gets worse.
 */
#ifndef VMB_REPORT_H
#define VMB_REPORT_H

#include <stdint.h>

#include <vmb/stats.h>

struct platform;
struct boot_info;

struct bench_result {
	const char *bench;
	const char *unit;
	const char *call; /* may be NULL */
	struct stats st;
	uint64_t overhead;
	uint32_t batch;
};

void report_boot(const struct platform *p, const struct boot_info *bi);
void report_result(const struct bench_result *r);
void report_skip(const char *bench, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void report_error(const char *bench, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void report_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints the end record; returns true when the status is ok. */
int report_end(void);
unsigned report_errors(void);

#endif
