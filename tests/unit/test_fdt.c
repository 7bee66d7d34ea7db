#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include <vmb/fdt.h>

#include "check.h"

static const char *dir;

static uint8_t *load(const char *name, size_t *size)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s.dtb", dir, name);
	FILE *f = fopen(path, "rb");
	if (!f) {
		printf("FAIL cannot open %s\n", path);
		check_failed++;
		return NULL;
	}
	uint8_t *buf = malloc(1 << 16);
	*size = fread(buf, 1, 1 << 16, f);
	fclose(f);
	return buf;
}

/* Load a compiled test tree and scan it into info; NULL when missing. */
static uint8_t *scan_file(const char *name, size_t *size, struct fw_info *info)
{
	uint8_t *b = load(name, size);

	if (b) {
		fw_info_init(info);
		CHECK_EQ_U(fdt_scan(b, *size, info), 0);
	}
	return b;
}

static void test_qemu_virt(void)
{
	size_t size;
	uint8_t *b = load("fdt_qemu_virt", &size);
	struct fw_info info;

	if (!b)
		return;
	CHECK_EQ_U(fdt_blob_check(b, size), 0);
	CHECK_EQ_U(fdt_blob_size(b), size);
	/* The libfdt lookups fdt_scan relies on. */
	CHECK(fdt_path_offset(b, "/cpus/cpu@2") > 0);
	CHECK(fdt_path_offset(b, "/cpus/cpu") > 0); /* unit address optional */
	CHECK(fdt_path_offset(b, "/cpus/cpu@9") < 0);
	int cpu1 = fdt_path_offset(b, "/cpus/cpu@1");
	CHECK_EQ_U(fdt_parent_offset(b, cpu1), (unsigned)fdt_path_offset(b, "/cpus"));
	CHECK_STR(fdt_get_name(b, cpu1, NULL), "cpu@1");
	CHECK(fdt_node_check_compatible(b, fdt_path_offset(b, "/psci"), "arm,psci-0.2") == 0);
	CHECK(fdt_node_check_compatible(b, fdt_path_offset(b, "/psci"), "arm,psci-0") != 0);

	fw_info_init(&info);
	CHECK_EQ_U(fdt_scan(b, size, &info), 0);
	CHECK(info.have_fdt);
	CHECK(info.qemu);
	CHECK_STR(info.model, "QEMU virt-like");
	CHECK_EQ_U(info.uart.kind, UART_PL011);
	CHECK_EQ_U(info.uart.addr, 0x9000000);
	CHECK_EQ_U(info.uart.baud, 115200);
	CHECK_STR(info.uart.source, "stdout-path");
	CHECK(!info.uart.sbsa);
	CHECK_EQ_U(info.cpus, 3);
	CHECK_EQ_U(info.ncpu, 3);
	CHECK_EQ_U(info.cpu[0].hwid, 0);
	CHECK_EQ_U(info.cpu[0].method, CPU_METHOD_PSCI);
	CHECK_EQ_U(info.cpu[1].hwid, 0x100);
	CHECK_EQ_U(info.cpu[1].method, CPU_METHOD_PSCI);
	CHECK_EQ_U(info.cpu[2].hwid, 2);
	CHECK_EQ_U(info.cpu[2].method, CPU_METHOD_NONE); /* no enable-method: cannot start it */
	CHECK_EQ_U(info.psci, PSCI_HVC);
	CHECK_STR(info.bootargs, "bench=null iters=100");
	CHECK_EQ_U(info.gic_version, 3);
	CHECK_EQ_U(info.gicd_base, 0x8000000);
	CHECK_EQ_U(info.gicr_base, 0x80a0000);
	CHECK_EQ_U(info.pci_ecam_base, 0x4010000000ull);
	CHECK_EQ_U(info.pci_bus_start, 0);
	CHECK_EQ_U(info.pci_bus_end, 0xff);
	CHECK_EQ_U(info.pci_io.cpu, 0x3eff0000);
	CHECK_EQ_U(info.pci_io.pci, 0);
	CHECK_EQ_U(info.pci_io.size, 0x10000);
	CHECK_EQ_U(info.pci_mem32.cpu, 0x10000000);
	CHECK_EQ_U(info.pci_mem32.size, 0x2eff0000);
	CHECK_EQ_U(info.pci_mem64.cpu, 0x8000000000ull);
	CHECK_EQ_U(info.pci_mem64.pci, 0x8000000000ull);
	CHECK_EQ_U(info.pci_mem64.size, 0x8000000000ull);
	CHECK_EQ_U(info.n_virtio_mmio, 2);
	CHECK_EQ_U(info.virtio_mmio[0], 0xa000000);
	CHECK_EQ_U(info.virtio_mmio[1], 0xa000400);
	CHECK_EQ_U(info.virtio_mmio_irq[0], 32 + 0x10);
	CHECK_EQ_U(info.virtio_mmio_irq[1], 0); /* no interrupts property */
	CHECK_EQ_U(info.n_ahci, 0);		/* PCI AHCI only: not in the tree */
	CHECK_EQ_U(info.gic_its_base, 0x8080000);
	CHECK_EQ_U(info.gic_v2m_base, 0);
	CHECK_EQ_U(info.pci_msi_map.rid_base, 0x100);
	CHECK_EQ_U(info.pci_msi_map.devid_base, 0x2000);
	CHECK_EQ_U(info.pci_msi_map.count, 0x100);
	/* INTx: QEMU virt swizzles slot and pin over SPIs 3..6; the bus and
	 * function are masked out. */
	CHECK_EQ_U(info.n_pci_intx, 16);
	CHECK_EQ_U(fw_pci_intx(&info, 0, 0, 0, 1), 32 + 3);
	CHECK_EQ_U(fw_pci_intx(&info, 0, 1, 0, 1), 32 + 4);
	CHECK_EQ_U(fw_pci_intx(&info, 0, 2, 0, 4), 32 + 3 + (2 + 3) % 4);
	CHECK_EQ_U(fw_pci_intx(&info, 0, 5, 3, 2), 32 + 3 + (1 + 1) % 4); /* slot 5 & 3 = 1 */
	CHECK_EQ_U(fw_pci_intx(&info, 0, 1, 0, 0), 0);			  /* no pin */
	CHECK(!info.xen_node);
	/* two banks of RAM and the reservation block */
	CHECK_EQ_U(info.nmem, 3);
	CHECK_EQ_U(info.mem[0].base, 0x40000000);
	CHECK_EQ_U(info.mem[0].size, 0x20000000);
	CHECK_EQ_U(info.mem[1].base, 0x100000000ull);
	CHECK_EQ_U(info.mem[2].kind, MEM_RAM_RESERVED);
	CHECK_EQ_U(info.mem[2].base, 0x48000000);
	free(b);
}

static void test_xgene(void)
{
	size_t size;
	struct fw_info info;
	uint8_t *b = scan_file("fdt_xgene", &size, &info);

	if (!b)
		return;
	CHECK_EQ_U(info.uart.kind, UART_16550);
	CHECK_EQ_U(info.uart.addr, 0x2c020000); /* through the bus window */
	CHECK_EQ_U(info.uart.reg_shift, 2);
	CHECK_EQ_U(info.uart.reg_width, 4);
	CHECK_EQ_U(info.uart.clock_hz, 10000000);
	CHECK_EQ_U(info.uart.baud, 0);
	CHECK_EQ_U(info.psci, PSCI_SMC);
	CHECK_EQ_U(info.cpus, 2);
	CHECK_EQ_U(info.ncpu, 2);
	CHECK_EQ_U(info.cpu[1].hwid, 1);
	CHECK_EQ_U(info.cpu[1].method, CPU_METHOD_SPIN_TABLE);
	CHECK_EQ_U(info.cpu[1].release_addr, 0x400000fff8ull);
	CHECK(!info.qemu);
	CHECK_EQ_U(info.mem[0].base, 0x4000000000ull);
	CHECK_EQ_U(info.mem[0].size, 0x1000000000ull);
	CHECK_EQ_U(info.gic_version, 2);
	CHECK_EQ_U(info.gicc_base, 0x78020000);
	CHECK_EQ_U(info.gich_base, 0); /* two reg entries: no virtualization described */
	/* sata1 is disabled; sata2 and sata3 with their X-Gene blocks (sata3
	 * has no mux), then a generic controller. */
	CHECK_EQ_U(info.n_ahci, 3);
	CHECK(info.ahci[0].xgene);
	CHECK_EQ_U(info.ahci[0].base, 0x1a400000);
	CHECK_EQ_U(info.ahci[0].xgene_core, 0x1f220000);
	CHECK_EQ_U(info.ahci[0].xgene_diag, 0x1f22d000);
	CHECK_EQ_U(info.ahci[0].xgene_axi, 0x1f22e000);
	CHECK_EQ_U(info.ahci[0].xgene_mux, 0x1f227000);
	CHECK_EQ_U(info.ahci[0].irq, 32 + 0x87);
	CHECK(info.ahci[1].xgene);
	CHECK_EQ_U(info.ahci[1].base, 0x1a800000);
	CHECK_EQ_U(info.ahci[1].xgene_mux, 0);
	CHECK_EQ_U(info.ahci[1].irq, 32 + 0x88);
	CHECK(!info.ahci[2].xgene);
	CHECK_EQ_U(info.ahci[2].base, 0x1c000000);
	CHECK_EQ_U(info.ahci[2].xgene_core, 0);
	CHECK_EQ_U(info.ahci[2].irq, 32 + 0x90);
	free(b);
}

static void test_gicv2m(void)
{
	size_t size;
	struct fw_info info;
	uint8_t *b = scan_file("fdt_gicv2m", &size, &info);

	if (!b)
		return;
	CHECK_EQ_U(info.gic_version, 2);
	CHECK_EQ_U(info.gic_its_base, 0);
	CHECK_EQ_U(info.gic_v2m_base, 0x8020000);
	CHECK_EQ_U(info.gich_base, 0x8030000);
	CHECK_EQ_U(info.gicv_base, 0x8040000);
	CHECK_EQ_U(info.gic_v2m_spi_base, 80);
	CHECK_EQ_U(info.gic_v2m_spi_count, 16);
	CHECK_EQ_U(info.pci_msi_map.count, 0); /* identity */
	CHECK_EQ_U(info.n_pci_intx, 0);
	CHECK_EQ_U(fw_pci_intx(&info, 0, 1, 0, 1), 0);
	/* SPI ranges from firmware: all of them below 1020, none wrapping. */
	CHECK(fw_gic_spi_range(32, 988));
	CHECK(!fw_gic_spi_range(32, 989));
	CHECK(!fw_gic_spi_range(31, 1));
	CHECK(!fw_gic_spi_range(2000, 1));
	CHECK(!fw_gic_spi_range(0xffffffffu, 1));
	CHECK(!fw_gic_spi_range(80, 0));
	CHECK_EQ_U(info.pci_ecam_base, 0x4010000000ull);
	free(b);
}

static void test_xen(void)
{
	size_t size;
	struct fw_info info;
	uint8_t *b = scan_file("fdt_xen_guest", &size, &info);

	if (!b)
		return;
	CHECK(info.xen_node);
	CHECK_STR(info.hyp_compatible, "xen,xen-4.17");
	CHECK_EQ_U(info.xen_upcall_irq, 31); /* PPI 15 */
	CHECK_STR(info.bootargs, "bench=hypercall");
	/* no stdout-path: the first PL011-compatible node (Xen's vpl011 is an SBSA UART) */
	CHECK_EQ_U(info.uart.kind, UART_PL011);
	CHECK_EQ_U(info.uart.addr, 0x22000000);
	CHECK(info.uart.sbsa);
	CHECK_STR(info.uart.source, "dt-first");
	free(b);
}

static void test_no_stdout(void)
{
	size_t size;
	struct fw_info info;
	uint8_t *b = scan_file("fdt_no_stdout", &size, &info);

	if (!b)
		return;
	CHECK_EQ_U(info.uart.kind, UART_PL011);
	CHECK_EQ_U(info.uart.addr, 0x2000); /* the disabled one is skipped */
	CHECK_STR(info.uart.source, "dt-first");
	CHECK_EQ_U(info.mem[0].base, 0x80000000);
	CHECK_EQ_U(info.cpus, 0);
	free(b);
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Damaged blobs: errors or partial results, never a crash (ASan/UBSan). */
static void test_malformed(void)
{
	size_t size;
	uint8_t *b = load("fdt_qemu_virt", &size);
	struct fw_info info;

	if (!b)
		return;
	int truncated_ok = 0;
	for (size_t n = 0; n < size; n++) {
		uint8_t *copy = malloc(n ? n : 1);
		memcpy(copy, b, n);
		fw_info_init(&info);
		truncated_ok += fdt_scan(copy, n, &info) != 0;
		free(copy);
	}
	/* The header claims the full size: every shorter buffer is refused. */
	CHECK_EQ_U(truncated_ok, size);

	uint8_t *bad = malloc(size);
	memcpy(bad, b, size);
	bad[0] ^= 1;
	CHECK_EQ_U(fdt_blob_check(bad, size), -FDT_ERR_BADMAGIC);
	CHECK_EQ_U(fdt_blob_size(bad), 0);

	memcpy(bad, b, size);
	put32(bad + 20, 15); /* version too old */
	CHECK_EQ_U(fdt_blob_check(bad, size), -FDT_ERR_BADVERSION);

	memcpy(bad, b, size);
	put32(bad + 8, (uint32_t)size + 100); /* struct block outside */
	CHECK_EQ_U(fdt_blob_check(bad, size), -FDT_ERR_TRUNCATED);

	memcpy(bad, b, size);
	put32(bad + 36, 0xfffffff0u); /* struct size overflow */
	CHECK_EQ_U(fdt_blob_check(bad, size), -FDT_ERR_TRUNCATED);

	memcpy(bad, b, size);
	put32(bad + 8, 42); /* struct block not word-aligned */
	CHECK_EQ_U(fdt_blob_check(bad, size), -FDT_ERR_ALIGNMENT);

	memcpy(bad, b, size);
	put32(bad + 32, 0); /* no strings: properties have no names */
	fw_info_init(&info);
	CHECK_EQ_U(fdt_scan(bad, size, &info), 0);
	CHECK_EQ_U(info.uart.kind, UART_NONE);

	/* Scribble every byte of the structure block in turn. */
	uint32_t off_struct = (uint32_t)b[8] << 24 | b[9] << 16 | b[10] << 8 | b[11];
	for (size_t i = off_struct; i < size; i++) {
		memcpy(bad, b, size);
		bad[i] = 0xff;
		fw_info_init(&info);
		fdt_scan(bad, size, &info);
		memcpy(bad, b, size);
		bad[i] = 0x00;
		fw_info_init(&info);
		fdt_scan(bad, size, &info);
	}
	CHECK(1); /* reaching here without a sanitizer report is the check */
	free(bad);
	free(b);
	CHECK_EQ_U(fdt_blob_check(NULL, 100), -FDT_ERR_TRUNCATED);
}

/* A tree nested deeper than any real one, built by hand. */
static void test_deep(void)
{
	enum { DEPTH = 200 };
	size_t cap = 40 + 16 + DEPTH * 12 + 16;
	uint8_t *b = calloc(1, cap);
	uint32_t off = 40 + 16, p = off;

	for (int i = 0; i < DEPTH; i++) {
		put32(b + p, 1);
		memcpy(b + p + 4, "n", 2);
		p += 8;
	}
	for (int i = 0; i < DEPTH; i++, p += 4)
		put32(b + p, 2);
	put32(b + p, 9);
	p += 4;
	put32(b, FDT_MAGIC);
	put32(b + 4, p);
	put32(b + 8, off);
	put32(b + 12, p);
	put32(b + 16, 40);
	put32(b + 20, 17);
	put32(b + 24, 16);
	put32(b + 32, 0);
	put32(b + 36, p - off);
	struct fw_info info;
	fw_info_init(&info);
	CHECK_EQ_U(fdt_scan(b, p, &info), 0);
	/* libfdt walks any depth without recursion or a fixed stack */
	int node = 0, parent = -1;
	for (int i = 0; i < DEPTH - 1 && node >= 0; i++) {
		parent = node;
		node = fdt_first_subnode(b, node);
	}
	CHECK(node > 0);
	CHECK_EQ_U(fdt_parent_offset(b, node), parent);
	free(b);
}

int main(int argc, char **argv)
{
	dir = argc > 1 ? argv[1] : "build/host/data";
	test_qemu_virt();
	test_xgene();
	test_gicv2m();
	test_xen();
	test_no_stdout();
	test_malformed();
	test_deep();
	return check_report("fdt");
}
