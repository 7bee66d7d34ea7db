/*
 * Output of the result protocol (docs/protocol.md): every event as a
 * "VMB {json}" line, results also as a readable table row. The verdict
 * only gets worse: one error makes the end record say fail.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <vmb/arch.h>
#include <vmb/boot_info.h>
#include <vmb/build_id.h>
#include <vmb/console.h>
#include <vmb/hist.h>
#include <vmb/irq.h>
#include <vmb/jsonw.h>
#include <vmb/options.h>
#include <vmb/platform.h>
#include <vmb/protocol.h>
#include <vmb/report.h>
#include <vmb/smp.h>

#define VMB_VERSION "0.4"

static unsigned n_results, n_skips, n_errors, n_suspect;
/* Every record is numbered: a reader sees which one a damaged log lost. */
static uint64_t next_seq;
static bool table_header_done, boot_done;

/* The readable table unless no_table= asked for machine lines only. */
static bool report_table(void)
{
	return !the_options->no_table;
}

static void emit(struct jsonw *w)
{
	const char *text = jw_seal(w, next_seq++);

	/* The peer guest of vm_switch tags its records apart: where two guests
	 * share one console (Xen's), no reader may take them for the run's. */
	console_puts(the_options->vm_peer_s ? "VMB-peer " : "VMB ");
	console_puts(text);
	console_puts("\n");
}

/* Reference-clock ticks in ns (cross-CPU figures are on that clock). */
static uint64_t ref_ns(uint64_t ticks)
{
	return ticks_to_ns(ticks, the_platform.ref_hz);
}

static const char *boot_path_name(enum boot_path p)
{
	switch (p) {
	case BOOT_UEFI:
		return "uefi";
	case BOOT_IMAGE:
		return "image";
	case BOOT_PVH:
		return "pvh";
	case BOOT_MULTIBOOT2:
		return "multiboot2";
	}
	return "unknown";
}

/* The boot record's provenance (docs/protocol.md): the build always, what
 * the firmware names only where it does. */
static void report_provenance(struct jsonw *w, const struct provenance *v)
{
	const struct {
		const char *key, *value;
	} opt[] = {
		{ "fw_vendor", v->fw_vendor },
		{ "fw_version", v->fw_version },
		{ "fw_date", v->fw_date },
		{ "sys_vendor", v->sys_vendor },
		{ "sys_product", v->sys_product },
		{ "smbios", v->smbios },
		{ "dt_compatible", v->dt_compatible },
		{ "uefi_vendor", v->uefi_vendor },
		{ "uefi_revision", v->uefi_revision },
	};

	jw_str(w, "build", vmb_build_commit);
	jw_str(w, "build_flags", vmb_build_flags);
	for (size_t i = 0; i < sizeof(opt) / sizeof(opt[0]); i++)
		if (opt[i].value[0])
			jw_str(w, opt[i].key, opt[i].value);
}

void report_boot(const struct platform *p, const struct boot_info *bi, const char *pci_access,
		 unsigned pci_functions)
{
	/* The command line alone may take 1 KiB (twice that escaped), the
	 * provenance fields under 1 KiB. */
	static char buf[4096];
	char cpu[96], sig[24];
	const struct provenance *v = &p->prov;
	struct jsonw w;

	snprintf(cpu, sizeof(cpu), "%s %s", p->cpu_vendor, p->cpu_model);
	snprintf(sig, sizeof(sig), "%#llx", (unsigned long long)p->cpu_signature);

	kprintf("\nvmbench %s on %s: mode %s%s%s, %s%s, %u CPU(s), %s via %s boot\n", VMB_VERSION,
		arch_name, mode_name(p->mode), p->hypervisor[0] ? " " : "", p->hypervisor,
		p->platform,
		p->emulated == TRI_YES	     ? " (EMULATED CPU: not hardware figures)"
		: p->emulated == TRI_UNKNOWN ? " (hardware or emulator: unknown)"
					     : "",
		p->cpus, cpu, boot_path_name(bi->path));
	/* A rate read from CPUID (a hypervisor's leaf, 0x16) was not measured. */
	char source[64];
	if (p->timer_hz)
		snprintf(source, sizeof(source), "measured against %s at %llu Hz", p->timer_name,
			 (unsigned long long)p->timer_hz);
	else
		snprintf(source, sizeof(source), "rate as %s reports it", p->timer_name);
	kprintf("counter %s at %llu Hz (%s)%s%s\n", counter_name(p->counter),
		(unsigned long long)p->counter_hz, source, p->el ? ", running at EL" : "",
		p->el ? (p->el == 2 ? "2" : "1") : "");
	kprintf("  why: %s; each result checked against %s\n", p->counter_why,
		counter_name(p->ref));
	if (p->mode == MODE_XEN) {
		char id[16] = "";
		if (p->xen_domid >= 0)
			snprintf(id, sizeof(id), " d%d", p->xen_domid);
		kprintf("Xen %s; this domain: %s%s\n", p->xen_version[0] ? p->xen_version : "?",
			p->xen_role ? p->xen_role : "role unknown", id);
	}
	kprintf("build %s (%s); firmware %s%s%s%s%s; system %s%s%s%s%s\n", vmb_build_commit,
		vmb_build_flags, v->fw_vendor[0] ? v->fw_vendor : "unknown",
		v->fw_version[0] ? " " : "", v->fw_version, v->fw_date[0] ? " " : "", v->fw_date,
		v->sys_vendor, v->sys_vendor[0] ? " " : "",
		v->sys_product[0] ? v->sys_product : "unknown",
		v->microcode[0] ? "; microcode " : "", v->microcode);
	kprintf("CPUs: %u of %u up (%s); interrupts: %s, timer %s\n", smp_cpus_up(),
		smp_cpus_described(), smp_cpus_described() > 1 ? smp_method() : "one described",
		irqchip ? irqchip->name : "none", local_timer ? local_timer->name : "none");

	jw_begin(&w, buf, sizeof(buf));
	jw_str(&w, "t", "boot");
	jw_u64(&w, "v", VMB_PROTOCOL);
	jw_str(&w, "arch", arch_name);
	jw_str(&w, "mode", mode_name(p->mode));
	jw_str(&w, "hypervisor", p->hypervisor);
	if (p->emulated == TRI_UNKNOWN)
		jw_str(&w, "emulated", "unknown");
	else
		jw_bool(&w, "emulated", p->emulated == TRI_YES);
	jw_str(&w, "emulation", p->emulation);
	jw_str(&w, "platform", p->platform);
	jw_str(&w, "boot", boot_path_name(bi->path));
	if (p->el)
		jw_u64(&w, "el", (uint64_t)p->el);
	jw_u64(&w, "cpus", p->cpus);
	jw_u64(&w, "cpus_up", smp_cpus_up());
	jw_str(&w, "cpu_on", smp_cpus_described() > 1 ? smp_method() : "none");
	jw_str(&w, "irqchip", irqchip ? irqchip->name : "none");
	jw_str(&w, "irq_timer", local_timer ? local_timer->name : "none");
	if (smp_cpus_up() > 1) {
		uint64_t worst = 0, worst_u = 0;
		for (unsigned c = 1; c < smp_cpus_described(); c++) {
			const struct cpu_skew *k = &smp_cpu(c)->skew;
			uint64_t off = (uint64_t)(k->offset < 0 ? -k->offset : k->offset);
			if (k->measured && off > worst)
				worst = off;
			if (k->measured && k->uncertainty > worst_u)
				worst_u = k->uncertainty;
		}
		jw_u64(&w, "skew_max_ns", ref_ns(worst));
		jw_u64(&w, "skew_uncertainty_ns", ref_ns(worst_u));
	}
	jw_str(&w, "pci", pci_access);
	jw_u64(&w, "pci_functions", pci_functions);
	jw_str(&w, "cpu", cpu);
	jw_str(&w, "cpuid", sig);
	if (v->microcode[0])
		jw_str(&w, "microcode", v->microcode);
	jw_str(&w, "counter", counter_name(p->counter));
	jw_u64(&w, "counter_hz", p->counter_hz);
	jw_str(&w, "counter_why", p->counter_why);
	jw_str(&w, "timer", p->timer_name);
	jw_u64(&w, "timer_hz", p->timer_hz);
	if (p->tsc_invariant != TRI_UNKNOWN)
		jw_bool(&w, "tsc_invariant", p->tsc_invariant == TRI_YES);
	if (p->mode == MODE_XEN) {
		jw_str(&w, "xen_version", p->xen_version);
		jw_str(&w, "xen_role", p->xen_role ? p->xen_role : "unknown");
		if (p->xen_domid >= 0)
			jw_u64(&w, "xen_domid", (uint64_t)p->xen_domid);
	}
	jw_str(&w, "ref", counter_name(p->ref));
	jw_u64(&w, "ref_hz", p->ref_hz);
	jw_str(&w, "console", console_name());
	jw_str(&w, "cmdline", bi->cmdline);
	report_provenance(&w, v);
	jw_str(&w, "version", VMB_VERSION);
	emit(&w);
	boot_done = true;
}

bool report_boot_done(void)
{
	return boot_done;
}

static const char *const cpu_state_names[] = {
	[CPU_ABSENT] = "absent", [CPU_STARTING] = "starting", [CPU_FAILED] = "failed",
	[CPU_IDLE] = "up",	 [CPU_BUSY] = "up",
};

/* One record per CPU: how it came up, and its clock against CPU 0's. */
void report_cpus(void)
{
	for (unsigned c = 0; c < smp_cpus_described(); c++) {
		const struct cpu_info *ci = smp_cpu(c);
		char buf[384], hw[24];
		struct jsonw w;

		snprintf(hw, sizeof(hw), "%#llx", (unsigned long long)ci->hwid);
		jw_begin(&w, buf, sizeof(buf));
		jw_str(&w, "t", "cpu");
		jw_u64(&w, "cpu", c);
		jw_str(&w, "hwid", hw);
		jw_str(&w, "state", cpu_state_names[ci->state]);
		if (ci->skew.measured) {
			int64_t off = ci->skew.offset;
			uint64_t mag = (uint64_t)(off < 0 ? -off : off);
			jw_i64(&w, "offset_ns",
			       off < 0 ? -(int64_t)ref_ns(mag) : (int64_t)ref_ns(mag));
			jw_u64(&w, "uncertainty_ns", ref_ns(ci->skew.uncertainty));
		}
		if (ci->why[0])
			jw_str(&w, "why", ci->why);
		emit(&w);
		if (ci->state == CPU_FAILED || (ci->why[0] && ci->state != CPU_ABSENT))
			kprintf("CPU %u (id %s): %s\n", c, hw, ci->why);
	}
}

/* "parts":"save,restore" and each part's figures as save_p50, ... */
static void report_parts(struct jsonw *w, const struct bench_result *r)
{
	char names[64] = "", key[32];

	for (unsigned p = 0; p < r->nparts; p++) {
		size_t len = strlen(names);
		snprintf(names + len, sizeof(names) - len, "%s%s", p ? "," : "", r->part_names[p]);
	}
	jw_str(w, "parts", names);
	for (unsigned p = 0; p < r->nparts; p++) {
		const struct stats *ps = &r->part_st[p];
		const struct {
			const char *name;
			uint64_t v;
		} f[] = { { "min", ps->min }, { "p50", ps->p50 }, { "mean", ps->mean },
			  { "p99", ps->p99 }, { "max", ps->max }, { "sd", ps->sd } };
		for (unsigned i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
			snprintf(key, sizeof(key), "%s_%s", r->part_names[p], f[i].name);
			jw_u64(w, key, f[i].v);
		}
	}
}

/*
 * The result's whole distribution right after it: HIST_RECORD_PAIRS
 * buckets a record, each record readable alone (docs/protocol.md,
 * "hist"). Not inlined: its buffers must not add to the result record's
 * on the image's small stacks. A record's text: ~630 bytes seen, at
 * most HIST_RECORD_TEXT.
 */
static __attribute__((noinline)) void report_hist(const struct bench_result *r)
{
	uint64_t b[2 * HIST_RECORD_PAIRS];
	char buf[HIST_RECORD_TEXT];
	struct hist_enc e;
	size_t used = hist_buckets_used(r->sorted, r->nsorted), pairs;
	uint64_t parts = (used + HIST_RECORD_PAIRS - 1) / HIST_RECORD_PAIRS, part = 0;
	struct jsonw w;

	hist_enc_begin(&e, r->sorted, r->nsorted);
	while ((pairs = hist_enc_next(&e, b, HIST_RECORD_PAIRS))) {
		jw_begin(&w, buf, sizeof(buf));
		hist_record(&w, r->bench, r->unit, r->st.n, ++part, parts, b, pairs);
		emit(&w);
	}
}

/* Not inlined either: its buffer is gone before report_hist's comes. */
static __attribute__((noinline)) void result_record(const struct bench_result *r)
{
	char buf[1536];
	struct jsonw w;

	if (report_table()) {
		if (!table_header_done) {
			kprintf("\n%-16s %-7s %7s %10s %10s %10s %10s %10s %8s\n", "benchmark",
				"unit", "n", "min", "p50", "mean", "p99", "max", "sd");
			table_header_done = true;
		}
		kprintf("%-16s %-7s %7llu %10llu %10llu %10llu %10llu %10llu %8llu%s%s%s\n",
			r->bench, r->unit, (unsigned long long)r->st.n,
			(unsigned long long)r->st.min, (unsigned long long)r->st.p50,
			(unsigned long long)r->st.mean, (unsigned long long)r->st.p99,
			(unsigned long long)r->st.max, (unsigned long long)r->st.sd,
			r->check.suspect[0] ? "  NOT TRUSTWORTHY" : "", r->call ? "  " : "",
			r->call ? r->call : "");
		for (unsigned p = 0; p < r->nparts; p++) {
			const struct stats *ps = &r->part_st[p];
			kprintf("  .%-13s %-7s %7llu %10llu %10llu %10llu %10llu %10llu %8llu\n",
				r->part_names[p], "", (unsigned long long)ps->n,
				(unsigned long long)ps->min, (unsigned long long)ps->p50,
				(unsigned long long)ps->mean, (unsigned long long)ps->p99,
				(unsigned long long)ps->max, (unsigned long long)ps->sd);
		}
	}
	jw_begin(&w, buf, sizeof(buf));
	jw_str(&w, "t", "result");
	jw_str(&w, "bench", r->bench);
	jw_str(&w, "unit", r->unit);
	if (r->clock) {
		jw_str(&w, "clock", r->clock);
		jw_u64(&w, "clock_hz", r->clock_hz);
	}
	jw_u64(&w, "n", r->st.n);
	jw_u64(&w, "min", r->st.min);
	jw_u64(&w, "p1", r->st.p1);
	jw_u64(&w, "p50", r->st.p50);
	jw_u64(&w, "mean", r->st.mean);
	jw_u64(&w, "p99", r->st.p99);
	jw_u64(&w, "max", r->st.max);
	jw_u64(&w, "sd", r->st.sd);
	jw_u64(&w, "overhead", r->overhead);
	jw_u64(&w, "batch", r->batch);
	if (r->bytes)
		jw_u64(&w, "bytes", r->bytes);
	if (r->bytes_per_frame)
		jw_u64(&w, "frame_bytes", r->bytes_per_frame);
	if (r->call)
		jw_str(&w, "call", r->call);
	if (r->nparts)
		report_parts(&w, r);
	jw_str(&w, "ref", r->check.ref);
	jw_u64(&w, "span_ns", r->check.span_ns);
	jw_u64(&w, "wall_op_ns", r->check.wall_op_ns);
	jw_u64(&w, "accounted", r->check.accounted);
	if (r->check.rate >= 0)
		jw_u64(&w, "rate", (uint64_t)r->check.rate);
	if (r->check.suspect[0])
		jw_str(&w, "suspect", r->check.suspect);
	/* Last: a record too long for its buffer loses the shape, not a figure. */
	jw_u64s(&w, "cdf", r->st.cdf, STATS_CDF_POINTS);
	emit(&w);
}

void report_result(const struct bench_result *r)
{
	result_record(r);
	if (the_options->hist && r->sorted)
		report_hist(r);
	n_results++;
	n_suspect += r->check.suspect[0] != 0;
}

static void simple(const char *type, const char *key1, const char *val1, const char *key2,
		   const char *fmt, va_list ap)
{
	char text[384], buf[640];
	struct jsonw w;

	vsnprintf(text, sizeof(text), fmt, ap);
	jw_begin(&w, buf, sizeof(buf));
	jw_str(&w, "t", type);
	if (key1)
		jw_str(&w, key1, val1);
	jw_str(&w, key2, text);
	if (report_table()) {
		if (key1)
			kprintf("%-16s %s: %s\n", val1, type, text);
		else
			kprintf("%s: %s\n", type, text);
	}
	emit(&w);
}

void report_skip(const char *bench, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	simple("skip", "bench", bench, "reason", fmt, ap);
	va_end(ap);
	n_skips++;
}

void report_error(const char *bench, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	simple("error", "bench", bench, "msg", fmt, ap);
	va_end(ap);
	n_errors++;
}

void report_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	simple("info", NULL, NULL, "msg", fmt, ap);
	va_end(ap);
}

void report_serve(unsigned sockperf, unsigned iperf, unsigned control, unsigned timeout_s)
{
	char buf[192];
	struct jsonw w;

	jw_begin(&w, buf, sizeof(buf));
	jw_str(&w, "t", "serve");
	jw_u64(&w, "sockperf", sockperf);
	jw_u64(&w, "iperf", iperf);
	jw_u64(&w, "control", control);
	jw_u64(&w, "timeout_s", timeout_s);
	if (report_table())
		kprintf("serving the host's clients: sockperf on UDP and TCP %u, iperf on TCP %u; "
			"\"done\" on TCP %u ends it (at most %u s)\n",
			sockperf, iperf, control, timeout_s);
	emit(&w);
}

int report_end(void)
{
	char buf[256];
	struct jsonw w;
	bool ok = n_errors == 0;

	kprintf("\n%u result(s), %u skipped, %u error(s): %s\n", n_results, n_skips, n_errors,
		ok ? "ok" : "FAIL");
	if (n_suspect)
		kprintf("%u result(s) NOT TRUSTWORTHY: the counter missed time (see above)\n",
			n_suspect);
	jw_begin(&w, buf, sizeof(buf));
	jw_str(&w, "t", "end");
	jw_str(&w, "status", ok ? "ok" : "fail");
	jw_u64(&w, "results", n_results);
	jw_u64(&w, "skips", n_skips);
	jw_u64(&w, "errors", n_errors);
	jw_u64(&w, "suspect", n_suspect);
	emit(&w);
	return ok;
}
