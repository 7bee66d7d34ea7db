/*
 * What the firmware tables (device tree, ACPI) tell us about the machine.
 * Filled by plain C parsers that also build and are tested on the host.
 */
#ifndef VMB_FWINFO_H
#define VMB_FWINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum uart_kind {
	UART_NONE = 0,
	UART_16550, /* 8250/16450/16550 register layout */
	UART_PL011, /* Arm PL011 and SBSA generic UART */
};

enum uart_space {
	UART_SPACE_MMIO = 0,
	UART_SPACE_PIO, /* x86 I/O ports */
};

struct fw_uart {
	enum uart_kind kind;
	enum uart_space space;
	uint64_t addr;
	uint8_t reg_shift; /* register i lives at addr + (i << reg_shift) */
	uint8_t reg_width; /* access size in bytes: 1 or 4 */
	uint32_t baud;	   /* 0 = leave as firmware set it */
	uint32_t clock_hz; /* 0 = unknown */
	bool sbsa;	   /* SBSA generic UART: a PL011 subset with no control register */
	char source[16];   /* "spcr", "stdout-path", ... for the boot record */
};

enum psci_conduit {
	PSCI_NONE = 0,
	PSCI_SMC,
	PSCI_HVC,
};

/* How a secondary CPU is started, as the firmware tables say. */
enum cpu_method {
	CPU_METHOD_NONE = 0,
	CPU_METHOD_PSCI,       /* arm64 PSCI CPU_ON, conduit in fw_info.psci */
	CPU_METHOD_SPIN_TABLE, /* arm64: write the entry to release_addr, SEV */
	CPU_METHOD_SIPI,       /* x86: INIT-SIPI-SIPI to the local APIC id */
};

/* One enabled CPU: MPIDR affinity bits (arm64) or local APIC id (x86). */
struct fw_cpu {
	uint64_t hwid;
	enum cpu_method method;
	uint64_t release_addr; /* spin-table only */
	uint64_t gicr_base;    /* arm64 ACPI GICC: this CPU's redistributor, 0 = unknown */
};

#define FW_MAX_CPUS 64

enum mem_kind {
	MEM_RAM = 1,	  /* free for the kernel once firmware is gone */
	MEM_RAM_RESERVED, /* cacheable RAM we must not touch (firmware, ACPI, image) */
	MEM_MMIO,	  /* device memory the firmware told us about */
};

struct mem_region {
	uint64_t base;
	uint64_t size;
	enum mem_kind kind;
};

/* A host bridge window: PCI addresses pci..pci+size-1 appear to the CPU
 * at cpu..; size 0 = none. */
struct fw_pci_window {
	uint64_t cpu, pci, size;
};

#define FW_MAX_MEM 64
#define FW_MAX_VIRTIO_MMIO 32
#define FW_MAX_PCI_INTX 32
#define FW_MAX_BOOTARGS 1024
#define FW_MAX_AHCI 4

/* An AHCI controller the device tree describes ("generic-ahci", or
 * X-Gene's "apm,xgene-ahci" with its extra register blocks). */
struct fw_ahci {
	uint64_t base; /* the AHCI registers */
	/* X-Gene: its core, diagnostic, AXI and (optional) SATA/Ethernet mux
	 * register blocks (reg entries 1 to 4); 0 = not given. */
	uint64_t xgene_core, xgene_diag, xgene_axi, xgene_mux;
	unsigned irq; /* its GIC SPI as an INTID; 0 = none understood */
	bool xgene;
};

struct fw_info {
	struct fw_uart uart;
	unsigned cpus; /* enabled CPUs; 0 = unknown */
	/* The first FW_MAX_CPUS of them, in table order (not always boot CPU first). */
	struct fw_cpu cpu[FW_MAX_CPUS];
	unsigned ncpu;

	/* Device tree /memory nodes (UEFI gives its own map instead). */
	struct mem_region mem[FW_MAX_MEM];
	unsigned nmem;

	char bootargs[FW_MAX_BOOTARGS]; /* /chosen/bootargs */
	enum psci_conduit psci;

	/* Device tree /hypervisor node. */
	bool xen_node;
	char hyp_compatible[64];
	unsigned xen_upcall_irq; /* its interrupt (GIC INTID of a PPI), 0 none named */

	/* "model" of the DT root, or ACPI OEM ID + OEM table ID. */
	char model[64];
	bool qemu; /* a QEMU machine model: linux,dummy-virt or ACPI OEM BOCHS/BXPC */
	/* The device tree's own: its root's model and first compatible string,
	 * and the version U-Boot names in /chosen ("u-boot,version"). */
	char dt_model[64];
	char dt_compatible[64];
	char uboot_version[64];

	/* Interrupt controller (arm64: GIC; x86: local APIC), for later benches. */
	unsigned gic_version; /* 0 unknown, 2, 3 */
	uint64_t gicd_base;
	uint64_t gicc_base; /* GICv2 CPU interface */
	/* GICv2 virtualization: the hypervisor control interface (GICH) and
	 * the virtual CPU interface (GICV); 0 = not described. */
	uint64_t gich_base, gicv_base;
	uint64_t gicr_base; /* GICv3 redistributors */
	uint64_t lapic_base;
	/* Where arm64 PCI MSIs go: a GICv3 ITS (its GITS_ base), or a GICv2m
	 * frame with the SPIs it owns (count 0: as its MSI_TYPER says). */
	uint64_t gic_its_base;
	uint64_t gic_v2m_base;
	unsigned gic_v2m_spi_base, gic_v2m_spi_count;
	/* PCI requester IDs rid_base.. (count of them) are the ITS DeviceIDs
	 * devid_base.. (device-tree msi-map, ACPI IORT); count 0: the same. */
	struct fw_msi_map {
		uint32_t rid_base, devid_base, count;
	} pci_msi_map;

	/* PCI Express configuration through ECAM (ACPI MCFG, or a device-tree
	 * pci-host-ecam-generic node), segment 0; 0 = none described. */
	uint64_t pci_ecam_base;
	uint8_t pci_bus_start, pci_bus_end;
	/* Where BARs may go, from the device tree's "ranges". ACPI keeps them
	 * in AML, and an ACPI machine's firmware assigns BARs itself; for one
	 * that assigns none (qboot), pci_mem32 may be the memory map's
	 * largest hole below 4 GiB instead (fw_pci_gap): pci_mem32_from_gap. */
	struct fw_pci_window pci_io, pci_mem32, pci_mem64;
	bool pci_mem32_from_gap;

	/* PCI INTx lines from the device tree's interrupt-map on the bridge:
	 * a function at (bus, device, function) address a (phys.hi layout)
	 * with pin p (1 = INTA) uses entry e when a & mask_addr == e.addr and
	 * p & mask_pin == e.pin; its line as a GIC INTID. ACPI keeps this in
	 * AML (_PRT), which the image does not interpret: none then. */
	struct fw_pci_intx {
		uint32_t addr;
		uint8_t pin;
		unsigned irq;
	} pci_intx[FW_MAX_PCI_INTX];
	unsigned n_pci_intx;
	uint32_t pci_intx_mask_addr;
	uint8_t pci_intx_mask_pin;

	/* virtio-mmio devices the device tree describes ("virtio,mmio"), in
	 * tree order; a slot may hold no device (QEMU's virt has 32). */
	uint64_t virtio_mmio[FW_MAX_VIRTIO_MMIO];
	/* Each one's interrupt as a GIC INTID (an SPI: 32 + its number), 0
	 * when the tree gives none the image understands. */
	unsigned virtio_mmio_irq[FW_MAX_VIRTIO_MMIO];
	unsigned n_virtio_mmio;

	/* AHCI controllers from the device tree, in tree order, enabled ones. */
	struct fw_ahci ahci[FW_MAX_AHCI];
	unsigned n_ahci;

	/* Timers usable to calibrate the TSC (x86). */
	uint32_t pm_timer_port; /* ACPI PM timer in I/O space; 0 = none */
	uint64_t pm_timer_mmio; /* ACPI PM timer in memory space; 0 = none */
	bool pm_timer_32bit;
	uint64_t hpet_base; /* 0 = none */

	/* ACPI FADT reset register, for reboot when everything else fails. */
	bool reset_reg_valid;
	uint8_t reset_reg_space; /* GAS address space id */
	uint64_t reset_reg_addr;
	uint8_t reset_value;

	/* Which tables were read, for the boot record. */
	bool have_fdt;
	bool have_acpi;
	bool acpi_xsdt_bad_signature; /* accepted on its checksum */
};

void fw_info_init(struct fw_info *info);
/* Bytes of ECAM the described buses take (1 MiB each); 0 = no ECAM. */
uint64_t fw_pci_ecam_size(const struct fw_info *info);
/* first..first+count-1 are all GIC SPIs (INTIDs 32 up to IRQ_SPECIAL). */
bool fw_gic_spi_range(uint64_t first, uint64_t count);
/* The INTx line of pin (1..4) of the function at bus/dev/fn by the
 * interrupt-map (a GIC INTID), or 0 when it names none. */
unsigned fw_pci_intx(const struct fw_info *info, unsigned bus, unsigned dev, unsigned fn,
		     unsigned pin);

#endif
