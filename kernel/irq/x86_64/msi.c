/*
 * MSIs on x86_64: a write to the local APIC's window at 0xfee00000 with
 * the destination APIC id in bits 19:12 and the vector (fixed delivery,
 * edge) as data (Intel SDM vol. 3, 11.11). All go to the boot CPU, where
 * the benchmarks wait.
 */
#include <stdio.h>

#include <arch/x86_irq.h>
#include <vmb/arch.h>
#include <vmb/irq.h>
#include <vmb/smp.h>

#define MSI_WINDOW 0xfee00000ull

/* An x86 line goes through the IOAPIC, and which pin a PCI INTx uses is
 * in ACPI's _PRT: neither is driven here (every PCI device the image
 * drives has MSI-X). */
bool arch_line_route(unsigned irq, char *why, size_t why_len)
{
	snprintf(why, why_len, "line %u: the image drives no IOAPIC", irq);
	return false;
}

/* Vectors handed out so far. */
static unsigned used;

bool arch_msi_route(uint32_t rid, unsigned entry, struct msi_route *r, char *why, size_t why_len)
{
	uint64_t apic = smp_cpu(0)->hwid;

	(void)rid, (void)entry; /* no remapping: the message names the vector */
	if (!irqchip) {
		snprintf(why, why_len, "no local APIC: %s", irq_why());
		return false;
	}
	if (used >= X86_MSI_COUNT || apic > 0xff) {
		snprintf(why, why_len,
			 "no MSI vector left, or the boot CPU's APIC id %#llx is "
			 "beyond an MSI's 8 bits",
			 (unsigned long long)apic);
		return false;
	}
	r->irq = X86_MSI_BASE + used++;
	r->addr = MSI_WINDOW | apic << 12;
	r->data = r->irq;
	r->via = "local APIC vector";
	return true;
}
