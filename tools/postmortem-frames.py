# gdb's Python (tools/postmortem, arm64 only): the frame-pointer chain of
# vCPU 0, each return address named by the PE/COFF image holding it.
# UEFI firmware (AAVMF) keeps its modules' debug paths in their images, so
# a hang before the image runs names the waiting firmware module
# ("BdsDxe.dll +0x7ce4"). Reads guest memory only.
import struct

import gdb

MAX_FRAMES = 40
MAX_IMAGE_PAGES = 4096  # look back at most 16 MiB for an image's header
inferior = gdb.selected_inferior()
images = {}


def read(addr, n):
    return bytes(inferior.read_memory(addr, n))


def word(addr, size):
    return struct.unpack("<" + {2: "H", 4: "I", 8: "Q"}[size], read(addr, size))[0]


def debug_path(base):
    """The CodeView path of the PE image at base, "" when it has none."""
    pe = base + word(base + 0x3C, 4)
    if read(pe, 4) != b"PE\0\0":
        return None
    opt = pe + 24
    dirs = opt + (112 if word(opt, 2) == 0x20B else 96)
    rva, size = word(dirs + 6 * 8, 4), word(dirs + 6 * 8 + 4, 4)
    for k in range(min(size // 28, 16)):
        entry = base + rva + k * 28
        if word(entry + 12, 4) == 2:  # IMAGE_DEBUG_TYPE_CODEVIEW
            data = base + word(entry + 20, 4)
            skip = 24 if read(data, 4) == b"RSDS" else 16
            return read(data + skip, 256).split(b"\0")[0].decode(errors="replace")
    return ""


def image_of(addr):
    page = addr & ~0xFFF
    for i in range(MAX_IMAGE_PAGES):
        base = page - i * 0x1000
        if base in images:
            return base, images[base]
        try:
            if read(base, 2) != b"MZ":
                continue
            path = debug_path(base)
        except gdb.MemoryError:
            return None
        if path is not None:
            images[base] = path
            return base, path
    return None


def name(addr):
    found = image_of(addr)
    if not found:
        return f"{addr:#x} (in no PE image)"
    base, path = found
    return f"{addr:#x} = {path.split('/')[-1] or '?'} +{addr - base:#x}  [{path}]"


def main():
    thread = next((t for t in inferior.threads() if t.num == 1), None)
    if thread is None:
        print("postmortem: no vCPU thread 1")
        return
    thread.switch()
    frame = gdb.selected_frame()
    pc, fp, lr = (int(frame.read_register(r)) for r in ("pc", "x29", "x30"))
    print("--- vCPU 0's frames, by the PE images holding them")
    print("pc  " + name(pc))
    print("lr  " + name(lr))
    for depth in range(MAX_FRAMES):
        if fp == 0 or fp & 7:
            break
        try:
            next_fp, ret = word(fp, 8), word(fp + 8, 8)
        except gdb.MemoryError:
            break
        print(f"#{depth:<2} " + name(ret))
        if next_fp <= fp:
            break
        fp = next_fp


main()
