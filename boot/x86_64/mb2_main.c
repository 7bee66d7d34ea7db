/*
 * The multiboot2 boot path in C (GRUB's multiboot2 command): the entry
 * (mb2_entry.S) has taken the PVH entry's way into long mode, with the
 * MBI's address, or 0 when EAX did not hold the multiboot2 magic.
 * Everything needed from the MBI is copied out here, before the heap
 * (which may cover it) is used.
 */
#include <stdint.h>

#include <vmb/boot_info.h>

#include "elf_boot.h"
#include "mb2.h"
#include "pvh.h"

static struct boot_info mb2_boot_info;
static struct mb2_copy mb2_copy;

void mb2_main(uint32_t mbi);

void mb2_main(uint32_t mbi)
{
	struct boot_info *bi = &mb2_boot_info;

	bi->path = BOOT_MULTIBOOT2;
	/* EBX is 32 bits wide: the MBI's start lies in the entry's map, and
	 * the parser reads nothing beyond it. */
	mb2_parse(bi, (const void *)(uintptr_t)mbi, mbi ? PVH_EARLY_MAP_TOP - mbi : 0, &mb2_copy);
	/* The SMP start-up page may take the MBI: nothing reads it again. */
	elf_boot_finish(bi, NULL, 0, "multiboot2");
}
