/*
 * Console output. Before ExitBootServices the UEFI stub installs a
 * ConOut sink; afterwards the kernel installs the UART. Output written
 * while no sink is installed is kept in a buffer and flushed to the next
 * sink, so nothing printed between the two is lost.
 */
#ifndef VMB_CONSOLE_H
#define VMB_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>

typedef void (*console_sink_fn)(const char *s, size_t len);

void console_set_sink(console_sink_fn sink, const char *name);
const char *console_name(void);
/* False while output only goes to the buffer. */
bool console_connected(void);
void console_write(const char *s, size_t len);
void console_puts(const char *s);

int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
