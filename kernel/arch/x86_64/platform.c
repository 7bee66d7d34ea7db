/*
 * Where an x86_64 image runs: CPU identity from CPUID, the hypervisor
 * from its CPUID leaves, and the TSC frequency from CPUID or measured
 * against a fixed-rate timer (ACPI PM timer, HPET).
 */
#include <stdio.h>
#include <string.h>

#include <arch/counter.h>
#include <arch/x86.h>
#include <vmb/arch.h>
#include <vmb/console.h>
#include <vmb/platform.h>

bool x86_use_rdtscp;
bool x86_is_amd;

#define PM_TIMER_HZ 3579545u

static void copy_regs(char *dst, const uint32_t *regs, int n)
{
	memcpy(dst, regs, 4 * (size_t)n);
	dst[4 * n] = 0;
}

static void identify_cpu(struct platform *p)
{
	struct cpuid_regs r = cpuid(0, 0);
	uint32_t v[3] = { r.ebx, r.edx, r.ecx };

	copy_regs(p->cpu_vendor, v, 3);
	x86_is_amd =
		!strcmp(p->cpu_vendor, "AuthenticAMD") || !strcmp(p->cpu_vendor, "HygonGenuine");
	p->cpu_signature = cpuid(1, 0).eax;

	if (cpuid(0x80000000, 0).eax >= 0x80000004) {
		uint32_t brand[12];
		for (int i = 0; i < 3; i++) {
			struct cpuid_regs b = cpuid(0x80000002 + i, 0);
			brand[4 * i] = b.eax;
			brand[4 * i + 1] = b.ebx;
			brand[4 * i + 2] = b.ecx;
			brand[4 * i + 3] = b.edx;
		}
		char text[49];
		copy_regs(text, brand, 12);
		const char *t = text;
		while (*t == ' ')
			t++;
		snprintf(p->cpu_model, sizeof(p->cpu_model), "%s", t);
	} else {
		snprintf(p->cpu_model, sizeof(p->cpu_model), "family %#x",
			 (unsigned)(p->cpu_signature >> 8) & 0xf);
	}
	/* RDTSCP: CPUID 0x80000001 EDX bit 27. */
	x86_use_rdtscp =
		cpuid(0x80000000, 0).eax >= 0x80000001 && (cpuid(0x80000001, 0).edx & (1u << 27));
}

/* Hypervisor leaves start at 0x40000000; Xen moves its own up by 0x100
 * steps when it also offers another interface (Viridian). */
static void detect_hypervisor(struct platform *p)
{
	bool hv_bit = cpuid(1, 0).ecx & (1u << 31);

	p->mode = MODE_NATIVE;
	if (!hv_bit)
		return;
	p->mode = MODE_UNKNOWN;
	for (uint32_t base = 0x40000000; base < 0x40010000; base += 0x100) {
		struct cpuid_regs r = cpuid(base, 0);
		uint32_t s[3] = { r.ebx, r.ecx, r.edx };
		char sig[13];

		copy_regs(sig, s, 3);
		if (!strcmp(sig, "KVMKVMKVM")) {
			p->mode = MODE_KVM;
			/* KVM's paravirtual feature bits, as the guest sees them. */
			snprintf(p->hypervisor, sizeof(p->hypervisor), "KVM features %#x",
				 r.eax >= base + 1 ? cpuid(base + 1, 0).eax : 0);
			return;
		}
		if (!strcmp(sig, "XenVMMXenVMM")) {
			struct cpuid_regs ver = cpuid(base + 1, 0);
			p->mode = MODE_XEN;
			snprintf(p->hypervisor, sizeof(p->hypervisor), "Xen %u.%u", ver.eax >> 16,
				 ver.eax & 0xffff);
			return;
		}
		if (!strcmp(sig, "TCGTCGTCGTCG")) {
			/* QEMU's emulator itself: no hypervisor, an emulated CPU. */
			p->mode = MODE_NATIVE;
			p->emulated = TRI_YES;
			snprintf(p->emulation, sizeof(p->emulation),
				 "CPUID signature TCGTCGTCGTCG");
			return;
		}
		if (base == 0x40000000 && sig[0] >= 0x20 && sig[0] < 0x7f)
			snprintf(p->hypervisor, sizeof(p->hypervisor), "%s", sig);
	}
}

static uint32_t pm_timer_read(const struct fw_info *fw)
{
	if (fw->pm_timer_port)
		return inl((uint16_t)fw->pm_timer_port);
	return *(volatile uint32_t *)(uintptr_t)fw->pm_timer_mmio;
}

/* TSC ticks over a PM-timer interval, the interval given in PM ticks. */
static uint64_t calibrate_pm(const struct fw_info *fw)
{
	uint32_t mask = fw->pm_timer_32bit ? 0xffffffffu : 0xffffffu;
	uint32_t want = PM_TIMER_HZ / 1000 * CALIBRATE_MS, elapsed = 0;
	uint32_t last = pm_timer_read(fw) & mask;
	uint64_t t0 = rdtsc_fenced(), t1;
	uint64_t guard = 0;

	/* The PM timer may be absent though named: bound the wait. */
	while (elapsed < want) {
		uint32_t now = pm_timer_read(fw) & mask;
		elapsed += (now - last) & mask;
		last = now;
		if (++guard > 100000000ull)
			return 0;
	}
	t1 = rdtsc_fenced();
	return (t1 - t0) * PM_TIMER_HZ / elapsed;
}

static uint64_t calibrate_hpet(const struct fw_info *fw)
{
	volatile uint64_t *hpet = (volatile uint64_t *)(uintptr_t)fw->hpet_base;
	uint64_t period_fs = hpet[0] >> 32; /* femtoseconds per tick */

	if (!period_fs || period_fs > 100000000ull)
		return 0;
	hpet[0x10 / 8] |= 1; /* enable the main counter */
	uint64_t hz = 1000000000000000ull / period_fs;
	uint64_t want = hz / 1000 * CALIBRATE_MS;
	uint64_t c0 = hpet[0xf0 / 8], t0 = rdtsc_fenced(), c1, guard = 0;
	do {
		c1 = hpet[0xf0 / 8];
		if (++guard > 100000000ull)
			return 0;
	} while (c1 - c0 < want);
	uint64_t t1 = rdtsc_fenced();
	return (t1 - t0) * hz / (c1 - c0);
}

static void choose_counter(struct platform *p, const struct fw_info *fw)
{
	struct cpuid_regs r;
	uint32_t max_leaf = cpuid(0, 0).eax;

	p->counter = COUNTER_TSC;
	/* CPUID 0x15 with a crystal frequency is exact; nothing to measure. */
	if (max_leaf >= 0x15) {
		r = cpuid(0x15, 0);
		if (r.eax && r.ebx && r.ecx) {
			p->counter_hz = (uint64_t)r.ecx * r.ebx / r.eax;
			p->timer_hz = r.ecx;
			snprintf(p->timer_name, sizeof(p->timer_name), "cpuid-15h");
			return;
		}
	}
	if (fw->pm_timer_port || fw->pm_timer_mmio) {
		p->counter_hz = calibrate_pm(fw);
		if (p->counter_hz) {
			p->timer_hz = PM_TIMER_HZ;
			snprintf(p->timer_name, sizeof(p->timer_name), "acpi-pm");
			return;
		}
	}
	if (fw->hpet_base) {
		p->counter_hz = calibrate_hpet(fw);
		if (p->counter_hz) {
			p->timer_hz = 1000000000000000ull /
				      (((volatile uint64_t *)(uintptr_t)fw->hpet_base)[0] >> 32);
			snprintf(p->timer_name, sizeof(p->timer_name), "hpet");
			return;
		}
	}
	/* Hypervisors publish the guest's TSC rate: Xen in leaf base+3
	 * (sub-leaf 0, ECX in kHz), KVM in 0x40000010 (EAX in kHz). */
	if (p->mode == MODE_XEN || p->mode == MODE_KVM) {
		for (uint32_t base = 0x40000000; base < 0x40010000; base += 0x100) {
			struct cpuid_regs id = cpuid(base, 0);
			uint64_t khz = 0;
			if (id.ebx == 0x566e6558u && id.eax >= base + 3) /* "XenV" */
				khz = cpuid(base + 3, 0).ecx;
			else if (id.ebx == 0x4b4d564bu && id.eax >= base + 0x10) /* "KVMK" */
				khz = cpuid(base + 0x10, 0).eax;
			if (khz) {
				p->counter_hz = khz * 1000;
				snprintf(p->timer_name, sizeof(p->timer_name), "%s",
					 p->mode == MODE_XEN ? "xen-cpuid" : "kvm-cpuid");
				return;
			}
		}
	}
	if (max_leaf >= 0x16 && (r = cpuid(0x16, 0)).eax) {
		p->counter_hz = (uint64_t)r.eax * 1000000;
		snprintf(p->timer_name, sizeof(p->timer_name), "cpuid-16h");
		return;
	}
	snprintf(p->timer_name, sizeof(p->timer_name), "none");
}

/* Whether the CPU is an emulator's, with the evidence. A guest of a
 * real hypervisor cannot tell what that hypervisor runs on, unless the
 * CPU it is shown gives the emulator away. */
static void judge_emulation(struct platform *p, const struct fw_info *fw)
{
	if (p->emulated == TRI_YES)
		return;
	/* QEMU names its TCG CPU model so, and passes the name through to
	 * guests of a hypervisor that itself runs on TCG. */
	if (strstr(p->cpu_model, "QEMU TCG")) {
		p->emulated = TRI_YES;
		snprintf(p->emulation, sizeof(p->emulation), "CPU model \"%s\"", p->cpu_model);
	} else if (p->mode != MODE_NATIVE) {
		p->emulated = TRI_UNKNOWN;
		snprintf(p->emulation, sizeof(p->emulation),
			 "a guest cannot see what its hypervisor runs on");
	} else if (fw->qemu) {
		/* A QEMU machine with no hypervisor below is QEMU's emulator;
		 * Bochs's BIOS writes the same ACPI OEM ID. */
		p->emulated = TRI_YES;
		snprintf(p->emulation, sizeof(p->emulation),
			 "QEMU or Bochs machine (ACPI OEM BOCHS), no hypervisor");
	} else {
		p->emulated = TRI_NO;
		snprintf(p->emulation, sizeof(p->emulation),
			 "no hypervisor bit, not a QEMU machine, CPU not QEMU's");
	}
}

/* Why the TSC, and how far to trust its rate: it keeps counting across
 * VM exits; invariant means constant rate through P- and C-states. */
static void explain_counter(struct platform *p, enum counter_kind want)
{
	p->ref = COUNTER_TSC;
	p->ref_hz = p->counter_hz;
	if (cpuid(0x80000000, 0).eax >= 0x80000007)
		p->tsc_invariant = cpuid(0x80000007, 0).edx & (1u << 8) ? TRI_YES : TRI_NO;
	snprintf(p->counter_why, sizeof(p->counter_why), "%s%s%s; rate from %s",
		 want && want != COUNTER_TSC ? "only the TSC on x86_64: " : "",
		 "TSC counts across VM exits",
		 p->tsc_invariant == TRI_YES  ? ", invariant"
		 : p->tsc_invariant == TRI_NO ? ", NOT invariant (rate may change)"
					      : ", invariance not reported",
		 p->timer_name);
}

void arch_platform_init(struct platform *p, const struct fw_info *fw, enum counter_kind want)
{
	identify_cpu(p);
	detect_hypervisor(p);
	judge_emulation(p, fw);
	snprintf(p->platform, sizeof(p->platform), "%s", fw->model[0] ? fw->model : "unknown");
	p->cpus = fw->cpus ? fw->cpus : 1;
	choose_counter(p, fw);
	explain_counter(p, want);
}

/* Intel: write 0, CPUID leaf 1 (which loads the revision), read the
 * high half; AMD: read the low half. Under a hypervisor or emulator the
 * MSR is what it chooses to say, or a #GP (Bochs, Xen may refuse it). */
static void read_microcode(void *arg)
{
	uint64_t *rev = arg;

	if (x86_is_amd) {
		*rev = rdmsr(MSR_BIOS_SIGN_ID) & 0xffffffffu;
		return;
	}
	wrmsr(MSR_BIOS_SIGN_ID, 0);
	(void)cpuid(1, 0);
	*rev = rdmsr(MSR_BIOS_SIGN_ID) >> 32;
}

void (*const arch_microcode_reader)(void *rev) = read_microcode;

/* Where a BIOS (SeaBIOS, qboot, a real one) leaves its SMBIOS entry point. */
bool arch_bios_area(uint64_t *base, size_t *len)
{
	*base = 0xf0000;
	*len = 0x10000;
	return true;
}
