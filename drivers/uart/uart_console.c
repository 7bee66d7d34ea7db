/* The console sink on a UART: CRLF line ends, one driver per register layout. */
#include <stdio.h>

#include <vmb/console.h>
#include <drivers/uart/uart.h>

static struct fw_uart console_uart;
static const struct uart_ops *console_ops;
static char console_label[48];

static void uart_sink(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			console_ops->putc(&console_uart, '\r');
		console_ops->putc(&console_uart, s[i]);
	}
}

bool uart_console_init(const struct fw_uart *u)
{
	const struct uart_ops *ops;

	switch (u->kind) {
	case UART_16550:
		ops = &uart_16550_ops;
		break;
	case UART_PL011:
		ops = &uart_pl011_ops;
		break;
	default:
		return false;
	}
	console_uart = *u;
	if (!ops->init(&console_uart))
		return false;
	console_ops = ops;
	snprintf(console_label, sizeof(console_label), "%s:%s@%s%#llx", u->source, ops->name,
		 u->space == UART_SPACE_PIO ? "port" : "", (unsigned long long)u->addr);
	console_set_sink(uart_sink, console_label);
	return true;
}
