/*
 * NVMe as a block device for the benchmarks (blkdev.h), over the
 * controller nvme_ctrl.c brings up: one I/O queue pair; PRPs (PRP1, PRP2,
 * or a list page per slot) for transfers of up to 1 MiB, cut into several
 * commands where the controller's MDTS is smaller (command id: the slot,
 * plus BLKDEV_SLOTS per further part). Completions are polled;
 * blk_read_lat.irq has the I/O completion queue made again to signal
 * MSI-X entry 1 (or, without MSI-X, the INTx line).
 *
 * The scratch rule: a controller whose serial is vmbench-scratch, or a
 * namespace whose first sector carries the mark, is scratch; every other
 * namespace is read at sector 0, to look for the mark, and never written.
 * A controller with no scratch namespace is disabled again (let go of).
 */
#include <stdio.h>
#include <string.h>

#include <arch/mmio.h>
#include <drivers/blk/blkdev.h>
#include <drivers/blk/nvme_ctrl.h>
#include <drivers/pci/pci.h>
#include <vmb/arch.h>
#include <vmb/irq.h>
#include <vmb/report.h>

#define MAX_NS 16
#define SLOT_MAX_PAGES (NVME_SLOT_BYTES / NVME_PAGE)

static struct nvme_ctrl nv;

/* "NVMe 1b36:0010 ns 1 (pci 00:04.0)" */
static void ns_name(char *out, size_t len, uint32_t nsid)
{
	const struct pci_dev *f = nv.pci;

	snprintf(out, len, "NVMe %04x:%04x ns %u (pci %02x:%02x.%u)", f->vendor, f->device, nsid,
		 f->bus, f->dev, f->fn);
}

static bool submit(struct blkdev *d, unsigned slot, bool write, uint64_t sector, void *buf,
		   uint32_t len)
{
	static struct nvme_part parts[NVME_MAX_PARTS];
	uint64_t lba;
	uint32_t count;

	(void)d;
	if (slot >= BLKDEV_SLOTS || nv.slot[slot].parts || len > NVME_SLOT_BYTES ||
	    !nvme_blocks(sector, len, nv.block_bytes, &lba, &count))
		return false;
	uint64_t *list = nv.slot[slot].list;
	unsigned n = nvme_prps((uintptr_t)buf, len, nv.max_bytes, list, (uintptr_t)list,
			       SLOT_MAX_PAGES, parts, NVME_MAX_PARTS);
	if (!n || nv.inflight + n > nv.qd - 1u)
		return false;
	for (unsigned k = 0; k < n; k++) {
		struct nvme_sqe c;
		nvme_rw(&c, write, nv.nsid, lba + parts[k].offset / nv.block_bytes,
			parts[k].len / nv.block_bytes, (uint16_t)(slot + k * BLKDEV_SLOTS),
			&parts[k]);
		memcpy((void *)&nv.sq[nv.sq_tail], &c, sizeof(c));
		nv.sq_tail = (uint16_t)((nv.sq_tail + 1) % nv.qd);
	}
	nv.slot[slot].parts = n;
	nv.slot[slot].ok = true;
	nv.inflight += n;
	return true;
}

static void kick(struct blkdev *d)
{
	(void)d;
	/* The entries (and PRP lists) before the doorbell. */
	dma_mb();
	if (nv.sq_tail != nv.sq_kicked)
		mmio_write32(nvme_ctrl_doorbell(&nv, NVME_IO_QID, false), nv.sq_tail);
	nv.sq_kicked = nv.sq_tail;
}

static bool complete(struct blkdev *d, unsigned *slot, bool *ok)
{
	bool done = false, moved = false;

	(void)d;
	while (!done) {
		volatile struct nvme_cqe *e = &nv.cq[nv.cq_head];
		uint16_t status = e->status;
		if ((status & NVME_CQE_PHASE) != nv.cq_phase)
			break;
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		unsigned cid = e->cid, k = cid % BLKDEV_SLOTS;
		if (++nv.cq_head == nv.qd) {
			nv.cq_head = 0;
			nv.cq_phase ^= 1;
		}
		moved = true;
		if (cid / BLKDEV_SLOTS >= NVME_MAX_PARTS || !nv.slot[k].parts)
			continue; /* not a command of ours */
		nv.inflight--;
		if (NVME_CQE_FAILED(status))
			nv.slot[k].ok = false;
		if (--nv.slot[k].parts)
			continue;
		*slot = k;
		*ok = nv.slot[k].ok;
		done = true;
	}
	if (moved) {
		mmio_write32(nvme_ctrl_doorbell(&nv, NVME_IO_QID, true), nv.cq_head);
		if (nv.intx_live)
			mmio_write32(nv.regs + NVME_REG_INTMC, NVME_INT_VECTOR0);
	}
	return done;
}

/* MSI-X entry NVME_IO_VECTOR routed to the boot CPU. */
static bool route_msix(char *why, size_t why_len)
{
	const struct pci_dev *f = nv.pci;

	if (!nv.msix.entries && !pci_msix_enable(f, &nv.msix, why, why_len))
		return false;
	if (nv.msix.entries <= NVME_IO_VECTOR) {
		snprintf(why, why_len, "%s: %u MSI-X entries, none for the I/O queue", nv.name,
			 nv.msix.entries);
		return false;
	}
	if (!arch_msi_route(pci_rid(f), NVME_IO_VECTOR, &nv.route, why, why_len))
		return false;
	nv.routed = true;
	return true;
}

/* Without MSIs: the function's INTx pin (MSI-X off), all its queues on
 * vector 0, masked (INTMS) until irq_on. */
static bool route_intx(char *why, size_t why_len)
{
	unsigned line;

	pci_msix_disable(nv.pci, &nv.msix);
	mmio_write32(nv.regs + NVME_REG_INTMS, NVME_INT_VECTOR0);
	if (!pci_intx_line(nv.pci, &line, why, why_len))
		return false;
	nv.intx = line;
	return true;
}

static bool irq(struct blkdev *d, unsigned *irq, char *why, size_t why_len)
{
	char msi_why[160], intx_why[160];

	if (!nv.routed && !nv.intx && !route_msix(msi_why, sizeof(msi_why))) {
		if (!route_intx(intx_why, sizeof(intx_why))) {
			snprintf(why, why_len, "no MSI-X (%s); no INTx (%s)", msi_why, intx_why);
			return false;
		}
		report_info("nvme: %s: no MSI-X (%s); its I/O queue signals by INTx line %u",
			    nv.name, msi_why, nv.intx);
	}
	/* A line is let go of at each irq_on(false). */
	if (nv.intx && !arch_line_route(nv.intx, why, why_len))
		return false;
	if (!nv.cq_ien && !nvme_ctrl_queues(&nv, true, why, why_len))
		return false;
	if (nv.intx) {
		*irq = nv.intx;
		snprintf(d->irq_via, sizeof(d->irq_via), "INTx line");
	} else {
		*irq = nv.route.irq;
		snprintf(d->irq_via, sizeof(d->irq_via), "MSI-X to %s", nv.route.via);
	}
	return true;
}

/* Masked while polled (the MSI-X entry; INTMS for INTx, which does not
 * apply under MSI-X): the queue keeps its interrupt enable. */
static void irq_on(struct blkdev *d, bool on)
{
	(void)d;
	if (!nv.intx) {
		if (on)
			pci_msix_set(&nv.msix, NVME_IO_VECTOR, nv.route.addr, nv.route.data);
		else
			pci_msix_mask(&nv.msix, NVME_IO_VECTOR);
		return;
	}
	nv.intx_live = on;
	if (on) {
		mmio_write32(nv.regs + NVME_REG_INTMC, NVME_INT_VECTOR0);
	} else {
		mmio_write32(nv.regs + NVME_REG_INTMS, NVME_INT_VECTOR0);
		irqchip->enable(nv.intx, false);
	}
}

/* INTx is level-triggered while the completion queue holds entries: masked
 * here, unmasked once complete() has taken them. */
static void irq_ack(struct blkdev *d)
{
	(void)d;
	if (nv.intx)
		mmio_write32(nv.regs + NVME_REG_INTMS, NVME_INT_VECTOR0);
}

static void irq_state(struct blkdev *d, char *out, size_t len)
{
	volatile struct nvme_cqe *e = &nv.cq[nv.cq_head];

	(void)d;
	snprintf(out, len,
		 "CSTS 0x%x, INTMS 0x%x; I/O CQ head %u phase %u, entry there cid %u phase %u; "
		 "%u commands in flight",
		 mmio_read32(nv.regs + NVME_REG_CSTS), mmio_read32(nv.regs + NVME_REG_INTMS),
		 nv.cq_head, nv.cq_phase, e->cid, e->status & NVME_CQE_PHASE, nv.inflight);
}

static void nv_close(struct blkdev *d)
{
	(void)d;
	nvme_ctrl_let_go(&nv);
}

static const struct blkdev_ops ops = {
	.submit = submit,
	.kick = kick,
	.complete = complete,
	.irq = irq,
	.irq_on = irq_on,
	.irq_ack = irq_ack,
	.irq_state = irq_state,
	.close = nv_close,
};

bool blkdev_nvme_drives(const struct pci_dev *f)
{
	return f->class_rev >> 8 == NVME_CLASS;
}

/* Namespace nsid as d, if it is scratch: how it is known (scratch_how
 * when the controller's serial says so), or NULL and why empty (not
 * scratch, or inactive), or why set (it could not be read). */
static const char *try_ns(struct blkdev *d, uint32_t nsid, const char *scratch_how, uint64_t first,
			  char *why, size_t why_len)
{
	struct nvme_ns_id ns;

	memset(d, 0, sizeof(*d));
	why[0] = 0;
	if (!nvme_ctrl_identify(&nv, NVME_CNS_NAMESPACE, nsid, why, why_len))
		return NULL;
	if (!nvme_parse_ns(nv.page, &ns, why, why_len))
		return NULL;
	nv.nsid = nsid;
	nv.block_bytes = ns.block_bytes;
	*d = (struct blkdev){ .ops = &ops,
			      .sectors = ns.blocks * (ns.block_bytes / BLKDEV_SECTOR),
			      .read_only = ns.write_protected };
	snprintf(d->read_only_why, sizeof(d->read_only_why), "the namespace is write protected");
	ns_name(d->where, sizeof(d->where), nsid);
	snprintf(d->path, sizeof(d->path), "NVMe (1 I/O queue pair, PRP)");
	if (!scratch_how) {
		/* Sector 0 read (one page: whole blocks of either size), never
		 * written. */
		if (!blkdev_sync(d, false, 0, nv.page, NVME_PAGE, BLKDEV_MARK_READ_MS, why,
				 why_len))
			return NULL;
		scratch_how = blkdev_scratch_rule(NULL, 0, nv.page, &first);
	}
	d->first_sector = first;
	return scratch_how;
}

/* Append "what" to the list of what was left alone. */
static void left_alone(char *left, size_t len, const char *what)
{
	size_t l = strlen(left);

	snprintf(left + l, len - l, "%s%s", l ? ", " : "", what);
}

bool blkdev_nvme_open(struct blkdev *d, bool *found, char *why, size_t why_len)
{
	const struct pci_bus_scan *s = pci_devices();
	char left[256] = "", scratch_why[192] = "", what[160];
	unsigned seen = 0;

	*found = false;
	for (unsigned i = 0; i < s->ndev; i++) {
		const struct pci_dev *f = &s->dev[i];
		if (!blkdev_nvme_drives(f))
			continue;
		seen++;
		snprintf(nv.name, sizeof(nv.name), "NVMe %04x:%04x (pci %02x:%02x.%u)", f->vendor,
			 f->device, f->bus, f->dev, f->fn);
		if (!nvme_ctrl_alloc(&nv, why, why_len))
			return false;
		memset(&nv.id, 0, sizeof(nv.id));
		bool up = nvme_ctrl_up(&nv, f, why, why_len);
		uint64_t first = 0;
		/* The serial first: a namespace that is scratch by it is not
		 * read before the benchmarks' own first write. */
		const char *by_serial =
			blkdev_scratch_rule(nv.id.serial, NVME_ID_SN_LEN, NULL, &first);
		if (!up) {
			/* Not known to be scratch unless its serial says so:
			 * named, and the search goes on. */
			report_info("nvme: %s left alone: %s", nv.name, why);
			if (by_serial)
				snprintf(scratch_why, sizeof(scratch_why), "%s", why);
			left_alone(left, sizeof(left), nv.name);
			nvme_ctrl_let_go(&nv);
			continue;
		}
		report_info("nvme: %s: %s, serial \"%s\", %u namespaces, %u-entry I/O queues, "
			    "%u KiB per command",
			    nv.name, nv.id.model, nv.id.serial_text, nv.id.namespaces, nv.qd,
			    nv.max_bytes >> 10);
		unsigned nn = nv.id.namespaces < MAX_NS ? nv.id.namespaces : MAX_NS, active = 0;
		for (uint32_t nsid = 1; nsid <= nn; nsid++) {
			const char *how = try_ns(d, nsid, by_serial, first, why, why_len);
			if (how) {
				*found = true;
				report_info(
					"nvme: %s is scratch by %s: %llu MiB, %u-byte blocks, %s",
					d->where, how,
					(unsigned long long)(d->sectors * BLKDEV_SECTOR >> 20),
					nv.block_bytes, d->read_only ? "read-only" : "writable");
				return true;
			}
			if (!why[0] && !d->ops)
				continue; /* inactive */
			active++;
			char name[64];
			ns_name(name, sizeof(name), nsid);
			snprintf(what, sizeof(what), "%s (serial \"%s\")", name, nv.id.serial_text);
			if (why[0]) {
				report_info("nvme: %s left alone: %s", what, why);
				if (by_serial)
					snprintf(scratch_why, sizeof(scratch_why), "%s: %s", name,
						 why);
			} else {
				report_info("nvme: %s is not scratch: left alone", what);
			}
			left_alone(left, sizeof(left), what);
			memset(d, 0, sizeof(*d));
			if (nv.inflight)
				break; /* a read it never answered: let it go */
		}
		if (by_serial && !active)
			snprintf(scratch_why, sizeof(scratch_why), "%s: no active namespace",
				 nv.name);
		memset(d, 0, sizeof(*d));
		nvme_ctrl_let_go(&nv);
	}
	/* The scratch controller is there but none of it could be used: an
	 * error that says why, not a quiet skip. */
	if (scratch_why[0]) {
		*found = true;
		snprintf(why, why_len, "the scratch NVMe controller could not be used: %s",
			 scratch_why);
		return false;
	}
	if (!seen)
		snprintf(why, why_len, "no NVMe controller");
	else
		snprintf(why, why_len,
			 "no NVMe namespace has the serial " BLKDEV_SCRATCH_SERIAL
			 " or the scratch mark (the only ones the image writes to); left alone: %s",
			 left);
	return false;
}
