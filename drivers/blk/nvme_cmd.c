/* NVMe's plain-C parts (nvme.h): Identify parsing, LBAs, PRPs, commands. */
#include <stdio.h>
#include <string.h>

#include <drivers/blk/blkdev.h>
#include <drivers/blk/nvme.h>

/* Little-endian fields, read bytewise: the buffers are the device's. */
static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	return le32(p) | (uint64_t)le32(p + 4) << 32;
}

/* An ASCII field without its padding (spaces, or NULs), as a string. */
static void text(char *out, const uint8_t *field, size_t len)
{
	size_t n = 0;

	while (n < len && field[n])
		n++;
	while (n && field[n - 1] == ' ')
		n--;
	memcpy(out, field, n);
	out[n] = 0;
}

void nvme_parse_ctrl(const uint8_t *id, struct nvme_ctrl_id *c)
{
	memcpy(c->serial, id + NVME_ID_SN, NVME_ID_SN_LEN);
	text(c->serial_text, id + NVME_ID_SN, NVME_ID_SN_LEN);
	text(c->model, id + NVME_ID_MN, NVME_ID_MN_LEN);
	c->namespaces = le32(id + NVME_ID_NN);
	c->mdts = id[NVME_ID_MDTS];
}

bool nvme_parse_ns(const uint8_t *id, struct nvme_ns_id *ns, char *why, size_t why_len)
{
	unsigned nlbaf = id[NVME_NS_NLBAF], flbas = id[NVME_NS_FLBAS];
	/* Bits 3:0 name the format; with more than 16 formats (NVMe 2.0),
	 * bits 6:5 are its upper bits. */
	unsigned index = (flbas & 0xf) | (nlbaf >= 16 ? (flbas >> 5 & 3) << 4 : 0);

	*ns = (struct nvme_ns_id){ .blocks = le64(id + NVME_NS_NSZE) };
	why[0] = 0;
	if (!ns->blocks)
		return false; /* inactive */
	if (index > nlbaf) {
		snprintf(why, why_len, "LBA format %u of %u", index, nlbaf + 1);
		return false;
	}
	uint32_t lbaf = le32(id + NVME_NS_LBAF + 4 * index);
	unsigned lbads = lbaf >> 16 & 0xff;
	ns->metadata = lbaf & 0xffff;
	ns->write_protected = id[NVME_NS_NSATTR] & 1;
	if (lbads < 9 || lbads > 12) {
		snprintf(why, why_len, "blocks of 2^%u bytes; the image drives 512 to 4096", lbads);
		return false;
	}
	ns->block_bytes = 1u << lbads;
	if (ns->metadata) {
		snprintf(why, why_len, "%u bytes of metadata per block; the image drives none",
			 ns->metadata);
		return false;
	}
	return true;
}

bool nvme_blocks(uint64_t sector, uint32_t len, uint32_t block_bytes, uint64_t *lba,
		 uint32_t *count)
{
	uint32_t per = block_bytes / BLKDEV_SECTOR;

	if (!per || sector % per || !len || len % block_bytes)
		return false;
	*lba = sector / per;
	*count = len / block_bytes;
	return true;
}

unsigned nvme_prps(uint64_t addr, uint32_t len, uint32_t max_bytes, uint64_t *list,
		   uint64_t list_addr, unsigned max_list, struct nvme_part *parts,
		   unsigned max_parts)
{
	uint32_t pages = (len + NVME_PAGE - 1) / NVME_PAGE;

	/* The list within one page: no chain pointers. */
	if (addr % NVME_PAGE || !len || !max_bytes || max_bytes % NVME_PAGE || pages > max_list ||
	    list_addr % 8 || list_addr % NVME_PAGE + (uint64_t)max_list * 8 > NVME_PAGE)
		return 0;
	unsigned n = (len + max_bytes - 1) / max_bytes;
	if (n > max_parts)
		return 0;
	/* The whole transfer's pages in one list, each part pointing into it
	 * at its own second page. */
	for (uint32_t i = 0; i < pages; i++)
		list[i] = addr + (uint64_t)i * NVME_PAGE;
	for (unsigned k = 0; k < n; k++) {
		uint32_t off = k * max_bytes, bytes = len - off < max_bytes ? len - off : max_bytes;
		uint32_t first = off / NVME_PAGE, npages = (bytes + NVME_PAGE - 1) / NVME_PAGE;
		parts[k].offset = off;
		parts[k].len = bytes;
		parts[k].prp1 = list[first];
		parts[k].prp2 = npages == 1   ? 0
				: npages == 2 ? list[first + 1]
					      : list_addr + (uint64_t)(first + 1) * 8;
	}
	return n;
}

void nvme_rw(struct nvme_sqe *c, bool write, uint32_t nsid, uint64_t lba, uint32_t count,
	     uint16_t cid, const struct nvme_part *p)
{
	*c = (struct nvme_sqe){
		.cdw0 = (uint32_t)(write ? NVME_CMD_WRITE : NVME_CMD_READ) | (uint32_t)cid << 16,
		.nsid = nsid,
		.prp1 = p->prp1,
		.prp2 = p->prp2,
		.cdw10 = (uint32_t)lba,
		.cdw11 = (uint32_t)(lba >> 32),
		.cdw12 = count - 1, /* 0-based */
	};
}
