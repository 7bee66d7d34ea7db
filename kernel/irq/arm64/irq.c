/*
 * arm64 interrupts: PSTATE masking, the choice of GIC driver and timer,
 * routing to EL2, and a boot-time check that an SGI and a timer deadline
 * really arrive through irq_entry().
 */
#include <stdio.h>

#include <arch/counter.h>
#include <arch/el2.h>
#include <kernel/irq/arm64/gic.h>
#include <arch/mmio.h>
#include <arch/sysreg.h>
#include <vmb/arch.h>
#include <vmb/console.h>
#include <vmb/fault.h>
#include <vmb/fwinfo.h>
#include <vmb/irq.h>
#include <vmb/platform.h>
#include <vmb/smp.h>

#define GICV2_PIDR2 0x0fe8
#define GICV3_PIDR2 0xffe8

static void (*set_pmr)(uint8_t pmr);
static uint64_t gicd_base;

/* Set while the watchdog watches this CPU: masking is then by priority,
 * so that its IPI still gets through (arm64/watchdog.c). */
bool arm64_watch_open[MAX_CPUS];

void arch_irq_enable(void)
{
	if (arm64_watch_open[arch_cpu_index()])
		arm64_irq_mask_all_but_watchdog(false);
	__asm__ volatile("msr daifclr, #2" ::: "memory");
}

void arch_irq_disable(void)
{
	if (arm64_watch_open[arch_cpu_index()])
		arm64_irq_mask_all_but_watchdog(true);
	else
		__asm__ volatile("msr daifset, #2" ::: "memory");
}

/* WFI wakes on a pending interrupt even while it is masked; unmasking
 * then takes it. */
void arch_wait_for_irq(void)
{
	__asm__ volatile("wfi; msr daifclr, #2; isb; msr daifset, #2" ::: "memory");
}

void arm64_irq_route_to_el2(void)
{
	if (current_el() != 2)
		return;
	write_sysreg(hcr_el2, read_sysreg(hcr_el2) | HCR_IMO | HCR_FMO);
	isb();
}

void arm64_irq_mask_all_but_watchdog(bool on)
{
	if (set_pmr)
		set_pmr(on ? GIC_PMR_WATCHDOG_ONLY : GIC_PMR_ALL);
}

static volatile unsigned arrivals;

static void count_arrival(unsigned irq, void *arg)
{
	(void)irq, (void)arg;
	arrivals++;
}

bool gic_irq_arrives(unsigned irq, bool (*trigger)(void *arg), void *arg, unsigned ms)
{
	arrivals = 0;
	irq_register(irq, count_arrival, NULL, false);
	bool raised = trigger(arg);
	uint64_t t0 = ref_now();
	arch_irq_enable();
	while (raised && !arrivals && ref_now() - t0 < ref_ms(ms))
		arch_cpu_relax();
	arch_irq_disable();
	irq_unregister(irq);
	return raised && arrivals;
}

uint64_t gic_distributor(void)
{
	return gicd_base;
}

/* A register read that may fault: the firmware's address may be wrong,
 * or outside what a hypervisor maps for us. */
struct probe {
	uint64_t addr;
	uint32_t value;
};

static void probe_read(void *arg)
{
	struct probe *p = arg;

	p->value = mmio_read32(p->addr);
}

bool arm64_probe32(uint64_t addr, uint32_t *value)
{
	struct probe p = { .addr = addr };

	if (vmb_try(probe_read, &p))
		return false;
	*value = p.value;
	return true;
}

/* The version in the peripheral ID (ArchRev), where the tables give none:
 * a GICv2 distributor is 4 KiB, so its ID register is tried first. */
static unsigned detect_version(uint64_t gicd)
{
	uint32_t pidr2;

	if (arm64_probe32(gicd + GICV2_PIDR2, &pidr2)) {
		unsigned rev = pidr2 >> 4 & 0xf;
		if (rev == 1 || rev == 2)
			return 2;
	}
	if (arm64_probe32(gicd + GICV3_PIDR2, &pidr2)) {
		unsigned rev = pidr2 >> 4 & 0xf;
		if (rev == 3 || rev == 4)
			return 3;
	}
	return 0;
}

static volatile unsigned test_hits;
static volatile uint64_t test_when;

static void test_handler(unsigned irq, void *arg)
{
	(void)irq;
	if (arg)
		local_timer->cancel();
	test_when = ref_now();
	test_hits++;
}

static bool wait_hit(uint64_t ticks)
{
	uint64_t end = ref_now() + ticks;

	arch_irq_enable();
	while (!test_hits && ref_now() < end)
		arch_cpu_relax();
	arch_irq_disable();
	return test_hits;
}

static bool self_test_sgi(uint64_t hz, char *why, size_t len)
{
	unsigned irq = irqchip->ipi_irq(IPI_BENCH);

	test_hits = 0;
	irq_register(irq, test_handler, NULL, false);
	irqchip->send_self_ipi(irq);
	bool ok = wait_hit(hz / 1000 * irq_lost_ms());
	irq_unregister(irq);
	if (!ok)
		snprintf(why, len, "%s: self-IPI (SGI %u) not delivered within %u ms",
			 irqchip->name, irq, irq_lost_ms());
	return ok;
}

static bool self_test_timer(uint64_t hz, char *why, size_t len)
{
	test_hits = 0;
	irq_register(local_timer->irq, test_handler, (void *)1, false);
	uint64_t deadline = ref_now() + hz / 1000;
	local_timer->arm(deadline);
	bool ok = wait_hit(hz);
	local_timer->cancel();
	irq_unregister(local_timer->irq);
	if (!ok)
		snprintf(why, len, "%s timer (PPI %u) did not fire within 1 s", local_timer->name,
			 local_timer->irq);
	else if (test_when < deadline)
		snprintf(why, len, "%s timer (PPI %u) fired %llu ticks early", local_timer->name,
			 local_timer->irq, (unsigned long long)(deadline - test_when));
	return ok && test_when >= deadline;
}

bool arch_irq_init(const struct fw_info *fw, char *why, size_t why_len)
{
	uint32_t iidr;

	/* Per-CPU driver state is indexed by it; smp_init comes later. */
	arch_set_cpu_index(0);
	if (!fw->gicd_base) {
		snprintf(why, why_len, "no GIC distributor in the firmware tables");
		return false;
	}
	if (!arm64_probe32(fw->gicd_base + GICD_IIDR, &iidr)) {
		snprintf(why, why_len, "GIC distributor at %#llx not accessible: %s",
			 (unsigned long long)fw->gicd_base, vmb_fault_text());
		return false;
	}
	gicd_base = fw->gicd_base;
	unsigned version = fw->gic_version ? fw->gic_version : detect_version(fw->gicd_base);

	const struct irqchip *chip = NULL;
	if (version == 2) {
		chip = gicv2_setup(fw, why, why_len);
		set_pmr = gicv2_set_pmr;
	} else if (version == 3 || version == 4) {
		chip = gicv3_setup(fw, why, why_len);
		set_pmr = gicv3_set_pmr;
	} else {
		snprintf(why, why_len, "GIC version %u at %#llx not supported", version,
			 (unsigned long long)fw->gicd_base);
	}
	if (!chip || !chip->cpu_init(why, why_len)) {
		set_pmr = NULL;
		return false;
	}
	irqchip = chip;
	if (version >= 3) /* an ITS needs the v3 redistributors */
		gic_its_describe(fw);
	gicv2m_describe(fw);

	uint64_t hz = read_sysreg(cntfrq_el0);
	if (!hz)
		hz = 62500000; /* unset by firmware: a common rate, only for timeouts */
	if (!self_test_sgi(hz, why, why_len))
		return false;

	char twhy[128];
	local_timer = arm64_timer_setup();
	if (!local_timer->cpu_init(twhy, sizeof(twhy)) ||
	    !self_test_timer(hz, twhy, sizeof(twhy))) {
		kprintf("vmbench: %s; no local timer\n", twhy);
		local_timer = NULL;
	}
	return true;
}

#define GICD_ICFGR 0x0c00

void gic_spi_set_trigger(unsigned irq, bool edge)
{
	if (irq < 32 || irq >= IRQ_SPECIAL)
		return;
	uint64_t reg = gicd_base + GICD_ICFGR + irq / 16 * 4;
	uint32_t bit = 2u << (irq % 16 * 2);

	mmio_write32(reg, edge ? mmio_read32(reg) | bit : mmio_read32(reg) & ~bit);
}

bool arch_line_route(unsigned irq, char *why, size_t why_len)
{
	if (!irqchip) {
		snprintf(why, why_len, "no interrupt controller: %s", irq_why());
		return false;
	}
	if (irq < 32 || irq >= IRQ_SPECIAL) {
		snprintf(why, why_len, "line %u is not a GIC SPI", irq);
		return false;
	}
	/* Its trigger changes only while it is off (GICD_ICFGR). */
	irqchip->enable(irq, false);
	gic_spi_set_trigger(irq, false);
	irq_mark_level(irq);
	irqchip->enable(irq, true);
	return true;
}

/* An MSI on arm64 is a write to the GICv3 ITS, translated to an LPI, or
 * to a GICv2m frame, which raises an SPI; the ITS where there are both. */
bool arch_msi_route(uint32_t rid, unsigned entry, struct msi_route *r, char *why, size_t why_len)
{
	if (!irqchip) {
		snprintf(why, why_len, "no interrupt controller: %s", irq_why());
		return false;
	}
	if (gic_its_present())
		return gic_its_route(rid, entry, r, why, why_len);
	if (gicv2m_present())
		return gicv2m_route(r, why, why_len);
	snprintf(why, why_len,
		 "the firmware tables name no GICv3 ITS or GICv2m frame for PCI MSIs "
		 "(%s)",
		 irqchip->name);
	return false;
}
