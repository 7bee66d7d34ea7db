/*
 * NVMe (NVM Express Base Specification 1.4 / 2.0): the controller
 * registers, admin and NVM commands and Identify fields this image uses,
 * and the plain-C parts of the driver (nvme_cmd.c: PRPs, LBA translation,
 * Identify parsing), tested on the host.
 */
#ifndef DRIVERS_NVME_H
#define DRIVERS_NVME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The class code of an NVM Express I/O controller (mass storage, NVM,
 * NVMe interface). */
#define NVME_CLASS 0x010802u

/* Controller registers (BAR0). */
#define NVME_REG_CAP 0x00 /* 64-bit capabilities */
#define NVME_REG_VS 0x08
#define NVME_REG_INTMS 0x0c /* pin-based and MSI interrupts masked, a bit per vector */
#define NVME_REG_INTMC 0x10 /* ... and unmasked */
#define NVME_INT_VECTOR0 1u
#define NVME_REG_CC 0x14
#define NVME_REG_CSTS 0x1c
#define NVME_REG_AQA 0x24
#define NVME_REG_ASQ 0x28 /* 64-bit */
#define NVME_REG_ACQ 0x30 /* 64-bit */
#define NVME_REG_DOORBELLS 0x1000

/* CAP fields. */
#define NVME_CAP_MQES(cap) ((uint32_t)((cap)&0xffff))	  /* largest queue, 0-based */
#define NVME_CAP_CQR(cap) (((cap) >> 16 & 1) != 0)	  /* queues contiguous */
#define NVME_CAP_TO(cap) ((uint32_t)((cap) >> 24 & 0xff)) /* ready within, 500 ms units */
#define NVME_CAP_DSTRD(cap) ((uint32_t)((cap) >> 32 & 0xf))
#define NVME_CAP_CSS_NVM(cap) (((cap) >> 37 & 1) != 0)
#define NVME_CAP_MPSMIN(cap) ((uint32_t)((cap) >> 48 & 0xf)) /* 4 KiB << n */
#define NVME_TO_MS 500u

/* CC: enable, NVM command set, 4 KiB pages, round robin, 64-byte
 * submission and 16-byte completion entries. */
#define NVME_CC_EN 1u
#define NVME_CC_IOSQES(n) ((uint32_t)(n) << 16)
#define NVME_CC_IOCQES(n) ((uint32_t)(n) << 20)
/* CSTS */
#define NVME_CSTS_RDY 1u
#define NVME_CSTS_CFS 2u

/* The memory page size the image gives the controller (CC.MPS 0). */
#define NVME_PAGE 4096u

/* Admin opcodes. */
#define NVME_ADMIN_DELETE_SQ 0x00
#define NVME_ADMIN_CREATE_SQ 0x01
#define NVME_ADMIN_DELETE_CQ 0x04
#define NVME_ADMIN_CREATE_CQ 0x05
#define NVME_ADMIN_IDENTIFY 0x06
#define NVME_ADMIN_SET_FEATURES 0x09
/* NVM opcodes. */
#define NVME_CMD_WRITE 0x01
#define NVME_CMD_READ 0x02
/* Identify CNS values, Set Features identifiers. */
#define NVME_CNS_NAMESPACE 0x00
#define NVME_CNS_CONTROLLER 0x01
#define NVME_FEAT_NUM_QUEUES 0x07
/* Create I/O queue CDW11 bits. */
#define NVME_Q_CONTIG 1u
#define NVME_CQ_IEN 2u

/* Identify Controller. */
#define NVME_ID_SN 4 /* serial number, 20 bytes, ASCII padded with spaces */
#define NVME_ID_SN_LEN 20
#define NVME_ID_MN 24 /* model number, 40 bytes */
#define NVME_ID_MN_LEN 40
#define NVME_ID_MDTS 77 /* largest transfer: 2^n minimum pages, 0: no limit */
#define NVME_ID_NN 516	/* namespaces, 32-bit */
/* Identify Namespace. */
#define NVME_NS_NSZE 0 /* size in logical blocks, 64-bit */
#define NVME_NS_NLBAF 25
#define NVME_NS_FLBAS 26
#define NVME_NS_NSATTR 99 /* bit 0: write protected */
#define NVME_NS_LBAF 128  /* 4-byte LBA formats: metadata bytes, LBADS (log2 size) */

/* A submission queue entry. */
struct nvme_sqe {
	uint32_t cdw0; /* opcode, command id in the top 16 bits */
	uint32_t nsid;
	uint32_t cdw2, cdw3;
	uint64_t mptr;
	uint64_t prp1, prp2;
	uint32_t cdw10, cdw11, cdw12, cdw13, cdw14, cdw15;
};
_Static_assert(sizeof(struct nvme_sqe) == 64, "NVMe submission entries are 64 bytes");

/* A completion queue entry. */
struct nvme_cqe {
	uint32_t dw0, dw1;
	uint16_t sqhd, sqid;
	uint16_t cid;
	uint16_t status; /* bit 0 the phase tag, 15:1 the status field (0: success) */
};
_Static_assert(sizeof(struct nvme_cqe) == 16, "NVMe completion entries are 16 bytes");

#define NVME_CQE_PHASE 1u
#define NVME_CQE_SC(status) ((unsigned)(status) >> 1 & 0xff)
#define NVME_CQE_SCT(status) ((unsigned)(status) >> 9 & 7)
#define NVME_CQE_FAILED(status) (((unsigned)(status) >> 1 & 0x7ff) != 0)

/* What the image needs of Identify Controller. */
struct nvme_ctrl_id {
	char serial[NVME_ID_SN_LEN];	      /* as the device gives it */
	char serial_text[NVME_ID_SN_LEN + 1]; /* trailing spaces cut */
	char model[NVME_ID_MN_LEN + 1];	      /* trailing spaces cut */
	uint32_t namespaces;
	uint8_t mdts;
};
void nvme_parse_ctrl(const uint8_t *id, struct nvme_ctrl_id *c);

/* What the image needs of Identify Namespace. */
struct nvme_ns_id {
	uint64_t blocks; /* NSZE */
	uint32_t block_bytes;
	uint32_t metadata; /* bytes per block */
	bool write_protected;
};
/* False when the namespace is inactive (blocks 0: why empty) or its
 * format is one the image does not drive (why says which). */
bool nvme_parse_ns(const uint8_t *id, struct nvme_ns_id *ns, char *why, size_t why_len);

/* 512-byte sectors as logical blocks of block_bytes: false when the range
 * does not start and end on a block boundary. */
bool nvme_blocks(uint64_t sector, uint32_t len, uint32_t block_bytes, uint64_t *lba,
		 uint32_t *count);

/* One command of a transfer: its PRP entries and where it starts. */
struct nvme_part {
	uint64_t prp1, prp2;
	uint32_t offset, len; /* bytes into the transfer */
};
/* A transfer of len bytes from the page-aligned addr (address == DMA
 * address), cut into commands of at most max_bytes (a multiple of
 * NVME_PAGE; MDTS), each described by PRP1 and PRP2: PRP2 the second page,
 * or a pointer into list (max_list entries at DMA address list_addr),
 * where entry i holds page i of the transfer. How many parts, at most
 * max_parts; 0 when the transfer cannot be described so. */
unsigned nvme_prps(uint64_t addr, uint32_t len, uint32_t max_bytes, uint64_t *list,
		   uint64_t list_addr, unsigned max_list, struct nvme_part *parts,
		   unsigned max_parts);

/* A read or write of count blocks from lba, command id cid. */
void nvme_rw(struct nvme_sqe *c, bool write, uint32_t nsid, uint64_t lba, uint32_t count,
	     uint16_t cid, const struct nvme_part *p);

#endif
