/*
 * What the device tree says about the platform, read into fw_info:
 * memory, console, CPUs, command line, PSCI, hypervisor, GIC, model.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vmb/fdt.h>

static const char *const uart_16550_compat[] = {
	"ns16550a", "ns16550", "ns16450", "ns8250", "snps,dw-apb-uart", "intel,xscale-uart",
	"nvidia,tegra20-uart",
};
static const char *const uart_pl011_compat[] = { "arm,pl011", "arm,sbsa-uart" };

static bool node_enabled(const struct fdt *f, int node)
{
	const char *st = fdt_getprop_str(f, node, "status");

	return !st || !strcmp(st, "okay") || !strcmp(st, "ok");
}

static void copy_str(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src ? src : "");
}

static bool any_compatible(const struct fdt *f, int node, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (fdt_is_compatible(f, node, list[i]))
			return true;
	return false;
}

static void add_mem(struct fw_info *info, uint64_t base, uint64_t size, enum mem_kind kind)
{
	if (!size || info->nmem >= FW_MAX_MEM || base + size < base)
		return;
	info->mem[info->nmem++] = (struct mem_region){ base, size, kind };
}

static void scan_memory(const struct fdt *f, struct fw_info *info)
{
	for (int node = fdt_first_child(f, 0); node >= 0; node = fdt_next_sibling(f, node)) {
		const char *type = fdt_getprop_str(f, node, "device_type");
		uint64_t base, size;

		if (!type || strcmp(type, "memory") || !node_enabled(f, node))
			continue;
		for (int i = 0; i < FW_MAX_MEM && !fdt_get_reg(f, node, i, &base, &size); i++)
			add_mem(info, base, size, MEM_RAM);
	}
	int resv = fdt_path_offset(f, "/reserved-memory");
	for (int node = resv >= 0 ? fdt_first_child(f, resv) : -1; node >= 0;
	     node = fdt_next_sibling(f, node)) {
		uint64_t base, size;
		for (int i = 0; i < FW_MAX_MEM && !fdt_get_reg(f, node, i, &base, &size); i++)
			add_mem(info, base, size, MEM_RAM_RESERVED);
	}
	/* The memory reservation block: pairs of 64-bit address and size. */
	uint32_t off = 0;
	const uint8_t *b = f->blob;
	uint32_t rsv = (uint32_t)b[16] << 24 | (uint32_t)b[17] << 16 | (uint32_t)b[18] << 8 | b[19];
	for (int i = 0; i < FW_MAX_MEM && rsv >= 40 && (uint64_t)rsv + off + 16 <= f->size;
	     i++, off += 16) {
		uint64_t base = 0, size = 0;
		for (int k = 0; k < 8; k++) {
			base = base << 8 | b[rsv + off + k];
			size = size << 8 | b[rsv + off + 8 + k];
		}
		if (!base && !size)
			break;
		add_mem(info, base, size, MEM_RAM_RESERVED);
	}
}

/* Translate a child bus address through the parents' "ranges". */
static uint64_t translate(const struct fdt *f, int node, uint64_t addr)
{
	for (int bus = fdt_parent(f, node), depth = 0; bus > 0 && depth < 8;
	     bus = fdt_parent(f, bus), depth++) {
		int len;
		const uint8_t *r = fdt_getprop(f, bus, "ranges", &len);
		if (!r || len == 0)
			continue; /* absent or empty: identity */
		int up = fdt_parent(f, bus);
		uint32_t cac = fdt_getprop_u32(f, bus, "#address-cells", 2);
		uint32_t csc = fdt_getprop_u32(f, bus, "#size-cells", 1);
		uint32_t pac = up >= 0 ? fdt_getprop_u32(f, up, "#address-cells", 2) : 2;
		if (cac < 1 || cac > 2 || csc > 2 || pac < 1 || pac > 2)
			return addr;
		uint32_t stride = 4 * (cac + pac + csc);
		for (uint32_t off = 0; off + stride <= (uint32_t)len; off += stride) {
			uint64_t child = 0, parent = 0, size = 0;
			for (uint32_t i = 0; i < cac; i++)
				child = child << 32 | ((uint32_t)r[off + 4 * i] << 24 |
						       (uint32_t)r[off + 4 * i + 1] << 16 |
						       (uint32_t)r[off + 4 * i + 2] << 8 | r[off + 4 * i + 3]);
			for (uint32_t i = 0; i < pac; i++) {
				const uint8_t *q = r + off + 4 * (cac + i);
				parent = parent << 32 | ((uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 |
							 (uint32_t)q[2] << 8 | q[3]);
			}
			for (uint32_t i = 0; i < csc; i++) {
				const uint8_t *q = r + off + 4 * (cac + pac + i);
				size = size << 32 | ((uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 |
						     (uint32_t)q[2] << 8 | q[3]);
			}
			if (addr >= child && addr - child < size) {
				addr = addr - child + parent;
				break;
			}
		}
	}
	return addr;
}

static bool uart_from_node(const struct fdt *f, int node, struct fw_uart *u, const char *source)
{
	uint64_t addr, size;

	if (node < 0 || !node_enabled(f, node) || fdt_get_reg(f, node, 0, &addr, &size))
		return false;
	if (any_compatible(f, node, uart_pl011_compat, 2)) {
		*u = (struct fw_uart){
			.kind = UART_PL011,
			.reg_width = 4,
			.sbsa = fdt_is_compatible(f, node, "arm,sbsa-uart") &&
				!fdt_is_compatible(f, node, "arm,pl011"),
		};
	} else if (any_compatible(f, node, uart_16550_compat,
				  sizeof(uart_16550_compat) / sizeof(uart_16550_compat[0]))) {
		uint32_t shift = fdt_getprop_u32(f, node, "reg-shift", 0);
		uint32_t width = fdt_getprop_u32(f, node, "reg-io-width", 1);
		*u = (struct fw_uart){
			.kind = UART_16550,
			.reg_shift = (uint8_t)(shift > 4 ? 0 : shift),
			.reg_width = (uint8_t)(width == 4 ? 4 : 1),
		};
	} else {
		return false;
	}
	u->space = UART_SPACE_MMIO;
	u->addr = translate(f, node, addr);
	u->clock_hz = fdt_getprop_u32(f, node, "clock-frequency", 0);
	copy_str(u->source, sizeof(u->source), source);
	return true;
}

static void scan_console(const struct fdt *f, struct fw_info *info)
{
	int chosen = fdt_path_offset(f, "/chosen");
	const char *sp = chosen >= 0 ? fdt_getprop_str(f, chosen, "stdout-path") : NULL;

	if (!sp && chosen >= 0)
		sp = fdt_getprop_str(f, chosen, "linux,stdout-path");
	if (sp) {
		char path[128];
		size_t n = strcspn(sp, ":");
		if (n < sizeof(path)) {
			memcpy(path, sp, n);
			path[n] = 0;
			struct fw_uart u;
			if (uart_from_node(f, fdt_path_offset(f, path), &u, "stdout-path")) {
				if (sp[n] == ':')
					u.baud = (uint32_t)strtoul(sp + n + 1, NULL, 10);
				info->uart = u;
				return;
			}
		}
	}
	/* No usable stdout-path: the first enabled PL011 (or SBSA UART, as
	 * Xen's vpl011 is) is the usual console. */
	for (size_t i = 0; i < 2; i++)
		for (int node = fdt_find_compatible(f, -1, uart_pl011_compat[i]); node >= 0;
		     node = fdt_find_compatible(f, node, uart_pl011_compat[i]))
			if (uart_from_node(f, node, &info->uart, "dt-first"))
				return;
}

static void scan_cpus(const struct fdt *f, struct fw_info *info)
{
	int cpus = fdt_path_offset(f, "/cpus");
	unsigned n = 0;

	for (int node = cpus >= 0 ? fdt_first_child(f, cpus) : -1; node >= 0 && n < 4096;
	     node = fdt_next_sibling(f, node)) {
		const char *type = fdt_getprop_str(f, node, "device_type");
		const char *st = fdt_getprop_str(f, node, "status");
		if (!type || strcmp(type, "cpu"))
			continue;
		if (st && (!strcmp(st, "disabled") || !strncmp(st, "fail", 4)))
			continue;
		n++;
	}
	if (n)
		info->cpus = n;
}

static void scan_gic(const struct fdt *f, struct fw_info *info)
{
	static const char *const v2[] = { "arm,gic-400", "arm,cortex-a15-gic", "arm,cortex-a9-gic",
					  "arm,cortex-a7-gic", "arm,arm-gic" };
	uint64_t size;
	int node = fdt_find_compatible(f, -1, "arm,gic-v3");

	if (node >= 0) {
		info->gic_version = 3;
		fdt_get_reg(f, node, 0, &info->gicd_base, &size);
		fdt_get_reg(f, node, 1, &info->gicr_base, &size);
		return;
	}
	for (size_t i = 0; i < sizeof(v2) / sizeof(v2[0]); i++) {
		node = fdt_find_compatible(f, -1, v2[i]);
		if (node >= 0) {
			info->gic_version = 2;
			fdt_get_reg(f, node, 0, &info->gicd_base, &size);
			fdt_get_reg(f, node, 1, &info->gicc_base, &size);
			return;
		}
	}
}

int fdt_scan(const void *blob, size_t max_size, struct fw_info *info)
{
	struct fdt f;
	int err = fdt_open(&f, blob, max_size);

	if (err)
		return err;
	if (!fdt_node_name(&f, 0))
		return FDT_ERR_BADSTRUCT;
	info->have_fdt = true;

	const char *model = fdt_getprop_str(&f, 0, "model");
	if (model && !info->model[0])
		copy_str(info->model, sizeof(info->model), model);
	if (fdt_is_compatible(&f, 0, "linux,dummy-virt"))
		info->qemu = true;
	int len;
	const char *compat = fdt_getprop(&f, 0, "compatible", &len);
	if (compat && len > 5 && !strncmp(compat, "qemu,", 5))
		info->qemu = true;

	if (!info->nmem)
		scan_memory(&f, info);
	if (info->uart.kind == UART_NONE)
		scan_console(&f, info);
	if (!info->cpus)
		scan_cpus(&f, info);
	if (!info->gic_version)
		scan_gic(&f, info);

	int chosen = fdt_path_offset(&f, "/chosen");
	const char *args = chosen >= 0 ? fdt_getprop_str(&f, chosen, "bootargs") : NULL;
	if (args)
		copy_str(info->bootargs, sizeof(info->bootargs), args);

	int psci = fdt_find_compatible(&f, -1, "arm,psci-1.0");
	if (psci < 0)
		psci = fdt_find_compatible(&f, -1, "arm,psci-0.2");
	if (psci < 0)
		psci = fdt_find_compatible(&f, -1, "arm,psci");
	const char *method = psci >= 0 ? fdt_getprop_str(&f, psci, "method") : NULL;
	if (method && info->psci == PSCI_NONE)
		info->psci = !strcmp(method, "hvc") ? PSCI_HVC : !strcmp(method, "smc") ? PSCI_SMC
											: PSCI_NONE;

	int hyp = fdt_path_offset(&f, "/hypervisor");
	const char *hc = hyp >= 0 ? fdt_getprop_str(&f, hyp, "compatible") : NULL;
	if (hc && !strncmp(hc, "xen,xen", 7)) {
		info->xen_node = true;
		copy_str(info->hyp_compatible, sizeof(info->hyp_compatible), hc);
	}
	return FDT_OK;
}
