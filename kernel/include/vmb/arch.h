/*
 * The one contract between common code and an architecture. Each
 * kernel/arch/<arch>/ implements all of it; common code calls nothing
 * else that is architecture-specific. Inline hot paths (the counter) live
 * in <arch/counter.h>.
 */
#ifndef VMB_ARCH_H
#define VMB_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vmb/counters.h>

struct boot_info;
struct platform;
struct fw_info;
struct fw_uart;

/* "x86_64" or "arm64". */
extern const char arch_name[];

/* Early CPU set-up on the boot CPU: FP/SIMD, exception vectors. */
void arch_early_init(void);
/* Own page tables: RAM normal cacheable, everything else device. */
void arch_mmu_init(struct boot_info *bi);
/* Extend the identity map to device memory beyond what arch_mmu_init
 * mapped (a high ECAM or BAR); false when it cannot (no own tables, no
 * memory for them, beyond the CPU's physical address range). */
bool arch_map_mmio(uint64_t base, uint64_t size);
/* Identify the CPU and the hypervisor below, choose the counter (by
 * mode, or `want` when the counter= option names one; 0 = auto), say why
 * in p->counter_why, and measure its frequency. */
void arch_platform_init(struct platform *p, const struct fw_info *fw, enum counter_kind want);
/* Reads the boot CPU's microcode revision into *(uint64_t *)rev for the
 * boot record (x86_64: IA32_BIOS_SIGN_ID, arm64: REVIDR_EL1). It may
 * fault, so the caller runs it under vmb_try(). NULL where the
 * architecture has none (the default). */
extern void (*const arch_microcode_reader)(void *rev);
/* A legacy BIOS area to scan for firmware tables (x86: 0xf0000-0xfffff),
 * identity mapped; false where there is none (the default). */
bool arch_bios_area(uint64_t *base, size_t *len);

/* Port I/O for x86 16550 UARTs; false where the architecture has none. */
bool arch_pio_available(void);
uint8_t arch_pio_read8(uint16_t port);
void arch_pio_write8(uint16_t port, uint8_t value);
/* 32-bit port I/O (x86 PCI configuration ports); the weak defaults in
 * kernel/weak_defaults.c read all ones and write nothing. */
uint32_t arch_pio_read32(uint16_t port);
void arch_pio_write32(uint16_t port, uint32_t value);

/* Whether the holes below 4 GiB in the memory map are PCI space (the
 * PC's "PCI hole"), where BARs the firmware left unassigned may go when
 * no table names a window (fw_pci_gap); false by default (arm64: holes
 * there hold devices the map does not list). */
bool arch_pci_hole_in_memory_map(void);

/* The console to use when no firmware table names one (x86: COM1);
 * false where guessing an address would be wrong (arm64). */
bool arch_default_uart(struct fw_uart *u);

/* What the hypervisor below offers the kernel to build on. */
struct hyp_offers {
	bool xen;	     /* Xen, and arch_xen_hypercall reaches it */
	bool xen_console_io; /* CONSOLEIO_write is worth trying (dom0) */
};

/* Find out what the hypervisor below offers; nothing where there is none.
 * Makes arch_xen_hypercall usable when Xen is there. */
void arch_hypervisor_probe(const struct fw_info *fw, struct hyp_offers *offers);

void arch_cpu_relax(void);
/* Power off (or halt when poweroff is false); never returns. */
_Noreturn void arch_shutdown(const struct platform *p, bool poweroff);

/* Each guest of the image's own hypervisor runs on a stack this big. */
#define GUEST_STACK_PAGES 4

/*
 * The image's own guest, where it can be its own hypervisor (arm64
 * natively at EL2 without VHE; x86_64 with SVM or VMX free): setup once,
 * false and why where it cannot run; call runs fn(arg) in the guest,
 * false with the exit in why when anything but its return ended it;
 * arch_guest_undef executes an undefined instruction there.
 */
bool arch_guest_setup(char *why, size_t why_len);
bool arch_guest_call(uint64_t (*fn)(uint64_t), uint64_t arg, uint64_t *result, char *why,
		     size_t why_len);
uint64_t arch_guest_undef(uint64_t arg);
/* irqchip_trap as a hypervisor serves it (natively at EL2 on arm64): the
 * image's guest reads the interrupt-controller register, whose page its
 * stage 2 leaves out, so that each read faults to the image's EL2, which
 * emulates it. setup names the call or says why not; batch returns the
 * counter ticks of `batch` reads, or UINT64_MAX and why. */
bool arch_guest_trap_setup(char *call, size_t call_len, char *why, size_t why_len);
uint64_t arch_guest_trap_batch(uint32_t batch, char *why, size_t why_len);

/*
 * The image's own hypervisor's world switch (natively at EL2 on arm64):
 * the classes of CPU state it saves and restores, in the order of the
 * study's hypercall breakdown.
 */
enum switch_class {
	SWITCH_GP,	   /* general-purpose registers */
	SWITCH_FP,	   /* FP/SIMD registers */
	SWITCH_SYS,	   /* the guest's system registers (EL1's) */
	SWITCH_IRQCHIP,	   /* the virtual interrupt controller (VGIC) */
	SWITCH_TIMER,	   /* the guest's timer */
	SWITCH_HYP_CONFIG, /* the hypervisor's trap configuration (EL2's) */
	SWITCH_STAGE2,	   /* the stage-2 MMU */
	SWITCH_CLASSES
};
/* Whom a switch goes to: a host context, as a hosted hypervisor's exit
 * does (hypercall_switch); a host that runs where the hypervisor does,
 * as arm64's VHE lets it (hypercall_switch.vhe); or another guest
 * (vm_switch). */
enum switch_peer { SWITCH_TO_HOST, SWITCH_TO_HOST_VHE, SWITCH_TO_GUEST };
/* Set the switch's contexts up; names the switch in call, or says why not. */
bool arch_switch_setup(enum switch_peer to, char *call, size_t call_len, char *why, size_t why_len);
/* A class can be timed here: its call says what it covers. */
bool arch_switch_class_setup(enum switch_class c, char *call, size_t call_len, char *why,
			     size_t why_len);
/* The counter ticks of one save and, timed apart, one restore of a
 * class, as the world switch does them (each takes a few hundred cycles
 * at most: a coarse counter cannot time them, and batches would only
 * repeat the same registers). */
void arch_switch_class_time(enum switch_class c, uint64_t *save, uint64_t *restore);
/* `batch` null hypercalls each with a full world switch to a second
 * context (the host's) and back; ticks, or UINT64_MAX and why. */
uint64_t arch_hypercall_switch_batch(uint32_t batch, char *why, size_t why_len);
/* The same with the host in the hypervisor's place (SWITCH_TO_HOST_VHE). */
uint64_t arch_hypercall_switch_vhe_batch(uint32_t batch, char *why, size_t why_len);
/* `batch` switches from one guest to another, each timed one way from the
 * first guest's last instruction to the second's first; ticks, or
 * UINT64_MAX and why. */
uint64_t arch_vm_switch_batch(uint32_t batch, char *why, size_t why_len);
/* fault=guest: the world switch goes to a guest that faults at once;
 * false and the fault in why, and the hypervisor's own state is whole
 * again afterwards. */
bool arch_switch_fault(char *why, size_t why_len);
/* The host's wall clock (CLOCK_REALTIME, ns) and this guest's reference
 * counter (arch/counter.h ref_now()) at one instant, from the hypervisor:
 * KVM x86 KVM_HC_CLOCK_PAIRING, KVM arm64 the PTP vendor hypercall. False
 * and why where there is no such service (natively, Xen, a host clock
 * the hypervisor cannot pair). */
bool arch_host_clock(uint64_t *host_ns, uint64_t *ref, char *why, size_t why_len);
/* A clock that every guest of this host reads alike, in ns, and this
 * guest's reference counter at one instant: the host's wall clock
 * (arch_host_clock) by default; under Xen on arm64 the physical counter,
 * which Xen lets guests read and, unlike the virtual one, does not
 * offset per guest. */
bool arch_guests_clock(uint64_t *ns, uint64_t *ref, char *why, size_t why_len);

/* Raise an exception on purpose: an undefined instruction, or an access
 * to memory that is not mapped. For testing the crash path. */
void arch_raise_fault(bool memory);

/*
 * SMP. arch_cpu_on starts CPU `cpu` (fw's entry c) so that it calls
 * smp_secondary_main(cpu) on stack_top with this CPU's page tables,
 * vectors and FP/SIMD; false (and why) when the start request itself
 * failed. Whether it arrives, common code finds out with a timeout.
 */
struct fw_cpu;
bool arch_cpu_on(const struct fw_info *fw, const struct fw_cpu *c, unsigned cpu, void *stack_top,
		 char *why, size_t why_len);
/* What arch_cpu_on uses for c ("psci-hvc", "spin-table", "sipi"). */
const char *arch_cpu_method_name(const struct fw_info *fw, const struct fw_cpu *c);
/* This CPU's hardware id as the firmware tables give it (MPIDR affinity
 * bits, local APIC id). */
uint64_t arch_cpu_hwid(void);
/* The per-CPU index smp_this_cpu() returns. */
void arch_set_cpu_index(unsigned cpu);
unsigned arch_cpu_index(void);

/*
 * Interrupts. Set up the interrupt controller and local timer the
 * firmware describes (irqchip, local_timer in <vmb/irq.h>); false and why
 * when there is none we can drive.
 */
bool arch_irq_init(const struct fw_info *fw, char *why, size_t why_len);
/* A message-signalled interrupt, delivered to the boot CPU. */
struct msi_route {
	unsigned irq;	 /* the number to register a handler for */
	uint64_t addr;	 /* where the device writes */
	uint32_t data;	 /* and what */
	const char *via; /* "local APIC vector", "GICv3 ITS LPI", "GICv2m SPI" */
};
/* A new MSI for message `entry` (its MSI-X table index) of the PCI
 * function with requester ID rid (bus << 8 | device << 3 | function);
 * false and why where there is no MSI target or none left. */
bool arch_msi_route(uint32_t rid, unsigned entry, struct msi_route *r, char *why, size_t why_len);
/* A level-triggered line (a PCI INTx) the firmware named as the
 * controller's number irq, made to reach the boot CPU and enabled; false
 * and why where the image drives no such lines. */
bool arch_line_route(unsigned irq, char *why, size_t why_len);
void arch_irq_enable(void);
void arch_irq_disable(void);
/* Sleep until an interrupt is pending, let its handler run, and return
 * with interrupts masked again (x86 sti;hlt, arm64 wfi then unmask). */
void arch_wait_for_irq(void);

/*
 * The watchdog's break-in (kernel/watchdog.c). kick: from the watching CPU,
 * an interrupt the watched CPU's masking lets through (x86 NMI, arm64 the
 * top-priority IPI_WATCHDOG under priority masking); its handler calls
 * watchdog_break(). With no CPU to watch (by_timer), the local timer's
 * interrupt must get through the masking instead: the architecture gives
 * it the top priority and masks by priority while watched. begin/end
 * bracket a watch on the watched CPU; begin returns false (and why) when
 * nothing can break in, e.g. into code that acknowledges interrupts
 * itself (acks_irqs) where that masking would hide them.
 */
void arch_watchdog_kick(unsigned cpu);
bool arch_watchdog_begin(bool by_timer, bool acks_irqs, char *why, size_t why_len);
void arch_watchdog_end(void);

/* The kernel's switch to its own stack. */
_Noreturn void arch_call_on_stack(void *stack_top, void (*fn)(void *), void *arg);

#endif
