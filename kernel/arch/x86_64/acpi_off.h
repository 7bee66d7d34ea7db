#ifndef ARCH_X86_ACPI_OFF_H
#define ARCH_X86_ACPI_OFF_H

#include <stdint.h>

/* Returns only on failure (no tables, no \_S5_, or the write did nothing). */
int acpi_poweroff(uint64_t rsdp);

#endif
