/*
 * The hypercall breakdown (docs/protocol.md): what saving and restoring
 * each class of CPU state costs in a world switch, laid out as the study's
 * "KVM ARM hypercall analysis" table, then set beside the whole switch.
 */
#include <string.h>

#include "breakdown.h"
#include "output.h"
#include "study_cell.h"

/* In the study's order. */
static const struct {
	const char *bench, *label;
} classes[] = {
	{ "breakdown.gp", "GP registers" },
	{ "breakdown.fp", "FP/SIMD registers" },
	{ "breakdown.el1_sys", "EL1 system registers" },
	{ "breakdown.vgic", "VGIC registers" },
	{ "breakdown.timer", "timer registers" },
	{ "breakdown.el2_config", "EL2 configuration registers" },
	{ "breakdown.stage2", "stage-2 MMU registers" },
};
#define NCLASSES (sizeof(classes) / sizeof(classes[0]))

static bool is_breakdown(const cJSON *r)
{
	return !strncmp(vmb_str(r, "bench", ""), "breakdown.", 10);
}

static bool has_breakdown(const struct vmb_log *log)
{
	const cJSON *lists[] = { log->results, log->skips, log->errors }, *r;

	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
		cJSON_ArrayForEach(r, lists[i])
			if (is_breakdown(r))
				return true;
	return false;
}

/* "   212     211.8": a figure in its unit and in ns, "?" where unknown. */
static void cell(FILE *out, double v, double ns)
{
	if (v < 0) {
		fprintf(out, " %9s %10s", "?", "?");
		return;
	}
	fprintf(out, " %9.0f", v);
	if (ns >= 0)
		fprintf(out, " %10.1f", ns);
	else
		fprintf(out, " %10s", "?");
}

/* Sums over the classes whose save and restore were both read; a unit sum
 * only while all share one unit and one rate (the ns sum holds either way). */
struct sums {
	double save, restore, save_ns, restore_ns;
	const char *unit;
	double ns_per_unit; /* -1: the rate is unknown */
	bool mixed, ns_unknown;
	unsigned summed;
};

static void add(struct sums *s, const struct vmb_log *log, const cJSON *r, double save,
		double restore)
{
	const char *unit = vmb_str(r, "unit", "?");
	double ns_per_unit = to_ns(log, r, 1);

	if (save < 0 || restore < 0)
		return;
	if (!s->summed++) {
		s->unit = unit;
		s->ns_per_unit = ns_per_unit;
	} else if (strcmp(s->unit, unit) || s->ns_per_unit != ns_per_unit) {
		s->mixed = true;
	}
	s->save += save;
	s->restore += restore;
	if (ns_per_unit < 0)
		s->ns_unknown = true;
	s->save_ns += to_ns(log, r, save);
	s->restore_ns += to_ns(log, r, restore);
}

/* Why a benchmark has no result: its skip's reason or its error. */
static void not_measured(FILE *out, const struct vmb_log *log, const char *bench)
{
	const cJSON *skip = vmb_log_skip(log, bench), *err = vmb_log_error(log, bench);

	if (skip)
		fprintf(out, " not measured: %s\n", vmb_str(skip, "reason", ""));
	else if (err)
		fprintf(out, " not measured: ERROR %s\n", vmb_str(err, "msg", ""));
	else
		fprintf(out, " not measured\n");
}

/* "label   9641 cycles (9632.0 ns): what", or why it is missing. */
static void row(FILE *out, const struct vmb_log *log, const char *bench, const char *what)
{
	const cJSON *r = vmb_log_result(log, bench);
	char label[40];

	snprintf(label, sizeof(label), "%s p50", bench);
	fprintf(out, "%-28s", label);
	if (!r) {
		not_measured(out, log, bench);
		return;
	}
	double v = vmb_num(r, "p50", 0), ns = to_ns(log, r, v);
	fprintf(out, " %9.0f %s", v, vmb_str(r, "unit", "?"));
	if (ns >= 0)
		fprintf(out, " (%.1f ns)", ns);
	else
		fprintf(out, " (rate unknown)");
	fprintf(out, ": %s%s\n", what, is_suspect(r) ? "  NOT TRUSTWORTHY" : "");
}

/* The classes beside the whole switch: the figures side by side, labelled;
 * no ratio, since what else the switch does is not measured apart. */
static void print_switch(FILE *out, const struct vmb_log *log, const struct sums *s)
{
	bool sw = vmb_log_result(log, "hypercall_switch") != NULL;
	/* x86's CPU switches guest and host state itself, in the exit and
	 * the entry: there the hypercall is the whole switch. */
	bool x86 = log->boot && !strcmp(vmb_str(log->boot, "arch", ""), "x86_64");

	row(out, log, "hypercall",
	    x86 ? "VMCALL/VMMCALL exit to the image's hypervisor and entry back"
		: "HVC to EL2 and back, no world switch");
	row(out, log, "hypercall_switch", "HVC, world switch to a second EL1 context and back");
	if (vmb_log_result(log, "hypercall_switch.vhe"))
		row(out, log, "hypercall_switch.vhe",
		    "the same to a host at EL2 (VHE): the guest's classes out and in once");
	if (vmb_log_result(log, "vm_switch"))
		row(out, log, "vm_switch",
		    x86 ? "one switch from one guest to another (the other VMCB or VMCS)"
			: "one switch from one guest to another: each class saved and restored "
			  "once");
	if (!sw || !s->summed || s->ns_unknown)
		return;
	fprintf(out, "%-28s", "2 x sum of classes");
	if (!s->mixed)
		fprintf(out, " %9.0f %s (%.1f ns)", 2 * (s->save + s->restore), s->unit,
			2 * (s->save_ns + s->restore_ns));
	else
		fprintf(out, " %.1f ns", 2 * (s->save_ns + s->restore_ns));
	fprintf(out,
		": hypercall_switch's two switches save and restore each class twice "
		"(guest to host, host to guest)%s\n",
		s->summed < NCLASSES ? "; summed classes only" : "");
}

void print_breakdown(FILE *out, const struct vmb_log *log)
{
	struct sums s = { 0 };
	bool suspect = false;

	if (!has_breakdown(log))
		return;
	fprintf(out, "\nhypercall breakdown: p50 of one save and of one restore of each class "
		     "of CPU state, timer overhead subtracted\n");
	const char *emu = emulated_word(log->boot);
	if (!strcmp(emu, "true"))
		fprintf(out, "EMULATED: figures are not hardware figures\n");
	else if (!strcmp(emu, "unknown"))
		fprintf(out, "hardware or EMULATED: unknown\n");
	fprintf(out, "%-28s %9s %10s %9s %10s  %s\n", "class", "save", "save ns", "restore",
		"restore ns", "unit");
	for (size_t i = 0; i < NCLASSES; i++) {
		const cJSON *r = vmb_log_result(log, classes[i].bench);
		fprintf(out, "%-28s", classes[i].label);
		if (!r) {
			not_measured(out, log, classes[i].bench);
			continue;
		}
		double save = vmb_part_num(r, "save", "p50", -1);
		double restore = vmb_part_num(r, "restore", "p50", -1);
		cell(out, save, save >= 0 ? to_ns(log, r, save) : -1);
		cell(out, restore, restore >= 0 ? to_ns(log, r, restore) : -1);
		fprintf(out, "  %s%s\n", vmb_str(r, "unit", "?"),
			is_suspect(r) ? "  NOT TRUSTWORTHY" : "");
		suspect |= is_suspect(r);
		add(&s, log, r, save, restore);
	}
	char label[48];
	snprintf(label, sizeof(label), "sum of classes (%u of %zu)", s.summed, NCLASSES);
	fprintf(out, "%-28s", label);
	if (!s.summed || (s.mixed && s.ns_unknown)) {
		fprintf(out, " %9s %10s %9s %10s\n", "?", "?", "?", "?");
	} else {
		if (s.mixed)
			fprintf(out, " %9s %10.1f %9s %10.1f  ns only: the classes' units differ\n",
				"-", s.save_ns, "-", s.restore_ns);
		else if (s.ns_unknown)
			fprintf(out, " %9.0f %10s %9.0f %10s  %s\n", s.save, "?", s.restore, "?",
				s.unit);
		else
			fprintf(out, " %9.0f %10.1f %9.0f %10.1f  %s\n", s.save, s.save_ns,
				s.restore, s.restore_ns, s.unit);
	}
	if (suspect)
		fprintf(out, "(the sum includes figures that are NOT TRUSTWORTHY)\n");
	print_switch(out, log, &s);
}

/* The study's form of one log's breakdown (study.c): each class's save
 * and restore p50 (or why it is missing), and the whole switches beside
 * them. NULL when the log has no breakdown record at all. */
cJSON *breakdown_model(const struct vmb_log *log)
{
	if (!has_breakdown(log))
		return NULL;
	const cJSON *b = log->boot;
	cJSON *doc = cJSON_CreateObject(), *arr;
	cJSON_AddStringToObject(doc, "file", log->name);
	cJSON_AddStringToObject(doc, "arch", vmb_str(b, "arch", "?"));
	cJSON_AddStringToObject(doc, "mode", vmb_str(b, "mode", "?"));
	cJSON_AddStringToObject(doc, "irqchip", vmb_str(b, "irqchip", "?"));
	cJSON_AddStringToObject(doc, "emulated", emulated_word(b));
	cJSON_AddBoolToObject(doc, "damaged", log->damaged != 0);
	arr = cJSON_AddArrayToObject(doc, "classes");
	for (size_t i = 0; i < NCLASSES; i++) {
		const cJSON *r = vmb_log_result(log, classes[i].bench);
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "class", classes[i].bench + 10);
		cJSON_AddStringToObject(o, "label", classes[i].label);
		cJSON_AddItemToArray(arr, o);
		if (!r) {
			const cJSON *skip = vmb_log_skip(log, classes[i].bench);
			const cJSON *err = vmb_log_error(log, classes[i].bench);
			cJSON_AddStringToObject(o, "missing",
						skip  ? vmb_str(skip, "reason", "skipped")
						: err ? vmb_str(err, "msg", "error")
						      : "not in this log");
			continue;
		}
		cJSON_AddStringToObject(o, "unit", vmb_str(r, "unit", ""));
		cJSON_AddBoolToObject(o, "suspect", is_suspect(r));
		cJSON_AddBoolToObject(o, "damaged", log->damaged != 0);
		for (int k = 0; k < 2; k++) {
			const char *part = k ? "restore" : "save";
			double v = vmb_part_num(r, part, "p50", -1);
			char key[24];
			if (v < 0)
				continue;
			cJSON_AddNumberToObject(o, part, v);
			snprintf(key, sizeof(key), "%s_ns", part);
			if (to_ns(log, r, v) >= 0)
				cJSON_AddNumberToObject(o, key, to_ns(log, r, v));
		}
	}
	static const char *const whole[] = { "hypercall", "hypercall_switch",
					     "hypercall_switch.vhe", "vm_switch" };
	arr = cJSON_AddArrayToObject(doc, "whole");
	for (size_t i = 0; i < sizeof(whole) / sizeof(whole[0]); i++) {
		const cJSON *r = vmb_log_result(log, whole[i]);
		if (!r)
			continue;
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "bench", whole[i]);
		cJSON_AddNumberToObject(o, "p50", vmb_num(r, "p50", 0));
		cJSON_AddStringToObject(o, "unit", vmb_str(r, "unit", ""));
		if (to_ns(log, r, 1) >= 0)
			cJSON_AddNumberToObject(o, "p50_ns", to_ns(log, r, vmb_num(r, "p50", 0)));
		cJSON_AddBoolToObject(o, "suspect", is_suspect(r));
		cJSON_AddBoolToObject(o, "damaged", log->damaged != 0);
		cJSON_AddItemToArray(arr, o);
	}
	return doc;
}
