/*
 * ACPI tables built in a buffer that stands for physical memory at
 * BASE; the mapper refuses anything outside it.
 */
#include <stdlib.h>
#include <string.h>

#include <vmb/acpi.h>

#include "check.h"
#include "acpi_checksum.h"

#define BASE 0x7f000000ull
#define MEM_SIZE 0x4000

static uint8_t mem[MEM_SIZE];

static const void *map(uint64_t phys, size_t len, void *ctx)
{
	(void)ctx;
	if (phys < BASE || phys - BASE > MEM_SIZE || len > MEM_SIZE - (phys - BASE))
		return NULL;
	return mem + (phys - BASE);
}

static void w16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}
static void w32(uint8_t *p, uint32_t v)
{
	w16(p, (uint16_t)v);
	w16(p + 2, (uint16_t)(v >> 16));
}
static void w64(uint8_t *p, uint64_t v)
{
	w32(p, (uint32_t)v);
	w32(p + 4, (uint32_t)(v >> 32));
}

static void header(uint32_t off, const char *sig, uint32_t len)
{
	uint8_t *t = mem + off;
	memcpy(t, sig, 4);
	w32(t + 4, len);
	t[8] = 2;
	memcpy(t + 10, "BOCHS ", 6);
	memcpy(t + 16, "BXPC    ", 8);
}

static void seal(uint32_t off)
{
	acpi_fix_checksum(mem + off, mem[off + 4] | mem[off + 5] << 8, 9);
}

/* Layout: RSDP at 0, XSDT at 0x100, RSDT at 0x200, tables from 0x400. */
enum {
	RSDP = 0,
	XSDT = 0x100,
	RSDT = 0x200,
	SPCR = 0x400,
	MADT = 0x600,
	FADT = 0x800,
	HPET = 0xa00,
	MCFG = 0xb00,
	IORT = 0xc00,
	NTABLES = 6
};

static void iort(int hops);

static void build(int revision, bool x86, int spcr_type, int spcr_space)
{
	memset(mem, 0, sizeof(mem));
	memcpy(mem + RSDP, "RSD PTR ", 8);
	memcpy(mem + RSDP + 9, "BOCHS ", 6);
	mem[RSDP + 15] = (uint8_t)revision;
	w32(mem + RSDP + 16, (uint32_t)(BASE + RSDT));
	w32(mem + RSDP + 20, 36);
	w64(mem + RSDP + 24, BASE + XSDT);
	acpi_fix_checksum(mem + RSDP, 20, 8);
	acpi_fix_checksum(mem + RSDP, 36, 32);

	uint64_t tables[NTABLES] = { BASE + SPCR, BASE + MADT, BASE + FADT,
				     BASE + HPET, BASE + MCFG, BASE + IORT };
	header(XSDT, "XSDT", 36 + 8 * NTABLES);
	header(RSDT, "RSDT", 36 + 4 * NTABLES);
	for (int i = 0; i < NTABLES; i++) {
		w64(mem + XSDT + 36 + 8 * i, tables[i]);
		w32(mem + RSDT + 36 + 4 * i, (uint32_t)tables[i]);
	}
	seal(XSDT);
	seal(RSDT);

	header(SPCR, "SPCR", 80);
	mem[SPCR + 36] = (uint8_t)spcr_type;
	mem[SPCR + 40] = (uint8_t)spcr_space;
	mem[SPCR + 41] = spcr_space == 1 ? 8 : 32;
	mem[SPCR + 43] = spcr_space == 1 ? 1 : 3;
	w64(mem + SPCR + 44, spcr_space == 1 ? 0x2f8 : 0x9000000);
	mem[SPCR + 58] = 7;
	seal(SPCR);

	uint32_t o = MADT + 44;
	header(MADT, "APIC", 0);
	w32(mem + MADT + 36, 0xfee00000);
	if (x86) {
		for (int i = 0; i < 3; i++, o += 8) { /* LAPIC: 2 enabled, 1 not */
			mem[o] = 0;
			mem[o + 1] = 8;
			mem[o + 3] = (uint8_t)i;
			w32(mem + o + 4, i < 2 ? 1 : 0);
		}
		mem[o] = 9;
		mem[o + 1] = 16;
		w32(mem + o + 4, 0x1234);
		w32(mem + o + 8, 1);
		o += 16; /* x2APIC enabled */
		mem[o] = 5;
		mem[o + 1] = 12;
		w64(mem + o + 4, 0xfee10000);
		o += 12;
	} else {
		mem[o] = 0xc;
		mem[o + 1] = 24;
		w64(mem + o + 8, 0x8000000);
		mem[o + 20] = 3;
		o += 24;
		for (int i = 0; i < 4; i++, o += 80) { /* GICC: 3 enabled */
			mem[o] = 0xb;
			mem[o + 1] = 80;
			w32(mem + o + 12, i == 3 ? 0 : 1);
			w64(mem + o + 32, 0x8010000);
			w64(mem + o + 40, 0x8040000); /* GICV */
			w64(mem + o + 48, 0x8030000); /* GICH */
			w64(mem + o + 60, 0x80a0000 + 0x20000 * (uint64_t)i);
			w64(mem + o + 68, ((uint64_t)i << 32) | ((uint64_t)i << 8) | 0x80000000u);
		}
		mem[o] = 0xe;
		mem[o + 1] = 16;
		w64(mem + o + 4, 0x80a0000);
		o += 16;
		mem[o] = 0xf; /* GIC ITS */
		mem[o + 1] = 20;
		w64(mem + o + 8, 0x8080000);
		o += 20;
		mem[o] = 0xd; /* GIC MSI frame, SPIs 64..95 by its flags */
		mem[o + 1] = 24;
		w64(mem + o + 8, 0x8020000);
		w32(mem + o + 16, 1);
		w16(mem + o + 20, 32);
		w16(mem + o + 22, 64);
		o += 24;
	}
	w32(mem + MADT + 4, o - MADT);
	seal(MADT);

	header(FADT, "FACP", 276);
	w32(mem + FADT + 76, 0x608);
	w32(mem + FADT + 112, (1u << 8) | (1u << 10));
	mem[FADT + 116] = 1;
	w64(mem + FADT + 120, 0xcf9);
	mem[FADT + 128] = 6;
	if (!x86)
		w16(mem + FADT + 129, 3); /* PSCI compliant, use HVC */
	seal(FADT);

	header(HPET, "HPET", 56);
	w64(mem + HPET + 44, 0xfed00000);
	seal(HPET);

	/* Two allocations: segment 1 first, which is not ours. */
	header(MCFG, "MCFG", 44 + 2 * 16);
	w64(mem + MCFG + 44, 0xc0000000);
	w16(mem + MCFG + 44 + 8, 1);
	mem[MCFG + 44 + 11] = 0x7f;
	w64(mem + MCFG + 60, 0xb0000000);
	mem[MCFG + 60 + 10] = 0;
	mem[MCFG + 60 + 11] = 0xff;
	seal(MCFG);

	iort(x86 ? 0 : 1);
}

/* An IORT node header: type, length, revision, mappings and where. */
static uint32_t iort_node(uint32_t o, uint8_t type, uint16_t len, uint32_t nmap, uint32_t map_at)
{
	mem[o] = type;
	w16(mem + o + 1, len);
	w32(mem + o + 8, nmap);
	w32(mem + o + 12, map_at);
	return o + len;
}

static void iort_mapping(uint32_t at, uint32_t in, uint32_t count, uint32_t out, uint32_t to)
{
	w32(mem + at, in);
	w32(mem + at + 4, count - 1);
	w32(mem + at + 8, out);
	w32(mem + at + 12, to - IORT);
}

/* hops 0: no root complex; 1: root complex to the ITS group; 2: through
 * an SMMUv3 that adds 0x10000. Requester IDs 0x0..0xffff either way. */
static void iort(int hops)
{
	uint32_t its = IORT + 48, smmu = its + 24, rc = hops == 2 ? smmu + 68 + 20 : smmu;
	uint32_t end = its;

	header(IORT, "IORT", 0);
	w32(mem + IORT + 40, 48);
	if (hops) {
		w32(mem + IORT + 36, hops == 2 ? 3 : 2);
		iort_node(its, 0, 24, 0, 0);
		w32(mem + its + 16, 1); /* one ITS, identifier 0 */
		end = its + 24;
		if (hops == 2) {
			end = iort_node(smmu, 4, 68 + 20, 1, 68);
			iort_mapping(smmu + 68, 0, 0x10000, 0x10000, its);
		}
		end = iort_node(rc, 2, 36 + 20, 1, 36);
		w32(mem + rc + 28, 0); /* segment 0 */
		iort_mapping(rc + 36, 0, 0x10000, 0, hops == 2 ? smmu : its);
	}
	w32(mem + IORT + 4, end - IORT);
	seal(IORT);
}

static void test_x86(void)
{
	struct fw_info info;

	build(2, true, 0, 1);
	fw_info_init(&info);
	CHECK_EQ_U(acpi_scan(BASE, map, NULL, &info), ACPI_OK);
	CHECK(info.have_acpi);
	CHECK(info.qemu);
	CHECK_STR(info.model, "BOCHS BXPC");
	CHECK_EQ_U(info.uart.kind, UART_16550);
	CHECK_EQ_U(info.uart.space, UART_SPACE_PIO);
	CHECK_EQ_U(info.uart.addr, 0x2f8);
	CHECK_EQ_U(info.uart.reg_width, 1);
	CHECK_EQ_U(info.uart.baud, 115200);
	CHECK_STR(info.uart.source, "spcr");
	CHECK_EQ_U(info.cpus, 3);
	CHECK_EQ_U(info.ncpu, 3);
	CHECK_EQ_U(info.cpu[1].hwid, 1);
	CHECK_EQ_U(info.cpu[1].method, CPU_METHOD_SIPI);
	CHECK_EQ_U(info.cpu[2].hwid, 0x1234);
	CHECK_EQ_U(info.lapic_base, 0xfee10000);
	CHECK_EQ_U(info.pm_timer_port, 0x608);
	CHECK(info.pm_timer_32bit);
	CHECK(info.reset_reg_valid);
	CHECK_EQ_U(info.reset_reg_addr, 0xcf9);
	CHECK_EQ_U(info.reset_value, 6);
	CHECK_EQ_U(info.hpet_base, 0xfed00000);
	CHECK_EQ_U(info.pci_ecam_base, 0xb0000000);
	CHECK_EQ_U(info.pci_bus_start, 0);
	CHECK_EQ_U(info.pci_bus_end, 0xff);
	CHECK_EQ_U(info.psci, PSCI_NONE);
	CHECK_EQ_U(info.pci_msi_map.count, 0);
	CHECK_EQ_U(info.gic_its_base, 0);

	struct acpi a;
	uint32_t len;
	CHECK_EQ_U(acpi_open(&a, BASE, map, NULL), ACPI_OK);
	CHECK_EQ_U(a.entry_size, 8);
	CHECK(acpi_find_table(&a, "FACP", 0, &len) != NULL);
	CHECK_EQ_U(len, 276);
	CHECK(acpi_find_table(&a, "FACP", 1, &len) == NULL);
	CHECK(acpi_find_table(&a, "DSDT", 0, &len) == NULL);
}

static void test_arm(void)
{
	struct fw_info info;

	build(2, false, 3, 0);
	fw_info_init(&info);
	CHECK_EQ_U(acpi_scan(BASE, map, NULL, &info), ACPI_OK);
	CHECK_EQ_U(info.uart.kind, UART_PL011);
	CHECK_EQ_U(info.uart.space, UART_SPACE_MMIO);
	CHECK_EQ_U(info.uart.addr, 0x9000000);
	CHECK_EQ_U(info.cpus, 3);
	CHECK_EQ_U(info.gic_version, 3);
	CHECK_EQ_U(info.gicd_base, 0x8000000);
	CHECK_EQ_U(info.gicr_base, 0x80a0000);
	CHECK_EQ_U(info.gicc_base, 0x8010000);
	CHECK_EQ_U(info.gich_base, 0x8030000);
	CHECK_EQ_U(info.gicv_base, 0x8040000);
	CHECK_EQ_U(info.psci, PSCI_HVC);
	CHECK_EQ_U(info.ncpu, 3);
	CHECK_EQ_U(info.cpu[2].hwid, 0x0200000200ull); /* MPIDR affinity bits only */
	CHECK_EQ_U(info.cpu[2].method, CPU_METHOD_PSCI);
	CHECK_EQ_U(info.cpu[2].gicr_base, 0x80e0000);
	CHECK_EQ_U(info.gic_its_base, 0x8080000);
	CHECK_EQ_U(info.gic_v2m_base, 0x8020000);
	CHECK_EQ_U(info.gic_v2m_spi_base, 64);
	CHECK_EQ_U(info.gic_v2m_spi_count, 32);
	CHECK_EQ_U(info.pci_msi_map.rid_base, 0);
	CHECK_EQ_U(info.pci_msi_map.devid_base, 0);
	CHECK_EQ_U(info.pci_msi_map.count, 0x10000);

	/* Through an SMMU: the DeviceIDs the ITS sees are shifted. */
	iort(2);
	fw_info_init(&info);
	acpi_scan(BASE, map, NULL, &info);
	CHECK_EQ_U(info.pci_msi_map.devid_base, 0x10000);
	CHECK_EQ_U(info.pci_msi_map.count, 0x10000);

	/* A GIC MSI frame whose SPI override lies past INTID 1019: the frame
	 * is kept, the range is not. */
	build(2, false, 3, 0);
	w16(mem + MADT + 44 + 24 + 4 * 80 + 16 + 20 + 22, 2000);
	seal(MADT);
	fw_info_init(&info);
	acpi_scan(BASE, map, NULL, &info);
	CHECK_EQ_U(info.gic_v2m_base, 0x8020000);
	CHECK_EQ_U(info.gic_v2m_spi_count, 0);

	/* A mapping that points past the table: no map, no crash. */
	iort(1);
	w32(mem + IORT + 48 + 24 + 36 + 12, 0x3000);
	seal(IORT);
	fw_info_init(&info);
	acpi_scan(BASE, map, NULL, &info);
	CHECK_EQ_U(info.pci_msi_map.count, 0);

	/* 16550 in MMIO with 32-bit registers (SPCR type 0x13, dword access) */
	build(2, false, 0x13, 0);
	fw_info_init(&info);
	acpi_scan(BASE, map, NULL, &info);
	CHECK_EQ_U(info.uart.kind, UART_16550);
	CHECK_EQ_U(info.uart.reg_shift, 2);
	CHECK_EQ_U(info.uart.reg_width, 4);

	/* an interface type we do not drive: no console from SPCR */
	build(2, false, 0x10, 0);
	fw_info_init(&info);
	acpi_scan(BASE, map, NULL, &info);
	CHECK_EQ_U(info.uart.kind, UART_NONE);
}

static void test_rsdt_only(void)
{
	struct acpi a;

	build(0, true, 0, 1);
	CHECK_EQ_U(acpi_open(&a, BASE, map, NULL), ACPI_OK);
	CHECK_EQ_U(a.entry_size, 4);
	CHECK(acpi_find_table(&a, "APIC", 0, NULL) != NULL);

	/* revision 2 with a broken XSDT falls back to the RSDT */
	build(2, true, 0, 1);
	mem[XSDT + 20] ^= 0x55;
	CHECK_EQ_U(acpi_open(&a, BASE, map, NULL), ACPI_OK);
	CHECK_EQ_U(a.entry_size, 4);

	/* an XSDT with a garbage signature but a valid checksum (Xen 4.17's
	 * PVH dom0 on RSDT-only firmware) is used, and flagged */
	build(2, true, 0, 1);
	memcpy(mem + XSDT, "S\xff\x00\xf0", 4);
	memcpy(mem + XSDT + 10, "\xff\x00\xf0S\xff\x00", 6);
	seal(XSDT);
	w32(mem + RSDP + 16, 0);
	acpi_fix_checksum(mem + RSDP, 20, 8);
	acpi_fix_checksum(mem + RSDP, 36, 32);
	CHECK_EQ_U(acpi_open(&a, BASE, map, NULL), ACPI_OK);
	CHECK_EQ_U(a.entry_size, 8);
	CHECK(a.xsdt_bad_signature);
	struct fw_info info;
	fw_info_init(&info);
	CHECK_EQ_U(acpi_scan(BASE, map, NULL, &info), ACPI_OK);
	CHECK(info.acpi_xsdt_bad_signature);
	CHECK_EQ_U(info.cpus, 3);
	CHECK_STR(info.model, "BOCHS BXPC"); /* from the FADT, not the broken root */
}

static void test_malformed(void)
{
	struct fw_info info;
	struct acpi a;

	build(2, true, 0, 1);
	mem[RSDP + 3] = 'X';
	CHECK_EQ_U(acpi_open(&a, BASE, map, NULL), ACPI_ERR_SIGNATURE);

	build(2, true, 0, 1);
	mem[RSDP + 8] ^= 1;
	CHECK_EQ_U(acpi_open(&a, BASE, map, NULL), ACPI_ERR_CHECKSUM);

	CHECK_EQ_U(acpi_open(&a, BASE + MEM_SIZE, map, NULL), ACPI_ERR_MAP);
	CHECK_EQ_U(acpi_open(&a, 0x1000, map, NULL), ACPI_ERR_MAP);

	/* a table with a bad checksum is skipped, the others still read */
	build(2, true, 0, 1);
	mem[SPCR + 50] ^= 0xff;
	fw_info_init(&info);
	CHECK_EQ_U(acpi_scan(BASE, map, NULL, &info), ACPI_OK);
	CHECK_EQ_U(info.uart.kind, UART_NONE);
	CHECK_EQ_U(info.cpus, 3);

	/* a MADT entry of length 0 stops the walk instead of looping */
	build(2, true, 0, 1);
	mem[MADT + 44 + 8 + 1] = 0;
	seal(MADT);
	fw_info_init(&info);
	acpi_scan(BASE, map, NULL, &info);
	CHECK_EQ_U(info.cpus, 1);

	/* an entry running past the table's end is not read */
	build(2, true, 0, 1);
	mem[MADT + 44 + 1] = 250;
	seal(MADT);
	fw_info_init(&info);
	acpi_scan(BASE, map, NULL, &info);
	CHECK_EQ_U(info.cpus, 0);

	/* a table shorter than its header, and one longer than memory */
	build(2, true, 0, 1);
	w32(mem + FADT + 4, 20);
	fw_info_init(&info);
	acpi_scan(BASE, map, NULL, &info);
	CHECK_EQ_U(info.pm_timer_port, 0);
	build(2, true, 0, 1);
	w32(mem + HPET + 4, 0x100000);
	fw_info_init(&info);
	acpi_scan(BASE, map, NULL, &info);
	CHECK_EQ_U(info.hpet_base, 0);

	/* an MCFG whose only segment-0 entry has its buses backwards */
	build(2, true, 0, 1);
	mem[MCFG + 60 + 10] = 9;
	mem[MCFG + 60 + 11] = 3;
	seal(MCFG);
	fw_info_init(&info);
	acpi_scan(BASE, map, NULL, &info);
	CHECK_EQ_U(info.pci_ecam_base, 0);

	/* XSDT entries pointing outside memory are ignored */
	build(2, true, 0, 1);
	w64(mem + XSDT + 36, 0xdead0000);
	seal(XSDT);
	fw_info_init(&info);
	CHECK_EQ_U(acpi_scan(BASE, map, NULL, &info), ACPI_OK);
	CHECK_EQ_U(info.uart.kind, UART_NONE);
	CHECK_EQ_U(info.cpus, 3);

	/* every single-byte corruption of every table: no crash (sanitizers) */
	for (uint32_t i = 0; i < 0xa40; i++) {
		build(2, i & 1, 0, 1);
		mem[i] ^= 0xa5;
		fw_info_init(&info);
		acpi_scan(BASE, map, NULL, &info);
	}
	CHECK(1);
}

int main(void)
{
	test_x86();
	test_arm();
	test_rsdt_only();
	test_malformed();
	return check_report("acpi");
}
