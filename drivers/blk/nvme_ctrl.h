/*
 * One NVMe controller as the driver holds it: its registers, the admin
 * queue, one I/O queue pair and the memory it shares with the controller
 * (nvme_ctrl.c); nvme.c makes a block device of one of its namespaces.
 */
#ifndef DRIVERS_NVME_CTRL_H
#define DRIVERS_NVME_CTRL_H

#include <drivers/blk/blkdev.h>
#include <drivers/blk/nvme.h>
#include <drivers/pci/pci.h>
#include <vmb/arch.h>

#define NVME_IO_QD_MAX 256 /* entries: room for split requests beyond BLKDEV_SLOTS */
#define NVME_IO_QID 1
#define NVME_IO_VECTOR 1 /* the I/O completion queue's MSI-X entry (admin's is 0) */
#define NVME_SLOT_BYTES (1u << 20)
#define NVME_MAX_PARTS 128 /* 1 MiB at the smallest MDTS, 8 KiB */

struct nvme_ctrl {
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
	uint32_t max_bytes; /* per command: MDTS, at most NVME_SLOT_BYTES */
	/* The namespace in use, its requests and interrupt (nvme.c). */
	unsigned inflight; /* commands */
	uint32_t nsid, block_bytes;
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
};

/* The memory of c's queues (kept from one controller to the next, unless
 * one would not stop). */
bool nvme_ctrl_alloc(struct nvme_ctrl *c, char *why, size_t why_len);
/* f reset and enabled, Identify Controller in c->id, the I/O queue pair
 * made, polled; false and why. */
bool nvme_ctrl_up(struct nvme_ctrl *c, const struct pci_dev *f, char *why, size_t why_len);
/* Identify data (cns, nsid) into c->page. */
bool nvme_ctrl_identify(struct nvme_ctrl *c, unsigned cns, uint32_t nsid, char *why,
			size_t why_len);
/* The I/O queue pair made again from empty; its completions interrupt
 * when ien (MSI-X entry NVME_IO_VECTOR, or vector 0 on INTx). */
bool nvme_ctrl_queues(struct nvme_ctrl *c, bool ien, char *why, size_t why_len);
/* Disabled (CC.EN 0), MSI-X and bus mastering off; false when it would
 * not stop: its memory is not used again. */
bool nvme_ctrl_let_go(struct nvme_ctrl *c);
/* Queue qid's submission tail or completion head doorbell. */
uint64_t nvme_ctrl_doorbell(const struct nvme_ctrl *c, unsigned qid, bool cq);

#endif
