/*
 * xenstore's messages (io/xs_wire.h, docs/misc/xenstore.txt): a request
 * is a header and its arguments, each ended by a NUL except WRITE's value;
 * a reply comes off the ring in pieces and is put together here, checked
 * before anything trusts it, since dom0 writes it. Plain C, tested on the
 * host and fuzzed.
 */
#include <string.h>

#include <drivers/xen/xen.h>

size_t xs_request(void *buf, size_t cap, uint32_t type, uint32_t req_id, uint32_t tx,
		  const char *arg0, const char *arg1)
{
	size_t n0 = strlen(arg0) + 1, n1 = arg1 ? strlen(arg1) + 1 : 0;
	struct xsd_sockmsg h = { .type = type, .req_id = req_id, .tx_id = tx };
	char *p = buf;

	/* WRITE's value is the node's bytes: no NUL of its own. */
	if (arg1 && type == XS_WRITE)
		n1--;
	if (n0 + n1 > XENSTORE_PAYLOAD_MAX || sizeof(h) + n0 + n1 > cap)
		return 0;
	h.len = (uint32_t)(n0 + n1);
	memcpy(p, &h, sizeof(h));
	memcpy(p + sizeof(h), arg0, n0);
	if (arg1)
		memcpy(p + sizeof(h) + n0, arg1, n1);
	return sizeof(h) + h.len;
}

void xs_reply_reset(struct xs_reply *r)
{
	r->got = 0;
	r->h.len = 0;
}

size_t xs_reply_need(const struct xs_reply *r)
{
	/* A whole message waiting to be handed out: next comes a header. */
	if (r->got >= sizeof(r->h) && r->got == sizeof(r->h) + r->h.len)
		return sizeof(r->h);
	if (r->got < sizeof(r->h))
		return sizeof(r->h) - r->got;
	return sizeof(r->h) + r->h.len - r->got;
}

enum xs_feed xs_reply_feed(struct xs_reply *r, const void *data, size_t len, size_t *used)
{
	const char *s = data;
	size_t take;

	*used = 0;
	if (r->got == sizeof(r->h) + r->h.len)
		xs_reply_reset(r); /* the last one was handed out: a new one */
	while (*used < len) {
		if (r->got < sizeof(r->h)) {
			take = sizeof(r->h) - r->got;
			take = take < len - *used ? take : len - *used;
			memcpy((char *)&r->h + r->got, s + *used, take);
		} else {
			take = xs_reply_need(r);
			take = take < len - *used ? take : len - *used;
			memcpy(r->body + (r->got - sizeof(r->h)), s + *used, take);
		}
		r->got += (uint32_t)take;
		*used += take;
		/* The length is checked before a byte of the body is stored. */
		if (r->got == sizeof(r->h) && r->h.len > XENSTORE_PAYLOAD_MAX)
			return XS_CORRUPT;
		if (r->got >= sizeof(r->h) && r->got == sizeof(r->h) + r->h.len) {
			r->body[r->h.len] = 0;
			return XS_DONE;
		}
	}
	return XS_MORE;
}

bool xs_reply_string(const struct xs_reply *r, char *out, size_t len)
{
	/* A value with a NUL inside, or one that does not fit, is not the
	 * string the caller asked for: refused rather than cut. */
	if (memchr(r->body, 0, r->h.len) || r->h.len >= len)
		return false;
	memcpy(out, r->body, r->h.len + 1);
	return true;
}

const char *xs_reply_error(const struct xs_reply *r)
{
	if (r->h.type != XS_ERROR)
		return NULL;
	/* The word is ours to print: anything but A-Z and digits is refused. */
	for (uint32_t i = 0; i < r->h.len && r->body[i]; i++)
		if (!(r->body[i] >= 'A' && r->body[i] <= 'Z') &&
		    !(r->body[i] >= '0' && r->body[i] <= '9'))
			return "a malformed error";
	return r->body[0] ? r->body : "an empty error";
}

bool xs_reply_names(const struct xs_reply *r, char *names, size_t len, unsigned *count)
{
	size_t o = 0;

	*count = 0;
	/* Every name ends with a NUL, the last one too. */
	if (r->h.len && r->body[r->h.len - 1])
		return false;
	for (uint32_t i = 0; i < r->h.len;) {
		size_t n = strlen(r->body + i);
		if (n && o + n + 1 > len)
			return false;
		if (n) {
			memcpy(names + o, r->body + i, n + 1);
			o += n + 1;
			(*count)++;
		}
		i += (uint32_t)n + 1;
	}
	return true;
}

bool xs_reply_event(const struct xs_reply *r, char *path, size_t plen, char *token, size_t tlen)
{
	const char *p = r->body, *t, *end;

	if (r->h.type != XS_WATCH_EVENT)
		return false;
	end = memchr(p, 0, r->h.len);
	if (!end || end == p)
		return false;
	t = end + 1;
	end = memchr(t, 0, r->h.len - (size_t)(t - p));
	if (!end || (size_t)(t - p) > plen || (size_t)(end - t) >= tlen)
		return false;
	memcpy(path, p, (size_t)(t - p));
	memcpy(token, t, (size_t)(end - t) + 1);
	return true;
}

bool xs_reply_u32(const struct xs_reply *r, uint32_t *v)
{
	uint64_t n = 0;
	uint32_t i;

	for (i = 0; i < r->h.len && r->body[i]; i++) {
		if (r->body[i] < '0' || r->body[i] > '9' || i >= 10)
			return false;
		n = n * 10 + (uint64_t)(r->body[i] - '0');
	}
	if (!i || n > UINT32_MAX)
		return false;
	*v = (uint32_t)n;
	return true;
}
