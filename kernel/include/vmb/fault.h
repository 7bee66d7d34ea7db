/*
 * Surviving exceptions: a benchmark or probe runs under vmb_try(), and an
 * exception it raises ends only that attempt. Outside vmb_try() an
 * exception is fatal: the run ends with status fail.
 */
#ifndef VMB_FAULT_H
#define VMB_FAULT_H

#include <stdint.h>

/* Returns 0 when fn returned, else the architecture's fault code. */
uint64_t vmb_try(void (*fn)(void *), void *arg);
/* What the last caught fault was, for messages. */
const char *vmb_fault_text(void);

/* Called by the architecture's exception handler; returns only when no
 * vmb_try() is active. */
void fault_recover(uint64_t code, const char *text);

/* Ends the run after a fatal error: end record with status fail, shutdown. */
_Noreturn void kernel_fatal_exit(int status);
/* How a fatal error before the console was set up finds one without
 * the drivers' help being wired here (the composition root sets it). */
void fault_set_console_rescue(void (*rescue)(void));

#endif
