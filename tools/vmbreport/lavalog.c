/*
 * LAVA's job log: what lava-dispatcher's YAML logger writes (lava_common's
 * log.py: every key and value double-quoted, one line per entry) and what
 * a server's "download log" gives (the same lines, each after "- ").
 *
 * A console line reaches the log in two steps, undone here in reverse:
 * the dispatcher's shell logger drops CRs and escapes each '"' as '\"',
 * then YAML's double-quoted style escapes that again.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "lavalog.h"

struct span {
	char *start; /* after the opening quote */
	char *end;   /* at the closing quote */
};

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* A double-quoted scalar from p (at its opening quote): its span, and the
 * position after the closing quote; NULL when it does not close. */
static char *quoted(char *p, struct span *s)
{
	if (*p != '"')
		return NULL;
	s->start = ++p;
	while (*p && *p != '"') {
		if (*p == '\\') {
			if (!p[1])
				return NULL;
			p++;
		}
		p++;
	}
	if (*p != '"')
		return NULL;
	s->end = p;
	return p + 1;
}

/* Skips a value that is not a string (the results entries' mappings),
 * brackets balanced, strings inside skipped whole. */
static char *other_value(char *p)
{
	int depth = 0;
	struct span s;

	for (;;) {
		if (!*p)
			return NULL;
		if (*p == '"') {
			p = quoted(p, &s);
			if (!p)
				return NULL;
			continue;
		}
		if (*p == '{' || *p == '[')
			depth++;
		else if (*p == '}' || *p == ']') {
			if (depth == 0)
				return p;
			depth--;
		} else if (*p == ',' && depth == 0)
			return p;
		p++;
	}
}

static bool span_is(const struct span *s, const char *text)
{
	size_t n = strlen(text);
	return (size_t)(s->end - s->start) == n && !memcmp(s->start, text, n);
}

static char *put_utf8(char *w, unsigned long cp)
{
	if (cp < 0x80) {
		if (cp) /* a NUL would end the line early: dropped */
			*w++ = (char)cp;
	} else if (cp < 0x800) {
		*w++ = (char)(0xc0 | (cp >> 6));
		*w++ = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		*w++ = (char)(0xe0 | (cp >> 12));
		*w++ = (char)(0x80 | ((cp >> 6) & 0x3f));
		*w++ = (char)(0x80 | (cp & 0x3f));
	} else {
		*w++ = (char)(0xf0 | (cp >> 18));
		*w++ = (char)(0x80 | ((cp >> 12) & 0x3f));
		*w++ = (char)(0x80 | ((cp >> 6) & 0x3f));
		*w++ = (char)(0x80 | (cp & 0x3f));
	}
	return w;
}

/* YAML's escapes (YAML 1.1 double-quoted style), from s into w, which has
 * room for 2 bytes per character of s (\L and \P, two characters, stand
 * for three bytes). The end of the text, or NULL for an escape YAML does
 * not have. */
static char *unescape(const struct span *s, char *w)
{
	static const char simple_in[] = "0abtnvfre \"/\\\t";
	static const char simple_out[] = "\0\a\b\t\n\v\f\r\x1b \"/\\\t";
	/* The rest: a code point, or the hex digits that give it. */
	static const struct {
		char c;
		unsigned long cp;
		int digits;
	} wide[] = { { 'N', 0x85, 0 }, { '_', 0xa0, 0 }, { 'L', 0x2028, 0 }, { 'P', 0x2029, 0 },
		     { 'x', 0, 2 },    { 'u', 0, 4 },	 { 'U', 0, 8 } };

	for (const char *r = s->start; r < s->end;) {
		if (*r != '\\') {
			*w++ = *r++;
			continue;
		}
		char c = r[1];
		const char *hit = c ? strchr(simple_in, c) : NULL;
		if (hit) {
			char out = simple_out[hit - simple_in];
			if (out)
				*w++ = out;
			r += 2;
			continue;
		}
		unsigned long cp = 0;
		int digits = -1;
		for (size_t i = 0; i < sizeof(wide) / sizeof(wide[0]); i++)
			if (wide[i].c == c)
				cp = wide[i].cp, digits = wide[i].digits;
		if (digits < 0)
			return NULL;
		r += 2;
		for (int i = 0; i < digits; i++, r++) {
			int v = r < s->end ? hex_value(*r) : -1;
			if (v < 0)
				return NULL;
			cp = cp << 4 | (unsigned long)v;
		}
		if (cp > 0x10ffff)
			return NULL;
		w = put_utf8(w, cp);
	}
	return w;
}

enum lava_line lava_unwrap(char *line, size_t cap)
{
	char *p = line;
	/* msg stays empty unless its value is text (not a results mapping). */
	struct span key, dt = { 0 }, lvl = { 0 }, msg = { 0 };

	if (!strncmp(p, "- ", 2))
		p += 2;
	if (*p++ != '{')
		return LAVA_PLAIN;
	for (;;) {
		p = quoted(p, &key);
		if (!p || strncmp(p, ": ", 2))
			return LAVA_PLAIN;
		p += 2;
		struct span value;
		if (*p == '"') {
			p = quoted(p, &value);
			if (!p)
				return LAVA_PLAIN;
			if (span_is(&key, "dt"))
				dt = value;
			else if (span_is(&key, "lvl"))
				lvl = value;
			else if (span_is(&key, "msg"))
				msg = value;
		} else {
			p = other_value(p);
			if (!p)
				return LAVA_PLAIN;
		}
		if (!strncmp(p, ", ", 2)) {
			p += 2;
			continue;
		}
		if (*p != '}')
			return LAVA_PLAIN;
		p++;
		break;
	}
	while (*p == ' ')
		p++;
	if (*p || !dt.start || !lvl.start)
		return LAVA_PLAIN;
	if (!span_is(&lvl, "target") || !msg.start)
		return LAVA_OWN;

	size_t n = (size_t)(msg.end - msg.start);
	char *text = malloc(2 * n + 1);
	char *end = text ? unescape(&msg, text) : NULL;
	if (!end) {
		free(text);
		return LAVA_PLAIN;
	}
	/* The shell logger's '\"' back to '"'; what does not fit is cut. */
	size_t w = 0;
	for (char *r = text; r < end && w + 1 < cap; r++) {
		if (*r == '\\' && r + 1 < end && r[1] == '"')
			continue;
		line[w++] = *r;
	}
	line[w] = 0;
	free(text);
	return LAVA_TARGET;
}
