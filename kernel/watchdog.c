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

static struct {
	volatile uint64_t beat;
	volatile bool active, fired;
	const char *what;
	int watcher; /* CPU watching, or -1 for the local timer */
	unsigned watched;
	uint64_t limit;
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

static void watcher_loop(void *arg)
{
	(void)arg;
	while (w.active) {
		/* Signed: the beat, stamped on the other CPU, may be a little
		 * ahead of this CPU's clock. */
		int64_t age = (int64_t)(ref_now() - w.beat);
		if (!w.fired && age > (int64_t)w.limit) {
			w.fired = true;
			arch_watchdog_kick(w.watched);
		}
		arch_cpu_relax();
	}
}

void watchdog_break(void)
{
	char text[160];

	if (!w.fired || !w.active)
		return;
	w.active = false;
	snprintf(text, sizeof(text), "hung: %s made no progress for %u ms (watchdog: %s)",
		 w.what ? w.what : "?", WATCHDOG_MS, how);
	fault_recover(WATCHDOG_FAULT, text);
}

const char *watchdog_start(const char *what, bool acks_irqs)
{
	w.what = what;
	w.fired = false;
	w.active = false;
	w.watcher = -1;
	w.watched = smp_this_cpu();
	w.limit = the_platform.ref_hz / 1000 * WATCHDOG_MS;
	watchdog_beat();
	why[0] = 0;
	if (!irqchip) {
		snprintf(why, sizeof(why), "no interrupt controller to break in with");
		return NULL;
	}
	if (!arch_watchdog_begin(acks_irqs, why, sizeof(why)))
		return NULL;
	for (unsigned c = smp_cpus_described(); c-- > 1;) {
		if (c == w.watched || smp_cpu(c)->state != CPU_IDLE)
			continue;
		w.active = true;
		if (on_cpu_async(c, watcher_loop, NULL)) {
			w.watcher = (int)c;
			snprintf(how, sizeof(how), "CPU %u", c);
			return how;
		}
		w.active = false;
	}
	arch_watchdog_end();
	/* A local timer could stand in only where it can interrupt a CPU that
	 * masks interrupts; here the break-in needs a second CPU. */
	snprintf(why, sizeof(why), "%s",
		 smp_cpus_up() > 1 ? "no idle CPU to watch (the benchmark uses them)"
				   : "one CPU up, and the break-in needs a second one");
	return NULL;
}

void watchdog_stop(void)
{
	bool was = w.watcher >= 0;

	w.active = false;
	if (!was)
		return;
	cpu_wait_idle((unsigned)w.watcher, 1000);
	w.watcher = -1;
	arch_watchdog_end();
}
