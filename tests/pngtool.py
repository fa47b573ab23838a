#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""PNG test files made and checked independently of the code under test
(Python's zlib and struct only, plus Pillow's LittleCMS for a real sRGB
ICC profile).

  pngtool.py make DIR        writes the test inputs into DIR
  pngtool.py info FILE       prints the chunks' facts as key=value lines
  pngtool.py decode FILE RAW writes the pixels as a raw file: "RAW1", then
                             width, height, channels, bits (int32 little
                             endian), then the samples (16-bit ones little
                             endian), rows packed
"""
import struct
import sys
import zlib


def chunk(kind, data):
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff))


def png(w, h, depth, ctype, rows, extra=b""):
    ihdr = struct.pack(">IIBBBBB", w, h, depth, ctype, 0, 0, 0)
    raw = b"".join(b"\0" + r for r in rows)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + extra
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def exif_block(orientation, make):
    """A little-endian TIFF structure with IFD0: Make and Orientation."""
    make = make.encode() + b"\0"
    ifd_off = 8
    n = 2
    data_off = ifd_off + 2 + n * 12 + 4
    ifd = struct.pack("<H", n)
    ifd += struct.pack("<HHII", 0x010F, 2, len(make), data_off)          # Make
    ifd += struct.pack("<HHHH", 0x0112, 3, 1, 0) [:8] + struct.pack("<HH", orientation, 0)
    ifd += struct.pack("<I", 0)
    return b"II*\0" + struct.pack("<I", ifd_off) + ifd + make


def srgb_profile():
    from PIL import ImageCms
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def make(d):
    import os
    w, h = 37, 23
    # 16-bit RGB with values that use the low byte, an ICC profile, EXIF, 300 dpi
    rows = []
    for y in range(h):
        r = b""
        for x in range(w):
            r += struct.pack(">HHH", (x * 1777 + y * 13) % 65536,
                             (y * 2851 + x * 7) % 65536, (x * y * 97 + 4099) % 65536)
        rows.append(r)
    prof = srgb_profile()
    extra = (chunk(b"iCCP", b"sRGB test\0\0" + zlib.compress(prof))
             + chunk(b"pHYs", struct.pack(">IIB", 11811, 11811, 1))
             + chunk(b"eXIf", exif_block(6, "RFDN test")))
    open(os.path.join(d, "rgb16.png"), "wb").write(png(w, h, 16, 2, rows, extra))
    # the same without EXIF (GIMP applies the orientation when it opens a file)
    open(os.path.join(d, "rgb16-noexif.png"), "wb").write(
        png(w, h, 16, 2, rows, extra[:extra.index(b"eXIf") - 4]))
    open(os.path.join(d, "profile.icc"), "wb").write(prof)
    # 8-bit gray
    rows = [bytes((x * 7 + y * 11) % 256 for x in range(w)) for y in range(h)]
    open(os.path.join(d, "gray.png"), "wb").write(png(w, h, 8, 0, rows))
    # a header claiming 100000 x 100000 pixels (the data is a few bytes)
    ihdr = struct.pack(">IIBBBBB", 100000, 100000, 8, 2, 0, 0, 0)
    open(os.path.join(d, "huge.png"), "wb").write(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b""))


def info(path):
    b = open(path, "rb").read()
    assert b[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    p = 8
    out = {}
    while p < len(b):
        n, = struct.unpack(">I", b[p:p + 4])
        kind = b[p + 4:p + 8]
        data = b[p + 8:p + 8 + n]
        p += 12 + n
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", data[:10])
            out.update(width=w, height=h, depth=depth, colortype=ctype)
        elif kind == b"iCCP":
            name_end = data.index(b"\0")
            prof = zlib.decompress(data[name_end + 2:])
            import hashlib
            out["icc_sha256"] = hashlib.sha256(prof).hexdigest()
        elif kind == b"pHYs":
            x, y, unit = struct.unpack(">IIB", data)
            out["dpi"] = round(x * 0.0254) if unit == 1 else 0
        elif kind == b"eXIf":
            out["exif"] = 1
            if b"RFDN test" in data:
                out["exif_make"] = "RFDN test"
            e = "<" if data[:2] == b"II" else ">"
            ifd, = struct.unpack(e + "I", data[4:8])
            cnt, = struct.unpack(e + "H", data[ifd:ifd + 2])
            for i in range(cnt):
                tag, typ, num = struct.unpack(e + "HHI", data[ifd + 2 + 12 * i:ifd + 10 + 12 * i])
                if tag == 0x0112:
                    out["orientation"], = struct.unpack(e + "H", data[ifd + 10 + 12 * i:ifd + 12 + 12 * i])
                if tag == 0xA002:
                    pass
    for k, v in out.items():
        print("%s=%s" % (k, v))


def decode(path, out):
    b = open(path, "rb").read()
    assert b[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    p = 8
    idat = b""
    while p < len(b):
        n, = struct.unpack(">I", b[p:p + 4])
        kind, data = b[p + 4:p + 8], b[p + 8:p + 8 + n]
        p += 12 + n
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", data)
        elif kind == b"IDAT":
            idat += data
    assert depth in (8, 16) and interlace == 0 and ctype in (0, 2, 4, 6), \
        "unsupported PNG layout"
    c = {0: 1, 2: 3, 4: 2, 6: 4}[ctype]
    bpp = c * depth // 8
    stride = w * bpp
    raw = zlib.decompress(idat)
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            up = prev[i]
            ul = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + up) & 255
            elif f == 3:
                line[i] = (line[i] + (a + up) // 2) & 255
            elif f == 4:
                pa, pb, pc = abs(up - ul), abs(a - ul), abs(a + up - 2 * ul)
                pr = a if pa <= pb and pa <= pc else up if pb <= pc else ul
                line[i] = (line[i] + pr) & 255
        rows.append(bytes(line))
        prev = line
    px = b"".join(rows)
    if depth == 16:  # big endian in PNG, little endian in RAW
        px = b"".join(px[i + 1:i + 2] + px[i:i + 1] for i in range(0, len(px), 2))
    open(out, "wb").write(b"RAW1" + struct.pack("<iiii", w, h, c, depth) + px)


if __name__ == "__main__":
    if sys.argv[1] == "decode":
        decode(sys.argv[2], sys.argv[3])
        sys.exit(0)
    if sys.argv[1] == "make":
        make(sys.argv[2])
    elif sys.argv[1] == "info":
        info(sys.argv[2])
    else:
        sys.exit(__doc__)
