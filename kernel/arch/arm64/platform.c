/*
 * Where an arm64 image runs. Entered at EL2, no hypervisor is below us.
 * At EL1 we ask: Xen announces itself in the device tree, KVM answers
 * the SMCCC vendor-hypervisor UID call. The cycle counter is used when
 * the PMU is there and really counts; its rate is measured against the
 * architected counter.
 */
#include <stdio.h>
#include <string.h>

#include <arch/counter.h>
#include <arch/smccc.h>
#include <arch/sysreg.h>
#include <vmb/arch.h>
#include <vmb/fault.h>
#include <vmb/platform.h>

bool arm64_use_pmccntr;

/* KVM's SMCCC vendor hypervisor UID, as four 32-bit words. */
static const uint32_t kvm_uid[4] = { 0xb66fb428u, 0xe911c52eu, 0x564bcaa9u, 0x743a004du };

static const struct {
	unsigned implementer;
	const char *name;
} vendors[] = {
	{ 0x41, "Arm" },     { 0x42, "Broadcom" },	  { 0x43, "Cavium" },
	{ 0x46, "Fujitsu" }, { 0x48, "HiSilicon" },	  { 0x4e, "NVIDIA" },
	{ 0x50, "APM" },     { 0x51, "Qualcomm" },	  { 0x61, "Apple" },
	{ 0xc0, "Ampere" },  { 0x00, "none (emulator)" },
};

static const struct {
	unsigned implementer, part;
	const char *name;
} parts[] = {
	{ 0x41, 0xd03, "Cortex-A53" },	{ 0x41, 0xd04, "Cortex-A35" },
	{ 0x41, 0xd05, "Cortex-A55" },	{ 0x41, 0xd07, "Cortex-A57" },
	{ 0x41, 0xd08, "Cortex-A72" },	{ 0x41, 0xd09, "Cortex-A73" },
	{ 0x41, 0xd0a, "Cortex-A75" },	{ 0x41, 0xd0b, "Cortex-A76" },
	{ 0x41, 0xd0c, "Neoverse-N1" }, { 0x41, 0xd40, "Neoverse-V1" },
	{ 0x41, 0xd49, "Neoverse-N2" }, { 0x41, 0xd4f, "Neoverse-V2" },
	{ 0x50, 0x000, "X-Gene" },	{ 0x43, 0x0af, "ThunderX2" },
	{ 0xc0, 0xac3, "Ampere-1" },	{ 0x00, 0x051, "QEMU max" },
};

static void identify_cpu(struct platform *p)
{
	uint64_t midr = read_sysreg(midr_el1);
	unsigned impl = (midr >> 24) & 0xff, part = (midr >> 4) & 0xfff;

	p->cpu_signature = midr;
	snprintf(p->cpu_vendor, sizeof(p->cpu_vendor), "impl-%#x", impl);
	for (size_t i = 0; i < sizeof(vendors) / sizeof(vendors[0]); i++)
		if (vendors[i].implementer == impl)
			snprintf(p->cpu_vendor, sizeof(p->cpu_vendor), "%s", vendors[i].name);
	snprintf(p->cpu_model, sizeof(p->cpu_model), "part %#x r%llup%llu", part,
		 (unsigned long long)(midr >> 20) & 0xf, (unsigned long long)midr & 0xf);
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		if (parts[i].implementer == impl && parts[i].part == part)
			snprintf(p->cpu_model, sizeof(p->cpu_model), "%s r%llup%llu", parts[i].name,
				 (unsigned long long)(midr >> 20) & 0xf,
				 (unsigned long long)midr & 0xf);
}

static struct smccc_res probe_res;
static uint64_t probe_fn;

static void probe_hvc(void *arg)
{
	(void)arg;
	probe_res = smccc_hvc(probe_fn, 0, 0, 0);
}

static void detect_hypervisor(struct platform *p, const struct fw_info *fw)
{
	p->el = current_el();
	if (p->el == 2) {
		/* We own EL2: nothing can be below us but firmware at EL3. */
		p->mode = MODE_NATIVE;
		return;
	}
	if (fw->xen_node) {
		p->mode = MODE_XEN;
		snprintf(p->hypervisor, sizeof(p->hypervisor), "Xen (%s)", fw->hyp_compatible);
		return;
	}
	/* With no EL2 at all, HVC is undefined: the probe may fault, which
	 * itself says no hypervisor is there. */
	probe_fn = SMCCC_VENDOR_HYP_UID;
	if (vmb_try(probe_hvc, NULL)) {
		p->mode = MODE_NATIVE;
		return;
	}
	if ((uint32_t)probe_res.a0 == kvm_uid[0] && (uint32_t)probe_res.a1 == kvm_uid[1] &&
	    (uint32_t)probe_res.a2 == kvm_uid[2] && (uint32_t)probe_res.a3 == kvm_uid[3]) {
		p->mode = MODE_KVM;
		/* KVM's vendor-hypervisor service bitmap (PTP and the like). */
		probe_fn = SMCCC_KVM_FEATURES;
		uint32_t features = vmb_try(probe_hvc, NULL) ? 0 : (uint32_t)probe_res.a0;
		snprintf(p->hypervisor, sizeof(p->hypervisor), "KVM features %#x", features);
		return;
	}
	/* NOT_SUPPORTED from a CPU without EL2 comes from firmware that
	 * emulates PSCI on HVC (QEMU does without virtualization=on): no
	 * hypervisor is below us. */
	bool el2_implemented = (read_sysreg(id_aa64pfr0_el1) >> 8) & 0xf;
	if ((int64_t)probe_res.a0 == -1 && !el2_implemented) {
		p->mode = MODE_NATIVE;
		return;
	}
	/* HVC answered, so something runs at EL2, but it is not one we know. */
	p->mode = MODE_UNKNOWN;
	snprintf(p->hypervisor, sizeof(p->hypervisor), "UID %08x-%08x-%08x-%08x",
		 (uint32_t)probe_res.a0, (uint32_t)probe_res.a1, (uint32_t)probe_res.a2,
		 (uint32_t)probe_res.a3);
}

static bool pmu_present(void)
{
	unsigned ver = (read_sysreg(id_aa64dfr0_el1) >> 8) & 0xf;

	return ver != 0 && ver != 0xf;
}

static void pmu_enable(void *arg)
{
	(void)arg;
	/* Count at EL2 too (PMCCFILTR_EL0.NSH) when that is where we run. */
	write_sysreg(pmccfiltr_el0, current_el() == 2 ? (1ull << 27) : 0);
	/* PMCR: enable, reset cycle counter, 64-bit cycle counter (LC). */
	write_sysreg(pmcr_el0, read_sysreg(pmcr_el0) | (1ull << 0) | (1ull << 2) | (1ull << 6));
	write_sysreg(pmcntenset_el0, 1ull << 31);
	isb();
}

static uint64_t wait_cntvct(uint64_t ticks)
{
	uint64_t t0 = read_cntvct();

	while (read_cntvct() - t0 < ticks)
		;
	return read_cntvct() - t0;
}

/* True when the PMU cycle counter is there and moves; its rate is then
 * measured against the architected counter. */
static bool pmccntr_counts(struct platform *p, uint64_t frq)
{
	if (!pmu_present() || vmb_try(pmu_enable, NULL))
		return false;
	uint64_t c0 = read_pmccntr();
	uint64_t ticks = wait_cntvct(frq / 1000 * CALIBRATE_MS);
	uint64_t c1 = read_pmccntr();
	if (c1 <= c0)
		return false;
	p->counter_hz = (c1 - c0) * frq / ticks;
	return true;
}

/*
 * Under a hypervisor the PMU cycle counter is the guest's own: KVM stops
 * it while the host runs (its perf event excludes host and hypervisor
 * time) and traps every PMU access; Xen's vPMU is off by default. It would
 * miss exactly the time a trap costs. The architected counter keeps
 * counting across world switches, so it times everything but native runs.
 */
static void choose_counter(struct platform *p, enum counter_kind want)
{
	uint64_t frq = read_sysreg(cntfrq_el0);
	bool native = p->mode == MODE_NATIVE;

	p->timer_hz = frq;
	snprintf(p->timer_name, sizeof(p->timer_name), "cntfrq");
	p->ref = COUNTER_CNTVCT;
	p->ref_hz = frq;
	p->counter = COUNTER_CNTVCT;
	p->counter_hz = frq;
	if (!frq) {
		snprintf(p->counter_why, sizeof(p->counter_why),
			 "CNTFRQ_EL0 is 0: firmware did not set the counter rate");
		return;
	}
	if (want == COUNTER_CNTVCT) {
		snprintf(p->counter_why, sizeof(p->counter_why), "counter=cntvct asked");
		return;
	}
	if (want == COUNTER_PMCCNTR || (!want && native)) {
		if (pmccntr_counts(p, frq)) {
			arm64_use_pmccntr = true;
			p->counter = COUNTER_PMCCNTR;
			snprintf(p->counter_why, sizeof(p->counter_why), "%s",
				 !native      ? "counter=pmccntr asked: misses time spent in the "
						"hypervisor"
				 : p->el == 2 ? "native at EL2: PMU cycle counter, EL2 counted too"
					      : "native: PMU cycle counter");
			return;
		}
		snprintf(p->counter_why, sizeof(p->counter_why), "%s%s",
			 want ? "counter=pmccntr asked, but " : "",
			 "no PMU cycle counter counts here");
		return;
	}
	if (want)
		snprintf(p->counter_why, sizeof(p->counter_why), "counter=%s is not on arm64",
			 counter_name(want));
	else
		snprintf(p->counter_why, sizeof(p->counter_why),
			 "under a hypervisor: the PMU would miss the hypervisor's time");
}

void arch_platform_init(struct platform *p, const struct fw_info *fw, enum counter_kind want)
{
	p->psci = fw->psci;
	identify_cpu(p);
	detect_hypervisor(p, fw);
	if (p->mode == MODE_NATIVE) {
		/* With nothing below us the machine we see is the machine. */
		p->emulated = fw->qemu ? TRI_YES : TRI_NO;
		snprintf(p->emulation, sizeof(p->emulation), "%s, no hypervisor",
			 fw->qemu ? "QEMU machine" : "not a QEMU machine model");
	} else {
		/* A guest cannot see whether its hypervisor runs on hardware or
		 * on an emulator: say so rather than guess. */
		p->emulated = TRI_UNKNOWN;
		snprintf(p->emulation, sizeof(p->emulation),
			 "a guest cannot see what its hypervisor runs on");
	}
	snprintf(p->platform, sizeof(p->platform), "%s", fw->model[0] ? fw->model : "unknown");
	p->cpus = fw->cpus ? fw->cpus : 1;
	choose_counter(p, want);
}

/* arm64 has no microcode revision; REVIDR_EL1 (implementation-defined
 * revision bits beside MIDR_EL1's variant and revision) comes closest. A
 * hypervisor may trap it (HCR_EL2.TID1): read under fault handling. */
static void read_revidr(void *arg)
{
	*(uint64_t *)arg = read_sysreg(revidr_el1);
}

void (*const arch_microcode_reader)(void *rev) = read_revidr;
