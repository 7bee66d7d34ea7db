/*
 * x86 interrupt pieces other x86 code builds on, beyond the common
 * irqchip/local_timer tables: the NMI hook, NMI and raw ICR sends through
 * the local APIC, and a second register that traps to the hypervisor.
 */
#ifndef ARCH_X86_IRQ_H
#define ARCH_X86_IRQ_H

#include <stdbool.h>
#include <stdint.h>

/* Vectors the kernel owns. IPIs are X86_IPI_BASE + k (enum ipi_use). The
 * timer alone is in the top priority class (vectors 0xf0-0xff): while the
 * local-timer watchdog watches, "masked" means TPR at X86_TPR_URGENT_ONLY
 * with IF set, and only it gets through (x86/watchdog.c). */
#define X86_MSI_BASE 0x50 /* device MSIs: X86_MSI_BASE + n */
#define X86_MSI_COUNT 0x40
#define X86_XEN_UPCALL_VECTOR 0x90 /* Xen's event channel callback */
#define X86_IPI_BASE 0xe0
#define X86_TIMER_VECTOR 0xf0
#define X86_SPURIOUS_VECTOR 0xff
#define X86_TPR_URGENT_ONLY 14 /* CR8: block classes 0-14 */

/* Set while the local-timer watchdog watches this CPU: arch_irq_disable
 * then raises CR8 instead of clearing IF. */
extern bool x86_watch_by_tpr[];
/* How many CPUs are so watched: none, and nothing needs the CPU index. */
extern volatile unsigned x86_tpr_watches;

/* STI, then HLT in its shadow (halt.S): the sleep of arch_wait_for_irq.
 * x86_wait_hlt is the HLT, for the interrupt entry to recognise. */
void x86_sti_hlt(void);
extern const char x86_wait_hlt[];
/* Jump to that HLT with IF set and no shadow (called with IF clear), as
 * if an interrupt had come in between the STI and the HLT. */
void x86_iret_to_wait_hlt(void);

/* Asked first when an NMI arrives: true when it was the hook's (the
 * NMI then returns), false to treat it as an unexpected exception. */
extern bool (*x86_nmi_hook)(void);

/* Send an NMI to CPU `cpu` (smp_cpu(cpu)->hwid); nothing when the local
 * APIC is not set up. */
void x86_lapic_send_nmi(unsigned cpu);

/* Write the interrupt command register: destination APIC id and the low
 * word (vector, delivery mode, level, shorthand). For INIT and SIPI.
 * False when the local APIC is not set up or the previous IPI is still
 * pending (xAPIC). */
bool x86_lapic_send_icr(uint32_t apic_id, uint32_t icr_low);

/* The 8259s' edge/level control register (I/O port). */
#define PIC_ELCR1 0x4d0

#endif
