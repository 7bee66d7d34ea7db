/*
 * The network device the image uses: the first device of the first kind
 * that has one, or why there is none, naming the network functions the
 * image found and has no driver for.
 */
#include <stdio.h>
#include <string.h>

#include <drivers/net/netdev.h>
#include <drivers/pci/pci.h>
#include <vmb/platform.h>

/* virtio-net first, then Intel's e1000 family (what real machines and
 * QEMU's q35 have); a Xen guest's network is netfront. */
static const struct netdev_kind kinds[] = {
	{ "virtio-net", netdev_virtio_open, netdev_virtio_drives },
	{ "e1000", netdev_e1000_open, netdev_e1000_drives },
	{ "netfront", netfront_open, NULL },
};
#define NET_KINDS (sizeof(kinds) / sizeof(kinds[0]))

/* "virtio-net, e1000 or netfront" */
static const char *kind_list(void)
{
	static char s[96];
	size_t n = 0;

	for (unsigned k = 0; k < NET_KINDS && n < sizeof(s); k++)
		n += (size_t)snprintf(s + n, sizeof(s) - n, "%s%s",
				      !k		  ? ""
				      : k + 1 < NET_KINDS ? ", "
							  : " or ",
				      kinds[k].name);
	return s;
}

static bool some_kind_drives(const struct pci_dev *f)
{
	for (unsigned k = 0; k < NET_KINDS; k++)
		if (kinds[k].drives && kinds[k].drives(f))
			return true;
	return false;
}

/* A function of this kind is there: its kind's why, when it did not
 * open and yet is not broken (a link that never came up), says more than
 * any other kind's absence. */
static bool kind_present(const struct netdev_kind *k)
{
	const struct pci_bus_scan *s = pci_devices();

	for (unsigned i = 0; k->drives && s && i < s->ndev; i++)
		if (k->drives(&s->dev[i]))
			return true;
	return false;
}

bool netdev_open(struct netdev *d, bool *found, char *why, size_t why_len)
{
	char first[160] = "", present[160] = "";

	for (unsigned k = 0; k < NET_KINDS; k++) {
		memset(d, 0, sizeof(*d));
		if (kinds[k].open(d, found, why, why_len))
			return true;
		/* A device that is there but failed is the reason, not the
		 * next kind's absence. */
		if (*found)
			return false;
		if (!present[0] && kind_present(&kinds[k]))
			snprintf(present, sizeof(present), "%s", why);
		/* A Xen guest's devices are its vifs: what netfront saw. */
		bool xen_kind = !kinds[k].drives;
		if (!first[0] || (xen_kind && the_platform.mode == MODE_XEN))
			snprintf(first, sizeof(first), "%s", why);
	}
	/* Nothing the image drives: what is there that it could not. */
	char undriven[256];
	if (present[0])
		snprintf(why, why_len, "%s", present);
	else if (the_platform.mode != MODE_XEN &&
		 pci_undriven(PCI_CLASS_NETWORK, some_kind_drives, undriven, sizeof(undriven)))
		snprintf(why, why_len, "no %s the image drives; no driver for %s", kind_list(),
			 undriven);
	else
		snprintf(why, why_len, "%s", first);
	return false;
}
