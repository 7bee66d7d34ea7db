/* x86_64 CPU set-up: our own GDT and IDT, SSE on, port I/O, the PCI hole. */
#include <stdint.h>

#include <arch/x86.h>
#include <arch/xen.h>
#include <vmb/xen.h>
#include <vmb/arch.h>
#include <vmb/fwinfo.h>

const char arch_name[] = "x86_64";

struct __attribute__((packed)) desc_ptr {
	uint16_t limit;
	uint64_t base;
};

struct idt_gate {
	uint16_t off_lo;
	uint16_t sel;
	uint8_t ist;
	uint8_t type;
	uint16_t off_mid;
	uint32_t off_hi;
	uint32_t zero;
};

/* Null, 64-bit code (L=1, P, DPL0, execute/read), data (P, read/write). */
static const uint64_t gdt[] __attribute__((aligned(16))) = {
	0,
	0x00af9a000000ffffull,
	0x00cf92000000ffffull,
};

static struct idt_gate idt[256] __attribute__((aligned(16)));

extern char x86_vector_base[];
void x86_load_segments(const struct desc_ptr *gdtr, uint16_t code, uint16_t data);

static void idt_init(void)
{
	for (int i = 0; i < 256; i++) {
		uint64_t a = (uint64_t)(uintptr_t)(x86_vector_base + 16 * i);

		idt[i] = (struct idt_gate){
			.off_lo = (uint16_t)a,
			.sel = SEL_CODE,
			.type = 0x8e, /* present, DPL0, interrupt gate */
			.off_mid = (uint16_t)(a >> 16),
			.off_hi = (uint32_t)(a >> 32),
		};
	}
	struct desc_ptr idtr = { sizeof(idt) - 1, (uint64_t)(uintptr_t)idt };
	__asm__ volatile("lidt %0" ::"m"(idtr));
}

/* The boot CPU's GDT and IDT, on a secondary CPU. */
void x86_cpu_load_tables(void)
{
	struct desc_ptr gdtr = { sizeof(gdt) - 1, (uint64_t)(uintptr_t)gdt };
	struct desc_ptr idtr = { sizeof(idt) - 1, (uint64_t)(uintptr_t)idt };

	x86_load_segments(&gdtr, SEL_CODE, SEL_DATA);
	__asm__ volatile("lidt %0" ::"m"(idtr));
}

void arch_early_init(void)
{
	__asm__ volatile("cli");
	/* SSE for newlib's printf and memcpy: CR0.MP on, EM off; CR4.OSFXSR
	 * and OSXMMEXCPT. UEFI has done it; the PVH path has not. Before the
	 * IDT: the common entry saves SSE state with FXSAVE. */
	write_cr0((read_cr0() & ~(1ull << 2)) | (1ull << 1));
	write_cr4(read_cr4() | (1ull << 9) | (1ull << 10));

	struct desc_ptr gdtr = { sizeof(gdt) - 1, (uint64_t)(uintptr_t)gdt };
	x86_load_segments(&gdtr, SEL_CODE, SEL_DATA);
	idt_init();
}

bool arch_pio_available(void)
{
	return true;
}

/* A PC decodes to PCI what its memory map leaves free below 4 GiB. */
bool arch_pci_hole_in_memory_map(void)
{
	return true;
}

uint8_t arch_pio_read8(uint16_t port)
{
	return inb(port);
}

void arch_pio_write8(uint16_t port, uint8_t value)
{
	outb(port, value);
}

uint32_t arch_pio_read32(uint16_t port)
{
	return inl(port);
}

void arch_pio_write32(uint16_t port, uint32_t value)
{
	outl(port, value);
}

void arch_cpu_relax(void)
{
	__asm__ volatile("pause");
}

bool arch_default_uart(struct fw_uart *u)
{
	*u = (struct fw_uart){
		.kind = UART_16550,
		.space = UART_SPACE_PIO,
		.addr = 0x3f8,
		.reg_width = 1,
		.baud = 115200,
		.clock_hz = 1843200,
		.source = "com1",
	};
	return true;
}

void arch_raise_fault(bool memory)
{
	if (memory)
		/* A non-canonical address: #GP whatever the page tables say. */
		(void)*(volatile uint64_t *)0x8000000000000000ull;
	else
		__asm__ volatile("ud2");
}

void arch_hypervisor_probe(const struct fw_info *fw, struct hyp_offers *offers)
{
	(void)fw;
	/* Xen by its CPUID leaves, with the hypercall page installed. A PVH
	 * dom0 has CONSOLEIO_write; other guests get the PV ring first. */
	offers->xen = xen_init();
	offers->xen_console_io = offers->xen;
}

long arch_xen_hypercall(unsigned nr, unsigned long a1, unsigned long a2, unsigned long a3)
{
	if (!xen_init())
		return -38;
	return xen_hypercall3(nr, a1, a2, a3);
}
