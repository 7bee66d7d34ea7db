/*
 * Ending the run: PSCI SYSTEM_OFF through the conduit the firmware named
 * (always SMC when we run at EL2: an HVC would come back to us), then
 * UEFI ResetSystem, then wait for interrupts forever with all masked.
 */
#include <efi.h>

#include <arch/smccc.h>
#include <arch/sysreg.h>
#include <vmb/arch.h>
#include <vmb/console.h>
#include <vmb/fault.h>
#include <vmb/platform.h>

static bool use_hvc;

static void psci_off(void *arg)
{
	(void)arg;
	if (use_hvc)
		smccc_hvc(PSCI_SYSTEM_OFF, 0, 0, 0);
	else
		smccc_smc(PSCI_SYSTEM_OFF, 0, 0, 0);
}

_Noreturn void arch_shutdown(const struct platform *p, bool poweroff)
{
	if (poweroff) {
		enum psci_conduit c = p->psci;
		if (current_el() == 2)
			c = PSCI_SMC;
		if (c != PSCI_NONE) {
			use_hvc = c == PSCI_HVC;
			if (vmb_try(psci_off, NULL))
				kprintf("vmbench: PSCI SYSTEM_OFF faulted: %s\n", vmb_fault_text());
			else
				kprintf("vmbench: PSCI SYSTEM_OFF returned\n");
		}
		EFI_RUNTIME_SERVICES *rt = p->efi_runtime;
		if (rt) {
			rt->ResetSystem(EfiResetShutdown, EFI_SUCCESS, 0, NULL);
			kprintf("vmbench: UEFI ResetSystem returned\n");
		}
		kprintf("vmbench: no way to power off found; halting\n");
	}
	for (;;)
		__asm__ volatile("msr daifset, #0xf; wfi");
}
