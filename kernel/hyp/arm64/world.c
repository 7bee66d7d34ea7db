/*
 * The contexts of the image's own world switch (arch/vcpu.h), natively at
 * EL2: the measuring guest (the EL1 guest of guest.c), a host in the
 * place of KVM's nVHE host kernel (EL1, no stage 2, its run loop an HVC
 * back), and a second guest with a stage 2 and a VMID of its own. The
 * benchmarks of bench/world_switch.c run here.
 */
#include <stdio.h>
#include <string.h>

#include <arch/counter.h>
#include <arch/el2.h>
#include <kernel/irq/arm64/gic.h>
#include <arch/guest.h>
#include <arch/mmio.h>
#include <arch/mmu.h>
#include <arch/sysreg.h>
#include <arch/vcpu.h>
#include <vmb/arch.h>
#include <vmb/irq.h>
#include <vmb/mem.h>

#define ICH_HCR_EN 1ull
#define GICH_VTR 0x04
#define SECOND_VMID 2ull

enum { GUEST, HOST, SECOND, CONTEXTS };

/* The VHE shape (hypercall_switch.vhe): the guest, and a host that runs
 * at EL2 itself, so that only what it shares with the guest is its. */
#define ID_MMFR1_VH(r) ((r) >> 8 & 0xf)
enum { VHE_GUEST, VHE_HOST, VHE_CONTEXTS };
static struct vcpu vhe[VHE_CONTEXTS] __attribute__((aligned(16)));
struct vcpu *arm64_vhe_guest = &vhe[VHE_GUEST];

static struct vcpu vcpus[CONTEXTS] __attribute__((aligned(16)));
/* As set up: a context that faulted starts over from here. */
static struct vcpu initial[CONTEXTS] __attribute__((aligned(16)));
static bool ready;
static char vgic_text[64];

void arm64_vcpu_host_loop(void);

/* vm_switch: the first guest's time stamp, and the gaps the second one
 * saw, both in memory the two stage 2s map alike. */
static volatile uint64_t vm_stamp, vm_sum;

/* The second guest (EL1): each time it runs, the time since the first
 * guest's stamp, then straight back. */
static _Noreturn void second_guest_loop(void)
{
	for (;;) {
		uint64_t t = counter_now();
		vm_sum += t - vm_stamp;
		__asm__ volatile("hvc #" STR(GUEST_HVC_SWITCH)::: "x16", "x17", "memory");
	}
}

/* fault=guest: the second guest's first instruction is undefined. */
static void second_guest_undef(void)
{
	__asm__ volatile("udf #0" ::: "memory");
}

static bool vgic_probe(char *why, size_t why_len)
{
	const char *chip = irqchip ? irqchip->name : "none";

	if (!strcmp(chip, "gicv3")) {
		uint64_t vtr = read_sysreg(ich_vtr_el2);
		unsigned lrs = (unsigned)(vtr & 0x1f) + 1, pre = (unsigned)(vtr >> 29 & 7) + 1;
		unsigned aprs = pre >= 7 ? 4 : pre == 6 ? 2 : 1;
		vcpu_vgic_init(3, 0, lrs, aprs);
		snprintf(vgic_text, sizeof(vgic_text), "GICv3 ICH_*: %u list registers, %u+%u APRs",
			 lrs, aprs, aprs);
		return true;
	}
	if (!strcmp(chip, "gicv2")) {
		uint64_t gich = gicv2_gich();
		if (!gich || !arch_map_mmio(gich, 0x1000)) {
			snprintf(why, why_len,
				 "GICv2 whose virtual interface control (GICH) the firmware "
				 "tables do not name");
			return false;
		}
		unsigned lrs = (mmio_read32(gich + GICH_VTR) & 0x3f) + 1;
		vcpu_vgic_init(2, gich, lrs, 1);
		snprintf(vgic_text, sizeof(vgic_text), "GICv2 GICH at %#llx: %u list registers",
			 (unsigned long long)gich, lrs);
		return true;
	}
	snprintf(why, why_len, "interrupt controller %s has no virtual interface the image knows",
		 chip);
	return false;
}

static void *new_stack(void)
{
	uint8_t *stack = mem_alloc_pages(GUEST_STACK_PAGES);

	return stack ? stack + GUEST_STACK_PAGES * 4096 : NULL;
}

/* The CPU's EL1 state as guest.c left it becomes the measuring guest's;
 * the others are copies with their own stack, entry, and configuration. */
static bool contexts_init(char *why, size_t why_len)
{
	struct vcpu *g = &vcpus[GUEST], *h = &vcpus[HOST], *s = &vcpus[SECOND];
	uint64_t vttbr, vtcr;
	void *host_stack = new_stack(), *second_stack = new_stack();

	if (!host_stack || !second_stack) {
		snprintf(why, why_len, "no memory for the contexts' stacks");
		return false;
	}
	if (!arm64_stage2_map_second(&vttbr, &vtcr)) {
		snprintf(why, why_len, "no second stage 2 (out of memory at boot)");
		return false;
	}
	memset(vcpus, 0, sizeof(vcpus));
	vcpu_fp_save(&g->fp);
	vcpu_sys_save(g);
	vcpu_vgic_save(g);
	vcpu_timer_save(g);
	vcpu_hyp_save(g);
	vcpu_stage2_save(g);
	/* As KVM sets a guest up: its own CPU IDs, the virtual CPU
	 * interface on, EL1's physical timer trapped. */
	g->hyp.vpidr = read_sysreg(midr_el1);
	g->hyp.vmpidr = read_sysreg(mpidr_el1);
	g->vgic.hcr = ICH_HCR_EN;
	g->timer.cnthctl = (g->timer.cnthctl | CNTHCTL_EL1PCTEN) & ~CNTHCTL_EL1PCEN;

	*h = *g;
	h->hyp.hcr &= ~HCR_VM;
	h->s2.vttbr = 0;
	h->vgic.hcr = 0;
	h->timer.cnthctl |= CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN;
	h->gp.pc = (uintptr_t)arm64_vcpu_host_loop;
	h->gp.pstate = SPSR_EL1H_MASKED;
	h->sys.sp_el1 = (uintptr_t)host_stack;

	*s = *g;
	s->s2.vttbr = vttbr | SECOND_VMID << 48;
	s->s2.vtcr = vtcr;
	s->gp.pc = (uintptr_t)second_guest_loop;
	s->gp.pstate = SPSR_EL1H_MASKED;
	s->sys.sp_el1 = (uintptr_t)second_stack;

	/* The CPU holds the measuring guest's state from now on. */
	vcpu_hyp_restore(g);
	vcpu_timer_restore(g);
	vcpu_vgic_restore(g);
	memcpy(initial, vcpus, sizeof(vcpus));
	arm64_vcpu_current = g;
	return true;
}

void arm64_vcpu_home(void)
{
	struct vcpu *g = &vcpus[GUEST];

	if (!arm64_vcpu_current || arm64_vcpu_current == g)
		return;
	/* Another context was left on the CPU (it faulted, or the watchdog
	 * ended its benchmark): the measuring guest's state back, all but
	 * FP/SIMD (arm64_el1_call keeps EL2's own) and the GP registers
	 * (each call starts afresh); the others start over. */
	vcpu_stage2_restore(g);
	vcpu_hyp_restore(g);
	vcpu_timer_restore(g);
	vcpu_vgic_restore(g);
	vcpu_sys_restore(g);
	vcpus[HOST] = initial[HOST];
	vcpus[SECOND] = initial[SECOND];
	arm64_vcpu_current = g;
}

bool arch_switch_setup(enum switch_peer to, char *call, size_t call_len, char *why, size_t why_len)
{
	char guest_why[200];

	if (!arch_guest_setup(guest_why, sizeof(guest_why))) {
		snprintf(why, why_len, "no guest of the image's own: %s", guest_why);
		return false;
	}
	if (arch_cpu_index() != 0) {
		snprintf(why, why_len, "the world switch's contexts live on the boot CPU");
		return false;
	}
	if (!ready) {
		if (!vgic_probe(why, why_len) || !contexts_init(why, why_len))
			return false;
		ready = true;
	}
	if (to == SWITCH_TO_HOST_VHE) {
		if (!ID_MMFR1_VH(read_sysreg(id_aa64mmfr1_el1))) {
			snprintf(why, why_len,
				 "this CPU has no VHE (ID_AA64MMFR1_EL1.VH is 0): the nVHE shape "
				 "(hypercall_switch) is the only one here");
			return false;
		}
		snprintf(call, call_len,
			 "hvc #%u, VHE (E2H) exit+entry: guest GP FP EL1(_EL12) VGIC timer "
			 "EL2 S2; host FP EL2",
			 GUEST_HVC_SWITCH_VHE);
		return true;
	}
	snprintf(call, call_len, "hvc #%u, nVHE switch: GP FP EL1 %s timer EL2 stage-2",
		 GUEST_HVC_SWITCH, vgic_text);
	return true;
}

bool arch_switch_class_setup(enum switch_class c, char *call, size_t call_len, char *why,
			     size_t why_len)
{
	static const char *const what[SWITCH_CLASSES] = {
		[SWITCH_GP] = "x0-x30, SP_EL0, ELR_EL2, SPSR_EL2",
		[SWITCH_FP] = "q0-q31, FPSR, FPCR",
		[SWITCH_SYS] = "24 EL1 system registers, SCTLR_EL1 to CSSELR_EL1",
		[SWITCH_TIMER] = "CNTV_CTL/CVAL_EL0, CNTHCTL_EL2, CNTVOFF_EL2",
		[SWITCH_HYP_CONFIG] = "HCR, CPTR, HSTR, MDCR, VPIDR, VMPIDR (EL2)",
		[SWITCH_STAGE2] = "VTTBR_EL2, VTCR_EL2",
	};

	if (!arch_switch_setup(SWITCH_TO_HOST, call, call_len, why, why_len))
		return false;
	snprintf(call, call_len, "%s", c == SWITCH_IRQCHIP ? vgic_text : what[c]);
	return true;
}

/* Runs the measuring guest's fn(arg) with the switch HVC going to `to`. */
/* A batch of round trips did two switches each (a benchmark checks
 * that its own happened), counted from `before`. */
static bool all_switched(uint64_t before, uint64_t round_trips, char *why, size_t why_len)
{
	if (arm64_vcpu_switches - before == 2 * round_trips)
		return true;
	snprintf(why, why_len, "%llu world switches for %llu round trips: some never happened",
		 (unsigned long long)(arm64_vcpu_switches - before),
		 (unsigned long long)round_trips);
	return false;
}

static uint64_t run(uint64_t (*fn)(uint64_t), uint64_t arg, unsigned to, char *why, size_t why_len)
{
	uint64_t result, before = arm64_vcpu_switches;

	vcpus[GUEST].next = &vcpus[to];
	vcpus[to].next = &vcpus[GUEST];
	if (!arch_guest_call(fn, arg, &result, why, why_len) ||
	    !all_switched(before, arg, why, why_len))
		return UINT64_MAX;
	return result;
}

/* At EL1, the measuring guest: the harness's bracket around the batch. */
static uint64_t hvc_switch_batch(uint64_t batch)
{
	uint64_t t0 = counter_start();

	for (uint64_t i = 0; i < batch; i++)
		__asm__ volatile("hvc #" STR(GUEST_HVC_SWITCH)::: "x16", "x17", "memory");
	return counter_stop() - t0;
}

uint64_t arch_hypercall_switch_batch(uint32_t batch, char *why, size_t why_len)
{
	return run(hvc_switch_batch, batch, HOST, why, why_len);
}

/* At EL1, the measuring guest, under a VHE host. */
static uint64_t hvc_vhe_batch(uint64_t batch)
{
	uint64_t t0 = counter_start();

	for (uint64_t i = 0; i < batch; i++)
		__asm__ volatile("hvc #" STR(GUEST_HVC_SWITCH_VHE)::: "x16", "x17", "memory");
	return counter_stop() - t0;
}

/*
 * The batch runs with EL2 in the VHE regime (E2H set: the EL2&0 map,
 * which is the EL1 guest's map in the EL1 format) and goes back after.
 * Only the switch's own code runs at EL2 meanwhile: EL2's interrupts are
 * masked, and the guest runs with physical interrupts routed to its own
 * EL1, where they are masked too (IMO, FMO clear), so that all wait for
 * EL2's handlers until the nVHE regime is back.
 */
uint64_t arch_hypercall_switch_vhe_batch(uint32_t batch, char *why, size_t why_len)
{
	struct vcpu *g = &vhe[VHE_GUEST], *h = &vhe[VHE_HOST];
	uint64_t ttbr_el1, tcr_el1, result = UINT64_MAX;

	if (!arm64_el1_map(&ttbr_el1, &tcr_el1)) {
		snprintf(why, why_len, "no EL1-format map for EL2's VHE regime");
		return UINT64_MAX;
	}
	arm64_vcpu_home(); /* the measuring guest's state on the CPU */
	uint64_t daif = read_sysreg(daif);
	__asm__ volatile("msr daifset, #0xf" ::: "memory");
	uint64_t hcr = read_sysreg(hcr_el2), tcr = read_sysreg(tcr_el2);
	uint64_t ttbr0 = read_sysreg(ttbr0_el2), cptr = read_sysreg(cptr_el2);
	uint64_t cnthctl = read_sysreg(cnthctl_el2);

	g->next = h;
	g->vgic.hcr = vcpus[GUEST].vgic.hcr;
	vcpu_hyp_save(h);
	h->hyp.hcr = HCR_EL2_E2H | HCR_TGE | HCR_RW; /* KVM's VHE host flags */
	h->hyp.cptr = CPTR_VHE_FPEN;
	h->timer.cnthctl = CNTHCTL_VHE_EL1PCTEN | CNTHCTL_VHE_EL1PCEN;
	arm64_el2_regime((hcr | HCR_EL2_E2H) & ~(HCR_TGE | HCR_IMO | HCR_FMO), tcr_el1, ttbr_el1,
			 CPTR_VHE_FPEN);
	write_sysreg(cnthctl_el2, CNTHCTL_VHE_EL1PCTEN);
	isb();
	uint64_t before = arm64_vcpu_switches;
	bool ok = arch_guest_call(hvc_vhe_batch, batch, &result, why, why_len);
	if (!ok) /* what the guest took, through the aliases E2H wants */
		snprintf(why, why_len,
			 "the image's EL1 guest faulted under the VHE host: ESR_EL1 %#llx ELR_EL1 "
			 "%#llx FAR_EL1 %#llx",
			 (unsigned long long)read_sysreg(ESR_EL12),
			 (unsigned long long)read_sysreg(ELR_EL12),
			 (unsigned long long)read_sysreg(FAR_EL12));
	arm64_el2_regime(hcr, tcr, ttbr0, cptr);
	write_sysreg(cnthctl_el2, cnthctl);
	isb();
	write_sysreg(daif, daif);
	if (!ok || !all_switched(before, batch, why, why_len))
		return UINT64_MAX;
	return result;
}

/* At EL1, the measuring guest: the second guest adds up, for each
 * switch, the time from the stamp taken here to its own first read. */
static uint64_t vm_switch_guest(uint64_t batch)
{
	vm_sum = 0;
	for (uint64_t i = 0; i < batch; i++) {
		vm_stamp = counter_now();
		__asm__ volatile("hvc #" STR(GUEST_HVC_SWITCH)::: "x16", "x17", "memory");
	}
	return vm_sum;
}

uint64_t arch_vm_switch_batch(uint32_t batch, char *why, size_t why_len)
{
	return run(vm_switch_guest, batch, SECOND, why, why_len);
}

bool arch_switch_fault(char *why, size_t why_len)
{
	char fault[200];

	vcpus[SECOND].gp.pc = (uintptr_t)second_guest_undef;
	if (arch_vm_switch_batch(1, fault, sizeof(fault)) != UINT64_MAX) {
		snprintf(why, why_len, "the second guest's undefined instruction did not fault");
		return false;
	}
	/* As the next entry would: the measuring guest's state back. */
	arm64_vcpu_home();
	snprintf(why, why_len, "after a world switch to the second guest (VMID %llu): %s",
		 SECOND_VMID, fault);
	return false;
}
