/*
 * Reading the firmware tables in the image: physical memory is identity
 * mapped, so the ACPI mapper only refuses the null page and wrap-around.
 */
#include <stdint.h>
#include <string.h>

#include <vmb/acpi.h>
#include <vmb/arch.h>
#include <vmb/boot_info.h>
#include <vmb/console.h>
#include <vmb/fdt.h>
#include <vmb/fw.h>
#include <vmb/smbios.h>

/* A device tree larger than this is not one we were given. */

static const void *identity_map(uint64_t phys, size_t len, void *ctx)
{
	(void)ctx;
	if (phys < 4096 || phys + len < phys || phys > UINTPTR_MAX - len)
		return NULL;
	return (const void *)(uintptr_t)phys;
}

void fw_scan(const struct boot_info *bi, struct fw_info *fw)
{
	fw_info_init(fw);
	if (bi->acpi_rsdp) {
		int err = acpi_scan(bi->acpi_rsdp, identity_map, NULL, fw);
		if (err) {
			const uint8_t *r = identity_map(bi->acpi_rsdp, 36, NULL);
			kprintf("vmbench: ACPI tables at %#llx unusable (error %d)\n",
				(unsigned long long)bi->acpi_rsdp, err);
			/* What the RSDP says, for whoever debugs odd firmware. */
			if (r)
				kprintf("vmbench: RSDP \"%.8s\" rev %u RSDT %#x XSDT %#llx\n",
					(const char *)r, r[15],
					(unsigned)(r[16] | r[17] << 8 | r[18] << 16 |
						   (unsigned)r[19] << 24),
					(unsigned long long)(r[24] | (uint64_t)r[25] << 8 |
							     (uint64_t)r[26] << 16 |
							     (uint64_t)r[27] << 24 |
							     (uint64_t)r[28] << 32 |
							     (uint64_t)r[29] << 40 |
							     (uint64_t)r[30] << 48 |
							     (uint64_t)r[31] << 56));
		}
	}
	if (bi->fdt) {
		size_t max = bi->fdt_size ? bi->fdt_size : FDT_MAX_SIZE;
		int err = fdt_scan((const void *)(uintptr_t)bi->fdt, max, fw);
		if (err)
			kprintf("vmbench: device tree at %#llx unusable (error %d)\n",
				(unsigned long long)bi->fdt, err);
	}
	/* No table names a BAR window (ACPI keeps them in AML): where holes
	 * in a whole memory map are PCI space, the largest one below 4 GiB
	 * is, for BARs the firmware left unassigned (pci_scan's only use). */
	if (!fw->pci_mem32.size && !fw->pci_mem64.size && !bi->mem_dropped &&
	    arch_pci_hole_in_memory_map())
		fw->pci_mem32_from_gap = fw_pci_gap(fw, bi->mem, bi->nmem, &fw->pci_mem32);
}

int fw_smbios(const struct boot_info *bi, bool scan_bios_area, struct smbios_ident *id)
{
	uint64_t ep = bi->smbios, base;
	size_t len;

	if (!ep && scan_bios_area && arch_bios_area(&base, &len)) {
		const uint8_t *area = identity_map(base, len, NULL);
		long off = area ? smbios_find(area, len) : -1;
		if (off >= 0)
			ep = base + (uint64_t)off;
	}
	if (!ep) {
		memset(id, 0, sizeof(*id));
		return SMBIOS_ERR_ANCHOR;
	}
	int err = smbios_read(ep, identity_map, NULL, id);
	if (err)
		kprintf("vmbench: SMBIOS at %#llx unusable (error %d)\n", (unsigned long long)ep,
			err);
	return err;
}
