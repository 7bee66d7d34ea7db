/*
 * Xen's CONSOLEIO_write: text straight into Xen's own console. Xen takes
 * it from the hardware domain (dom0); guests made by a toolstack use the
 * PV ring instead (pv_console.c). boot/main.c chooses between them.
 */
#include <stdint.h>

#include <vmb/console.h>
#include <drivers/xen/xen.h>

static void console_io_sink(const char *s, size_t len)
{
	arch_xen_hypercall(XEN_HC_CONSOLE_IO, CONSOLEIO_WRITE, len, (unsigned long)(uintptr_t)s);
}

void xen_console_io_init(void)
{
	console_set_sink(console_io_sink, "xen-console-io");
}
