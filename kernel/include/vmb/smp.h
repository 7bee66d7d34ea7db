/*
 * More than one CPU: bring-up of every CPU the firmware describes, and
 * running a function on another CPU (the shape of kvm-unit-tests'
 * on-cpus). CPUs without work park with interrupts masked, woken by an
 * IPI where an interrupt controller is up, else by polling.
 *
 * Secondary CPUs never print, allocate or use vmb_try(): they write into
 * memory the caller gave them, and the boot CPU reports.
 */
#ifndef VMB_SMP_H
#define VMB_SMP_H

#include <stdbool.h>
#include <stdint.h>

#include <vmb/fwinfo.h>

#define MAX_CPUS FW_MAX_CPUS

enum cpu_state {
	CPU_ABSENT = 0, /* not described, or not startable */
	CPU_STARTING,	/* asked to start, not arrived yet */
	CPU_FAILED,	/* the start request failed, or it never arrived */
	CPU_IDLE,	/* parked, ready for work */
	CPU_BUSY,	/* running a function */
};

/* Cross-CPU time: this CPU's reference clock minus CPU 0's, in reference
 * ticks, and the half round trip of the best exchange that measured it. */
struct cpu_skew {
	int64_t offset;
	uint64_t uncertainty;
	bool measured;
};

struct cpu_info {
	uint64_t hwid;
	enum cpu_method method;
	volatile enum cpu_state state;
	char why[192]; /* why it is absent or failed */
	struct cpu_skew skew;
};

/* Bring up every CPU in fw; a CPU that does not arrive in time is marked
 * failed with the reason, and the run goes on without it. Then measure
 * each one's clock offset against the boot CPU. */
void smp_init(const struct fw_info *fw);

/* fault=cpu: add to fw one CPU the machine does not have (the next
 * hardware id after the highest, started the way the others are), as a
 * firmware table naming a missing CPU would. */
void smp_describe_phantom(struct fw_info *fw);

/* CPUs running (the boot CPU included), and CPUs described. */
unsigned smp_cpus_up(void);
unsigned smp_cpus_described(void);
const struct cpu_info *smp_cpu(unsigned cpu);
/* How secondaries were started ("psci-hvc", "sipi", ...), "" if none. */
const char *smp_method(void);
/* The CPU this runs on: 0 is the boot CPU. */
unsigned smp_this_cpu(void);
/* The n-th running CPU other than the boot CPU, or -1. */
int smp_other_cpu(unsigned n);

/* Measure cpu's clock offset against this CPU's now (cpu must be idle):
 * the boot-time figure in smp_cpu() may have drifted since. */
bool smp_measure_skew(unsigned cpu, struct cpu_skew *out);

/* Run fn(arg) on cpu and wait for it to return; false when cpu is not
 * up or did not finish within timeout_ms (it is then marked failed). */
bool on_cpu(unsigned cpu, void (*fn)(void *), void *arg, unsigned timeout_ms);
/* Start fn(arg) on cpu and return at once; false when cpu is not idle. */
bool on_cpu_async(unsigned cpu, void (*fn)(void *), void *arg);
/* Wait until cpu is idle again; false on timeout (cpu marked failed). */
bool cpu_wait_idle(unsigned cpu, unsigned timeout_ms);
/* Run fn(arg) on every running CPU, this one last, and wait for all. */
bool on_cpus(void (*fn)(void *), void *arg, unsigned timeout_ms);

/* Called by the architecture on a started secondary: on its own stack,
 * with the boot CPU's page tables, vectors and FP/SIMD set up. */
_Noreturn void smp_secondary_main(unsigned cpu);

#endif
