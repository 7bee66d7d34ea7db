/*
 * 8250/16550 family: x86 I/O ports, or MMIO with a register stride
 * (reg-shift) and access width that differ per SoC (X-Gene: 4-byte
 * registers, 32-bit accesses).
 */
#include <stdint.h>

#include <vmb/arch.h>
#include <drivers/uart/uart.h>

#define REG_THR 0
#define REG_IER 1
#define REG_FCR 2
#define REG_LCR 3
#define REG_MCR 4
#define REG_LSR 5
#define REG_DLL 0
#define REG_DLM 1

#define LSR_THRE 0x20
#define LCR_DLAB 0x80
#define LCR_8N1 0x03

/* A transmitter that never drains must not hang the run. */

static uint8_t rd(const struct fw_uart *u, unsigned reg)
{
	if (u->space == UART_SPACE_PIO)
		return arch_pio_read8((uint16_t)(u->addr + reg));
	uintptr_t a = (uintptr_t)u->addr + ((uintptr_t)reg << u->reg_shift);
	if (u->reg_width == 4)
		return (uint8_t) * (volatile uint32_t *)a;
	return *(volatile uint8_t *)a;
}

static void wr(const struct fw_uart *u, unsigned reg, uint8_t v)
{
	if (u->space == UART_SPACE_PIO) {
		arch_pio_write8((uint16_t)(u->addr + reg), v);
		return;
	}
	uintptr_t a = (uintptr_t)u->addr + ((uintptr_t)reg << u->reg_shift);
	if (u->reg_width == 4)
		*(volatile uint32_t *)a = v;
	else
		*(volatile uint8_t *)a = v;
}

static bool ns16550_init(const struct fw_uart *u)
{
	if (u->space == UART_SPACE_PIO && !arch_pio_available())
		return false;
	/* An absent port reads all ones. */
	if (rd(u, REG_LSR) == 0xff)
		return false;
	wr(u, REG_IER, 0);
	/* Reprogram the rate only when we know the input clock; otherwise
	 * firmware's setting is the one the console already works at. */
	if (u->baud && u->clock_hz) {
		uint32_t div = u->clock_hz / (16 * u->baud);
		if (div && div <= 0xffff) {
			wr(u, REG_LCR, LCR_DLAB);
			wr(u, REG_DLL, div & 0xff);
			wr(u, REG_DLM, div >> 8);
			wr(u, REG_LCR, LCR_8N1);
		}
	}
	wr(u, REG_FCR, 0x07); /* FIFOs on and cleared */
	wr(u, REG_MCR, 0x03); /* DTR, RTS */
	return true;
}

static void ns16550_putc(const struct fw_uart *u, char c)
{
	for (int i = 0; i < UART_TX_SPINS && !(rd(u, REG_LSR) & LSR_THRE); i++)
		arch_cpu_relax();
	wr(u, REG_THR, (uint8_t)c);
}

const struct uart_ops uart_16550_ops = {
	.name = "16550",
	.init = ns16550_init,
	.putc = ns16550_putc,
};
