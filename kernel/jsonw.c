#include <stdio.h>
#include <string.h>

#include <vmb/crc32.h>
#include <vmb/jsonw.h>

/* ,"seq":18446744073709551615,"crc":"xxxxxxxx"} and the terminator. */
#define SEAL_ROOM 48

static void put(struct jsonw *w, const char *s, size_t n)
{
	/* Keep 2 bytes for the closing brace and the terminator. */
	if (w->overflow || w->len + n + 2 > w->cap) {
		w->overflow = true;
		return;
	}
	memcpy(w->buf + w->len, s, n);
	w->len += n;
	w->buf[w->len] = 0;
}

static void puts_escaped(struct jsonw *w, const char *s)
{
	put(w, "\"", 1);
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		char esc[8];

		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			put(w, esc, 2);
		} else if (c < 0x20 || c >= 0x7f) {
			/* Bytes from firmware tables may be anything. */
			snprintf(esc, sizeof(esc), "\\u%04x", c);
			put(w, esc, 6);
		} else {
			put(w, (const char *)&c, 1);
		}
	}
	put(w, "\"", 1);
}

static void key(struct jsonw *w, const char *k)
{
	if (!w->first)
		put(w, ",", 1);
	w->first = false;
	puts_escaped(w, k);
	put(w, ":", 1);
}

void jw_begin(struct jsonw *w, char *buf, size_t cap)
{
	w->buf = buf;
	w->room = cap > SEAL_ROOM + 3 ? SEAL_ROOM : 0;
	w->cap = cap - w->room;
	w->len = 0;
	w->first = true;
	w->overflow = cap < 3;
	if (!w->overflow) {
		buf[0] = '{';
		buf[1] = 0;
		w->len = 1;
	}
}

void jw_str(struct jsonw *w, const char *k, const char *value)
{
	size_t mark = w->len;
	bool first = w->first;

	key(w, k);
	puts_escaped(w, value);
	/* Drop a member that did not fit whole, so the object stays valid. */
	if (w->overflow) {
		w->len = mark;
		w->first = first;
		if (w->cap)
			w->buf[mark] = 0;
	}
}

static void number(struct jsonw *w, const char *k, const char *text)
{
	size_t mark = w->len;
	bool first = w->first;

	key(w, k);
	put(w, text, strlen(text));
	if (w->overflow) {
		w->len = mark;
		w->first = first;
		if (w->cap)
			w->buf[mark] = 0;
	}
}

void jw_u64(struct jsonw *w, const char *k, uint64_t value)
{
	char t[24];

	snprintf(t, sizeof(t), "%llu", (unsigned long long)value);
	number(w, k, t);
}

void jw_i64(struct jsonw *w, const char *k, int64_t value)
{
	char t[24];

	snprintf(t, sizeof(t), "%lld", (long long)value);
	number(w, k, t);
}

void jw_u64s(struct jsonw *w, const char *k, const uint64_t *values, size_t n)
{
	size_t mark = w->len;
	bool first = w->first;
	char t[24];

	/* Straight into the record: a histogram's array is too long for a
	 * copy on the image's small stacks. */
	key(w, k);
	put(w, "[", 1);
	for (size_t i = 0; i < n && !w->overflow; i++) {
		snprintf(t, sizeof(t), "%s%llu", i ? "," : "", (unsigned long long)values[i]);
		put(w, t, strlen(t));
	}
	put(w, "]", 1);
	if (w->overflow) {
		w->len = mark;
		w->first = first;
		if (w->cap)
			w->buf[mark] = 0;
	}
}

void jw_bool(struct jsonw *w, const char *k, bool value)
{
	number(w, k, value ? "true" : "false");
}

const char *jw_end(struct jsonw *w)
{
	if (w->cap < 3)
		return "{}";
	/* put() always left room for the brace. */
	w->buf[w->len++] = '}';
	w->buf[w->len] = 0;
	return w->buf;
}

const char *jw_seal(struct jsonw *w, uint64_t seq)
{
	char tail[SEAL_ROOM];

	if (w->cap < 3)
		return "{}";
	/* The room kept back is the writer's again, for these two only. */
	w->cap += w->room;
	w->room = 0;
	w->overflow = false;
	snprintf(tail, sizeof(tail), "%s\"seq\":%llu", w->first ? "" : ",",
		 (unsigned long long)seq);
	put(w, tail, strlen(tail));
	snprintf(tail, sizeof(tail), ",\"crc\":\"%08lx\"}",
		 (unsigned long)vmb_crc32(w->buf, w->len));
	put(w, tail, strlen(tail));
	w->buf[w->len] = 0;
	return w->buf;
}
