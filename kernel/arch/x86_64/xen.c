/*
 * Xen on x86_64 (HVM/PVH guests and PVH dom0): find Xen's CPUID leaves,
 * give Xen a page to write its hypercall stubs into (the MSR named by
 * leaf base+2), and call through it. Used for the console, the null
 * hypercall and shutdown.
 */
#include <stdio.h>

#include <arch/x86.h>
#include <arch/x86_irq.h>
#include <arch/xen.h>
#include <vmb/xen.h>
#include <vmb/mem.h>

static uint8_t *hypercall_page;
static bool probed;

bool xen_init(void)
{
	if (probed)
		return hypercall_page != NULL;
	probed = true;
	if (!(cpuid(1, 0).ecx & (1u << 31)))
		return false;
	for (uint32_t base = 0x40000000; base < 0x40010000; base += 0x100) {
		struct cpuid_regs r = cpuid(base, 0);
		/* "XenVMMXenVMM" */
		if (r.ebx != 0x566e6558u || r.ecx != 0x65584d4du || r.edx != 0x4d4d566eu)
			continue;
		struct cpuid_regs pages = cpuid(base + 2, 0);
		if (!pages.eax)
			return false;
		uint8_t *page = mem_alloc_pages(1);
		if (!page)
			return false;
		wrmsr(pages.ebx, (uint64_t)(uintptr_t)page);
		hypercall_page = page;
		return true;
	}
	return false;
}

bool xen_present(void)
{
	return hypercall_page != NULL;
}

long xen_hypercall3(unsigned nr, unsigned long a1, unsigned long a2, unsigned long a3)
{
	long ret;
	void *entry = hypercall_page + nr * 32;

	__asm__ volatile("call *%[entry]"
			 : "=a"(ret), "+D"(a1), "+S"(a2), "+d"(a3)
			 : [entry] "r"(entry)
			 : "memory", "rcx", "r11", "r8", "r9", "r10");
	return ret;
}

void xen_shutdown(unsigned reason)
{
	struct {
		uint32_t reason;
	} arg = { reason };

	if (hypercall_page)
		xen_hypercall3(XEN_HC_SCHED_OP, SCHEDOP_SHUTDOWN, (unsigned long)(uintptr_t)&arg,
			       0);
}

bool arch_xen_upcall(unsigned *irq, char *via, size_t via_len, char *why, size_t why_len)
{
	if (!xen_has_feature(XENFEAT_HVM_CALLBACK_VECTOR)) {
		snprintf(why, why_len,
			 "Xen does not offer XENFEAT_hvm_callback_vector (its upcall would be a "
			 "PCI INTx line, which the image does not take)");
		return false;
	}
	struct xen_hvm_param p = { .domid = DOMID_SELF,
				   .index = HVM_PARAM_CALLBACK_IRQ,
				   .value = HVM_CALLBACK_VECTOR(X86_XEN_UPCALL_VECTOR) };
	long rc = arch_xen_hypercall(XEN_HC_HVM_OP, HVMOP_SET_PARAM, (uintptr_t)&p, 0);
	if (rc) {
		snprintf(why, why_len, "Xen refused HVM_PARAM_CALLBACK_IRQ (%ld)", rc);
		return false;
	}
	*irq = X86_XEN_UPCALL_VECTOR;
	/* Xen injects the vector itself while the upcall flag is set, not
	 * through the local APIC: the EOI irq_entry writes finds nothing in
	 * service and does nothing. */
	snprintf(via, via_len, "callback vector");
	return true;
}
