/*
 * An NVMe controller (nvme_ctrl.h): reset and enabled with its admin
 * queue, polled; Identify; the one I/O queue pair made and made again;
 * disabled again when it is let go of. Every wait is bounded: enabling
 * and disabling by CAP.TO, each admin command by ADMIN_MS.
 */
#include <stdio.h>
#include <string.h>

#include <arch/counter.h>
#include <arch/mmio.h>
#include <drivers/blk/nvme_ctrl.h>
#include <vmb/mem.h>
#include <vmb/platform.h>
#include <vmb/report.h>

#define ADMIN_QD 8
#define ADMIN_MS 2000
#define SQ_PAGES (NVME_IO_QD_MAX * sizeof(struct nvme_sqe) / NVME_PAGE)

uint64_t nvme_ctrl_doorbell(const struct nvme_ctrl *c, unsigned qid, bool cq)
{
	return c->regs + NVME_REG_DOORBELLS + (2 * qid + (cq ? 1 : 0)) * c->stride;
}

bool nvme_ctrl_alloc(struct nvme_ctrl *c, char *why, size_t why_len)
{
	if (!c->asq) {
		c->asq = mem_alloc_pages(1);
		c->acq = mem_alloc_pages(1);
		c->sq = mem_alloc_pages(SQ_PAGES);
		c->cq = mem_alloc_pages(1);
		c->page = mem_alloc_pages(1);
		for (unsigned k = 0; k < BLKDEV_SLOTS; k++)
			c->slot[k].list = mem_alloc_pages(1);
	}
	if (!c->asq || !c->acq || !c->sq || !c->cq || !c->page || !c->slot[BLKDEV_SLOTS - 1].list) {
		snprintf(why, why_len, "no memory for NVMe queues");
		return false;
	}
	return true;
}

static uint64_t cap_read(const struct nvme_ctrl *c)
{
	return mmio_read32(c->regs + NVME_REG_CAP) |
	       (uint64_t)mmio_read32(c->regs + NVME_REG_CAP + 4) << 32;
}

static void write64(const struct nvme_ctrl *c, unsigned reg, uint64_t v)
{
	mmio_write32(c->regs + reg, (uint32_t)v);
	mmio_write32(c->regs + reg + 4, (uint32_t)(v >> 32));
}

/* CSTS.RDY becomes `ready` within CAP.TO; false and why otherwise. */
static bool wait_ready(const struct nvme_ctrl *c, bool ready, char *why, size_t why_len)
{
	uint64_t t0 = ref_now(), limit = ref_ms(c->ready_ms);

	for (;;) {
		uint32_t csts = mmio_read32(c->regs + NVME_REG_CSTS);
		if (csts == 0xffffffffu) {
			snprintf(why, why_len, "%s: its registers read all ones", c->name);
			return false;
		}
		if (ready && (csts & NVME_CSTS_CFS)) {
			snprintf(why, why_len, "%s: controller fatal status while enabling",
				 c->name);
			return false;
		}
		if (!!(csts & NVME_CSTS_RDY) == ready)
			return true;
		if (ref_now() - t0 > limit) {
			snprintf(why, why_len, "%s: CSTS.RDY not %u within %u ms (CAP.TO)", c->name,
				 ready, c->ready_ms);
			return false;
		}
	}
}

/* One admin command, polled to completion; dw0: its result (NULL: none). */
static bool admin(struct nvme_ctrl *c, struct nvme_sqe *cmd, uint32_t *dw0, const char *what,
		  char *why, size_t why_len)
{
	uint16_t cid = c->admin_cid++;
	uint64_t t0 = ref_now(), limit = ref_ms(ADMIN_MS);

	cmd->cdw0 = (cmd->cdw0 & 0xffff) | (uint32_t)cid << 16;
	memcpy((void *)&c->asq[c->asq_tail], cmd, sizeof(*cmd));
	c->asq_tail = (c->asq_tail + 1) % ADMIN_QD;
	dma_mb();
	mmio_write32(nvme_ctrl_doorbell(c, 0, false), c->asq_tail);
	for (;;) {
		volatile struct nvme_cqe *e = &c->acq[c->acq_head];
		uint16_t status = e->status;
		if ((status & NVME_CQE_PHASE) != c->acq_phase) {
			if (ref_now() - t0 > limit) {
				snprintf(why, why_len, "%s: %s not completed within %u ms", c->name,
					 what, ADMIN_MS);
				return false;
			}
			continue;
		}
		/* The entry after the phase that announced it. */
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		uint16_t ecid = e->cid;
		uint32_t result = e->dw0;
		if (++c->acq_head == ADMIN_QD) {
			c->acq_head = 0;
			c->acq_phase ^= 1;
		}
		mmio_write32(nvme_ctrl_doorbell(c, 0, true), c->acq_head);
		if (ecid != cid)
			continue; /* an older command's, given up on */
		if (NVME_CQE_FAILED(status)) {
			snprintf(why, why_len, "%s: %s failed (status type %u, code 0x%02x)",
				 c->name, what, NVME_CQE_SCT(status), NVME_CQE_SC(status));
			return false;
		}
		if (dw0)
			*dw0 = result;
		return true;
	}
}

bool nvme_ctrl_identify(struct nvme_ctrl *c, unsigned cns, uint32_t nsid, char *why, size_t why_len)
{
	struct nvme_sqe cmd = {
		.cdw0 = NVME_ADMIN_IDENTIFY, .nsid = nsid, .prp1 = (uintptr_t)c->page, .cdw10 = cns
	};

	memset(c->page, 0, NVME_PAGE);
	return admin(c, &cmd, NULL,
		     cns == NVME_CNS_CONTROLLER ? "Identify Controller" : "Identify Namespace", why,
		     why_len);
}

bool nvme_ctrl_queues(struct nvme_ctrl *c, bool ien, char *why, size_t why_len)
{
	uint32_t size_id = (uint32_t)(c->qd - 1) << 16 | NVME_IO_QID;

	if (c->queues) {
		struct nvme_sqe dsq = { .cdw0 = NVME_ADMIN_DELETE_SQ, .cdw10 = NVME_IO_QID };
		struct nvme_sqe dcq = { .cdw0 = NVME_ADMIN_DELETE_CQ, .cdw10 = NVME_IO_QID };
		if (!admin(c, &dsq, NULL, "Delete I/O Submission Queue", why, why_len) ||
		    !admin(c, &dcq, NULL, "Delete I/O Completion Queue", why, why_len))
			return false;
		c->queues = false;
	}
	memset((void *)c->sq, 0, SQ_PAGES * NVME_PAGE);
	memset((void *)c->cq, 0, NVME_PAGE);
	c->sq_tail = c->sq_kicked = c->cq_head = 0;
	c->cq_phase = 1;
	c->inflight = 0;
	for (unsigned k = 0; k < BLKDEV_SLOTS; k++)
		c->slot[k].parts = 0;
	struct nvme_sqe ccq = {
		.cdw0 = NVME_ADMIN_CREATE_CQ,
		.prp1 = (uintptr_t)c->cq,
		.cdw10 = size_id,
		/* Pin-based interrupts know vector 0 only. */
		.cdw11 = NVME_Q_CONTIG |
			 (ien ? (uint32_t)(c->intx ? 0 : NVME_IO_VECTOR) << 16 | NVME_CQ_IEN : 0),
	};
	struct nvme_sqe csq = {
		.cdw0 = NVME_ADMIN_CREATE_SQ,
		.prp1 = (uintptr_t)c->sq,
		.cdw10 = size_id,
		.cdw11 = (uint32_t)NVME_IO_QID << 16 | NVME_Q_CONTIG,
	};
	if (!admin(c, &ccq, NULL, "Create I/O Completion Queue", why, why_len))
		return false;
	if (!admin(c, &csq, NULL, "Create I/O Submission Queue", why, why_len)) {
		struct nvme_sqe dcq = { .cdw0 = NVME_ADMIN_DELETE_CQ, .cdw10 = NVME_IO_QID };
		char ignored[8];
		admin(c, &dcq, NULL, "Delete I/O Completion Queue", ignored, sizeof(ignored));
		return false;
	}
	c->queues = true;
	c->cq_ien = ien;
	return true;
}

bool nvme_ctrl_up(struct nvme_ctrl *c, const struct pci_dev *f, char *why, size_t why_len)
{
	c->pci = f;
	c->queues = c->cq_ien = c->routed = c->intx_live = false;
	c->intx = 0;
	c->msix.entries = 0;
	if (!pci_bar_map(f, 0, 0, NVME_REG_DOORBELLS + NVME_PAGE, &c->regs)) {
		snprintf(why, why_len, "%s: BAR0 is missing or not placed", c->name);
		return false;
	}
	pci_write32(f, PCI_COMMAND,
		    (pci_read32(f, PCI_COMMAND) & 0xffff) | PCI_CMD_MEM | PCI_CMD_MASTER |
			    PCI_CMD_INTX_DISABLE);
	c->cap = cap_read(c);
	c->stride = 4u << NVME_CAP_DSTRD(c->cap);
	c->ready_ms = (NVME_CAP_TO(c->cap) ? NVME_CAP_TO(c->cap) : 1) * NVME_TO_MS;
	c->qd = NVME_CAP_MQES(c->cap) + 1 < NVME_IO_QD_MAX ? NVME_CAP_MQES(c->cap) + 1
							   : NVME_IO_QD_MAX;
	if (!NVME_CAP_CSS_NVM(c->cap) || NVME_CAP_MPSMIN(c->cap) || c->qd < BLKDEV_SLOTS + 1 ||
	    2u * (NVME_IO_QID + 1) * c->stride > NVME_PAGE) {
		snprintf(why, why_len,
			 "%s: CAP 0x%016llx: no NVM command set, pages above 4 KiB, queues below "
			 "%u entries or doorbells beyond the first page",
			 c->name, (unsigned long long)c->cap, BLKDEV_SLOTS + 1);
		return false;
	}
	/* Left enabled by firmware (a UEFI driver): reset first. */
	uint32_t cc = mmio_read32(c->regs + NVME_REG_CC);
	if (cc & NVME_CC_EN) {
		mmio_write32(c->regs + NVME_REG_CC, cc & ~NVME_CC_EN);
		if (!wait_ready(c, false, why, why_len))
			return false;
	}
	memset((void *)c->asq, 0, NVME_PAGE);
	memset((void *)c->acq, 0, NVME_PAGE);
	c->asq_tail = c->acq_head = 0;
	c->acq_phase = 1;
	mmio_write32(c->regs + NVME_REG_AQA, (ADMIN_QD - 1) << 16 | (ADMIN_QD - 1));
	write64(c, NVME_REG_ASQ, (uintptr_t)c->asq);
	write64(c, NVME_REG_ACQ, (uintptr_t)c->acq);
	mmio_write32(c->regs + NVME_REG_CC, NVME_CC_IOSQES(6) | NVME_CC_IOCQES(4) | NVME_CC_EN);
	if (!wait_ready(c, true, why, why_len) ||
	    !nvme_ctrl_identify(c, NVME_CNS_CONTROLLER, 0, why, why_len))
		return false;
	nvme_parse_ctrl(c->page, &c->id);
	/* MDTS counts minimum pages (4 KiB: MPSMIN is 0). */
	c->max_bytes = NVME_SLOT_BYTES;
	if (c->id.mdts && c->id.mdts < 8)
		c->max_bytes = NVME_PAGE << c->id.mdts;
	if (c->max_bytes * NVME_MAX_PARTS < NVME_SLOT_BYTES) {
		snprintf(why, why_len, "%s: MDTS %u: transfers of at most %u bytes", c->name,
			 c->id.mdts, c->max_bytes);
		return false;
	}
	/* One queue pair (0-based counts); a controller that refuses the
	 * feature still has at least one. */
	struct nvme_sqe nq = { .cdw0 = NVME_ADMIN_SET_FEATURES, .cdw10 = NVME_FEAT_NUM_QUEUES };
	char ignored[8];
	admin(c, &nq, NULL, "Set Features (Number of Queues)", ignored, sizeof(ignored));
	return nvme_ctrl_queues(c, false, why, why_len);
}

bool nvme_ctrl_let_go(struct nvme_ctrl *c)
{
	char why[96];
	bool stopped = true;

	if (!c->regs)
		return true;
	uint32_t cc = mmio_read32(c->regs + NVME_REG_CC);
	if (cc & NVME_CC_EN) {
		mmio_write32(c->regs + NVME_REG_CC, cc & ~NVME_CC_EN);
		stopped = wait_ready(c, false, why, sizeof(why));
		if (!stopped)
			report_info("nvme: %s", why);
	}
	pci_msix_disable(c->pci, &c->msix);
	pci_write32(c->pci, PCI_COMMAND,
		    (pci_read32(c->pci, PCI_COMMAND) & 0xffff) & ~PCI_CMD_MASTER);
	c->regs = 0;
	c->queues = false;
	if (!stopped) {
		c->asq = NULL; /* a fresh set for the next controller */
		for (unsigned k = 0; k < BLKDEV_SLOTS; k++)
			c->slot[k].list = NULL;
	}
	return stopped;
}
