/* Names of PCI functions (pci_names.h): binary search in the tables. */
#include <stdio.h>

#include <drivers/pci/pci_names.h>

static const char *find(const struct pci_name *t, unsigned n, uint32_t id)
{
	unsigned lo = 0, hi = n;

	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;
		if (t[mid].id == id)
			return pci_names_text + t[mid].at;
		if (t[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const char *pci_vendor_name(uint16_t vendor)
{
	return find(pci_vendor_names, pci_vendor_names_n, vendor);
}

const char *pci_device_name(uint16_t vendor, uint16_t device)
{
	return find(pci_device_names, pci_device_names_n, (uint32_t)vendor << 16 | device);
}

const char *pci_class_name(uint32_t class_code)
{
	const char *n =
		find(pci_class_names, pci_class_names_n, 3u << 24 | (class_code & 0xffffff));

	if (!n)
		n = find(pci_class_names, pci_class_names_n, 2u << 24 | (class_code >> 8 & 0xffff));
	if (!n)
		n = find(pci_class_names, pci_class_names_n, 1u << 24 | (class_code >> 16 & 0xff));
	return n;
}

void pci_describe(uint16_t vendor, uint16_t device, uint32_t class_code, char *out, size_t len)
{
	const char *d = pci_device_name(vendor, device), *v = pci_vendor_name(vendor);
	const char *c = pci_class_name(class_code);
	int vlen = 0;

	if (!d)
		d = c ? c : "unknown function";
	/* The vendor's first word ("Broadcom", not "Broadcom Inc. and
	 * subsidiaries"): enough to know whose part it is. */
	while (v && v[vlen] && v[vlen] != ' ' && v[vlen] != ',')
		vlen++;
	if (vlen)
		snprintf(out, len, "%04x:%04x %.*s %s", vendor, device, vlen, v, d);
	else
		snprintf(out, len, "%04x:%04x %s", vendor, device, d);
}
