/* The heartbeat watch: an idle CPU, or the local timer, sees it stop. */
#include <stdio.h>

#include <arch/counter.h>
#include <vmb/arch.h>
#include <vmb/fault.h>
#include <vmb/irq.h>
#include <vmb/platform.h>
#include <vmb/smp.h>
#include <vmb/watchdog.h>

/* A fault code no exception produces: vmb_try() callers tell it apart. */
#define WATCHDOG_FAULT 0x57444f47ull /* "WDOG" */
/* How long a watching CPU sleeps between looks at the beat: long beside
 * the watchdog's 3 s, and few wakeups (each is a VM exit in a guest). */
#define NAP_MS 100

_Static_assert(2 * IRQ_LOST_MS < WATCHDOG_MS,
	       "a lost interrupt must be named before the watchdog fires");

static struct {
	volatile uint64_t beat;
	volatile bool active, fired;
	const char *what;
	int watcher; /* CPU watching, or one of: */
#define WATCHER_NONE (-1)
#define WATCHER_TIMER (-2)
	unsigned watched;
	uint64_t limit;
	/* The watcher sleeps on its own local timer between looks, rather
	 * than spin: a spinning vCPU takes a host CPU from the device models
	 * (QEMU's I/O thread starved for a 4 ms scheduler tick per network
	 * round trip on a 2-core host). Not when the benchmark uses the
	 * local timer's interrupt itself (one handler per interrupt number). */
	bool nap;
} w;
static char why[128];
static char how[24];

void watchdog_beat(void)
{
	w.beat = ref_now();
}

bool watchdog_fired(void)
{
	return w.fired;
}

const char *watchdog_why(void)
{
	return why;
}

/* On the watching CPU: time only on this CPU's own clock how long the
 * beat has stayed the same. Comparing the beat's stamp with this clock
 * would trust two CPUs' counters to agree, and they need not: in the arm64
 * KVM lab one vCPU's counter once ran 6.75 s ahead of the other's, and
 * every benchmark "hung". */
/* Only to wake the watcher (irq_entry completes it). The timer's line is
 * level-triggered on arm64: disarmed here, or it fires again and again
 * the moment the handler returns, and the watcher never gets past it. */
static void nap_tick(unsigned irq, void *arg)
{
	(void)irq, (void)arg;
	local_timer->cancel();
}

static void watcher_loop(void *arg)
{
	uint64_t seen = w.beat, since = ref_now();
	uint64_t nap = ref_ms(NAP_MS);

	(void)arg;
	if (w.nap)
		irqchip->enable(local_timer->irq, true);
	while (w.active) {
		uint64_t now = ref_now(), beat = w.beat;
		if (beat != seen) {
			seen = beat;
			since = now;
		} else if (!w.fired && now - since > w.limit) {
			w.fired = true;
			arch_watchdog_kick(w.watched);
		}
		if (w.nap) {
			local_timer->arm(ref_now() + nap);
			arch_wait_for_irq();
		} else {
			arch_cpu_relax();
		}
	}
	if (w.nap) {
		local_timer->cancel();
		irqchip->enable(local_timer->irq, false);
	}
}

void watchdog_break(void)
{
	char text[160];

	if (!w.fired || !w.active)
		return;
	w.active = false;
	snprintf(text, sizeof(text), "hung: %s made no progress for %u ms (watchdog: %s)",
		 w.what ? w.what : "?", patient_ms(WATCHDOG_MS), how);
	fault_recover(WATCHDOG_FAULT, text);
}

/* The local timer's check, in its interrupt on the watched CPU: at most
 * one interrupt per WATCHDOG_MS while the heartbeat goes on. */
static void watch_timer(unsigned irq, void *arg)
{
	(void)arg;
	if (!w.active) {
		irqchip->eoi(irq);
		return;
	}
	if ((int64_t)(ref_now() - w.beat) > (int64_t)w.limit) {
		w.fired = true;
		local_timer->cancel();
		/* Complete it first: watchdog_break() does not return. */
		irqchip->eoi(irq);
		watchdog_break();
	}
	local_timer->arm(w.beat + w.limit + 1);
	irqchip->eoi(irq);
}

/* One CPU up: the watched CPU's own timer, which the architecture lets
 * through its masking while the watch lasts. Not where other CPUs are up
 * and busy with the benchmark: there its own waits are bounded, and under
 * Xen on TCG's SVM one such x86 run (virt_ipi_rtt, 2 vCPUs) ended in a
 * triple fault not yet understood. */
static const char *start_timer_watch(bool acks_irqs, bool uses_timer)
{
	if (smp_cpus_up() > 1) {
		snprintf(why, sizeof(why), "no idle CPU to watch (the benchmark uses them)");
		return NULL;
	}
	if (!local_timer) {
		snprintf(why, sizeof(why), "one CPU up, and no local timer to stand in");
		return NULL;
	}
	if (uses_timer) {
		snprintf(why, sizeof(why), "one CPU up, and it uses the local timer itself");
		return NULL;
	}
	if (!arch_watchdog_begin(true, acks_irqs, why, sizeof(why)))
		return NULL;
	irq_register(local_timer->irq, watch_timer, NULL, true);
	irqchip->enable(local_timer->irq, true);
	w.watcher = WATCHER_TIMER;
	w.active = true;
	local_timer->arm(w.beat + w.limit + 1);
	snprintf(how, sizeof(how), "local timer");
	return how;
}

const char *watchdog_start(const char *what, bool acks_irqs, bool uses_timer)
{
	w.what = what;
	w.fired = false;
	w.active = false;
	w.watcher = WATCHER_NONE;
	w.watched = smp_this_cpu();
	w.limit = ref_ms(patient_ms(WATCHDOG_MS));
	watchdog_beat();
	why[0] = 0;
	if (!irqchip) {
		snprintf(why, sizeof(why), "no interrupt controller to break in with");
		return NULL;
	}
	for (unsigned c = smp_cpus_described(); c-- > 1;) {
		if (c == w.watched || smp_cpu(c)->state != CPU_IDLE)
			continue;
		if (!arch_watchdog_begin(false, acks_irqs, why, sizeof(why)))
			return NULL;
		w.active = true;
		w.nap = local_timer && !uses_timer;
		if (w.nap)
			irq_register(local_timer->irq, nap_tick, NULL, false);
		if (on_cpu_async(c, watcher_loop, NULL)) {
			w.watcher = (int)c;
			snprintf(how, sizeof(how), "CPU %u", c);
			return how;
		}
		w.active = false;
		if (w.nap)
			irq_unregister(local_timer->irq);
		w.nap = false;
		arch_watchdog_end();
	}
	return start_timer_watch(acks_irqs, uses_timer);
}

void watchdog_stop(void)
{
	int was = w.watcher;

	w.active = false;
	w.watcher = WATCHER_NONE;
	if (was == WATCHER_NONE)
		return;
	if (was == WATCHER_TIMER) {
		local_timer->cancel();
		irq_unregister(local_timer->irq);
	} else {
		/* Out of its nap now rather than at the next look. */
		if (w.nap)
			irqchip->send_ipi((unsigned)was, irqchip->ipi_irq(IPI_WAKE));
		cpu_wait_idle((unsigned)was, 1000);
		if (w.nap)
			irq_unregister(local_timer->irq);
		w.nap = false;
	}
	arch_watchdog_end();
}
