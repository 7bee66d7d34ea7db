/*
 * PCI: configuration access (ECAM, or the x86 ports 0xcf8/0xcfc), the
 * functions found on the buses the firmware numbered, their BARs sized,
 * and BARs nobody assigned placed in the host bridge's windows (an arm64
 * -kernel boot has no firmware to do it).
 *
 * The enumeration works through struct pci_cfg_ops, so it also runs on
 * the host against a simulated configuration space (tests/unit/test_pci.c).
 */
#ifndef VMB_PCI_H
#define VMB_PCI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vmb/fwinfo.h>

#define PCI_MAX_DEVS 64
#define PCI_MAX_BARS 6

/* Configuration space registers and bits used here. */
#define PCI_VENDOR_ID 0x00
#define PCI_COMMAND 0x04
#define PCI_CMD_IO (1u << 0)
#define PCI_CMD_MEM (1u << 1)
#define PCI_CMD_MASTER (1u << 2)
#define PCI_CMD_INTX_DISABLE (1u << 10)
#define PCI_STATUS_CAPS (1u << 20) /* in the dword at PCI_COMMAND */
#define PCI_CLASS_REV 0x08
#define PCI_HEADER_TYPE 0x0c /* byte 2 of this dword */
#define PCI_BAR0 0x10
#define PCI_BRIDGE_BUSES 0x18 /* primary, secondary, subordinate */
#define PCI_CAP_PTR 0x34
/* Base classes (the top byte of the class code). */
#define PCI_CLASS_STORAGE 0x01
#define PCI_CLASS_NETWORK 0x02

struct pci_cfg_ops {
	uint32_t (*read32)(void *ctx, unsigned bus, unsigned dev, unsigned fn, unsigned off);
	void (*write32)(void *ctx, unsigned bus, unsigned dev, unsigned fn, unsigned off,
			uint32_t v);
	void *ctx;
};

struct pci_bar {
	uint64_t pci;  /* address on the bus (what the BAR holds) */
	uint64_t cpu;  /* where the CPU reaches it */
	uint64_t size; /* 0: not implemented */
	bool io, is64, prefetch;
	bool assigned_here; /* placed by us, not by firmware */
};

struct pci_dev {
	uint8_t bus, dev, fn;
	uint16_t vendor, device;
	uint32_t class_rev; /* class, subclass, prog-if, revision */
	uint8_t header;	    /* 0 device, 1 bridge */
	struct pci_bar bar[PCI_MAX_BARS];
	char why[96]; /* a BAR that could not be placed */
};

/* Windows for unassigned BARs: CPU and bus address of each, and how far
 * they are used. */
struct pci_windows {
	struct fw_pci_window io, mem32, mem64;
	uint64_t io_used, mem32_used, mem64_used;
};

struct pci_bus_scan {
	struct pci_dev dev[PCI_MAX_DEVS];
	unsigned ndev;
	unsigned bridges_unnumbered; /* bridges the firmware left without buses */
	bool truncated;		     /* more functions than PCI_MAX_DEVS */
};

/* Walk bus first..last from `first` down through bridges the firmware
 * numbered; size every BAR, and place those reading 0 in w (NULL: place
 * none). */
void pci_scan(const struct pci_cfg_ops *ops, unsigned first, unsigned last, struct pci_windows *w,
	      struct pci_bus_scan *out);

/* Take size bytes, naturally aligned, from window w (used: how far it is
 * taken); the bus address, or 0 when it does not fit. */
uint64_t pci_window_take(const struct fw_pci_window *w, uint64_t *used, uint64_t size);

/* The image's PCI (drivers/pci/pci_hw.c): set up from the firmware
 * tables; false when there is no configuration access (pci_report()
 * says why). */
bool pci_init(const struct fw_info *fw);
/* One info record per function found (or why none), after the boot record. */
void pci_report(void);
/* "ecam", "ports" or "none". */
const char *pci_access_name(void);
const struct pci_bus_scan *pci_devices(void);
uint32_t pci_read32(const struct pci_dev *d, unsigned off);
void pci_write32(const struct pci_dev *d, unsigned off, uint32_t v);
/* Where the CPU reaches off..off+len of a memory BAR, mapped; false when
 * the BAR is missing, I/O, too small or not placed. */
bool pci_bar_map(const struct pci_dev *d, unsigned bar, uint64_t off, uint64_t len, uint64_t *out);
/* The offset of the next capability id in d's list after offset `after`
 * (0: from the start), or 0. */
unsigned pci_find_cap(const struct pci_dev *d, unsigned id, unsigned after);

/* The functions of base class `base` (PCI_CLASS_NETWORK, ...) that
 * drives() says no driver takes, named ("14e4:165f Broadcom NetXtreme
 * BCM5720 Gigabit Ethernet PCIe at 02:00.0"), comma-separated
 * into out; how many. */
unsigned pci_undriven(unsigned base, bool (*drives)(const struct pci_dev *f), char *out,
		      size_t len);

/* d's requester ID (bus << 8 | device << 3 | function): what its messages
 * carry, and what arch_msi_route maps to an interrupt. */
static inline uint32_t pci_rid(const struct pci_dev *d)
{
	return (uint32_t)d->bus << 8 | (uint32_t)d->dev << 3 | d->fn;
}

/* The line d's INTx pin is wired to (a GIC INTID, from the device-tree
 * interrupt-map), with INTx let through its command register; false and
 * why (no pin, no map, behind a bridge). */
bool pci_intx_line(const struct pci_dev *d, unsigned *irq, char *why, size_t why_len);

/* Plain MSI (drivers/pci/msi.c): the function's one message (address and
 * data from arch_msi_route), on; false and why (no capability, an address
 * its 32-bit capability cannot hold). Off again: it signals by INTx. */
bool pci_msi_enable(const struct pci_dev *d, uint64_t addr, uint32_t data, char *why,
		    size_t why_len);
void pci_msi_disable(const struct pci_dev *d);

/* MSI-X (drivers/pci/msix.c): the table mapped and the function's MSI-X
 * on, every entry masked until written. */
struct pci_msix {
	unsigned cap, entries;
	uint64_t table;
};
bool pci_msix_enable(const struct pci_dev *d, struct pci_msix *m, char *why, size_t why_len);
/* Off again: the function signals by INTx. */
void pci_msix_disable(const struct pci_dev *d, struct pci_msix *m);
/* Entry n sends this message, unmasked. */
void pci_msix_set(const struct pci_msix *m, unsigned n, uint64_t addr, uint32_t data);
/* Entry n masked again (pci_msix_set unmasks it): a message the function
 * would send meanwhile waits as pending. */
void pci_msix_mask(const struct pci_msix *m, unsigned n);

#endif
