/*
 * Ending the run: UEFI's ResetSystem when the firmware left us its
 * runtime services, else ACPI soft-off (S5), else halt with interrupts
 * off so the machine stays put for the console reader.
 */
#include <efi.h>

#include <arch/x86.h>
#include <arch/xen.h>
#include <vmb/xen.h>
#include <vmb/arch.h>
#include <vmb/console.h>
#include <vmb/platform.h>

#include "acpi_off.h"

_Noreturn void arch_shutdown(const struct platform *p, bool poweroff)
{
	EFI_RUNTIME_SERVICES *rt = p->efi_runtime;

	if (poweroff && xen_present()) {
		/* A Xen guest (or PVH dom0) asks Xen to end the domain. */
		xen_shutdown(0);
		kprintf("vmbench: Xen SCHEDOP_shutdown returned\n");
	}
	if (poweroff && rt) {
		rt->ResetSystem(EfiResetShutdown, EFI_SUCCESS, 0, NULL);
		kprintf("vmbench: UEFI ResetSystem returned\n");
	}
	if (poweroff) {
		acpi_poweroff(p->acpi_rsdp);
		for (volatile int i = 0; i < 10000000; i++)
			;
		kprintf("vmbench: no way to power off found; halting\n");
	}
	for (;;)
		__asm__ volatile("cli; hlt");
}
