/* Local APIC registers, shared by the controller and timer drivers. */
#ifndef X86_LAPIC_H
#define X86_LAPIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fw_info;
struct irqchip;
struct local_timer;

/* xAPIC MMIO offsets; the x2APIC MSR is 0x800 + (offset >> 4). */
#define LAPIC_ID 0x20
#define LAPIC_VERSION 0x30
#define LAPIC_TPR 0x80
#define LAPIC_EOI 0xb0
#define LAPIC_SVR 0xf0
#define LAPIC_ISR 0x100
#define LAPIC_IRR 0x200
#define LAPIC_ESR 0x280
#define LAPIC_LVT_CMCI 0x2f0
#define LAPIC_ICR 0x300
#define LAPIC_ICR_HIGH 0x310
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_LVT_THERMAL 0x330
#define LAPIC_LVT_PERF 0x340
#define LAPIC_LVT_LINT0 0x350
#define LAPIC_LVT_LINT1 0x360
#define LAPIC_LVT_ERROR 0x370
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_CURRENT 0x390
#define LAPIC_TIMER_DIVIDE 0x3e0

#define LAPIC_LVT_MASKED (1u << 16)
#define LAPIC_TIMER_TSC_DEADLINE (2u << 17)
#define LAPIC_DIVIDE_BY_1 0xb

/* Pick the mode (x2APIC where offered), find the xAPIC page, set up this
 * CPU; the controller's table, or NULL and why. Boot CPU only. */
const struct irqchip *lapic_probe(const struct fw_info *fw, char *why, size_t len);

/* The boot CPU's timer: TSC-deadline where offered, else one-shot with a
 * calibrated rate; NULL and why when neither can be used. */
const struct local_timer *lapic_timer_probe(char *why, size_t len);

uint32_t lapic_read(unsigned reg);
void lapic_write(unsigned reg, uint32_t value);

#define ICR_PENDING (1u << 12) /* xAPIC delivery status */
#define MSR_X2APIC_ICR 0x830

#endif
