#!/usr/bin/env python3
"""Seed corpus for tests/fuzz/fuzz_acpi.c: ACPI tables as firmware lays
them out (QEMU q35, QEMU virt arm64, an X-Gene-like SPCR, RSDT-only
firmware, Xen 4.17's PVH dom0 XSDT with a garbage signature).

Each file is physical memory from 0x1000 (the RSDP at its start) plus
the harness's control byte: 0x07 = fix up every checksum, 0x00 = leave
them as they are (the seeds carry correct ones either way).

    tests/fuzz/gen_acpi_corpus.py [out-dir]   (default tests/fuzz/corpus/acpi)
"""
import os
import struct
import sys

BASE = 0x1000
SIZE = 0x800
# Offsets in the buffer.
RSDP, XSDT, RSDT, SPCR, MADT, FADT, HPET, DSDT = (
    0x0, 0x40, 0xa0, 0x100, 0x180, 0x340, 0x460, 0x4a0)


def csum_fix(mem, off, length, at):
    mem[off + at] = 0
    mem[off + at] = (-sum(mem[off:off + length])) & 0xff


def put(mem, off, fmt, *vals):
    struct.pack_into("<" + fmt, mem, off, *vals)


def header(mem, off, sig, length, oem=b"BOCHS ", table=b"BXPC    "):
    mem[off:off + 4] = sig
    put(mem, off + 4, "I", length)
    mem[off + 8] = 2
    mem[off + 10:off + 16] = oem
    mem[off + 16:off + 24] = table


def seal(mem, off):
    length = struct.unpack_from("<I", mem, off + 4)[0]
    csum_fix(mem, off, length, 9)


def madt_x86():
    e = b""
    for i in range(3):  # local APICs, two enabled
        e += struct.pack("<BBBBI", 0, 8, i, i, 1 if i < 2 else 0)
    e += struct.pack("<BBHIII", 9, 16, 0, 4, 1, 4)  # x2APIC, enabled
    e += struct.pack("<BBHQ", 5, 12, 0, 0xfee00000)  # LAPIC address override
    e += struct.pack("<BBBBII", 1, 12, 0, 0, 0xfec00000, 0)  # I/O APIC
    return e


def madt_arm(gic_version):
    e = struct.pack("<BBHIQIB3x", 0xc, 24, 0, 0, 0x8000000, 0, gic_version)
    for i in range(4):  # GICC, three enabled
        gicc = bytearray(80)
        gicc[0], gicc[1] = 0xb, 80
        put(gicc, 4, "I", i)
        put(gicc, 12, "I", 0 if i == 3 else 1)
        put(gicc, 32, "Q", 0x8010000)
        if gic_version >= 3:
            put(gicc, 60, "Q", 0x80a0000 + 0x20000 * i)
        e += bytes(gicc)
    if gic_version >= 3:
        e += struct.pack("<BBHQI", 0xe, 16, 0, 0x80a0000, 0xf60000)
    return e


def s5_aml(style):
    if style == "qemu":  # Name (_S5, Package (0x04) { Zero, Zero, Zero, Zero })
        return bytes([0x10, 0x20, 0x5c, 0x00, 0x08]) + b"_S5_" + bytes(
            [0x12, 0x06, 0x04, 0x00, 0x00, 0x00, 0x00])
    # Name (\_S5, Package { 7, 7, 0, 0 }) with a two-byte package length
    return bytes([0x08, 0x5c]) + b"_S5_" + bytes(
        [0x12, 0x40, 0x0a, 0x04, 0x0a, 0x07, 0x0a, 0x07, 0x00, 0x00])


def build(rev=2, arch="x86", spcr=(0, 1, 0x3f8), roots=("xsdt", "rsdt"),
          fadt_len=276, gic=3, s5="qemu", xsdt_sig=b"XSDT", hpet=True):
    mem = bytearray(SIZE)
    tables = [SPCR, MADT, FADT] + ([HPET] if hpet else [])

    mem[RSDP:RSDP + 8] = b"RSD PTR "
    mem[RSDP + 9:RSDP + 15] = b"BOCHS "
    mem[RSDP + 15] = rev
    if "rsdt" in roots:
        put(mem, RSDP + 16, "I", BASE + RSDT)
    put(mem, RSDP + 20, "I", 36)
    if "xsdt" in roots:
        put(mem, RSDP + 24, "Q", BASE + XSDT)

    header(mem, XSDT, xsdt_sig, 36 + 8 * len(tables))
    if xsdt_sig != b"XSDT":
        mem[XSDT + 10:XSDT + 16] = b"\xff\x00\xf0S\xff\x00"
    header(mem, RSDT, b"RSDT", 36 + 4 * len(tables))
    for i, t in enumerate(tables):
        put(mem, XSDT + 36 + 8 * i, "Q", BASE + t)
        put(mem, RSDT + 36 + 4 * i, "I", BASE + t)

    kind, space, addr = spcr
    header(mem, SPCR, b"SPCR", 80)
    mem[SPCR + 36] = kind
    mem[SPCR + 40] = space
    mem[SPCR + 41] = 8 if space == 1 else 32
    mem[SPCR + 43] = 1 if space == 1 else 3
    put(mem, SPCR + 44, "Q", addr)
    mem[SPCR + 58] = 7

    body = madt_x86() if arch == "x86" else madt_arm(gic)
    header(mem, MADT, b"APIC", 44 + len(body))
    put(mem, MADT + 36, "II", 0xfee00000, 1)
    mem[MADT + 44:MADT + 44 + len(body)] = body

    header(mem, FADT, b"FACP", fadt_len)
    put(mem, FADT + 40, "I", BASE + DSDT)
    put(mem, FADT + 64, "II", 0x600, 0)  # PM1a_CNT, PM1b_CNT
    put(mem, FADT + 76, "I", 0x608)  # PM_TMR_BLK
    if fadt_len >= 116:
        put(mem, FADT + 112, "I", (1 << 8) | (1 << 10))
    if fadt_len >= 129:
        mem[FADT + 116] = 1
        put(mem, FADT + 120, "Q", 0xcf9)
        mem[FADT + 128] = 6
    if fadt_len >= 131 and arch == "arm":
        put(mem, FADT + 129, "H", 3)  # PSCI compliant, HVC
    if fadt_len >= 148:
        put(mem, FADT + 140, "Q", BASE + DSDT)  # X_DSDT
    if fadt_len >= 220:
        mem[FADT + 208] = 1  # X_PM_TMR_BLK in system I/O space
        put(mem, FADT + 212, "Q", 0x608)

    if hpet:
        header(mem, HPET, b"HPET", 56)
        put(mem, HPET + 44, "Q", 0xfed00000)

    aml = s5_aml(s5)
    header(mem, DSDT, b"DSDT", 36 + len(aml))
    mem[DSDT + 36:DSDT + 36 + len(aml)] = aml

    for t in tables + [DSDT, XSDT, RSDT]:
        seal(mem, t)
    csum_fix(mem, RSDP, 20, 8)
    csum_fix(mem, RSDP, 36, 32)
    end = DSDT + 36 + len(aml)
    return bytes(mem[:end])


SEEDS = {
    "q35_xsdt": build(),
    "q35_rsdt_rev0": build(rev=0, roots=("rsdt",), fadt_len=116, hpet=False),
    "virt_gicv3_pl011": build(arch="arm", spcr=(3, 0, 0x9000000), roots=("xsdt",), s5="intel"),
    "virt_gicv2_sbsa": build(arch="arm", spcr=(0xe, 0, 0x9000000), gic=2, fadt_len=131),
    "xgene_16550_mmio": build(arch="arm", spcr=(9, 0, 0x1c020000), fadt_len=244),
    "xen_pvh_bad_xsdt": build(roots=("xsdt",), xsdt_sig=b"S\xff\x00\xf0"),
}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "corpus", "acpi")
    os.makedirs(out, exist_ok=True)
    for name, mem in SEEDS.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(mem + b"\x07")
    # One seed with the control byte that leaves checksums alone.
    with open(os.path.join(out, "q35_xsdt_unfixed"), "wb") as f:
        f.write(SEEDS["q35_xsdt"] + b"\x00")


if __name__ == "__main__":
    main()
