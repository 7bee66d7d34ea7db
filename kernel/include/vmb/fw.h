#ifndef VMB_FW_H
#define VMB_FW_H

#include <vmb/fwinfo.h>

struct boot_info;

/* ACPI first, then the device tree: on machines with both (QEMU virt
 * under AAVMF), the tree adds what ACPI lacks. */
void fw_scan(const struct boot_info *bi, struct fw_info *fw);

#endif
