/* x86_64 interrupts: RFLAGS.IF; the local APIC and its timer, each proven
 * once at boot by an interrupt that has to arrive. */
#include <stdio.h>

#include <arch/counter.h>
#include <arch/x86.h>
#include <arch/x86_irq.h>
#include <vmb/arch.h>
#include <vmb/console.h>
#include <vmb/irq.h>
#include <vmb/platform.h>
#include <vmb/smp.h>

#include <arch/lapic.h>

#define PIC1_DATA 0x21
#define PIC2_DATA 0xa1

bool x86_watch_by_tpr[MAX_CPUS];
volatile unsigned x86_tpr_watches;

/* The CPU index is only asked for while some watch is on: before
 * smp_init() %gs does not point at one yet. */
static bool watched_by_tpr(void)
{
	return x86_tpr_watches && x86_watch_by_tpr[arch_cpu_index()];
}

void arch_irq_enable(void)
{
	if (watched_by_tpr())
		write_cr8(0);
	__asm__ volatile("sti" ::: "memory");
}

/* While the local-timer watchdog watches, masking is by task priority
 * with IF left set, so that its timer (top class) still gets in. */
void arch_irq_disable(void)
{
	if (watched_by_tpr())
		write_cr8(X86_TPR_URGENT_ONLY);
	else
		__asm__ volatile("cli" ::: "memory");
}

/* STI's one-instruction shadow keeps a pending interrupt from arriving
 * before HLT, so no wake-up is lost; where an emulated CPU lets one in
 * there all the same, the interrupt entry returns past the HLT (traps.c). */
void arch_wait_for_irq(void)
{
	if (watched_by_tpr()) {
		__asm__ volatile("cli" ::: "memory");
		write_cr8(0);
		x86_sti_hlt();
		write_cr8(X86_TPR_URGENT_ONLY);
		return;
	}
	x86_sti_hlt();
	__asm__ volatile("cli" ::: "memory");
}

static void arrived(unsigned irq, void *arg)
{
	(void)irq;
	*(volatile uint64_t *)arg = ref_now();
}

/* Let interrupts in until *when is set or irq_lost_ms() pass. */
static bool wait_arrival(volatile uint64_t *when)
{
	uint64_t hz = the_platform.ref_hz ? the_platform.ref_hz : 1000000000;
	uint64_t t0 = ref_now();

	arch_irq_enable();
	while (!*when && ref_now() - t0 < hz / 1000 * irq_lost_ms())
		__asm__ volatile("pause");
	arch_irq_disable();
	return *when != 0;
}

static bool check_self_ipi(char *why, size_t len)
{
	volatile uint64_t when = 0;
	unsigned v = irqchip->ipi_irq(IPI_BENCH);

	irq_register(v, arrived, (void *)&when, false);
	irqchip->send_self_ipi(v);
	bool ok = wait_arrival(&when);
	irq_unregister(v);
	if (!ok)
		snprintf(why, len, "%s: a self-IPI on vector %#x never arrived", irqchip->name, v);
	return ok;
}

static bool check_timer(void)
{
	volatile uint64_t when = 0;
	uint64_t deadline = ref_now() + ref_ms(1);

	irq_register(local_timer->irq, arrived, (void *)&when, false);
	local_timer->arm(deadline);
	bool ok = wait_arrival(&when);
	local_timer->cancel();
	irq_unregister(local_timer->irq);
	if (!ok)
		kprintf("vmbench: %s timer set 1 ms ahead never fired; no local timer\n",
			local_timer->name);
	else if (when < deadline)
		kprintf("vmbench: %s timer fired %llu ticks before its deadline\n",
			local_timer->name, (unsigned long long)(deadline - when));
	return ok;
}

/* An interrupt pending when the wait's HLT is reached must end the wait
 * (traps.c returns past the HLT), not leave it asleep until something
 * else comes: a timer armed well after must not be what ends it. */
static void check_wake_before_halt(void)
{
	volatile uint64_t ipi_at = 0, timer_at = 0;
	unsigned v = irqchip->ipi_irq(IPI_BENCH);
	unsigned long before = irq_wakes_before_halt;

	irq_register(v, arrived, (void *)&ipi_at, false);
	irq_register(local_timer->irq, arrived, (void *)&timer_at, false);
	local_timer->arm(ref_now() + ref_ms(irq_lost_ms()));
	irqchip->send_self_ipi(v);
	x86_iret_to_wait_hlt();
	__asm__ volatile("cli" ::: "memory");
	local_timer->cancel();
	irq_unregister(local_timer->irq);
	irq_unregister(v);
	if (irq_wakes_before_halt != before + 1 || !ipi_at || timer_at)
		kprintf("vmbench: a self-IPI taken just before the wait's halt did not end the "
			"wait: waits may sleep through their wake-up\n");
	irq_wakes_before_halt = before; /* the check's own is not the run's */
}

bool arch_irq_init(const struct fw_info *fw, char *why, size_t why_len)
{
	char twhy[96];

	/* Nothing from the 8259s: every interrupt we take is the APIC's. */
	outb(PIC1_DATA, 0xff);
	outb(PIC2_DATA, 0xff);

	irqchip = lapic_probe(fw, why, why_len);
	if (!irqchip)
		return false;
	if (!check_self_ipi(why, why_len)) {
		irqchip = NULL;
		return false;
	}
	local_timer = lapic_timer_probe(twhy, sizeof(twhy));
	if (!local_timer)
		kprintf("vmbench: no local timer: %s\n", twhy);
	else if (!local_timer->cpu_init(twhy, sizeof(twhy)))
		kprintf("vmbench: no local timer: %s\n", twhy);
	else if (check_timer()) {
		check_wake_before_halt();
		return true;
	}
	local_timer = NULL;
	return true;
}
