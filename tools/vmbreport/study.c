/*
 * The study's tables from any set of logs (issue: "the study in one
 * command"). Micro Numbers: one row per operation the study measured, one
 * column per architecture and mode found in the logs, in Markdown. A cell
 * is the operation's p50 in ns with its spread (min to p99), in cycles of
 * the CPU clock where a log of that architecture has a cycle counter, and
 * its overhead against native where the same operation was measured
 * natively on the same architecture. Where several logs give a column the
 * same operation, the first one given is used.
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

void print_micro(FILE *out, struct vmb_log *logs, int n)
{
	struct column cols[MAX_COLS];
	int ncols = columns(logs, n, cols);
	double hz[MAX_COLS];
	bool any_emulated = false, any_damaged = false, any_suspect = false;

	fprintf(out, "## Micro Numbers\n\n");
	if (!ncols) {
		fprintf(out, "No log with a boot record of a known architecture and mode.\n\n");
		return;
	}
	fprintf(out, "p50 per operation, [min–p99] beneath it; cycles of the CPU clock; "
		     "×: against native on the same architecture.\n\n| operation |");
	for (int c = 0; c < ncols; c++) {
		fprintf(out, " %s %s%s |", cols[c].arch, mode_label(cols[c].mode),
			cols[c].emulated  ? " (EMULATED)"
			: cols[c].unknown ? " (emulated?)"
					  : "");
		any_emulated |= cols[c].emulated || cols[c].unknown;
		int from = -1;
		hz[c] = cpu_hz(logs, n, cols[c].arch, &from);
	}
	fprintf(out, "\n|---|");
	for (int c = 0; c < ncols; c++)
		fprintf(out, "---|");
	fprintf(out, "\n");

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
			struct column *nat = NULL;
			for (int k = 0; k < ncols; k++)
				if (!strcmp(cols[k].arch, cols[c].arch) &&
				    !strcmp(cols[k].mode, "native"))
					nat = &cols[k];
			const cJSON *base =
				nat && nat != &cols[c] ? pick(logs, nat, bench, &nat_from) : NULL;
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
	for (int c = 0; c < ncols; c++) {
		int from = -1;
		if (cpu_hz(logs, n, cols[c].arch, &from) > 0 &&
		    (c == 0 || strcmp(cols[c - 1].arch, cols[c].arch)))
			fprintf(out, "- %s cycles: at %.0f MHz, the rate of %s's %s.\n",
				cols[c].arch, hz[c] / 1e6, logs[from].name,
				vmb_str(logs[from].boot, "counter", "?"));
	}
	if (any_emulated)
		fprintf(out, "- EMULATED columns ran under an emulator (or could not tell): "
			     "their figures are not hardware figures.\n");
	if (any_suspect)
		fprintf(out, "- ! NOT TRUSTWORTHY: the counter missed time the operation took.\n");
	if (any_damaged)
		fprintf(out, "- # from a DAMAGED log: records were lost or changed on the way.\n");
	fprintf(out, "\n");
}
