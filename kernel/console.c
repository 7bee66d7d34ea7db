/*
 * Console multiplexing: one sink at a time, and a buffer that keeps what
 * is written while there is none (between ExitBootServices and the UART),
 * so the first lines after leaving firmware are not lost.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vmb/console.h>

static console_sink_fn sink;
static const char *sink_name = "none";
static char pending[8192];
static size_t npending;
static size_t lost;

void console_set_sink(console_sink_fn fn, const char *name)
{
	sink = fn;
	sink_name = name;
	if (!sink || !npending)
		return;
	sink(pending, npending);
	npending = 0;
	if (lost) {
		char msg[80];
		int n = snprintf(msg, sizeof(msg), "[console: %zu bytes lost before the UART]\n",
				 lost);
		sink(msg, (size_t)n);
		lost = 0;
	}
}

bool console_connected(void)
{
	return sink != NULL;
}

const char *console_name(void)
{
	return sink_name;
}

void console_write(const char *s, size_t len)
{
	if (sink) {
		sink(s, len);
		return;
	}
	size_t room = sizeof(pending) - npending;
	size_t n = len < room ? len : room;
	memcpy(pending + npending, s, n);
	npending += n;
	lost += len - n;
}

void console_puts(const char *s)
{
	console_write(s, strlen(s));
}

int kprintf(const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return n;
	if ((size_t)n < sizeof(buf)) {
		console_write(buf, (size_t)n);
		return n;
	}
	/* Rare long messages (the option help): format again on the heap. */
	char *big = malloc((size_t)n + 1);
	if (!big) {
		console_write(buf, sizeof(buf) - 1);
		return n;
	}
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	console_write(big, (size_t)n);
	free(big);
	return n;
}
