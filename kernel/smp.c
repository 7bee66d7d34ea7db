/*
 * Every CPU the firmware describes, started through the architecture's
 * arch_cpu_on(); work handed to a CPU through one mailbox per CPU.
 * Secondaries wait in smp_secondary_main() with interrupts masked.
 */
#include <stdio.h>
#include <string.h>

#include <arch/counter.h>
#include <vmb/arch.h>
#include <vmb/console.h>
#include <vmb/irq.h>
#include <vmb/mem.h>
#include <vmb/platform.h>
#include <vmb/smp.h>

#define SECONDARY_STACK_PAGES 4
/* A CPU that has not arrived after this long is reported and left out:
 * generous, because a nested emulator starts vCPUs slowly. */
#define ARRIVE_TIMEOUT_MS 5000
/* Clock offset: the exchange with the shortest round trip of this many. */
#define SKEW_ROUNDS 64

struct mailbox {
	void (*fn)(void *);
	void *arg;
	unsigned seq;  /* bumped by the sender for each job */
	unsigned done; /* set to seq by the CPU when the job returned */
};

static struct cpu_info cpus[MAX_CPUS];
static struct mailbox mbox[MAX_CPUS];
static unsigned n_described, n_up;
static const char *method = "";

unsigned smp_cpus_up(void)
{
	return n_up ? n_up : 1;
}

unsigned smp_cpus_described(void)
{
	return n_described ? n_described : 1;
}

const struct cpu_info *smp_cpu(unsigned cpu)
{
	return cpu < MAX_CPUS ? &cpus[cpu] : NULL;
}

const char *smp_method(void)
{
	return method;
}

unsigned smp_this_cpu(void)
{
	return arch_cpu_index();
}

int smp_other_cpu(unsigned n)
{
	for (unsigned c = 1; c < n_described; c++)
		if (cpus[c].state == CPU_IDLE || cpus[c].state == CPU_BUSY)
			if (n-- == 0)
				return (int)c;
	return -1;
}

/* Spin until *flag == want or the timeout passes. */
static bool wait_uint(unsigned *flag, unsigned want, unsigned timeout_ms)
{
	uint64_t t0 = ref_now(), limit = ref_ms(timeout_ms);

	while (__atomic_load_n(flag, __ATOMIC_ACQUIRE) != want) {
		if (ref_now() - t0 > limit)
			return false;
		arch_cpu_relax();
	}
	return true;
}

static void wake(unsigned cpu)
{
	if (irqchip)
		irqchip->send_ipi(cpu, irqchip->ipi_irq(IPI_WAKE));
}

bool on_cpu_async(unsigned cpu, void (*fn)(void *), void *arg)
{
	if (cpu >= n_described || cpus[cpu].state != CPU_IDLE || cpu == smp_this_cpu())
		return false;
	struct mailbox *m = &mbox[cpu];
	cpus[cpu].state = CPU_BUSY;
	m->arg = arg;
	__atomic_store_n(&m->fn, fn, __ATOMIC_RELAXED);
	__atomic_fetch_add(&m->seq, 1, __ATOMIC_RELEASE);
	wake(cpu);
	return true;
}

bool cpu_wait_idle(unsigned cpu, unsigned timeout_ms)
{
	if (cpu >= n_described)
		return false;
	if (cpus[cpu].state != CPU_BUSY)
		return cpus[cpu].state == CPU_IDLE;
	struct mailbox *m = &mbox[cpu];
	unsigned seq = __atomic_load_n(&m->seq, __ATOMIC_RELAXED);
	if (!wait_uint(&m->done, seq, patient_ms(timeout_ms))) {
		cpus[cpu].state = CPU_FAILED;
		snprintf(cpus[cpu].why, sizeof(cpus[cpu].why),
			 "did not finish its work within %u ms", patient_ms(timeout_ms));
		return false;
	}
	cpus[cpu].state = CPU_IDLE;
	return true;
}

bool on_cpu(unsigned cpu, void (*fn)(void *), void *arg, unsigned timeout_ms)
{
	if (cpu == smp_this_cpu()) {
		fn(arg);
		return true;
	}
	return on_cpu_async(cpu, fn, arg) && cpu_wait_idle(cpu, timeout_ms);
}

bool on_cpus(void (*fn)(void *), void *arg, unsigned timeout_ms)
{
	bool ok = true;

	for (unsigned c = 0; c < n_described; c++)
		if (c != smp_this_cpu() && cpus[c].state == CPU_IDLE)
			ok &= on_cpu_async(c, fn, arg);
	fn(arg);
	for (unsigned c = 0; c < n_described; c++)
		if (c != smp_this_cpu() && cpus[c].state == CPU_BUSY)
			ok &= cpu_wait_idle(c, timeout_ms);
	return ok;
}

/* The wake IPI only ends a wait; the mailbox says what to do. */
static void wake_handler(unsigned irq, void *arg)
{
	(void)irq, (void)arg;
}

_Noreturn void smp_secondary_main(unsigned cpu)
{
	struct mailbox *m = &mbox[cpu];
	unsigned seen = __atomic_load_n(&m->seq, __ATOMIC_ACQUIRE);
	bool sleep = irqchip && irq_cpu_init();

	enum cpu_state starting = CPU_STARTING;

	arch_irq_disable();
	if (sleep)
		irqchip->enable(irqchip->ipi_irq(IPI_WAKE), true);
	/* Too late (the boot CPU gave up on it): stay out of the way. */
	if (!__atomic_compare_exchange_n(&cpus[cpu].state, &starting, CPU_IDLE, false,
					 __ATOMIC_RELEASE, __ATOMIC_RELAXED))
		for (;;)
			arch_cpu_relax();
	for (;;) {
		unsigned seq = __atomic_load_n(&m->seq, __ATOMIC_ACQUIRE);
		if (seq == seen) {
			/* Parked: interrupts masked except inside the wait. */
			if (sleep)
				arch_wait_for_irq();
			else
				arch_cpu_relax();
			continue;
		}
		seen = seq;
		void (*fn)(void *) = __atomic_load_n(&m->fn, __ATOMIC_RELAXED);
		fn(m->arg);
		arch_irq_disable();
		__atomic_store_n(&m->done, seq, __ATOMIC_RELEASE);
	}
}

/*
 * Clock offset by ping-pong through shared memory: CPU 0 notes t0 and
 * rings; the other CPU answers with its own time t1; CPU 0 notes t2.
 * offset = t1 - (t0 + t2) / 2, within (t2 - t0) / 2. The exchange with
 * the shortest round trip bounds it best.
 */
struct skew_exchange {
	unsigned ping, pong;
	uint64_t t1;
};

static void skew_responder(void *arg)
{
	struct skew_exchange *x = arg;

	for (unsigned i = 1; i <= SKEW_ROUNDS; i++) {
		if (!wait_uint(&x->ping, i, 1000))
			return;
		x->t1 = ref_now();
		__atomic_store_n(&x->pong, i, __ATOMIC_RELEASE);
	}
}

bool smp_measure_skew(unsigned cpu, struct cpu_skew *s)
{
	static struct skew_exchange x;
	uint64_t best = UINT64_MAX;

	*s = (struct cpu_skew){ 0 };
	x = (struct skew_exchange){ 0 };
	if (cpu >= n_described || !on_cpu_async(cpu, skew_responder, &x))
		return false;
	for (unsigned i = 1; i <= SKEW_ROUNDS; i++) {
		uint64_t t0 = ref_now();
		__atomic_store_n(&x.ping, i, __ATOMIC_RELEASE);
		if (!wait_uint(&x.pong, i, 1000))
			break;
		uint64_t t2 = ref_now(), t1 = x.t1;
		if (t2 - t0 < best) {
			best = t2 - t0;
			s->offset = (int64_t)(t1 - (t0 + (t2 - t0) / 2));
			s->uncertainty = (t2 - t0 + 1) / 2;
			s->measured = true;
		}
	}
	cpu_wait_idle(cpu, 2000);
	return s->measured;
}

void smp_describe_phantom(struct fw_info *fw)
{
	uint64_t top = arch_cpu_hwid();
	enum cpu_method m = CPU_METHOD_NONE;

	for (unsigned i = 0; i < fw->ncpu; i++) {
		if (fw->cpu[i].hwid > top)
			top = fw->cpu[i].hwid;
		if (fw->cpu[i].method != CPU_METHOD_NONE)
			m = fw->cpu[i].method;
	}
	if (fw->ncpu >= FW_MAX_CPUS || m == CPU_METHOD_NONE) {
		kprintf("vmbench: fault=cpu: %s; nothing added\n",
			fw->ncpu >= FW_MAX_CPUS ? "the CPU list is full"
						: "no CPU with a start method to copy");
		return;
	}
	fw->cpu[fw->ncpu++] = (struct fw_cpu){ .hwid = top + 1, .method = m };
	fw->cpus++;
	kprintf("vmbench: fault=cpu: describing a CPU with id %#llx that the machine does not "
		"have\n",
		(unsigned long long)(top + 1));
}

void smp_init(const struct fw_info *fw)
{
	uint64_t self = arch_cpu_hwid();
	unsigned next = 1;
	bool self_found = false;

	arch_set_cpu_index(0);
	if (irqchip)
		irq_register(irqchip->ipi_irq(IPI_WAKE), wake_handler, NULL, false);
	cpus[0] = (struct cpu_info){ .hwid = self, .state = CPU_BUSY };
	n_described = 1;
	/* The boot CPU is index 0 wherever the tables list it. */
	for (unsigned i = 0; i < fw->ncpu && next < MAX_CPUS; i++) {
		const struct fw_cpu *c = &fw->cpu[i];
		if (c->hwid == self && !self_found) {
			self_found = true;
			cpus[0].method = c->method;
			continue;
		}
		struct cpu_info *ci = &cpus[next++];
		*ci = (struct cpu_info){ .hwid = c->hwid, .method = c->method };
		if (c->method == CPU_METHOD_NONE) {
			ci->state = CPU_ABSENT;
			snprintf(ci->why, sizeof(ci->why), "the firmware names no way to start it");
			continue;
		}
		void *stack = mem_alloc_pages(SECONDARY_STACK_PAGES);
		const char *m = arch_cpu_method_name(fw, c);
		if (!*method)
			method = m;
		ci->state = CPU_STARTING;
		if (!stack) {
			ci->state = CPU_FAILED;
			snprintf(ci->why, sizeof(ci->why), "no memory for its stack");
		} else if (!arch_cpu_on(fw, c, next - 1,
					(char *)stack + SECONDARY_STACK_PAGES * 4096, ci->why,
					sizeof(ci->why))) {
			ci->state = CPU_FAILED;
		}
	}
	n_described = next;
	if (fw->ncpu && !self_found)
		snprintf(cpus[0].why, sizeof(cpus[0].why),
			 "the boot CPU (id %#llx) is not in the firmware's list",
			 (unsigned long long)self);

	uint64_t t0 = ref_now(), limit = ref_ms(ARRIVE_TIMEOUT_MS);
	for (unsigned c = 1; c < n_described; c++) {
		while (cpus[c].state == CPU_STARTING && ref_now() - t0 < limit)
			arch_cpu_relax();
		if (cpus[c].state == CPU_STARTING) {
			cpus[c].state = CPU_FAILED;
			snprintf(cpus[c].why, sizeof(cpus[c].why),
				 "did not arrive within %u ms of its start request",
				 ARRIVE_TIMEOUT_MS);
		}
	}
	n_up = 1;
	for (unsigned c = 1; c < n_described; c++)
		if (cpus[c].state == CPU_IDLE) {
			n_up++;
			smp_measure_skew(c, &cpus[c].skew);
		}
	cpus[0].skew.measured = true;
}
