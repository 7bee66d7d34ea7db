/*
 * Intel's gigabit Ethernet controllers with legacy descriptors: the
 * registers and bits drivers/net/e1000.c uses. Offsets are from BAR 0.
 * Sources: Intel's datasheets (8254x family software developer's manual,
 * 82574 datasheet, 82576/I350/I210 datasheets) and iPXE's intel.h, read
 * for the facts.
 *
 * Where the families differ it is said here; the igb family (82576, I350,
 * I210/I211) is written from the datasheets only and NOT tested under
 * emulation (QEMU 7.2 has no igb).
 */
#ifndef DRIVERS_NET_E1000_REGS_H
#define DRIVERS_NET_E1000_REGS_H

#include <stdint.h>

/* 128 KiB of registers in BAR 0 on every member. */
#define E1K_BAR_SIZE 0x20000u

#define E1K_CTRL 0x0000u
#define E1K_CTRL_LRST (1u << 3)	   /* link reset (8254x) */
#define E1K_CTRL_ASDE (1u << 5)	   /* auto-speed detection */
#define E1K_CTRL_SLU (1u << 6)	   /* set link up */
#define E1K_CTRL_FRCSPD (1u << 11) /* force speed */
#define E1K_CTRL_FRCDPLX (1u << 12)
#define E1K_CTRL_RST (1u << 26)	    /* device reset, self-clearing */
#define E1K_CTRL_PHY_RST (1u << 31) /* not self-clearing on every member */

#define E1K_STATUS 0x0008u
#define E1K_STATUS_LU (1u << 1) /* link up */

/* EEPROM read: start, then done, the word in bits 31:16. The 8254x has
 * the done bit at 4 and the address at bit 8; the 82574 and the igb
 * family at bit 1 and bit 2. */
#define E1K_EERD 0x0014u
#define E1K_EERD_START (1u << 0)
#define E1K_EERD_DONE_SMALL (1u << 4)
#define E1K_EERD_ADDR_SMALL 8
#define E1K_EERD_DONE_LARGE (1u << 1)
#define E1K_EERD_ADDR_LARGE 2
#define E1K_EERD_DATA_SHIFT 16

#define E1K_CTRL_EXT 0x0018u

/* Interrupt cause (read clears it, or write 1s), set, mask set, mask clear. */
#define E1K_ICR 0x00c0u
#define E1K_IMS 0x00d0u
#define E1K_IMC 0x00d8u
#define E1K_INT_RXT0 (1u << 7)	/* a frame received (igb: RXDW) */
#define E1K_INT_RXQ0 (1u << 20) /* 82574 in MSI-X mode: receive queue 0 */
#define E1K_INT_ALL 0xffffffffu

/* 82574 only: which ICR bits its MSI-X messages clear by themselves
 * (EIAC), and which MSI-X entry each cause sends (IVAR: a nibble per
 * cause, receive queue 0 in bits 3:0, bit 3 of the nibble valid). */
#define E1K_EIAC_82574 0x00dcu
#define E1K_IVAR_82574 0x00e4u
#define E1K_IVAR_VALID 0x8u

#define E1K_RCTL 0x0100u
#define E1K_RCTL_EN (1u << 1)
#define E1K_RCTL_BAM (1u << 15)	  /* broadcast accept */
#define E1K_RCTL_SECRC (1u << 26) /* strip the CRC */
/* BSIZE 00 with BSEX 0: 2048-byte buffers, the value 0. */

#define E1K_TCTL 0x0400u
#define E1K_TCTL_EN (1u << 1)
#define E1K_TCTL_PSP (1u << 3)	    /* pad short frames */
#define E1K_TCTL_CT (0x0fu << 4)    /* collision threshold, the manuals' value */
#define E1K_TCTL_COLD (0x40u << 12) /* collision distance, full duplex */
#define E1K_TIPG 0x0410u
#define E1K_TIPG_8254X 0x0060200au /* IPGT 10, IPGR1 8, IPGR2 6 (copper) */
#define E1K_TIPG_OTHER 0x00602008u /* IPGT 8 (82574, igb) */

/* I210 only: packet buffer sizes that a warm reset does not restore
 * (iPXE's finding), written back to their power-up values. */
#define E1K_RXPBS 0x2404u
#define E1K_RXPBS_I210 0x000000a2u
#define E1K_TXPBS 0x3404u
#define E1K_TXPBS_I210 0x04000014u

/* Receive and transmit queue 0 (the igb family aliases queue 0 here
 * too, beside its 0xc000/0xe000 blocks). */
#define E1K_RDBAL 0x2800u
#define E1K_RDBAH 0x2804u
#define E1K_RDLEN 0x2808u
#define E1K_RDH 0x2810u
#define E1K_RDT 0x2818u
#define E1K_RDTR 0x2820u /* receive delay timer: 0, none */
#define E1K_RXDCTL 0x2828u
#define E1K_RADV 0x282cu /* absolute receive delay: 0, none */
#define E1K_TDBAL 0x3800u
#define E1K_TDBAH 0x3804u
#define E1K_TDLEN 0x3808u
#define E1K_TDH 0x3810u
#define E1K_TDT 0x3818u
#define E1K_TXDCTL 0x3828u
/* igb family: a queue runs only with its enable bit set. */
#define E1K_XDCTL_ENABLE (1u << 25)
/* 82574: bit 10 of TARC0 must stay set (QEMU sends nothing without it). */
#define E1K_TARC0 0x3840u
#define E1K_TARC0_ENABLE (1u << 10)

#define E1K_MTA 0x5200u /* 128 multicast table words */
#define E1K_MTA_WORDS 128
#define E1K_RAL0 0x5400u
#define E1K_RAH0 0x5404u
#define E1K_RAH_AV (1u << 31) /* address valid */

/* Legacy descriptors: 16 bytes each, rings a multiple of 128 bytes. */
struct e1k_rx_desc {
	uint64_t addr;
	uint16_t len;
	uint16_t csum;
	uint8_t status;
	uint8_t errors;
	uint16_t special;
};

struct e1k_tx_desc {
	uint64_t addr;
	uint16_t len;
	uint8_t cso;
	uint8_t cmd;
	uint8_t status;
	uint8_t css;
	uint16_t special;
};

#define E1K_RXD_DD (1u << 0)  /* descriptor done */
#define E1K_RXD_EOP (1u << 1) /* the frame's last */
#define E1K_TXD_EOP (1u << 0)
#define E1K_TXD_IFCS (1u << 1) /* insert the CRC */
#define E1K_TXD_RS (1u << 3)   /* report status (DD) */
#define E1K_TXD_DD (1u << 0)

#endif
