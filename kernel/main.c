/*
 * kernel_main: the one C entry every boot path reaches. It moves to its
 * own stack, page tables and console, learns where it runs, runs the
 * benchmarks and ends the run.
 */
#include <stdio.h>
#include <string.h>

#include <vmb/arch.h>
#include <vmb/bench.h>
#include <vmb/boot_info.h>
#include <vmb/console.h>
#include <vmb/fault.h>
#include <vmb/fw.h>
#include <vmb/irq.h>
#include <vmb/mem.h>
#include <vmb/net.h>
#include <vmb/options.h>
#include <vmb/pci.h>
#include <vmb/pingpong.h>
#include <vmb/platform.h>
#include <vmb/report.h>
#include <vmb/smp.h>
#include <vmb/uart.h>
#include <vmb/virtio.h>
#include <vmb/xen.h>

#define STACK_PAGES 16

extern bool report_table, report_as_peer;

static struct fw_info fw;
static struct options opts;
static bool boot_reported;

/* Options are read before the boot record (the counter= choice shapes
 * it); what they warn about is kept until records may follow. */
#define OPTION_NOTES 8
static char option_notes[OPTION_NOTES][192];
static unsigned n_option_notes, n_option_problems;

static void options_warn(void *ctx, const char *msg)
{
	(void)ctx;
	if (n_option_notes < OPTION_NOTES)
		snprintf(option_notes[n_option_notes++], sizeof(option_notes[0]), "%s", msg);
}

/* Under Xen a UART may belong to Xen itself: Xen's consoles come first.
 * An xl-made guest has the PV ring; dom0 (x86_64) has CONSOLEIO_write; an
 * arm64 dom0less guest has neither and writes to the vpl011 that its
 * device tree names. */
static void console_init(void)
{
	struct hyp_offers hyp = { 0 };
	struct fw_uart fallback;

	arch_hypervisor_probe(&fw, &hyp);
	if (hyp.xen && xen_pv_console_init())
		return;
	if (hyp.xen_console_io) {
		xen_console_io_init();
		return;
	}
	if (fw.uart.kind != UART_NONE && uart_console_init(&fw.uart))
		return;
	if (arch_default_uart(&fallback) && uart_console_init(&fallback))
		return;
	/* No console: keep buffering; the run still ends and powers off. */
}

_Noreturn void kernel_fatal_exit(int status)
{
	static bool dying;

	/* A fault while reporting the first one must not loop. */
	if (dying)
		arch_shutdown(&the_platform, opts.exit == EXIT_POWEROFF);
	dying = true;
	/* A fault before console_init() (in kernel_main, or in the MMU set-up)
	 * would otherwise stay in the buffer and the machine would halt
	 * without a word: give it the console we can find without tables. */
	if (!console_connected())
		console_init();
	if (!boot_reported)
		kprintf("vmbench: fatal error before the boot record\n");
	report_error("kernel", "fatal error (status %d): run aborted", status);
	report_end();
	arch_shutdown(&the_platform, opts.exit == EXIT_POWEROFF);
}

static _Noreturn void kernel_run(void *arg)
{
	struct boot_info *bi = arg;

	arch_mmu_init(bi);
	fw_scan(bi, &fw);
	console_init();
	if (bi->notes[0])
		kprintf("%s", bi->notes);

	options_defaults(&opts);
	n_option_problems = (unsigned)options_parse(&opts, bi->cmdline, options_warn, NULL);
	report_table = !opts.no_table;
	report_as_peer = opts.vm_peer_s != 0;
	net_configure(&opts);
	peer_page_configure(&opts);

	/* As early as a lying table would: everything sees the same CPUs. */
	if (opts.fault == FAULT_CPU)
		smp_describe_phantom(&fw);
	arch_platform_init(&the_platform, &fw, counter_by_name(opts.counter));
	bool irq_ok = irq_init(&fw);
	smp_init(&fw);
	pci_init(&fw);
	virtio_mmio_set_slots(fw.virtio_mmio, fw.virtio_mmio_irq, fw.n_virtio_mmio);
	report_boot(&the_platform, bi);
	boot_reported = true;
	report_cpus();
	pci_report();
	if (!irq_ok)
		report_info("interrupts: %s; interrupt benchmarks will skip", irq_why());
	if (fw.acpi_xsdt_bad_signature)
		report_info("ACPI XSDT has a wrong signature; accepted on its checksum");
	if (bi->mem_dropped)
		report_info("memory map: %u entries did not fit and were ignored", bi->mem_dropped);
	if (fw.uart.kind == UART_NONE && strncmp(console_name(), "xen", 3))
		report_info("no UART named by ACPI SPCR or the device tree; console: %s",
			    console_name());

	for (unsigned i = 0; i < n_option_notes; i++)
		report_info("%s", option_notes[i]);
	if (n_option_problems > n_option_notes)
		report_info("%u more option problems not shown",
			    n_option_problems - n_option_notes);
	if (n_option_problems)
		kprintf("valid options:\n%s", options_help);

	if (opts.fault == FAULT_UNDEF || opts.fault == FAULT_MEMORY) {
		kprintf("vmbench: raising a %s fault on request (fault=)\n",
			opts.fault == FAULT_UNDEF ? "undefined-instruction" : "memory");
		arch_raise_fault(opts.fault == FAULT_MEMORY);
	}
	if (opts.list)
		bench_list();
	else if (opts.vm_peer_s)
		vm_peer_run(opts.vm_peer_s);
	else
		bench_run_all(&opts);
	if (opts.serve_s && !opts.list)
		net_serve(opts.serve_s);
	report_end();
	arch_shutdown(&the_platform, opts.exit == EXIT_POWEROFF);
}

_Noreturn void kernel_main(struct boot_info *bi)
{
	/* Before anything can fault: kernel_fatal_exit() powers off through these. */
	the_platform.efi_runtime = bi->efi_runtime;
	the_platform.acpi_rsdp = bi->acpi_rsdp;
	arch_early_init();
	mem_take_ram(bi);
	void *stack = mem_alloc_pages(STACK_PAGES);
	if (!stack) {
		kprintf("vmbench: no memory for a stack\n");
		arch_shutdown(&the_platform, true);
	}
	arch_call_on_stack((char *)stack + STACK_PAGES * 4096, (void (*)(void *))kernel_run, bi);
}
