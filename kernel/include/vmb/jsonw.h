/*
 * One-line JSON object writer for the result protocol. Writes into a
 * caller's buffer, escapes strings, and never overruns: a record that does
 * not fit is marked truncated instead.
 */
#ifndef VMB_JSONW_H
#define VMB_JSONW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct jsonw {
	char *buf;
	size_t cap; /* less room: what jw_seal needs, kept back for it */
	size_t room;
	size_t len;
	bool first;
	bool overflow;
};

void jw_begin(struct jsonw *w, char *buf, size_t cap);
void jw_str(struct jsonw *w, const char *key, const char *value);
void jw_u64(struct jsonw *w, const char *key, uint64_t value);
void jw_i64(struct jsonw *w, const char *key, int64_t value);
/* An array of numbers, as one member: dropped whole when it does not fit. */
void jw_u64s(struct jsonw *w, const char *key, const uint64_t *values, size_t n);
void jw_bool(struct jsonw *w, const char *key, bool value);
/* Closes the object; returns the text (always NUL-terminated, valid JSON). */
const char *jw_end(struct jsonw *w);
/* Closes the object as a record of the result protocol: its number, then
 * its checksum, the CRC-32 (<vmb/crc32.h>) of the text from the opening
 * brace up to the comma before "crc", as ,"seq":N,"crc":"xxxxxxxx"}. Room
 * for both is kept from the start, so a record whose members did not all
 * fit is still numbered and sealed. */
const char *jw_seal(struct jsonw *w, uint64_t seq);

#endif
