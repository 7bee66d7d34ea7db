#!/usr/bin/env python3
"""Seed corpus for tests/fuzz/fuzz_mb2.c: multiboot2 information as GRUB
hands it over on a BIOS machine (command line, loader name, basic memory
information, an E820 memory map, an ACPI 1.0 or 2.0 RSDP), ended by an
end tag.

    tests/fuzz/gen_mb2_corpus.py [out-dir]   (default tests/fuzz/corpus/mb2)
"""
import os
import struct
import sys


def tag(typ, body):
    t = struct.pack("<II", typ, 8 + len(body)) + body
    return t + b"\0" * (-len(t) % 8)


def rsdp(rev):
    r = b"RSD PTR " + b"\0" + b"BOCHS " + bytes([rev]) + struct.pack("<I", 0x1FFF0000)
    if rev >= 2:
        r += struct.pack("<IQ", 36, 0x1FFF0100) + b"\0" * 4
    return r


def mbi(cmdline, acpi_rev):
    mmap = struct.pack("<II", 24, 0)
    for base, length, typ in ((0, 0x9FC00, 1), (0x9FC00, 0x400, 2), (0xF0000, 0x10000, 2),
                              (0x100000, 0x1FEF0000, 1), (0xFFFC0000, 0x40000, 2)):
        mmap += struct.pack("<QQII", base, length, typ, 0)
    tags = (tag(1, cmdline + b"\0") + tag(2, b"GRUB 2.06-13+deb12u2\0") +
            tag(4, struct.pack("<II", 639, 523200)) + tag(6, mmap) +
            tag(14 if acpi_rev < 2 else 15, rsdp(acpi_rev)) + tag(0, b""))
    return struct.pack("<II", 8 + len(tags), 0) + tags


out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "corpus", "mb2")
os.makedirs(out, exist_ok=True)
for name, data in (("grub_bios_acpi1", mbi(b"bench=null,cpuid iters=300", 0)),
                   ("grub_bios_acpi2", mbi(b"", 2))):
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)
