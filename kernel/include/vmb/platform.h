/* Where we run: the facts that go into the boot record. */
#ifndef VMB_PLATFORM_H
#define VMB_PLATFORM_H

#include <stdbool.h>
#include <stdint.h>

#include <vmb/counters.h>
#include <vmb/fwinfo.h>

enum vmb_mode {
	MODE_UNKNOWN = 0,
	MODE_NATIVE,
	MODE_KVM,
	MODE_XEN,
};

/* Whether the CPU is an emulator's: never "no" without evidence. */
enum tristate {
	TRI_UNKNOWN = 0,
	TRI_NO,
	TRI_YES,
};

struct platform {
	enum vmb_mode mode;
	char hypervisor[48];	/* signature / version the hypervisor reported */
	enum tristate emulated; /* QEMU TCG or another CPU emulator */
	char emulation[80];	/* the evidence for the verdict */
	char platform[64];	/* machine model */
	int el;			/* arm64 exception level, 0 elsewhere */
	unsigned cpus;

	char cpu_vendor[16];
	char cpu_model[64];
	uint64_t cpu_signature; /* MIDR_EL1 or CPUID.1:EAX */

	enum counter_kind counter;
	uint64_t counter_hz;   /* measured or architected */
	char counter_why[112]; /* why this counter, in a sentence */
	uint64_t timer_hz;     /* the reference it was measured against */
	char timer_name[16];
	enum tristate tsc_invariant; /* x86_64: CPUID 0x80000007 EDX[8] */

	/* The independent clock every result's sampling loop is checked
	 * against (arch/counter.h ref_now()). */
	enum counter_kind ref;
	uint64_t ref_hz;

	enum psci_conduit psci;

	/* Under Xen (xen_describe): "4.17.7+13-g2445b30a44", the domain's
	 * role ("dom0", "domU", "dom0less") and id, -1 where not known. */
	char xen_version[40];
	const char *xen_role;
	int xen_domid;

	/* Where the figures come from beyond CPU and mode (kernel/provenance.c):
	 * "" where not known, and then left out of the boot record. */
	struct provenance {
		char fw_vendor[64], fw_version[64], fw_date[16]; /* SMBIOS 0, UEFI, U-Boot */
		char sys_vendor[64], sys_product[64];		 /* SMBIOS 1, DT model */
		char smbios[8];					 /* its version, "3.0" */
		char dt_compatible[64];				 /* the DT root's first */
		char uefi_vendor[64], uefi_revision[16];	 /* UEFI system table */
		char microcode[24];				 /* arch_microcode */
	} prov;

	void *efi_runtime;  /* UEFI runtime services, NULL off UEFI */
	uint64_t acpi_rsdp; /* 0 when the firmware gave none */
};

extern struct platform the_platform;

/* ms as ticks of the reference clock (arch/counter.h ref_now()). */
static inline uint64_t ref_ms(unsigned ms)
{
	return the_platform.ref_hz / 1000 * ms;
}

/* Waits bounded for hardware (an interrupt's delivery, a CPU's answer,
 * the watchdog's patience) last this many times longer where the CPU is
 * or may be emulated: on a loaded 2-core host a TCG vCPU took its timer
 * interrupt 0.38 s after the deadline, and an IPI over 1 s after it was
 * sent. Hardware keeps the tight bounds, so a real loss is named soon. */
#define EMULATED_SLACK 5
static inline unsigned patient_ms(unsigned ms)
{
	return the_platform.emulated == TRI_NO ? ms : ms * EMULATED_SLACK;
}

/* a * b / c in two parts, so that seconds of a GHz counter cannot
 * overflow: exact while (c - 1) * b < 2^64 (a frequency and ns). */
static inline uint64_t muldiv64(uint64_t a, uint64_t b, uint64_t c)
{
	return c ? a / c * b + a % c * b / c : 0;
}

/* Ticks of a counter at hz in ns. */
static inline uint64_t ticks_to_ns(uint64_t ticks, uint64_t hz)
{
	return muldiv64(ticks, 1000000000ull, hz);
}

const char *mode_name(enum vmb_mode mode);

/* How long the counter is calibrated against the reference timer. */
#define CALIBRATE_MS 50

#endif
