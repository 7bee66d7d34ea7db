#ifndef VMB_FW_H
#define VMB_FW_H

#include <vmb/fwinfo.h>

struct boot_info;
struct smbios_ident;

/* ACPI first, then the device tree: on machines with both (QEMU virt
 * under AAVMF), the tree adds what ACPI lacks. */
void fw_scan(const struct boot_info *bi, struct fw_info *fw);

/* A window for unassigned BARs where no table names one: the largest hole
 * below 4 GiB (at least 4 MiB, from 1 MiB up, 1 MiB aligned) between the
 * memory map's regions and the MMIO fw names (ECAM, local APIC, HPET);
 * false when there is none, or the map has no RAM or more than BOOT_MAX_MEM
 * entries.
 * Only for architectures whose holes there are PCI space. */
bool fw_pci_gap(const struct fw_info *fw, const struct mem_region *mem, unsigned nmem,
		struct fw_pci_window *out);

/* The SMBIOS strings: from the entry point the boot path found (UEFI's
 * configuration table), else, with scan_bios_area, one in the legacy BIOS
 * area (arch_bios_area). 0, or an smbios_err (id cleared, or holding what
 * was read before a malformed structure). */
int fw_smbios(const struct boot_info *bi, bool scan_bios_area, struct smbios_ident *id);

#endif
