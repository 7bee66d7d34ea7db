/* irqchip_trap on either GIC: a read of the distributor's GICD_IIDR,
 * present on every GIC, which a hypervisor emulates. */
#include <stdio.h>

#include <arch/gic.h>
#include <arch/mmio.h>
#include <bench/bench_arch.h>
#include <kernel/irq/arm64/gic.h>
#include <vmb/irq.h>
#include <vmb/platform.h>

static uint64_t gicd;

bool bench_arch_irqchip_trap_setup(char *call, size_t call_len, char *why, size_t why_len)
{
	(void)why, (void)why_len;
	gicd = gic_distributor();
	snprintf(call, call_len, "ldr GICD_IIDR (%s distributor MMIO%s)", irqchip->name,
		 the_platform.mode == MODE_XEN ? ", emulated by Xen's vGIC" : "");
	return true;
}

uint32_t bench_arch_irqchip_trap_read(void)
{
	return mmio_read32(gicd + GICD_IIDR);
}
