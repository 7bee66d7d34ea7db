#!/usr/bin/env python3
"""Read the PNG screenshots Chromium takes (8-bit RGB or RGBA, not
interlaced), with the standard library only, to look at them in tests.

  png.py info FILE                 width, height, distinct colours
  png.py count FILE RRGGBB [TOL]   pixels within TOL of a colour
  png.py rows FILE RRGGBB [TOL]    bands of rows that hold the colour
  png.py crop FILE Y0 Y1 OUT       rows Y0..Y1 into a new PNG
"""
import struct
import sys
import zlib


def read(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path}: not a PNG")
    pos, idat, hdr = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        pos += 12 + n
        if kind == b"IHDR":
            hdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
    w, h, depth, ctype, _, _, interlace = hdr
    if depth != 8 or ctype not in (2, 6) or interlace:
        raise ValueError(f"{path}: only 8-bit RGB/RGBA, not interlaced")
    bpp = 3 if ctype == 2 else 4
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pr = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[x] = (line[x] + pr) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, bpp, rows


def pixels(row, bpp):
    for x in range(0, len(row), bpp):
        yield row[x], row[x + 1], row[x + 2]


def near(px, rgb, tol):
    return all(abs(a - b) <= tol for a, b in zip(px, rgb))


def write(path, w, rows, bpp):
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(
            ">I", zlib.crc32(kind + body) & 0xffffffff)
    raw = b"".join(b"\0" + r for r in rows)
    hdr = struct.pack(">IIBBBBB", w, len(rows), 8, 2 if bpp == 3 else 6, 0, 0, 0)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", hdr) +
                chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    cmd, path = argv[1], argv[2]
    w, h, bpp, rows = read(path)
    if cmd == "info":
        colours = set()
        for r in rows[::4]:
            colours.update(pixels(r, bpp))
        print(f"{w} {h} {len(colours)}")
    elif cmd in ("count", "rows"):
        rgb = bytes.fromhex(argv[3])
        tol = int(argv[4]) if len(argv) > 4 else 8
        hits = [sum(near(px, rgb, tol) for px in pixels(r, bpp)) for r in rows]
        if cmd == "count":
            print(sum(hits))
        else:
            band = None
            for y, n in enumerate(hits + [0]):
                if n and band is None:
                    band = y
                elif not n and band is not None:
                    print(f"{band} {y - 1}")
                    band = None
    elif cmd == "crop":
        y0, y1 = int(argv[3]), int(argv[4])
        write(argv[5], w, rows[y0:y1], bpp)
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
