/*
 * Defaults for the parts of the arch contract (<vmb/arch.h>) that only
 * some architectures have: an architecture implements what differs and
 * carries no stubs for the rest.
 */
#include <vmb/arch.h>

__attribute__((weak)) uint32_t arch_pio_read32(uint16_t port)
{
	(void)port;
	return 0xffffffffu;
}

__attribute__((weak)) void arch_pio_write32(uint16_t port, uint32_t value)
{
	(void)port, (void)value;
}
