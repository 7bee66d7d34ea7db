/*
 * The image's PCI: configuration access through ECAM (MCFG or the device
 * tree) or, on x86 without either, the ports 0xcf8/0xcfc; one scan at
 * boot under vmb_try(), so that an ECAM the firmware named wrongly costs
 * PCI, not the run.
 */
#include <stdio.h>

#include <arch/mmio.h>
#include <vmb/arch.h>
#include <vmb/fault.h>
#include <vmb/fwinfo.h>
#include <drivers/pci/pci.h>
#include <drivers/pci/pci_names.h>
#include <vmb/report.h>

#define CFG_ADDR_PORT 0xcf8
#define CFG_DATA_PORT 0xcfc
#define CFG_ENABLE (1u << 31)

static struct {
	const char *access;
	uint64_t ecam;
	unsigned bus_first, bus_last;
	struct pci_cfg_ops ops;
	struct pci_windows windows;
	struct pci_bus_scan scan;
	const struct fw_info *fw; /* for INTx routing, kept by the caller */
	char why[128];
} pci = { .access = "none" };

static uint64_t ecam_addr(unsigned bus, unsigned dev, unsigned fn, unsigned off)
{
	return pci.ecam +
	       ((uint64_t)(bus - pci.bus_first) << 20 | dev << 15 | fn << 12 | (off & 0xffc));
}

static uint32_t ecam_read(void *ctx, unsigned bus, unsigned dev, unsigned fn, unsigned off)
{
	(void)ctx;
	return mmio_read32(ecam_addr(bus, dev, fn, off));
}

static void ecam_write(void *ctx, unsigned bus, unsigned dev, unsigned fn, unsigned off, uint32_t v)
{
	(void)ctx;
	mmio_write32(ecam_addr(bus, dev, fn, off), v);
}

static uint32_t port_addr(unsigned bus, unsigned dev, unsigned fn, unsigned off)
{
	return CFG_ENABLE | bus << 16 | dev << 11 | fn << 8 | (off & 0xfc);
}

static uint32_t port_read(void *ctx, unsigned bus, unsigned dev, unsigned fn, unsigned off)
{
	(void)ctx;
	arch_pio_write32(CFG_ADDR_PORT, port_addr(bus, dev, fn, off));
	return arch_pio_read32(CFG_DATA_PORT);
}

static void port_write(void *ctx, unsigned bus, unsigned dev, unsigned fn, unsigned off, uint32_t v)
{
	(void)ctx;
	arch_pio_write32(CFG_ADDR_PORT, port_addr(bus, dev, fn, off));
	arch_pio_write32(CFG_DATA_PORT, v);
}

static void scan(void *arg)
{
	(void)arg;
	pci_scan(&pci.ops, pci.bus_first, pci.bus_last, &pci.windows, &pci.scan);
}

/* Which configuration access the firmware gives: ECAM, else the x86
 * ports where a host bridge answers at 00:00.0. */
static bool choose_access(const struct fw_info *fw)
{
	if (fw->pci_ecam_base) {
		pci.access = "ecam";
		pci.ecam = fw->pci_ecam_base;
		pci.bus_first = fw->pci_bus_start;
		pci.bus_last = fw->pci_bus_end;
		uint64_t size = fw_pci_ecam_size(fw);
		if (!arch_map_mmio(pci.ecam, size)) {
			snprintf(pci.why, sizeof(pci.why),
				 "ECAM at %#llx (%llu MiB) cannot be mapped",
				 (unsigned long long)pci.ecam, (unsigned long long)(size >> 20));
			pci.access = "none";
			return false;
		}
		pci.ops = (struct pci_cfg_ops){ ecam_read, ecam_write, NULL };
		return true;
	}
	if (arch_pio_available()) {
		pci.ops = (struct pci_cfg_ops){ port_read, port_write, NULL };
		pci.bus_first = 0;
		pci.bus_last = 255;
		if ((port_read(NULL, 0, 0, 0, PCI_VENDOR_ID) & 0xffff) != 0xffff) {
			pci.access = "ports";
			return true;
		}
		snprintf(pci.why, sizeof(pci.why),
			 "no ECAM in the firmware tables and no host bridge at the x86 "
			 "configuration ports");
		return false;
	}
	snprintf(pci.why, sizeof(pci.why),
		 "no ECAM in the firmware tables (ACPI MCFG, device-tree "
		 "pci-host-ecam-generic)");
	return false;
}

static bool placed_in_gap(void)
{
	for (unsigned i = 0; i < pci.scan.ndev; i++)
		for (unsigned b = 0; b < PCI_MAX_BARS; b++)
			if (pci.scan.dev[i].bar[b].assigned_here && !pci.scan.dev[i].bar[b].io)
				return true;
	return false;
}

unsigned pci_undriven(unsigned base, bool (*drives)(const struct pci_dev *f), char *out, size_t len)
{
	unsigned n = 0;
	size_t used = 0;

	out[0] = 0;
	for (unsigned i = 0; i < pci.scan.ndev; i++) {
		const struct pci_dev *d = &pci.scan.dev[i];
		char name[128];
		if (d->class_rev >> 24 != base || drives(d))
			continue;
		pci_describe(d->vendor, d->device, d->class_rev >> 8, name, sizeof(name));
		if (used < len)
			used += (size_t)snprintf(out + used, len - used, "%s%s at %02x:%02x.%u",
						 n ? ", " : "", name, d->bus, d->dev, d->fn);
		n++;
	}
	return n;
}

static void report_devices(void)
{
	for (unsigned i = 0; i < pci.scan.ndev; i++) {
		const struct pci_dev *d = &pci.scan.dev[i];
		char bars[160];
		size_t n = 0;

		bars[0] = 0;
		for (unsigned b = 0; b < PCI_MAX_BARS && n < sizeof(bars); b++) {
			const struct pci_bar *r = &d->bar[b];
			if (!r->size)
				continue;
			n += (size_t)snprintf(
				bars + n, sizeof(bars) - n, " BAR%u %s %#llx/%#llx%s", b,
				r->io	  ? "io"
				: r->is64 ? "mem64"
					  : "mem",
				(unsigned long long)r->cpu, (unsigned long long)r->size,
				r->assigned_here ? " (placed)" : "");
		}
		report_info("pci %02x:%02x.%u %04x:%04x class %06x%s%s%s", d->bus, d->dev, d->fn,
			    d->vendor, d->device, d->class_rev >> 8, bars, d->why[0] ? "; " : "",
			    d->why);
	}
}

bool pci_init(const struct fw_info *fw)
{
	pci.fw = fw;
	if (!choose_access(fw))
		return false;
	pci.windows = (struct pci_windows){
		.io = fw->pci_io,
		.mem32 = fw->pci_mem32,
		.mem64 = fw->pci_mem64,
	};
	if (vmb_try(scan, NULL)) {
		snprintf(pci.why, sizeof(pci.why), "PCI scan through %s faulted: %s", pci.access,
			 vmb_fault_text());
		pci.access = "none";
		pci.scan.ndev = 0;
		return false;
	}
	return true;
}

void pci_report(void)
{
	if (!pci.scan.ndev) {
		report_info("pci: %s", pci.why[0] ? pci.why : "no function answered");
		return;
	}
	report_devices();
	if (pci.fw->pci_mem32_from_gap && placed_in_gap())
		report_info(
			"pci: no table names a BAR window and the firmware left BARs unassigned: "
			"placed in the memory map's largest hole below 4 GiB, %#llx-%#llx (as "
			"Linux does without _CRS)",
			(unsigned long long)pci.fw->pci_mem32.pci,
			(unsigned long long)(pci.fw->pci_mem32.pci + pci.fw->pci_mem32.size - 1));
	if (pci.scan.bridges_unnumbered)
		report_info("pci: %u bridge(s) without bus numbers: what is behind them was not "
			    "scanned",
			    pci.scan.bridges_unnumbered);
	if (pci.scan.truncated)
		report_info("pci: more than %u functions; the rest were not scanned", PCI_MAX_DEVS);
}

#define PCI_INTERRUPT_PIN 0x3d

bool pci_intx_line(const struct pci_dev *d, unsigned *irq, char *why, size_t why_len)
{
	unsigned pin = pci_read32(d, PCI_INTERRUPT_PIN & ~3u) >> 8 & 0xff;

	if (!pin || pin > 4) {
		snprintf(why, why_len, "pci %02x:%02x.%u has no INTx pin", d->bus, d->dev, d->fn);
		return false;
	}
	if (!pci.fw || !pci.fw->n_pci_intx) {
		snprintf(why, why_len,
			 "the firmware gives no INTx routing the image reads (a device-tree "
			 "interrupt-map; ACPI's _PRT is AML, not interpreted)");
		return false;
	}
	if (d->bus != pci.bus_first) {
		snprintf(why, why_len,
			 "pci %02x:%02x.%u is behind a bridge, whose INTx swizzling the image "
			 "does not follow",
			 d->bus, d->dev, d->fn);
		return false;
	}
	*irq = fw_pci_intx(pci.fw, d->bus, d->dev, d->fn, pin);
	if (!*irq) {
		snprintf(why, why_len, "the interrupt-map names no line for pci %02x:%02x.%u INT%c",
			 d->bus, d->dev, d->fn, 'A' + pin - 1);
		return false;
	}
	pci_write32(d, PCI_COMMAND, (pci_read32(d, PCI_COMMAND) & 0xffff) & ~PCI_CMD_INTX_DISABLE);
	return true;
}

const char *pci_access_name(void)
{
	return pci.access;
}

const struct pci_bus_scan *pci_devices(void)
{
	return &pci.scan;
}

uint32_t pci_read32(const struct pci_dev *d, unsigned off)
{
	return pci.ops.read32(pci.ops.ctx, d->bus, d->dev, d->fn, off);
}

void pci_write32(const struct pci_dev *d, unsigned off, uint32_t v)
{
	pci.ops.write32(pci.ops.ctx, d->bus, d->dev, d->fn, off, v);
}

bool pci_bar_map(const struct pci_dev *d, unsigned bar, uint64_t off, uint64_t len, uint64_t *out)
{
	const struct pci_bar *b = bar < PCI_MAX_BARS ? &d->bar[bar] : NULL;

	if (!b || !b->size || b->io || off > b->size || len > b->size - off || !b->cpu)
		return false;
	if (!arch_map_mmio(b->cpu, b->size))
		return false;
	*out = b->cpu + off;
	return true;
}

unsigned pci_find_cap(const struct pci_dev *d, unsigned id, unsigned after)
{
	if (!(pci_read32(d, PCI_COMMAND) & PCI_STATUS_CAPS))
		return 0;
	unsigned ptr = after ? pci_read32(d, after) >> 8 & 0xfc : pci_read32(d, PCI_CAP_PTR) & 0xfc;
	/* A list that loops is cut off after as many entries as fit. */
	for (unsigned guard = 0; ptr >= 0x40 && guard < 48; guard++) {
		uint32_t w0 = pci_read32(d, ptr);
		if ((w0 & 0xff) == id)
			return ptr;
		ptr = w0 >> 8 & 0xfc;
	}
	return 0;
}
