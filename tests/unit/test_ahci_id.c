/* IDENTIFY DEVICE's answer (ahci_id_parse): ATA strings with each word's
 * bytes swapped, LBA48 or LBA28 sizes, NCQ and its depth. */
#include <string.h>

#include <drivers/blk/ahci.h>
#include <drivers/blk/blkdev.h>

#include "check.h"

/* An ATA string into words as a device gives it: the first character of
 * each pair in the high byte, space-padded. */
static void put_string(uint16_t *id, unsigned word, unsigned bytes, const char *text)
{
	char buf[64];

	memset(buf, ' ', sizeof(buf));
	memcpy(buf, text, strlen(text));
	for (unsigned i = 0; i < bytes / 2; i++)
		id[word + i] = (uint16_t)((uint8_t)buf[2 * i] << 8 | (uint8_t)buf[2 * i + 1]);
}

int main(void)
{
	uint16_t id[256];
	struct ahci_id a;
	uint64_t first = 99;

	/* QEMU's ide-hd with serial=vmbench-scratch, 64 MiB, NCQ depth 32. */
	memset(id, 0, sizeof(id));
	put_string(id, 10, 20, "vmbench-scratch");
	put_string(id, 27, 40, "QEMU HARDDISK");
	id[83] = 1u << 10;
	id[100] = 0x0000, id[101] = 0x0002; /* 0x20000 sectors */
	id[60] = 0xffff, id[61] = 0x0fff;   /* LBA28's, ignored with LBA48 */
	id[76] = 1u << 8;
	id[75] = 31;
	ahci_id_parse(id, &a);
	CHECK(!strcmp(a.serial, "vmbench-scratch"));
	CHECK(!strcmp(a.model, "QEMU HARDDISK"));
	CHECK(a.lba48);
	CHECK_EQ_U(a.sectors, 0x20000);
	CHECK(a.ncq);
	CHECK_EQ_U(a.queue_depth, 32);
	/* The padded serial is what the scratch rule is given. */
	CHECK(blkdev_scratch_rule(a.serial_raw, sizeof(a.serial_raw), NULL, &first) != NULL);
	CHECK_EQ_U(first, 0);

	/* Byte order matters: the same bytes unswapped are another serial. */
	for (unsigned i = 10; i < 20; i++)
		id[i] = (uint16_t)(id[i] << 8 | id[i] >> 8);
	ahci_id_parse(id, &a);
	CHECK(strcmp(a.serial, "vmbench-scratch"));
	CHECK(blkdev_scratch_rule(a.serial_raw, sizeof(a.serial_raw), NULL, &first) == NULL);

	/* A 20-byte serial with no padding, a user's disk. */
	put_string(id, 10, 20, "S3Z9NB0K123456A12345");
	ahci_id_parse(id, &a);
	CHECK(!strcmp(a.serial, "S3Z9NB0K123456A12345"));
	CHECK(blkdev_scratch_rule(a.serial_raw, sizeof(a.serial_raw), NULL, &first) == NULL);

	/* Above 2 TiB: all four words count. */
	id[100] = 0x5678, id[101] = 0x1234, id[102] = 0x0001, id[103] = 0;
	ahci_id_parse(id, &a);
	CHECK_EQ_U(a.sectors, 0x112345678ull);

	/* No LBA48: the 28-bit size, and the driver refuses the disk. */
	id[83] = 0;
	ahci_id_parse(id, &a);
	CHECK(!a.lba48);
	CHECK_EQ_U(a.sectors, 0x0fffffff);

	/* No NCQ (word 76 bit 8 clear, or the word all ones): depth 1. */
	id[76] = 0;
	ahci_id_parse(id, &a);
	CHECK(!a.ncq);
	CHECK_EQ_U(a.queue_depth, 1);
	id[76] = 0xffff;
	ahci_id_parse(id, &a);
	CHECK(!a.ncq);

	/* An empty serial (all spaces) is empty text, not scratch. */
	put_string(id, 10, 20, "");
	ahci_id_parse(id, &a);
	CHECK(!strcmp(a.serial, ""));
	CHECK(blkdev_scratch_rule(a.serial_raw, sizeof(a.serial_raw), NULL, &first) == NULL);
	return check_report("ahci_id");
}
