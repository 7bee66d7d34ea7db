/*
 * Reader of vmbench serial logs: finds "VMB {json}" records anywhere in a
 * line (consoles prefix them), keeps them by type, and notes what is wrong
 * with the log (no end record, malformed lines, counts that disagree).
 */
#ifndef VMB_LOGPARSE_H
#define VMB_LOGPARSE_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "loghist.h"

/* The newest protocol version this reader knows (docs/protocol.md). */
#include <vmb/protocol.h>

#define VMB_LINE_MAX (64 * 1024)
#define VMB_MAX_PROBLEMS 64

struct vmb_log {
	char *name;
	cJSON *boot;	/* first boot record, or NULL */
	cJSON *results; /* arrays of records, in order */
	cJSON *skips;
	cJSON *errors;
	cJSON *infos;
	cJSON *cpus;   /* one per CPU: how it came up, its clock offset */
	cJSON *hosts;  /* "side":"host" records: the host's clients' figures */
	cJSON *setups; /* "t":"setup": how the host set the run up (devices
			* assigned to the guest), written by the host */
	cJSON *hists;  /* "t":"hist" (v4): each result's distribution, whole
			* records only (vmb_log_hist reads them) */
	cJSON *end;    /* end record, or NULL: the log is incomplete */
	cJSON *all;    /* every accepted record, in order */
	char *problems[VMB_MAX_PROBLEMS];
	unsigned nproblems;
	/* Problems that lose or corrupt data (a record that does not parse, a
	 * gap in the sequence numbers, counts that disagree): such a log is
	 * never read as a whole one. */
	unsigned damaged;
	/* Results the image flagged: the counter missed time. */
	unsigned suspect;
	/* Results this reader refuses (a one-way figure longer than its own
	 * round trip): moved from results to skips, with the reason. */
	unsigned refused;
	unsigned long lines;

	/* Sequence numbers (protocol v2): the last one seen and what it was. */
	long long last_seq;
	char last_desc[96];
	/* The result whose hist records may follow, and its parts so far. */
	struct vmb_hist_seq hist_seq;

	/* A record a console wrapped over several lines (Xen splits long
	 * guest lines, repeating its prefix): the text so far and the prefix. */
	char *pending;
	size_t pending_len;
	char pending_prefix[64];
	unsigned pending_lines;

	/* Line assembly across feed() calls. */
	char *line;
	size_t len;
	bool overlong;
};

void vmb_log_init(struct vmb_log *log, const char *name);
/* Feed raw console bytes in chunks of any size. */
void vmb_log_feed(struct vmb_log *log, const char *data, size_t n);
/* Flush a last unterminated line and run the whole-log checks. */
void vmb_log_finish(struct vmb_log *log);
void vmb_log_free(struct vmb_log *log);

bool vmb_log_complete(const struct vmb_log *log);
/* Complete, undamaged, with status ok. */
bool vmb_log_ok(const struct vmb_log *log);

/* Helpers over records. */
const char *vmb_str(const cJSON *obj, const char *key, const char *dflt);
double vmb_num(const cJSON *obj, const char *key, double dflt);
/* The rate of a result's figures, Hz: its own clock (clock_hz), else the
 * boot record's counter; 0 when unknown. */
double result_hz(const struct vmb_log *log, const cJSON *r);
/* A result's value v in ns: on its own clock (clock_hz: cross-CPU and
 * timer figures), else the boot record's counter; -1 when unknown. */
double to_ns(const struct vmb_log *log, const cJSON *r, double v);
/* The result record of one benchmark, or NULL. */
const cJSON *vmb_log_result(const struct vmb_log *log, const char *bench);
/* A host client's figures (sockperf, iperf) for bench, or NULL (also
 * where the client failed: its record says "error"). */
const cJSON *vmb_log_host(const struct vmb_log *log, const char *bench);
/* The value of key in the host's setup records ("io": "assigned"), or
 * NULL when no setup record has it. */
const char *vmb_log_setup(const struct vmb_log *log, const char *key);
/* One fact of the log's provenance (docs/protocol.md: "build", "cpu",
 * "microcode", "fw_vendor", "xen_version", "qemu", "host_kernel"...): the
 * boot record's value of key (a string, or "true"/"false"), else the
 * host setup records'; NULL when neither has it. */
const char *vmb_log_provenance(const struct vmb_log *log, const char *key);
/* The first skip (or error) record of one benchmark, or NULL. */
const cJSON *vmb_log_skip(const struct vmb_log *log, const char *bench);
const cJSON *vmb_log_error(const struct vmb_log *log, const char *bench);

/* A result made of parts timed separately ("parts":"save,restore"): the
 * names in its list, at most max, each cut to VMB_PART_MAX - 1 bytes. */
#define VMB_PART_MAX 24
int vmb_parts(const cJSON *result, char names[][VMB_PART_MAX], int max);
/* One figure of one part ("save", "p50": the "save_p50" field), or dflt
 * when the part is not in the list or the field is missing. */
double vmb_part_num(const cJSON *result, const char *part, const char *stat, double dflt);

/* A result's distribution from its hist records (protocol v4), buckets in
 * increasing index order, merged over the record's parts. */
struct vmb_hist {
	unsigned sub_bits;
	unsigned nb;   /* non-empty buckets */
	unsigned *idx; /* bucket index (kernel/include/vmb/hist.h) */
	unsigned long long *count;
	unsigned long long n; /* sum of counts */
};
/* Fills h for bench; false (h zeroed) when the log has no complete hist for it. */
bool vmb_log_hist(const struct vmb_log *log, const char *bench, struct vmb_hist *h);
void vmb_hist_free(struct vmb_hist *h);

/* The protocol's own words for a boot record's emulation: "true",
 * "false" or (v2) "unknown". */
const char *emulated_word(const cJSON *boot);
/* A result the counter check flagged (its "suspect" member). */
bool is_suspect(const cJSON *result);

#endif
