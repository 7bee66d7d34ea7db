/*
 * What the device tree says about the platform, read into fw_info:
 * memory, console, CPUs, command line, PSCI, hypervisor, GIC, model.
 * The reader is libfdt. The blob comes from a boot loader or firmware
 * and may be truncated or corrupt: its header is checked against the
 * size the caller allows before anything else is read, and every libfdt
 * answer is checked for errors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include <vmb/fdt.h>

static const char *const uart_16550_compat[] = {
	"ns16550a",
	"ns16550",
	"ns16450",
	"ns8250",
	"snps,dw-apb-uart",
	"intel,xscale-uart",
	"nvidia,tegra20-uart",
};
static const char *const uart_pl011_compat[] = { "arm,pl011", "arm,sbsa-uart" };

uint32_t fdt_blob_size(const void *blob)
{
	if (!blob || fdt_magic(blob) != FDT_MAGIC)
		return 0;
	return fdt_totalsize(blob);
}

int fdt_blob_check(const void *blob, size_t max_size)
{
	if (!blob || max_size < sizeof(struct fdt_header))
		return -FDT_ERR_TRUNCATED;
	int err = fdt_check_header(blob);
	if (err)
		return err;
	/* Version 16 is the oldest whose node names are not full paths. */
	if (fdt_version(blob) < 16)
		return -FDT_ERR_BADVERSION;
	if (fdt_totalsize(blob) > max_size)
		return -FDT_ERR_TRUNCATED;
	/* libfdt reads tokens and reservation entries as aligned words. */
	if (((uintptr_t)blob & 7) || (fdt_off_dt_struct(blob) & 3) ||
	    (fdt_off_mem_rsvmap(blob) & 7))
		return -FDT_ERR_ALIGNMENT;
	/* The root node must be readable. */
	if (!fdt_get_name(blob, 0, NULL))
		return -FDT_ERR_BADSTRUCTURE;
	return 0;
}

/* Property as a NUL-terminated string, or NULL. */
static const char *prop_str(const void *fdt, int node, const char *name)
{
	int len;
	const char *s = fdt_getprop(fdt, node, name, &len);

	if (!s || len < 1 || s[len - 1])
		return NULL;
	return s;
}

/* Single-cell property, or dflt when absent or malformed. */
static uint32_t prop_u32(const void *fdt, int node, const char *name, uint32_t dflt)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, name, &len);

	return p && len == 4 ? fdt32_ld(p) : dflt;
}

static bool is_compatible(const void *fdt, int node, const char *compat)
{
	return fdt_node_check_compatible(fdt, node, compat) == 0;
}

static uint64_t read_cells(const fdt32_t *p, int cells)
{
	uint64_t v = 0;

	for (int i = 0; i < cells; i++)
		v = v << 32 | fdt32_ld(p + i);
	return v;
}

/* Entry `index` of node's "reg", using the parent's #address-cells/#size-cells. */
static int get_reg(const void *fdt, int node, int index, uint64_t *addr, uint64_t *size)
{
	int parent = fdt_parent_offset(fdt, node);
	int ac = 2, sc = 1, len;

	if (parent >= 0) {
		ac = fdt_address_cells(fdt, parent);
		sc = fdt_size_cells(fdt, parent);
	}
	if (ac < 1 || ac > 2 || sc < 0 || sc > 2 || index < 0)
		return -FDT_ERR_BADNCELLS;
	const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
	int stride = ac + sc;
	if (!reg || len < 0 || ((uint64_t)index + 1) * 4 * (uint64_t)stride > (uint64_t)len)
		return -FDT_ERR_NOTFOUND;
	reg += index * stride;
	*addr = read_cells(reg, ac);
	*size = read_cells(reg + ac, sc);
	return 0;
}

/* A path, or an alias followed by a path below it. Aliases are resolved
 * here, not by libfdt: an alias must name an absolute path (no chains,
 * which libfdt would follow by recursion). */
static int path_offset(const void *fdt, const char *path, size_t len)
{
	char buf[256];

	if (len && path[0] != '/') {
		const char *slash = memchr(path, '/', len);
		size_t alen = slash ? (size_t)(slash - path) : len;
		int aliases = fdt_path_offset(fdt, "/aliases"), tlen = 0;
		const char *target =
			aliases >= 0 ? fdt_getprop_namelen(fdt, aliases, path, (int)alen, &tlen)
				     : NULL;
		if (!target || tlen < 2 || target[tlen - 1] || target[0] != '/' ||
		    (size_t)tlen - 1 + len - alen >= sizeof(buf))
			return -FDT_ERR_NOTFOUND;
		memcpy(buf, target, (size_t)tlen - 1);
		memcpy(buf + tlen - 1, path + alen, len - alen);
		len = (size_t)tlen - 1 + len - alen;
		path = buf;
	}
	return len < 256 ? fdt_path_offset_namelen(fdt, path, (int)len) : -FDT_ERR_NOTFOUND;
}

static bool node_enabled(const void *fdt, int node)
{
	const char *st = prop_str(fdt, node, "status");

	return !st || !strcmp(st, "okay") || !strcmp(st, "ok");
}

static void copy_str(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src ? src : "");
}

static bool any_compatible(const void *fdt, int node, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (is_compatible(fdt, node, list[i]))
			return true;
	return false;
}

static void add_mem(struct fw_info *info, uint64_t base, uint64_t size, enum mem_kind kind)
{
	if (!size || info->nmem >= FW_MAX_MEM || base + size < base)
		return;
	info->mem[info->nmem++] = (struct mem_region){ base, size, kind };
}

static void scan_memory(const void *fdt, struct fw_info *info)
{
	int node;

	fdt_for_each_subnode(node, fdt, 0) {
		const char *type = prop_str(fdt, node, "device_type");
		uint64_t base, size;

		if (!type || strcmp(type, "memory") || !node_enabled(fdt, node))
			continue;
		for (int i = 0; i < FW_MAX_MEM && !get_reg(fdt, node, i, &base, &size); i++)
			add_mem(info, base, size, MEM_RAM);
	}
	int resv = fdt_path_offset(fdt, "/reserved-memory");
	if (resv >= 0) {
		fdt_for_each_subnode(node, fdt, resv) {
			uint64_t base, size;
			for (int i = 0; i < FW_MAX_MEM && !get_reg(fdt, node, i, &base, &size); i++)
				add_mem(info, base, size, MEM_RAM_RESERVED);
		}
	}
	/* The memory reservation block, up to its all-zero terminator. */
	for (int i = 0; i < FW_MAX_MEM; i++) {
		uint64_t base, size;
		if (fdt_get_mem_rsv(fdt, i, &base, &size) || (!base && !size))
			break;
		add_mem(info, base, size, MEM_RAM_RESERVED);
	}
}

/* Translate a child bus address through the parents' "ranges". */
static uint64_t translate(const void *fdt, int node, uint64_t addr)
{
	for (int bus = fdt_parent_offset(fdt, node), depth = 0; bus > 0 && depth < 8;
	     bus = fdt_parent_offset(fdt, bus), depth++) {
		int len;
		const fdt32_t *r = fdt_getprop(fdt, bus, "ranges", &len);
		if (!r || len == 0)
			continue; /* absent or empty: identity */
		int up = fdt_parent_offset(fdt, bus);
		int cac = fdt_address_cells(fdt, bus);
		int csc = fdt_size_cells(fdt, bus);
		int pac = up >= 0 ? fdt_address_cells(fdt, up) : 2;
		if (cac < 1 || cac > 2 || csc < 0 || csc > 2 || pac < 1 || pac > 2)
			return addr;
		int stride = cac + pac + csc;
		for (int off = 0; 4 * (off + stride) <= len; off += stride) {
			uint64_t child = read_cells(r + off, cac);
			uint64_t parent = read_cells(r + off + cac, pac);
			uint64_t size = read_cells(r + off + cac + pac, csc);
			if (addr >= child && addr - child < size) {
				addr = addr - child + parent;
				break;
			}
		}
	}
	return addr;
}

static bool uart_from_node(const void *fdt, int node, struct fw_uart *u, const char *source)
{
	uint64_t addr, size;

	if (node < 0 || !node_enabled(fdt, node) || get_reg(fdt, node, 0, &addr, &size))
		return false;
	if (any_compatible(fdt, node, uart_pl011_compat, 2)) {
		*u = (struct fw_uart){
			.kind = UART_PL011,
			.reg_width = 4,
			.sbsa = is_compatible(fdt, node, "arm,sbsa-uart") &&
				!is_compatible(fdt, node, "arm,pl011"),
		};
	} else if (any_compatible(fdt, node, uart_16550_compat,
				  sizeof(uart_16550_compat) / sizeof(uart_16550_compat[0]))) {
		uint32_t shift = prop_u32(fdt, node, "reg-shift", 0);
		uint32_t width = prop_u32(fdt, node, "reg-io-width", 1);
		*u = (struct fw_uart){
			.kind = UART_16550,
			.reg_shift = (uint8_t)(shift > 4 ? 0 : shift),
			.reg_width = (uint8_t)(width == 4 ? 4 : 1),
		};
	} else {
		return false;
	}
	u->space = UART_SPACE_MMIO;
	u->addr = translate(fdt, node, addr);
	u->clock_hz = prop_u32(fdt, node, "clock-frequency", 0);
	copy_str(u->source, sizeof(u->source), source);
	return true;
}

static void scan_console(const void *fdt, struct fw_info *info)
{
	int chosen = fdt_path_offset(fdt, "/chosen");
	const char *sp = chosen >= 0 ? prop_str(fdt, chosen, "stdout-path") : NULL;

	if (!sp && chosen >= 0)
		sp = prop_str(fdt, chosen, "linux,stdout-path");
	if (sp) {
		/* "path[:options]"; the options start with the baud rate. */
		size_t n = strcspn(sp, ":");
		struct fw_uart u;
		if (n < 128 && uart_from_node(fdt, path_offset(fdt, sp, n), &u, "stdout-path")) {
			if (sp[n] == ':')
				u.baud = (uint32_t)strtoul(sp + n + 1, NULL, 10);
			info->uart = u;
			return;
		}
	}
	/* No usable stdout-path: the first enabled PL011 (or SBSA UART, as
	 * Xen's vpl011 is) is the usual console. */
	for (size_t i = 0; i < 2; i++)
		for (int node = fdt_node_offset_by_compatible(fdt, -1, uart_pl011_compat[i]);
		     node >= 0;
		     node = fdt_node_offset_by_compatible(fdt, node, uart_pl011_compat[i]))
			if (uart_from_node(fdt, node, &info->uart, "dt-first"))
				return;
}

/* Each enabled CPU's MPIDR ("reg") and how to start it ("enable-method"). */
static void record_cpu(const void *fdt, int node, struct fw_info *info)
{
	uint64_t hwid, size, release = 0;
	const char *method = prop_str(fdt, node, "enable-method");
	enum cpu_method m = CPU_METHOD_NONE;
	int len;

	if (info->ncpu >= FW_MAX_CPUS || get_reg(fdt, node, 0, &hwid, &size))
		return;
	if (method && !strcmp(method, "psci")) {
		m = CPU_METHOD_PSCI;
	} else if (method && !strcmp(method, "spin-table")) {
		const fdt32_t *p = fdt_getprop(fdt, node, "cpu-release-addr", &len);
		if (p && (len == 4 || len == 8)) {
			m = CPU_METHOD_SPIN_TABLE;
			release = read_cells(p, len / 4);
		}
	}
	info->cpu[info->ncpu++] = (struct fw_cpu){
		.hwid = hwid,
		.method = m,
		.release_addr = release,
	};
}

static void scan_cpus(const void *fdt, struct fw_info *info)
{
	int cpus = fdt_path_offset(fdt, "/cpus");
	unsigned n = 0;

	for (int node = cpus >= 0 ? fdt_first_subnode(fdt, cpus) : -1; node >= 0 && n < 4096;
	     node = fdt_next_subnode(fdt, node)) {
		const char *type = prop_str(fdt, node, "device_type");
		const char *st = prop_str(fdt, node, "status");
		if (!type || strcmp(type, "cpu"))
			continue;
		if (st && (!strcmp(st, "disabled") || !strncmp(st, "fail", 4)))
			continue;
		n++;
		record_cpu(fdt, node, info);
	}
	if (n)
		info->cpus = n;
}

static const char *const gicv2_compatibles[] = { "arm,gic-400", "arm,cortex-a15-gic",
						 "arm,cortex-a9-gic", "arm,cortex-a7-gic",
						 "arm,arm-gic" };

static bool is_gic(const void *fdt, int node)
{
	if (is_compatible(fdt, node, "arm,gic-v3"))
		return true;
	for (size_t i = 0; i < sizeof(gicv2_compatibles) / sizeof(gicv2_compatibles[0]); i++)
		if (is_compatible(fdt, node, gicv2_compatibles[i]))
			return true;
	return false;
}

static void scan_gic(const void *fdt, struct fw_info *info)
{
	uint64_t size;
	int node = fdt_node_offset_by_compatible(fdt, -1, "arm,gic-v3");

	if (node >= 0) {
		info->gic_version = 3;
		get_reg(fdt, node, 0, &info->gicd_base, &size);
		get_reg(fdt, node, 1, &info->gicr_base, &size);
		return;
	}
	for (size_t i = 0; i < sizeof(gicv2_compatibles) / sizeof(gicv2_compatibles[0]); i++) {
		node = fdt_node_offset_by_compatible(fdt, -1, gicv2_compatibles[i]);
		if (node >= 0) {
			info->gic_version = 2;
			get_reg(fdt, node, 0, &info->gicd_base, &size);
			get_reg(fdt, node, 1, &info->gicc_base, &size);
			/* With the virtualization extensions: GICH, then GICV. */
			if (get_reg(fdt, node, 2, &info->gich_base, &size) ||
			    get_reg(fdt, node, 3, &info->gicv_base, &size))
				info->gich_base = info->gicv_base = 0;
			return;
		}
	}
}

/* The first enabled node of a compatible, with its first reg. */
static bool find_reg(const void *fdt, const char *compatible, int *node, uint64_t *base)
{
	uint64_t size;

	for (int n = fdt_node_offset_by_compatible(fdt, -1, compatible); n >= 0;
	     n = fdt_node_offset_by_compatible(fdt, n, compatible))
		if (node_enabled(fdt, n) && !get_reg(fdt, n, 0, base, &size) && *base) {
			*node = n;
			return true;
		}
	return false;
}

/* Where PCI MSIs go: a GICv3 ITS or a GICv2m frame (its SPIs from the
 * optional arm,msi-base-spi and arm,msi-num-spis, else from the frame). */
static void scan_msi(const void *fdt, struct fw_info *info)
{
	int node;
	uint64_t base;

	if (find_reg(fdt, "arm,gic-v3-its", &node, &base)) {
		info->gic_its_base = base;
	} else if (find_reg(fdt, "arm,gic-v2m-frame", &node, &base)) {
		info->gic_v2m_base = base;
		uint32_t first = prop_u32(fdt, node, "arm,msi-base-spi", 0);
		uint32_t count = prop_u32(fdt, node, "arm,msi-num-spis", 0);
		if (fw_gic_spi_range(first, count)) {
			info->gic_v2m_spi_base = first;
			info->gic_v2m_spi_count = count;
		}
	}
}

/* The bridge's interrupt-map: entries of the child's 3 address cells and
 * 1 interrupt cell, the parent's phandle, then as many address and
 * interrupt cells as the parent has. Only a GIC's SPIs (3 cells: type 0,
 * number, flags) are kept; the walk stops at the first entry it cannot
 * size. */
static void scan_pci_intx(const void *fdt, int node, struct fw_info *info)
{
	int len;
	const fdt32_t *map = fdt_getprop(fdt, node, "interrupt-map", &len);
	int mlen;
	const fdt32_t *mask = fdt_getprop(fdt, node, "interrupt-map-mask", &mlen);

	if (!map || fdt_address_cells(fdt, node) != 3 ||
	    prop_u32(fdt, node, "#interrupt-cells", 0) != 1)
		return;
	info->pci_intx_mask_addr = mask && mlen == 16 ? fdt32_ld(mask) : 0xffffffffu;
	info->pci_intx_mask_pin = mask && mlen == 16 ? (uint8_t)fdt32_ld(mask + 3) : 0xff;
	unsigned cells = (unsigned)len / 4;
	for (unsigned i = 0; i + 5 <= cells && info->n_pci_intx < FW_MAX_PCI_INTX;) {
		int parent = fdt_node_offset_by_phandle(fdt, fdt32_ld(map + i + 4));
		if (parent < 0)
			return;
		unsigned pac = prop_u32(fdt, parent, "#address-cells", 0);
		unsigned pic = prop_u32(fdt, parent, "#interrupt-cells", 0);
		if (pac > 3 || pic < 1 || pic > 4 || i + 5 + pac + pic > cells)
			return;
		const fdt32_t *spec = map + i + 5 + pac;
		if (is_gic(fdt, parent) && pic == 3 && fdt32_ld(spec) == 0 &&
		    fw_gic_spi_range(32ull + fdt32_ld(spec + 1), 1)) {
			struct fw_pci_intx *e = &info->pci_intx[info->n_pci_intx++];
			e->addr = fdt32_ld(map + i) & info->pci_intx_mask_addr;
			e->pin = (uint8_t)(fdt32_ld(map + i + 3) & info->pci_intx_mask_pin);
			e->irq = 32 + fdt32_ld(spec + 1);
		}
		i += 5 + pac + pic;
	}
}

/* PCI "ranges" space codes (phys.hi bits 24-25). */
#define PCI_SPACE_IO 1
#define PCI_SPACE_MEM32 2
#define PCI_SPACE_MEM64 3

/* The first enabled pci-host-ecam-generic bridge: its ECAM, buses and the
 * windows its "ranges" give (3 cells of PCI address, the parent's address
 * cells, 2 cells of size). */
static void scan_pci(const void *fdt, struct fw_info *info)
{
	int node = fdt_node_offset_by_compatible(fdt, -1, "pci-host-ecam-generic");
	uint64_t base, size;
	int len;

	while (node >= 0 && !node_enabled(fdt, node))
		node = fdt_node_offset_by_compatible(fdt, node, "pci-host-ecam-generic");
	if (node < 0 || get_reg(fdt, node, 0, &base, &size) || !base || size < (1u << 20))
		return;
	unsigned first = 0, last = (unsigned)(size >> 20) - 1;
	const fdt32_t *br = fdt_getprop(fdt, node, "bus-range", &len);
	if (br && len == 8) {
		first = fdt32_ld(br);
		last = fdt32_ld(br + 1);
	}
	if (first > last || last > 255 || ((uint64_t)(last - first) + 1) << 20 > size)
		return;
	info->pci_ecam_base = base;
	info->pci_bus_start = (uint8_t)first;
	info->pci_bus_end = (uint8_t)last;

	scan_pci_intx(fdt, node, info);

	/* msi-map: (rid-base, controller phandle, msi-base, length) tuples;
	 * the first is the one a single root complex has. */
	const fdt32_t *mm = fdt_getprop(fdt, node, "msi-map", &len);
	if (mm && len >= 16 && fdt32_ld(mm + 3)) {
		info->pci_msi_map.rid_base = fdt32_ld(mm);
		info->pci_msi_map.devid_base = fdt32_ld(mm + 2);
		info->pci_msi_map.count = fdt32_ld(mm + 3);
	}

	int parent = fdt_parent_offset(fdt, node);
	int pac = parent >= 0 ? fdt_address_cells(fdt, parent) : 2;
	if (pac < 1 || pac > 2)
		return;
	int stride = 3 + pac + 2;
	const fdt32_t *r = fdt_getprop(fdt, node, "ranges", &len);
	for (int i = 0; r && len > 0 && (i + 1) * stride * 4 <= len; i++) {
		const fdt32_t *e = r + i * stride;
		struct fw_pci_window w = {
			.pci = read_cells(e + 1, 2),
			.cpu = read_cells(e + 3, pac),
			.size = read_cells(e + 3 + pac, 2),
		};
		switch (fdt32_ld(e) >> 24 & 3) {
		case PCI_SPACE_IO:
			if (!info->pci_io.size)
				info->pci_io = w;
			break;
		case PCI_SPACE_MEM32:
			if (!info->pci_mem32.size)
				info->pci_mem32 = w;
			break;
		case PCI_SPACE_MEM64:
			if (!info->pci_mem64.size)
				info->pci_mem64 = w;
			break;
		}
	}
}

static void scan_virtio_mmio(const void *fdt, struct fw_info *info)
{
	for (int node = fdt_node_offset_by_compatible(fdt, -1, "virtio,mmio");
	     node >= 0 && info->n_virtio_mmio < FW_MAX_VIRTIO_MMIO;
	     node = fdt_node_offset_by_compatible(fdt, node, "virtio,mmio")) {
		uint64_t base, size;
		int len;
		if (!node_enabled(fdt, node) || get_reg(fdt, node, 0, &base, &size) || !base ||
		    size < 0x100)
			continue;
		/* A GIC's three cells: type (0 SPI, 1 PPI), number, flags. */
		const fdt32_t *irq = fdt_getprop(fdt, node, "interrupts", &len);
		unsigned n = info->n_virtio_mmio++;
		info->virtio_mmio[n] = base;
		info->virtio_mmio_irq[n] = 0;
		if (irq && len >= 12 && fdt32_to_cpu(irq[0]) <= 1 &&
		    fw_gic_spi_range(32ull + fdt32_to_cpu(irq[1]), 1))
			info->virtio_mmio_irq[n] =
				fdt32_to_cpu(irq[1]) + (fdt32_to_cpu(irq[0]) ? 16 : 32);
	}
}

/* A GIC SPI in "interrupts" (three cells: type 0, number, flags) as an
 * INTID; 0 when the first is not one. */
static unsigned gic_spi(const void *fdt, int node)
{
	int len;
	const fdt32_t *irq = fdt_getprop(fdt, node, "interrupts", &len);

	if (!irq || len < 12 || fdt32_ld(irq) != 0 ||
	    !fw_gic_spi_range(32ull + fdt32_ld(irq + 1), 1))
		return 0;
	return 32 + fdt32_ld(irq + 1);
}

/* AHCI controllers: generic ones, and X-Gene's, whose reg entries 1 to 4
 * are its core, diagnostic, AXI and SATA/Ethernet mux blocks (Linux
 * Documentation/devicetree/bindings/ata/apm-xgene.txt). */
static void scan_ahci(const void *fdt, struct fw_info *info)
{
	static const char *const compat[] = { "generic-ahci", "apm,xgene-ahci" };

	for (int node = fdt_next_node(fdt, -1, NULL); node >= 0 && info->n_ahci < FW_MAX_AHCI;
	     node = fdt_next_node(fdt, node, NULL)) {
		bool xgene = is_compatible(fdt, node, compat[1]);
		uint64_t base, size, r[4] = { 0 };
		if ((!xgene && !is_compatible(fdt, node, compat[0])) || !node_enabled(fdt, node) ||
		    get_reg(fdt, node, 0, &base, &size) || !base || size < 0x180)
			continue;
		for (int i = 0; xgene && i < 4; i++)
			if (!get_reg(fdt, node, i + 1, &r[i], &size))
				r[i] = translate(fdt, node, r[i]);
		/* Without its core, diagnostic and AXI blocks an X-Gene
		 * controller cannot be started: not listed. */
		if (xgene && (!r[0] || !r[1] || !r[2]))
			continue;
		info->ahci[info->n_ahci++] = (struct fw_ahci){
			.base = translate(fdt, node, base),
			.xgene_core = r[0],
			.xgene_diag = r[1],
			.xgene_axi = r[2],
			.xgene_mux = r[3],
			.irq = gic_spi(fdt, node),
			.xgene = xgene,
		};
	}
}

/* For the boot record's provenance: the root's own model and first
 * compatible string, and the version U-Boot writes into /chosen. */
static void scan_identity(const void *fdt, int chosen, struct fw_info *info)
{
	const char *model = prop_str(fdt, 0, "model");
	const char *compat = prop_str(fdt, 0, "compatible");
	const char *uboot = chosen >= 0 ? prop_str(fdt, chosen, "u-boot,version") : NULL;

	if (model)
		copy_str(info->dt_model, sizeof(info->dt_model), model);
	if (compat)
		copy_str(info->dt_compatible, sizeof(info->dt_compatible), compat);
	if (uboot)
		copy_str(info->uboot_version, sizeof(info->uboot_version), uboot);
}

int fdt_scan(const void *blob, size_t max_size, struct fw_info *info)
{
	const void *fdt = blob;
	int err = fdt_blob_check(blob, max_size);

	if (err)
		return err;
	info->have_fdt = true;

	const char *model = prop_str(fdt, 0, "model");
	if (model && !info->model[0])
		copy_str(info->model, sizeof(info->model), model);
	if (is_compatible(fdt, 0, "linux,dummy-virt"))
		info->qemu = true;
	int len;
	const char *compat = fdt_getprop(fdt, 0, "compatible", &len);
	if (compat && len > 5 && !strncmp(compat, "qemu,", 5))
		info->qemu = true;

	if (!info->nmem)
		scan_memory(fdt, info);
	if (info->uart.kind == UART_NONE)
		scan_console(fdt, info);
	if (!info->cpus)
		scan_cpus(fdt, info);
	if (!info->gic_version)
		scan_gic(fdt, info);
	if (!info->gic_its_base && !info->gic_v2m_base)
		scan_msi(fdt, info);
	if (!info->pci_ecam_base)
		scan_pci(fdt, info);
	if (!info->n_virtio_mmio)
		scan_virtio_mmio(fdt, info);
	if (!info->n_ahci)
		scan_ahci(fdt, info);

	int chosen = fdt_path_offset(fdt, "/chosen");
	const char *args = chosen >= 0 ? prop_str(fdt, chosen, "bootargs") : NULL;
	if (args)
		copy_str(info->bootargs, sizeof(info->bootargs), args);
	scan_identity(fdt, chosen, info);

	int psci = fdt_node_offset_by_compatible(fdt, -1, "arm,psci-1.0");
	if (psci < 0)
		psci = fdt_node_offset_by_compatible(fdt, -1, "arm,psci-0.2");
	if (psci < 0)
		psci = fdt_node_offset_by_compatible(fdt, -1, "arm,psci");
	const char *method = psci >= 0 ? prop_str(fdt, psci, "method") : NULL;
	if (method && info->psci == PSCI_NONE)
		info->psci = !strcmp(method, "hvc")   ? PSCI_HVC
			     : !strcmp(method, "smc") ? PSCI_SMC
						      : PSCI_NONE;

	int hyp = fdt_path_offset(fdt, "/hypervisor");
	const char *hc = hyp >= 0 ? prop_str(fdt, hyp, "compatible") : NULL;
	if (hc && !strncmp(hc, "xen,xen", 7)) {
		info->xen_node = true;
		copy_str(info->hyp_compatible, sizeof(info->hyp_compatible), hc);
		/* The event channel upcall: a PPI (type 1) in the GIC's three
		 * cells; anything else is not one Xen would raise. */
		int len;
		const fdt32_t *irq = fdt_getprop(fdt, hyp, "interrupts", &len);
		if (irq && len >= 12 && fdt32_to_cpu(irq[0]) == 1 && fdt32_to_cpu(irq[1]) < 16)
			info->xen_upcall_irq = 16 + fdt32_to_cpu(irq[1]);
	}
	return 0;
}
