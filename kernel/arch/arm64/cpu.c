/* arm64 CPU set-up: vectors for the EL we run at, FP/SIMD. */
#include <stdint.h>

#include <arch/sysreg.h>
#include <arch/xen.h>
#include <vmb/arch.h>
#include <vmb/fwinfo.h>

const char arch_name[] = "arm64";

extern char arm64_vectors_el1[], arm64_vectors_el2[];

void arm64_cpu_local_init(void);

void arch_early_init(void)
{
	__asm__ volatile("msr daifset, #0xf");
	arm64_cpu_local_init();
}

/* Vectors and FP/SIMD for the EL this CPU runs at: the boot CPU's early
 * set-up, and each secondary's. */
void arm64_cpu_local_init(void)
{
	if (current_el() == 2) {
		write_sysreg(vbar_el2, (uintptr_t)arm64_vectors_el2);
		/* FP/SIMD untrapped at EL2 (CPTR_EL2.TFP) and for EL1. */
		write_sysreg(cptr_el2, read_sysreg(cptr_el2) & ~(1ull << 10));
	} else {
		write_sysreg(vbar_el1, (uintptr_t)arm64_vectors_el1);
	}
	/* CPACR_EL1.FPEN = 0b11 also matters at EL2: EL1 is where later
	 * benchmarks run their guest side. */
	write_sysreg(cpacr_el1, read_sysreg(cpacr_el1) | (3ull << 20));
	isb();
}

bool arch_pio_available(void)
{
	return false;
}

uint8_t arch_pio_read8(uint16_t port)
{
	(void)port;
	return 0xff;
}

void arch_pio_write8(uint16_t port, uint8_t value)
{
	(void)port, (void)value;
}

void arch_cpu_relax(void)
{
	__asm__ volatile("yield");
}

bool arch_default_uart(struct fw_uart *u)
{
	/* No address is safe to guess on arm64: each SoC puts its UART elsewhere. */
	(void)u;
	return false;
}

void arch_raise_fault(bool memory)
{
	if (memory)
		/* Above any 48-bit VA: a translation fault at level 0. */
		(void)*(volatile uint64_t *)0xffff000000000000ull;
	else
		__asm__ volatile("udf #0");
}

void arch_hypervisor_probe(const struct fw_info *fw, struct hyp_offers *offers)
{
	/* Xen names itself in the device tree. No CONSOLEIO_write: the image
	 * runs as a domU here, whose writes Xen refuses unless built for
	 * debugging; dom0less guests have a vpl011 instead. */
	arm64_xen_present = fw->xen_node;
	arm64_xen_upcall_irq = fw->xen_upcall_irq;
	offers->xen = arm64_xen_present;
	offers->xen_console_io = false;
}
