/* NVMe's plain-C parts (drivers/blk/nvme_cmd.c): Identify parsing, 512-byte
 * sectors as logical blocks, PRPs cut at MDTS, commands. */
#include <string.h>

#include <drivers/blk/nvme.h>

#include "check.h"

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> 8 * i);
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

static uint64_t list[512] __attribute__((aligned(4096)));

int main(void)
{
	static uint8_t id[4096];
	char why[128];

	/* Identify Controller: the serial as the device pads it, the model cut. */
	struct nvme_ctrl_id c;
	memset(id, ' ', 64);
	memcpy(id + NVME_ID_SN, "vmbench-scratch", 15);
	memcpy(id + NVME_ID_MN, "QEMU NVMe Ctrl", 14);
	id[NVME_ID_MDTS] = 7;
	put32(id + NVME_ID_NN, 256);
	nvme_parse_ctrl(id, &c);
	CHECK(!memcmp(c.serial, "vmbench-scratch     ", 20));
	CHECK_STR(c.serial_text, "vmbench-scratch");
	CHECK_STR(c.model, "QEMU NVMe Ctrl");
	/* A serial that fills its 20 bytes; a model padded with NULs. */
	memcpy(id + NVME_ID_SN, "S3Z9NB0K123456A12345", 20);
	memset(id + NVME_ID_MN, 0, NVME_ID_MN_LEN);
	memcpy(id + NVME_ID_MN, "X", 1);
	nvme_parse_ctrl(id, &c);
	CHECK_STR(c.serial_text, "S3Z9NB0K123456A12345");
	CHECK_STR(c.model, "X");
	CHECK_EQ_U(c.mdts, 7);
	CHECK_EQ_U(c.namespaces, 256);

	/* Identify Namespace: inactive, 512 and 4096-byte formats, write
	 * protection, formats the image refuses. */
	struct nvme_ns_id ns;
	memset(id, 0, sizeof(id));
	CHECK(!nvme_parse_ns(id, &ns, why, sizeof(why)));
	CHECK_EQ_U(why[0], 0); /* inactive: nothing to say */
	put64(id + NVME_NS_NSZE, 131072);
	id[NVME_NS_NLBAF] = 1; /* two formats */
	put32(id + NVME_NS_LBAF, 9u << 16);
	put32(id + NVME_NS_LBAF + 4, 12u << 16);
	CHECK(nvme_parse_ns(id, &ns, why, sizeof(why)));
	CHECK_EQ_U(ns.blocks, 131072);
	CHECK_EQ_U(ns.block_bytes, 512);
	CHECK(!ns.write_protected);
	id[NVME_NS_FLBAS] = 1;
	id[NVME_NS_NSATTR] = 1;
	CHECK(nvme_parse_ns(id, &ns, why, sizeof(why)));
	CHECK_EQ_U(ns.block_bytes, 4096);
	CHECK(ns.write_protected);
	id[NVME_NS_FLBAS] = 2; /* beyond NLBAF */
	CHECK(!nvme_parse_ns(id, &ns, why, sizeof(why)));
	CHECK(strstr(why, "LBA format 2") != NULL);
	id[NVME_NS_FLBAS] = 0x11; /* format 1 with metadata at the end of each block */
	put32(id + NVME_NS_LBAF + 4, 12u << 16 | 8);
	CHECK(!nvme_parse_ns(id, &ns, why, sizeof(why)));
	CHECK(strstr(why, "metadata") != NULL);
	put32(id + NVME_NS_LBAF + 4, 13u << 16); /* 8 KiB blocks */
	CHECK(!nvme_parse_ns(id, &ns, why, sizeof(why)));
	/* More than 16 formats: FLBAS bits 6:5 are the upper bits. */
	id[NVME_NS_NLBAF] = 19;
	id[NVME_NS_FLBAS] = 0x22; /* format 0x12 */
	put32(id + NVME_NS_LBAF + 4 * 0x12, 12u << 16);
	CHECK(nvme_parse_ns(id, &ns, why, sizeof(why)));
	CHECK_EQ_U(ns.block_bytes, 4096);

	/* Sectors as blocks. */
	uint64_t lba;
	uint32_t count;
	CHECK(nvme_blocks(24, 4096, 512, &lba, &count));
	CHECK_EQ_U(lba, 24);
	CHECK_EQ_U(count, 8);
	CHECK(nvme_blocks(2048, 1 << 20, 4096, &lba, &count));
	CHECK_EQ_U(lba, 256);
	CHECK_EQ_U(count, 256);
	CHECK(!nvme_blocks(4, 4096, 4096, &lba, &count)); /* not on a block */
	CHECK(!nvme_blocks(8, 512, 4096, &lba, &count));  /* part of a block */
	CHECK(!nvme_blocks(8, 0, 512, &lba, &count));	  /* nothing */

	/* PRPs: one page (no PRP2), two pages (PRP2 the second), more (PRP2 a
	 * pointer into the list at the second page's entry). */
	struct nvme_part p[256];
	uint64_t buf = 0x40000000, la = (uintptr_t)list;
	CHECK_EQ_U(nvme_prps(buf, 4096, 1 << 20, list, la, 512, p, 256), 1);
	CHECK_EQ_U(p[0].prp1, buf);
	CHECK_EQ_U(p[0].prp2, 0);
	CHECK_EQ_U(nvme_prps(buf, 512, 1 << 20, list, la, 512, p, 256), 1); /* a sector */
	CHECK_EQ_U(p[0].len, 512);
	CHECK_EQ_U(nvme_prps(buf, 8192, 1 << 20, list, la, 512, p, 256), 1);
	CHECK_EQ_U(p[0].prp2, buf + 4096);
	CHECK_EQ_U(nvme_prps(buf, 1 << 20, 1 << 20, list, la, 512, p, 256), 1);
	CHECK_EQ_U(p[0].prp2, la + 8);
	CHECK_EQ_U(list[1], buf + 4096);
	CHECK_EQ_U(list[255], buf + 255 * 4096);
	/* Cut at MDTS 512 KiB: two commands, the second's list from page 129. */
	CHECK_EQ_U(nvme_prps(buf, 1 << 20, 512 << 10, list, la, 512, p, 256), 2);
	CHECK_EQ_U(p[1].offset, 512 << 10);
	CHECK_EQ_U(p[1].len, 512 << 10);
	CHECK_EQ_U(p[1].prp1, buf + 128 * 4096);
	CHECK_EQ_U(p[1].prp2, la + 129 * 8);
	CHECK_EQ_U(list[129], buf + 129 * 4096);
	/* At 8 KiB per command: 128 parts, each PRP1 and PRP2 plain pages. */
	CHECK_EQ_U(nvme_prps(buf, 1 << 20, 8192, list, la, 512, p, 256), 128);
	CHECK_EQ_U(p[127].prp1, buf + 254 * 4096);
	CHECK_EQ_U(p[127].prp2, buf + 255 * 4096);
	/* A last part shorter than the rest, of one page. */
	CHECK_EQ_U(nvme_prps(buf, 3 * 4096, 8192, list, la, 512, p, 256), 2);
	CHECK_EQ_U(p[1].len, 4096);
	CHECK_EQ_U(p[1].prp2, 0);
	/* What cannot be described: unaligned, empty, too many parts or
	 * pages, a list that would cross its page. */
	CHECK_EQ_U(nvme_prps(buf + 512, 4096, 1 << 20, list, la, 512, p, 256), 0);
	CHECK_EQ_U(nvme_prps(buf, 0, 1 << 20, list, la, 512, p, 256), 0);
	CHECK_EQ_U(nvme_prps(buf, 1 << 20, 8192, list, la, 512, p, 64), 0);
	CHECK_EQ_U(nvme_prps(buf, 1 << 20, 1 << 20, list, la, 128, p, 256), 0);
	CHECK_EQ_U(nvme_prps(buf, 8192, 1 << 20, list, la + 8, 512, p, 256), 0);
	CHECK_EQ_U(nvme_prps(buf, 8192, 1000, list, la, 512, p, 256), 0);

	/* A read: opcode, command id, namespace, LBA halves, 0-based count. */
	struct nvme_sqe s;
	struct nvme_part part = { .prp1 = buf, .prp2 = buf + 4096 };
	nvme_rw(&s, false, 1, 0x123456789ull, 16, 37, &part);
	CHECK_EQ_U(s.cdw0, NVME_CMD_READ | 37u << 16);
	CHECK_EQ_U(s.nsid, 1);
	CHECK_EQ_U(s.cdw10, 0x23456789u);
	CHECK_EQ_U(s.cdw11, 0x1);
	CHECK_EQ_U(s.cdw12, 15);
	CHECK_EQ_U(s.prp2, buf + 4096);
	nvme_rw(&s, true, 2, 0, 1, 0, &part);
	CHECK_EQ_U(s.cdw0, NVME_CMD_WRITE);
	CHECK_EQ_U(s.cdw12, 0);

	/* Completion status: the phase tag is not a failure. */
	CHECK(!NVME_CQE_FAILED(NVME_CQE_PHASE));
	CHECK(NVME_CQE_FAILED(0x0002 << 1 | NVME_CQE_PHASE)); /* invalid field */
	CHECK(NVME_CQE_FAILED(1u << 9));		      /* a type alone */
	return check_report("nvme");
}
