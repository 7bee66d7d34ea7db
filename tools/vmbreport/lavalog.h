/*
 * LAVA's job log (docs/booting.md "Board farms"): one YAML flow mapping
 * per line, `- {"dt": "...", "lvl": "target", "msg": "..."}`, the serial
 * console's lines among LAVA's own. The reader takes the console's lines
 * out of it and reads them as it reads a plain serial capture.
 */
#ifndef VMB_LAVALOG_H
#define VMB_LAVALOG_H

#include <stddef.h>

enum lava_line {
	LAVA_PLAIN,  /* not a LAVA entry: the line is left as it is */
	LAVA_OWN,    /* LAVA's own entry (its actions, results): not the console's */
	LAVA_TARGET, /* the console's line: line now holds it, as the board sent it */
};

/* Looks at one line (NUL-terminated, no newline) and, for a "target"
 * entry, replaces it with its text, cut to cap - 1 bytes (a few escapes
 * stand for more bytes than they take); other lines are left as they are. */
enum lava_line lava_unwrap(char *line, size_t cap);

#endif
