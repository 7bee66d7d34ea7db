/*
 * AHCI's front ends and its scratch disk: controllers found on PCI (class
 * 01:06:01: QEMU q35's ICH9 at 00:1f.2, `-device ahci`) and in the device
 * tree (generic-ahci, X-Gene's apm,xgene-ahci), each port with a SATA
 * disk identified and its first sector read; only a disk the scratch rule
 * accepts (blkdev.h) is kept, every other one is named and never written.
 */
#include <stdio.h>
#include <string.h>

#include <arch/mmio.h>
#include <drivers/blk/ahci.h>
#include <drivers/blk/ahci_regs.h>
#include <drivers/pci/pci.h>
#include <vmb/arch.h>
#include <vmb/mem.h>
#include <vmb/report.h>

#define AHCI_CLASS 0x010601 /* mass storage, SATA, AHCI 1.0 */
#define AHCI_PCI_ABAR 5
#define DT_ABAR_BYTES 0x2000

static const struct fw_ahci *dt_ahci;
static unsigned n_dt_ahci;

void ahci_set_fw(const struct fw_ahci *a, unsigned n)
{
	dt_ahci = a;
	n_dt_ahci = n;
}

bool blkdev_ahci_drives(const struct pci_dev *f)
{
	return f->class_rev >> 8 == AHCI_CLASS;
}

/* The controller whose port is kept, and that port. */
static struct ahci_hba hba;
static struct ahci_port port;

/* What the search saw, for the answer when no disk is scratch. */
static struct {
	char left[192]; /* disks left alone */
	char none[160]; /* the first controller's reason for having no disk */
	unsigned controllers;
	uint16_t *id;
	uint8_t *sector0;
} s;

static void append(char *list, size_t len, const char *what)
{
	size_t l = strlen(list);

	if (l + 8 < len)
		snprintf(list + l, len - l, "%s%s", l ? ", " : "", what);
}

/* Port p, started, holds an ATA disk: identified, its first sector read
 * and the scratch rule applied. True: it is the scratch disk, in d. */
static bool try_disk(struct ahci_port *p, struct blkdev *d, bool *found, char *why, size_t why_len)
{
	struct ahci_hba *h = p->hba;
	struct ahci_id id;
	char name[128];

	snprintf(d->where, sizeof(d->where), "%s port %u (%s)", h->name, p->n, h->at);
	if (!ahci_identify(p, s.id, why, why_len)) {
		report_info("AHCI: %s not used: %s", d->where, why);
		append(s.left, sizeof(s.left), d->where);
		return false;
	}
	ahci_id_parse(s.id, &id);
	snprintf(name, sizeof(name), "%s \"%s\" serial \"%s\"", d->where, id.model, id.serial);
	/* READ/WRITE DMA EXT and FPDMA QUEUED carry 48-bit addresses. */
	if (!id.lba48) {
		report_info("AHCI: %s not used: no 48-bit addressing", name);
		append(s.left, sizeof(s.left), d->where);
		return false;
	}
	d->sectors = id.sectors;
	unsigned slots = AHCI_CAP_NCS(h->cap);
	/* X-Gene's CAP does not always say NCQ; Linux forces it there
	 * (AHCI_HFLAG_YES_NCQ). */
	p->ncq = (h->cap & AHCI_CAP_SNCQ || h->xgene) && id.ncq;
	p->depth = !p->ncq ? 1 : slots < id.queue_depth ? slots : id.queue_depth;
	if (p->depth > BLKDEV_SLOTS)
		p->depth = BLKDEV_SLOTS;
	ahci_blkdev_bind(d, p);
	if (p->ncq)
		snprintf(d->path, sizeof(d->path), "AHCI (NCQ, %u slots)", p->depth);
	else
		snprintf(d->path, sizeof(d->path),
			 "AHCI (no NCQ: one command at a time, the rest queued)");
	/* The serial first: a scratch disk by its serial is not read before
	 * the benchmarks' own first write. Another disk is read at sector 0
	 * for the mark; one that does not answer is named and left alone. */
	const char *rule =
		blkdev_scratch_rule(id.serial_raw, sizeof(id.serial_raw), NULL, &d->first_sector);
	if (!rule) {
		if (!blkdev_sync(d, false, 0, s.sector0, BLKDEV_SECTOR, BLKDEV_MARK_READ_MS, why,
				 why_len)) {
			report_info("AHCI: %s not used: %s", name, why);
			append(s.left, sizeof(s.left), d->where);
			return false;
		}
		rule = blkdev_scratch_rule(NULL, 0, s.sector0, &d->first_sector);
	}
	if (!rule) {
		report_info("AHCI: %s is not scratch: left alone, never written", name);
		append(s.left, sizeof(s.left), d->where);
		return false;
	}
	*found = true;
	report_info("AHCI: %s is scratch by %s: %llu MiB, %s", name, rule,
		    (unsigned long long)(d->sectors * BLKDEV_SECTOR >> 20), d->path);
	return true;
}

/* Controller h, its registers mapped: its ports tried in turn. */
static bool try_hba(struct ahci_hba *h, struct blkdev *d, bool *found, char *why, size_t why_len)
{
	char w[160];

	s.controllers++;
	if ((h->xgene && !ahci_xgene_init(h, w, sizeof(w))) || !ahci_hba_init(h, w, sizeof(w))) {
		report_info("AHCI: %s", w);
		if (!s.none[0])
			snprintf(s.none, sizeof(s.none), "%s", w);
		return false;
	}
	uint32_t links = ahci_hba_links(h);
	if (!links && !s.none[0])
		snprintf(s.none, sizeof(s.none), "%s (%s): no device on its %u port(s)", h->name,
			 h->at, (unsigned)__builtin_popcount(h->pi));
	for (unsigned n = 0; n < AHCI_MAX_PORTS; n++) {
		uint32_t sig;
		if (!(links >> n & 1))
			continue;
		memset(d, 0, sizeof(*d));
		if (!ahci_port_start(h, n, &port, &sig, w, sizeof(w))) {
			char where[96];
			snprintf(where, sizeof(where), "%s port %u (%s)", h->name, n, h->at);
			report_info("AHCI: %s not used: %s", where, w);
			append(s.left, sizeof(s.left), where);
			continue;
		}
		if (sig != AHCI_SIG_ATA) {
			const char *what = sig == AHCI_SIG_ATAPI ? "an ATAPI device (CD/DVD)"
					   : sig == AHCI_SIG_PM	 ? "a port multiplier"
								 : "not a SATA disk";
			report_info("AHCI: %s port %u (%s): %s (signature %#x), skipped", h->name,
				    n, h->at, what, sig);
		} else if (try_disk(&port, d, found, why, why_len)) {
			return true;
		}
		ahci_port_stop(&port);
	}
	return false;
}

static bool try_pci(const struct pci_dev *f, struct blkdev *d, bool *found, char *why,
		    size_t why_len)
{
	memset(&hba, 0, sizeof(hba));
	hba.pci = f;
	snprintf(hba.name, sizeof(hba.name), "AHCI %04x:%04x", f->vendor, f->device);
	snprintf(hba.at, sizeof(hba.at), "pci %02x:%02x.%u", f->bus, f->dev, f->fn);
	pci_write32(f, PCI_COMMAND,
		    (pci_read32(f, PCI_COMMAND) & 0xffff) | PCI_CMD_MEM | PCI_CMD_MASTER);
	if (!pci_bar_map(f, AHCI_PCI_ABAR, 0, AHCI_PORT(1), &hba.abar)) {
		s.controllers++;
		report_info("AHCI: %s (%s): its registers (BAR5) are not reachable", hba.name,
			    hba.at);
		return false;
	}
	return try_hba(&hba, d, found, why, why_len);
}

static bool try_dt(const struct fw_ahci *a, struct blkdev *d, bool *found, char *why,
		   size_t why_len)
{
	memset(&hba, 0, sizeof(hba));
	hba.fw = a;
	hba.xgene = a->xgene;
	hba.abar = a->base;
	snprintf(hba.name, sizeof(hba.name), "AHCI %s", a->xgene ? "apm,xgene-ahci" : "generic");
	snprintf(hba.at, sizeof(hba.at), "at %#llx", (unsigned long long)a->base);
	if (!arch_map_mmio(a->base, DT_ABAR_BYTES)) {
		s.controllers++;
		report_info("AHCI: %s (%s): its registers are not mapped", hba.name, hba.at);
		return false;
	}
	return try_hba(&hba, d, found, why, why_len);
}

bool blkdev_ahci_open(struct blkdev *d, bool *found, char *why, size_t why_len)
{
	const struct pci_bus_scan *bus = pci_devices();

	*found = false;
	memset(&s, 0, sizeof(s));
	if (!(s.id = mem_alloc_pages(1)) || !(s.sector0 = mem_alloc_pages(1))) {
		snprintf(why, why_len, "no memory for AHCI");
		return false;
	}
	/* The first scratch disk: PCI's controllers, then the tree's. */
	for (unsigned i = 0; i < bus->ndev; i++)
		if (blkdev_ahci_drives(&bus->dev[i]) &&
		    try_pci(&bus->dev[i], d, found, why, why_len))
			return true;
	for (unsigned i = 0; i < n_dt_ahci; i++)
		if (try_dt(&dt_ahci[i], d, found, why, why_len))
			return true;
	memset(d, 0, sizeof(*d));
	if (!s.controllers) {
		snprintf(why, why_len,
			 "no AHCI controller (PCI class 01:06:01, device-tree generic-ahci or "
			 "apm,xgene-ahci)");
	} else if (s.left[0]) {
		snprintf(why, why_len,
			 "no AHCI disk has serial " BLKDEV_SCRATCH_SERIAL
			 " or the scratch mark; left alone: %s",
			 s.left);
	} else {
		snprintf(why, why_len, "%s", s.none[0] ? s.none : "no SATA disk on any AHCI port");
	}
	return false;
}

bool ahci_irq_route(struct ahci_port *p, unsigned *irq, char *via, size_t via_len, char *why,
		    size_t why_len)
{
	const struct ahci_hba *h = p->hba;
	char mwhy[128], iwhy[128];

	if (p->irq) {
		*irq = p->irq;
		return true;
	}
	if (!h->pci) {
		if (!h->fw->irq) {
			snprintf(why, why_len, "%s: the device tree names no GIC SPI for it",
				 h->name);
			return false;
		}
		if (!arch_line_route(h->fw->irq, why, why_len))
			return false;
		p->irq = *irq = h->fw->irq;
		p->irq_line = true;
		snprintf(via, via_len, "GIC SPI (level)");
		return true;
	}
	const struct pci_dev *f = h->pci;
	struct msi_route r;
	if (arch_msi_route(pci_rid(f), 0, &r, mwhy, sizeof(mwhy)) &&
	    pci_msi_enable(f, r.addr, r.data, mwhy, sizeof(mwhy))) {
		p->irq = *irq = r.irq;
		snprintf(via, via_len, "MSI to %s", r.via);
		return true;
	}
	unsigned line;
	if (!pci_intx_line(f, &line, iwhy, sizeof(iwhy)) ||
	    !arch_line_route(line, iwhy, sizeof(iwhy))) {
		snprintf(why, why_len, "no MSI (%s); no INTx (%s)", mwhy, iwhy);
		return false;
	}
	report_info("AHCI: %s: no MSI (%s); it signals by INTx line %u", h->name, mwhy, line);
	p->irq = *irq = line;
	p->irq_line = true;
	snprintf(via, via_len, "INTx line");
	return true;
}
