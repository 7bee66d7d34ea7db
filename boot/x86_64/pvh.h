/*
 * What pvh_entry.S and pvh.c must agree on: how far the entry's identity
 * map reaches. Everything touched before arch_mmu_init() builds the full
 * map (start info, command line, memory map, the kernel's first stack and
 * page tables) has to lie below PVH_EARLY_MAP_TOP. Included by assembly:
 * defines only.
 */
#ifndef VMB_BOOT_PVH_H
#define VMB_BOOT_PVH_H

/* One page directory of 2 MiB pages per GiB: 4 GiB covers the image
 * (linked at 1 MiB), the 32-bit start-info pointer in EBX and the RAM
 * below any PCI hole, at 16 KiB of .bss. */
#define PVH_EARLY_MAP_GIB 4
#define PVH_EARLY_MAP_TOP ((unsigned long long)PVH_EARLY_MAP_GIB << 30)

#endif
