/* PCI names from pci.ids (pci_names.c over the table tools/gen-pci-names
 * writes): the devices an I/O benchmark names when it has no driver. */
#include <drivers/pci/pci_names.h>

#include "check.h"

static int sorted(const struct pci_name *t, unsigned n)
{
	for (unsigned i = 1; i < n; i++)
		if (t[i - 1].id >= t[i].id)
			return 0;
	return 1;
}

int main(void)
{
	char s[160];

	CHECK(sorted(pci_vendor_names, pci_vendor_names_n));
	CHECK(sorted(pci_device_names, pci_device_names_n));
	CHECK(sorted(pci_class_names, pci_class_names_n));
	/* The NICs and disk controllers of the machines the study names, and
	 * QEMU's. */
	CHECK_STR(pci_device_name(0x14e4, 0x165f), "NetXtreme BCM5720 Gigabit Ethernet PCIe");
	CHECK_STR(pci_device_name(0x15b3, 0x1003), "MT27500 Family [ConnectX-3]");
	CHECK_STR(pci_device_name(0x8086, 0x10d3), "82574L Gigabit Network Connection");
	CHECK_STR(pci_device_name(0x8086, 0x100e), "82540EM Gigabit Ethernet Controller");
	CHECK(pci_device_name(0x1b36, 0x0010) != NULL); /* QEMU NVMe */
	CHECK(pci_vendor_name(0x15b3) != NULL);
	/* Not a NIC or a disk controller (a VGA card): left out. */
	CHECK(pci_device_name(0x1234, 0x1111) == NULL);
	CHECK(pci_device_name(0xffff, 0xffff) == NULL);
	/* Classes, most specific first. */
	CHECK_STR(pci_class_name(0x010601), "AHCI 1.0");
	CHECK_STR(pci_class_name(0x010802), "NVM Express");
	CHECK_STR(pci_class_name(0x020000), "Ethernet controller");
	CHECK_STR(pci_class_name(0x0200ff), "Ethernet controller"); /* unknown prog-if */
	CHECK_STR(pci_class_name(0x02ee00), "Network controller");  /* unknown subclass */
	CHECK(pci_class_name(0xfe0000) == NULL);
	pci_describe(0x14e4, 0x165f, 0x020000, s, sizeof(s));
	CHECK_STR(s, "14e4:165f Broadcom NetXtreme BCM5720 Gigabit Ethernet PCIe");
	pci_describe(0x15b3, 0x1003, 0x020000, s, sizeof(s));
	CHECK_STR(s, "15b3:1003 Mellanox MT27500 Family [ConnectX-3]");
	/* A known vendor, a device the table leaves out: the class names it. */
	pci_describe(0x8086, 0xfffe, 0x010802, s, sizeof(s));
	CHECK_STR(s, "8086:fffe Intel NVM Express");
	pci_describe(0xabcd, 0x0001, 0x020000, s, sizeof(s));
	CHECK_STR(s, "abcd:0001 Ethernet controller");
	pci_describe(0xabcd, 0x0001, 0xfe0000, s, sizeof(s));
	CHECK_STR(s, "abcd:0001 unknown function");
	pci_describe(0x14e4, 0x165f, 0x020000, s, 12); /* truncated, still terminated */
	CHECK_EQ_U(strlen(s), 11);
	return check_report("pci_names");
}
