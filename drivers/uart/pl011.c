/*
 * Arm PL011 and the SBSA generic UART (its subset). Firmware has set
 * the rate already; we only send.
 */
#include <stdint.h>

#include <vmb/arch.h>
#include <drivers/uart/uart.h>

#define UARTDR 0x00
#define UARTFR 0x18
#define UARTCR 0x30

#define FR_TXFF (1u << 5)
#define CR_UARTEN (1u << 0)
#define CR_TXE (1u << 8)

static inline uint32_t rd(const struct fw_uart *u, unsigned reg)
{
	return *(volatile uint32_t *)(uintptr_t)(u->addr + reg);
}

static inline void wr(const struct fw_uart *u, unsigned reg, uint32_t v)
{
	*(volatile uint32_t *)(uintptr_t)(u->addr + reg) = v;
}

static bool pl011_init(const struct fw_uart *u)
{
	if (u->space != UART_SPACE_MMIO || !u->addr)
		return false;
	/* Some boot loaders leave the transmitter off. The SBSA UART has no
	 * control register: touching it may fault (Xen's vpl011 does). */
	if (u->sbsa)
		return true;
	uint32_t cr = rd(u, UARTCR);
	if ((cr & (CR_UARTEN | CR_TXE)) != (CR_UARTEN | CR_TXE))
		wr(u, UARTCR, cr | CR_UARTEN | CR_TXE);
	return true;
}

static void pl011_putc(const struct fw_uart *u, char c)
{
	for (int i = 0; i < UART_TX_SPINS && (rd(u, UARTFR) & FR_TXFF); i++)
		arch_cpu_relax();
	wr(u, UARTDR, (uint8_t)c);
}

const struct uart_ops uart_pl011_ops = {
	.name = "pl011",
	.init = pl011_init,
	.putc = pl011_putc,
};
