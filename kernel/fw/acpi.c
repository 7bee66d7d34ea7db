/*
 * ACPI tables (ACPI 6.x, chapter 5): RSDP, XSDT/RSDT, and the few tables
 * vmbench reads (SPCR, MADT, FADT, MCFG, HPET, IORT). Every table is mapped for its
 * header first, then for its claimed length, and checksummed; fields are
 * read only when the table is long enough to hold them.
 */
#include <stdio.h>
#include <string.h>

#include <vmb/acpi.h>

#define RSDP_V1_LEN 20u
#define RSDP_V2_LEN 36u
#define MAX_TABLE_LEN (16u << 20)

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t rd64(const uint8_t *p)
{
	return rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

static uint8_t checksum(const uint8_t *p, uint32_t len)
{
	uint8_t sum = 0;

	for (uint32_t i = 0; i < len; i++)
		sum += p[i];
	return sum;
}

struct acpi_map_ctx {
	acpi_map_fn map;
	void *ctx;
};

/* A whole table at phys with a valid length and checksum, or NULL. */
static const uint8_t *map_table(const struct acpi_map_ctx *m, uint64_t phys, uint32_t *len)
{
	const uint8_t *h = m->map(phys, ACPI_SDT_HEADER, m->ctx);

	if (!h)
		return NULL;
	uint32_t l = rd32(h + 4);
	if (l < ACPI_SDT_HEADER || l > MAX_TABLE_LEN)
		return NULL;
	const uint8_t *t = m->map(phys, l, m->ctx);
	if (!t || checksum(t, l))
		return NULL;
	*len = l;
	return t;
}

int acpi_open(struct acpi *a, uint64_t rsdp_phys, acpi_map_fn map, void *ctx)
{
	struct acpi_map_ctx m = { map, ctx };
	const uint8_t *r = map(rsdp_phys, RSDP_V1_LEN, ctx);
	uint32_t len;

	memset(a, 0, sizeof(*a));
	a->map = map;
	a->ctx = ctx;
	if (!r)
		return ACPI_ERR_MAP;
	if (memcmp(r, "RSD PTR ", 8))
		return ACPI_ERR_SIGNATURE;
	if (checksum(r, RSDP_V1_LEN))
		return ACPI_ERR_CHECKSUM;
	memcpy(a->rsdp_oem_id, r + 9, 6);

	/* Revision 2+ has the XSDT; fall back to the RSDT if it is unusable. */
	if (r[15] >= 2) {
		const uint8_t *r2 = map(rsdp_phys, RSDP_V2_LEN, ctx);
		if (r2 && rd32(r2 + 20) >= RSDP_V2_LEN && rd32(r2 + 20) <= 4096) {
			const uint8_t *full = map(rsdp_phys, rd32(r2 + 20), ctx);
			uint64_t xsdt = rd64(r2 + 24);
			const uint8_t *t;
			/* The checksum and an entry-sized length vouch for the
			 * table; a wrong signature alone is a firmware slip. */
			if (full && !checksum(full, rd32(r2 + 20)) && xsdt &&
			    (t = map_table(&m, xsdt, &len)) && (len - ACPI_SDT_HEADER) % 8 == 0) {
				a->root = xsdt;
				a->entry_size = 8;
				a->nentries = (len - ACPI_SDT_HEADER) / 8;
				a->xsdt_bad_signature = memcmp(t, "XSDT", 4) != 0;
			}
		}
	}
	if (!a->root) {
		uint64_t rsdt = rd32(r + 16);
		const uint8_t *t = rsdt ? map_table(&m, rsdt, &len) : NULL;
		if (!t)
			return rsdt ? ACPI_ERR_CHECKSUM : ACPI_ERR_NOTFOUND;
		if (memcmp(t, "RSDT", 4))
			return ACPI_ERR_SIGNATURE;
		a->root = rsdt;
		a->entry_size = 4;
		a->nentries = (len - ACPI_SDT_HEADER) / 4;
	}
	const uint8_t *root = map(a->root, ACPI_SDT_HEADER, ctx);
	memcpy(a->oem_id, root + 10, 6);
	memcpy(a->oem_table_id, root + 16, 8);
	return ACPI_OK;
}

const void *acpi_find_table(const struct acpi *a, const char *sig, int n, uint32_t *len)
{
	struct acpi_map_ctx m = { a->map, a->ctx };
	uint32_t root_len;
	const uint8_t *root = a->root ? map_table(&m, a->root, &root_len) : NULL;

	if (!root)
		return NULL;
	for (unsigned i = 0; i < a->nentries; i++) {
		const uint8_t *e = root + ACPI_SDT_HEADER + (size_t)i * (unsigned)a->entry_size;
		uint64_t phys = a->entry_size == 8 ? rd64(e) : rd32(e);
		uint32_t l;
		const uint8_t *t = phys ? map_table(&m, phys, &l) : NULL;
		if (t && !memcmp(t, sig, 4) && n-- == 0) {
			if (len)
				*len = l;
			return t;
		}
	}
	return NULL;
}

static void trim_copy(char *dst, const char *src, size_t n)
{
	size_t len = 0;

	for (size_t i = 0; i < n && src[i]; i++)
		dst[len++] = (src[i] >= 0x20 && src[i] < 0x7f) ? src[i] : '?';
	while (len && dst[len - 1] == ' ')
		len--;
	dst[len] = 0;
}

static void scan_spcr(const uint8_t *t, uint32_t len, struct fw_info *info)
{
	static const uint32_t bauds[8] = { 0, 0, 0, 9600, 19200, 0, 57600, 115200 };

	if (len < 80 || info->uart.kind != UART_NONE)
		return;
	uint8_t type = t[36], space = t[40], width = t[41], access = t[43];
	uint64_t addr = rd64(t + 44);
	struct fw_uart u = { .addr = addr };

	switch (type) {
	case 0x00: /* 16550 */
	case 0x01: /* 16450 */
	case 0x09: /* APM88xxxx (X-Gene): 16550 registers, 32-bit apart */
	case 0x13: /* 16550 described by the GAS */
		u.kind = UART_16550;
		if (access == 3 || width == 32 || type == 0x09) {
			u.reg_shift = 2;
			u.reg_width = 4;
		} else {
			u.reg_width = 1;
		}
		break;
	case 0x03: /* ARM PL011 */
		u.kind = UART_PL011;
		u.reg_width = 4;
		break;
	case 0x0e: /* ARM SBSA generic UART, 32-bit only */
	case 0x0f: /* ARM SBSA generic UART */
		u.sbsa = true;
		u.kind = UART_PL011;
		u.reg_width = 4;
		break;
	default:
		return;
	}
	if (space == 0)
		u.space = UART_SPACE_MMIO;
	else if (space == 1 && u.kind == UART_16550 && addr <= 0xfff8)
		u.space = UART_SPACE_PIO;
	else
		return;
	if (!addr)
		return;
	u.baud = t[58] < 8 ? bauds[t[58]] : 0;
	snprintf(u.source, sizeof(u.source), "spcr");
	info->uart = u;
}

static void madt_cpu(struct fw_info *info, uint64_t hwid, enum cpu_method m, uint64_t gicr)
{
	if (info->ncpu < FW_MAX_CPUS)
		info->cpu[info->ncpu++] = (struct fw_cpu){
			.hwid = hwid,
			.method = m,
			.gicr_base = gicr,
		};
}

static void scan_madt(const uint8_t *t, uint32_t len, struct fw_info *info)
{
	unsigned cpus = 0;

	if (len < 44)
		return;
	info->lapic_base = rd32(t + 36);
	for (uint32_t off = 44; off + 2 <= len;) {
		const uint8_t *e = t + off;
		uint8_t type = e[0], elen = e[1];
		if (elen < 2 || off + elen > len)
			break; /* a zero length would loop; past the end is corrupt */
		switch (type) {
		case 0x0: /* processor local APIC */
			if (elen >= 8 && (rd32(e + 4) & 1)) {
				cpus++;
				madt_cpu(info, e[3], CPU_METHOD_SIPI, 0);
			}
			break;
		case 0x5: /* local APIC address override */
			if (elen >= 12)
				info->lapic_base = rd64(e + 4);
			break;
		case 0x9: /* processor local x2APIC */
			if (elen >= 16 && (rd32(e + 8) & 1)) {
				cpus++;
				madt_cpu(info, rd32(e + 4), CPU_METHOD_SIPI, 0);
			}
			break;
		case 0xb: /* GICC */
			if (elen >= 76 && (rd32(e + 12) & 1)) {
				cpus++;
				/* PSCI is the only method ACPI names for arm64. */
				madt_cpu(info, rd64(e + 68) & 0xff00ffffffull, CPU_METHOD_PSCI,
					 rd64(e + 60));
				if (!info->gicc_base)
					info->gicc_base = rd64(e + 32);
				if (!info->gicv_base)
					info->gicv_base = rd64(e + 40);
				if (!info->gich_base)
					info->gich_base = rd64(e + 48);
				if (!info->gicr_base && rd64(e + 60))
					info->gicr_base = rd64(e + 60);
			}
			break;
		case 0xc: /* GICD */
			if (elen >= 24) {
				info->gicd_base = rd64(e + 8);
				info->gic_version = e[20];
			}
			break;
		case 0xd: /* GIC MSI frame (GICv2m); flags bit 0: its SPIs here */
			if (elen >= 24 && !info->gic_v2m_base && rd64(e + 8)) {
				info->gic_v2m_base = rd64(e + 8);
				unsigned first = rd16(e + 22), count = rd16(e + 20);
				if ((rd32(e + 16) & 1) && fw_gic_spi_range(first, count)) {
					info->gic_v2m_spi_base = first;
					info->gic_v2m_spi_count = count;
				}
			}
			break;
		case 0xe: /* GICR discovery range */
			if (elen >= 16)
				info->gicr_base = rd64(e + 4);
			break;
		case 0xf: /* GIC ITS */
			if (elen >= 20 && !info->gic_its_base)
				info->gic_its_base = rd64(e + 8);
			break;
		}
		off += elen;
	}
	if (cpus)
		info->cpus = cpus;
	else
		info->ncpu = 0;
}

static void scan_fadt(const uint8_t *t, uint32_t len, struct fw_info *info)
{
	if (len >= 80) {
		uint32_t port = rd32(t + 76);
		if (len >= 220 && rd64(t + 212)) {
			/* X_PM_TMR_BLK: system I/O or memory space. */
			if (t[208] == 1 && rd64(t + 212) <= 0xfffc)
				info->pm_timer_port = (uint32_t)rd64(t + 212);
			else if (t[208] == 0)
				info->pm_timer_mmio = rd64(t + 212);
		} else if (port && port <= 0xfffc) {
			info->pm_timer_port = port;
		}
	}
	if (len >= 116)
		info->pm_timer_32bit = rd32(t + 112) & (1u << 8);
	if (len >= 129 && (rd32(t + 112) & (1u << 10))) {
		info->reset_reg_valid = true;
		info->reset_reg_space = t[116];
		info->reset_reg_addr = rd64(t + 120);
		info->reset_value = t[128];
	}
	if (len >= 131 && info->psci == PSCI_NONE) {
		uint16_t arm = rd16(t + 129);
		if (arm & 1)
			info->psci = (arm & 2) ? PSCI_HVC : PSCI_SMC;
	}
}

/* MCFG: one allocation per segment and bus range; segment 0's is ours. */
static void scan_mcfg(const uint8_t *t, uint32_t len, struct fw_info *info)
{
	for (uint32_t off = 44; off + 16 <= len; off += 16) {
		const uint8_t *e = t + off;
		if (rd16(e + 8) != 0 || !rd64(e) || e[10] > e[11])
			continue;
		info->pci_ecam_base = rd64(e);
		info->pci_bus_start = e[10];
		info->pci_bus_end = e[11];
		return;
	}
}

#define IORT_ITS_GROUP 0
#define IORT_ROOT_COMPLEX 2
#define IORT_MAX_HOPS 4
#define IORT_SINGLE_MAPPING 1u

/* IORT (Arm DEN 0049): the ID mapping of PCI segment 0's root complex,
 * followed through any SMMU to the ITS group it ends in, as one range of
 * requester IDs to ITS DeviceIDs. */
static bool iort_node(const uint8_t *t, uint32_t len, uint32_t off, const uint8_t **node)
{
	if (off < ACPI_SDT_HEADER || off > len || len - off < 16 || rd16(t + off + 1) < 16 ||
	    rd16(t + off + 1) > len - off)
		return false;
	*node = t + off;
	return true;
}

/* Where node's mappings send id: the output id and the offset of the
 * node it goes to next. */
static bool iort_map(uint32_t len, const uint8_t *node, uint32_t id, uint32_t *out, uint32_t *next)
{
	uint32_t nlen = rd16(node + 1), n = rd32(node + 8), at = rd32(node + 12);

	for (uint32_t i = 0; i < n && i < 256; i++) {
		uint32_t m = at + i * 20;
		if (m < 16 || m > nlen || nlen - m < 20)
			return false;
		const uint8_t *e = node + m;
		uint32_t base = rd32(e), span = rd32(e + 4); /* span: ids minus one */
		if (rd32(e + 16) & IORT_SINGLE_MAPPING)
			continue; /* the node's own interrupts, not its requesters' */
		if (id >= base && id - base <= span) {
			*out = rd32(e + 8) + (id - base);
			*next = rd32(e + 12);
			return *next < len;
		}
	}
	return false;
}

/* The root complex's first mapping, followed to the ITS group from both
 * its ends; it is one map only if both ends arrive there the same span
 * apart. */
static void iort_follow(const uint8_t *t, uint32_t len, const uint8_t *rc, struct fw_info *info)
{
	uint32_t nlen = rd16(rc + 1), at = rd32(rc + 12);

	if (!rd32(rc + 8) || at < 16 || at > nlen || nlen - at < 20)
		return;
	uint32_t first = rd32(rc + at), span = rd32(rc + at + 4);
	if (span == UINT32_MAX || first > UINT32_MAX - span)
		return; /* a count of 2^32, or past the last id: not one we can hold */
	uint32_t lo = first, hi = first + span;
	const uint8_t *node = rc;
	for (unsigned hop = 0; hop < IORT_MAX_HOPS; hop++) {
		uint32_t next_lo, next_hi;
		if (!iort_map(len, node, lo, &lo, &next_lo) ||
		    !iort_map(len, node, hi, &hi, &next_hi) || next_lo != next_hi ||
		    !iort_node(t, len, next_lo, &node))
			return;
		if (node[0] == IORT_ITS_GROUP) {
			if (hi - lo == span)
				info->pci_msi_map = (struct fw_msi_map){ .rid_base = first,
									 .devid_base = lo,
									 .count = span + 1 };
			return;
		}
	}
}

static void scan_iort(const uint8_t *t, uint32_t len, struct fw_info *info)
{
	if (len < 48)
		return;
	uint32_t nodes = rd32(t + 36), off = rd32(t + 40);
	const uint8_t *node;

	for (uint32_t i = 0; i < nodes && i < 256 && iort_node(t, len, off, &node); i++) {
		if (node[0] == IORT_ROOT_COMPLEX && rd16(node + 1) >= 32 && rd32(node + 28) == 0) {
			iort_follow(t, len, node, info);
			return;
		}
		off += rd16(node + 1);
	}
}

static void scan_hpet(const uint8_t *t, uint32_t len, struct fw_info *info)
{
	if (len >= 52 && t[40] == 0 && rd64(t + 44))
		info->hpet_base = rd64(t + 44);
}

int acpi_scan(uint64_t rsdp_phys, acpi_map_fn map, void *ctx, struct fw_info *info)
{
	struct acpi a;
	uint32_t len;
	const uint8_t *t;
	int err = acpi_open(&a, rsdp_phys, map, ctx);

	if (err)
		return err;
	info->have_acpi = true;
	char oem[7], table[9];
	const uint8_t *fadt = acpi_find_table(&a, "FACP", 0, &len);
	/* A root table with a broken header has no trustworthy OEM fields. */
	const char *ids_from = a.xsdt_bad_signature && fadt ? (const char *)fadt + 10 : NULL;
	trim_copy(oem, ids_from ? ids_from : a.oem_id, 6);
	trim_copy(table, ids_from ? ids_from + 6 : a.oem_table_id, 8);
	if (a.xsdt_bad_signature && !ids_from) {
		/* Nothing better than the RSDP's own OEM ID. */
		trim_copy(oem, a.rsdp_oem_id, 6);
		table[0] = 0;
	}
	if (!info->model[0])
		snprintf(info->model, sizeof(info->model), "%s%s%s", oem, table[0] ? " " : "",
			 table);
	info->acpi_xsdt_bad_signature = a.xsdt_bad_signature;
	if (!strcmp(oem, "BOCHS") || !strncmp(table, "BXPC", 4))
		info->qemu = true;

	if ((t = acpi_find_table(&a, "SPCR", 0, &len)))
		scan_spcr(t, len, info);
	if ((t = acpi_find_table(&a, "APIC", 0, &len)))
		scan_madt(t, len, info);
	if ((t = acpi_find_table(&a, "FACP", 0, &len)))
		scan_fadt(t, len, info);
	if ((t = acpi_find_table(&a, "MCFG", 0, &len)))
		scan_mcfg(t, len, info);
	if ((t = acpi_find_table(&a, "HPET", 0, &len)))
		scan_hpet(t, len, info);
	if ((t = acpi_find_table(&a, "IORT", 0, &len)))
		scan_iort(t, len, info);
	return ACPI_OK;
}
