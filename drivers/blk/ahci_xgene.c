/*
 * APM X-Gene's SATA controller (apm,xgene-ahci; the HP m400's), before
 * its AHCI registers work. The facts are Linux's drivers/ata/ahci_xgene.c
 * (and the Mustang/m400 device tree): the controller's RAM taken out of
 * shutdown, both channels' PHY-side port settings, its error interrupts
 * unmasked, coherent DMA, and the SATA/Ethernet mux on SATA. The clocks
 * and the SATA PHY itself (apm,xgene-phy, the SerDes) are left as the
 * firmware set them: U-Boot on the m400 boots from this disk, so they are
 * expected to be running. Untested on hardware (docs/booting.md).
 */
#include <stdio.h>

#include <arch/counter.h>
#include <arch/mmio.h>
#include <drivers/blk/ahci.h>
#include <drivers/blk/ahci_regs.h>
#include <drivers/hw_wait.h>
#include <vmb/arch.h>
#include <vmb/platform.h>

#define BLOCK_BYTES 0x1000

/* The diagnostic block: its RAM's shutdown control and ready bits. */
#define XG_DIAG_RAM_SHUTDOWN 0x70
#define XG_DIAG_RAM_READY 0x74
#define XG_RAM_ALL_READY 0xffffffffu
/* The core block. */
#define XG_CORE_SLV_RD_ERR_ATTR 0x00 /* four error attribute registers */
#define XG_CORE_BUS_CTL 0x14
#define XG_BUS_CTL_NO_COHERENT (3u << 0) /* read and write non-coherent */
#define XG_CORE_IOF_MASTER_AUX 0x18
#define XG_IOF_COHERENT ((1u << 3) | (1u << 9)) /* read and write coherent */
#define XG_CORE_INT_MASK 0x2c
#define XG_CORE_ERR_INT_MASK 0x34
/* The AXI block. */
#define XG_AXI_SLV_TIMEOUT_MASK 0x10
/* The mux block: bit 0 set gives the lanes to Ethernet. */
#define XG_MUX_CONFIG 0x00
#define XG_MUX_ETHERNET 1u
/* X-Gene's own port configuration, in the AHCI register block. */
#define XG_PORT_CFG 0xa4 /* 5:0 which channel the next registers mean */
#define XG_PORT_PHY1 0xa8
#define XG_PORT_PHY2 0xac
#define XG_PORT_PHY3 0xb0
#define XG_PORT_PHY4 0xb4
#define XG_PORT_PHY5 0xb8  /* 31:20 rate change window */
#define XG_PORT_AXI 0xbc   /* 24 context management, 23:20 outstanding */
#define XG_PORT_TRANS 0xc8 /* 6:0 receive FIFO watermark */
#define XG_CHANNELS 2

static uint32_t rd(uint64_t a)
{
	return mmio_read32(a);
}

/* A write, read back: the SoC's registers are posted. */
static void wr(uint64_t a, uint32_t v)
{
	mmio_write32(a, v);
	(void)mmio_read32(a);
}

static void field(uint64_t a, uint32_t mask, uint32_t v)
{
	wr(a, (rd(a) & ~mask) | (v & mask));
}

static void channel_setup(uint64_t abar, unsigned ch)
{
	/* Channel 0 is addressed as 2, channel 1 as 3. */
	field(abar + XG_PORT_CFG, 0x3f, ch ? 3 : 2);
	wr(abar + XG_PORT_PHY1, 0x0001fffe); /* no fixed rate */
	wr(abar + XG_PORT_PHY2, 0x28183219);
	wr(abar + XG_PORT_PHY3, 0x13081008);
	wr(abar + XG_PORT_PHY4, 0x00480815);
	field(abar + XG_PORT_PHY5, 0xfff00000u, 0x300u << 20);
	field(abar + XG_PORT_AXI, 0x01f00000u, 1u << 24 | 0xeu << 20);
	field(abar + XG_PORT_TRANS, 0x7f, 0x30);
}

bool ahci_xgene_init(struct ahci_hba *h, char *why, size_t why_len)
{
	const struct fw_ahci *f = h->fw;
	const uint64_t blocks[] = { f->xgene_core, f->xgene_diag, f->xgene_axi, f->xgene_mux };

	for (unsigned i = 0; i < 4; i++)
		if (blocks[i] && !arch_map_mmio(blocks[i], BLOCK_BYTES)) {
			snprintf(why, why_len, "%s (%s): its register block at %#llx is not mapped",
				 h->name, h->at, (unsigned long long)blocks[i]);
			return false;
		}
	if (f->xgene_mux) {
		field(f->xgene_mux + XG_MUX_CONFIG, XG_MUX_ETHERNET, 0);
		if (rd(f->xgene_mux + XG_MUX_CONFIG) & XG_MUX_ETHERNET) {
			snprintf(why, why_len, "%s (%s): its lanes stay with Ethernet (mux)",
				 h->name, h->at);
			return false;
		}
	}
	wr(f->xgene_diag + XG_DIAG_RAM_SHUTDOWN, 0);
	ref_delay_ms(1);
	if (rd(f->xgene_diag + XG_DIAG_RAM_READY) != XG_RAM_ALL_READY) {
		snprintf(why, why_len, "%s (%s): its RAM did not leave shutdown (ready %#x)",
			 h->name, h->at, rd(f->xgene_diag + XG_DIAG_RAM_READY));
		return false;
	}
	for (unsigned ch = 0; ch < XG_CHANNELS; ch++)
		channel_setup(h->abar, ch);
	wr(h->abar + AHCI_IS, ~0u);
	wr(f->xgene_core + XG_CORE_INT_MASK, 0);
	wr(f->xgene_core + XG_CORE_ERR_INT_MASK, 0);
	wr(f->xgene_axi + XG_AXI_SLV_TIMEOUT_MASK, 0);
	for (unsigned i = 0; i < 4; i++)
		mmio_write32(f->xgene_core + XG_CORE_SLV_RD_ERR_ATTR + 4 * i, ~0u);
	field(f->xgene_core + XG_CORE_BUS_CTL, XG_BUS_CTL_NO_COHERENT, 0);
	field(f->xgene_core + XG_CORE_IOF_MASTER_AUX, XG_IOF_COHERENT, XG_IOF_COHERENT);
	return true;
}

/* After IDENTIFY DEVICE the controller's DMA engine can lock up (the
 * errata Linux's xgene_ahci_qc_issue works around): stopped and started
 * again before the next command. */
void ahci_xgene_restart(struct ahci_port *p)
{
	uint64_t cmd = p->base + AHCI_PxCMD;

	wr(cmd, rd(cmd) & ~AHCI_PxCMD_ST);
	mmio_wait32(cmd, AHCI_PxCMD_CR, 0, 500);
	wr(cmd, rd(cmd) | AHCI_PxCMD_FRE | AHCI_PxCMD_ST);
}
