/*
 * Provenance for the boot record: the firmware and machine as SMBIOS, the
 * UEFI system table or the device tree name them, and the CPU's microcode
 * revision (docs/protocol.md, boot record). The build's own identity is
 * <vmb/build_id.h>.
 */
#ifndef VMB_PROVENANCE_H
#define VMB_PROVENANCE_H

#include <vmb/boot_info.h>
#include <vmb/platform.h>

/* Fills p->prov; after arch_platform_init (and, under Xen, xen_describe:
 * only dom0 sees the machine's BIOS area). */
void provenance_gather(struct platform *p, const struct boot_info *bi, const struct fw_info *fw);

#endif
