/*
 * The handler registry and the common interrupt entry. The controller and
 * timer drivers are the architecture's choice (arch_irq_init).
 */
#include <stdio.h>

#include <vmb/arch.h>
#include <vmb/irq.h>

const struct irqchip *irqchip;
const struct local_timer *local_timer;

struct handler {
	irq_handler_fn fn;
	void *arg;
	bool own_eoi;
};

static struct handler handlers[IRQ_MAX + IRQ_LPI_SLOTS];
static bool level[IRQ_MAX];
static char why[128] = "interrupts not set up";
static unsigned long unexpected;
volatile unsigned long irq_wakes_before_halt;

bool irq_init(const struct fw_info *fw)
{
	why[0] = 0;
	if (!arch_irq_init(fw, why, sizeof(why))) {
		irqchip = NULL;
		local_timer = NULL;
		if (!why[0])
			snprintf(why, sizeof(why), "no interrupt controller found");
		return false;
	}
	return true;
}

const char *irq_why(void)
{
	return why;
}

bool irq_cpu_init(void)
{
	char w[96];

	if (!irqchip || !irqchip->cpu_init(w, sizeof(w)))
		return false;
	if (local_timer && !local_timer->cpu_init(w, sizeof(w)))
		return false;
	return true;
}

/* irq's entry, NULL for a number the registry does not hold. */
static struct handler *slot(unsigned irq)
{
	if (irq < IRQ_MAX)
		return &handlers[irq];
	if (irq >= IRQ_LPI_BASE && irq - IRQ_LPI_BASE < IRQ_LPI_SLOTS)
		return &handlers[IRQ_MAX + irq - IRQ_LPI_BASE];
	return NULL;
}

void irq_register(unsigned irq, irq_handler_fn fn, void *arg, bool own_eoi)
{
	struct handler *h = slot(irq);

	if (!h)
		return;
	h->arg = arg;
	h->own_eoi = own_eoi;
	__atomic_store_n(&h->fn, fn, __ATOMIC_RELEASE);
}

void irq_unregister(unsigned irq)
{
	struct handler *h = slot(irq);

	if (h)
		__atomic_store_n(&h->fn, NULL, __ATOMIC_RELEASE);
}

void irq_mark_level(unsigned irq)
{
	if (irq < IRQ_MAX)
		level[irq] = true;
}

void irq_entry(unsigned irq)
{
	if (irq >= IRQ_MAX) {
		if (!irqchip || !irqchip->ack)
			return;
		irq = irqchip->ack();
		if (irq >= IRQ_SPECIAL && irq < IRQ_MAX)
			return; /* spurious, or nothing for us */
	}
	struct handler *h = slot(irq);
	irq_handler_fn fn = h ? __atomic_load_n(&h->fn, __ATOMIC_ACQUIRE) : NULL;
	if (fn) {
		fn(irq, h->arg);
	} else {
		unexpected++;
		if (irq < IRQ_MAX && level[irq])
			irqchip->enable(irq, false);
	}
	if (!fn || !h->own_eoi)
		irqchip->eoi(irq);
}
