/*
 * Intel's gigabit Ethernet controllers with legacy descriptors, as a
 * network device under lwIP (netdev.h): one receive and one transmit ring
 * of 16-byte descriptors, a 2 KiB buffer of ours behind each, polled.
 *
 * Three families share this programming model (e1000_regs.h):
 * - 8254x (82540EM, QEMU's e1000): tested under QEMU. No MSI: its
 *   receive interrupt is the INTx line (arm64: from the device tree; x86
 *   has no IOAPIC driver, so there it has none).
 * - 82574L (QEMU's e1000e, q35's default NIC): tested under QEMU; its
 *   receive queue signals MSI-X entry 0 through its IVAR.
 * - igb: 82576, I350, I210/I211: written from the datasheets and iPXE's
 *   facts, NOT tested under emulation (QEMU 7.2 has no igb). Queues need
 *   their enable bit; interrupts by INTx only (their MSI-X is another
 *   model, not driven).
 *
 * Memory is identity-mapped: a buffer's address is its DMA address.
 */
#include <stdio.h>
#include <string.h>

#include <arch/counter.h>
#include <arch/mmio.h>
#include <vmb/arch.h>
#include <vmb/irq.h>
#include <vmb/mem.h>
#include <vmb/platform.h>
#include <vmb/report.h>
#include <drivers/hw_wait.h>
#include <drivers/net/e1000_regs.h>
#include <drivers/net/netdev.h>
#include <drivers/pci/pci.h>

#define INTEL_VENDOR 0x8086
#define RX_RING 256 /* descriptors per ring: a 4 KiB ring each */
#define TX_RING 256
#define BUF_BYTES 2048
#define PAGES(bytes) (((bytes) + 4095) / 4096)
#define RESET_MIN_MS 20 /* the manuals' settle time after CTRL.RST */
#define RESET_WAIT_MS 1000
#define EERD_WAIT_MS 100
#define LINK_WAIT_MS 8000 /* copper autonegotiation takes a few seconds */
#define XDCTL_WAIT_MS 100

enum family {
	FAM_8254X, /* 82540EM and its kin */
	FAM_82574, /* 82574L */
	FAM_IGB,   /* 82576, I350: untested */
	FAM_I210,  /* I210, I211: igb, with the packet-buffer quirk; untested */
};

static const char *const family_name[] = { "e1000", "e1000e", "igb", "igb" };

static const struct model {
	uint16_t device;
	enum family fam;
	const char *name;
} models[] = {
	/* Tested under QEMU 7.2: -device e1000 and -device e1000e. */
	{ 0x100e, FAM_8254X, "82540EM" },
	{ 0x10d3, FAM_82574, "82574L" },
	/* The same parts under other IDs: untested. */
	{ 0x1015, FAM_8254X, "82540EM (LOM)" },
	{ 0x100f, FAM_8254X, "82545EM" },
	{ 0x10f6, FAM_82574, "82574L" },
	/* igb family, from the datasheets only: NOT tested under emulation. */
	{ 0x10c9, FAM_IGB, "82576" },
	{ 0x10e6, FAM_IGB, "82576 (fiber)" },
	{ 0x10e7, FAM_IGB, "82576 (serdes)" },
	{ 0x10e8, FAM_IGB, "82576 (quad)" },
	{ 0x150a, FAM_IGB, "82576NS" },
	{ 0x150d, FAM_IGB, "82576 (backplane)" },
	{ 0x1518, FAM_IGB, "82576NS (serdes)" },
	{ 0x1526, FAM_IGB, "82576 (quad)" },
	{ 0x1521, FAM_IGB, "I350" },
	{ 0x1522, FAM_IGB, "I350 (fiber)" },
	{ 0x1523, FAM_IGB, "I350 (backplane)" },
	{ 0x1524, FAM_IGB, "I350 (SGMII)" },
	{ 0x1533, FAM_I210, "I210" },
	{ 0x1536, FAM_I210, "I210 (fiber)" },
	{ 0x1537, FAM_I210, "I210 (serdes)" },
	{ 0x1538, FAM_I210, "I210 (SGMII)" },
	{ 0x157b, FAM_I210, "I210 (flashless)" },
	{ 0x1539, FAM_I210, "I211" },
};
#define NMODELS (sizeof(models) / sizeof(models[0]))

static struct {
	const struct pci_dev *pci;
	const struct model *model;
	uint64_t regs;
	volatile struct e1k_rx_desc *rx;
	volatile struct e1k_tx_desc *tx;
	uint8_t *rx_mem, *tx_mem;
	unsigned rx_next;	/* the next descriptor a frame comes in */
	unsigned rx_tail;	/* RDT: the device owns [RDH, rx_tail) */
	bool rx_armed[RX_RING]; /* given back, not yet the device's again */
	unsigned tx_next, tx_clean;
	uint64_t dropped; /* received frames with errors or in pieces */
	/* Receive interrupt: MSI-X entry 0 (82574), else the INTx line. */
	struct pci_msix msix;
	unsigned irq;
	bool msi, irq_on;
} nic;

static uint32_t rd(unsigned reg)
{
	return mmio_read32(nic.regs + reg);
}

static void wr(unsigned reg, uint32_t v)
{
	mmio_write32(nic.regs + reg, v);
}

static const struct model *model_of(const struct pci_dev *f)
{
	if (f->vendor != INTEL_VENDOR)
		return NULL;
	for (unsigned i = 0; i < NMODELS; i++)
		if (models[i].device == f->device)
			return &models[i];
	return NULL;
}

bool netdev_e1000_drives(const struct pci_dev *f)
{
	return model_of(f) != NULL;
}

static bool igb_like(void)
{
	return nic.model->fam == FAM_IGB || nic.model->fam == FAM_I210;
}

static bool reset(char *why, size_t why_len, const char *where)
{
	wr(E1K_IMC, E1K_INT_ALL);
	wr(E1K_RCTL, 0);
	wr(E1K_TCTL, 0);
	if (nic.model->fam == FAM_I210) {
		wr(E1K_RXPBS, E1K_RXPBS_I210);
		wr(E1K_TXPBS, E1K_TXPBS_I210);
	}
	wr(E1K_CTRL, rd(E1K_CTRL) | E1K_CTRL_RST);
	ref_delay_ms(RESET_MIN_MS);
	if (!mmio_wait32(nic.regs + E1K_CTRL, E1K_CTRL_RST, 0, RESET_WAIT_MS)) {
		snprintf(why, why_len, "%s: reset not done within %u ms (CTRL %08x)", where,
			 RESET_WAIT_MS, rd(E1K_CTRL));
		return false;
	}
	wr(E1K_IMC, E1K_INT_ALL);
	(void)rd(E1K_ICR);
	uint32_t ctrl = rd(E1K_CTRL) | E1K_CTRL_SLU | E1K_CTRL_ASDE;
	ctrl &= ~(E1K_CTRL_LRST | E1K_CTRL_FRCSPD | E1K_CTRL_FRCDPLX | E1K_CTRL_PHY_RST);
	wr(E1K_CTRL, ctrl);
	return true;
}

static bool mac_usable(const uint8_t m[6])
{
	static const uint8_t zero[6];

	return memcmp(m, zero, 6) != 0 && !(m[0] & 1);
}

/* The address the device loaded from its EEPROM into receive address 0
 * (or firmware left there), else the EEPROM's first three words. */
static bool read_mac(uint8_t mac[6], char *why, size_t why_len, const char *where)
{
	uint32_t lo = rd(E1K_RAL0), hi = rd(E1K_RAH0);

	for (unsigned i = 0; i < 4; i++)
		mac[i] = (uint8_t)(lo >> (8 * i));
	mac[4] = (uint8_t)hi;
	mac[5] = (uint8_t)(hi >> 8);
	if ((hi & E1K_RAH_AV) && mac_usable(mac))
		return true;
	bool small = nic.model->fam == FAM_8254X;
	uint32_t done = small ? E1K_EERD_DONE_SMALL : E1K_EERD_DONE_LARGE;
	unsigned shift = small ? E1K_EERD_ADDR_SMALL : E1K_EERD_ADDR_LARGE;
	for (unsigned w = 0; w < 3; w++) {
		wr(E1K_EERD, w << shift | E1K_EERD_START);
		if (!mmio_wait32(nic.regs + E1K_EERD, done, done, EERD_WAIT_MS)) {
			snprintf(why, why_len,
				 "%s: no MAC in RAL0/RAH0 and the EEPROM read of word %u not done "
				 "within %u ms",
				 where, w, EERD_WAIT_MS);
			return false;
		}
		uint32_t v = rd(E1K_EERD) >> E1K_EERD_DATA_SHIFT;
		mac[2 * w] = (uint8_t)v;
		mac[2 * w + 1] = (uint8_t)(v >> 8);
	}
	if (!mac_usable(mac)) {
		snprintf(why, why_len, "%s: no usable MAC in RAL0/RAH0 or the EEPROM", where);
		return false;
	}
	return true;
}

static void rx_arm(unsigned i)
{
	volatile struct e1k_rx_desc *r = &nic.rx[i];

	r->addr = (uint64_t)(uintptr_t)(nic.rx_mem + (size_t)i * BUF_BYTES);
	r->len = 0;
	r->errors = 0;
	r->status = 0;
	nic.rx_armed[i] = true;
}

/* Give the device the descriptors given back, in ring order, always
 * keeping one out of its hands: a tail that met the head would say the
 * ring is empty. */
static void rx_kick(struct netdev *d)
{
	unsigned tail = nic.rx_tail;

	(void)d;
	while (nic.rx_armed[tail] && (tail + 1) % RX_RING != nic.rx_next) {
		nic.rx_armed[tail] = false;
		tail = (tail + 1) % RX_RING;
	}
	if (tail == nic.rx_tail)
		return;
	nic.rx_tail = tail;
	dma_mb(); /* the descriptors before the tail that publishes them */
	wr(E1K_RDT, tail);
}

static const void *rx_get(struct netdev *d, uint32_t *len, uint16_t *id)
{
	for (;;) {
		unsigned i = nic.rx_next;
		volatile struct e1k_rx_desc *r = &nic.rx[i];
		if (!(r->status & E1K_RXD_DD))
			return NULL;
		__atomic_thread_fence(__ATOMIC_ACQUIRE); /* the status before the rest */
		uint8_t status = r->status, errors = r->errors;
		uint32_t n = r->len;
		nic.rx_next = (i + 1) % RX_RING;
		/* Errors, or a frame over several buffers (none should be, with
		 * long frames off): dropped, the buffer given back. */
		if (errors || !(status & E1K_RXD_EOP) || !n || n > BUF_BYTES) {
			nic.dropped++;
			rx_arm(i);
			continue;
		}
		*len = n;
		*id = (uint16_t)i;
		d->rx_frames++;
		d->rx_ref = ref_now();
		return nic.rx_mem + (size_t)i * BUF_BYTES;
	}
}

static void rx_done(struct netdev *d, uint16_t id)
{
	(void)d;
	if (id < RX_RING)
		rx_arm(id);
}

static void *tx_buf(struct netdev *d)
{
	(void)d;
	while (nic.tx_clean != nic.tx_next && (nic.tx[nic.tx_clean].status & E1K_TXD_DD))
		nic.tx_clean = (nic.tx_clean + 1) % TX_RING;
	if ((nic.tx_next + 1) % TX_RING == nic.tx_clean)
		return NULL;
	return nic.tx_mem + (size_t)nic.tx_next * BUF_BYTES;
}

static void tx_send(struct netdev *d, void *frame, uint32_t len)
{
	volatile struct e1k_tx_desc *t = &nic.tx[nic.tx_next];

	t->addr = (uint64_t)(uintptr_t)frame;
	t->len = (uint16_t)len;
	t->cso = 0;
	t->css = 0;
	t->special = 0;
	t->status = 0;
	t->cmd = E1K_TXD_EOP | E1K_TXD_IFCS | E1K_TXD_RS;
	nic.tx_next = (nic.tx_next + 1) % TX_RING;
	dma_mb();
	d->tx_ref = ref_now();
	wr(E1K_TDT, nic.tx_next);
	d->tx_frames++;
}

/* The 82574's receive queue 0 to MSI-X entry 0, and that entry to the
 * boot CPU. */
static bool route_msix(struct netdev *d, char *why, size_t why_len)
{
	const struct pci_dev *f = nic.pci;
	struct msi_route r;

	if (nic.model->fam == FAM_8254X) {
		snprintf(why, why_len, "the %s has no MSI-X", nic.model->name);
		return false;
	}
	if (nic.model->fam != FAM_82574) {
		snprintf(why, why_len, "the igb family's MSI-X (EIMS, GPIE) is not driven");
		return false;
	}
	if (!nic.msix.entries && !pci_msix_enable(f, &nic.msix, why, why_len))
		return false;
	if (!arch_msi_route(pci_rid(f), 0, &r, why, why_len)) {
		pci_msix_disable(f, &nic.msix);
		return false;
	}
	pci_msix_set(&nic.msix, 0, r.addr, r.data);
	/* Receive queue 0 to entry 0; no other cause sends anything. The
	 * message clears its ICR bit (and masks it: rx_irq_ack unmasks). */
	wr(E1K_IVAR_82574, E1K_IVAR_VALID | 0);
	wr(E1K_EIAC_82574, E1K_INT_RXQ0);
	nic.irq = r.irq;
	nic.msi = true;
	snprintf(d->irq_via, sizeof(d->irq_via), "MSI-X to %s", r.via);
	return true;
}

static bool route_intx(struct netdev *d, char *why, size_t why_len)
{
	unsigned line;

	if (!pci_intx_line(nic.pci, &line, why, why_len) || !arch_line_route(line, why, why_len))
		return false;
	nic.irq = line;
	nic.msi = false;
	snprintf(d->irq_via, sizeof(d->irq_via), "INTx line");
	return true;
}

static bool rx_irq(struct netdev *d, unsigned *irq, char *why, size_t why_len)
{
	char msi_why[160], intx_why[160];

	if (nic.irq) {
		*irq = nic.irq;
		return true;
	}
	if (route_msix(d, msi_why, sizeof(msi_why))) {
		*irq = nic.irq;
		return true;
	}
	if (!route_intx(d, intx_why, sizeof(intx_why))) {
		snprintf(why, why_len, "no MSI-X (%s); no INTx (%s)", msi_why, intx_why);
		return false;
	}
	*irq = nic.irq;
	return true;
}

static uint32_t rx_cause(void)
{
	return nic.msi ? E1K_INT_RXQ0 : E1K_INT_RXT0;
}

static void rx_irq_on(struct netdev *d, bool on)
{
	(void)d;
	nic.irq_on = on;
	if (on) {
		(void)rd(E1K_ICR); /* nothing old left pending */
		wr(E1K_IMS, rx_cause());
		return;
	}
	wr(E1K_IMC, E1K_INT_ALL);
	if (!nic.msi && nic.irq) {
		/* The line let go of, lowered; routed again when next asked. */
		irqchip->enable(nic.irq, false);
		(void)rd(E1K_ICR);
		nic.irq = 0;
	}
}

static void rx_irq_ack(struct netdev *d)
{
	(void)d;
	if (nic.msi)
		wr(E1K_IMS, E1K_INT_RXQ0); /* EIAC masked it as it sent */
	else
		(void)rd(E1K_ICR); /* reading it lowers the line */
}

static bool rx_ready(struct netdev *d)
{
	(void)d;
	return nic.rx[nic.rx_next].status & E1K_RXD_DD;
}

static void irq_state(struct netdev *d, char *out, size_t len)
{
	(void)d;
	snprintf(out, len,
		 "IMS %08x STATUS %08x, rx ring head %u tail %u, next %u (status %02x), %llu "
		 "dropped",
		 rd(E1K_IMS), rd(E1K_STATUS), rd(E1K_RDH), rd(E1K_RDT), nic.rx_next,
		 nic.rx[nic.rx_next].status, (unsigned long long)nic.dropped);
}

/* No DMA into our memory after the run. */
static void e1k_close(struct netdev *d)
{
	(void)d;
	wr(E1K_IMC, E1K_INT_ALL);
	wr(E1K_RCTL, 0);
	wr(E1K_TCTL, 0);
}

static const struct netdev_ops ops = {
	.tx_buf = tx_buf,
	.tx_send = tx_send,
	.rx_get = rx_get,
	.rx_done = rx_done,
	.rx_kick = rx_kick,
	.rx_irq = rx_irq,
	.rx_irq_on = rx_irq_on,
	.rx_irq_ack = rx_irq_ack,
	.rx_ready = rx_ready,
	.irq_state = irq_state,
	.close = e1k_close,
};

_Static_assert(BUF_BYTES >= NETDEV_FRAME_MAX, "a frame fits a buffer");
_Static_assert(sizeof(struct e1k_rx_desc) == 16 && sizeof(struct e1k_tx_desc) == 16,
	       "legacy descriptors are 16 bytes");
_Static_assert(RX_RING * 16 % 128 == 0 && TX_RING * 16 % 128 == 0, "rings of 128-byte multiples");

/* An igb queue runs once its enable bit reads back set. */
static bool queue_enable(unsigned reg, char *why, size_t why_len, const char *where)
{
	if (!igb_like())
		return true;
	wr(reg, rd(reg) | E1K_XDCTL_ENABLE);
	if (mmio_wait32(nic.regs + reg, E1K_XDCTL_ENABLE, E1K_XDCTL_ENABLE, XDCTL_WAIT_MS))
		return true;
	snprintf(why, why_len, "%s: queue 0 (%s) not enabled within %u ms", where,
		 reg == E1K_RXDCTL ? "receive" : "transmit", XDCTL_WAIT_MS);
	return false;
}

static bool rings(char *why, size_t why_len, const char *where)
{
	nic.rx = mem_alloc_pages(PAGES(RX_RING * sizeof(struct e1k_rx_desc)));
	nic.tx = mem_alloc_pages(PAGES(TX_RING * sizeof(struct e1k_tx_desc)));
	nic.rx_mem = mem_alloc_pages(PAGES(RX_RING * BUF_BYTES));
	nic.tx_mem = mem_alloc_pages(PAGES(TX_RING * BUF_BYTES));
	if (!nic.rx || !nic.tx || !nic.rx_mem || !nic.tx_mem) {
		snprintf(why, why_len, "%s: no memory for rings and buffers", where);
		return false;
	}
	uint64_t rx = (uint64_t)(uintptr_t)nic.rx, tx = (uint64_t)(uintptr_t)nic.tx;

	/* Receive: no delay timers (a frame interrupts at once), broadcast
	 * accepted, CRC stripped, 2 KiB buffers. */
	for (unsigned i = 0; i < RX_RING; i++)
		rx_arm(i);
	wr(E1K_RDBAL, (uint32_t)rx);
	wr(E1K_RDBAH, (uint32_t)(rx >> 32));
	wr(E1K_RDLEN, RX_RING * 16);
	wr(E1K_RDH, 0);
	wr(E1K_RDT, 0);
	wr(E1K_RDTR, 0);
	wr(E1K_RADV, 0);
	if (!queue_enable(E1K_RXDCTL, why, why_len, where))
		return false;
	wr(E1K_RCTL, E1K_RCTL_EN | E1K_RCTL_BAM | E1K_RCTL_SECRC);
	rx_kick(NULL);

	/* Transmit: padded, full duplex. */
	wr(E1K_TDBAL, (uint32_t)tx);
	wr(E1K_TDBAH, (uint32_t)(tx >> 32));
	wr(E1K_TDLEN, TX_RING * 16);
	wr(E1K_TDH, 0);
	wr(E1K_TDT, 0);
	if (nic.model->fam == FAM_82574)
		wr(E1K_TARC0, rd(E1K_TARC0) | E1K_TARC0_ENABLE);
	if (!queue_enable(E1K_TXDCTL, why, why_len, where))
		return false;
	wr(E1K_TIPG, nic.model->fam == FAM_8254X ? E1K_TIPG_8254X : E1K_TIPG_OTHER);
	wr(E1K_TCTL, E1K_TCTL_EN | E1K_TCTL_PSP | E1K_TCTL_CT | E1K_TCTL_COLD);
	return true;
}

bool netdev_e1000_open(struct netdev *d, bool *found, char *why, size_t why_len)
{
	const struct pci_bus_scan *s = pci_devices();
	char where[64];

	*found = false;
	memset(&nic, 0, sizeof(nic));
	for (unsigned i = 0; s && i < s->ndev && !nic.pci; i++)
		if ((nic.model = model_of(&s->dev[i])))
			nic.pci = &s->dev[i];
	if (!nic.pci) {
		snprintf(why, why_len, "no Intel e1000, e1000e or igb NIC");
		return false;
	}
	const struct pci_dev *f = nic.pci;
	*found = true;
	snprintf(where, sizeof(where), "%s %s (pci %02x:%02x.%u)", family_name[nic.model->fam],
		 nic.model->name, f->bus, f->dev, f->fn);
	if (!pci_bar_map(f, 0, 0, E1K_BAR_SIZE, &nic.regs)) {
		snprintf(why, why_len, "%s: its registers (BAR0) are not reachable%s%s", where,
			 f->why[0] ? ": " : "", f->why);
		return false;
	}
	pci_write32(f, PCI_COMMAND,
		    (pci_read32(f, PCI_COMMAND) & 0xffff) | PCI_CMD_MEM | PCI_CMD_MASTER);
	if (!reset(why, why_len, where) || !read_mac(d->mac, why, why_len, where))
		return false;
	wr(E1K_RAL0, (uint32_t)d->mac[0] | (uint32_t)d->mac[1] << 8 | (uint32_t)d->mac[2] << 16 |
			     (uint32_t)d->mac[3] << 24);
	wr(E1K_RAH0, (uint32_t)d->mac[4] | (uint32_t)d->mac[5] << 8 | E1K_RAH_AV);
	for (unsigned i = 0; i < E1K_MTA_WORDS; i++)
		wr(E1K_MTA + 4 * i, 0);
	if (!rings(why, why_len, where))
		return false;
	/* A link that never comes up (no cable, no partner) is no fault of
	 * the device: the caller hears it as not found, with this reason. */
	if (!mmio_wait32(nic.regs + E1K_STATUS, E1K_STATUS_LU, E1K_STATUS_LU, LINK_WAIT_MS)) {
		e1k_close(d);
		snprintf(why, why_len, "%s: link down after %u s (STATUS %08x)", where,
			 LINK_WAIT_MS / 1000, rd(E1K_STATUS));
		*found = false;
		return false;
	}
	d->ops = &ops;
	d->priv = &nic;
	snprintf(d->where, sizeof(d->where), "%s", where);
	return true;
}
