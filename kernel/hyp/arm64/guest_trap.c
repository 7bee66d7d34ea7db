/*
 * irqchip_trap as a hypervisor serves it, natively at EL2: the GIC
 * distributor's 2 MiB is left out of the image's guest's stage 2, so the
 * guest's read of GICD_IIDR is a stage-2 data abort at EL2. EL2 decodes
 * the syndrome (a single register load, ISV set), reads the register
 * itself for the guest, writes the guest's destination register and steps
 * over the load: KVM's MMIO-emulation path in miniature.
 */
#include <stdio.h>

#include <arch/counter.h>
#include <arch/frame.h>
#include <kernel/irq/arm64/gic.h>
#include <arch/guest.h>
#include <arch/mmio.h>
#include <arch/mmu.h>
#include <arch/sysreg.h>
#include <vmb/arch.h>
#include <vmb/irq.h>
#include <vmb/sizes.h>

#define EC_DABT_LOW 0x24
#define ISS_ISV (1u << 24)
#define ISS_SAS(esr) ((unsigned)((esr) >> 22) & 3)
#define ISS_SRT(esr) ((unsigned)((esr) >> 16) & 0x1f)
#define ISS_WNR (1u << 6)
#define ISS_S1PTW (1u << 7)
#define GICD_WINDOW 0x10000 /* the distributor's 64 KiB */

static uint64_t gicd;	  /* the emulated window: GICD_WINDOW bytes from here */
static bool unmapped;	  /* its 2 MiB is out of the guest's stage 2 */
static uint64_t emulated; /* reads EL2 has served */
static volatile uint64_t sink;

bool arm64_guest_abort(struct arm64_frame *f)
{
	unsigned ec = (unsigned)(f->esr >> 26) & 0x3f;

	if (ec != EC_DABT_LOW || !unmapped || !(f->esr & ISS_ISV) || (f->esr & ISS_S1PTW) ||
	    (f->esr & ISS_WNR) || ISS_SAS(f->esr) != 2)
		return false;
	uint64_t ipa = (read_sysreg(hpfar_el2) >> 4 << 12) | (read_sysreg(far_el2) & 0xfff);
	if (ipa < gicd || ipa - gicd >= GICD_WINDOW || (ipa & 3))
		return false;
	uint32_t v = mmio_read32(ipa);
	unsigned rt = ISS_SRT(f->esr);
	if (rt != 31)
		f->x[rt] = v;
	f->elr += 4;
	emulated++;
	return true;
}

bool arch_guest_trap_setup(char *call, size_t call_len, char *why, size_t why_len)
{
	gicd = gic_distributor();
	if (!gicd) {
		snprintf(why, why_len, "no GIC distributor: %s", irq_why());
		return false;
	}
	if (!arch_guest_setup(why, why_len))
		return false;
	if (!unmapped && !arm64_stage2_unmap(gicd & ~(SZ_2M - 1))) {
		snprintf(why, why_len, "the distributor at %#llx cannot be left out of stage 2",
			 (unsigned long long)gicd);
		return false;
	}
	unmapped = true;
	snprintf(call, call_len,
		 "ldr GICD_IIDR from the image's EL1 guest: stage-2 abort, emulated at EL2");
	return true;
}

/* At EL1, in the guest. */
static uint64_t guest_reads(uint64_t batch)
{
	uint64_t sum = 0, t0 = counter_start();

	for (uint64_t i = 0; i < batch; i++)
		sum += mmio_read32(gicd + GICD_IIDR);
	uint64_t t = counter_stop() - t0;
	sink = sum;
	return t;
}

uint64_t arch_guest_trap_batch(uint32_t batch, char *why, size_t why_len)
{
	uint64_t ticks, before = emulated;

	if (!arch_guest_call(guest_reads, batch, &ticks, why, why_len))
		return UINT64_MAX;
	/* Every read must have come to EL2: none may slip through a map. */
	if (emulated - before != batch) {
		snprintf(why, why_len, "%llu of %u guest reads reached EL2",
			 (unsigned long long)(emulated - before), batch);
		return UINT64_MAX;
	}
	return ticks;
}
