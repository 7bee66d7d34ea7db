/* The scratch rule (blkdev_scratch_rule): which disks the image may
 * write, by serial or by the mark, and from which sector. */
#include <string.h>

#include <drivers/blk/blkdev.h>

#include "check.h"

int main(void)
{
	unsigned char s0[512];
	uint64_t first = 99;

	memset(s0, 0, sizeof(s0));
	/* Serials as devices pad them: NVMe and ATA with spaces, virtio with NULs. */
	char ata[20], nvme[20];
	memset(ata, ' ', sizeof(ata));
	memcpy(ata, "vmbench-scratch", 15);
	CHECK(blkdev_scratch_rule(ata, sizeof(ata), s0, &first) != NULL);
	CHECK_EQ_U(first, 0);
	memset(nvme, 0, sizeof(nvme));
	memcpy(nvme, "vmbench-scratch", 15);
	first = 99;
	CHECK(blkdev_scratch_rule(nvme, sizeof(nvme), NULL, &first) != NULL);
	CHECK_EQ_U(first, 0);
	/* Exactly 15 bytes, no padding at all. */
	CHECK(blkdev_scratch_rule("vmbench-scratch", 15, NULL, &first) != NULL);

	/* Near misses are not scratch: a prefix, a longer serial, another case,
	 * leading spaces, a user's real serial. */
	first = 99;
	CHECK(blkdev_scratch_rule("vmbench-scratc", 14, s0, &first) == NULL);
	CHECK(blkdev_scratch_rule("vmbench-scratch2", 16, s0, &first) == NULL);
	CHECK(blkdev_scratch_rule("VMBENCH-SCRATCH", 15, s0, &first) == NULL);
	CHECK(blkdev_scratch_rule(" vmbench-scratch", 16, s0, &first) == NULL);
	CHECK(blkdev_scratch_rule("S3Z9NB0K123456A     ", 20, s0, &first) == NULL);
	CHECK(blkdev_scratch_rule(NULL, 0, NULL, &first) == NULL);
	CHECK_EQ_U(first, 99); /* left as it was when not scratch */
	/* A serial cut short by serial_len is not the whole word. */
	CHECK(blkdev_scratch_rule("vmbench-scratch", 10, NULL, &first) == NULL);

	/* The mark: writable past BLKDEV_MARK_KEEP only. */
	memcpy(s0, BLKDEV_MARK, strlen(BLKDEV_MARK));
	CHECK(blkdev_scratch_rule("S3Z9NB0K123456A", 15, s0, &first) != NULL);
	CHECK_EQ_U(first, BLKDEV_MARK_KEEP / BLKDEV_SECTOR);
	CHECK_STR(blkdev_scratch_rule(NULL, 0, s0, &first), "the scratch mark");
	/* The serial wins: the whole disk is scratch. */
	CHECK(blkdev_scratch_rule(ata, sizeof(ata), s0, &first) != NULL);
	CHECK_EQ_U(first, 0);
	/* A mark that is not exactly the mark. */
	s0[strlen(BLKDEV_MARK) - 1] = ' ';
	first = 99;
	CHECK(blkdev_scratch_rule(NULL, 0, s0, &first) == NULL);
	CHECK_EQ_U(first, 99);
	return check_report("scratch_rule");
}
