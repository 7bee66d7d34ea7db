/*
 * The local APIC as the interrupt controller: x2APIC (MSRs) where the CPU
 * offers it, else xAPIC (a page of MMIO, mapped uncached by mmu.c as all
 * non-RAM below 4 GiB is). Each CPU's own APIC takes IPIs and its timer;
 * the I/O APIC is left as the firmware set it.
 */
#include <stdio.h>

#include <arch/x86.h>
#include <arch/x86_irq.h>
#include <vmb/fwinfo.h>
#include <vmb/irq.h>
#include <vmb/platform.h>
#include <vmb/smp.h>

#include <arch/lapic.h>

#define APIC_BASE_EXTD (1ull << 10) /* x2APIC mode */
#define APIC_BASE_EN (1ull << 11)
#define APIC_BASE_ADDR 0x000ffffffffff000ull

#define MSR_X2APIC 0x800
#define MSR_X2APIC_EOI 0x80b
#define MSR_X2APIC_SELF_IPI 0x83f

#define SVR_ENABLE (1u << 8)
#define ICR_NMI (4u << 8)
#define ICR_ASSERT (1u << 14)
#define ICR_SELF (1u << 18)

#define CPUID1_ECX_X2APIC (1u << 21)
#define CPUID1_EDX_APIC (1u << 9)

static bool x2;
static volatile uint32_t *mmio; /* xAPIC page; NULL until probed */

uint32_t lapic_read(unsigned reg)
{
	if (x2)
		return (uint32_t)rdmsr(MSR_X2APIC + (reg >> 4));
	return mmio[reg / 4];
}

void lapic_write(unsigned reg, uint32_t value)
{
	if (x2)
		wrmsr(MSR_X2APIC + (reg >> 4), value);
	else
		mmio[reg / 4] = value;
}

static uint64_t irq_save(void)
{
	uint64_t flags;

	__asm__ volatile("pushfq; popq %0; cli" : "=r"(flags)::"memory");
	return flags;
}

static void irq_restore(uint64_t flags)
{
	if (flags & (1u << 9))
		__asm__ volatile("sti" ::: "memory");
}

static uint32_t dest_of(unsigned cpu)
{
	const struct cpu_info *c = smp_cpu(cpu);

	return c ? (uint32_t)c->hwid : 0;
}

/* One ICR write. x2APIC: a single MSR write, but WRMSR to the ICR is not
 * ordered after earlier stores, so fence first or the target may see the
 * IPI before the data it announces. xAPIC: wait (bounded) until the last
 * IPI left, then destination and command, with interrupts masked so that
 * no handler's IPI lands between the two writes. */
static bool icr_write(uint32_t dest, uint32_t low)
{
	if (x2) {
		__asm__ volatile("mfence; lfence" ::: "memory");
		wrmsr(MSR_X2APIC_ICR, ((uint64_t)dest << 32) | low);
		return true;
	}
	if (!mmio)
		return false;
	uint64_t flags = irq_save();
	bool idle = false;
	for (unsigned i = 0; i < 100000 && !(idle = !(mmio[LAPIC_ICR / 4] & ICR_PENDING)); i++)
		__asm__ volatile("pause");
	if (idle) {
		mmio[LAPIC_ICR_HIGH / 4] = (dest & 0xff) << 24;
		mmio[LAPIC_ICR / 4] = low;
	}
	irq_restore(flags);
	return idle;
}

static bool ready(void)
{
	return x2 || mmio;
}

bool x86_lapic_send_icr(uint32_t apic_id, uint32_t icr_low)
{
	return ready() && icr_write(apic_id, icr_low);
}

void x86_lapic_send_nmi(unsigned cpu)
{
	if (ready())
		icr_write(dest_of(cpu), ICR_NMI | ICR_ASSERT);
}

static void mask_lvts(void)
{
	unsigned max_lvt = (lapic_read(LAPIC_VERSION) >> 16) & 0xff;

	lapic_write(LAPIC_LVT_TIMER, LAPIC_LVT_MASKED);
	lapic_write(LAPIC_LVT_LINT0, LAPIC_LVT_MASKED);
	lapic_write(LAPIC_LVT_LINT1, LAPIC_LVT_MASKED);
	lapic_write(LAPIC_LVT_ERROR, LAPIC_LVT_MASKED);
	/* The rest exist by the version register's count (x2APIC faults on
	 * a register that is not there). */
	if (max_lvt >= 4)
		lapic_write(LAPIC_LVT_PERF, LAPIC_LVT_MASKED);
	if (max_lvt >= 5)
		lapic_write(LAPIC_LVT_THERMAL, LAPIC_LVT_MASKED);
	if (max_lvt >= 6)
		lapic_write(LAPIC_LVT_CMCI, LAPIC_LVT_MASKED);
}

static bool in_service(void)
{
	for (unsigned i = 0; i < 8; i++)
		if (lapic_read(LAPIC_ISR + 0x10 * i))
			return true;
	return false;
}

static bool cpu_init(char *why, size_t len)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);

	/* Off to x2APIC goes through xAPIC: enable first, then extend. */
	if (!(base & APIC_BASE_EN))
		wrmsr(MSR_APIC_BASE, base |= APIC_BASE_EN);
	if (x2 && !(base & APIC_BASE_EXTD))
		wrmsr(MSR_APIC_BASE, base |= APIC_BASE_EXTD);
	if (!x2 && (base & APIC_BASE_EXTD)) {
		snprintf(why, len, "local APIC is in x2APIC mode on this CPU only");
		return false;
	}
	uint32_t version = lapic_read(LAPIC_VERSION);
	if ((version & 0xff) < 0x10 || (version & 0xff) > 0x1f) {
		snprintf(why, len, "no integrated local APIC (version register %#x)", version);
		return false;
	}
	mask_lvts();
	lapic_write(LAPIC_SVR, SVR_ENABLE | X86_SPURIOUS_VECTOR);
	lapic_write(LAPIC_TPR, 0);
	/* Errors latch on a write to ESR; x2APIC wants 0 written. */
	lapic_write(LAPIC_ESR, 0);
	lapic_write(LAPIC_ESR, 0);
	/* Whatever the firmware left in service would block lower vectors. */
	for (unsigned i = 0; i < 256 && in_service(); i++)
		lapic_write(LAPIC_EOI, 0);
	return true;
}

/* Only the timer has a mask here; IPI vectors always reach the CPU. */
static void enable(unsigned irq, bool on)
{
	if (irq != X86_TIMER_VECTOR)
		return;
	uint32_t lvt = lapic_read(LAPIC_LVT_TIMER);
	lapic_write(LAPIC_LVT_TIMER, on ? lvt & ~LAPIC_LVT_MASKED : lvt | LAPIC_LVT_MASKED);
}

static unsigned ipi_irq(unsigned k)
{
	return X86_IPI_BASE + (k & 7);
}

static void x2_send_ipi(unsigned cpu, unsigned irq)
{
	__asm__ volatile("mfence; lfence" ::: "memory");
	wrmsr(MSR_X2APIC_ICR, ((uint64_t)dest_of(cpu) << 32) | ICR_ASSERT | (irq & 0xff));
}

static void x2_send_self_ipi(unsigned irq)
{
	wrmsr(MSR_X2APIC_SELF_IPI, irq & 0xff);
}

static void x2_eoi(unsigned irq)
{
	(void)irq;
	wrmsr(MSR_X2APIC_EOI, 0);
}

static bool x2_pending(unsigned irq)
{
	return (rdmsr(MSR_X2APIC + ((LAPIC_IRR + 0x10 * (irq / 32)) >> 4)) >> (irq % 32)) & 1;
}

static void x_send_ipi(unsigned cpu, unsigned irq)
{
	icr_write(dest_of(cpu), ICR_ASSERT | (irq & 0xff));
}

static void x_send_self_ipi(unsigned irq)
{
	icr_write(0, ICR_SELF | ICR_ASSERT | (irq & 0xff));
}

static void x_eoi(unsigned irq)
{
	(void)irq;
	mmio[LAPIC_EOI / 4] = 0;
}

static bool x_pending(unsigned irq)
{
	return (mmio[(LAPIC_IRR + 0x10 * (irq / 32)) / 4] >> (irq % 32)) & 1;
}

static const struct irqchip x2apic = {
	.name = "x2apic",
	.cpu_init = cpu_init,
	.enable = enable,
	.ipi_irq = ipi_irq,
	.send_ipi = x2_send_ipi,
	.send_self_ipi = x2_send_self_ipi,
	.eoi = x2_eoi,
	.pending = x2_pending,
};

static const struct irqchip xapic = {
	.name = "xapic",
	.cpu_init = cpu_init,
	.enable = enable,
	.ipi_irq = ipi_irq,
	.send_ipi = x_send_ipi,
	.send_self_ipi = x_send_self_ipi,
	.eoi = x_eoi,
	.pending = x_pending,
};

const struct irqchip *lapic_probe(const struct fw_info *fw, char *why, size_t len)
{
	struct cpuid_regs r = cpuid(1, 0);

	if (!(r.edx & CPUID1_EDX_APIC)) {
		snprintf(why, len, "CPU has no local APIC (CPUID.1:EDX[9])");
		return NULL;
	}
	uint64_t base = rdmsr(MSR_APIC_BASE);
	/* Already in x2APIC mode (firmware's choice) is x2APIC too: the way
	 * back to xAPIC goes through a disabled APIC. */
	x2 = (r.ecx & CPUID1_ECX_X2APIC) || (base & APIC_BASE_EXTD);
	if (!x2) {
		uint64_t addr = base & APIC_BASE_ADDR;
		if (!addr)
			addr = fw->lapic_base ? fw->lapic_base : 0xfee00000;
		mmio = (volatile uint32_t *)(uintptr_t)addr;
	}
	if (!cpu_init(why, len)) {
		x2 = false;
		mmio = NULL;
		return NULL;
	}
	return x2 ? &x2apic : &xapic;
}
