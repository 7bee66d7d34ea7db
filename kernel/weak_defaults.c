/*
 * Defaults for the parts of the arch contract (<vmb/arch.h>) that only
 * some architectures have: an architecture implements what differs and
 * carries no stubs for the rest.
 */
#include <stdio.h>

#include <vmb/arch.h>

__attribute__((weak)) bool arch_pci_hole_in_memory_map(void)
{
	return false;
}

__attribute__((weak)) void (*const arch_microcode_reader)(void *rev) = NULL;

__attribute__((weak)) bool arch_bios_area(uint64_t *base, size_t *len)
{
	(void)base, (void)len;
	return false;
}

__attribute__((weak)) bool arch_guest_trap_setup(char *call, size_t call_len, char *why,
						 size_t why_len)
{
	(void)call, (void)call_len;
	snprintf(why, why_len, "no hypervisor of the image's own here (arm64 at EL2 only)");
	return false;
}

__attribute__((weak)) uint64_t arch_guest_trap_batch(uint32_t batch, char *why, size_t why_len)
{
	(void)batch;
	snprintf(why, why_len, "no hypervisor of the image's own here");
	return UINT64_MAX;
}

__attribute__((weak)) bool arch_switch_setup(enum switch_peer to, char *call, size_t call_len,
					     char *why, size_t why_len)
{
	(void)to, (void)call, (void)call_len;
	snprintf(why, why_len,
		 "no world switch of the image's own here (arm64 natively at EL2 only, so far)");
	return false;
}

__attribute__((weak)) bool arch_switch_class_setup(enum switch_class c, char *call, size_t call_len,
						   char *why, size_t why_len)
{
	(void)c;
	return arch_switch_setup(SWITCH_TO_HOST, call, call_len, why, why_len);
}

__attribute__((weak)) void arch_switch_class_time(enum switch_class c, uint64_t *save,
						  uint64_t *restore)
{
	(void)c;
	*save = *restore = 0;
}

__attribute__((weak)) uint64_t arch_hypercall_switch_batch(uint32_t batch, char *why,
							   size_t why_len)
{
	(void)batch;
	snprintf(why, why_len, "no world switch of the image's own here");
	return UINT64_MAX;
}

__attribute__((weak)) uint64_t arch_hypercall_switch_vhe_batch(uint32_t batch, char *why,
							       size_t why_len)
{
	return arch_hypercall_switch_batch(batch, why, why_len);
}

__attribute__((weak)) uint64_t arch_vm_switch_batch(uint32_t batch, char *why, size_t why_len)
{
	(void)batch;
	snprintf(why, why_len, "no world switch of the image's own here");
	return UINT64_MAX;
}

__attribute__((weak)) bool arch_switch_fault(char *why, size_t why_len)
{
	snprintf(why, why_len, "no world switch of the image's own here");
	return false;
}

__attribute__((weak)) uint32_t arch_pio_read32(uint16_t port)
{
	(void)port;
	return 0xffffffffu;
}

__attribute__((weak)) void arch_pio_write32(uint16_t port, uint32_t value)
{
	(void)port, (void)value;
}

__attribute__((weak)) bool arch_guests_clock(uint64_t *ns, uint64_t *ref, char *why, size_t why_len)
{
	return arch_host_clock(ns, ref, why, why_len);
}
