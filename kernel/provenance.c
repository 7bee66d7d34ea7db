/*
 * What the boot record says about where its figures came from, beyond the
 * CPU and the mode: who made the firmware and the machine, and the CPU's
 * microcode revision. Each fact comes from the most specific source that
 * has it: SMBIOS, then the UEFI system table, then the device tree; a
 * fact no source gives stays "" and the boot record leaves it out.
 */
#include <stdio.h>
#include <string.h>

#include <vmb/arch.h>
#include <vmb/fault.h>
#include <vmb/fw.h>
#include <vmb/provenance.h>
#include <vmb/smbios.h>

#define COPY(dst, src) snprintf((dst), sizeof(dst), "%s", (src))

void provenance_gather(struct platform *p, const struct boot_info *bi, const struct fw_info *fw)
{
	struct provenance *v = &p->prov;
	struct smbios_ident id;

	memset(v, 0, sizeof(*v));
	/* The legacy BIOS area is the machine's only where nothing sits
	 * between: natively, under KVM (QEMU's BIOS), and in Xen's dom0; a
	 * Xen domU has no BIOS there, and reading unpopulated memory only
	 * costs the hypervisor an emulation. */
	bool scan = p->mode != MODE_XEN || (p->xen_role && !strcmp(p->xen_role, "dom0"));
	int err = fw_smbios(bi, scan, &id);
	if (err != SMBIOS_ERR_ANCHOR && (id.major || id.bios_vendor[0] || id.sys_vendor[0]))
		snprintf(v->smbios, sizeof(v->smbios), "%u.%u", id.major % 1000, id.minor % 1000);
	COPY(v->fw_vendor, id.bios_vendor);
	COPY(v->fw_version, id.bios_version);
	COPY(v->fw_date, id.bios_date);
	COPY(v->sys_vendor, id.sys_vendor);
	COPY(v->sys_product, id.sys_product);

	if (bi->path == BOOT_UEFI) {
		COPY(v->uefi_vendor, bi->efi_fw_vendor);
		snprintf(v->uefi_revision, sizeof(v->uefi_revision), "0x%x",
			 (unsigned)bi->efi_fw_revision);
	}
	if (!v->fw_vendor[0] && v->uefi_vendor[0]) {
		COPY(v->fw_vendor, v->uefi_vendor);
		COPY(v->fw_version, v->uefi_revision);
	}
	if (!v->fw_vendor[0] && fw->uboot_version[0]) {
		COPY(v->fw_vendor, "U-Boot");
		COPY(v->fw_version, fw->uboot_version);
	}
	if (!v->sys_product[0])
		COPY(v->sys_product, fw->dt_model);
	COPY(v->dt_compatible, fw->dt_compatible);

	uint64_t rev = 0;
	if (arch_microcode_reader && !vmb_try(arch_microcode_reader, &rev))
		snprintf(v->microcode, sizeof(v->microcode), "0x%llx", (unsigned long long)rev);
}
