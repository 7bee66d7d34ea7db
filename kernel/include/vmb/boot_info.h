/*
 * What every boot path hands to kernel_main(): filled once by the UEFI
 * stub, the arm64 Image entry, or the x86_64 PVH or multiboot2 entry.
 */
#ifndef VMB_BOOT_INFO_H
#define VMB_BOOT_INFO_H

#include <stdint.h>

#include <vmb/fwinfo.h>

enum boot_path {
	BOOT_UEFI = 1,
	BOOT_IMAGE,	 /* arm64 Linux Image protocol: x0 = device tree */
	BOOT_PVH,	 /* x86_64 PVH: ebx = hvm_start_info */
	BOOT_MULTIBOOT2, /* x86_64 multiboot2 (GRUB): ebx = boot information */
};

#define BOOT_MAX_MEM 128
#define BOOT_CMDLINE_MAX 1024

struct boot_info {
	enum boot_path path;

	/* Physical memory as the firmware described it. */
	struct mem_region mem[BOOT_MAX_MEM];
	unsigned nmem;
	unsigned mem_dropped; /* entries that did not fit */

	/* RAM handed to the kernel for its heap, stacks and page tables. */
	uint64_t heap_base;
	uint64_t heap_size;

	/* The image itself, wherever it was loaded. */
	uint64_t image_base;
	uint64_t image_size;

	/* x86: a free 4 KiB page below 1 MiB for the SMP start-up code, 0 = none. */
	uint64_t smp_trampoline;

	uint64_t acpi_rsdp; /* physical address, 0 = none */
	uint64_t fdt;	    /* physical address, 0 = none */
	uint64_t fdt_size;
	uint64_t smbios; /* SMBIOS entry point (UEFI: 3.x preferred), 0 = none */

	/* The UEFI system table's FirmwareVendor (as ASCII) and
	 * FirmwareRevision; "" off UEFI. */
	char efi_fw_vendor[64];
	uint32_t efi_fw_revision;

	/* UEFI runtime services table, still usable after ExitBootServices
	 * (identity mapped: we never call SetVirtualAddressMap). */
	void *efi_runtime;

	char cmdline[BOOT_CMDLINE_MAX];
	/* Lines the boot path wants in the log (what it read, what it lacked). */
	char notes[512];
};

_Noreturn void kernel_main(struct boot_info *bi);

#endif
