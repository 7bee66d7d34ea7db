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

bool arch_msi_route(unsigned n, unsigned *irq, uint64_t *addr, uint32_t *data, char *why,
		    size_t why_len)
{
	uint64_t apic = smp_cpu(0)->hwid;

	if (!irqchip) {
		snprintf(why, why_len, "no local APIC: %s", irq_why());
		return false;
	}
	if (n >= X86_MSI_COUNT || apic > 0xff) {
		snprintf(why, why_len,
			 "no MSI vector left, or the boot CPU's APIC id %#llx is "
			 "beyond an MSI's 8 bits",
			 (unsigned long long)apic);
		return false;
	}
	*irq = X86_MSI_BASE + n;
	*addr = MSI_WINDOW | apic << 12;
	*data = *irq;
	return true;
}
