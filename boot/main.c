/*
 * kernel_main: the one C entry every boot path reaches, and the
 * composition root: the one place that wires options, firmware tables,
 * drivers, the network and the benchmarks together, above all of them
 * (docs/design.md, "Layers"). It moves to its own stack, page tables and
 * console, learns where it runs, runs the benchmarks and ends the run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vmb/arch.h>
#include <bench/bench.h>
#include <vmb/boot_info.h>
#include <vmb/console.h>
#include <vmb/fault.h>
#include <vmb/fw.h>
#include <vmb/hypercall.h>
#include <vmb/irq.h>
#include <vmb/mem.h>
#include <drivers/blk/ahci.h>
#include <drivers/blk/blkdev.h>
#include <drivers/net/net.h>
#include <vmb/options.h>
#include <drivers/pci/pci.h>
#include <bench/pingpong.h>
#include <vmb/platform.h>
#include <vmb/provenance.h>
#include <vmb/report.h>
#include <vmb/smp.h>
#include <drivers/uart/uart.h>
#include <drivers/virtio/virtio.h>
#include <drivers/xen/xen.h>
#include <drivers/xen/xenbus.h>

#define KERNEL_STACK_PAGES 16

static struct fw_info fw;

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

/* Under Xen: the version and this domain's role, and a domU's id and PV
 * devices from xenstore (why not, when it cannot be read). */
static void xen_identify(char *why, size_t why_len, char *devices, size_t dev_len)
{
	char value[16];

	xen_describe(&the_platform);
	if (strcmp(the_platform.xen_role, "domU"))
		return;
	if (!xenstore_read(0, "domid", value, sizeof(value), why, why_len))
		return;
	the_platform.xen_domid = atoi(value);
	/* why is the domain id's: the list says its own why. */
	char list_why[96];
	if (!xenbus_describe(devices, dev_len, list_why, sizeof(list_why)))
		snprintf(devices, dev_len, "not listed: %s", list_why);
}

static _Noreturn void kernel_run(void *arg)
{
	struct boot_info *bi = arg;

	arch_mmu_init(bi);
	fw_scan(bi, &fw);
	console_init();
	if (bi->notes[0])
		kprintf("%s", bi->notes);

	n_option_problems = (unsigned)options_init(bi->cmdline, options_warn, NULL);
	const struct options *opts = the_options;

	/* As early as a lying table would: everything sees the same CPUs. */
	if (opts->fault == FAULT_CPU)
		smp_describe_phantom(&fw);
	arch_platform_init(&the_platform, &fw, opts->counter);
	hypercall_choose(&the_platform);
	char xen_why[96] = "", xen_devices[256] = "";
	if (the_platform.mode == MODE_XEN)
		xen_identify(xen_why, sizeof(xen_why), xen_devices, sizeof(xen_devices));
	bool irq_ok = irq_init(&fw);
	smp_init(&fw);
	pci_init(&fw);
	virtio_mmio_set_slots(fw.virtio_mmio, fw.virtio_mmio_irq, fw.n_virtio_mmio);
	ahci_set_fw(fw.ahci, fw.n_ahci);
	provenance_gather(&the_platform, bi, &fw);
	report_boot(&the_platform, bi, pci_access_name(), pci_devices()->ndev);
	report_cpus();
	pci_report();
	if (!irq_ok)
		report_info("interrupts: %s; interrupt benchmarks will skip", irq_why());
	if (xen_why[0])
		report_info("xen: this domain's id is not known: %s", xen_why);
	if (xen_devices[0])
		report_info("xen: PV devices: %s", xen_devices);
	/* An xl domU with vuart = "sbsa_uart" has a vpl011 too: the console
	 * stays the PV ring (what `xl console` shows), and the record says so. */
	if (!strcmp(console_name(), "xen-pv-console") && fw.uart.kind != UART_NONE)
		report_info("console: Xen's PV ring; the domain's %s at %#llx (vuart) is not used",
			    fw.uart.sbsa ? "SBSA UART" : "UART", (unsigned long long)fw.uart.addr);
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

	if (opts->fault == FAULT_UNDEF || opts->fault == FAULT_MEMORY) {
		kprintf("vmbench: raising a %s fault on request (fault=)\n",
			opts->fault == FAULT_UNDEF ? "undefined-instruction" : "memory");
		arch_raise_fault(opts->fault == FAULT_MEMORY);
	}
	if (opts->list)
		bench_list();
	else if (opts->vm_peer_s)
		vm_peer_run(opts->vm_peer_s);
	else
		bench_run_all();
	if (opts->serve_s && !opts->list)
		net_serve(opts->serve_s);
	/* Devices let go of before the end: a Xen backend is told, so that
	 * dom0 can tear the domain down cleanly. */
	net_close();
	blkdev_close_all();
	report_end();
	arch_shutdown(&the_platform, opts->exit == EXIT_POWEROFF);
}

_Noreturn void kernel_main(struct boot_info *bi)
{
	/* Before anything can fault: kernel_fatal_exit() powers off through
	 * these, and finds a console through console_init(). */
	fault_set_console_rescue(console_init);
	the_platform.efi_runtime = bi->efi_runtime;
	the_platform.acpi_rsdp = bi->acpi_rsdp;
	arch_early_init();
	mem_take_ram(bi);
	void *stack = mem_alloc_pages(KERNEL_STACK_PAGES);
	if (!stack) {
		kprintf("vmbench: no memory for a stack\n");
		arch_shutdown(&the_platform, true);
	}
	arch_call_on_stack((char *)stack + KERNEL_STACK_PAGES * 4096, (void (*)(void *))kernel_run,
			   bi);
}
