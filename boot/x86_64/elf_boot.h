/*
 * What the x86_64 ELF's two 32-bit entries share (PVH, pvh.c, and
 * multiboot2, mb2_main.c): E820-style memory types, the boot notes, and
 * the common last step that picks the SMP page and the heap and calls
 * kernel_main(). The static inline parts also build on the host, for the
 * unit test of the multiboot2 parser.
 */
#ifndef VMB_BOOT_ELF_BOOT_H
#define VMB_BOOT_ELF_BOOT_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <vmb/boot_info.h>

/* Memory types of the E820 map, which PVH and multiboot2 both pass on. */
#define E820_RAM 1
#define E820_ACPI 3
#define E820_NVS 4

static inline enum mem_kind e820_kind(uint32_t type)
{
	switch (type) {
	case E820_RAM:
		return MEM_RAM;
	case E820_ACPI:
	case E820_NVS:
		return MEM_RAM_RESERVED;
	default:
		/* Reserved ranges include MMIO (the LAPIC, flash): never cached. */
		return MEM_MMIO;
	}
}

/* One line for the log: what the boot path read, or what it lacked. */
static inline void boot_note(struct boot_info *bi, const char *msg)
{
	size_t len = strlen(bi->notes);

	snprintf(bi->notes + len, sizeof(bi->notes) - len, "vmbench: %s\n", msg);
}

/* Memory the loader handed over that the SMP start-up page must not take. */
struct boot_range {
	uint64_t base, size;
};

/*
 * The heap (the largest RAM range below the entry's map, clear of the
 * image, or 16 MiB after the image without a map), the SMP start-up page
 * (clear of the image and of keep[]), then kernel_main(). name is the
 * protocol, for the notes.
 */
_Noreturn void elf_boot_finish(struct boot_info *bi, const struct boot_range *keep, unsigned nkeep,
			       const char *name);

#endif
