/*
 * The image's own minimal hypervisor on AMD SVM (natively, SVM free):
 * a VMCB per guest, nested paging on an identity map, and guests that run
 * the image's own code in 64-bit mode. Offsets into the VMCB (AMD64 APM
 * vol. 2, appendix B) serve C and assembly alike.
 */
#ifndef ARCH_SVM_H
#define ARCH_SVM_H

#include <arch/hv_gprs.h>
#include <arch/x86_hv.h>

/* Control area. */
#define VMCB_INTERCEPT_EXC 0x008
#define VMCB_INTERCEPT_MISC1 0x00c
#define VMCB_INTERCEPT_MISC2 0x010
#define VMCB_IOPM 0x040
#define VMCB_MSRPM 0x048
#define VMCB_ASID 0x058
#define VMCB_INT_CTL 0x060
#define VMCB_EXITCODE 0x070
#define VMCB_EXITINFO1 0x078
#define VMCB_EXITINFO2 0x080
#define VMCB_NP_CTL 0x090
#define VMCB_NCR3 0x0b0
/* State save area. */
#define VMCB_ES 0x400
#define VMCB_CS 0x410
#define VMCB_SS 0x420
#define VMCB_DS 0x430
#define VMCB_GDTR 0x460
#define VMCB_IDTR 0x480
#define VMCB_TR 0x490
#define VMCB_CPL 0x4cb
#define VMCB_EFER 0x4d0
#define VMCB_CR4 0x548
#define VMCB_CR3 0x550
#define VMCB_CR0 0x558
#define VMCB_DR7 0x560
#define VMCB_DR6 0x568
#define VMCB_RFLAGS 0x570
#define VMCB_RIP 0x578
#define VMCB_RSP 0x5d8
#define VMCB_RAX 0x5f8
#define VMCB_GPAT 0x668

/* Exit codes. */
#define SVM_EXIT_EXCP_BASE 0x40
#define SVM_EXIT_INTR 0x60
#define SVM_EXIT_NMI 0x61
#define SVM_EXIT_CPUID 0x72
#define SVM_EXIT_HLT 0x78
#define SVM_EXIT_SHUTDOWN 0x7f
#define SVM_EXIT_VMMCALL 0x81
#define SVM_EXIT_NPF 0x400

/* struct svm_vcpu: a guest's GPRs as arch/hv_gprs.h lays them out (its
 * RAX slot unused: the VMCB has RAX), its VMCB's physical address and the
 * next guest. */
#define SVM_VCPU_VMCB (8 * HV_GPRS)
#define SVM_VCPU_NEXT (SVM_VCPU_VMCB + 8)
/* struct svm_exit */
#define SVM_EXIT_FAULT 0
#define SVM_EXIT_RESULT 8
#define SVM_EXIT_CODE 16
#define SVM_EXIT_INFO1 24
#define SVM_EXIT_RIP 32

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct svm_vcpu {
	uint64_t gpr[HV_GPRS];
	uint64_t vmcb_pa;
	struct svm_vcpu *next;
};

struct svm_exit {
	uint64_t fault; /* 0: the function returned */
	uint64_t result;
	uint64_t code, info1, rip; /* the exit that ended it, for a fault */
};

/* SVM is there, free and usable: false and why if not. */
bool svm_setup(char *why, size_t why_len);
bool svm_guest_call(uint64_t (*fn)(uint64_t), uint64_t arg, uint64_t *result, char *why,
		    size_t why_len);
void svm_second_entry(void (*entry)(void));
extern uint64_t svm_switches;
#endif

#endif
