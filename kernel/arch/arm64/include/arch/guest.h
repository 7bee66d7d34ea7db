/*
 * The image's own minimal hypervisor on arm64: natively at EL2 (without
 * VHE) the image runs measuring code at EL1 as a guest of its own, on
 * the same identity map in the EL1 format, and takes its HVCs at EL2.
 */
#ifndef ARCH_GUEST_H
#define ARCH_GUEST_H

/* HVC immediates the guest uses (they also serve assembly). */
#define GUEST_HVC_NULL 1       /* an empty round trip */
#define GUEST_HVC_EXIT 2       /* the function returned */
#define GUEST_HVC_FAULT 3      /* an EL1 vector was taken */
#define GUEST_HVC_SWITCH 4     /* a world switch to the next context (arch/vcpu.h) */
#define GUEST_HVC_SWITCH_VHE 5 /* an exit to a VHE host and back (arch/vcpu.h) */

/* The guest's PSTATE on entry: EL1h, DAIF all masked. */
#define SPSR_EL1H_MASKED 0x3c5

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* How a call into the guest ended. */
struct guest_exit {
	uint64_t result;
	uint64_t fault;		/* 0, or the EL1 vector index + 1 */
	uint64_t esr, elr, far; /* EL1's syndrome, for a fault */
};

/* arch_guest_setup() (vmb/arch.h) sets the EL1 guest up (translation,
 * vectors, FP, HCR_EL2.RW) once; false and why where it cannot run (not
 * at EL2, VHE, no map). arch_guest_call() runs fn(arg) at EL1h with its
 * own stack, interrupts masked there (those routed to EL2 still arrive
 * at EL2). */
/* EL2's handler for a synchronous exception from the guest that is not
 * one of its HVCs (a stage-2 data abort): true when it emulated it and
 * the guest may go on (traps.c calls it). */
struct arm64_frame;
bool arm64_guest_abort(struct arm64_frame *f);
#endif

#endif
