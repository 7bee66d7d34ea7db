/*
 * GNU-EFI's crt0 relocates the image and calls efi_main with the SysV
 * calling convention (not EFIAPI: declaring it so breaks the arguments).
 */
#include <efi.h>

EFI_STATUS efi_stub_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st);
EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st);

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	return efi_stub_main(image, st);
}
