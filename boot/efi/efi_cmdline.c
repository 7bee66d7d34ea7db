/*
 * Options reach a UEFI application two ways: as load options (a boot
 * entry's optional data, or the UEFI shell's command line, which starts
 * with the program's own path), and, for a stick booted through the
 * removable-media path where there are none, as the file vmbench.cfg in
 * the image's own folder (on its disk, or on the TFTP server it was
 * network-booted from). The file comes first so load options win.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <efi.h>

#include <vmb/console.h>

#include "efi_stub.h"

#define CFG_NAME "vmbench.cfg"

static EFI_GUID sfs_guid = EFI_SIMPLE_FILE_SYSTEM_PROTOCOL_GUID;

void efi_ucs2_to_ascii(char *dst, size_t cap, const CHAR16 *src, size_t max)
{
	size_t n = 0;

	if (!cap)
		return;
	for (size_t i = 0; src && i < max && src[i] && n + 1 < cap; i++)
		dst[n++] = (src[i] >= 0x20 && src[i] < 0x7f) || src[i] == '\t' || src[i] == '\n'
				   ? (char)src[i]
				   : '?';
	dst[n] = 0;
}

static void append(char *dst, size_t cap, const char *s)
{
	size_t len = strlen(dst);

	if (len && len + 1 < cap && *s)
		dst[len++] = ' ';
	while (*s && len + 1 < cap)
		dst[len++] = *s++;
	dst[len] = 0;
}

/* Load options are free-form bytes; only printable UCS-2 is a command line. */
static void load_options_text(EFI_LOADED_IMAGE *li, char *out, size_t cap)
{
	const CHAR16 *w = li->LoadOptions;
	size_t units = li->LoadOptionsSize / 2;

	out[0] = 0;
	if (!w || li->LoadOptionsSize < 2 || li->LoadOptionsSize % 2)
		return;
	for (size_t i = 0; i < units && w[i]; i++)
		if (w[i] < 0x20 && w[i] != '\t')
			return;
	efi_ucs2_to_ascii(out, cap, w, units);

	/* The shell passes argv[0] first: drop a leading word naming an .efi file. */
	char *sp = strchr(out, ' ');
	size_t first = sp ? (size_t)(sp - out) : strlen(out);
	if (first >= 4 && !strncasecmp(out + first - 4, ".efi", 4))
		memmove(out, sp ? sp + 1 : out + first, strlen(sp ? sp + 1 : out + first) + 1);
}

/* The folder part of the image's file path, as UCS-2 with a trailing '\'. */
static void image_folder(EFI_LOADED_IMAGE *li, CHAR16 *out, size_t cap)
{
	EFI_DEVICE_PATH *dp = li->FilePath;
	size_t n = 0;

	out[0] = 0;
	for (int guard = 0; dp && guard < 64; guard++) {
		unsigned len = dp->Length[0] | (dp->Length[1] << 8);

		if ((dp->Type & 0x7f) == END_DEVICE_PATH_TYPE || len < 4)
			break;
		if (dp->Type == MEDIA_DEVICE_PATH && dp->SubType == MEDIA_FILEPATH_DP) {
			const CHAR16 *p = ((FILEPATH_DEVICE_PATH *)dp)->PathName;
			size_t units = (len - 4) / 2;
			/* A path may be split over several nodes: join them. */
			if (n && out[n - 1] != '\\' && units && p[0] != '\\' && n + 1 < cap)
				out[n++] = '\\';
			for (size_t i = 0; i < units && p[i] && n + 1 < cap; i++)
				out[n++] = p[i];
			out[n] = 0;
		}
		dp = (EFI_DEVICE_PATH *)((UINT8 *)dp + len);
	}
	/* Cut after the last separator: what follows it is the image's name. */
	while (n && out[n - 1] != '\\')
		out[--n] = 0;
	if (!n) {
		out[0] = '\\';
		out[1] = 0;
	}
}

void efi_cfg_to_options(const char *text, size_t size, char *out, size_t cap)
{
	char *w = out;
	int comment = 0;

	/* One option per word; '#' starts a comment to the end of the line. */
	for (size_t i = 0; i < size && text[i] && (size_t)(w - out) + 1 < cap; i++) {
		char c = text[i];
		if (c == '#')
			comment = 1;
		if (c == '\n' || c == '\r') {
			comment = 0;
			c = ' ';
		}
		if (!comment)
			*w++ = (c == '\t') ? ' ' : c;
	}
	*w = 0;
}

static void read_cfg_file(EFI_LOADED_IMAGE *li, char *out, size_t cap)
{
	EFI_FILE_IO_INTERFACE *fs = NULL;
	EFI_FILE_HANDLE root = NULL, file = NULL;
	CHAR16 path[256];
	char buf[BOOT_CMDLINE_MAX];
	UINTN size = sizeof(buf) - 1;

	out[0] = 0;
	if (efi_st->BootServices->HandleProtocol(li->DeviceHandle, &sfs_guid, (void **)&fs) !=
	    EFI_SUCCESS)
		return;
	if (fs->OpenVolume(fs, &root) != EFI_SUCCESS)
		return;
	image_folder(li, path, 256 - sizeof(CFG_NAME));
	size_t n = 0;
	while (path[n])
		n++;
	for (const char *c = CFG_NAME; *c; c++)
		path[n++] = (CHAR16)*c;
	path[n] = 0;
	EFI_STATUS st = root->Open(root, &file, path, EFI_FILE_MODE_READ, 0);
	if (st == EFI_SUCCESS) {
		if (file->Read(file, &size, buf) == EFI_SUCCESS) {
			efi_cfg_to_options(buf, size, out, cap);
			char cfgname[128];
			efi_ucs2_to_ascii(cfgname, sizeof(cfgname), path, 256);
			kprintf("vmbench: read options from %s\n", cfgname);
		}
		file->Close(file);
	}
	root->Close(root);
}

void efi_read_cmdline(EFI_LOADED_IMAGE *li, struct boot_info *bi)
{
	char text[BOOT_CMDLINE_MAX];

	bi->cmdline[0] = 0;
	read_cfg_file(li, text, sizeof(text));
	if (!text[0]) {
		char raw[BOOT_CMDLINE_MAX];
		size_t n = efi_read_pxe_cfg(li, raw, sizeof(raw));
		efi_cfg_to_options(raw, n, text, sizeof(text));
	}
	append(bi->cmdline, sizeof(bi->cmdline), text);
	load_options_text(li, text, sizeof(text));
	append(bi->cmdline, sizeof(bi->cmdline), text);
	/* Trailing blanks come from line ends in the file: not part of an option. */
	size_t len = strlen(bi->cmdline);
	while (len && (bi->cmdline[len - 1] == ' ' || bi->cmdline[len - 1] == '\t'))
		bi->cmdline[--len] = 0;
}
