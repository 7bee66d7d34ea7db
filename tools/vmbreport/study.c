/*
 * The study's tables from any set of logs (issue: "the study in one
 * command"), built once as one JSON document that every form renders
 * (study_md.c, study_csv.c, study_html.c), so the forms cannot disagree.
 *
 * Micro Numbers: one row per operation the study measured, one column per
 * architecture and mode found in the logs. A cell is the operation's p50
 * in ns with its spread, in cycles of the CPU clock where a log of that
 * architecture has a cycle counter, and its overhead against native where
 * the same operation was measured natively on the same architecture.
 * Where several logs give a column the same operation, the first one
 * given is used. TCP_RR and the bulk stream tables: the same columns,
 * with request/response rates, their breakdown, and throughput, from the
 * image's own figures and from the host's clients (sockperf, iperf) where
 * the run had them. Latency: the distribution of the RR and I/O latency
 * figures, as CDF points.
 */
#include <stdlib.h>
#include <string.h>

#include "breakdown.h"
#include "output.h"
#include "study.h"
#include "study_cell.h"

static const struct {
	const char *bench, *label;
} micro_rows[] = {
	{ "hypercall", "Hypercall" },  { "irqchip_trap", "Interrupt controller trap" },
	{ "virt_ipi", "Virtual IPI" }, { "eoi_ack", "Virtual EOI+ACK" },
	{ "vm_switch", "VM switch" },  { "io_out", "I/O latency out" },
	{ "io_in", "I/O latency in" },
};

/* The latency figures whose distribution the study's readers look at. */
static const struct {
	const char *bench, *label;
	bool host;
} latency_rows[] = {
	{ "net_rr", "TCP_RR round trip, the image to the host's echo", false },
	{ "net_rr.udp", "UDP_RR round trip, the image to the host's echo", false },
	{ "sockperf.tcp", "TCP round trip, the host's sockperf to the image", true },
	{ "sockperf.udp", "UDP round trip, the host's sockperf to the image", true },
	{ "io_out", "I/O latency out", false },
	{ "io_in", "I/O latency in", false },
	{ "blk_read_lat", "block read latency, 4 KiB (the call names the disk)", false },
};

static const char *const arches[] = { "arm64", "x86_64" };
#define MAX_COLS 14
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const char *mode_label(const char *mode)
{
	return !strcmp(mode, "kvm") ? "KVM" : !strcmp(mode, "xen") ? "Xen" : "native";
}

/* The columns in order: per architecture, native, KVM, then Xen, one per
 * role of the domain. */
static const struct {
	const char *mode, *role;
} kinds[] = {
	{ "native", "" },  { "kvm", "" },	  { "kvm", "assigned" }, { "xen", "domU" },
	{ "xen", "dom0" }, { "xen", "dom0less" }, { "xen", "" },
};

/* A KVM guest's role: "assigned" when the host says it gave the guest
 * its I/O devices through VFIO (a setup record), else none. */
static const char *kvm_role(const struct vmb_log *log)
{
	const char *io = vmb_log_setup(log, "io");

	return io && !strcmp(io, "assigned") ? "assigned" : "";
}

static bool in_column(const struct vmb_log *log, const struct study_column *c)
{
	const cJSON *b = log->boot;

	if (!b || strcmp(vmb_str(b, "arch", ""), c->arch) ||
	    strcmp(vmb_str(b, "mode", ""), c->mode))
		return false;
	if (!strcmp(c->mode, "xen"))
		return !strcmp(vmb_str(b, "xen_role", ""), c->role);
	if (!strcmp(c->mode, "kvm"))
		return !strcmp(kvm_role(log), c->role);
	return true;
}

static int columns(struct vmb_log *logs, int n, struct study_column *cols)
{
	int ncols = 0;

	for (size_t a = 0; a < ARRAY_SIZE(arches); a++)
		for (size_t k = 0; k < ARRAY_SIZE(kinds) && ncols < MAX_COLS; k++) {
			struct study_column *c = &cols[ncols];
			memset(c, 0, sizeof(*c));
			c->arch = arches[a];
			c->mode = kinds[k].mode;
			c->role = kinds[k].role;
			for (int i = 0; i < n && c->nlogs < STUDY_COL_LOGS; i++) {
				const cJSON *b = logs[i].boot;
				if (!in_column(&logs[i], c))
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
static const cJSON *pick(struct vmb_log *logs, const struct study_column *c, const char *bench,
			 int *from)
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

/* The native column of column c's architecture, other than c itself. */
static const struct study_column *native_of_col(const struct study_column *cols, int ncols, int c)
{
	for (int k = 0; k < ncols; k++)
		if (k != c && !strcmp(cols[k].arch, cols[c].arch) &&
		    !strcmp(cols[k].mode, "native"))
			return &cols[k];
	return NULL;
}

/* One point of a distribution, [percent, ns], where the record has the
 * figure and it does not fall below the point before (not drawn then). */
static void add_point(cJSON *pts, const struct vmb_log *log, const cJSON *r, bool host, double pct,
		      double v, double *last)
{
	double ns = v < 0 ? -1 : host ? v : to_ns(log, r, v);

	if (ns < 0 || ns < *last)
		return;
	*last = ns;
	cJSON *p = cJSON_CreateArray();
	cJSON_AddItemToArray(p, cJSON_CreateNumber(pct));
	cJSON_AddItemToArray(p, cJSON_CreateNumber(ns));
	cJSON_AddItemToArray(pts, p);
}

/* Points of a result's distribution, rising: min, p1, the image's CDF
 * (5 % steps), p99, a host client's p99.9, max. Only what the record
 * has: an older image gives min, p50, p99 and max. */
static cJSON *cdf_points(const struct vmb_log *log, const cJSON *r, bool host)
{
	cJSON *pts = cJSON_CreateArray();
	const cJSON *cdf = cJSON_GetObjectItemCaseSensitive(r, "cdf");
	int ncdf = cJSON_IsArray(cdf) ? cJSON_GetArraySize(cdf) : 0;
	double last = -1;

	add_point(pts, log, r, host, 0, vmb_num(r, "min", -1), &last);
	add_point(pts, log, r, host, 1, vmb_num(r, "p1", -1), &last);
	if (ncdf > 2) {
		for (int i = 1; i < ncdf - 1; i++) {
			const cJSON *x = cJSON_GetArrayItem(cdf, i);
			add_point(pts, log, r, host, 100.0 * i / (ncdf - 1),
				  cJSON_IsNumber(x) ? x->valuedouble : -1, &last);
		}
	} else {
		add_point(pts, log, r, host, 50, vmb_num(r, "p50", -1), &last);
	}
	add_point(pts, log, r, host, 99, vmb_num(r, "p99", -1), &last);
	add_point(pts, log, r, host, 99.9, vmb_num(r, "p99.9", -1), &last);
	add_point(pts, log, r, host, 100, vmb_num(r, "max", -1), &last);
	return pts;
}

static cJSON *missing_cell(const char *why)
{
	cJSON *cell = cJSON_CreateObject();

	cJSON_AddStringToObject(cell, "missing", why);
	return cell;
}

static cJSON *micro_cell(struct vmb_log *logs, const struct study_column *cols, int ncols, int c,
			 const char *bench, double hz)
{
	int from = -1, nat_from = -1;
	const cJSON *r = pick(logs, &cols[c], bench, &from);

	if (!r) {
		char why[512];
		study_why_not(why, sizeof(why), logs, &cols[c], bench);
		return missing_cell(why);
	}
	cJSON *cell = cJSON_CreateObject();
	const struct vmb_log *log = &logs[from];
	cJSON_AddStringToObject(cell, "file", log->name);
	cJSON_AddStringToObject(cell, "unit", vmb_str(r, "unit", ""));
	cJSON_AddNumberToObject(cell, "p50", vmb_num(r, "p50", 0));
	cJSON_AddBoolToObject(cell, "suspect", is_suspect(r));
	cJSON_AddBoolToObject(cell, "damaged", log->damaged != 0);
	if (to_ns(log, r, 1) < 0) {
		cJSON_AddBoolToObject(cell, "rate_unknown", true);
		return cell;
	}
	static const char *const stats[] = { "min", "p1", "p50", "mean", "p99", "max" };
	for (size_t k = 0; k < ARRAY_SIZE(stats); k++) {
		char key[16];
		snprintf(key, sizeof(key), "%s_ns", stats[k]);
		if (cJSON_GetObjectItemCaseSensitive(r, stats[k]))
			cJSON_AddNumberToObject(cell, key, to_ns(log, r, vmb_num(r, stats[k], 0)));
	}
	/* The spread's low end, the same in every form: p1, or min in a log
	 * from before p1. */
	const char *lo = cJSON_GetObjectItemCaseSensitive(r, "p1") ? "p1" : "min";
	cJSON_AddNumberToObject(cell, "lo_ns", to_ns(log, r, vmb_num(r, lo, 0)));
	cJSON_AddStringToObject(cell, "lo", lo);
	double p50 = to_ns(log, r, vmb_num(r, "p50", 0));
	if (hz > 0)
		cJSON_AddNumberToObject(cell, "cycles", p50 * hz / 1e9);
	/* the overhead only where native measured the same */
	const struct study_column *nat = native_of_col(cols, ncols, c);
	const cJSON *base = nat ? pick(logs, nat, bench, &nat_from) : NULL;
	double base_ns = base ? to_ns(&logs[nat_from], base, vmb_num(base, "p50", 0)) : -1;
	double overhead = study_overhead_time(p50, base && !is_suspect(base) ? base_ns : -1);
	if (overhead > 0)
		cJSON_AddNumberToObject(cell, "overhead", overhead);
	cJSON_AddItemToObject(cell, "cdf", cdf_points(log, r, false));
	return cell;
}

/* A row of the network tables: an image result or a host client's. */
enum net_kind { RATE, TIME, THROUGHPUT };
struct net_row {
	const char *label, *bench;
	bool host;
	enum net_kind kind;
};
static const char *const kind_names[] = { "rate", "time", "throughput" };

/* The row's figure in a column: ns per operation (RATE, TIME) or bit/s
 * (THROUGHPUT); -1 when no log of the column has it. */
static double net_value(struct vmb_log *logs, const struct study_column *c,
			const struct net_row *row, int *from)
{
	for (int k = 0; k < c->nlogs; k++) {
		struct vmb_log *log = &logs[c->logs[k]];
		*from = c->logs[k];
		if (row->host) {
			const cJSON *r = vmb_log_host(log, row->bench);
			if (!r)
				continue;
			double v = row->kind == THROUGHPUT ? vmb_num(r, "value", -1)
							   : vmb_num(r, "p50", -1);
			if (v > 0)
				return v;
			continue;
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

static cJSON *net_rows(struct vmb_log *logs, const struct study_column *cols, int ncols,
		       const struct net_row *rows, size_t nrows)
{
	cJSON *arr = cJSON_CreateArray();

	for (size_t i = 0; i < nrows; i++) {
		cJSON *row = cJSON_CreateObject(), *cells;
		cJSON_AddStringToObject(row, "label", rows[i].label);
		cJSON_AddStringToObject(row, "bench", rows[i].bench);
		cJSON_AddBoolToObject(row, "host", rows[i].host);
		cJSON_AddStringToObject(row, "kind", kind_names[rows[i].kind]);
		cells = cJSON_AddArrayToObject(row, "cells");
		for (int c = 0; c < ncols; c++) {
			int from = -1, nat_from = -1;
			double v = net_value(logs, &cols[c], &rows[i], &from);
			if (v < 0) {
				char why[512];
				study_net_why(why, sizeof(why), logs, &cols[c], rows[i].bench,
					      rows[i].host);
				cJSON_AddItemToArray(cells, missing_cell(why));
				continue;
			}
			cJSON *cell = cJSON_CreateObject();
			cJSON_AddStringToObject(cell, "file", logs[from].name);
			cJSON_AddNumberToObject(cell, rows[i].kind == THROUGHPUT ? "bit_s" : "ns",
						v);
			if (rows[i].kind == RATE)
				cJSON_AddNumberToObject(cell, "per_s", 1e9 / v);
			const struct study_column *nat = native_of_col(cols, ncols, c);
			double base = nat ? net_value(logs, nat, &rows[i], &nat_from) : -1;
			double overhead = rows[i].kind == THROUGHPUT
						  ? study_overhead_throughput(v, base)
						  : study_overhead_time(v, base);
			if (overhead > 0)
				cJSON_AddNumberToObject(cell, "overhead", overhead);
			cJSON_AddBoolToObject(cell, "damaged", logs[from].damaged != 0);
			cJSON_AddItemToArray(cells, cell);
		}
		cJSON_AddItemToArray(arr, row);
	}
	return arr;
}

static cJSON *network(struct vmb_log *logs, const struct study_column *cols, int ncols, bool bulk)
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
	static const struct net_row stream[] = {
		{ "TCP stream, the image sends (net_stream_tx)", "net_stream_tx", false,
		  THROUGHPUT },
		{ "TCP stream, the image receives (net_stream_rx)", "net_stream_rx", false,
		  THROUGHPUT },
		{ "iperf, the host sends to the image", "iperf.stream", true, THROUGHPUT },
		{ "iperf, the image sends to the host", "iperf.maerts", true, THROUGHPUT },
	};
	return bulk ? net_rows(logs, cols, ncols, stream, ARRAY_SIZE(stream))
		    : net_rows(logs, cols, ncols, rr, ARRAY_SIZE(rr));
}

/* One series per column that has the figure: its distribution's points. */
static cJSON *latency(struct vmb_log *logs, const struct study_column *cols, int ncols)
{
	cJSON *arr = cJSON_CreateArray();

	for (size_t i = 0; i < ARRAY_SIZE(latency_rows); i++) {
		cJSON *row = cJSON_CreateObject();
		cJSON *series = cJSON_CreateArray();
		cJSON_AddStringToObject(row, "bench", latency_rows[i].bench);
		cJSON_AddStringToObject(row, "label", latency_rows[i].label);
		for (int c = 0; c < ncols; c++)
			for (int k = 0; k < cols[c].nlogs; k++) {
				const struct vmb_log *log = &logs[cols[c].logs[k]];
				const cJSON *r =
					latency_rows[i].host
						? vmb_log_host(log, latency_rows[i].bench)
						: vmb_log_result(log, latency_rows[i].bench);
				if (!r || is_suspect(r))
					continue;
				cJSON *pts = cdf_points(log, r, latency_rows[i].host);
				if (cJSON_GetArraySize(pts) < 2) {
					cJSON_Delete(pts);
					continue;
				}
				cJSON *s = cJSON_CreateObject();
				cJSON_AddNumberToObject(s, "column", c);
				cJSON_AddStringToObject(s, "file", log->name);
				cJSON_AddBoolToObject(s, "damaged", log->damaged != 0);
				cJSON_AddItemToObject(s, "points", pts);
				cJSON_AddItemToArray(series, s);
				break;
			}
		if (cJSON_GetArraySize(series)) {
			cJSON_AddItemToObject(row, "series", series);
			cJSON_AddItemToArray(arr, row);
		} else {
			cJSON_Delete(series);
			cJSON_Delete(row);
		}
	}
	return arr;
}

cJSON *study_build(struct vmb_log *logs, int n)
{
	struct study_column cols[MAX_COLS];
	int ncols = columns(logs, n, cols);
	cJSON *doc = cJSON_CreateObject();

	cJSON_AddStringToObject(doc, "report", "vmbench study");
	cJSON_AddNumberToObject(doc, "v", 1);
	cJSON *jl = cJSON_AddArrayToObject(doc, "logs");
	for (int i = 0; i < n; i++) {
		cJSON *o = cJSON_CreateObject();
		const cJSON *b = logs[i].boot;
		char label[64];
		log_label(&logs[i], label, sizeof(label));
		cJSON_AddStringToObject(o, "file", logs[i].name);
		cJSON_AddStringToObject(o, "label", label);
		cJSON_AddStringToObject(o, "arch", b ? vmb_str(b, "arch", "?") : "?");
		cJSON_AddStringToObject(o, "mode", b ? vmb_str(b, "mode", "?") : "?");
		cJSON_AddStringToObject(o, "emulated", emulated_word(b));
		cJSON_AddBoolToObject(o, "complete", vmb_log_complete(&logs[i]));
		cJSON_AddBoolToObject(o, "damaged", logs[i].damaged != 0);
		cJSON_AddItemToArray(jl, o);
	}

	bool any_emulated = false;
	double hz[MAX_COLS];
	cJSON *jc = cJSON_AddArrayToObject(doc, "columns");
	cJSON *jcy = cJSON_AddArrayToObject(doc, "cycles");
	for (int c = 0; c < ncols; c++) {
		cJSON *o = cJSON_CreateObject();
		char label[48];
		/* "arm64 Xen domU", "x86_64 KVM, assigned" */
		snprintf(label, sizeof(label), "%s %s%s%s", cols[c].arch, mode_label(cols[c].mode),
			 !*cols[c].role		       ? ""
			 : strcmp(cols[c].mode, "kvm") ? " "
						       : ", ",
			 cols[c].role);
		cJSON_AddStringToObject(o, "arch", cols[c].arch);
		cJSON_AddStringToObject(o, "mode", cols[c].mode);
		if (*cols[c].role)
			cJSON_AddStringToObject(o, "role", cols[c].role);
		cJSON_AddStringToObject(o, "label", label);
		cJSON_AddStringToObject(o, "emulated", study_column_emulated(&cols[c]));
		cJSON_AddItemToArray(jc, o);
		any_emulated |= cols[c].emulated || cols[c].unknown;
		int from = -1;
		hz[c] = cpu_hz(logs, n, cols[c].arch, &from);
		if (hz[c] > 0 && (c == 0 || strcmp(cols[c - 1].arch, cols[c].arch))) {
			cJSON *y = cJSON_CreateObject();
			cJSON_AddStringToObject(y, "arch", cols[c].arch);
			cJSON_AddNumberToObject(y, "hz", hz[c]);
			cJSON_AddStringToObject(y, "file", logs[from].name);
			cJSON_AddStringToObject(y, "counter",
						vmb_str(logs[from].boot, "counter", "?"));
			cJSON_AddItemToArray(jcy, y);
		}
	}
	cJSON_AddBoolToObject(doc, "emulated", any_emulated);

	cJSON *jm = cJSON_AddArrayToObject(doc, "micro");
	for (size_t row = 0; ncols && row < ARRAY_SIZE(micro_rows); row++) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "bench", micro_rows[row].bench);
		cJSON_AddStringToObject(o, "label", micro_rows[row].label);
		cJSON *cells = cJSON_AddArrayToObject(o, "cells");
		for (int c = 0; c < ncols; c++)
			cJSON_AddItemToArray(cells, micro_cell(logs, cols, ncols, c,
							       micro_rows[row].bench, hz[c]));
		cJSON_AddItemToArray(jm, o);
	}

	cJSON *jb = cJSON_AddArrayToObject(doc, "breakdown");
	for (int i = 0; i < n; i++) {
		cJSON *b = breakdown_model(&logs[i]);
		if (b)
			cJSON_AddItemToArray(jb, b);
	}
	cJSON_AddItemToObject(doc, "tcp_rr", network(logs, cols, ncols, false));
	cJSON_AddItemToObject(doc, "bulk", network(logs, cols, ncols, true));
	cJSON_AddItemToObject(doc, "latency", latency(logs, cols, ncols));
	return doc;
}
