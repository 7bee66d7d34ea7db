/*
 * The AHCI driver's parts (drivers/blk/ahci*.c): the engine that brings
 * up a controller and its ports and runs commands (ahci.c), the front
 * ends that find controllers on PCI and in the device tree, X-Gene's
 * start-up (ahci_xgene.c), and the scratch-disk search (ahci_open.c).
 */
#ifndef DRIVERS_AHCI_H
#define DRIVERS_AHCI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <drivers/blk/blkdev.h>
#include <vmb/fwinfo.h>

struct pci_dev;

struct ahci_hba {
	uint64_t abar; /* the registers, mapped */
	uint32_t cap, pi;
	char name[48];		   /* "AHCI 8086:2922", "AHCI apm,xgene-ahci" */
	char at[32];		   /* "pci 00:1f.2", "at 0x1a400000" */
	const struct pci_dev *pci; /* NULL: from the device tree */
	const struct fw_ahci *fw;  /* the device-tree node's facts */
	bool xgene;
};

struct ahci_port {
	struct ahci_hba *hba;
	unsigned n;
	uint64_t base; /* its registers */
	struct ahci_cmd_header *list;
	uint8_t *rx_fis;
	uint8_t *table[BLKDEV_SLOTS];
	bool ncq;
	unsigned depth;		     /* commands the port runs at once */
	uint32_t busy;		     /* hardware slots issued */
	uint8_t owner[BLKDEV_SLOTS]; /* the blkdev slot each hardware slot serves */
	uint32_t pending;	     /* blkdev slots submitted, not yet issued */
	uint32_t ret_ok, ret_fail;   /* blkdev slots completed, not yet returned */
	bool error_seen;	     /* the interrupt's ack saw an error bit */
	struct {
		bool write;
		uint64_t sector;
		void *buf;
		uint32_t len;
	} req[BLKDEV_SLOTS];
	/* The completion interrupt, once routed. */
	unsigned irq;
	bool irq_line; /* a level line (INTx, a GIC SPI), not an MSI */
};

/* What IDENTIFY DEVICE said (ahci_id.c, plain C, tested on the host):
 * serial and model as text (trailing spaces cut), the serial as the
 * device pads it (for blkdev_scratch_rule), the size (LBA48, else LBA28)
 * and NCQ with its queue depth (1 without). */
struct ahci_id {
	char serial[21], serial_raw[20], model[41];
	uint64_t sectors;
	bool lba48, ncq;
	unsigned queue_depth;
};
void ahci_id_parse(const uint16_t *id, struct ahci_id *out);

/* The engine (ahci.c). All waits are bounded by the reference clock. */
bool ahci_hba_init(struct ahci_hba *h, char *why, size_t why_len);
/* Spin up every implemented port and wait for links: the ports with a
 * device on a link. */
uint32_t ahci_hba_links(struct ahci_hba *h);
/* Port n's memory given (one set, reused port after port), its FIS
 * receive on and its device ready; the signature it gave in *sig. */
bool ahci_port_start(struct ahci_hba *h, unsigned n, struct ahci_port *p, uint32_t *sig, char *why,
		     size_t why_len);
/* IDENTIFY DEVICE into id (512 bytes), then the command list started. */
bool ahci_identify(struct ahci_port *p, uint16_t *id, char *why, size_t why_len);
/* Command processing and FIS receive off: the port left alone. */
void ahci_port_stop(struct ahci_port *p);
/* The blkdev operations over p (ahci.c keeps one port for them). */
void ahci_blkdev_bind(struct blkdev *d, struct ahci_port *p);

/* The port's completion interrupt (ahci_open.c: MSI or INTx on PCI, the
 * node's GIC SPI from the device tree): its number and how it comes. */
bool ahci_irq_route(struct ahci_port *p, unsigned *irq, char *via, size_t via_len, char *why,
		    size_t why_len);

/* X-Gene (apm,xgene-ahci): what its controller needs before the AHCI
 * registers work (Linux drivers/ata/ahci_xgene.c as the fact source). */
bool ahci_xgene_init(struct ahci_hba *h, char *why, size_t why_len);
/* The X-Gene errata: after IDENTIFY the engine is restarted. */
void ahci_xgene_restart(struct ahci_port *p);

/* The device-tree controllers (the composition root hands them over). */
void ahci_set_fw(const struct fw_ahci *a, unsigned n);

#endif
