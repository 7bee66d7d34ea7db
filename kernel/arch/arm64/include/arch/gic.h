/*
 * The GIC's architectural constants (Arm IHI 0048 GICv2, IHI 0069 GICv3):
 * register offsets and bits the v2 and v3 drivers share, priorities, and
 * the generic timer's PPIs. The drivers' interface is kernel/irq/arm64/gic.h.
 */
#ifndef ARCH_GIC_H
#define ARCH_GIC_H

/*
 * Priorities (lower is more urgent). IPI_WATCHDOG and the generic timer's
 * PPIs (the watchdog of a CPU that has no other to watch it) sit above
 * the rest, so raising the priority mask to GIC_PMR_WATCHDOG_ONLY keeps
 * every other interrupt out while PSTATE.I stays clear (a pseudo-NMI). Values
 * use only the top bits and leave room between them: a GIC may implement
 * as few as four priority bits, and a Non-secure view halves them again.
 */
#define GIC_PRIO_WATCHDOG 0x40
#define GIC_PRIO_NORMAL 0x80
#define GIC_PMR_WATCHDOG_ONLY 0x60
#define GIC_PMR_ALL 0xff

/* The distributor's registers at the same offsets in v2 and v3. GICD_IIDR,
 * the implementer, is present on every GIC, so what irqchip_trap reads. */
#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_IIDR 0x0008
#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_ICENABLER 0x0180
#define GICD_ISPENDR 0x0200
#define GICD_IPRIORITYR 0x0400

/* GICv3's redistributor (RD_base frame). */
#define GICR_CTLR 0x0000
#define GICR_TYPER 0x0008

/* Generic timer PPIs (SBSA numbering, which device trees follow). */
#define GIC_PPI_CNTHP 26
#define GIC_PPI_CNTV 27
#define GIC_PPI_CNTHV 28

#endif
