/*
 * Ending a benchmark that hangs. The measuring CPU masks interrupts, so a
 * stuck operation cannot end itself: while a benchmark runs, an idle CPU
 * watches its heartbeat and, when it stops for too long, breaks the
 * measuring CPU out with an interrupt its masking lets through (x86 NMI,
 * arm64 a top-priority SGI under priority masking). With no idle CPU the
 * measuring CPU's own timer stands in where its architecture allows.
 * The break-out ends the benchmark through vmb_try() with an error record.
 */
#ifndef VMB_WATCHDOG_H
#define VMB_WATCHDOG_H

#include <stdbool.h>
#include <stdint.h>

/* No heartbeat for this long ends the benchmark. */
#define WATCHDOG_MS 3000

/* Watch what runs from now until watchdog_stop(); what = benchmark name,
 * acks_irqs: it acknowledges pending interrupts itself, uses_timer: it
 * programs the local timer (see bench.h). Returns how it is watched
 * ("CPU 1", "local timer"), or NULL when it cannot be (why in
 * watchdog_why()). */
const char *watchdog_start(const char *what, bool acks_irqs, bool uses_timer);
void watchdog_beat(void);
void watchdog_stop(void);
const char *watchdog_why(void);
/* True once the watchdog has fired for the current watch. */
bool watchdog_fired(void);

/* Called by the architecture's handler of the break-out interrupt on the
 * watched CPU: does not return when the watchdog fired. */
void watchdog_break(void);

#endif
