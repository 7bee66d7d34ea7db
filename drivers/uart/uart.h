/* UART drivers: polled output only, on the port the firmware named. */
#ifndef VMB_UART_H
#define VMB_UART_H

#include <stdbool.h>

#include <vmb/fwinfo.h>

struct uart_ops {
	const char *name;
	bool (*init)(const struct fw_uart *u);
	void (*putc)(const struct fw_uart *u, char c);
};

extern const struct uart_ops uart_16550_ops;
extern const struct uart_ops uart_pl011_ops;

/* Install the UART described by u as the console sink. */
bool uart_console_init(const struct fw_uart *u);

/* How long a driver waits for room to send one byte before it drops it:
 * a UART nobody drains must not hang the run. */
#define UART_TX_SPINS 200000

#endif
