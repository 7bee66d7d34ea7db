/*
 * The image's own hypervisor on x86_64, whichever the CPU has: AMD SVM
 * (arch/svm.h) or Intel VMX (arch/vmx.h). Natively, with no hypervisor
 * below, the image runs measuring code in a guest of its own; a second
 * guest (own VMCB or VMCS, ASID or VPID, nested page tables) is there to
 * switch to. The guest asks with VMMCALL (SVM) or VMCALL (VMX), its
 * request in RAX.
 */
#ifndef ARCH_X86_HV_H
#define ARCH_X86_HV_H

#define HV_CALL_NULL 1	 /* an empty round trip */
#define HV_CALL_EXIT 2	 /* the function returned, its result in RDI */
#define HV_CALL_SWITCH 3 /* to the other guest */

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum x86_hv { HV_NONE, HV_SVM, HV_VMX };
/* Which one runs the guests, once arch_guest_setup() (vmb/arch.h: SVM or
 * VMX is there, free, and set up, boot CPU only) said yes. */
extern enum x86_hv x86_hv_kind;

/* An exit's name by its code, from a table of SVM's or VMX's codes; a
 * code not listed is "an unexpected exit". */
struct hv_exit_name {
	uint64_t code;
	const char *name;
};
const char *x86_hv_exit_name(const struct hv_exit_name *names, size_t n, uint64_t code);

/* "SVM" or "VMX". */
const char *x86_hv_name(void);
/* arch_guest_call() (vmb/arch.h) runs fn(arg) in the first guest, whose
 * switch requests go to the second; a second guest that faulted starts
 * over next time. */
/* Where the second guest starts next (it starts over). */
void x86_hv_second_entry(void (*entry)(void));
/* World switches done so far. */
uint64_t x86_hv_switches(void);

/* A request from a guest, with the instruction this CPU's hypervisor
 * takes. */
static inline void x86_hv_request(uint64_t code)
{
	if (x86_hv_kind == HV_SVM)
		__asm__ volatile("vmmcall" ::"a"(code) : "memory");
	else
		__asm__ volatile("vmcall" ::"a"(code) : "memory");
}
#endif

#endif
