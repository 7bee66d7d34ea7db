/*
 * AHCI 1.3.1 register, structure and FIS names, and the ATA commands the
 * driver issues (ACS-3), in one place for drivers/blk/ahci*.c.
 */
#ifndef DRIVERS_AHCI_REGS_H
#define DRIVERS_AHCI_REGS_H

#include <stdint.h>

/* Generic host control (AHCI 3.1). */
#define AHCI_CAP 0x00
#define AHCI_CAP_NCS(cap) (((cap) >> 8 & 0x1f) + 1) /* command slots per port */
#define AHCI_CAP_SSS (1u << 27)			    /* staggered spin-up */
#define AHCI_CAP_SNCQ (1u << 30)		    /* native command queuing */
#define AHCI_CAP_S64A (1u << 31)		    /* 64-bit addressing */
#define AHCI_GHC 0x04
#define AHCI_GHC_HR (1u << 0) /* HBA reset */
#define AHCI_GHC_IE (1u << 1)
#define AHCI_GHC_AE (1u << 31) /* AHCI enable */
#define AHCI_IS 0x08	       /* one bit per port, write 1 to clear */
#define AHCI_PI 0x0c	       /* ports implemented */
#define AHCI_VS 0x10
#define AHCI_MAX_PORTS 32

/* Port registers (AHCI 3.3), at 0x100 + port * 0x80. */
#define AHCI_PORT(n) (0x100u + (n)*0x80u)
#define AHCI_PxCLB 0x00
#define AHCI_PxCLBU 0x04
#define AHCI_PxFB 0x08
#define AHCI_PxFBU 0x0c
#define AHCI_PxIS 0x10
#define AHCI_PxIE 0x14
#define AHCI_PxCMD 0x18
#define AHCI_PxTFD 0x20
#define AHCI_PxSIG 0x24
#define AHCI_PxSSTS 0x28
#define AHCI_PxSCTL 0x2c
#define AHCI_PxSERR 0x30
#define AHCI_PxSACT 0x34
#define AHCI_PxCI 0x38

/* PxIS / PxIE bits. */
#define AHCI_PxIS_DHRS (1u << 0) /* a D2H register FIS came */
#define AHCI_PxIS_PSS (1u << 1)	 /* a PIO setup FIS came */
#define AHCI_PxIS_SDBS (1u << 3) /* a set device bits FIS came (NCQ done) */
#define AHCI_PxIS_IFS (1u << 27) /* interface fatal */
#define AHCI_PxIS_HBDS (1u << 28)
#define AHCI_PxIS_HBFS (1u << 29)
#define AHCI_PxIS_TFES (1u << 30) /* task file error */
#define AHCI_PxIS_ERRORS (AHCI_PxIS_IFS | AHCI_PxIS_HBDS | AHCI_PxIS_HBFS | AHCI_PxIS_TFES)
#define AHCI_PxIE_DONE (AHCI_PxIS_DHRS | AHCI_PxIS_PSS | AHCI_PxIS_SDBS | AHCI_PxIS_ERRORS)

/* PxCMD bits. */
#define AHCI_PxCMD_ST (1u << 0)	 /* start processing the command list */
#define AHCI_PxCMD_SUD (1u << 1) /* spin up device */
#define AHCI_PxCMD_POD (1u << 2) /* power on device */
#define AHCI_PxCMD_FRE (1u << 4) /* FIS receive enable */
#define AHCI_PxCMD_FR (1u << 14) /* FIS receive running */
#define AHCI_PxCMD_CR (1u << 15) /* command list running */

/* PxTFD: the device's status (7:0) and error (15:8) registers. */
#define AHCI_TFD_ERR (1u << 0)
#define AHCI_TFD_DRQ (1u << 3)
#define AHCI_TFD_BSY (1u << 7)

/* PxSSTS.DET (3:0) and PxSCTL.DET. */
#define AHCI_SSTS_DET(v) ((v)&0xf)
#define AHCI_DET_NONE 0
#define AHCI_DET_PRESENT 1 /* a device, no link yet */
#define AHCI_DET_LINK 3	   /* a device and a link */
#define AHCI_SCTL_COMRESET 1

/* PxSIG: what the device's first D2H FIS said it is. */
#define AHCI_SIG_ATA 0x00000101u
#define AHCI_SIG_ATAPI 0xeb140101u
#define AHCI_SIG_SEMB 0xc33c0101u
#define AHCI_SIG_PM 0x96690101u

/* The command header (AHCI 4.2.2): 32 bytes, one per slot, in the port's
 * 1 KiB-aligned command list. */
struct ahci_cmd_header {
	uint32_t flags; /* CFL 4:0 (FIS dwords), W bit 6, PRDTL 31:16 */
	volatile uint32_t prdbc;
	uint32_t ctba, ctbau; /* the command table, 128-byte aligned */
	uint32_t reserved[4];
};
#define AHCI_HDR_WRITE (1u << 6)
#define AHCI_HDR_PRDTL(n) ((uint32_t)(n) << 16)

/* A physical region descriptor (AHCI 4.2.3): up to 4 MiB, an even count. */
struct ahci_prd {
	uint32_t dba, dbau, reserved;
	uint32_t dbc; /* byte count - 1 (21:0), I bit 31 */
};
#define AHCI_PRD_MAX (4u << 20)

/* The command table: the command FIS at 0, the PRDT at 0x80. */
#define AHCI_CT_PRDT 0x80
#define AHCI_RX_FIS_BYTES 256
#define AHCI_CMD_LIST_BYTES 1024

/* A register host-to-device FIS (SATA 3.x 10.5.5), 5 dwords. */
#define FIS_TYPE_REG_H2D 0x27
#define FIS_H2D_COMMAND 0x80 /* the C bit: the command register is written */
#define FIS_H2D_DWORDS 5
#define ATA_DEV_LBA 0x40

/* ATA commands (ACS-3). */
#define ATA_CMD_IDENTIFY 0xec
#define ATA_CMD_READ_DMA_EXT 0x25
#define ATA_CMD_WRITE_DMA_EXT 0x35
#define ATA_CMD_READ_FPDMA 0x60
#define ATA_CMD_WRITE_FPDMA 0x61

/* IDENTIFY DEVICE words. */
#define ATA_ID_SERIAL 10 /* 10 words, 20 ASCII bytes, each word's bytes swapped */
#define ATA_ID_SERIAL_BYTES 20
#define ATA_ID_MODEL 27 /* 20 words, 40 ASCII bytes, swapped like the serial */
#define ATA_ID_MODEL_BYTES 40
#define ATA_ID_LBA28 60 /* 2 words */
#define ATA_ID_QUEUE_DEPTH 75
#define ATA_ID_SATA_CAP 76
#define ATA_ID_SATA_NCQ (1u << 8)
#define ATA_ID_CMDSET2 83
#define ATA_ID_LBA48_SUPPORTED (1u << 10)
#define ATA_ID_LBA48 100 /* 4 words */

#endif
