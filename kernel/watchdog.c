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
		if (!w.fired && ref_now() - w.beat > w.limit) {
			w.fired = true;
			arch_watchdog_kick(w.watched);
		}
		arch_cpu_relax();
	}
}

static void timer_fired(unsigned irq, void *arg)
{
	(void)irq, (void)arg;
	if (w.active && ref_now() - w.beat > w.limit) {
		w.fired = true;
		watchdog_break();
	}
	/* Beats came in time: look again one period from the last one. */
	local_timer->arm(w.beat + w.limit + 1);
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

const char *watchdog_start(const char *what, bool timer_busy)
{
	w.what = what;
	w.fired = false;
	w.watched = smp_this_cpu();
	w.limit = the_platform.ref_hz / 1000 * WATCHDOG_MS;
	watchdog_beat();
	why[0] = 0;
	if (!irqchip) {
		snprintf(why, sizeof(why), "no interrupt controller to break in with");
		return NULL;
	}
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
	if (timer_busy || !local_timer || !arch_watchdog_timer_ok()) {
		snprintf(why, sizeof(why), "%s",
			 timer_busy	? "no idle CPU, and the benchmark uses the local timer"
			 : !local_timer ? "no idle CPU and no local timer"
					: "no idle CPU, and the local timer cannot interrupt a CPU "
					  "that masks interrupts here");
		return NULL;
	}
	w.watcher = -1;
	w.active = true;
	irq_register(local_timer->irq, timer_fired, NULL, false);
	arch_watchdog_timer_open(local_timer->irq);
	local_timer->arm(w.beat + w.limit + 1);
	snprintf(how, sizeof(how), "local timer");
	return how;
}

void watchdog_stop(void)
{
	bool was = w.active || w.fired;

	w.active = false;
	if (!was)
		return;
	if (w.watcher >= 0) {
		cpu_wait_idle((unsigned)w.watcher, 1000);
	} else if (local_timer) {
		local_timer->cancel();
		arch_watchdog_timer_close(local_timer->irq);
		irq_unregister(local_timer->irq);
	}
}
