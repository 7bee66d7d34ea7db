/*
 * The UEFI boot path: collect what the firmware knows (memory map,
 * configuration tables, load options), leave boot services and hand one
 * boot_info to kernel_main(). Both architectures' entry code lands in
 * efi_stub_main() with the image already relocated.
 */
#include <string.h>

#include <efi.h>

#include <vmb/boot_info.h>
#include <vmb/console.h>

#include "efi_stub.h"

EFI_SYSTEM_TABLE *efi_st;
EFI_HANDLE efi_image;

static struct boot_info efi_boot_info;

/* x86 starts secondary CPUs in real mode, from a page below 1 MiB, and
 * its start-up code loads CR3 while still in 32-bit terms. */
#ifdef __x86_64__
#define EFI_X86 1
#else
#define EFI_X86 0
#endif

static EFI_GUID acpi20_guid = ACPI_20_TABLE_GUID;
static EFI_GUID acpi10_guid = ACPI_TABLE_GUID;
static EFI_GUID fdt_guid = {
	0xb1b621d5, 0xf19c, 0x41a5, { 0x83, 0x0b, 0xd9, 0x15, 0x2c, 0x69, 0xaa, 0xe0 }
};
static EFI_GUID smbios_guid = SMBIOS_TABLE_GUID;
static EFI_GUID smbios3_guid = SMBIOS3_TABLE_GUID;
static EFI_GUID loaded_image_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;

/* ConOut wants UCS-2 and CRLF: convert in small chunks on the stack. */
static void efi_conout_sink(const char *s, size_t len)
{
	CHAR16 buf[128];
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		if (n >= sizeof(buf) / sizeof(buf[0]) - 3) {
			buf[n] = 0;
			efi_st->ConOut->OutputString(efi_st->ConOut, buf);
			n = 0;
		}
		if (s[i] == '\n')
			buf[n++] = '\r';
		buf[n++] = (unsigned char)s[i];
	}
	buf[n] = 0;
	if (n)
		efi_st->ConOut->OutputString(efi_st->ConOut, buf);
}

static void efi_find_tables(struct boot_info *bi)
{
	uint64_t acpi10 = 0, smbios2 = 0;

	for (UINTN i = 0; i < efi_st->NumberOfTableEntries; i++) {
		EFI_CONFIGURATION_TABLE *t = &efi_st->ConfigurationTable[i];

		if (!memcmp(&t->VendorGuid, &acpi20_guid, sizeof(EFI_GUID)))
			bi->acpi_rsdp = (uint64_t)(uintptr_t)t->VendorTable;
		else if (!memcmp(&t->VendorGuid, &acpi10_guid, sizeof(EFI_GUID)))
			acpi10 = (uint64_t)(uintptr_t)t->VendorTable;
		else if (!memcmp(&t->VendorGuid, &fdt_guid, sizeof(EFI_GUID)))
			bi->fdt = (uint64_t)(uintptr_t)t->VendorTable;
		else if (!memcmp(&t->VendorGuid, &smbios3_guid, sizeof(EFI_GUID)))
			bi->smbios = (uint64_t)(uintptr_t)t->VendorTable;
		else if (!memcmp(&t->VendorGuid, &smbios_guid, sizeof(EFI_GUID)))
			smbios2 = (uint64_t)(uintptr_t)t->VendorTable;
	}
	if (!bi->acpi_rsdp)
		bi->acpi_rsdp = acpi10;
	if (!bi->smbios)
		bi->smbios = smbios2;
}

/*
 * Heap, stacks and page tables come from one block of loader data; on
 * x86 below 4 GiB if it can be, so that the page tables are.
 */
static void efi_alloc_heap(struct boot_info *bi)
{
	for (UINTN mib = 256; mib >= 4; mib /= 2) {
		EFI_PHYSICAL_ADDRESS addr = 0xffffffff;
		EFI_STATUS st = EFI_NOT_FOUND;

		if (EFI_X86)
			st = efi_st->BootServices->AllocatePages(AllocateMaxAddress, EfiLoaderData,
								 mib << 8, &addr);
		if (st != EFI_SUCCESS) {
			addr = 0;
			st = efi_st->BootServices->AllocatePages(AllocateAnyPages, EfiLoaderData,
								 mib << 8, &addr);
		}
		if (st == EFI_SUCCESS) {
			bi->heap_base = addr;
			bi->heap_size = (uint64_t)mib << 20;
			return;
		}
	}
}

/* One page below the VGA hole (and any EBDA) for the x86 SMP trampoline:
 * loader data, so the kernel's memory map keeps it for us. */
static void efi_alloc_trampoline(struct boot_info *bi)
{
	EFI_PHYSICAL_ADDRESS addr = 0x9ffff;
	EFI_STATUS st =
		efi_st->BootServices->AllocatePages(AllocateMaxAddress, EfiLoaderData, 1, &addr);

	if (st == EFI_SUCCESS && addr >= 0x1000)
		bi->smp_trampoline = addr;
	else
		kprintf("vmbench: no free page below 1 MiB (status 0x%lx): one CPU only\n",
			(unsigned long)st);
}

/*
 * GetMemoryMap and ExitBootServices must be back to back: any allocation
 * in between changes the map key. The buffer is allocated once, with
 * room for the entries that allocating it may add.
 */
static EFI_STATUS efi_exit(struct boot_info *bi)
{
	EFI_BOOT_SERVICES *bs = efi_st->BootServices;
	UINTN size = 0, key, desc_size;
	UINT32 desc_ver;
	void *map = NULL;
	EFI_STATUS st;

	st = bs->GetMemoryMap(&size, NULL, &key, &desc_size, &desc_ver);
	if (st != EFI_BUFFER_TOO_SMALL)
		return st;
	size += 16 * desc_size;
	UINTN cap = size;
	st = bs->AllocatePool(EfiLoaderData, cap, &map);
	if (st != EFI_SUCCESS)
		return st;

	for (int tries = 0; tries < 8; tries++) {
		size = cap;
		st = bs->GetMemoryMap(&size, map, &key, &desc_size, &desc_ver);
		if (st != EFI_SUCCESS)
			return st;
		st = bs->ExitBootServices(efi_image, key);
		if (st == EFI_SUCCESS) {
			efi_convert_memmap(map, size, desc_size, bi);
			return EFI_SUCCESS;
		}
		/* EFI_INVALID_PARAMETER: the map changed; only Get/Exit allowed now. */
	}
	return st;
}

EFI_STATUS efi_stub_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st);

EFI_STATUS efi_stub_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	struct boot_info *bi = &efi_boot_info;
	EFI_LOADED_IMAGE *li = NULL;
	EFI_STATUS status;

	efi_st = st;
	efi_image = image;
	console_set_sink(efi_conout_sink, "efi-conout");
	/* FirmwareVendor may be absent (NULL) on odd firmware. */
	if (st->FirmwareVendor)
		efi_ucs2_to_ascii(bi->efi_fw_vendor, sizeof(bi->efi_fw_vendor), st->FirmwareVendor,
				  sizeof(bi->efi_fw_vendor) - 1);
	bi->efi_fw_revision = st->FirmwareRevision;
	kprintf("vmbench: UEFI entry, firmware \"%s\" rev %#x, UEFI %u.%u\n", bi->efi_fw_vendor,
		(unsigned)st->FirmwareRevision, (unsigned)(st->Hdr.Revision >> 16),
		(unsigned)(st->Hdr.Revision & 0xffff) / 10);

	bi->path = BOOT_UEFI;
	bi->efi_runtime = st->RuntimeServices;
	status = st->BootServices->HandleProtocol(image, &loaded_image_guid, (void **)&li);
	if (status == EFI_SUCCESS && li) {
		bi->image_base = (uint64_t)(uintptr_t)li->ImageBase;
		bi->image_size = li->ImageSize;
		efi_read_cmdline(li, bi);
	} else {
		kprintf("vmbench: no LoadedImage protocol (status 0x%lx): no options\n",
			(unsigned long)status);
	}
	efi_find_tables(bi);
	efi_alloc_heap(bi);
	if (EFI_X86)
		efi_alloc_trampoline(bi);
	if (!bi->heap_size) {
		kprintf("vmbench: cannot allocate memory for the kernel heap\n");
		return EFI_OUT_OF_RESOURCES;
	}
	kprintf("vmbench: ACPI RSDP %#llx, device tree %#llx, heap %llu MiB at %#llx\n",
		(unsigned long long)bi->acpi_rsdp, (unsigned long long)bi->fdt,
		(unsigned long long)(bi->heap_size >> 20), (unsigned long long)bi->heap_base);
	kprintf("vmbench: leaving boot services\n");

	/* From here on ConOut is gone: console output is buffered until the
	 * kernel has found the UART. */
	console_set_sink(NULL, "buffer");
	status = efi_exit(bi);
	if (status != EFI_SUCCESS) {
		console_set_sink(efi_conout_sink, "efi-conout");
		kprintf("vmbench: ExitBootServices failed: 0x%lx\n", (unsigned long)status);
		return status;
	}
	kernel_main(bi);
}
