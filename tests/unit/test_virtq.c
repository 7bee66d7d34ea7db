/*
 * Split virtqueue bookkeeping against a simulated device: chains posted
 * and taken back, the free list whole again, a full queue refused, the
 * indices wrapping past 65535, a used id out of range ignored.
 */
#include <stdlib.h>
#include <string.h>

#include <drivers/virtio/virtio.h>

#include "check.h"

#define QSIZE 8

static uint8_t ring_mem[4 * 4096] __attribute__((aligned(4096)));

static void make_queue(struct virtq *q)
{
	memset(ring_mem, 0, sizeof(ring_mem));
	*q = (struct virtq){
		.size = QSIZE,
		.desc = (volatile struct virtq_desc *)ring_mem,
		.avail = (volatile uint16_t *)(ring_mem + 16 * QSIZE),
		.used = (volatile uint16_t *)(ring_mem + 4096),
		.num_free = QSIZE,
	};
	for (uint16_t i = 0; i < QSIZE; i++)
		q->desc[i].next = (uint16_t)(i + 1);
}

/* The device: take the next avail entry, check its chain, mark it used. */
static uint16_t dev_avail_seen;

static bool device_consume(struct virtq *q, unsigned want_n, uint32_t written)
{
	if (q->avail[1] == dev_avail_seen)
		return false;
	uint16_t head = q->avail[2 + dev_avail_seen % q->size];
	dev_avail_seen++;
	unsigned n = 1;
	for (uint16_t d = head; q->desc[d].flags & VIRTQ_DESC_F_NEXT; d = q->desc[d].next)
		n++;
	if (n != want_n)
		return false;
	volatile struct virtq_used_elem *ring = (volatile struct virtq_used_elem *)(q->used + 2);
	ring[q->used[1] % q->size].id = head;
	ring[q->used[1] % q->size].len = written;
	q->used[1]++;
	return true;
}

static void test_roundtrip(void)
{
	struct virtq q;
	uint8_t hdr[16], data[512], status;
	struct virtq_buf req[3] = { { hdr, 16, false }, { data, 512, true }, { &status, 1, true } };
	uint16_t id;
	uint32_t len;

	make_queue(&q);
	dev_avail_seen = 0;
	int h = virtq_add(&q, req, 3);
	CHECK(h >= 0);
	CHECK_EQ_U(q.num_free, QSIZE - 3);
	CHECK_EQ_U(q.desc[h].addr, (uint64_t)(uintptr_t)hdr);
	CHECK_EQ_U(q.desc[h].flags, VIRTQ_DESC_F_NEXT);
	uint16_t d1 = q.desc[h].next;
	CHECK_EQ_U(q.desc[d1].flags, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE);
	CHECK_EQ_U(q.desc[d1].len, 512);
	CHECK_EQ_U(q.desc[q.desc[d1].next].flags, VIRTQ_DESC_F_WRITE);
	CHECK(!virtq_get(&q, &id, &len)); /* nothing used yet */
	CHECK(device_consume(&q, 3, 513));
	CHECK(virtq_get(&q, &id, &len));
	CHECK_EQ_U(id, (unsigned)h);
	CHECK_EQ_U(len, 513);
	CHECK_EQ_U(q.num_free, QSIZE);
}

static void test_full_and_wrap(void)
{
	struct virtq q;
	uint8_t b[4];
	struct virtq_buf two[2] = { { b, 1, false }, { b + 1, 1, true } };
	uint16_t id;
	uint32_t len;

	make_queue(&q);
	dev_avail_seen = 0;
	for (int i = 0; i < QSIZE / 2; i++)
		CHECK(virtq_add(&q, two, 2) >= 0);
	CHECK(virtq_add(&q, two, 1) < 0); /* full */
	CHECK(virtq_add(&q, two, 0) < 0);
	for (int i = 0; i < QSIZE / 2; i++)
		CHECK(device_consume(&q, 2, 1) && virtq_get(&q, &id, &len));
	CHECK_EQ_U(q.num_free, QSIZE);
	/* 70000 more round trips: the 16-bit indices wrap, nothing leaks. */
	unsigned bad = 0;
	for (unsigned i = 0; i < 70000; i++) {
		int h = virtq_add(&q, two, 2);
		if (h < 0 || !device_consume(&q, 2, 1) || !virtq_get(&q, &id, &len) ||
		    id != (uint16_t)h)
			bad++;
	}
	CHECK_EQ_U(bad, 0);
	CHECK_EQ_U(q.num_free, QSIZE);
	CHECK(q.avail_idx == (uint16_t)(QSIZE / 2 + 70000));
}

static void test_bad_used_id(void)
{
	struct virtq q;
	uint16_t id;
	uint32_t len;

	make_queue(&q);
	volatile struct virtq_used_elem *ring = (volatile struct virtq_used_elem *)(q.used + 2);
	ring[0].id = QSIZE + 5;
	q.used[1] = 1;
	CHECK(!virtq_get(&q, &id, &len));
	CHECK_EQ_U(q.num_free, QSIZE);
}

int main(void)
{
	test_roundtrip();
	test_full_and_wrap();
	test_bad_used_id();
	return check_report("virtq");
}
