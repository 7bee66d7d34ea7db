/*
 * The image's own minimal hypervisor on Intel VMX (natively, VMX free):
 * a VMCS per guest, EPT on an identity map, and guests that run the
 * image's own code in 64-bit mode. VMCS field encodings (Intel SDM vol.
 * 3, appendix B) and the layouts the assembly shares with C.
 */
#ifndef ARCH_VMX_H
#define ARCH_VMX_H

#include <arch/hv_gprs.h>
#include <arch/x86_hv.h>

/* 16-bit fields. */
#define VMCS_VPID 0x0000
#define VMCS_GUEST_ES_SEL 0x0800 /* ES, CS, SS, DS, FS, GS, LDTR, TR: +2 each */
#define VMCS_HOST_ES_SEL 0x0c00	 /* ES, CS, SS, DS, FS, GS, TR: +2 each */
/* 64-bit fields. */
#define VMCS_EPT_POINTER 0x201a
#define VMCS_LINK_POINTER 0x2800
#define VMCS_GUEST_DEBUGCTL 0x2802
/* 32-bit fields. */
#define VMCS_PIN_CTLS 0x4000
#define VMCS_PROC_CTLS 0x4002
#define VMCS_EXCEPTION_BITMAP 0x4004
#define VMCS_CR3_TARGET_COUNT 0x400a
#define VMCS_EXIT_CTLS 0x400c
#define VMCS_ENTRY_CTLS 0x4012
#define VMCS_PROC_CTLS2 0x401e
#define VMCS_INSN_ERROR 0x4400
#define VMCS_EXIT_REASON 0x4402
#define VMCS_EXIT_INTR_INFO 0x4404
#define VMCS_GUEST_ES_LIMIT 0x4800 /* then CS .. TR, GDTR, IDTR: +2 each */
#define VMCS_GUEST_ES_AR 0x4814	   /* then CS .. TR: +2 each */
#define VMCS_GUEST_INTERRUPTIBILITY 0x4824
#define VMCS_GUEST_ACTIVITY 0x4826
#define VMCS_GUEST_SYSENTER_CS 0x482a
#define VMCS_HOST_SYSENTER_CS 0x4c00
/* Natural-width fields. */
#define VMCS_EXIT_QUALIFICATION 0x6400
#define VMCS_GUEST_CR0 0x6800
#define VMCS_GUEST_CR3 0x6802
#define VMCS_GUEST_CR4 0x6804
#define VMCS_GUEST_ES_BASE 0x6806 /* then CS .. TR, GDTR, IDTR: +2 each */
#define VMCS_GUEST_DR7 0x681a
#define VMCS_GUEST_RSP 0x681c
#define VMCS_GUEST_RIP 0x681e
#define VMCS_GUEST_RFLAGS 0x6820
#define VMCS_GUEST_PENDING_DBG 0x6822
#define VMCS_GUEST_SYSENTER_ESP 0x6824
#define VMCS_GUEST_SYSENTER_EIP 0x6826
#define VMCS_HOST_CR0 0x6c00
#define VMCS_HOST_CR3 0x6c02
#define VMCS_HOST_CR4 0x6c04
#define VMCS_HOST_FS_BASE 0x6c06
#define VMCS_HOST_GS_BASE 0x6c08
#define VMCS_HOST_TR_BASE 0x6c0a
#define VMCS_HOST_GDTR_BASE 0x6c0c
#define VMCS_HOST_IDTR_BASE 0x6c0e
#define VMCS_HOST_SYSENTER_ESP 0x6c10
#define VMCS_HOST_SYSENTER_EIP 0x6c12
#define VMCS_HOST_RSP 0x6c14
#define VMCS_HOST_RIP 0x6c16

/* Basic exit reasons. */
#define VMX_EXIT_EXCEPTION_NMI 0
#define VMX_EXIT_EXTINT 1
#define VMX_EXIT_TRIPLE_FAULT 2
#define VMX_EXIT_CPUID 10
#define VMX_EXIT_HLT 12
#define VMX_EXIT_VMCALL 18
#define VMX_EXIT_INVALID_STATE 33
#define VMX_EXIT_EPT_VIOLATION 48
#define VMX_EXIT_EPT_MISCONFIG 49
#define VMX_EXIT_ENTRY_FAILED (1u << 31)

/* struct vmx_vcpu: a guest's GPRs but RSP (the VMCS has it), in this
 * order, its VMCS's physical address, the next guest, and whether its
 * VMCS was launched. */
#define VMX_VCPU_RAX 0
#define VMX_VCPU_VMCS (8 * HV_GPRS)
#define VMX_VCPU_NEXT (VMX_VCPU_VMCS + 8)
#define VMX_VCPU_LAUNCHED (VMX_VCPU_NEXT + 8)
/* struct vmx_exit */
#define VMX_EXIT_FAULT 0
#define VMX_EXIT_RESULT 8
#define VMX_EXIT_REASON_OFF 16
#define VMX_EXIT_QUAL 24
#define VMX_EXIT_RIP 32
#define VMX_EXIT_INFO 40
#define VMX_EXIT_INSN_ERROR 48

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vmx_vcpu {
	uint64_t gpr[HV_GPRS];
	uint64_t vmcs_pa;
	struct vmx_vcpu *next;
	uint64_t launched;
};

struct vmx_exit {
	uint64_t fault; /* 0: the function returned; 1: an exit; 2: entry refused */
	uint64_t result;
	uint64_t reason, qualification, rip, intr_info;
	uint64_t insn_error; /* VM-instruction error, for fault 2 */
};

/* VMX is there, free and usable (boot CPU only): false and why if not. */
bool vmx_setup(char *why, size_t why_len);
bool vmx_guest_call(uint64_t (*fn)(uint64_t), uint64_t arg, uint64_t *result, char *why,
		    size_t why_len);
void vmx_second_entry(void (*entry)(void));
extern uint64_t vmx_switches;
#endif

#endif
