/*
 * GICv2: distributor and memory-mapped CPU interface. Interrupts are
 * left in the group the reset state and our security view give them
 * (Group 0 without security extensions, Group 1 when Non-secure), and
 * both views enable them with bit 0 of the control registers.
 */
#include <stdio.h>

#include <kernel/irq/arm64/gic.h>
#include <arch/mmio.h>
#include <vmb/arch.h>
#include <vmb/fwinfo.h>
#include <vmb/irq.h>
#include <vmb/smp.h>
#include <arch/gic.h>

#define GICD_ITARGETSR 0x800
#define GICD_SGIR 0xf00
#define SGIR_TARGET_SELF (2u << 24)

#define GICC_CTLR 0x00
#define GICC_PMR 0x04
#define GICC_BPR 0x08
#define GICC_IAR 0x0c
#define GICC_EOIR 0x10

#define CTLR_ENABLE 1u

static uint64_t gicd, gicc;
/* The virtual interface's control registers (GICH), 0 when not named. */
static uint64_t gich;
/* Per CPU (arch_cpu_index()): its CPU interface bit for GICD_SGIR, and
 * the last IAR value, whose source CPU field an SGI's EOIR must repeat.
 * Handlers run with interrupts masked, so one acknowledged interrupt per
 * CPU is in flight at a time. */
static uint8_t iface_mask[MAX_CPUS];
static uint32_t last_iar[MAX_CPUS];

static unsigned this_cpu(void)
{
	return arch_cpu_index() % MAX_CPUS;
}

/* GICD_ITARGETSR0..7 are banked and read as the reading CPU's own
 * interface bit (zero on a uniprocessor GIC). */
static uint8_t own_mask(void)
{
	for (unsigned i = 0; i < 32; i += 4) {
		uint32_t w = mmio_read32(gicd + GICD_ITARGETSR + i);
		for (unsigned b = 0; b < 4; b++)
			if (w >> (8 * b) & 0xff)
				return (uint8_t)(w >> (8 * b));
	}
	return 0;
}

static bool cpu_init(char *why, size_t len)
{
	(void)why, (void)len;
	arm64_irq_route_to_el2();
	iface_mask[this_cpu()] = own_mask();

	/* Banked SGI/PPI state of this CPU. */
	mmio_write32(gicd + GICD_ICENABLER, ~0u);
	mmio_write32(gicd + GICD_IGROUPR, 0);
	for (unsigned i = 0; i < 32; i += 4)
		mmio_write32(gicd + GICD_IPRIORITYR + i, gic_prio_word(i));
	mmio_write32(gicd + GICD_ISENABLER, (1u << IPI_COUNT) - 1);

	mmio_write32(gicc + GICC_CTLR, 0);
	mmio_write32(gicc + GICC_PMR, GIC_PMR_ALL);
	mmio_write32(gicc + GICC_BPR, 0);
	mmio_write32(gicc + GICC_CTLR, CTLR_ENABLE);
	return true;
}

static void enable(unsigned irq, bool on)
{
	/* An SPI goes to the CPU that enables it (the benchmark's). */
	if (on && irq >= 32 && irq < IRQ_SPECIAL)
		mmio_write8(gicd + GICD_ITARGETSR + irq, iface_mask[this_cpu()]);
	if (irq < IRQ_SPECIAL) {
		uint64_t reg = gicd + (on ? GICD_ISENABLER : GICD_ICENABLER) + irq / 32 * 4;
		mmio_write32(reg, 1u << (irq % 32));
	}
}

static unsigned ipi_irq(unsigned k)
{
	return k;
}

static void send_ipi(unsigned cpu, unsigned irq)
{
	uint8_t mask = cpu < MAX_CPUS ? iface_mask[cpu] : 0;

	if (!mask)
		return;
	/* Stores before the IPI must be visible to its handler. */
	__asm__ volatile("dsb ishst" ::: "memory");
	mmio_write32(gicd + GICD_SGIR, (uint32_t)mask << 16 | (irq & 15));
}

static void send_self_ipi(unsigned irq)
{
	__asm__ volatile("dsb ishst" ::: "memory");
	mmio_write32(gicd + GICD_SGIR, SGIR_TARGET_SELF | (irq & 15));
}

static unsigned ack(void)
{
	uint32_t iar = mmio_read32(gicc + GICC_IAR);

	last_iar[this_cpu()] = iar;
	return iar & 0x3ff;
}

static void eoi(unsigned irq)
{
	uint32_t iar = last_iar[this_cpu()];

	mmio_write32(gicc + GICC_EOIR, (iar & 0x3ff) == irq ? iar : irq);
}

static bool pending(unsigned irq)
{
	if (irq >= IRQ_SPECIAL)
		return false;
	return mmio_read32(gicd + GICD_ISPENDR + irq / 32 * 4) >> (irq % 32) & 1;
}

static const struct irqchip gicv2 = {
	.name = "gicv2",
	.cpu_init = cpu_init,
	.enable = enable,
	.ipi_irq = ipi_irq,
	.send_ipi = send_ipi,
	.send_self_ipi = send_self_ipi,
	.ack = ack,
	.eoi = eoi,
	.pending = pending,
};

uint64_t gicv2_gich(void)
{
	return gich;
}

void gicv2_set_pmr(uint8_t pmr)
{
	mmio_write32(gicc + GICC_PMR, pmr);
}

/* SPIs off, in the reset group, ordinary priority: the image drives none
 * of them, and whatever firmware left enabled must not fire. */
const struct irqchip *gicv2_setup(const struct fw_info *fw, char *why, size_t len)
{
	gicd = fw->gicd_base;
	gicc = fw->gicc_base;
	gich = fw->gich_base;
	if (!gicc) {
		snprintf(why, len, "GICv2 without a CPU interface in the firmware tables");
		return NULL;
	}
	unsigned lines = 32 * ((mmio_read32(gicd + GICD_TYPER) & 0x1f) + 1);
	if (lines > IRQ_SPECIAL)
		lines = IRQ_SPECIAL;
	mmio_write32(gicd + GICD_CTLR, 0);
	for (unsigned i = 32; i < lines; i += 32) {
		mmio_write32(gicd + GICD_ICENABLER + i / 8, ~0u);
		mmio_write32(gicd + GICD_IGROUPR + i / 8, 0);
	}
	for (unsigned i = 32; i < lines; i += 4)
		mmio_write32(gicd + GICD_IPRIORITYR + i, gic_prio_word(i));
	mmio_write32(gicd + GICD_CTLR, CTLR_ENABLE);
	return &gicv2;
}
