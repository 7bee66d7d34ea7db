/*
 * The result protocol (docs/protocol.md): VMB lines plus the readable
 * table, and the run's verdict, which only ever gets worse.
 */
#ifndef VMB_REPORT_H
#define VMB_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vmb/stats.h>

struct platform;
struct boot_info;

/* The sampling loop measured on the reference clock (bench/harness.c). */
struct loop_check {
	const char *ref;     /* the reference clock's name */
	uint64_t span_ns;    /* the loop's wall span on the reference */
	uint64_t wall_op_ns; /* span per operation, loop overhead included */
	unsigned accounted;  /* per mille of the span the samples cover */
	int rate;	     /* counter rate over the loop vs calibrated, per
			      * mille; -1 when the reference is the counter */
	char suspect[192];   /* why the figure is not to be trusted, or "" */
};

/* The most parts a result is made of (struct bench's parts). */
#define RESULT_MAX_PARTS 2

struct bench_result {
	const char *bench;
	const char *unit;
	const char *call;  /* may be NULL */
	const char *clock; /* the clock of the figures when not the boot
			    * record's counter, else NULL */
	uint64_t clock_hz;
	struct stats st;
	uint64_t overhead;
	uint32_t batch;
	uint32_t bytes;		  /* per operation, 0 when it moves none */
	uint32_t bytes_per_frame; /* on the wire, 0 when not known */
	struct loop_check check;
	/* Parts timed separately, each with its own figures; 0 for none. */
	unsigned nparts;
	const char *part_names[RESULT_MAX_PARTS];
	struct stats part_st[RESULT_MAX_PARTS];
	/* The samples the figures came from, sorted (hist records); NULL for none. */
	const uint64_t *sorted;
	size_t nsorted;
};

/* The boot record: the platform, how it booted, and how PCI is reached
 * (its access method's name and the functions found). */
void report_boot(const struct platform *p, const struct boot_info *bi, const char *pci_access,
		 unsigned pci_functions);
/* Whether the boot record is out (records may follow). */
bool report_boot_done(void);
/* One "cpu" record per described CPU, after the boot record. */
void report_cpus(void);
void report_result(const struct bench_result *r);
void report_skip(const char *bench, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void report_error(const char *bench, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void report_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The image waits for the host's clients on these ports (net_serve). */
void report_serve(unsigned sockperf, unsigned iperf, unsigned control, unsigned timeout_s);
/* Prints the end record; returns true when the status is ok. */
int report_end(void);

#endif
