/*
 * The GIC drivers (v2, v3, the ITS and v2m MSI frames) and the generic
 * timer behind <vmb/irq.h>, as kernel/irq/arm64/irq.c assembles them.
 */
#ifndef KERNEL_IRQ_ARM64_GIC_H
#define KERNEL_IRQ_ARM64_GIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <arch/gic.h>
#include <vmb/irq.h>

struct fw_info;
struct irqchip;
struct local_timer;

/* Whether irq reaches its handler on this CPU within ms once trigger(arg)
 * has run (false from trigger: it could not be raised). Used to try an
 * MSI path before a device may use it. */
bool gic_irq_arrives(unsigned irq, bool (*trigger)(void *arg), void *arg, unsigned ms);

/* The distributor's base, 0 before arch_irq_init found one. */
uint64_t gic_distributor(void);

/* Global distributor set-up on the boot CPU; the chip, or NULL and why.
 * The caller then runs chip->cpu_init on each CPU. */
const struct irqchip *gicv2_setup(const struct fw_info *fw, char *why, size_t len);
const struct irqchip *gicv3_setup(const struct fw_info *fw, char *why, size_t len);
void gicv2_set_pmr(uint8_t pmr);
/* GICv2's virtual interface control (GICH) as the firmware named it, or 0. */
uint64_t gicv2_gich(void);
void gicv3_set_pmr(uint8_t pmr);
/* Priority bytes of SGIs/PPIs first_irq..+3, packed as one register. */
static inline uint32_t gic_prio_word(unsigned first_irq)
{
	uint32_t w = 0;

	for (unsigned i = 0; i < 4; i++) {
		unsigned irq = first_irq + i;
		bool urgent = irq == IPI_WATCHDOG || irq == GIC_PPI_CNTHP || irq == GIC_PPI_CNTV ||
			      irq == GIC_PPI_CNTHV;
		w |= (uint32_t)(urgent ? GIC_PRIO_WATCHDOG : GIC_PRIO_NORMAL) << (8 * i);
	}
	return w;
}

/* This CPU's redistributor (RD_base) by CPU index, 0 before cpu_init. */
uint64_t gicv3_redist(unsigned cpu);

/* A 32-bit register read that survives a fault (a wrong address in the
 * firmware tables, or one a hypervisor does not map): false then. */
bool arm64_probe32(uint64_t addr, uint32_t *value);

/* An SPI edge- or level-triggered (GICD_ICFGR, at the same place in v2
 * and v3): a GICv2m frame raises its SPIs as pulses, a PCI INTx is a
 * level. */
void gic_spi_set_trigger(unsigned irq, bool edge);

/*
 * PCI MSIs (arch_msi_route): the firmware's description kept at boot,
 * the hardware set up at the first route, so that a broken ITS or frame
 * costs the interrupt-driven benchmarks only, with the reason.
 */
struct msi_route;
void gic_its_describe(const struct fw_info *fw);
bool gic_its_present(void);
bool gic_its_route(uint32_t rid, unsigned entry, struct msi_route *r, char *why, size_t len);
void gicv2m_describe(const struct fw_info *fw);
bool gicv2m_present(void);
bool gicv2m_route(struct msi_route *r, char *why, size_t len);

/* At EL2, let physical interrupts be taken there (HCR_EL2.IMO/FMO): each
 * CPU's cpu_init calls it. Nothing at EL1. */
void arm64_irq_route_to_el2(void);

/* The generic timer for the EL we run at (cntv, cnthp or cnthv). */
const struct local_timer *arm64_timer_setup(void);

/*
 * Pseudo-NMI: with on, only IPI_WATCHDOG still reaches this CPU while
 * PSTATE.I is clear; off lets everything through again. Only the priority
 * mask of the running CPU changes. No-op without a GIC.
 */
void arm64_irq_mask_all_but_watchdog(bool on);

#endif
