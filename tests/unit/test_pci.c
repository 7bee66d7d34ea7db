/*
 * PCI enumeration and BAR placement against a simulated configuration
 * space: functions that answer, multi-function devices, a bridge the
 * firmware numbered and one it did not, BARs of each kind that read back
 * their size masks, windows that run out.
 */
#include <string.h>

#include <drivers/pci/pci.h>

#include "check.h"

struct fake_fn {
	bool present;
	uint32_t cfg[64];     /* dwords */
	uint64_t bar_size[6]; /* 0: BAR not implemented */
	bool bar_write_mask;  /* next BAR read returns its size mask */
	unsigned writes;
};

static struct fake_fn space[4][32][8];

static uint32_t fake_read(void *ctx, unsigned bus, unsigned dev, unsigned fn, unsigned off)
{
	(void)ctx;
	if (bus >= 4 || !space[bus][dev][fn].present)
		return 0xffffffffu;
	return space[bus][dev][fn].cfg[off / 4];
}

/* A BAR keeps only the bits its size allows, as hardware does. */
static void fake_write(void *ctx, unsigned bus, unsigned dev, unsigned fn, unsigned off, uint32_t v)
{
	(void)ctx;
	struct fake_fn *f = &space[bus][dev][fn];
	f->writes++;
	if (off >= PCI_BAR0 && off < PCI_BAR0 + 24) {
		unsigned i = (off - PCI_BAR0) / 4;
		uint32_t type = f->cfg[off / 4] & 0xf;
		bool upper = i > 0 && (f->cfg[off / 4 - 1] & 7) == 4 && !f->bar_size[i];
		uint64_t size = upper ? f->bar_size[i - 1] : f->bar_size[i];
		if (!size) {
			f->cfg[off / 4] = 0;
			return;
		}
		uint64_t mask = ~(size - 1);
		if (upper)
			f->cfg[off / 4] = v & (uint32_t)(mask >> 32);
		else
			f->cfg[off / 4] = (v & (uint32_t)mask & ~0xfu) | type;
		if (!upper && (type & 1))
			f->cfg[off / 4] = (v & (uint32_t)mask & ~3u) | 1;
		return;
	}
	if (off == PCI_COMMAND)
		f->cfg[1] = (f->cfg[1] & 0xffff0000u) | (v & 0xffff);
	else
		f->cfg[off / 4] = v;
}

static struct fake_fn *fn_at(unsigned bus, unsigned dev, unsigned fn, uint16_t vendor,
			     uint16_t device, uint8_t header)
{
	struct fake_fn *f = &space[bus][dev][fn];
	memset(f, 0, sizeof(*f));
	f->present = true;
	f->cfg[0] = (uint32_t)device << 16 | vendor;
	f->cfg[2] = 0x01000001; /* mass storage */
	f->cfg[3] = (uint32_t)header << 16;
	return f;
}

/* BAR i: size, and its type bits (1 I/O; 0 mem32; 4 mem64; 8 prefetch). */
static void bar(struct fake_fn *f, unsigned i, uint64_t size, uint32_t type, uint64_t addr)
{
	f->bar_size[i] = size;
	f->cfg[4 + i] = (uint32_t)addr | type;
	if ((type & 7) == 4)
		f->cfg[5 + i] = (uint32_t)(addr >> 32);
}

static const struct pci_cfg_ops ops = { fake_read, fake_write, NULL };

static void build(void)
{
	memset(space, 0, sizeof(space));
	/* 00:00.0 host bridge, no BARs */
	fn_at(0, 0, 0, 0x1b36, 0x0008, 0);
	/* 00:01.0 virtio-blk: I/O 64 bytes, mem32 4 KiB, mem64 prefetchable 16 KiB, unassigned */
	struct fake_fn *blk = fn_at(0, 1, 0, 0x1af4, 0x1001, 0);
	bar(blk, 0, 64, 1, 0);
	bar(blk, 1, 4096, 0, 0);
	bar(blk, 4, 16384, 4 | 8, 0);
	/* 00:02.0/1 a multi-function device, firmware-assigned */
	struct fake_fn *mf = fn_at(0, 2, 0, 0x8086, 0x1234, 0x80);
	bar(mf, 0, 0x100000, 0, 0xfe000000);
	fn_at(0, 2, 5, 0x8086, 0x1235, 0);
	/* 00:03.0 a bridge to bus 1, numbered; 00:04.0 one left unnumbered */
	struct fake_fn *br = fn_at(0, 3, 0, 0x1b36, 0x000c, 1);
	br->cfg[PCI_BRIDGE_BUSES / 4] = 0x010100;
	fn_at(0, 4, 0, 0x1b36, 0x000c, 1);
	/* 01:00.0 behind it */
	struct fake_fn *nic = fn_at(1, 0, 0, 0x1af4, 0x1041, 0);
	bar(nic, 1, 0x1000, 0, 0);
	/* a device 0 function 1 without function 0's multi-function bit: not scanned */
	fn_at(0, 1, 1, 0xdead, 0xbeef, 0);
}

static void test_scan(void)
{
	struct pci_bus_scan s;
	struct pci_windows w = {
		.io = { .cpu = 0x3eff0000, .pci = 0, .size = 0x10000 },
		.mem32 = { .cpu = 0x10000000, .pci = 0x10000000, .size = 0x2eff0000 },
		.mem64 = { .cpu = 0x8000000000ull, .pci = 0x8000000000ull, .size = 1ull << 39 },
	};

	build();
	pci_scan(&ops, 0, 255, &w, &s);
	CHECK_EQ_U(s.ndev, 7);
	CHECK(!s.truncated);
	CHECK_EQ_U(s.bridges_unnumbered, 1);
	const struct pci_dev *blk = &s.dev[1];
	CHECK_EQ_U(blk->vendor, 0x1af4);
	CHECK_EQ_U(blk->device, 0x1001);
	CHECK_EQ_U(blk->class_rev >> 24, 1);
	CHECK_EQ_U(blk->bar[0].size, 64);
	CHECK(blk->bar[0].io);
	CHECK(blk->bar[0].assigned_here);
	CHECK_EQ_U(blk->bar[0].cpu, 0x3eff0000 + blk->bar[0].pci);
	CHECK_EQ_U(blk->bar[1].size, 4096);
	CHECK(!blk->bar[1].io && !blk->bar[1].is64);
	CHECK_EQ_U(blk->bar[1].pci % 4096, 0);
	CHECK(blk->bar[1].pci >= 0x10000000 && blk->bar[1].pci < 0x3eff0000);
	CHECK_EQ_U(blk->bar[4].size, 16384);
	CHECK(blk->bar[4].is64 && blk->bar[4].prefetch);
	CHECK_EQ_U(blk->bar[4].pci, 0x8000000000ull);
	CHECK_EQ_U(blk->bar[5].size, 0); /* the upper half, not a BAR of its own */
	/* what we placed is in the BARs, and decoding is on for it */
	CHECK_EQ_U(space[0][1][0].cfg[4 + 1], (uint32_t)blk->bar[1].pci);
	CHECK_EQ_U(space[0][1][0].cfg[4 + 5], 0x80);
	CHECK_EQ_U(space[0][1][0].cfg[1] & 3, 3);
	/* firmware's placement kept, not moved */
	const struct pci_dev *mf = &s.dev[2];
	CHECK_EQ_U(mf->bar[0].pci, 0xfe000000);
	CHECK(!mf->bar[0].assigned_here);
	CHECK_EQ_U(mf->bar[0].size, 0x100000);
	CHECK_EQ_U(s.dev[3].fn, 5);
	/* the bridge, then what is behind it, then the unnumbered bridge */
	CHECK_EQ_U(s.dev[4].header, 1);
	CHECK_EQ_U(s.dev[5].bus, 1);
	CHECK_EQ_U(s.dev[5].device, 0x1041);
	CHECK_EQ_U(s.dev[5].bar[1].pci % 4096, 0);
	CHECK(s.dev[5].bar[1].pci != blk->bar[1].pci);
	CHECK_EQ_U(s.dev[6].dev, 4);
	/* nothing from 00:01.1 (00:01.0 is not multi-function) */
	for (unsigned i = 0; i < s.ndev; i++)
		CHECK(s.dev[i].vendor != 0xdead);
}

static void test_no_room(void)
{
	struct pci_bus_scan s;
	struct pci_windows w = { .mem32 = {
					 .cpu = 0x10000000, .pci = 0x10000000, .size = 0x1000 } };

	build();
	pci_scan(&ops, 0, 0, &w, &s);
	const struct pci_dev *blk = &s.dev[1];
	/* no I/O window: BAR0 stays unassigned and says so; BAR1 fits */
	CHECK(!blk->bar[0].assigned_here);
	CHECK(blk->why[0] != 0);
	CHECK(blk->bar[1].assigned_here);
	/* mem64 falls back below 4 GiB, where nothing is left */
	CHECK(!blk->bar[4].assigned_here);
	/* bus range 0..0: the numbered bridge's bus 1 is outside it */
	for (unsigned i = 0; i < s.ndev; i++)
		CHECK_EQ_U(s.dev[i].bus, 0);
	/* a BAR at bus address 0 with its decoding on was placed by firmware */
	build();
	space[0][1][0].cfg[1] = PCI_CMD_IO;
	w = (struct pci_windows){ .io = { .cpu = 0x3eff0000, .pci = 0, .size = 0x10000 } };
	pci_scan(&ops, 0, 0, &w, &s);
	CHECK(!s.dev[1].bar[0].assigned_here);
	CHECK_EQ_U(s.dev[1].bar[0].pci, 0);
	CHECK_EQ_U(s.dev[1].bar[0].cpu, 0x3eff0000);
	CHECK_EQ_U(space[0][1][0].cfg[1] & PCI_CMD_IO, PCI_CMD_IO); /* left on */
	/* without windows nothing is placed, everything is still sized */
	build();
	pci_scan(&ops, 0, 255, NULL, &s);
	CHECK_EQ_U(s.dev[1].bar[1].size, 4096);
	CHECK(!s.dev[1].bar[1].assigned_here);
	CHECK_EQ_U(s.dev[1].bar[1].pci, 0);
}

static void test_window_take(void)
{
	struct fw_pci_window w = { .cpu = 0, .pci = 0x1000, .size = 0x3000 };
	uint64_t used = 0;

	CHECK_EQ_U(pci_window_take(&w, &used, 0x100), 0x1000);
	CHECK_EQ_U(pci_window_take(&w, &used, 0x1000), 0x2000); /* aligned up */
	CHECK_EQ_U(pci_window_take(&w, &used, 0x1000), 0x3000);
	CHECK_EQ_U(pci_window_take(&w, &used, 0x10), 0); /* full */
	used = 0;
	CHECK_EQ_U(pci_window_take(&w, &used, 0x3000), 0); /* not a power of two */
	CHECK_EQ_U(pci_window_take(&w, &used, 0x4000), 0); /* larger than the window */
	CHECK_EQ_U(pci_window_take(&w, &used, 0), 0);
	struct fw_pci_window io = { .cpu = 0x3eff0000, .pci = 0, .size = 0x10000 };
	used = 0;
	CHECK_EQ_U(pci_window_take(&io, &used, 0x40), 0x40); /* not at bus address 0 */
	struct fw_pci_window top = { .pci = 0xfffffffffffff000ull, .size = 0x1000 };
	used = 0;
	CHECK_EQ_U(pci_window_take(&top, &used, 0x2000), 0); /* would wrap */
}

int main(void)
{
	test_scan();
	test_no_room();
	test_window_take();
	return check_report("pci");
}
