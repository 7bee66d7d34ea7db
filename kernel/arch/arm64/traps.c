/* Exceptions: recoverable under vmb_try(), otherwise a register dump and the end. */
#include <stdio.h>

#include <arch/frame.h>
#include <arch/guest.h>
#include <arch/sysreg.h>
#include <vmb/console.h>
#include <vmb/fault.h>
#include <vmb/irq.h>

static const char *const vector_names[16] = {
	"sync (SP_EL0)",
	"IRQ (SP_EL0)",
	"FIQ (SP_EL0)",
	"SError (SP_EL0)",
	"sync",
	"IRQ",
	"FIQ",
	"SError",
	"sync from lower EL (64-bit)",
	"IRQ from lower EL (64-bit)",
	"FIQ from lower EL (64-bit)",
	"SError from lower EL (64-bit)",
	"sync from lower EL (32-bit)",
	"IRQ from lower EL (32-bit)",
	"FIQ from lower EL (32-bit)",
	"SError from lower EL (32-bit)",
};

static const char *ec_name(unsigned ec)
{
	switch (ec) {
	case 0x00:
		return "unknown reason (undefined instruction)";
	case 0x01:
		return "WFI/WFE";
	case 0x07:
		return "FP/SIMD access trapped";
	case 0x0e:
		return "illegal execution state";
	case 0x15:
		return "SVC";
	case 0x16:
		return "HVC";
	case 0x17:
		return "SMC";
	case 0x18:
		return "system register access trapped";
	case 0x20:
		return "instruction abort from lower EL";
	case 0x21:
		return "instruction abort";
	case 0x22:
		return "PC alignment fault";
	case 0x24:
		return "data abort from lower EL";
	case 0x25:
		return "data abort";
	case 0x26:
		return "SP alignment fault";
	case 0x2f:
		return "SError";
	case 0x3c:
		return "BRK";
	default:
		return "other";
	}
}

void arm64_exception(struct arm64_frame *f, unsigned long vector);
void arm64_irq(struct arm64_frame *f, unsigned long vector);

/* Every IRQ, at our EL or from a guest below: the GIC says which. */
void arm64_irq(struct arm64_frame *f, unsigned long vector)
{
	(void)f, (void)vector;
	irq_entry(IRQ_MAX);
}

void arm64_exception(struct arm64_frame *f, unsigned long vector)
{
	/* From the image's own guest, below us: emulated, or a fault. */
	if (vector == 8 && arm64_guest_abort(f))
		return;
	int el = current_el();
	uint64_t far = el == 2 ? read_sysreg(far_el2) : read_sysreg(far_el1);
	unsigned ec = (unsigned)(f->esr >> 26) & 0x3f;
	char text[160];

	snprintf(text, sizeof(text), "%s at EL%d: ESR %#llx (EC %#x %s) ELR %#llx FAR %#llx",
		 vector_names[vector & 15], el, (unsigned long long)f->esr, ec, ec_name(ec),
		 (unsigned long long)f->elr, (unsigned long long)far);
	/* Only synchronous exceptions are a probe's expected failure. */
	if ((vector & 3) == 0)
		fault_recover(f->esr ? f->esr : 1, text);

	kprintf("\n*** unexpected exception: %s\n", text);
	for (int i = 0; i < 30; i += 2)
		kprintf("x%-2d %016llx  x%-2d %016llx\n", i, (unsigned long long)f->x[i], i + 1,
			(unsigned long long)f->x[i + 1]);
	kprintf("x30 %016llx  sp  %016llx  spsr %08llx\n", (unsigned long long)f->x[30],
		(unsigned long long)((uintptr_t)f + sizeof(*f) + 8 * 0),
		(unsigned long long)f->spsr);
	kernel_fatal_exit(128 + (int)vector);
}
