/*
 * The AHCI engine (AHCI 1.3.1): a controller reset and enabled, its
 * ports' links waited for, one port at a time given a command list, a
 * received-FIS area and a command table per slot, and commands run
 * through them: IDENTIFY DEVICE, then READ/WRITE FPDMA QUEUED (NCQ) or,
 * without NCQ, READ/WRITE DMA EXT one at a time. Buffers are
 * identity-mapped, so their address is what the controller is given.
 * Every wait is bounded on the reference clock.
 */
#include <stdio.h>
#include <string.h>

#include <arch/counter.h>
#include <arch/mmio.h>
#include <drivers/blk/ahci.h>
#include <drivers/hw_wait.h>
#include <drivers/blk/ahci_regs.h>
#include <vmb/mem.h>
#include <vmb/platform.h>

#define RESET_MS 1000	 /* GHC.HR clears itself within 1 s (AHCI 10.4.3) */
#define STOP_MS 500	 /* PxCMD.CR and FR clear within 500 ms (AHCI 10.1.2) */
#define EMPTY_MS 100	 /* a port with no device at all by then has none */
#define LINK_MS 1000	 /* a device seen, its link up by then */
#define READY_MS 3000	 /* BSY and DRQ clear: a disk spun up */
#define IDENTIFY_MS 2000 /* IDENTIFY DEVICE answered */
#define TABLE_BYTES 256	 /* the command FIS, then 8 PRDs */
#define TABLE_PRDS ((TABLE_BYTES - AHCI_CT_PRDT) / sizeof(struct ahci_prd))

static uint32_t rd(uint64_t base, unsigned reg)
{
	return mmio_read32(base + reg);
}

static void wr(uint64_t base, unsigned reg, uint32_t v)
{
	mmio_write32(base + reg, v);
}

bool ahci_hba_init(struct ahci_hba *h, char *why, size_t why_len)
{
	/* Reset keeps CAP and PI only where the firmware does not write
	 * them; some do (Linux keeps what it read first as well). */
	uint32_t pi = rd(h->abar, AHCI_PI);

	wr(h->abar, AHCI_GHC, AHCI_GHC_AE);
	wr(h->abar, AHCI_GHC, AHCI_GHC_AE | AHCI_GHC_HR);
	if (!mmio_wait32(h->abar + AHCI_GHC, AHCI_GHC_HR, 0, RESET_MS)) {
		snprintf(why, why_len, "%s (%s): the controller's reset did not end within %u ms",
			 h->name, h->at, RESET_MS);
		return false;
	}
	wr(h->abar, AHCI_GHC, AHCI_GHC_AE);
	h->cap = rd(h->abar, AHCI_CAP);
	h->pi = rd(h->abar, AHCI_PI);
	if (!h->pi)
		h->pi = pi;
	if (!h->pi) {
		snprintf(why, why_len, "%s (%s): no ports implemented (PI 0)", h->name, h->at);
		return false;
	}
	if (AHCI_CAP_NCS(h->cap) < 1) {
		snprintf(why, why_len, "%s (%s): no command slots", h->name, h->at);
		return false;
	}
	wr(h->abar, AHCI_IS, ~0u);
	return true;
}

static void port_idle(uint64_t pb)
{
	wr(pb, AHCI_PxCMD, rd(pb, AHCI_PxCMD) & ~AHCI_PxCMD_ST);
	mmio_wait32(pb + AHCI_PxCMD, AHCI_PxCMD_CR, 0, STOP_MS);
	wr(pb, AHCI_PxCMD, rd(pb, AHCI_PxCMD) & ~AHCI_PxCMD_FRE);
	mmio_wait32(pb + AHCI_PxCMD, AHCI_PxCMD_FR, 0, STOP_MS);
}

/* A COMRESET on the port's link. X-Gene's resets the port's command
 * list and FIS addresses and PxCMD with it (Linux's xgene_ahci_hardreset
 * saves and restores them): kept here for every controller. */
static void comreset(uint64_t pb)
{
	static const unsigned keep[] = { AHCI_PxCLB, AHCI_PxCLBU, AHCI_PxFB, AHCI_PxFBU,
					 AHCI_PxCMD };
	uint32_t saved[sizeof(keep) / sizeof(keep[0])];
	uint32_t sctl = rd(pb, AHCI_PxSCTL) & ~0xfu;

	for (unsigned i = 0; i < sizeof(keep) / sizeof(keep[0]); i++)
		saved[i] = rd(pb, keep[i]);
	wr(pb, AHCI_PxSCTL, sctl | AHCI_SCTL_COMRESET);
	ref_delay_ms(2); /* at least 1 ms (AHCI 10.4.2) */
	wr(pb, AHCI_PxSCTL, sctl);
	for (unsigned i = 0; i < sizeof(keep) / sizeof(keep[0]); i++)
		wr(pb, keep[i], saved[i]);
}

/* Ports whose PxSSTS.DET is det. */
static uint32_t ports_at(const struct ahci_hba *h, unsigned det)
{
	uint32_t m = 0;

	for (unsigned n = 0; n < AHCI_MAX_PORTS; n++)
		if (h->pi >> n & 1 && AHCI_SSTS_DET(rd(h->abar + AHCI_PORT(n), AHCI_PxSSTS)) == det)
			m |= 1u << n;
	return m;
}

/* Until no port is between "device seen" and "link up", the empty ones
 * given EMPTY_MS: QEMU's are settled at once, a real link takes some. */
static uint32_t settle(const struct ahci_hba *h, unsigned ms)
{
	uint64_t t0 = ref_now();

	for (;;) {
		uint64_t t = ref_now() - t0;
		uint32_t seen = ports_at(h, AHCI_DET_PRESENT);
		uint32_t none = ports_at(h, AHCI_DET_NONE);
		if ((!seen && (!none || t > ref_ms(EMPTY_MS))) || t > ref_ms(ms))
			return ports_at(h, AHCI_DET_LINK);
	}
}

uint32_t ahci_hba_links(struct ahci_hba *h)
{
	for (unsigned n = 0; n < AHCI_MAX_PORTS; n++) {
		if (!(h->pi >> n & 1))
			continue;
		uint64_t pb = h->abar + AHCI_PORT(n);
		port_idle(pb);
		wr(pb, AHCI_PxSERR, ~0u);
		wr(pb, AHCI_PxIS, ~0u);
		wr(pb, AHCI_PxIE, 0);
		/* Spin-up (with staggered spin-up, the link starts only then). */
		wr(pb, AHCI_PxCMD, rd(pb, AHCI_PxCMD) | AHCI_PxCMD_SUD | AHCI_PxCMD_POD);
	}
	uint32_t up = settle(h, LINK_MS);
	/* A device seen without a link: one COMRESET more (X-Gene's PHY
	 * sometimes needs it, as Linux's retry says). */
	uint32_t stuck = ports_at(h, AHCI_DET_PRESENT);
	if (stuck) {
		for (unsigned n = 0; n < AHCI_MAX_PORTS; n++)
			if (stuck >> n & 1)
				comreset(h->abar + AHCI_PORT(n));
		up = settle(h, LINK_MS);
	}
	for (unsigned n = 0; n < AHCI_MAX_PORTS; n++)
		if (up >> n & 1)
			wr(h->abar + AHCI_PORT(n), AHCI_PxSERR, ~0u);
	return up;
}

/* One set of port memory, reused: a port not kept is stopped before the
 * next is started, so the controller no longer reads or writes it. */
static struct {
	uint8_t *page; /* command list (1 KiB), received FISes (256 bytes) */
	uint8_t *tables;
} pm;

bool ahci_port_start(struct ahci_hba *h, unsigned n, struct ahci_port *p, uint32_t *sig, char *why,
		     size_t why_len)
{
	if (!pm.page) {
		pm.page = mem_alloc_pages(1);
		pm.tables = mem_alloc_pages(BLKDEV_SLOTS * TABLE_BYTES / 4096);
		if (!pm.page || !pm.tables) {
			pm.page = NULL;
			snprintf(why, why_len, "no memory for AHCI command lists");
			return false;
		}
	}
	uint64_t lo = (uintptr_t)pm.page, hi = (uintptr_t)pm.tables + BLKDEV_SLOTS * TABLE_BYTES;
	if (hi >> 32 && !(h->cap & AHCI_CAP_S64A)) {
		snprintf(why, why_len, "%s: 32-bit addressing only, and memory is above 4 GiB",
			 h->name);
		return false;
	}
	memset(p, 0, sizeof(*p));
	memset(pm.page, 0, 4096);
	memset(pm.tables, 0, BLKDEV_SLOTS * TABLE_BYTES);
	p->hba = h;
	p->n = n;
	p->base = h->abar + AHCI_PORT(n);
	p->list = (struct ahci_cmd_header *)pm.page;
	p->rx_fis = pm.page + AHCI_CMD_LIST_BYTES;
	for (unsigned s = 0; s < BLKDEV_SLOTS; s++) {
		p->table[s] = pm.tables + s * TABLE_BYTES;
		p->list[s].ctba = (uint32_t)(uintptr_t)p->table[s];
		p->list[s].ctbau = (uint32_t)((uintptr_t)p->table[s] >> 32);
	}
	port_idle(p->base);
	uint64_t fis = (uintptr_t)p->rx_fis;
	wr(p->base, AHCI_PxCLB, (uint32_t)lo);
	wr(p->base, AHCI_PxCLBU, (uint32_t)(lo >> 32));
	wr(p->base, AHCI_PxFB, (uint32_t)fis);
	wr(p->base, AHCI_PxFBU, (uint32_t)(fis >> 32));
	dma_mb();
	wr(p->base, AHCI_PxCMD, rd(p->base, AHCI_PxCMD) | AHCI_PxCMD_FRE);
	/* The device's first D2H FIS gives its signature and status; one
	 * that sent none (or before FIS receive was on) is reset once. */
	uint32_t busy = AHCI_TFD_BSY | AHCI_TFD_DRQ;
	if (!mmio_wait32(p->base + AHCI_PxTFD, busy, 0, READY_MS)) {
		comreset(p->base);
		mmio_wait32(p->base + AHCI_PxSSTS, 0xf, AHCI_DET_LINK, LINK_MS);
	}
	if (!mmio_wait32(p->base + AHCI_PxTFD, busy, 0, READY_MS)) {
		snprintf(why, why_len,
			 "port %u: the device stayed busy for %u ms, before and after a COMRESET "
			 "(TFD %#x)",
			 n, READY_MS, rd(p->base, AHCI_PxTFD));
		port_idle(p->base);
		return false;
	}
	*sig = rd(p->base, AHCI_PxSIG);
	wr(p->base, AHCI_PxSERR, ~0u);
	wr(p->base, AHCI_PxIS, ~0u);
	wr(p->base, AHCI_PxCMD, rd(p->base, AHCI_PxCMD) | AHCI_PxCMD_ST);
	return true;
}

void ahci_port_stop(struct ahci_port *p)
{
	wr(p->base, AHCI_PxIE, 0);
	port_idle(p->base);
	wr(p->base, AHCI_PxIS, ~0u);
	wr(p->hba->abar, AHCI_IS, 1u << p->n);
}

/* Slot h's header, FIS and PRDs for one command. */
static void build(struct ahci_port *p, unsigned h, uint8_t cmd, bool write, uint64_t lba,
		  uint32_t count, void *buf, uint32_t len)
{
	uint8_t *t = p->table[h];
	struct ahci_prd *prd = (struct ahci_prd *)(t + AHCI_CT_PRDT);
	unsigned n = 0;

	memset(t, 0, AHCI_CT_PRDT);
	t[0] = FIS_TYPE_REG_H2D;
	t[1] = FIS_H2D_COMMAND;
	t[2] = cmd;
	t[4] = (uint8_t)lba, t[5] = (uint8_t)(lba >> 8), t[6] = (uint8_t)(lba >> 16);
	t[7] = cmd == ATA_CMD_IDENTIFY ? 0 : ATA_DEV_LBA;
	t[8] = (uint8_t)(lba >> 24), t[9] = (uint8_t)(lba >> 32), t[10] = (uint8_t)(lba >> 40);
	if (cmd == ATA_CMD_READ_FPDMA || cmd == ATA_CMD_WRITE_FPDMA) {
		/* NCQ: the count in the features registers, the tag in count's. */
		t[3] = (uint8_t)count, t[11] = (uint8_t)(count >> 8);
		t[12] = (uint8_t)(h << 3);
	} else {
		t[12] = (uint8_t)count, t[13] = (uint8_t)(count >> 8);
	}
	for (uint32_t off = 0; off < len; off += AHCI_PRD_MAX, n++) {
		uint64_t a = (uintptr_t)buf + off;
		uint32_t part = len - off < AHCI_PRD_MAX ? len - off : AHCI_PRD_MAX;
		prd[n] = (struct ahci_prd){ .dba = (uint32_t)a,
					    .dbau = (uint32_t)(a >> 32),
					    .dbc = part - 1 };
	}
	p->list[h].flags = FIS_H2D_DWORDS | (write ? AHCI_HDR_WRITE : 0) | AHCI_HDR_PRDTL(n);
	p->list[h].prdbc = 0;
}

bool ahci_identify(struct ahci_port *p, uint16_t *id, char *why, size_t why_len)
{
	build(p, 0, ATA_CMD_IDENTIFY, false, 0, 0, id, 512);
	dma_mb();
	wr(p->base, AHCI_PxCI, 1);
	uint64_t t0 = ref_now(), limit = ref_ms(IDENTIFY_MS);
	while (rd(p->base, AHCI_PxCI) & 1) {
		uint32_t is = rd(p->base, AHCI_PxIS);
		if (is & AHCI_PxIS_ERRORS || ref_now() - t0 > limit) {
			snprintf(why, why_len,
				 "port %u: IDENTIFY DEVICE %s %u ms (PxIS %#x, TFD %#x)", p->n,
				 is & AHCI_PxIS_ERRORS ? "failed within" : "not answered within",
				 IDENTIFY_MS, is, rd(p->base, AHCI_PxTFD));
			return false;
		}
	}
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	if (p->hba->xgene)
		ahci_xgene_restart(p);
	wr(p->base, AHCI_PxIS, ~0u);
	return true;
}

/* Requests: blkdev slots wait in `pending` until a hardware slot (an NCQ
 * tag) is free; without NCQ there is one. */
static void issue(struct ahci_port *p)
{
	uint32_t go = 0;

	while (p->pending) {
		unsigned h = 0;
		while (h < p->depth && (p->busy | go) >> h & 1)
			h++;
		if (h == p->depth)
			break;
		unsigned s = (unsigned)__builtin_ctz(p->pending);
		p->pending &= ~(1u << s);
		bool w = p->req[s].write;
		uint8_t cmd = p->ncq ? (w ? ATA_CMD_WRITE_FPDMA : ATA_CMD_READ_FPDMA)
				     : (w ? ATA_CMD_WRITE_DMA_EXT : ATA_CMD_READ_DMA_EXT);
		build(p, h, cmd, w, p->req[s].sector, p->req[s].len / BLKDEV_SECTOR, p->req[s].buf,
		      p->req[s].len);
		p->owner[h] = (uint8_t)s;
		go |= 1u << h;
	}
	if (!go)
		return;
	p->busy |= go;
	dma_mb();
	if (p->ncq)
		wr(p->base, AHCI_PxSACT, go);
	wr(p->base, AHCI_PxCI, go);
}

static struct ahci_port *the_port;

static bool submit(struct blkdev *d, unsigned slot, bool write, uint64_t sector, void *buf,
		   uint32_t len)
{
	struct ahci_port *p = the_port;
	uint32_t bit = 1u << slot, sectors = len / BLKDEV_SECTOR;

	(void)d;
	/* 65536 sectors at most in one command; an even count per PRD. */
	if (slot >= BLKDEV_SLOTS || (p->pending | p->ret_ok | p->ret_fail) & bit || !len ||
	    len % BLKDEV_SECTOR || sectors > 65536 || len > TABLE_PRDS * AHCI_PRD_MAX)
		return false;
	/* A controller with 32-bit addresses cannot reach a buffer above 4 GiB. */
	if (!(p->hba->cap & AHCI_CAP_S64A) && ((uintptr_t)buf + len - 1) >> 32)
		return false;
	for (unsigned h = 0; h < p->depth; h++)
		if (p->busy >> h & 1 && p->owner[h] == slot)
			return false;
	p->req[slot].write = write;
	p->req[slot].sector = sector;
	p->req[slot].buf = buf;
	p->req[slot].len = len;
	p->pending |= bit;
	return true;
}

static void kick(struct blkdev *d)
{
	(void)d;
	issue(the_port);
}

/* An error stops the port's command processing (AHCI 6.2.2): every
 * command in flight fails, the port is restarted, and what waits is
 * issued again. */
static void recover(struct ahci_port *p)
{
	for (unsigned h = 0; h < p->depth; h++)
		if (p->busy >> h & 1)
			p->ret_fail |= 1u << p->owner[h];
	p->busy = 0;
	p->error_seen = false;
	wr(p->base, AHCI_PxCMD, rd(p->base, AHCI_PxCMD) & ~AHCI_PxCMD_ST);
	mmio_wait32(p->base + AHCI_PxCMD, AHCI_PxCMD_CR, 0, STOP_MS);
	wr(p->base, AHCI_PxSERR, ~0u);
	wr(p->base, AHCI_PxIS, ~0u);
	if (rd(p->base, AHCI_PxTFD) & (AHCI_TFD_BSY | AHCI_TFD_DRQ)) {
		comreset(p->base);
		mmio_wait32(p->base + AHCI_PxTFD, AHCI_TFD_BSY | AHCI_TFD_DRQ, 0, READY_MS);
		wr(p->base, AHCI_PxSERR, ~0u);
		wr(p->base, AHCI_PxIS, ~0u);
	}
	wr(p->base, AHCI_PxCMD, rd(p->base, AHCI_PxCMD) | AHCI_PxCMD_ST);
	issue(p);
}

static bool complete(struct blkdev *d, unsigned *slot, bool *ok)
{
	struct ahci_port *p = the_port;

	(void)d;
	if (!p->ret_ok && !p->ret_fail && p->busy) {
		if (p->error_seen || rd(p->base, AHCI_PxIS) & AHCI_PxIS_ERRORS) {
			recover(p);
		} else {
			uint32_t active = rd(p->base, AHCI_PxCI);
			if (p->ncq)
				active |= rd(p->base, AHCI_PxSACT);
			uint32_t done = p->busy & ~active;
			if (done) {
				__atomic_thread_fence(__ATOMIC_ACQUIRE);
				p->busy &= ~done;
				for (unsigned h = 0; h < p->depth; h++)
					if (done >> h & 1)
						p->ret_ok |= 1u << p->owner[h];
				issue(p);
			}
		}
	}
	uint32_t any = p->ret_ok | p->ret_fail;
	if (!any)
		return false;
	unsigned s = (unsigned)__builtin_ctz(any);
	*slot = s;
	*ok = p->ret_ok >> s & 1;
	p->ret_ok &= ~(1u << s);
	p->ret_fail &= ~(1u << s);
	return true;
}

static void irq_on(struct blkdev *d, bool on)
{
	struct ahci_port *p = the_port;
	uint64_t abar = p->hba->abar;

	(void)d;
	wr(p->base, AHCI_PxIE, 0);
	wr(p->base, AHCI_PxIS, ~0u);
	wr(abar, AHCI_IS, 1u << p->n);
	if (on) {
		wr(p->base, AHCI_PxIE, AHCI_PxIE_DONE);
		wr(abar, AHCI_GHC, rd(abar, AHCI_GHC) | AHCI_GHC_IE);
	} else {
		wr(abar, AHCI_GHC, rd(abar, AHCI_GHC) & ~AHCI_GHC_IE);
	}
}

static void irq_ack(struct blkdev *d)
{
	struct ahci_port *p = the_port;
	uint32_t is = rd(p->base, AHCI_PxIS);

	(void)d;
	if (is & AHCI_PxIS_ERRORS)
		p->error_seen = true;
	/* The port's bits, then the controller's: a level line lowers. */
	wr(p->base, AHCI_PxIS, is);
	wr(p->hba->abar, AHCI_IS, 1u << p->n);
}

static void irq_state(struct blkdev *d, char *out, size_t len)
{
	struct ahci_port *p = the_port;
	uint64_t abar = p->hba->abar;

	(void)d;
	snprintf(out, len, "GHC %#x IS %#x, port %u PxIS %#x PxIE %#x PxCI %#x PxSACT %#x",
		 rd(abar, AHCI_GHC), rd(abar, AHCI_IS), p->n, rd(p->base, AHCI_PxIS),
		 rd(p->base, AHCI_PxIE), rd(p->base, AHCI_PxCI), rd(p->base, AHCI_PxSACT));
}

static bool irq_route(struct blkdev *d, unsigned *irq, char *why, size_t why_len);
static void ahci_close(struct blkdev *d);

static const struct blkdev_ops ops = {
	.submit = submit,
	.kick = kick,
	.complete = complete,
	.irq = irq_route,
	.irq_on = irq_on,
	.irq_ack = irq_ack,
	.irq_state = irq_state,
	.close = ahci_close,
};

static bool irq_route(struct blkdev *d, unsigned *irq, char *why, size_t why_len)
{
	return ahci_irq_route(the_port, irq, d->irq_via, sizeof(d->irq_via), why, why_len);
}

static void ahci_close(struct blkdev *d)
{
	(void)d;
	irq_on(d, false);
	ahci_port_stop(the_port);
}

void ahci_blkdev_bind(struct blkdev *d, struct ahci_port *p)
{
	the_port = p;
	d->ops = &ops;
}
