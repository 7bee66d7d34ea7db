/*
 * Common names of PCI functions, from pci.ids (the list lspci uses),
 * turned into tables at build time by tools/gen-pci-names: every class,
 * and the network and storage devices with their vendors. Plain C, tested
 * on the host.
 */
#ifndef DRIVERS_PCI_NAMES_H
#define DRIVERS_PCI_NAMES_H

#include <stddef.h>
#include <stdint.h>

struct pci_name {
	uint32_t id;
	uint32_t at; /* the name's offset in pci_names_text */
};
extern const char pci_names_text[];

/* Sorted by id: vendor; vendor << 16 | device; level << 24 | class code
 * (1: base class, 2: base << 8 | subclass, 3: base << 16 | subclass << 8
 * | programming interface). */
extern const struct pci_name pci_vendor_names[], pci_device_names[], pci_class_names[];
extern const unsigned pci_vendor_names_n, pci_device_names_n, pci_class_names_n;

/* NULL where pci.ids has no name (or the device is not a NIC or disk
 * controller, which the table leaves out). */
const char *pci_vendor_name(uint16_t vendor);
const char *pci_device_name(uint16_t vendor, uint16_t device);
/* The most specific name of a 24-bit class code (class, subclass,
 * programming interface), or NULL. */
const char *pci_class_name(uint32_t class_code);
/* "14e4:165f Broadcom NetXtreme BCM5720 Gigabit Ethernet PCIe" (the
 * vendor's first word), or with the class's name where the device has
 * none. */
void pci_describe(uint16_t vendor, uint16_t device, uint32_t class_code, char *out, size_t len);

#endif
