/*
 * The study's tables from any set of logs (issue: "the study in one
 * command"), in Markdown. Micro Numbers: one row per operation the study
 * measured, one
 * column per architecture and mode found in the logs, in Markdown. A cell
 * is the operation's p50 in ns with its spread (min to p99), in cycles of
 * the CPU clock where a log of that architecture has a cycle counter, and
 * its overhead against native where the same operation was measured
 * natively on the same architecture. Where several logs give a column the
 * same operation, the first one given is used. TCP_RR and the bulk
 * stream tables: the same columns, with request/response rates, their
 * breakdown, and throughput, from the image's own figures and from the
 * host's clients (sockperf, iperf) where the run had them.
 */
#include <stdlib.h>
#include <string.h>

#include "output.h"

static const struct {
	const char *bench, *label;
} micro_rows[] = {
	{ "hypercall", "Hypercall" },  { "irqchip_trap", "Interrupt controller trap" },
	{ "virt_ipi", "Virtual IPI" }, { "eoi_ack", "Virtual EOI+ACK" },
	{ "vm_switch", "VM switch" },  { "io_out", "I/O latency out" },
	{ "io_in", "I/O latency in" },
};
#define NROWS (sizeof(micro_rows) / sizeof(micro_rows[0]))

static const char *const arches[] = { "arm64", "x86_64" };
static const char *const modes[] = { "native", "kvm", "xen" };
#define MAX_COLS 6

struct column {
	const char *arch, *mode;
	int logs[64]; /* indices into the logs, in the order given */
	int nlogs;
	bool emulated, unknown;
};

static const char *mode_label(const char *mode)
{
	return !strcmp(mode, "kvm") ? "KVM" : !strcmp(mode, "xen") ? "Xen" : "native";
}

static int columns(struct vmb_log *logs, int n, struct column *cols)
{
	int ncols = 0;

	for (size_t a = 0; a < sizeof(arches) / sizeof(arches[0]); a++)
		for (size_t m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
			struct column *c = &cols[ncols];
			memset(c, 0, sizeof(*c));
			c->arch = arches[a];
			c->mode = modes[m];
			for (int i = 0; i < n && c->nlogs < 64; i++) {
				const cJSON *b = logs[i].boot;
				if (!b || strcmp(vmb_str(b, "arch", ""), c->arch) ||
				    strcmp(vmb_str(b, "mode", ""), c->mode))
					continue;
				c->logs[c->nlogs++] = i;
				c->emulated |= !strcmp(emulated_word(b), "true");
				c->unknown |= !strcmp(emulated_word(b), "unknown");
			}
			if (c->nlogs)
				ncols++;
		}
	return ncols;
}

/* The column's figure for bench: the first log that has it. */
static const cJSON *pick(struct vmb_log *logs, const struct column *c, const char *bench, int *from)
{
	for (int k = 0; k < c->nlogs; k++) {
		const cJSON *r = vmb_log_result(&logs[c->logs[k]], bench);
		if (r) {
			*from = c->logs[k];
			return r;
		}
	}
	return NULL;
}

/* Why a column has no figure for bench: a skip's reason, or not run. */
static void why_not(char *buf, size_t len, struct vmb_log *logs, const struct column *c,
		    const char *bench)
{
	for (int k = 0; k < c->nlogs; k++) {
		const cJSON *s;
		cJSON_ArrayForEach(s, logs[c->logs[k]].skips) {
			if (strcmp(vmb_str(s, "bench", ""), bench))
				continue;
			const char *why = vmb_str(s, "reason", "?");
			snprintf(buf, len, "skipped: %.80s%s", why, strlen(why) > 80 ? "…" : "");
			for (char *p = buf; *p; p++)
				if (*p == '|')
					*p = '/'; /* a Markdown cell ends at '|' */
			return;
		}
	}
	snprintf(buf, len, "not in these logs");
}

/* The CPU clock of an architecture: the rate of a cycle counter (TSC,
 * PMCCNTR) one of its logs used, natively first. */
static double cpu_hz(struct vmb_log *logs, int n, const char *arch, int *from)
{
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < n; i++) {
			const cJSON *b = logs[i].boot;
			const char *ctr = b ? vmb_str(b, "counter", "") : "";
			if (!b || strcmp(vmb_str(b, "arch", ""), arch) ||
			    (!pass && strcmp(vmb_str(b, "mode", ""), "native")) ||
			    (strcmp(ctr, "tsc") && strcmp(ctr, "pmccntr")) ||
			    vmb_num(b, "counter_hz", 0) <= 0)
				continue;
			*from = i;
			return vmb_num(b, "counter_hz", 0);
		}
	return 0;
}

static void ns_text(char *buf, size_t len, double ns)
{
	if (ns >= 1e6)
		snprintf(buf, len, "%.2f ms", ns / 1e6);
	else if (ns >= 1e4)
		snprintf(buf, len, "%.1f µs", ns / 1e3);
	else
		snprintf(buf, len, "%.0f ns", ns);
}

/* The header row: the first column's title, then one per column, each
 * saying whether its figures came from an emulator. */
static void table_head(FILE *out, const char *first, const struct column *cols, int ncols)
{
	fprintf(out, "|%s%s |", *first ? " " : "", first);
	for (int c = 0; c < ncols; c++)
		fprintf(out, " %s %s%s |", cols[c].arch, mode_label(cols[c].mode),
			cols[c].emulated  ? " (EMULATED)"
			: cols[c].unknown ? " (emulated?)"
					  : "");
	fprintf(out, "\n|---|");
	for (int c = 0; c < ncols; c++)
		fprintf(out, "---|");
	fprintf(out, "\n");
}

/* The native column of column c's architecture, other than c itself. */
static const struct column *native_of_col(const struct column *cols, int ncols, int c)
{
	for (int k = 0; k < ncols; k++)
		if (k != c && !strcmp(cols[k].arch, cols[c].arch) &&
		    !strcmp(cols[k].mode, "native"))
			return &cols[k];
	return NULL;
}

void print_micro(FILE *out, struct vmb_log *logs, int n)
{
	struct column cols[MAX_COLS];
	int ncols = columns(logs, n, cols);
	double hz[MAX_COLS];
	int hz_from[MAX_COLS];
	bool any_emulated = false, any_damaged = false, any_suspect = false;

	fprintf(out, "## Micro Numbers\n\n");
	if (!ncols) {
		fprintf(out, "No log with a boot record of a known architecture and mode.\n\n");
		return;
	}
	fprintf(out, "p50 per operation, [min–p99] beneath it; cycles of the CPU clock; "
		     "×: against native on the same architecture.\n\n");
	table_head(out, "operation", cols, ncols);
	for (int c = 0; c < ncols; c++) {
		any_emulated |= cols[c].emulated || cols[c].unknown;
		hz[c] = cpu_hz(logs, n, cols[c].arch, &hz_from[c]);
	}

	for (size_t row = 0; row < NROWS; row++) {
		const char *bench = micro_rows[row].bench;
		fprintf(out, "| %s |", micro_rows[row].label);
		for (int c = 0; c < ncols; c++) {
			int from = -1, nat_from = -1;
			const cJSON *r = pick(logs, &cols[c], bench, &from);
			if (!r) {
				char why[128];
				why_not(why, sizeof(why), logs, &cols[c], bench);
				fprintf(out, " — (%s) |", why);
				continue;
			}
			double p50 = to_ns(&logs[from], r, vmb_num(r, "p50", 0));
			double lo = to_ns(&logs[from], r, vmb_num(r, "min", 0));
			double hi = to_ns(&logs[from], r, vmb_num(r, "p99", 0));
			if (p50 < 0) {
				fprintf(out, " %.0f %s (rate unknown) |", vmb_num(r, "p50", 0),
					vmb_str(r, "unit", ""));
				continue;
			}
			char a[24], b[24], m[24];
			ns_text(a, sizeof(a), p50);
			ns_text(b, sizeof(b), lo);
			ns_text(m, sizeof(m), hi);
			fprintf(out, " **%s**", a);
			if (hz[c] > 0)
				fprintf(out, " %.0f cycles", p50 * hz[c] / 1e9);
			/* the overhead only where native measured the same */
			const struct column *nat = native_of_col(cols, ncols, c);
			const cJSON *base = nat ? pick(logs, nat, bench, &nat_from) : NULL;
			double base_ns =
				base ? to_ns(&logs[nat_from], base, vmb_num(base, "p50", 0)) : -1;
			if (base_ns > 0 && !is_suspect(base))
				fprintf(out, " ×%.1f", p50 / base_ns);
			fprintf(out, "<br>[%s–%s]", b, m);
			if (is_suspect(r)) {
				fprintf(out, " !");
				any_suspect = true;
			}
			if (logs[from].damaged) {
				fprintf(out, " #");
				any_damaged = true;
			}
			fprintf(out, " |");
		}
		fprintf(out, "\n");
	}
	fprintf(out, "\n");
	for (int c = 0; c < ncols; c++)
		if (hz[c] > 0 && (c == 0 || strcmp(cols[c - 1].arch, cols[c].arch)))
			fprintf(out, "- %s cycles: at %.0f MHz, the rate of %s's %s.\n",
				cols[c].arch, hz[c] / 1e6, logs[hz_from[c]].name,
				vmb_str(logs[hz_from[c]].boot, "counter", "?"));
	if (any_emulated)
		fprintf(out, "- EMULATED columns ran under an emulator (or could not tell): "
			     "their figures are not hardware figures.\n");
	if (any_suspect)
		fprintf(out, "- ! NOT TRUSTWORTHY: the counter missed time the operation took.\n");
	if (any_damaged)
		fprintf(out, "- # from a DAMAGED log: records were lost or changed on the way.\n");
	fprintf(out, "\n");
}

/* A row of the network tables: an image result or a host client's. */
enum net_kind { RATE, TIME, THROUGHPUT };
struct net_row {
	const char *label, *bench;
	bool host;
	enum net_kind kind;
};

static const cJSON *host_record(const struct vmb_log *log, const char *bench)
{
	const cJSON *r;

	cJSON_ArrayForEach(r, log->hosts)
		if (!strcmp(vmb_str(r, "bench", ""), bench) && !vmb_str(r, "error", NULL))
			return r;
	return NULL;
}

/* The row's figure in a column: ns per operation (RATE, TIME) or bit/s
 * (THROUGHPUT); -1 when no log of the column has it. */
static double net_value(struct vmb_log *logs, const struct column *c, const struct net_row *row,
			int *from)
{
	for (int k = 0; k < c->nlogs; k++) {
		struct vmb_log *log = &logs[c->logs[k]];
		*from = c->logs[k];
		if (row->host) {
			const cJSON *r = host_record(log, row->bench);
			if (!r)
				continue;
			return row->kind == THROUGHPUT ? vmb_num(r, "value", -1)
						       : vmb_num(r, "p50", -1);
		}
		const cJSON *r = vmb_log_result(log, row->bench);
		if (!r || is_suspect(r))
			continue;
		double ns = to_ns(log, r, vmb_num(r, "p50", 0));
		if (ns <= 0)
			continue;
		if (row->kind != THROUGHPUT)
			return ns;
		double bytes = vmb_num(r, "bytes", 0);
		return bytes > 0 ? bytes * 8 * 1e9 / ns : -1;
	}
	return -1;
}

static void net_table(FILE *out, struct vmb_log *logs, const struct column *cols, int ncols,
		      const struct net_row *rows, size_t nrows)
{
	table_head(out, "", cols, ncols);
	for (size_t i = 0; i < nrows; i++) {
		fprintf(out, "| %s |", rows[i].label);
		for (int c = 0; c < ncols; c++) {
			int from = -1, nat_from = -1;
			double v = net_value(logs, &cols[c], &rows[i], &from);
			if (v < 0) {
				fprintf(out, " — |");
				continue;
			}
			char t[24];
			if (rows[i].kind == RATE)
				fprintf(out, " %.0f/s", 1e9 / v);
			else if (rows[i].kind == TIME) {
				ns_text(t, sizeof(t), v);
				fprintf(out, " %s", t);
			} else
				fprintf(out, " %.3f Gbit/s", v / 1e9);
			const struct column *nat = native_of_col(cols, ncols, c);
			double base = nat ? net_value(logs, nat, &rows[i], &nat_from) : -1;
			/* overhead as the study gives it: virtual over native time */
			if (base > 0)
				fprintf(out, " ×%.2f",
					rows[i].kind == THROUGHPUT ? base / v : v / base);
			fprintf(out, "%s |", logs[from].damaged ? " #" : "");
		}
		fprintf(out, "\n");
	}
	fprintf(out, "\n");
}

void print_network(FILE *out, struct vmb_log *logs, int n)
{
	static const struct net_row rr[] = {
		{ "TCP_RR, the image to the host's echo (trans/s)", "net_rr", false, RATE },
		{ "time per transaction", "net_rr", false, TIME },
		{ "UDP_RR, the image to the host's echo (trans/s)", "net_rr.udp", false, RATE },
		{ "TCP_RR, the host's sockperf to the image (trans/s)", "sockperf.tcp", true,
		  RATE },
		{ "UDP_RR, the host's sockperf to the image (trans/s)", "sockperf.udp", true,
		  RATE },
		{ "breakdown: host to guest (request in)", "io_rr.in", false, TIME },
		{ "breakdown: in the guest", "io_rr.guest", false, TIME },
		{ "breakdown: guest to host (response out)", "io_rr.out", false, TIME },
	};
	static const struct net_row bulk[] = {
		{ "TCP stream, the image sends (net_stream_tx)", "net_stream_tx", false,
		  THROUGHPUT },
		{ "TCP stream, the image receives (net_stream_rx)", "net_stream_rx", false,
		  THROUGHPUT },
		{ "iperf, the host sends to the image", "iperf.stream", true, THROUGHPUT },
		{ "iperf, the image sends to the host", "iperf.maerts", true, THROUGHPUT },
	};
	struct column cols[MAX_COLS];
	int ncols = columns(logs, n, cols);

	if (!ncols)
		return;
	fprintf(out, "## TCP_RR\n\np50; ×: virtual over native time (the study's overhead), "
		     "only where native measured the same; —: not in these logs.\n\n");
	net_table(out, logs, cols, ncols, rr, sizeof(rr) / sizeof(rr[0]));
	fprintf(out, "## Bulk stream\n\nThroughput at the p50 time per chunk (the image's) or "
		     "over the run (iperf's); ×: native over virtual throughput.\n\n");
	net_table(out, logs, cols, ncols, bulk, sizeof(bulk) / sizeof(bulk[0]));
}
