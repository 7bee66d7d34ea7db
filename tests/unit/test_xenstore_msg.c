/* xenstore's messages: requests as xenstored reads them, and replies put
 * together from pieces of any size, checked before use. */
#include <stdlib.h>
#include <string.h>

#include <drivers/xen/xen.h>

#include "check.h"

static struct xs_reply r;

/* A reply of type, req_id and body (blen bytes) into buf; its size. */
static size_t reply(char *buf, uint32_t type, uint32_t id, const char *body, uint32_t blen)
{
	struct xsd_sockmsg h = { .type = type, .req_id = id, .len = blen };

	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), body, blen);
	return sizeof(h) + blen;
}

/* Feed all of buf in chunks of step bytes; the last verdict. */
static enum xs_feed feed(const char *buf, size_t len, size_t step)
{
	enum xs_feed f = XS_MORE;
	size_t used;

	for (size_t i = 0; i < len; i += used) {
		size_t n = len - i < step ? len - i : step;
		if (n > xs_reply_need(&r))
			n = xs_reply_need(&r);
		f = xs_reply_feed(&r, buf + i, n, &used);
		if (f != XS_MORE)
			return f;
	}
	return f;
}

int main(void)
{
	static char buf[2 * XENSTORE_PAYLOAD_MAX], big[XENSTORE_PAYLOAD_MAX + 8], out[64];
	struct xsd_sockmsg h;
	unsigned count;
	uint32_t v;
	size_t n, used;

	/* Requests: READ ends its path with a NUL, WRITE's value has none. */
	n = xs_request(buf, sizeof(buf), XS_READ, 7, 0, "domid", NULL);
	CHECK_EQ_U(n, sizeof(h) + 6);
	memcpy(&h, buf, sizeof(h));
	CHECK_EQ_U(h.type, XS_READ);
	CHECK_EQ_U(h.req_id, 7);
	CHECK_EQ_U(h.len, 6);
	CHECK(!memcmp(buf + sizeof(h), "domid", 6));
	n = xs_request(buf, sizeof(buf), XS_WRITE, 8, 42, "data/x", "abc");
	memcpy(&h, buf, sizeof(h));
	CHECK_EQ_U(n, sizeof(h) + 10);
	CHECK_EQ_U(h.len, 10);
	CHECK_EQ_U(h.tx_id, 42);
	CHECK(!memcmp(buf + sizeof(h), "data/x\0abc", 10));
	n = xs_request(buf, sizeof(buf), XS_WATCH, 9, 0, "p", "tok");
	CHECK_EQ_U(n, sizeof(h) + 6);
	CHECK(!memcmp(buf + sizeof(h), "p\0tok\0", 6));
	n = xs_request(buf, sizeof(buf), XS_TRANSACTION_START, 1, 0, "", NULL);
	CHECK_EQ_U(n, sizeof(h) + 1);
	/* Too long for the ring's limit, or for the buffer. */
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	CHECK_EQ_U(xs_request(buf, sizeof(buf), XS_READ, 1, 0, big, NULL), 0);
	CHECK_EQ_U(xs_request(buf, 20, XS_READ, 1, 0, "domid", NULL), 0);

	/* A reply in pieces of one byte, then whole; two on one stream. */
	for (size_t step = 1; step <= 64; step *= 4) {
		xs_reply_reset(&r);
		n = reply(buf, XS_READ, 3, "17", 2);
		n += reply(buf + n, XS_ERROR, 4, "ENOENT", 7);
		size_t first = sizeof(h) + 2;
		CHECK_EQ_U(feed(buf, first, step), XS_DONE);
		CHECK_EQ_U(r.h.req_id, 3);
		CHECK(xs_reply_string(&r, out, sizeof(out)));
		CHECK_STR(out, "17");
		CHECK(!xs_reply_error(&r));
		/* Done: the next read is a header, never past it. */
		CHECK_EQ_U(xs_reply_need(&r), sizeof(h));
		CHECK_EQ_U(feed(buf + first, n - first, step), XS_DONE);
		CHECK_STR(xs_reply_error(&r), "ENOENT");
		CHECK_EQ_U(r.h.req_id, 4);
	}
	/* A value that does not fit, or holds a NUL, is refused. */
	xs_reply_reset(&r);
	CHECK_EQ_U(feed(buf, reply(buf, XS_READ, 1, "12345", 5), 100), XS_DONE);
	CHECK(!xs_reply_string(&r, out, 5));
	CHECK(xs_reply_string(&r, out, 6));
	CHECK_EQ_U(feed(buf, reply(buf, XS_READ, 1, "a\0b", 3), 100), XS_DONE);
	CHECK(!xs_reply_string(&r, out, sizeof(out)));
	/* An empty body completes with the header. */
	CHECK_EQ_U(feed(buf, reply(buf, XS_READ, 2, "", 0), 100), XS_DONE);
	CHECK(xs_reply_string(&r, out, sizeof(out)));
	CHECK_STR(out, "");
	/* An error word that is not one. */
	CHECK_EQ_U(feed(buf, reply(buf, XS_ERROR, 2, "E\nX", 4), 100), XS_DONE);
	CHECK_STR(xs_reply_error(&r), "a malformed error");

	/* A length past XENSTORE_PAYLOAD_MAX loses the stream at the header. */
	xs_reply_reset(&r);
	h = (struct xsd_sockmsg){ .type = XS_READ, .len = XENSTORE_PAYLOAD_MAX + 1 };
	memcpy(buf, &h, sizeof(h));
	CHECK_EQ_U(xs_reply_feed(&r, buf, sizeof(h) + 100, &used), XS_CORRUPT);
	CHECK_EQ_U(used, sizeof(h));
	/* The largest allowed is taken. */
	xs_reply_reset(&r);
	memset(big, 'b', XENSTORE_PAYLOAD_MAX);
	CHECK_EQ_U(feed(buf, reply(buf, XS_READ, 5, big, XENSTORE_PAYLOAD_MAX), 1000), XS_DONE);
	CHECK_EQ_U(r.h.len, XENSTORE_PAYLOAD_MAX);

	/* Directories: NUL-separated names, the last NUL required. */
	static char names[32];
	CHECK_EQ_U(feed(buf,
			reply(buf, XS_DIRECTORY, 1,
			      "0\0"
			      "51712\0",
			      8),
			100),
		   XS_DONE);
	CHECK(xs_reply_names(&r, names, sizeof(names), &count));
	CHECK_EQ_U(count, 2);
	CHECK(!memcmp(names,
		      "0\0"
		      "51712\0",
		      8));
	CHECK(!xs_reply_names(&r, names, 7, &count));
	CHECK_EQ_U(feed(buf, reply(buf, XS_DIRECTORY, 1, "", 0), 100), XS_DONE);
	CHECK(xs_reply_names(&r, names, sizeof(names), &count));
	CHECK_EQ_U(count, 0);
	CHECK_EQ_U(feed(buf, reply(buf, XS_DIRECTORY, 1, "ab", 2), 100), XS_DONE);
	CHECK(!xs_reply_names(&r, names, sizeof(names), &count));

	/* Watch events: "path\0token\0". */
	char path[16], token[8];
	CHECK_EQ_U(feed(buf, reply(buf, XS_WATCH_EVENT, 0, "be/state\0t1\0", 12), 100), XS_DONE);
	CHECK(xs_reply_event(&r, path, sizeof(path), token, sizeof(token)));
	CHECK_STR(path, "be/state");
	CHECK_STR(token, "t1");
	CHECK(!xs_reply_event(&r, path, 8, token, sizeof(token)));
	CHECK(xs_reply_event(&r, path, 9, token, 3));
	CHECK(!xs_reply_event(&r, path, 9, token, 2));
	CHECK_EQ_U(feed(buf, reply(buf, XS_WATCH_EVENT, 0, "be/state\0t1", 11), 100), XS_DONE);
	CHECK(!xs_reply_event(&r, path, sizeof(path), token, sizeof(token)));
	CHECK_EQ_U(feed(buf, reply(buf, XS_WATCH_EVENT, 0, "\0t\0", 3), 100), XS_DONE);
	CHECK(!xs_reply_event(&r, path, sizeof(path), token, sizeof(token)));
	CHECK_EQ_U(feed(buf, reply(buf, XS_READ, 0, "a\0b\0", 4), 100), XS_DONE);
	CHECK(!xs_reply_event(&r, path, sizeof(path), token, sizeof(token)));

	/* Transaction ids. */
	CHECK_EQ_U(feed(buf, reply(buf, XS_TRANSACTION_START, 1, "4294967295", 11), 100), XS_DONE);
	CHECK(xs_reply_u32(&r, &v));
	CHECK_EQ_U(v, 4294967295u);
	CHECK_EQ_U(feed(buf, reply(buf, XS_TRANSACTION_START, 1, "4294967296", 11), 100), XS_DONE);
	CHECK(!xs_reply_u32(&r, &v));
	CHECK_EQ_U(feed(buf, reply(buf, XS_TRANSACTION_START, 1, "12x", 4), 100), XS_DONE);
	CHECK(!xs_reply_u32(&r, &v));
	CHECK_EQ_U(feed(buf, reply(buf, XS_TRANSACTION_START, 1, "", 0), 100), XS_DONE);
	CHECK(!xs_reply_u32(&r, &v));
	return check_report("xenstore_msg");
}
