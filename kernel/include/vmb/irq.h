/*
 * Interrupts behind one ops table: the GIC (v2, v3) on arm64, the local
 * APIC (xAPIC, x2APIC) on x86_64. Benchmarks use these and the handler
 * registry and stay architecture-neutral. Interrupt numbers are the
 * controller's own (GIC INTID, x86 vector).
 */
#ifndef VMB_IRQ_H
#define VMB_IRQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vmb/platform.h>

struct fw_info;

#define IRQ_MAX 1024
/* What ack() returns when nothing is pending; GIC INTIDs from
 * IRQ_SPECIAL up are never real interrupts. */
#define IRQ_SPURIOUS 1023u
#define IRQ_SPECIAL 1020u
/* GIC LPIs (the ITS's message interrupts) number from IRQ_LPI_BASE; the
 * registry holds the first IRQ_LPI_SLOTS of them. */
#define IRQ_LPI_BASE 8192u
#define IRQ_LPI_SLOTS 64u
/* How long an interrupt, or a command to the interrupt controller, may
 * take before it counts as lost (irq_lost_ms(): longer where the CPU may
 * be emulated). Hardware takes microseconds, but a virtual CPU can be kept
 * off the host's CPUs far longer: a 100 ms bound once failed a
 * virt_ipi_rtt run under TCG. Twice it is below WATCHDOG_MS, so a loss
 * (and whether it came late) is named rather than reported as a hang. */
#define IRQ_LOST_MS 1000u
static inline unsigned irq_lost_ms(void)
{
	return patient_ms(IRQ_LOST_MS);
}

/* The IPIs the kernel itself uses; benchmarks use IPI_BENCH.. */
enum ipi_use {
	IPI_WAKE = 0, /* wake a parked CPU: no work in the handler */
	IPI_WATCHDOG, /* break a stuck CPU out (highest priority) */
	IPI_BENCH,    /* first IPI free for benchmarks */
	IPI_COUNT = 8,
};

struct irqchip {
	const char *name; /* "gicv3", "gicv2", "x2apic", "xapic" */
	/* Set up this CPU's interface; false (and why) when it cannot. */
	bool (*cpu_init)(char *why, size_t len);
	/* Let a per-CPU interrupt (SGI/PPI) reach this CPU, or not. */
	void (*enable)(unsigned irq, bool on);
	/* The hardware number of IPI k (0 <= k < IPI_COUNT). */
	unsigned (*ipi_irq)(unsigned k);
	void (*send_ipi)(unsigned cpu, unsigned irq);
	void (*send_self_ipi)(unsigned irq);
	/* Acknowledge the highest-priority pending interrupt; IRQ_SPURIOUS
	 * when none. NULL where the CPU acknowledges on delivery (x86). */
	unsigned (*ack)(void);
	/* End of interrupt (completion) for irq. */
	void (*eoi)(unsigned irq);
	/* Whether irq is pending at this CPU's interface (for polling). */
	bool (*pending)(unsigned irq);
};

/* One CPU-local timer, with deadlines on the reference clock
 * (arch/counter.h ref_now()). */
struct local_timer {
	const char *name; /* "cntv", "cnthp", "tsc-deadline", "lapic-oneshot" */
	unsigned irq;
	bool (*cpu_init)(char *why, size_t len);
	void (*arm)(uint64_t ref_deadline);
	void (*cancel)(void);
};

typedef void (*irq_handler_fn)(unsigned irq, void *arg);

/* Set by irq_init(); NULL when none was found (why in irq_why()). */
extern const struct irqchip *irqchip;
extern const struct local_timer *local_timer;

/* Find and set up the controller and timer on the boot CPU. */
bool irq_init(const struct fw_info *fw);
const char *irq_why(void);
/* The same on a secondary CPU (called from its bring-up). */
bool irq_cpu_init(void);

/* Handlers run with interrupts masked. own_eoi: the handler (or the
 * benchmark) completes the interrupt itself; otherwise irq_entry() does. */
void irq_register(unsigned irq, irq_handler_fn fn, void *arg, bool own_eoi);
void irq_unregister(unsigned irq);
/* irq is a line its device holds until the driver answers (a PCI INTx,
 * a virtio-mmio line): arriving with no handler, it is masked instead of
 * being taken again and again. */
void irq_mark_level(unsigned irq);

/* Interrupts taken after arch_wait_for_irq() unmasked them but before it
 * halted, counted by the architecture's entry, which returns past the
 * halt so that the wake-up is not slept through. Hardware never lets one
 * in there (x86's STI shadow; arm64's WFI wakes on a pending interrupt
 * even masked); a CPU emulated with less care can. */
extern volatile unsigned long irq_wakes_before_halt;

/* From the architecture's interrupt entry: irq is the number delivered
 * (x86 vector) or IRQ_MAX to acknowledge at the controller (GIC). */
void irq_entry(unsigned irq);

#endif
