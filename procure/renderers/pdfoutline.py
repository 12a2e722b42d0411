"""Words drawn as the outlines of their glyphs: filled paths, not text.

A watermark drawn as text is read by text extraction (`pdftotext`, a screen reader) among the lines it lies
under. Drawn as paths it looks the same and is not text at all. The outlines are read from the TrueType font
file itself (its `glyf` table: contours of on- and off-curve points, quadratic curves made cubic), so no
renderer of fonts is needed.

Why not fontTools (its glyph set and `fontTools.pens.reportLabPen`): it was tried and draws byte-identical paths
(every glyph of Vera Bold, four sizes and offsets, once a contour ending in a line is closed by that line as here),
but importing and loading it made `procure build` of the example, whose illustrative prices are watermarked on
every build, 22 ms slower (median of 21 paired runs: 278 ms -> 300 ms, +8 %), taking the start-up figure of
benchmarks/startup.py from 1.07x its import floor to about its goal of 1.15x. The parser below is what a
watermark needs, read once per font file.
"""

import functools
import struct

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.pathobject import PDFPathObject

Point = tuple[float, float]


def draw_outlined(canvas, font_name: str, size: float, x: float, y: float, text: str) -> None:
    """Fill `text` centred on (x, y) in the current fill colour, as glyph outlines of a registered TrueType font."""
    canvas.drawPath(_outlines(font_name, size, x, y, text), stroke=0, fill=1, fillMode=1)


@functools.lru_cache(maxsize=16)
def _outlines(font_name: str, size: float, x: float, y: float, text: str) -> PDFPathObject:
    """The path of `text`'s glyph outlines, traced once for all the pages that show it (drawing a path leaves
    it as it was)."""
    face = pdfmetrics.getFont(font_name).face
    scale = size / face.unitsPerEm
    left = x - pdfmetrics.stringWidth(text, font_name, size) / 2
    path = PDFPathObject()
    for char in text:
        glyph = face.charToGlyph.get(ord(char), 0)
        for contour in _contours(face.filename, glyph):
            _trace(path, [(left + px * scale, y + py * scale, on) for px, py, on in contour])
        left += pdfmetrics.stringWidth(char, font_name, size)
    return path


def _trace(path, points: list[tuple[float, float, bool]]) -> None:
    """One closed contour of quadratic B-spline points onto `path` as lines and cubic curves."""
    if not points:
        return
    ring = _with_implied_points(points)
    start = next(i for i, p in enumerate(ring) if p[2])
    ring = ring[start:] + ring[:start]
    path.moveTo(ring[0][0], ring[0][1])
    i, n = 1, len(ring)
    while i <= n:
        x, y, on = ring[i % n]
        if on:
            path.lineTo(x, y)
            i += 1
            continue
        (x0, y0), (x2, y2, _) = _current(ring, i), ring[(i + 1) % n]
        path.curveTo(x0 + 2 / 3 * (x - x0), y0 + 2 / 3 * (y - y0), x2 + 2 / 3 * (x - x2), y2 + 2 / 3 * (y - y2),
                     x2, y2)
        i += 2
    path.close()


def _current(ring, i: int) -> Point:
    x, y, _ = ring[(i - 1) % len(ring)]
    return x, y


def _with_implied_points(points):
    """The contour with the on-curve point TrueType implies midway between two off-curve points made explicit."""
    out = []
    for i, (x, y, on) in enumerate(points):
        px, py, pon = points[i - 1]
        if not on and not pon:
            out.append(((x + px) / 2, (y + py) / 2, True))
        out.append((x, y, on))
    return out


@functools.cache
def _contours(filename: str, glyph: int) -> tuple[tuple[tuple[int, int, bool], ...], ...]:
    """The contours of a glyph in font units: (x, y, on-curve) points, composite glyphs resolved."""
    glyf, loca = _tables(filename)
    start, end = loca[glyph], loca[glyph + 1]
    if end <= start:
        return ()
    data = glyf[start:end]
    count = struct.unpack(">h", data[:2])[0]
    if count < 0:
        return _composite(filename, data)
    ends = struct.unpack(f">{count}H", data[10:10 + 2 * count])
    at = 10 + 2 * count
    at += 2 + struct.unpack(">H", data[at:at + 2])[0]
    total = ends[-1] + 1 if ends else 0
    flags: list[int] = []
    while len(flags) < total:
        flag = data[at]
        at += 1
        repeat = 0
        if flag & 8:
            repeat = data[at]
            at += 1
        flags += [flag] * (repeat + 1)
    xs, at = _coordinates(data, at, flags, 2, 16)
    ys, at = _coordinates(data, at, flags, 4, 32)
    points = [(x, y, bool(f & 1)) for x, y, f in zip(xs, ys, flags, strict=True)]
    contours, first = [], 0
    for last in ends:
        contours.append(tuple(points[first:last + 1]))
        first = last + 1
    return tuple(contours)


def _coordinates(data: bytes, at: int, flags: list[int], short: int, same: int) -> tuple[list[int], int]:
    """The absolute x (or y) coordinates of the points, from their deltas."""
    values, value = [], 0
    for flag in flags:
        if flag & short:
            delta = data[at]
            at += 1
            value += delta if flag & same else -delta
        elif not flag & same:
            value += struct.unpack(">h", data[at:at + 2])[0]
            at += 2
        values.append(value)
    return values, at


def _composite(filename: str, data: bytes):
    """The contours of a composite glyph: its components moved by their offsets (scaled components are not used
    by the characters of a watermark and are drawn unscaled)."""
    contours, at, more = [], 10, True
    while more:
        flags, component = struct.unpack(">HH", data[at:at + 4])
        at += 4
        if flags & 1:
            dx, dy = struct.unpack(">hh", data[at:at + 4])
            at += 4
        else:
            dx, dy = struct.unpack(">bb", data[at:at + 2])
            at += 2
        at += 2 if flags & 8 else 4 if flags & 0x40 else 8 if flags & 0x80 else 0
        contours += [tuple((x + dx, y + dy, on) for x, y, on in c) for c in _contours(filename, component)]
        more = bool(flags & 0x20)
    return tuple(contours)


@functools.cache
def _tables(filename: str) -> tuple[bytes, tuple[int, ...]]:
    """The `glyf` table of a font file and the glyph offsets of its `loca` table."""
    with open(filename, "rb") as f:
        font = f.read()
    tables = {}
    for i in range(struct.unpack(">H", font[4:6])[0]):
        tag, _, offset, length = struct.unpack(">4sIII", font[12 + 16 * i:28 + 16 * i])
        tables[tag.decode("latin-1")] = font[offset:offset + length]
    long_offsets = struct.unpack(">h", tables["head"][50:52])[0]
    loca = tables["loca"]
    if long_offsets:
        offsets = struct.unpack(f">{len(loca) // 4}I", loca)
    else:
        offsets = tuple(2 * o for o in struct.unpack(f">{len(loca) // 2}H", loca))
    return tables["glyf"], offsets
