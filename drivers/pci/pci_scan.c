/*
 * Bus enumeration and BAR sizing, over any configuration access (the
 * image's ECAM or ports, or a simulated space in the host tests).
 */
#include <stdio.h>
#include <string.h>

#include <drivers/pci/pci.h>

#define BAR_IO 1u
#define BAR_MEM_TYPE_64 (2u << 1)
#define BAR_MEM_PREFETCH (1u << 3)

uint64_t pci_window_take(const struct fw_pci_window *w, uint64_t *used, uint64_t size)
{
	if (!w->size || !size || (size & (size - 1)))
		return 0;
	uint64_t at = (w->pci + *used + size - 1) & ~(size - 1);
	/* A BAR holding 0 reads as unassigned: never place one there. */
	if (!at)
		at = size;
	if (at < w->pci || at - w->pci > w->size || size > w->size - (at - w->pci))
		return 0;
	*used = at + size - w->pci;
	return at;
}

static uint32_t rd(const struct pci_cfg_ops *o, const struct pci_dev *d, unsigned off)
{
	return o->read32(o->ctx, d->bus, d->dev, d->fn, off);
}

static void wr(const struct pci_cfg_ops *o, const struct pci_dev *d, unsigned off, uint32_t v)
{
	o->write32(o->ctx, d->bus, d->dev, d->fn, off, v);
}

/* Where a bus address in window w appears to the CPU. */
static uint64_t to_cpu(const struct fw_pci_window *w, uint64_t pci)
{
	return w->size && pci >= w->pci && pci - w->pci < w->size ? w->cpu + (pci - w->pci) : pci;
}

/* Place an unassigned BAR: I/O in the I/O window, 64-bit memory in the
 * 64-bit window when there is one, the rest below 4 GiB. */
static bool place(struct pci_windows *w, struct pci_bar *b, const struct fw_pci_window **win)
{
	if (b->io) {
		*win = &w->io;
		return (b->pci = pci_window_take(&w->io, &w->io_used, b->size)) != 0;
	}
	if (b->is64 && w->mem64.size) {
		*win = &w->mem64;
		if ((b->pci = pci_window_take(&w->mem64, &w->mem64_used, b->size)))
			return true;
	}
	*win = &w->mem32;
	return (b->pci = pci_window_take(&w->mem32, &w->mem32_used, b->size)) != 0;
}

static void size_bars(const struct pci_cfg_ops *o, struct pci_dev *d, struct pci_windows *w)
{
	unsigned nbars = d->header == 1 ? 2 : d->header == 0 ? PCI_MAX_BARS : 0;
	uint32_t cmd = rd(o, d, PCI_COMMAND) & 0xffff;
	bool placed = false;

	/* Decoding off while the BARs read back their size masks. */
	wr(o, d, PCI_COMMAND, cmd & ~(PCI_CMD_IO | PCI_CMD_MEM));
	for (unsigned i = 0; i < nbars; i++) {
		struct pci_bar *b = &d->bar[i];
		unsigned off = PCI_BAR0 + 4 * i;
		uint32_t lo = rd(o, d, off), hi = 0, mlo, mhi = 0xffffffffu;
		b->io = lo & BAR_IO;
		b->is64 = !b->io && (lo & 6u) == BAR_MEM_TYPE_64 && i + 1 < nbars;
		b->prefetch = !b->io && (lo & BAR_MEM_PREFETCH);
		wr(o, d, off, 0xffffffffu);
		mlo = rd(o, d, off);
		wr(o, d, off, lo);
		if (b->is64) {
			hi = rd(o, d, off + 4);
			wr(o, d, off + 4, 0xffffffffu);
			mhi = rd(o, d, off + 4);
			wr(o, d, off + 4, hi);
		}
		uint32_t low_bits = mlo & (b->io ? ~3u : ~15u);
		uint64_t mask = (uint64_t)mhi << 32 | low_bits;
		/* 16-bit I/O decoders read the upper half back as zeros. */
		if (b->io)
			mask |= 0xffffffff00000000ull | (low_bits & 0xffff0000u ? 0 : 0xffff0000u);
		bool implemented = low_bits || (b->is64 && mhi);
		b->size = implemented ? ~mask + 1 : 0;
		b->pci = ((uint64_t)hi << 32 | lo) & (b->io ? ~3ull : ~15ull);
		/* A BAR holding 0 is unassigned, unless the firmware turned its
		 * decoding on: bus address 0 is valid I/O space off x86. */
		bool decoding = cmd & (b->io ? PCI_CMD_IO : PCI_CMD_MEM);
		if (b->size && !b->pci && w && !decoding) {
			const struct fw_pci_window *win;
			if (place(w, b, &win)) {
				wr(o, d, off, (uint32_t)b->pci | (lo & (b->io ? 3u : 15u)));
				if (b->is64)
					wr(o, d, off + 4, (uint32_t)(b->pci >> 32));
				b->assigned_here = placed = true;
				b->cpu = to_cpu(win, b->pci);
			} else if (!d->why[0]) {
				snprintf(
					d->why, sizeof(d->why),
					"BAR%u (%s, %llu bytes) unassigned and no room in a window",
					i, b->io ? "I/O" : "memory", (unsigned long long)b->size);
			}
		} else if (b->size) {
			b->cpu = !w	 ? b->pci
				 : b->io ? to_cpu(&w->io, b->pci)
					 : to_cpu(b->pci >> 32 ? &w->mem64 : &w->mem32, b->pci);
		}
		if (b->is64)
			i++;
	}
	/* Decoding back on, and on for what we placed. */
	if (placed) {
		for (unsigned i = 0; i < nbars; i++)
			if (d->bar[i].assigned_here)
				cmd |= d->bar[i].io ? PCI_CMD_IO : PCI_CMD_MEM;
	}
	wr(o, d, PCI_COMMAND, cmd);
}

static void scan_bus(const struct pci_cfg_ops *o, unsigned bus, unsigned first, unsigned last,
		     struct pci_windows *w, struct pci_bus_scan *out, unsigned depth)
{
	for (unsigned dev = 0; dev < 32; dev++) {
		for (unsigned fn = 0; fn < 8; fn++) {
			uint32_t id = o->read32(o->ctx, bus, dev, fn, PCI_VENDOR_ID);
			if ((id & 0xffff) == 0xffff || (id & 0xffff) == 0) {
				if (fn == 0)
					break;
				continue;
			}
			uint8_t htype =
				(uint8_t)(o->read32(o->ctx, bus, dev, fn, PCI_HEADER_TYPE) >> 16);
			if (out->ndev >= PCI_MAX_DEVS) {
				out->truncated = true;
				return;
			}
			struct pci_dev *d = &out->dev[out->ndev++];
			memset(d, 0, sizeof(*d));
			*d = (struct pci_dev){ .bus = (uint8_t)bus,
					       .dev = (uint8_t)dev,
					       .fn = (uint8_t)fn,
					       .vendor = (uint16_t)id,
					       .device = (uint16_t)(id >> 16),
					       .header = htype & 0x7f };
			d->class_rev = rd(o, d, PCI_CLASS_REV);
			size_bars(o, d, w);
			if (d->header == 1) {
				uint32_t buses = rd(o, d, PCI_BRIDGE_BUSES);
				unsigned sec = buses >> 8 & 0xff;
				if (sec > bus && sec <= last && sec >= first && depth < 8)
					scan_bus(o, sec, first, last, w, out, depth + 1);
				else if (!sec)
					out->bridges_unnumbered++;
			}
			if (fn == 0 && !(htype & 0x80))
				break; /* not a multi-function device */
		}
	}
}

void pci_scan(const struct pci_cfg_ops *ops, unsigned first, unsigned last, struct pci_windows *w,
	      struct pci_bus_scan *out)
{
	memset(out, 0, sizeof(*out));
	if (first <= last && last <= 255)
		scan_bus(ops, first, first, last, w, out, 0);
}
