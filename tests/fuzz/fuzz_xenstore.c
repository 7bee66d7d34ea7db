#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <drivers/xen/xen.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Arbitrary bytes as xenstore's reply stream, in pieces of the size the
 * first byte picks, bounded by what the reader asks for (as the driver
 * reads the ring); every parser runs on every whole message. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct xs_reply r;
	char value[64], names[64], path[32], token[16];
	size_t chunk = size ? (data[0] % 23) + 1 : 1, used;
	unsigned count;
	uint32_t v;

	xs_reply_reset(&r);
	for (size_t i = 0; i < size; i += used) {
		size_t n = size - i < chunk ? size - i : chunk;
		if (n > xs_reply_need(&r))
			n = xs_reply_need(&r);
		enum xs_feed f = xs_reply_feed(&r, data + i, n, &used);
		if (f == XS_CORRUPT)
			break;
		/* The driver reads what need() says and drops nothing. */
		if (used != n || !n)
			abort();
		if (f == XS_DONE) {
			xs_reply_string(&r, value, sizeof(value));
			xs_reply_error(&r);
			xs_reply_names(&r, names, sizeof(names), &count);
			xs_reply_event(&r, path, sizeof(path), token, sizeof(token));
			xs_reply_u32(&r, &v);
		}
	}
	return 0;
}
