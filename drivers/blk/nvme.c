/*
 * NVMe as a block device for the benchmarks (blkdev.h): the admin queue,
 * polled, and one I/O queue pair; PRPs (PRP1, PRP2, or a list page per
 * slot) for transfers of up to 1 MiB, cut into several commands where the
 * controller's MDTS is smaller (command id: the slot, plus BLKDEV_SLOTS
 * per further part). Completions are polled; blk_read_lat.irq has the I/O
 * completion queue re-made to signal MSI-X entry 1.
 *
 * The scratch rule: a controller whose serial is vmbench-scratch, or a
 * namespace whose first sector carries the mark, is scratch; every other
 * namespace is read at sector 0, to look for the mark, and never written.
 * A controller with no scratch namespace is disabled again (let go of).
 */
#include <stdio.h>
#include <string.h>

#include <arch/counter.h>
#include <arch/mmio.h>
#include <drivers/blk/blkdev.h>
#include <drivers/blk/nvme.h>
#include <drivers/pci/pci.h>
#include <vmb/arch.h>
#include <vmb/irq.h>
#include <vmb/mem.h>
#include <vmb/platform.h>
#include <vmb/report.h>

#define ADMIN_QD 8
#define IO_QD_MAX 256 /* entries: room for split requests beyond BLKDEV_SLOTS */
#define IO_QID 1
#define IO_VECTOR 1 /* the I/O completion queue's MSI-X entry (admin's is 0) */
#define ADMIN_MS 2000
#define MAX_NS 16
#define SLOT_BYTES (1u << 20)
#define SLOT_MAX_PAGES (SLOT_BYTES / NVME_PAGE)
#define MAX_PARTS 128 /* 1 MiB at the smallest MDTS, 8 KiB */
#define SQ_PAGES (IO_QD_MAX * sizeof(struct nvme_sqe) / NVME_PAGE)

static struct {
	const struct pci_dev *pci;
	char name[48]; /* "NVMe 1b36:0010 (pci 00:04.0)" */
	uint64_t regs, cap;
	unsigned stride; /* doorbell stride, bytes */
	unsigned ready_ms;
	struct nvme_ctrl_id id;
	/* Memory the controller reads and writes: a fresh set after a
	 * controller that would not stop. */
	volatile struct nvme_sqe *asq, *sq;
	volatile struct nvme_cqe *acq, *cq;
	uint8_t *page; /* Identify data, sector 0 */
	uint16_t asq_tail, acq_head, admin_cid;
	uint8_t acq_phase;
	/* The I/O queue pair. */
	uint16_t qd, sq_tail, sq_kicked, cq_head;
	uint8_t cq_phase;
	bool queues, cq_ien;
	unsigned inflight;
	uint32_t nsid, block_bytes, max_bytes;
	struct {
		unsigned parts;
		bool ok;
		uint64_t *list; /* PRP list page */
	} slot[BLKDEV_SLOTS];
	struct pci_msix msix;
	struct msi_route route;
	bool routed;
	unsigned intx; /* the INTx line, without MSI-X */
	bool intx_live;
} nv;

/* "NVMe 1b36:0010 ns 1 (pci 00:04.0)" */
static void ns_name(char *out, size_t len, uint32_t nsid)
{
	const struct pci_dev *f = nv.pci;

	snprintf(out, len, "NVMe %04x:%04x ns %u (pci %02x:%02x.%u)", f->vendor, f->device, nsid,
		 f->bus, f->dev, f->fn);
}

static uint64_t doorbell(unsigned qid, bool cq)
{
	return nv.regs + NVME_REG_DOORBELLS + (2 * qid + (cq ? 1 : 0)) * nv.stride;
}

static bool alloc(char *why, size_t why_len)
{
	if (!nv.asq) {
		nv.asq = mem_alloc_pages(1);
		nv.acq = mem_alloc_pages(1);
		nv.sq = mem_alloc_pages(SQ_PAGES);
		nv.cq = mem_alloc_pages(1);
		nv.page = mem_alloc_pages(1);
		for (unsigned k = 0; k < BLKDEV_SLOTS; k++)
			nv.slot[k].list = mem_alloc_pages(1);
	}
	if (!nv.asq || !nv.acq || !nv.sq || !nv.cq || !nv.page || !nv.slot[BLKDEV_SLOTS - 1].list) {
		snprintf(why, why_len, "no memory for NVMe queues");
		return false;
	}
	return true;
}

static uint64_t cap_read(void)
{
	return mmio_read32(nv.regs + NVME_REG_CAP) |
	       (uint64_t)mmio_read32(nv.regs + NVME_REG_CAP + 4) << 32;
}

static void write64(unsigned reg, uint64_t v)
{
	mmio_write32(nv.regs + reg, (uint32_t)v);
	mmio_write32(nv.regs + reg + 4, (uint32_t)(v >> 32));
}

/* CSTS.RDY becomes `ready` within CAP.TO; false and why otherwise. */
static bool wait_ready(bool ready, char *why, size_t why_len)
{
	uint64_t t0 = ref_now(), limit = ref_ms(nv.ready_ms);

	for (;;) {
		uint32_t csts = mmio_read32(nv.regs + NVME_REG_CSTS);
		if (csts == 0xffffffffu) {
			snprintf(why, why_len, "%s: its registers read all ones", nv.name);
			return false;
		}
		if (ready && (csts & NVME_CSTS_CFS)) {
			snprintf(why, why_len, "%s: controller fatal status while enabling",
				 nv.name);
			return false;
		}
		if (!!(csts & NVME_CSTS_RDY) == ready)
			return true;
		if (ref_now() - t0 > limit) {
			snprintf(why, why_len, "%s: CSTS.RDY not %u within %u ms (CAP.TO)", nv.name,
				 ready, nv.ready_ms);
			return false;
		}
	}
}

/* One admin command, polled to completion; dw0: its result (NULL: none). */
static bool admin(struct nvme_sqe *c, uint32_t *dw0, const char *what, char *why, size_t why_len)
{
	uint16_t cid = nv.admin_cid++;
	uint64_t t0 = ref_now(), limit = ref_ms(ADMIN_MS);

	c->cdw0 = (c->cdw0 & 0xffff) | (uint32_t)cid << 16;
	memcpy((void *)&nv.asq[nv.asq_tail], c, sizeof(*c));
	nv.asq_tail = (nv.asq_tail + 1) % ADMIN_QD;
	dma_mb();
	mmio_write32(doorbell(0, false), nv.asq_tail);
	for (;;) {
		volatile struct nvme_cqe *e = &nv.acq[nv.acq_head];
		uint16_t status = e->status;
		if ((status & NVME_CQE_PHASE) != nv.acq_phase) {
			if (ref_now() - t0 > limit) {
				snprintf(why, why_len, "%s: %s not completed within %u ms", nv.name,
					 what, ADMIN_MS);
				return false;
			}
			continue;
		}
		/* The entry after the phase that announced it. */
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		uint16_t ecid = e->cid;
		uint32_t result = e->dw0;
		if (++nv.acq_head == ADMIN_QD) {
			nv.acq_head = 0;
			nv.acq_phase ^= 1;
		}
		mmio_write32(doorbell(0, true), nv.acq_head);
		if (ecid != cid)
			continue; /* an older command's, given up on */
		if (NVME_CQE_FAILED(status)) {
			snprintf(why, why_len, "%s: %s failed (status type %u, code 0x%02x)",
				 nv.name, what, NVME_CQE_SCT(status), NVME_CQE_SC(status));
			return false;
		}
		if (dw0)
			*dw0 = result;
		return true;
	}
}

static bool identify(unsigned cns, uint32_t nsid, char *why, size_t why_len)
{
	struct nvme_sqe c = {
		.cdw0 = NVME_ADMIN_IDENTIFY, .nsid = nsid, .prp1 = (uintptr_t)nv.page, .cdw10 = cns
	};

	memset(nv.page, 0, NVME_PAGE);
	return admin(&c, NULL,
		     cns == NVME_CNS_CONTROLLER ? "Identify Controller" : "Identify Namespace", why,
		     why_len);
}

/* The I/O queue pair, made again from empty; its completions signal MSI-X
 * entry IO_VECTOR when ien. */
static bool make_queues(bool ien, char *why, size_t why_len)
{
	uint32_t size_id = (uint32_t)(nv.qd - 1) << 16 | IO_QID;

	if (nv.queues) {
		struct nvme_sqe dsq = { .cdw0 = NVME_ADMIN_DELETE_SQ, .cdw10 = IO_QID };
		struct nvme_sqe dcq = { .cdw0 = NVME_ADMIN_DELETE_CQ, .cdw10 = IO_QID };
		if (!admin(&dsq, NULL, "Delete I/O Submission Queue", why, why_len) ||
		    !admin(&dcq, NULL, "Delete I/O Completion Queue", why, why_len))
			return false;
		nv.queues = false;
	}
	memset((void *)nv.sq, 0, SQ_PAGES * NVME_PAGE);
	memset((void *)nv.cq, 0, NVME_PAGE);
	nv.sq_tail = nv.sq_kicked = nv.cq_head = 0;
	nv.cq_phase = 1;
	nv.inflight = 0;
	for (unsigned k = 0; k < BLKDEV_SLOTS; k++)
		nv.slot[k].parts = 0;
	struct nvme_sqe ccq = {
		.cdw0 = NVME_ADMIN_CREATE_CQ,
		.prp1 = (uintptr_t)nv.cq,
		.cdw10 = size_id,
		/* Pin-based interrupts know vector 0 only. */
		.cdw11 = NVME_Q_CONTIG |
			 (ien ? (uint32_t)(nv.intx ? 0 : IO_VECTOR) << 16 | NVME_CQ_IEN : 0),
	};
	struct nvme_sqe csq = {
		.cdw0 = NVME_ADMIN_CREATE_SQ,
		.prp1 = (uintptr_t)nv.sq,
		.cdw10 = size_id,
		.cdw11 = (uint32_t)IO_QID << 16 | NVME_Q_CONTIG,
	};
	if (!admin(&ccq, NULL, "Create I/O Completion Queue", why, why_len))
		return false;
	if (!admin(&csq, NULL, "Create I/O Submission Queue", why, why_len)) {
		struct nvme_sqe dcq = { .cdw0 = NVME_ADMIN_DELETE_CQ, .cdw10 = IO_QID };
		char ignored[8];
		admin(&dcq, NULL, "Delete I/O Completion Queue", ignored, sizeof(ignored));
		return false;
	}
	nv.queues = true;
	nv.cq_ien = ien;
	return true;
}

/* Reset, admin queue, enable, Identify Controller, the I/O queue pair. */
static bool bring_up(const struct pci_dev *f, char *why, size_t why_len)
{
	nv.pci = f;
	nv.queues = nv.cq_ien = nv.routed = nv.intx_live = false;
	nv.intx = 0;
	nv.msix.entries = 0;
	if (!pci_bar_map(f, 0, 0, NVME_REG_DOORBELLS + NVME_PAGE, &nv.regs)) {
		snprintf(why, why_len, "%s: BAR0 is missing or not placed", nv.name);
		return false;
	}
	pci_write32(f, PCI_COMMAND,
		    (pci_read32(f, PCI_COMMAND) & 0xffff) | PCI_CMD_MEM | PCI_CMD_MASTER |
			    PCI_CMD_INTX_DISABLE);
	nv.cap = cap_read();
	nv.stride = 4u << NVME_CAP_DSTRD(nv.cap);
	nv.ready_ms = (NVME_CAP_TO(nv.cap) ? NVME_CAP_TO(nv.cap) : 1) * NVME_TO_MS;
	nv.qd = NVME_CAP_MQES(nv.cap) + 1 < IO_QD_MAX ? NVME_CAP_MQES(nv.cap) + 1 : IO_QD_MAX;
	if (!NVME_CAP_CSS_NVM(nv.cap) || NVME_CAP_MPSMIN(nv.cap) || nv.qd < BLKDEV_SLOTS + 1 ||
	    2u * (IO_QID + 1) * nv.stride > NVME_PAGE) {
		snprintf(why, why_len,
			 "%s: CAP 0x%016llx: no NVM command set, pages above 4 KiB, queues below "
			 "%u entries or doorbells beyond the first page",
			 nv.name, (unsigned long long)nv.cap, BLKDEV_SLOTS + 1);
		return false;
	}
	/* Left enabled by firmware (a UEFI driver): reset first. */
	uint32_t cc = mmio_read32(nv.regs + NVME_REG_CC);
	if (cc & NVME_CC_EN) {
		mmio_write32(nv.regs + NVME_REG_CC, cc & ~NVME_CC_EN);
		if (!wait_ready(false, why, why_len))
			return false;
	}
	memset((void *)nv.asq, 0, NVME_PAGE);
	memset((void *)nv.acq, 0, NVME_PAGE);
	nv.asq_tail = nv.acq_head = 0;
	nv.acq_phase = 1;
	mmio_write32(nv.regs + NVME_REG_AQA, (ADMIN_QD - 1) << 16 | (ADMIN_QD - 1));
	write64(NVME_REG_ASQ, (uintptr_t)nv.asq);
	write64(NVME_REG_ACQ, (uintptr_t)nv.acq);
	mmio_write32(nv.regs + NVME_REG_CC, NVME_CC_IOSQES(6) | NVME_CC_IOCQES(4) | NVME_CC_EN);
	if (!wait_ready(true, why, why_len) || !identify(NVME_CNS_CONTROLLER, 0, why, why_len))
		return false;
	nvme_parse_ctrl(nv.page, &nv.id);
	/* MDTS counts minimum pages (4 KiB: MPSMIN is 0). */
	nv.max_bytes = SLOT_BYTES;
	if (nv.id.mdts && nv.id.mdts < 8)
		nv.max_bytes = NVME_PAGE << nv.id.mdts;
	if (nv.max_bytes * MAX_PARTS < SLOT_BYTES) {
		snprintf(why, why_len, "%s: MDTS %u: transfers of at most %u bytes", nv.name,
			 nv.id.mdts, nv.max_bytes);
		return false;
	}
	/* One queue pair (0-based counts); a controller that refuses the
	 * feature still has at least one. */
	struct nvme_sqe nq = { .cdw0 = NVME_ADMIN_SET_FEATURES, .cdw10 = NVME_FEAT_NUM_QUEUES };
	char ignored[8];
	admin(&nq, NULL, "Set Features (Number of Queues)", ignored, sizeof(ignored));
	return make_queues(false, why, why_len);
}

/* Disabled, bus mastering off: nothing more it reads or writes. False
 * when it would not stop: its memory is not used again. */
static bool let_go(void)
{
	char why[96];
	bool stopped = true;

	if (!nv.regs)
		return true;
	uint32_t cc = mmio_read32(nv.regs + NVME_REG_CC);
	if (cc & NVME_CC_EN) {
		mmio_write32(nv.regs + NVME_REG_CC, cc & ~NVME_CC_EN);
		stopped = wait_ready(false, why, sizeof(why));
		if (!stopped)
			report_info("nvme: %s", why);
	}
	pci_msix_disable(nv.pci, &nv.msix);
	pci_write32(nv.pci, PCI_COMMAND,
		    (pci_read32(nv.pci, PCI_COMMAND) & 0xffff) & ~PCI_CMD_MASTER);
	nv.regs = 0;
	nv.queues = false;
	if (!stopped) {
		nv.asq = NULL; /* a fresh set for the next controller */
		for (unsigned k = 0; k < BLKDEV_SLOTS; k++)
			nv.slot[k].list = NULL;
	}
	return stopped;
}

static bool submit(struct blkdev *d, unsigned slot, bool write, uint64_t sector, void *buf,
		   uint32_t len)
{
	static struct nvme_part parts[MAX_PARTS];
	uint64_t lba;
	uint32_t count;

	(void)d;
	if (slot >= BLKDEV_SLOTS || nv.slot[slot].parts || len > SLOT_BYTES ||
	    !nvme_blocks(sector, len, nv.block_bytes, &lba, &count))
		return false;
	uint64_t *list = nv.slot[slot].list;
	unsigned n = nvme_prps((uintptr_t)buf, len, nv.max_bytes, list, (uintptr_t)list,
			       SLOT_MAX_PAGES, parts, MAX_PARTS);
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
		mmio_write32(doorbell(IO_QID, false), nv.sq_tail);
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
		if (cid / BLKDEV_SLOTS >= MAX_PARTS || !nv.slot[k].parts)
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
		mmio_write32(doorbell(IO_QID, true), nv.cq_head);
		if (nv.intx_live)
			mmio_write32(nv.regs + NVME_REG_INTMC, NVME_INT_VECTOR0);
	}
	return done;
}

/* MSI-X entry IO_VECTOR routed to the boot CPU. */
static bool route_msix(char *why, size_t why_len)
{
	const struct pci_dev *f = nv.pci;

	if (!nv.msix.entries && !pci_msix_enable(f, &nv.msix, why, why_len))
		return false;
	if (nv.msix.entries <= IO_VECTOR) {
		snprintf(why, why_len, "%s: %u MSI-X entries, none for the I/O queue", nv.name,
			 nv.msix.entries);
		return false;
	}
	if (!arch_msi_route((uint32_t)f->bus << 8 | f->dev << 3 | f->fn, IO_VECTOR, &nv.route, why,
			    why_len))
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
	if (!nv.cq_ien && !make_queues(true, why, why_len))
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
			pci_msix_set(&nv.msix, IO_VECTOR, nv.route.addr, nv.route.data);
		else
			pci_msix_mask(&nv.msix, IO_VECTOR);
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
	let_go();
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

bool nvme_drives(const struct pci_dev *f)
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
	if (!identify(NVME_CNS_NAMESPACE, nsid, why, why_len))
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

bool nvme_open_scratch(struct blkdev *d, bool *found, char *why, size_t why_len)
{
	const struct pci_bus_scan *s = pci_devices();
	char left[256] = "", scratch_why[192] = "", what[160];
	unsigned seen = 0;

	*found = false;
	for (unsigned i = 0; i < s->ndev; i++) {
		const struct pci_dev *f = &s->dev[i];
		if (!nvme_drives(f))
			continue;
		seen++;
		snprintf(nv.name, sizeof(nv.name), "NVMe %04x:%04x (pci %02x:%02x.%u)", f->vendor,
			 f->device, f->bus, f->dev, f->fn);
		if (!alloc(why, why_len))
			return false;
		memset(&nv.id, 0, sizeof(nv.id));
		bool up = bring_up(f, why, why_len);
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
			let_go();
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
		let_go();
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
