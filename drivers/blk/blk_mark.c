/* The scratch mark (blkdev.h), plain C, tested on the host. */
#include <string.h>

#include <drivers/blk/blkdev.h>

bool blkdev_is_marked(const void *sector0)
{
	return !memcmp(sector0, BLKDEV_MARK, sizeof(BLKDEV_MARK) - 1);
}
