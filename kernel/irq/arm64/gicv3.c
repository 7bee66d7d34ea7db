/*
 * GICv3 (and v4): the distributor, this CPU's redistributor, and the
 * system-register CPU interface. Only Group 1 (Non-secure) interrupts,
 * EOImode 0: one EOIR write both drops priority and deactivates.
 */
#include <stdio.h>

#include <kernel/irq/arm64/gic.h>
#include <arch/mmio.h>
#include <arch/sysreg.h>
#include <vmb/arch.h>
#include <vmb/fwinfo.h>
#include <vmb/irq.h>
#include <vmb/smp.h>
#include <arch/gic.h>

#define GICD_IROUTER 0x6000 /* 8 bytes per SPI, from INTID 32 on */

/* GICD_CTLR bits as both the Non-secure and the single-security views
 * read them: Group 1 (and 1A / Group 0) enables, affinity routing. */
#define CTLR_ENABLE_G1 (1u << 0)
#define CTLR_ENABLE_G1A (1u << 1)
#define CTLR_ARE (1u << 4)
#define CTLR_RWP (1u << 31)

#define GICR_WAKER 0x0014
#define GICR_CTLR_RWP (1u << 3)
#define TYPER_VLPIS (1ull << 1)
#define TYPER_LAST (1ull << 4)
#define WAKER_PROCESSOR_SLEEP (1u << 1)
#define WAKER_CHILDREN_ASLEEP (1u << 2)

/* The SGI/PPI frame follows RD_base. */
#define SGI_BASE 0x10000
#define GICR_IGROUPR0 (SGI_BASE + 0x0080)
#define GICR_ISENABLER0 (SGI_BASE + 0x0100)
#define GICR_ICENABLER0 (SGI_BASE + 0x0180)
#define GICR_ISPENDR0 (SGI_BASE + 0x0200)
#define GICR_IPRIORITYR (SGI_BASE + 0x0400)

#define ICC_SRE_SRE (1ull << 0)
#define ICC_SRE_ENABLE (1ull << 3) /* EL2: EL1 may use ICC_SRE_EL1 */
#define ICC_CTLR_EOIMODE (1ull << 1)

#define POLL_LIMIT 1000000

static uint64_t gicd;
/* The redistributors the firmware names: one region to walk, and the
 * per-CPU frames of ACPI GICC entries. */
static uint64_t gicr_region;
static struct {
	uint64_t hwid, gicr;
} fw_frames[FW_MAX_CPUS];
static unsigned n_fw_frames;
/* This CPU's RD_base, by arch_cpu_index(). */
static uint64_t rd_base[MAX_CPUS];

static bool wait_clear(uint64_t reg, uint32_t bits)
{
	for (unsigned i = 0; i < POLL_LIMIT; i++)
		if (!(mmio_read32(reg) & bits))
			return true;
	return false;
}

/* GICR_TYPER's affinity field is Aff3.Aff2.Aff1.Aff0 in one word. */
static uint32_t mpidr_to_aff(uint64_t mpidr)
{
	return (uint32_t)((mpidr & 0xffffff) | ((mpidr >> 32 & 0xff) << 24));
}

static uint64_t walk_region(uint64_t base, uint32_t aff)
{
	uint64_t rd = base;

	for (unsigned n = 0; n < 4096; n++) {
		uint64_t typer = mmio_read64(rd + GICR_TYPER);
		if ((uint32_t)(typer >> 32) == aff)
			return rd;
		if (typer & TYPER_LAST)
			break;
		rd += typer & TYPER_VLPIS ? 0x40000 : 0x20000;
	}
	return 0;
}

static uint64_t find_redist(uint64_t mpidr)
{
	uint32_t aff = mpidr_to_aff(mpidr);

	for (unsigned i = 0; i < n_fw_frames; i++)
		if (fw_frames[i].hwid == (mpidr & 0xff00ffffffull))
			return fw_frames[i].gicr;
	return gicr_region ? walk_region(gicr_region, aff) : 0;
}

static uint64_t this_rd(void)
{
	return rd_base[arch_cpu_index() % MAX_CPUS];
}

uint64_t gicv3_redist(unsigned cpu)
{
	return cpu < MAX_CPUS ? rd_base[cpu] : 0;
}

static bool cpu_init(char *why, size_t len)
{
	uint64_t mpidr = read_sysreg(mpidr_el1);
	uint64_t rd = find_redist(mpidr);

	arm64_irq_route_to_el2();
	if (!rd) {
		snprintf(why, len, "no GICv3 redistributor for MPIDR %#llx",
			 (unsigned long long)mpidr);
		return false;
	}
	rd_base[arch_cpu_index() % MAX_CPUS] = rd;

	uint32_t waker = mmio_read32(rd + GICR_WAKER);
	if (waker & WAKER_PROCESSOR_SLEEP) {
		mmio_write32(rd + GICR_WAKER, waker & ~WAKER_PROCESSOR_SLEEP);
		if (!wait_clear(rd + GICR_WAKER, WAKER_CHILDREN_ASLEEP)) {
			snprintf(why, len, "GICv3 redistributor at %#llx does not wake",
				 (unsigned long long)rd);
			return false;
		}
	}
	mmio_write32(rd + GICR_ICENABLER0, ~0u);
	wait_clear(rd + GICR_CTLR, GICR_CTLR_RWP);
	mmio_write32(rd + GICR_IGROUPR0, ~0u);
	for (unsigned i = 0; i < 32; i += 4)
		mmio_write32(rd + GICR_IPRIORITYR + i, gic_prio_word(i));
	/* The kernel's SGIs; PPIs only when a driver asks (the timer). */
	mmio_write32(rd + GICR_ISENABLER0, (1u << IPI_COUNT) - 1);

	if (current_el() == 2) {
		write_sysreg(icc_sre_el2, read_sysreg(icc_sre_el2) | ICC_SRE_SRE | ICC_SRE_ENABLE);
		isb();
		if (!(read_sysreg(icc_sre_el2) & ICC_SRE_SRE)) {
			snprintf(why, len, "GICv3 system registers disabled (ICC_SRE_EL2.SRE)");
			return false;
		}
	} else {
		write_sysreg(icc_sre_el1, read_sysreg(icc_sre_el1) | ICC_SRE_SRE);
		isb();
		if (!(read_sysreg(icc_sre_el1) & ICC_SRE_SRE)) {
			snprintf(why, len,
				 "GICv3 system registers disabled by the hypervisor "
				 "(ICC_SRE_EL1.SRE)");
			return false;
		}
	}
	write_sysreg(icc_pmr_el1, GIC_PMR_ALL);
	write_sysreg(icc_bpr1_el1, 0);
	write_sysreg(icc_ctlr_el1, read_sysreg(icc_ctlr_el1) & ~ICC_CTLR_EOIMODE);
	write_sysreg(icc_igrpen1_el1, 1);
	isb();
	return true;
}

static void enable(unsigned irq, bool on)
{
	/* An SPI goes to the CPU that enables it (the benchmark's):
	 * Aff3 in bits 39:32, Aff2.Aff1.Aff0 below, as in MPIDR. */
	if (on && irq >= 32 && irq < IRQ_SPECIAL) {
		uint64_t mpidr = read_sysreg(mpidr_el1);
		uint64_t route = (mpidr & 0xffffff) | (mpidr & 0xff00000000ull);
		mmio_write32(gicd + GICD_IROUTER + irq * 8, (uint32_t)route);
		mmio_write32(gicd + GICD_IROUTER + irq * 8 + 4, (uint32_t)(route >> 32));
	}
	if (irq < 32) {
		uint64_t rd = this_rd();
		mmio_write32(rd + (on ? GICR_ISENABLER0 : GICR_ICENABLER0), 1u << irq);
	} else if (irq < IRQ_SPECIAL) {
		uint64_t reg = gicd + (on ? GICD_ISENABLER : GICD_ICENABLER) + irq / 32 * 4;
		mmio_write32(reg, 1u << (irq % 32));
	}
}

static unsigned ipi_irq(unsigned k)
{
	return k;
}

/* ICC_SGI1R_EL1 names a target by Aff3.Aff2.Aff1 plus a bit for Aff0 in a
 * 16-CPU list; RS selects which 16. */
static void send_sgi(uint64_t mpidr, unsigned irq)
{
	uint64_t aff0 = mpidr & 0xff;
	uint64_t v = (1ull << (aff0 & 15)) | ((mpidr >> 8 & 0xff) << 16) |
		     ((uint64_t)(irq & 15) << 24) | ((mpidr >> 16 & 0xff) << 32) |
		     ((aff0 >> 4) << 44) | ((mpidr >> 32 & 0xff) << 48);

	/* Stores before the IPI must be visible to its handler. */
	__asm__ volatile("dsb ishst" ::: "memory");
	write_sysreg(icc_sgi1r_el1, v);
	isb();
}

static void send_ipi(unsigned cpu, unsigned irq)
{
	const struct cpu_info *c = smp_cpu(cpu);

	if (c)
		send_sgi(c->hwid, irq);
}

static void send_self_ipi(unsigned irq)
{
	send_sgi(read_sysreg(mpidr_el1), irq);
}

static unsigned ack(void)
{
	return (unsigned)read_sysreg(icc_iar1_el1) & 0xffffff;
}

static void eoi(unsigned irq)
{
	write_sysreg(icc_eoir1_el1, irq);
	isb();
}

static bool pending(unsigned irq)
{
	/* The CPU interface's view too: Xen 4.17's vGIC reads
	 * GICR_ISPENDR0 as zero for interrupts it holds in list registers. */
	if ((read_sysreg(icc_hppir1_el1) & 0xffffff) == irq)
		return true;
	if (irq < 32)
		return mmio_read32(this_rd() + GICR_ISPENDR0) >> irq & 1;
	if (irq < IRQ_SPECIAL)
		return mmio_read32(gicd + GICD_ISPENDR + irq / 32 * 4) >> (irq % 32) & 1;
	return false;
}

static const struct irqchip gicv3 = {
	.name = "gicv3",
	.cpu_init = cpu_init,
	.enable = enable,
	.ipi_irq = ipi_irq,
	.send_ipi = send_ipi,
	.send_self_ipi = send_self_ipi,
	.ack = ack,
	.eoi = eoi,
	.pending = pending,
};

void gicv3_set_pmr(uint8_t pmr)
{
	write_sysreg(icc_pmr_el1, pmr);
	isb();
}

/* SPIs off, Group 1, ordinary priority: the image drives none of them,
 * and whatever firmware left enabled must not fire. */
const struct irqchip *gicv3_setup(const struct fw_info *fw, char *why, size_t len)
{
	gicd = fw->gicd_base;
	gicr_region = fw->gicr_base;
	n_fw_frames = 0;
	for (unsigned i = 0; i < fw->ncpu && i < FW_MAX_CPUS; i++)
		if (fw->cpu[i].gicr_base) {
			fw_frames[n_fw_frames].hwid = fw->cpu[i].hwid;
			fw_frames[n_fw_frames++].gicr = fw->cpu[i].gicr_base;
		}
	if (!gicr_region && !n_fw_frames) {
		snprintf(why, len, "GICv3 without redistributors in the firmware tables");
		return NULL;
	}

	unsigned lines = 32 * ((mmio_read32(gicd + GICD_TYPER) & 0x1f) + 1);
	if (lines > IRQ_SPECIAL)
		lines = IRQ_SPECIAL;
	mmio_write32(gicd + GICD_CTLR, CTLR_ARE);
	if (!wait_clear(gicd + GICD_CTLR, CTLR_RWP)) {
		snprintf(why, len, "GICv3 distributor stuck (GICD_CTLR.RWP)");
		return NULL;
	}
	for (unsigned i = 32; i < lines; i += 32) {
		mmio_write32(gicd + GICD_ICENABLER + i / 8, ~0u);
		mmio_write32(gicd + GICD_IGROUPR + i / 8, ~0u);
	}
	for (unsigned i = 32; i < lines; i += 4)
		mmio_write32(gicd + GICD_IPRIORITYR + i, gic_prio_word(i));
	wait_clear(gicd + GICD_CTLR, CTLR_RWP);
	mmio_write32(gicd + GICD_CTLR, CTLR_ARE | CTLR_ENABLE_G1A | CTLR_ENABLE_G1);
	wait_clear(gicd + GICD_CTLR, CTLR_RWP);
	return &gicv3;
}
