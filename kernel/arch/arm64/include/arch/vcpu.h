/*
 * A context of the image's own hypervisor's world switch (natively at EL2;
 * the VHE shape as well where the CPU has it): everything KVM's switch
 * saves and restores, class by
 * class (vmb/arch.h enum switch_class). Offsets the assembly uses are
 * checked against the structure in vcpu_switch.c.
 */
#ifndef ARCH_VCPU_H
#define ARCH_VCPU_H

#define VCPU_GP_X 0	   /* x0..x30 */
#define VCPU_GP_SP_EL0 248 /* then SP_EL0, the PC (ELR_EL2), PSTATE (SPSR_EL2) */
#define VCPU_GP_PC 256
#define VCPU_GP_PSTATE 264
#define VCPU_FP 272 /* q0..q31, FPSR, FPCR */
#define VCPU_FP_FPSR (VCPU_FP + 512)
#define VCPU_FP_FPCR (VCPU_FP + 520)

#ifndef __ASSEMBLER__
#include <stdint.h>

struct vcpu_gp {
	uint64_t x[31];
	uint64_t sp_el0, pc, pstate;
};

struct vcpu_fp {
	uint64_t q[64]; /* q0..q31, low half first */
	uint64_t fpsr, fpcr;
};

struct vcpu_sys {
	uint64_t sctlr, actlr, cpacr, ttbr0, ttbr1, tcr, esr, afsr0, afsr1, far, mair, vbar;
	uint64_t contextidr, amair, cntkctl, par, mdscr, tpidr_el0, tpidrro_el0, tpidr_el1;
	uint64_t sp_el1, elr_el1, spsr_el1, csselr;
};

/* GICv3 (ICH_* system registers) or GICv2 (GICH_* in memory). */
#define VCPU_MAX_LRS 64
struct vcpu_vgic {
	uint64_t hcr, vmcr, misr, eisr, elrsr, sre;
	uint64_t apr[8]; /* GICv3 ICH_AP0R0..3 then ICH_AP1R0..3; GICv2 GICH_APR in [0] */
	uint64_t lr[VCPU_MAX_LRS];
};

struct vcpu_timer {
	uint64_t cntv_ctl, cntv_cval, cntvoff, cnthctl;
};

struct vcpu_hyp {
	uint64_t hcr, cptr, hstr, mdcr, vpidr, vmpidr;
};

struct vcpu_stage2 {
	uint64_t vttbr, vtcr;
};

struct vcpu {
	struct vcpu_gp gp;
	struct vcpu_fp fp;
	struct vcpu_sys sys;
	struct vcpu_vgic vgic;
	struct vcpu_timer timer;
	struct vcpu_hyp hyp;
	struct vcpu_stage2 s2;
	struct vcpu *next; /* whom the switch HVC goes to */
};

/* The context whose state the CPU holds (the one running at EL1). */
extern struct vcpu *arm64_vcpu_current;
/* World switches done so far: a benchmark checks that its own happened. */
extern uint64_t arm64_vcpu_switches;

/* EL2, from the switch HVC's assembly (vcpu_entry.S): `from`'s GP
 * registers are saved; save the rest of it, restore all but the GP
 * registers of from->next, and return it. */
struct vcpu *arm64_vcpu_switch(struct vcpu *from);

/* Each class's save (hardware to context) and restore (context to
 * hardware), as the switch does them; gp and fp are assembly. */
void vcpu_fp_save(struct vcpu_fp *fp);
void vcpu_fp_restore(const struct vcpu_fp *fp);
void vcpu_sys_save(struct vcpu *v);
void vcpu_sys_restore(const struct vcpu *v);
void vcpu_vgic_save(struct vcpu *v);
void vcpu_vgic_restore(const struct vcpu *v);
void vcpu_timer_save(struct vcpu *v);
void vcpu_timer_restore(const struct vcpu *v);
void vcpu_hyp_save(struct vcpu *v);
void vcpu_hyp_restore(const struct vcpu *v);
void vcpu_stage2_save(struct vcpu *v);
void vcpu_stage2_restore(const struct vcpu *v);

/* The VHE shape (HCR_EL2.E2H set): the guest's EL1 state through the
 * *_EL12/_EL02 aliases; and, from the VHE switch HVC's assembly with
 * g's GP registers saved, one exit to the host g->next at EL2 and one
 * entry back into g. */
void vcpu_sys_save_vhe(struct vcpu *v);
void vcpu_sys_restore_vhe(const struct vcpu *v);
void vcpu_timer_save_vhe(struct vcpu *v);
void vcpu_timer_restore_vhe(const struct vcpu *v);
struct vcpu *arm64_vcpu_vhe_round_trip(struct vcpu *g);
/* The guest the VHE switch HVC saves to and returns to. */
extern struct vcpu *arm64_vhe_guest;
/* Change EL2's translation regime (and the trap configuration whose
 * layout changes with it) with EL2's MMU off for a moment: no memory is
 * touched between. Interrupts must be masked. */
void arm64_el2_regime(uint64_t hcr, uint64_t tcr, uint64_t ttbr0, uint64_t cptr);

/* The GP class timed alone: the switch's own store (load) sequence of
 * x0..x30, SP_EL0, ELR_EL2 and SPSR_EL2 between two counter reads;
 * returns the ticks. The restore probe keeps the caller's registers. */
uint64_t vcpu_gp_save_timed(struct vcpu_gp *gp, uint64_t use_pmccntr);
uint64_t vcpu_gp_restore_timed(const struct vcpu_gp *gp, uint64_t use_pmccntr);

/* Before the measuring guest is entered (guest.c): if another context
 * was left on the CPU (it faulted, or a watchdog ended its benchmark),
 * the measuring guest's state goes back and the others start over. */
void arm64_vcpu_home(void);

/* The interrupt controller's virtual interface: 3 (ICH_*), 2 (GICH_* at
 * gich) or 0 when there is none to switch. */
void vcpu_vgic_init(unsigned version, uint64_t gich, unsigned nr_lrs, unsigned nr_aprs);
#endif

#endif
