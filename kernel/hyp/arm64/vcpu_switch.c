/*
 * The world switch of the image's own hypervisor (arch/vcpu.h), class by
 * class, in the shape of KVM's nVHE switch as the study measured it
 * (Linux 4.0's hyp.S): every EL1 system register, every implemented list
 * register of the VGIC, the virtual timer, EL2's trap configuration and
 * the stage-2 registers. Built with -mgeneral-regs-only: between saving
 * one context's FP/SIMD registers and restoring the next one's, nothing
 * here may touch them.
 */
#include <stddef.h>

#include <arch/counter.h>
#include <arch/mmio.h>
#include <arch/sysreg.h>
#include <arch/vcpu.h>
#include <vmb/arch.h>

_Static_assert(offsetof(struct vcpu, gp.sp_el0) == VCPU_GP_SP_EL0, "vcpu.h offsets");
_Static_assert(offsetof(struct vcpu, gp.pc) == VCPU_GP_PC, "vcpu.h offsets");
_Static_assert(offsetof(struct vcpu, gp.pstate) == VCPU_GP_PSTATE, "vcpu.h offsets");
_Static_assert(offsetof(struct vcpu, fp) == VCPU_FP, "vcpu.h offsets");
_Static_assert(offsetof(struct vcpu, fp.fpsr) == VCPU_FP_FPSR, "vcpu.h offsets");
_Static_assert(offsetof(struct vcpu, fp.fpcr) == VCPU_FP_FPCR, "vcpu.h offsets");

struct vcpu *arm64_vcpu_current;
uint64_t arm64_vcpu_switches;

/*
 * The 24 EL1 system registers of the switch, each with the name it has at
 * EL2 under VHE (HCR_EL2.E2H set), where the EL1 names of those with an
 * EL2 twin reach the twin (arch/sysreg.h). CSSELR first: a restore writes
 * it before anything that depends on it.
 */
#define EL1_SYSREGS(X)                                                                             \
	X(csselr, csselr_el1, csselr_el1)                                                          \
	X(sctlr, sctlr_el1, SCTLR_EL12)                                                            \
	X(actlr, actlr_el1, actlr_el1)                                                             \
	X(cpacr, cpacr_el1, CPACR_EL12)                                                            \
	X(ttbr0, ttbr0_el1, TTBR0_EL12)                                                            \
	X(ttbr1, ttbr1_el1, TTBR1_EL12)                                                            \
	X(tcr, tcr_el1, TCR_EL12)                                                                  \
	X(esr, esr_el1, ESR_EL12)                                                                  \
	X(afsr0, afsr0_el1, AFSR0_EL12)                                                            \
	X(afsr1, afsr1_el1, AFSR1_EL12)                                                            \
	X(far, far_el1, FAR_EL12)                                                                  \
	X(mair, mair_el1, MAIR_EL12)                                                               \
	X(vbar, vbar_el1, VBAR_EL12)                                                               \
	X(contextidr, contextidr_el1, CONTEXTIDR_EL12)                                             \
	X(amair, amair_el1, AMAIR_EL12)                                                            \
	X(cntkctl, cntkctl_el1, CNTKCTL_EL12)                                                      \
	X(par, par_el1, par_el1)                                                                   \
	X(mdscr, mdscr_el1, mdscr_el1)                                                             \
	X(tpidr_el0, tpidr_el0, tpidr_el0)                                                         \
	X(tpidrro_el0, tpidrro_el0, tpidrro_el0)                                                   \
	X(tpidr_el1, tpidr_el1, tpidr_el1)                                                         \
	X(sp_el1, sp_el1, sp_el1)                                                                  \
	X(elr_el1, elr_el1, ELR_EL12)                                                              \
	X(spsr_el1, spsr_el1, SPSR_EL12)

#define SAVE_EL1(field, el1, el12) s->field = read_sysreg(el1);
#define RESTORE_EL1(field, el1, el12) write_sysreg(el1, s->field);
#define SAVE_EL12(field, el1, el12) s->field = read_sysreg(el12);
#define RESTORE_EL12(field, el1, el12) write_sysreg(el12, s->field);

void vcpu_sys_save(struct vcpu *v)
{
	struct vcpu_sys *s = &v->sys;

	EL1_SYSREGS(SAVE_EL1)
}

void vcpu_sys_restore(const struct vcpu *v)
{
	const struct vcpu_sys *s = &v->sys;

	EL1_SYSREGS(RESTORE_EL1)
}

void vcpu_sys_save_vhe(struct vcpu *v)
{
	struct vcpu_sys *s = &v->sys;

	EL1_SYSREGS(SAVE_EL12)
}

void vcpu_sys_restore_vhe(const struct vcpu *v)
{
	const struct vcpu_sys *s = &v->sys;

	EL1_SYSREGS(RESTORE_EL12)
}

/* The VGIC's shape, from vcpu_vgic_init. */
static unsigned vgic_version, vgic_lrs, vgic_aprs;
static uint64_t gich;

#define GICH_HCR 0x00
#define GICH_VMCR 0x08
#define GICH_MISR 0x10
#define GICH_EISR0 0x20
#define GICH_EISR1 0x24
#define GICH_ELRSR0 0x30
#define GICH_ELRSR1 0x34
#define GICH_APR 0xf0
#define GICH_LR0 0x100

void vcpu_vgic_init(unsigned version, uint64_t gich_base, unsigned nr_lrs, unsigned nr_aprs)
{
	vgic_version = version;
	gich = gich_base;
	vgic_lrs = nr_lrs > VCPU_MAX_LRS ? VCPU_MAX_LRS : nr_lrs;
	vgic_aprs = nr_aprs > 4 ? 4 : nr_aprs;
}

/* ICH_LR<n>_EL2 and ICH_AP<g>R<n>_EL2 are named in the instruction. */
#define LR_CASE(n)                                                                                 \
	case n:                                                                                    \
		if (write)                                                                         \
			write_sysreg(ich_lr##n##_el2, *v);                                         \
		else                                                                               \
			*v = read_sysreg(ich_lr##n##_el2);                                         \
		break
static void ich_lr(unsigned n, uint64_t *v, int write)
{
	switch (n) {
		LR_CASE(0);
		LR_CASE(1);
		LR_CASE(2);
		LR_CASE(3);
		LR_CASE(4);
		LR_CASE(5);
		LR_CASE(6);
		LR_CASE(7);
		LR_CASE(8);
		LR_CASE(9);
		LR_CASE(10);
		LR_CASE(11);
		LR_CASE(12);
		LR_CASE(13);
		LR_CASE(14);
		LR_CASE(15);
	}
}

#define APR_CASE(g, n)                                                                             \
	case g * 4 + n:                                                                            \
		if (write)                                                                         \
			write_sysreg(ich_ap##g##r##n##_el2, *v);                                   \
		else                                                                               \
			*v = read_sysreg(ich_ap##g##r##n##_el2);                                   \
		break
static void ich_apr(unsigned i, uint64_t *v, int write)
{
	switch (i) {
		APR_CASE(0, 0);
		APR_CASE(0, 1);
		APR_CASE(0, 2);
		APR_CASE(0, 3);
		APR_CASE(1, 0);
		APR_CASE(1, 1);
		APR_CASE(1, 2);
		APR_CASE(1, 3);
	}
}

/* As KVM did: the maintenance state read, the interface disabled, every
 * list register and active-priority register read. */
void vcpu_vgic_save(struct vcpu *v)
{
	struct vcpu_vgic *g = &v->vgic;

	if (vgic_version == 3) {
		g->vmcr = read_sysreg(ich_vmcr_el2);
		g->misr = read_sysreg(ich_misr_el2);
		g->eisr = read_sysreg(ich_eisr_el2);
		g->elrsr = read_sysreg(ich_elrsr_el2);
		write_sysreg(ich_hcr_el2, 0);
		for (unsigned i = 0; i < vgic_lrs; i++)
			ich_lr(i, &g->lr[i], 0);
		for (unsigned i = 0; i < vgic_aprs; i++) {
			ich_apr(i, &g->apr[i], 0);
			ich_apr(4 + i, &g->apr[4 + i], 0);
		}
		g->sre = read_sysreg(icc_sre_el1);
	} else if (vgic_version == 2) {
		g->vmcr = mmio_read32(gich + GICH_VMCR);
		g->misr = mmio_read32(gich + GICH_MISR);
		g->eisr = mmio_read32(gich + GICH_EISR0) |
			  (vgic_lrs > 32 ? (uint64_t)mmio_read32(gich + GICH_EISR1) << 32 : 0);
		g->elrsr = mmio_read32(gich + GICH_ELRSR0) |
			   (vgic_lrs > 32 ? (uint64_t)mmio_read32(gich + GICH_ELRSR1) << 32 : 0);
		g->apr[0] = mmio_read32(gich + GICH_APR);
		mmio_write32(gich + GICH_HCR, 0);
		for (unsigned i = 0; i < vgic_lrs; i++)
			g->lr[i] = mmio_read32(gich + GICH_LR0 + 4 * i);
	}
}

void vcpu_vgic_restore(const struct vcpu *v)
{
	const struct vcpu_vgic *g = &v->vgic;

	if (vgic_version == 3) {
		uint64_t lr;
		write_sysreg(icc_sre_el1, g->sre);
		write_sysreg(ich_hcr_el2, g->hcr);
		for (unsigned i = 0; i < vgic_aprs; i++) {
			lr = g->apr[i];
			ich_apr(i, &lr, 1);
			lr = g->apr[4 + i];
			ich_apr(4 + i, &lr, 1);
		}
		for (unsigned i = 0; i < vgic_lrs; i++) {
			lr = g->lr[i];
			ich_lr(i, &lr, 1);
		}
		write_sysreg(ich_vmcr_el2, g->vmcr);
	} else if (vgic_version == 2) {
		mmio_write32(gich + GICH_HCR, (uint32_t)g->hcr);
		mmio_write32(gich + GICH_VMCR, (uint32_t)g->vmcr);
		mmio_write32(gich + GICH_APR, (uint32_t)g->apr[0]);
		for (unsigned i = 0; i < vgic_lrs; i++)
			mmio_write32(gich + GICH_LR0 + 4 * i, (uint32_t)g->lr[i]);
	}
}

/* The guest's virtual timer stops while another context runs. */
void vcpu_timer_save(struct vcpu *v)
{
	v->timer.cntv_ctl = read_sysreg(cntv_ctl_el0);
	v->timer.cntv_cval = read_sysreg(cntv_cval_el0);
	write_sysreg(cntv_ctl_el0, 0);
	v->timer.cnthctl = read_sysreg(cnthctl_el2);
	v->timer.cntvoff = read_sysreg(cntvoff_el2);
}

void vcpu_timer_restore(const struct vcpu *v)
{
	write_sysreg(cnthctl_el2, v->timer.cnthctl);
	write_sysreg(cntvoff_el2, v->timer.cntvoff);
	write_sysreg(cntv_cval_el0, v->timer.cntv_cval);
	isb();
	write_sysreg(cntv_ctl_el0, v->timer.cntv_ctl);
}

void vcpu_hyp_save(struct vcpu *v)
{
	v->hyp.hcr = read_sysreg(hcr_el2);
	v->hyp.cptr = read_sysreg(cptr_el2);
	v->hyp.hstr = read_sysreg(hstr_el2);
	v->hyp.mdcr = read_sysreg(mdcr_el2);
	v->hyp.vpidr = read_sysreg(vpidr_el2);
	v->hyp.vmpidr = read_sysreg(vmpidr_el2);
}

void vcpu_hyp_restore(const struct vcpu *v)
{
	write_sysreg(hcr_el2, v->hyp.hcr);
	write_sysreg(cptr_el2, v->hyp.cptr);
	write_sysreg(hstr_el2, v->hyp.hstr);
	write_sysreg(mdcr_el2, v->hyp.mdcr);
	write_sysreg(vpidr_el2, v->hyp.vpidr);
	write_sysreg(vmpidr_el2, v->hyp.vmpidr);
}

void vcpu_stage2_save(struct vcpu *v)
{
	v->s2.vttbr = read_sysreg(vttbr_el2);
	v->s2.vtcr = read_sysreg(vtcr_el2);
}

void vcpu_stage2_restore(const struct vcpu *v)
{
	write_sysreg(vtcr_el2, v->s2.vtcr);
	write_sysreg(vttbr_el2, v->s2.vttbr);
}

/* Each class in the order the switch saves them (restores go in the
 * reverse): the GP registers are the assembly's, first and last. */
struct vcpu *arm64_vcpu_switch(struct vcpu *from)
{
	struct vcpu *to = from->next;

	vcpu_fp_save(&from->fp);
	vcpu_sys_save(from);
	vcpu_vgic_save(from);
	vcpu_timer_save(from);
	vcpu_hyp_save(from);
	vcpu_stage2_save(from);

	vcpu_stage2_restore(to);
	vcpu_hyp_restore(to);
	vcpu_timer_restore(to);
	vcpu_vgic_restore(to);
	vcpu_sys_restore(to);
	vcpu_fp_restore(&to->fp);
	arm64_vcpu_current = to;
	arm64_vcpu_switches++;
	return to;
}

/* The guest's virtual timer under VHE: its *_EL02 aliases. */
void vcpu_timer_save_vhe(struct vcpu *v)
{
	v->timer.cntv_ctl = read_sysreg(CNTV_CTL_EL02);
	v->timer.cntv_cval = read_sysreg(CNTV_CVAL_EL02);
	write_sysreg(CNTV_CTL_EL02, 0);
	v->timer.cnthctl = read_sysreg(cnthctl_el2);
	v->timer.cntvoff = read_sysreg(cntvoff_el2);
}

void vcpu_timer_restore_vhe(const struct vcpu *v)
{
	write_sysreg(cnthctl_el2, v->timer.cnthctl);
	write_sysreg(cntvoff_el2, v->timer.cntvoff);
	write_sysreg(CNTV_CVAL_EL02, v->timer.cntv_cval);
	isb();
	write_sysreg(CNTV_CTL_EL02, v->timer.cntv_ctl);
}

/* One exit and one entry as a VHE host (KVM's VHE run loop, the host
 * kernel itself at EL2) does them: the guest's state out, and of the
 * host's only what it shares with the guest (FP/SIMD, EL2's trap
 * configuration, the timer's controls; the virtual interface off); the
 * host's own system registers are EL2's and never leave the CPU. Then,
 * the exit needing no work, the guest's state back. */
struct vcpu *arm64_vcpu_vhe_round_trip(struct vcpu *g)
{
	struct vcpu *h = g->next;

	vcpu_fp_save(&g->fp);
	vcpu_sys_save_vhe(g);
	vcpu_vgic_save(g);
	vcpu_timer_save_vhe(g);
	vcpu_hyp_save(g);
	vcpu_stage2_save(g);
	vcpu_hyp_restore(h);
	write_sysreg(cnthctl_el2, h->timer.cnthctl);
	vcpu_fp_restore(&h->fp);

	vcpu_fp_save(&h->fp);
	vcpu_stage2_restore(g);
	vcpu_hyp_restore(g);
	vcpu_timer_restore_vhe(g);
	vcpu_vgic_restore(g);
	vcpu_sys_restore_vhe(g);
	vcpu_fp_restore(&g->fp);
	arm64_vcpu_switches += 2;
	return g;
}

/* The class of `c` on the CPU's own state: saved into a scratch context
 * and restored from it, so that the CPU ends as it began. */
static struct vcpu scratch __attribute__((aligned(16)));

static void fp_save(struct vcpu *v)
{
	vcpu_fp_save(&v->fp);
}

static void fp_restore(const struct vcpu *v)
{
	vcpu_fp_restore(&v->fp);
}

/* Each class's save and restore as the switch calls them; the GP class
 * is the assembly's own, timed there. */
static const struct {
	void (*save)(struct vcpu *v);
	void (*restore)(const struct vcpu *v);
} classes[SWITCH_CLASSES] = {
	[SWITCH_FP] = { fp_save, fp_restore },
	[SWITCH_SYS] = { vcpu_sys_save, vcpu_sys_restore },
	[SWITCH_IRQCHIP] = { vcpu_vgic_save, vcpu_vgic_restore },
	[SWITCH_TIMER] = { vcpu_timer_save, vcpu_timer_restore },
	[SWITCH_HYP_CONFIG] = { vcpu_hyp_save, vcpu_hyp_restore },
	[SWITCH_STAGE2] = { vcpu_stage2_save, vcpu_stage2_restore },
};

void arch_switch_class_time(enum switch_class c, uint64_t *save, uint64_t *restore)
{
	if (c == SWITCH_GP) {
		*save = vcpu_gp_save_timed(&scratch.gp, arm64_use_pmccntr);
		*restore = vcpu_gp_restore_timed(&scratch.gp, arm64_use_pmccntr);
		return;
	}
	/* The interface's control is configuration, not saved: restore
	 * turns back on what save turned off. */
	if (c == SWITCH_IRQCHIP)
		scratch.vgic.hcr = vgic_version == 3   ? read_sysreg(ich_hcr_el2)
				   : vgic_version == 2 ? mmio_read32(gich + GICH_HCR)
						       : 0;
	if ((unsigned)c >= SWITCH_CLASSES || !classes[c].save) {
		*save = *restore = 0;
		return;
	}
	uint64_t t0 = counter_start();
	classes[c].save(&scratch);
	uint64_t t1 = counter_stop();
	uint64_t t2 = counter_start();
	classes[c].restore(&scratch);
	uint64_t t3 = counter_stop();
	*save = t1 - t0;
	*restore = t3 - t2;
}
