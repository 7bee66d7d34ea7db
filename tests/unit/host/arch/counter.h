/*
 * The reference clock for host builds of driver code: a test supplies
 * ref_now() (a fake that advances as the driver polls), so that waits
 * and time limits run without real time passing.
 */
#ifndef ARCH_COUNTER_H
#define ARCH_COUNTER_H

#include <stdint.h>

uint64_t ref_now(void);

#endif
