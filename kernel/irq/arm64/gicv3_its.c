/*
 * PCI MSIs through the GICv3 ITS (Arm IHI 0069, chapters 5 and 6). A
 * device writes an EventID (our MSI-X entry index) to GITS_TRANSLATER;
 * the ITS tags the write with the device's DeviceID (its requester ID
 * through the firmware's msi-map or IORT), finds the device's
 * interrupt translation table, and raises an LPI at the redistributor
 * of a collection. One collection, the boot CPU's, where the benchmarks
 * wait. The ITS and the redistributor read their tables from memory,
 * possibly without snooping our caches: every write to one is cleaned
 * to the point of coherency.
 */
#include <stdio.h>
#include <string.h>

#include <arch/cache.h>
#include <arch/counter.h>
#include <kernel/irq/arm64/gic.h>
#include <arch/mmio.h>
#include <vmb/arch.h>
#include <vmb/fwinfo.h>
#include <vmb/irq.h>
#include <vmb/mem.h>
#include <vmb/platform.h>
#include <arch/gic.h>

#define GITS_CTLR 0x0000
#define GITS_TYPER 0x0008
#define GITS_CBASER 0x0080
#define GITS_CWRITER 0x0088
#define GITS_CREADR 0x0090
#define GITS_BASER(n) (0x0100 + 8 * (n))
#define GITS_TRANSLATER 0x10040

#define CTLR_ENABLED (1u << 0)
#define CTLR_QUIESCENT (1u << 31)
#define TYPER_PHYSICAL (1ull << 0)
#define TYPER_PTA (1ull << 19)
#define CREADR_STALLED (1ull << 0)

#define BASER_VALID (1ull << 63)
#define BASER_TYPE(v) ((unsigned)((v) >> 56 & 7))
#define BASER_ENTRY_BYTES(v) ((unsigned)((v) >> 48 & 0x1f) + 1)
#define BASER_PAGE_SHIFT 8
#define BASER_PAGE_MASK (3ull << BASER_PAGE_SHIFT)
#define BASER_ADDR_MASK 0x0000fffffffff000ull
#define BASER_TYPE_DEVICE 1
#define BASER_TYPE_COLLECTION 4
#define BASER_MAX_PAGES 256
/* Inner write-back read/write-allocate, inner shareable: the attributes
 * of our own mapping of RAM (same bits in BASER and CBASER). */
#define ITS_MEM_ATTR (7ull << 59 | 1ull << 10)
#define REDIST_MEM_ATTR (7ull << 7 | 1ull << 10)

#define GICD_TYPER_LPIS (1u << 17)
#define GICR_PROPBASER 0x0070
#define GICR_PENDBASER 0x0078
#define GICR_CTLR_ENABLE_LPIS (1u << 0)
#define GICR_TYPER_PLPIS (1ull << 0)
#define PENDBASER_PTZ (1ull << 62)

/* 14 bits of INTID: LPIs 8192..16383, one configuration byte each. */
#define LPI_ID_BITS 14
#define LPI_PROP_BYTES ((1u << LPI_ID_BITS) - IRQ_LPI_BASE)
#define LPI_PEND_BYTES ((1u << LPI_ID_BITS) / 8)
#define LPI_ENABLED 1u
#define LPI_RES1 2u
/* EventIDs per device: the MSI-X entries a device may use. */
#define EVENT_BITS 5
#define MAX_DEVICES 16
#define CMD_BYTES 32
#define CMD_QUEUE_BYTES 4096

enum its_cmd {
	CMD_INT = 0x03,
	CMD_SYNC = 0x05,
	CMD_MAPD = 0x08,
	CMD_MAPC = 0x09,
	CMD_MAPTI = 0x0a,
	CMD_INV = 0x0c,
};

static struct {
	uint64_t base, gicd;
	struct fw_msi_map map;
	unsigned bus_end;
	bool tried, ready;
	char why[128]; /* why it is not ready, once tried */
	uint64_t typer;
	uint64_t *cmdq;
	unsigned cmd_next;
	uint64_t target; /* the collection's RDbase field: a PA or a processor number */
	uint8_t *prop;
	unsigned lpis_used;
	uint32_t devices[MAX_DEVICES];
	unsigned ndevices;
} its;

void gic_its_describe(const struct fw_info *fw)
{
	memset(&its, 0, sizeof(its));
	its.base = fw->gic_its_base;
	its.gicd = fw->gicd_base;
	its.map = fw->pci_msi_map;
	its.bus_end = fw->pci_bus_end;
}

bool gic_its_present(void)
{
	return its.base != 0;
}

static bool fail(const char *what)
{
	snprintf(its.why, sizeof(its.why), "GICv3 ITS at %#llx: %s", (unsigned long long)its.base,
		 what);
	return false;
}

static uint64_t devid_of(uint32_t rid, bool *ok)
{
	*ok = true;
	if (!its.map.count)
		return rid;
	if (rid < its.map.rid_base || rid - its.map.rid_base >= its.map.count) {
		*ok = false;
		return 0;
	}
	return its.map.devid_base + (rid - its.map.rid_base);
}

/* One command: four doublewords into the queue, then the write pointer
 * moves and the ITS works through it; false if it stalls or never does. */
static bool command(uint64_t dw0, uint64_t dw1, uint64_t dw2)
{
	uint64_t *c = its.cmdq + its.cmd_next / 8;

	c[0] = dw0;
	c[1] = dw1;
	c[2] = dw2;
	c[3] = 0;
	dcache_clean_to_poc(c, CMD_BYTES, false);
	its.cmd_next = (its.cmd_next + CMD_BYTES) % CMD_QUEUE_BYTES;
	mmio_write64(its.base + GITS_CWRITER, its.cmd_next);
	uint64_t t0 = ref_now(), limit = ref_ms(irq_lost_ms());
	for (;;) {
		uint64_t r = mmio_read64(its.base + GITS_CREADR);
		if (r & CREADR_STALLED) {
			snprintf(its.why, sizeof(its.why), "GICv3 ITS stalled on command %#llx",
				 (unsigned long long)(dw0 & 0xff));
			return false;
		}
		if ((r & 0xfffe0) == its.cmd_next)
			return true;
		if (ref_now() - t0 > limit) {
			snprintf(its.why, sizeof(its.why),
				 "GICv3 ITS did not take command %#llx within %u ms",
				 (unsigned long long)(dw0 & 0xff), irq_lost_ms());
			return false;
		}
	}
}

/* A flat table for BASER n: entries of its own size on pages of the size
 * it takes (4 KiB asked, else what it keeps), enough for `ids`. */
static bool table(unsigned n, uint64_t ids)
{
	uint64_t v = mmio_read64(its.base + GITS_BASER(n));
	static const unsigned page_bytes[4] = { 4096, 16384, 65536, 65536 };

	mmio_write64(its.base + GITS_BASER(n), v & ~BASER_PAGE_MASK);
	v = mmio_read64(its.base + GITS_BASER(n));
	unsigned psz = page_bytes[(v & BASER_PAGE_MASK) >> BASER_PAGE_SHIFT];
	uint64_t bytes = ids * BASER_ENTRY_BYTES(v);
	uint64_t pages = (bytes + psz - 1) / psz;
	if (!pages)
		pages = 1;
	if (pages > BASER_MAX_PAGES)
		pages = BASER_MAX_PAGES;
	void *mem = mem_alloc_aligned(pages * psz / 4096, psz);
	if (!mem)
		return fail("no memory for its tables");
	dcache_clean_to_poc(mem, pages * psz, false);
	uint64_t want = BASER_VALID | ITS_MEM_ATTR | (v & (7ull << 56 | 0x1full << 48)) |
			((uint64_t)(uintptr_t)mem & BASER_ADDR_MASK) | (v & BASER_PAGE_MASK) |
			(pages - 1);
	mmio_write64(its.base + GITS_BASER(n), want);
	if (!(mmio_read64(its.base + GITS_BASER(n)) & BASER_VALID))
		return fail("a table base register (GITS_BASER) did not take");
	return true;
}

/* The boot CPU's redistributor: LPIs on, their configuration and pending
 * tables ours. */
static bool redistributor(void)
{
	uint64_t rd = gicv3_redist(0);

	if (!rd)
		return fail("no redistributor for the boot CPU");
	if (!(mmio_read32(its.gicd + GICD_TYPER) & GICD_TYPER_LPIS) ||
	    !(mmio_read64(rd + GICR_TYPER) & GICR_TYPER_PLPIS))
		return fail("the GIC implements no LPIs");
	if (mmio_read32(rd + GICR_CTLR) & GICR_CTLR_ENABLE_LPIS)
		return fail("LPIs were left on by the firmware, with tables the image "
			    "cannot take over");
	its.prop = mem_alloc_pages(LPI_PROP_BYTES / 4096);
	void *pend = mem_alloc_aligned(65536 / 4096, 65536);
	if (!its.prop || !pend)
		return fail("no memory for the LPI tables");
	dcache_clean_to_poc(its.prop, LPI_PROP_BYTES, false);
	dcache_clean_to_poc(pend, LPI_PEND_BYTES, false);
	mmio_write64(rd + GICR_PROPBASER,
		     (uint64_t)(uintptr_t)its.prop | REDIST_MEM_ATTR | (LPI_ID_BITS - 1));
	mmio_write64(rd + GICR_PENDBASER,
		     (uint64_t)(uintptr_t)pend | REDIST_MEM_ATTR | PENDBASER_PTZ);
	mmio_write32(rd + GICR_CTLR, mmio_read32(rd + GICR_CTLR) | GICR_CTLR_ENABLE_LPIS);
	its.target = its.typer & TYPER_PTA ? (rd & 0x000fffffffff0000ull)
					   : (mmio_read64(rd + GICR_TYPER) >> 8 & 0xffff) << 16;
	return true;
}

static bool setup(void)
{
	uint32_t lo;

	if (!arm64_probe32(its.base + GITS_TYPER, &lo))
		return fail("not accessible");
	its.typer = mmio_read64(its.base + GITS_TYPER);
	if (!(its.typer & TYPER_PHYSICAL))
		return fail("no physical LPIs (GITS_TYPER.Physical)");
	if (!redistributor())
		return false;

	/* Off and quiescent before its registers change. */
	mmio_write32(its.base + GITS_CTLR, mmio_read32(its.base + GITS_CTLR) & ~CTLR_ENABLED);
	uint64_t t0 = ref_now();
	while (!(mmio_read32(its.base + GITS_CTLR) & CTLR_QUIESCENT))
		if (ref_now() - t0 > ref_ms(irq_lost_ms()))
			return fail("does not become quiescent");

	unsigned devbits = (unsigned)(its.typer >> 13 & 0x1f) + 1;
	/* DeviceIDs up to the last the map gives, or, with no map (DeviceID =
	 * requester ID), the last function on the buses the tables name. */
	uint64_t ids = its.map.count ? (uint64_t)its.map.devid_base + its.map.count
				     : ((uint64_t)its.bus_end << 8 | 0xff) + 1;
	if (ids > 1ull << devbits)
		ids = 1ull << devbits;
	for (unsigned n = 0; n < 8; n++) {
		uint64_t v = mmio_read64(its.base + GITS_BASER(n));
		if (BASER_TYPE(v) == BASER_TYPE_DEVICE && !table(n, ids))
			return false;
		if (BASER_TYPE(v) == BASER_TYPE_COLLECTION && !table(n, 1))
			return false;
	}

	its.cmdq = mem_alloc_pages(CMD_QUEUE_BYTES / 4096);
	if (!its.cmdq)
		return fail("no memory for its command queue");
	dcache_clean_to_poc(its.cmdq, CMD_QUEUE_BYTES, false);
	mmio_write64(its.base + GITS_CBASER,
		     BASER_VALID | ITS_MEM_ATTR |
			     ((uint64_t)(uintptr_t)its.cmdq & BASER_ADDR_MASK) |
			     (CMD_QUEUE_BYTES / 4096 - 1));
	its.cmd_next = 0;
	mmio_write64(its.base + GITS_CWRITER, 0);
	mmio_write32(its.base + GITS_CTLR, mmio_read32(its.base + GITS_CTLR) | CTLR_ENABLED);

	/* Collection 0: the boot CPU. */
	return command(CMD_MAPC, 0, BASER_VALID | its.target) && command(CMD_SYNC, 0, its.target);
}

/* A device's interrupt translation table, once; false (and why) when
 * there is no room for it, -1 when the command failed. */
static int map_device(uint64_t devid, char *why, size_t len)
{
	for (unsigned i = 0; i < its.ndevices; i++)
		if (its.devices[i] == devid)
			return 1;
	unsigned ite = (unsigned)(its.typer >> 4 & 0xf) + 1;
	void *itt = its.ndevices < MAX_DEVICES
			    ? mem_alloc_pages(((ite << EVENT_BITS) + 4095) / 4096)
			    : NULL;
	if (!itt) {
		snprintf(why, len, "GICv3 ITS: no room for a translation table (%u devices)",
			 its.ndevices);
		return 0;
	}
	dcache_clean_to_poc(itt, (size_t)ite << EVENT_BITS, false);
	if (!command(CMD_MAPD | devid << 32, EVENT_BITS - 1,
		     BASER_VALID | ((uint64_t)(uintptr_t)itt & 0x000fffffffffff00ull)))
		return -1;
	its.devices[its.ndevices++] = (uint32_t)devid;
	return 1;
}

struct int_cmd {
	uint64_t devid;
	unsigned entry;
	bool sent; /* else its.why says which command failed */
};

static bool send_int(void *arg)
{
	struct int_cmd *c = arg;

	c->sent =
		command(CMD_INT | c->devid << 32, c->entry, 0) && command(CMD_SYNC, 0, its.target);
	return c->sent;
}

/* The translation a device's write will take, tried by the ITS's own INT
 * command: the LPI must reach its handler here, as the SGI and timer did
 * at boot (kernel/irq/arm64/irq.c). */
static bool self_test(uint64_t devid, unsigned entry, unsigned lpi)
{
	struct int_cmd c = { devid, entry, false };

	if (gic_irq_arrives(lpi, send_int, &c, irq_lost_ms()))
		return true;
	if (c.sent)
		snprintf(its.why, sizeof(its.why),
			 "GICv3 ITS: the LPI of an INT command (LPI %u, DeviceID %#llx, event "
			 "%u) did not arrive within %u ms, so its MSIs are not used",
			 lpi, (unsigned long long)devid, entry, irq_lost_ms());
	return false;
}

bool gic_its_route(uint32_t rid, unsigned entry, struct msi_route *r, char *why, size_t len)
{
	if (!its.tried) {
		its.tried = true;
		its.ready = setup();
	}
	if (!its.ready) {
		snprintf(why, len, "%s", its.why);
		return false;
	}
	bool ok;
	uint64_t devid = devid_of(rid, &ok);
	if (!ok) {
		snprintf(why, len, "requester ID %#x is outside the firmware's MSI map", rid);
		return false;
	}
	if (entry >= 1u << EVENT_BITS || its.lpis_used >= IRQ_LPI_SLOTS) {
		snprintf(why, len, "GICv3 ITS: no LPI left for MSI-X entry %u", entry);
		return false;
	}
	unsigned lpi = IRQ_LPI_BASE + its.lpis_used;
	its.prop[lpi - IRQ_LPI_BASE] = GIC_PRIO_NORMAL | LPI_RES1 | LPI_ENABLED;
	dcache_clean_to_poc(&its.prop[lpi - IRQ_LPI_BASE], 1, false);
	int mapped = map_device(devid, why, len);
	if (!mapped)
		return false;
	if (mapped < 0 || !command(CMD_MAPTI | devid << 32, entry | (uint64_t)lpi << 32, 0) ||
	    !command(CMD_INV | devid << 32, entry, 0) || !command(CMD_SYNC, 0, its.target)) {
		snprintf(why, len, "%s", its.why);
		its.ready = false; /* a command failed: the queue cannot be trusted */
		return false;
	}
	if (!self_test(devid, entry, lpi)) {
		snprintf(why, len, "%s", its.why);
		its.ready = false; /* no device's MSI would arrive either */
		return false;
	}
	its.lpis_used++;
	r->irq = lpi;
	r->addr = its.base + GITS_TRANSLATER;
	r->data = entry;
	r->via = "GICv3 ITS LPI";
	return true;
}
