/* Exceptions: recoverable under vmb_try(), otherwise a register dump and
 * the end. Interrupts go on to irq_entry(), NMIs to a hook first. */
#include <stdio.h>

#include <arch/x86.h>
#include <arch/x86_irq.h>
#include <vmb/console.h>
#include <vmb/fault.h>
#include <vmb/irq.h>

struct x86_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;
};

static const char *const names[32] = {
	"#DE divide error",
	"#DB debug",
	"NMI",
	"#BP breakpoint",
	"#OF overflow",
	"#BR bound range",
	"#UD invalid opcode",
	"#NM device not available",
	"#DF double fault",
	"coprocessor overrun",
	"#TS invalid TSS",
	"#NP segment not present",
	"#SS stack fault",
	"#GP general protection",
	"#PF page fault",
	"reserved 15",
	"#MF x87 error",
	"#AC alignment check",
	"#MC machine check",
	"#XM SIMD error",
	"#VE virtualization",
	"#CP control protection",
	"reserved 22",
	"reserved 23",
	"reserved 24",
	"reserved 25",
	"reserved 26",
	"reserved 27",
	"#HV hypervisor injection",
	"#VC VMM communication",
	"#SX security",
	"reserved 31",
};

bool (*x86_nmi_hook)(void);

void x86_trap(struct x86_frame *f);

static void x86_exception(struct x86_frame *f)
{
	char text[128];
	uint64_t cr2 = f->vector == 14 ? read_cr2() : 0;

	int n = snprintf(text, sizeof(text), "%s (vector %llu) error %#llx at rip %#llx",
			 names[f->vector & 31], (unsigned long long)f->vector,
			 (unsigned long long)f->error, (unsigned long long)f->rip);
	if (f->vector == 14 && n > 0 && (size_t)n < sizeof(text))
		snprintf(text + n, sizeof(text) - (size_t)n, " address %#llx",
			 (unsigned long long)cr2);
	/* Returns only when nobody is prepared for this one. */
	fault_recover((f->vector << 32) | (f->error & 0xffffffffu), text);

	kprintf("\n*** unexpected exception: %s\n", text);
	kprintf("rax %016llx rbx %016llx rcx %016llx rdx %016llx\n", (unsigned long long)f->rax,
		(unsigned long long)f->rbx, (unsigned long long)f->rcx, (unsigned long long)f->rdx);
	kprintf("rsi %016llx rdi %016llx rbp %016llx rsp %016llx\n", (unsigned long long)f->rsi,
		(unsigned long long)f->rdi, (unsigned long long)f->rbp, (unsigned long long)f->rsp);
	kprintf("r8  %016llx r9  %016llx r10 %016llx r11 %016llx\n", (unsigned long long)f->r8,
		(unsigned long long)f->r9, (unsigned long long)f->r10, (unsigned long long)f->r11);
	kprintf("r12 %016llx r13 %016llx r14 %016llx r15 %016llx\n", (unsigned long long)f->r12,
		(unsigned long long)f->r13, (unsigned long long)f->r14, (unsigned long long)f->r15);
	kprintf("rip %016llx cs %04llx rflags %08llx ss %04llx cr2 %016llx cr3 %016llx\n",
		(unsigned long long)f->rip, (unsigned long long)f->cs,
		(unsigned long long)f->rflags, (unsigned long long)f->ss, (unsigned long long)cr2,
		(unsigned long long)read_cr3());
	kernel_fatal_exit(128 + (int)f->vector);
}

/* Every vector's entry (vectors.S). The spurious vector needs no EOI. */
void x86_trap(struct x86_frame *f)
{
	if (f->vector >= 32) {
		/* An interrupt taken in STI's shadow, before the HLT of
		 * arch_wait_for_irq: returning to the HLT would sleep past the
		 * wake-up it brought. Hardware never takes one there; QEMU's
		 * emulated SVM (7.2) does not restore the shadow at VMRUN, so
		 * a guest nested in it can (the likely end of the x86 KVM
		 * lab's vm_switch peer that stopped once in ~18,000 sleeps). */
		if (f->rip == (uintptr_t)x86_wait_hlt) {
			f->rip++; /* HLT is one byte */
			irq_wakes_before_halt++;
		}
		if (f->vector != X86_SPURIOUS_VECTOR && irqchip)
			irq_entry((unsigned)f->vector);
		return;
	}
	if (f->vector == 2) {
		bool (*hook)(void) = __atomic_load_n(&x86_nmi_hook, __ATOMIC_ACQUIRE);
		if (hook && hook())
			return;
	}
	x86_exception(f);
}
