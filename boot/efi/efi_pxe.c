/*
 * Options for a network-booted image: vmbench.cfg from the TFTP server
 * and folder the image itself came from, read through the PXE base code
 * protocol of the NIC the firmware booted from.
 */
#include <string.h>

#include <efi.h>

#include <vmb/console.h>

#include "efi_stub.h"

static EFI_GUID pxe_guid = EFI_PXE_BASE_CODE_PROTOCOL_GUID;

size_t efi_read_pxe_cfg(EFI_LOADED_IMAGE *li, char *buf, size_t cap)
{
	EFI_PXE_BASE_CODE_PROTOCOL *pxe = NULL;
	EFI_IP_ADDRESS server;
	UINT8 name[160];

	if (cap < 2 || efi_st->BootServices->HandleProtocol(li->DeviceHandle, &pxe_guid,
							    (void **)&pxe) != EFI_SUCCESS)
		return 0;
	EFI_PXE_BASE_CODE_MODE *mode = pxe->Mode;
	if (!mode || !mode->Started || mode->UsingIpv6 || !mode->DhcpAckReceived)
		return 0;
	EFI_PXE_BASE_CODE_DHCPV4_PACKET *ack = &mode->DhcpAck.Dhcpv4;
	/* A proxy DHCP server may be the one that named the boot server. */
	if (mode->ProxyOfferReceived && !memcmp(ack->BootpSiAddr, "\0\0\0\0", 4))
		ack = &mode->ProxyOffer.Dhcpv4;

	memset(&server, 0, sizeof(server));
	memcpy(server.v4.Addr, ack->BootpSiAddr, 4);
	/* The boot file's folder, then vmbench.cfg. */
	const UINT8 *nul = memchr(ack->BootpBootFile, 0, sizeof(ack->BootpBootFile));
	size_t len = nul ? (size_t)(nul - ack->BootpBootFile) : sizeof(ack->BootpBootFile);
	while (len && ack->BootpBootFile[len - 1] != '/' && ack->BootpBootFile[len - 1] != '\\')
		len--;
	if (len + sizeof("vmbench.cfg") > sizeof(name))
		return 0;
	memcpy(name, ack->BootpBootFile, len);
	memcpy(name + len, "vmbench.cfg", sizeof("vmbench.cfg"));

	UINT64 size = cap - 1;
	EFI_STATUS st = pxe->Mtftp(pxe, EFI_PXE_BASE_CODE_TFTP_READ_FILE, buf, FALSE, &size, NULL,
				   &server, name, NULL, FALSE);
	if (st != EFI_SUCCESS)
		return 0;
	kprintf("vmbench: read options from tftp://%u.%u.%u.%u/%s\n", server.v4.Addr[0],
		server.v4.Addr[1], server.v4.Addr[2], server.v4.Addr[3], (const char *)name);
	buf[size] = 0;
	return (size_t)size;
}
