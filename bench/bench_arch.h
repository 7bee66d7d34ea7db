/*
 * What the benchmarks measure that differs by architecture, one hook per
 * target (bench/arch/<arch>/): a benchmark names the register or
 * instruction it times, not the driver that happens to own it.
 */
#ifndef BENCH_BENCH_ARCH_H
#define BENCH_BENCH_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* irqchip_trap: an interrupt-controller register read that a hypervisor
 * must emulate (GICD_IIDR; x86 the 8259 ELCR). setup names it in call,
 * or says in why why it cannot be measured here. */
bool bench_arch_irqchip_trap_setup(char *call, size_t call_len, char *why, size_t why_len);
uint32_t bench_arch_irqchip_trap_read(void);

#endif
