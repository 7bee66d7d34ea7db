/* The scratch rule and mark (blkdev.h), plain C, tested on the host. */
#include <string.h>

#include <drivers/blk/blkdev.h>

bool blkdev_is_marked(const void *sector0)
{
	return !memcmp(sector0, BLKDEV_MARK, sizeof(BLKDEV_MARK) - 1);
}

const char *blkdev_scratch_rule(const char *serial, size_t serial_len, const void *sector0,
				uint64_t *first_sector)
{
	if (serial) {
		size_t n = 0;
		while (n < serial_len && serial[n])
			n++;
		while (n && serial[n - 1] == ' ')
			n--;
		if (n == sizeof(BLKDEV_SCRATCH_SERIAL) - 1 &&
		    !memcmp(serial, BLKDEV_SCRATCH_SERIAL, n)) {
			*first_sector = 0;
			return "its serial " BLKDEV_SCRATCH_SERIAL;
		}
	}
	if (sector0 && blkdev_is_marked(sector0)) {
		*first_sector = BLKDEV_MARK_KEEP / BLKDEV_SECTOR;
		return "the scratch mark";
	}
	return NULL;
}
