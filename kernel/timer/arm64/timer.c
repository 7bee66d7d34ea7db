/*
 * The generic timer as the local timer. At EL1 the EL1 virtual timer. At
 * EL2 without VHE the EL2 physical timer, so the EL1 timers stay free for
 * a guest; it counts CNTPCT, the reference clock CNTVCT, and CNTVOFF_EL2
 * is the difference. At EL2 with VHE the CNTV_* names reach the EL2
 * virtual timer; CNTVOFF_EL2 is set to 0 there so that whatever offset
 * that timer and CNTVCT reads apply, they agree.
 */
#include <stdio.h>

#include <kernel/irq/arm64/gic.h>
#include <arch/mmu.h>
#include <arch/sysreg.h>
#include <vmb/irq.h>

#define CTL_ENABLE 1u
#define CTL_IMASK 2u

static bool vhe;

static bool cpu_init_common(unsigned irq)
{
	if (vhe)
		write_sysreg(cntvoff_el2, 0);
	isb();
	irqchip->enable(irq, true);
	return true;
}

static bool cntv_cpu_init(char *why, size_t len)
{
	(void)why, (void)len;
	write_sysreg(cntv_ctl_el0, CTL_IMASK);
	return cpu_init_common(vhe ? GIC_PPI_CNTHV : GIC_PPI_CNTV);
}

static void cntv_arm(uint64_t ref_deadline)
{
	write_sysreg(cntv_cval_el0, ref_deadline);
	write_sysreg(cntv_ctl_el0, CTL_ENABLE);
	isb();
}

static void cntv_cancel(void)
{
	write_sysreg(cntv_ctl_el0, 0);
	isb();
}

static bool cnthp_cpu_init(char *why, size_t len)
{
	(void)why, (void)len;
	write_sysreg(cnthp_ctl_el2, CTL_IMASK);
	return cpu_init_common(GIC_PPI_CNTHP);
}

static void cnthp_arm(uint64_t ref_deadline)
{
	write_sysreg(cnthp_cval_el2, ref_deadline + read_sysreg(cntvoff_el2));
	write_sysreg(cnthp_ctl_el2, CTL_ENABLE);
	isb();
}

static void cnthp_cancel(void)
{
	write_sysreg(cnthp_ctl_el2, 0);
	isb();
}

static const struct local_timer cntv = {
	.name = "cntv",
	.irq = GIC_PPI_CNTV,
	.cpu_init = cntv_cpu_init,
	.arm = cntv_arm,
	.cancel = cntv_cancel,
};

static const struct local_timer cnthv = {
	.name = "cnthv",
	.irq = GIC_PPI_CNTHV,
	.cpu_init = cntv_cpu_init,
	.arm = cntv_arm,
	.cancel = cntv_cancel,
};

static const struct local_timer cnthp = {
	.name = "cnthp",
	.irq = GIC_PPI_CNTHP,
	.cpu_init = cnthp_cpu_init,
	.arm = cnthp_arm,
	.cancel = cnthp_cancel,
};

const struct local_timer *arm64_timer_setup(void)
{
	if (current_el() != 2)
		return &cntv;
	vhe = !mmu_el2_regime();
	return vhe ? &cnthv : &cnthp;
}
