/*
 * Block I/O on the scratch disk (blkdev.h: a disk of any kind the image
 * drives whose serial is vmbench-scratch or that carries the scratch mark;
 * the only disk the image writes to), polled completion:
 *   blk_read_lat   4 KiB random reads, one in flight (time per read);
 *   blk_read_iops  4 KiB random reads, 32 in flight (time per read, the
 *                  inverse of the rate);
 *   blk_seq_read   1 MiB sequential reads (time per MiB);
 *   blk_read_lat.irq  as blk_read_lat, completion signalled by the device's
 *                  interrupt (PCI: MSI-X, else INTx; MMIO: its GIC SPI; Xen:
 *                  the event channel's upcall): from the submission until
 *                  the handler runs (skipped, saying why, where there is
 *                  none).
 * A known pattern is written over the region first and every read is
 * checked against it, so a broken driver cannot report fast zeros.
 */
#include <stdio.h>
#include <string.h>

#include <arch/counter.h>
#include <vmb/arch.h>
#include <bench/bench.h>
#include <vmb/irq.h>
#include <vmb/mem.h>
#include <vmb/platform.h>
#include <vmb/report.h>
#include <drivers/blk/blkdev.h>

#define SECTOR BLKDEV_SECTOR
#define BLOCK 4096u
#define BIG (1u << 20)
#define REGION_MAX (16ull << 20)
#define DEPTH BLKDEV_SLOTS
#define IO_TIMEOUT_MS 2000
#define IOPS_BATCH 256

static struct {
	bool tried, ready, found; /* found: the disk is there, its I/O failed */
	char why[320];
	struct blkdev dev;
	uint64_t region_base, region_sectors; /* the sectors written and read */
	uint8_t *big;			      /* 1 MiB */
	uint8_t *block[DEPTH];		      /* 4 KiB each */
	uint64_t block_sector[DEPTH];
	unsigned irq; /* the completion interrupt, while blk_read_lat.irq runs */
	uint64_t rng;
} io;

/* The 8-byte word i of sector s: unique to both. */
static uint64_t pattern(uint64_t s, unsigned i)
{
	return (s << 16 | i) ^ 0x5a5aa5a5c3c33c3cull;
}

static void fill(uint8_t *buf, uint64_t sector, uint32_t len)
{
	uint64_t *w = (uint64_t *)buf;

	for (uint32_t s = 0; s < len / SECTOR; s++)
		for (unsigned i = 0; i < SECTOR / 8; i++)
			w[s * (SECTOR / 8) + i] = pattern(sector + s, i);
}

/* The first sector that does not hold its pattern, or -1. */
static int64_t check(const uint8_t *buf, uint64_t sector, uint32_t len)
{
	const uint64_t *w = (const uint64_t *)buf;

	for (uint32_t s = 0; s < len / SECTOR; s++)
		for (unsigned i = 0; i < SECTOR / 8; i++)
			if (w[s * (SECTOR / 8) + i] != pattern(sector + s, i))
				return (int64_t)(sector + s);
	return -1;
}

static uint64_t next_block(void)
{
	io.rng = io.rng * 6364136223846793005ull + 1442695040888963407ull;
	return io.region_base +
	       (io.rng >> 33) % (io.region_sectors / (BLOCK / SECTOR)) * (BLOCK / SECTOR);
}

/* Once: find the disk, write the pattern over the region, read it back. */
static bool setup(void)
{
	if (io.tried)
		return io.ready;
	io.tried = true;
	bool found;
	if (!blkdev_open_scratch(&io.dev, &found, io.why, sizeof(io.why))) {
		/* A scratch disk that is there but fails is an error; none, a skip. */
		io.found = found;
		return false;
	}
	/* Read-only (QEMU readonly=on, a vbd given "r"): the pattern cannot be
	 * written, so there is nothing to verify reads against; not a broken
	 * disk. */
	if (io.dev.read_only) {
		snprintf(io.why, sizeof(io.why),
			 "the scratch disk at %s is read-only (%s): the block benchmarks write a "
			 "pattern first",
			 io.dev.where, io.dev.read_only_why);
		return false;
	}
	io.region_base = io.dev.first_sector;
	uint64_t bytes =
		io.dev.sectors > io.region_base ? (io.dev.sectors - io.region_base) * SECTOR : 0;
	/* Too small to hold one 1 MiB read: not a broken disk either, a skip. */
	if (bytes < BIG) {
		snprintf(io.why, sizeof(io.why),
			 "the scratch disk at %s is too small: %llu bytes from sector %llu, "
			 "the block benchmarks need 1 MiB",
			 io.dev.where, (unsigned long long)bytes,
			 (unsigned long long)io.region_base);
		return false;
	}
	io.found = true;
	io.region_sectors =
		(bytes < REGION_MAX ? bytes & ~(uint64_t)(BIG - 1) : REGION_MAX) / SECTOR;
	io.big = mem_alloc_pages(BIG / 4096);
	for (unsigned i = 0; i < DEPTH; i++)
		io.block[i] = mem_alloc_pages(BLOCK / 4096);
	if (!io.big || !io.block[DEPTH - 1]) {
		snprintf(io.why, sizeof(io.why), "no memory for I/O buffers");
		return false;
	}
	uint64_t end = io.region_base + io.region_sectors;
	for (uint64_t s = io.region_base; s < end; s += BIG / SECTOR) {
		fill(io.big, s, BIG);
		if (!blkdev_sync(&io.dev, true, s, io.big, BIG, IO_TIMEOUT_MS, io.why,
				 sizeof(io.why)))
			return false;
	}
	memset(io.big, 0, BIG);
	if (!blkdev_sync(&io.dev, false, io.region_base, io.big, BIG, IO_TIMEOUT_MS, io.why,
			 sizeof(io.why)))
		return false;
	int64_t bad = check(io.big, io.region_base, BIG);
	if (bad >= 0) {
		snprintf(io.why, sizeof(io.why),
			 "sector %lld read back differs from what was written: the disk or the "
			 "driver is broken",
			 (long long)bad);
		return false;
	}
	io.rng = 0x9e3779b97f4a7c15ull;
	report_info("blk: scratch disk at %s, %llu MiB, pattern written over %llu MiB from sector "
		    "%llu and read back",
		    io.dev.where, (unsigned long long)(io.dev.sectors * SECTOR >> 20),
		    (unsigned long long)(io.region_sectors * SECTOR >> 20),
		    (unsigned long long)io.region_base);
	return io.ready = true;
}

static enum bench_prep blk_prep(struct bench_ctx *ctx, const char *what)
{
	/* No scratch disk: nothing to measure. A scratch disk that fails,
	 * times out or returns wrong data: an error. */
	if (!setup())
		return bench_why(ctx, io.found ? BENCH_FAIL : BENCH_SKIP, "%s", io.why);
	snprintf(ctx->call, sizeof(ctx->call), "%s %s, polled, over %llu MiB", io.dev.path, what,
		 (unsigned long long)(io.region_sectors * SECTOR >> 20));
	return BENCH_RUN;
}

static bool verify(struct bench_ctx *ctx, const uint8_t *buf, uint64_t sector, uint32_t len)
{
	int64_t bad = check(buf, sector, len);

	if (bad < 0)
		return true;
	bench_why(ctx, BENCH_FAIL, "sector %lld read back wrong data", (long long)bad);
	return false;
}

/* One read queued (kicked by the caller); a device with no room for it is
 * an error, not a wait. */
static bool submit(struct bench_ctx *ctx, unsigned slot, uint64_t sector, void *buf, uint32_t len)
{
	if (io.dev.ops->submit(&io.dev, slot, false, sector, buf, len))
		return true;
	bench_why(ctx, BENCH_FAIL, "%s had no room for a read", io.dev.where);
	return false;
}

static void kick(void)
{
	io.dev.ops->kick(&io.dev);
}

static bool poll_one(struct bench_ctx *ctx, unsigned *slot)
{
	bool ok;

	if (!blkdev_wait(&io.dev, IO_TIMEOUT_MS, slot, &ok)) {
		bench_why(ctx, BENCH_FAIL, "a read was not completed within %u ms", IO_TIMEOUT_MS);
		return false;
	}
	if (!ok)
		bench_why(ctx, BENCH_FAIL, "the device failed a read");
	return ok;
}

static enum bench_prep lat_prep(struct bench_ctx *ctx)
{
	return blk_prep(ctx, "4 KiB random read, 1 in flight");
}

static uint64_t lat_measure(struct bench_ctx *ctx, uint32_t batch)
{
	uint64_t sum = 0;

	for (uint32_t i = 0; i < batch; i++) {
		uint64_t s = next_block();
		unsigned slot;
		uint64_t t0 = counter_start();
		if (!submit(ctx, 0, s, io.block[0], BLOCK))
			return BENCH_LOST;
		kick();
		if (!poll_one(ctx, &slot))
			return BENCH_LOST;
		sum += counter_stop() - t0;
		if (!verify(ctx, io.block[0], s, BLOCK))
			return BENCH_LOST;
	}
	return sum;
}

static volatile uint64_t irq_at;
static volatile unsigned irq_count;

static void blk_irq_handler(unsigned irq, void *arg)
{
	(void)irq, (void)arg;
	irq_at = ref_now();
	irq_count++;
	io.dev.ops->irq_ack(&io.dev);
}

static enum bench_prep irq_prep(struct bench_ctx *ctx)
{
	char why[288];
	enum bench_prep v = blk_prep(ctx, "4 KiB random read, 1 in flight");

	if (v != BENCH_RUN)
		return v;
	if (!io.dev.ops->irq(&io.dev, &io.irq, why, sizeof(why)))
		return bench_why(ctx, BENCH_SKIP, "no completion interrupt: %s; see blk_read_lat",
				 why);
	irq_register(io.irq, blk_irq_handler, NULL, false);
	io.dev.ops->irq_on(&io.dev, true);
	snprintf(ctx->call, sizeof(ctx->call),
		 "%s 4 KiB random read, 1 in flight, %s %u to handler", io.dev.path, io.dev.irq_via,
		 io.irq);
	return BENCH_RUN;
}

/* Submission to the completion interrupt's handler, on the reference
 * clock (the handler stamps it); the request is then taken back as when
 * polling, and its data checked. */
static uint64_t irq_measure(struct bench_ctx *ctx, uint32_t batch)
{
	uint64_t s = next_block(), limit = ref_ms(IO_TIMEOUT_MS);
	unsigned before = irq_count, slot;

	(void)batch; /* max_batch 1 */
	uint64_t t0 = ref_now();
	if (!submit(ctx, 0, s, io.block[0], BLOCK))
		return BENCH_LOST;
	kick();
	arch_irq_enable();
	while (irq_count == before && ref_now() - t0 < limit)
		arch_cpu_relax();
	arch_irq_disable();
	if (irq_count == before) {
		/* Take the read back, so that the next benchmark finds its slot
		 * free, and say whether the device did its part. */
		char state[160] = "";
		if (io.dev.ops->irq_state)
			io.dev.ops->irq_state(&io.dev, state, sizeof(state));
		bool done = blkdev_wait(&io.dev, IO_TIMEOUT_MS, &slot, &(bool){ false });
		bench_why(ctx, BENCH_FAIL, "no completion interrupt within %u ms (the read %s)%s%s",
			  IO_TIMEOUT_MS, done ? "completed" : "did not complete either",
			  state[0] ? ": " : "", state);
		return BENCH_LOST;
	}
	uint64_t t = irq_at - t0;
	if (!poll_one(ctx, &slot) || !verify(ctx, io.block[0], s, BLOCK))
		return BENCH_LOST;
	return t;
}

static void irq_post(struct bench_ctx *ctx)
{
	(void)ctx;
	if (!io.ready || !io.irq)
		return;
	io.dev.ops->irq_on(&io.dev, false);
	irq_unregister(io.irq);
	io.irq = 0;
}

static enum bench_prep iops_prep(struct bench_ctx *ctx)
{
	return blk_prep(ctx, "4 KiB random read, 32 in flight, time per read");
}

/* batch reads with DEPTH in flight, from the first submission to the last
 * completion; each checked as it completes (inside the time: at this
 * depth the device works meanwhile). */
static uint64_t iops_measure(struct bench_ctx *ctx, uint32_t batch)
{
	uint32_t issued = 0, done = 0;
	uint64_t t0 = counter_start();

	for (unsigned k = 0; k < DEPTH && issued < batch; k++, issued++) {
		io.block_sector[k] = next_block();
		if (!submit(ctx, k, io.block_sector[k], io.block[k], BLOCK))
			return BENCH_LOST;
	}
	kick();
	while (done < batch) {
		unsigned k;
		if (!poll_one(ctx, &k) || !verify(ctx, io.block[k], io.block_sector[k], BLOCK))
			return BENCH_LOST;
		done++;
		if (issued < batch) {
			io.block_sector[k] = next_block();
			if (!submit(ctx, k, io.block_sector[k], io.block[k], BLOCK))
				return BENCH_LOST;
			kick();
			issued++;
		}
	}
	return counter_stop() - t0;
}

static enum bench_prep seq_prep(struct bench_ctx *ctx)
{
	return blk_prep(ctx, "1 MiB sequential read, time per MiB");
}

static uint64_t seq_measure(struct bench_ctx *ctx, uint32_t batch)
{
	uint64_t sum = 0;
	static uint64_t at;

	for (uint32_t i = 0; i < batch; i++) {
		unsigned slot;
		if (at >= io.region_sectors)
			at = 0;
		uint64_t t0 = counter_start();
		if (!submit(ctx, 0, io.region_base + at, io.big, BIG))
			return BENCH_LOST;
		kick();
		if (!poll_one(ctx, &slot))
			return BENCH_LOST;
		sum += counter_stop() - t0;
		if (!verify(ctx, io.big, io.region_base + at, BIG))
			return BENCH_LOST;
		at += BIG / SECTOR;
	}
	return sum;
}

BENCH(blk_read_lat, .desc = "4 KiB random read from the scratch disk, queue depth 1",
      .prep = lat_prep, .measure = lat_measure, .order = 20);
BENCH(blk_read_iops, .desc = "4 KiB random reads at queue depth 32: time per read",
      .prep = iops_prep, .measure = iops_measure, .min_batch = IOPS_BATCH, .max_batch = IOPS_BATCH,
      .order = 20);
BENCH_NAMED(blk_read_lat_irq, "blk_read_lat.irq",
	    .desc = "4 KiB random read, queue depth 1, completion by interrupt", .prep = irq_prep,
	    .measure = irq_measure, .max_batch = 1, .ref_clock = true, .post = irq_post,
	    .order = 20);
BENCH(blk_seq_read, .desc = "1 MiB sequential reads: time per MiB", .prep = seq_prep,
      .measure = seq_measure, .order = 20);
