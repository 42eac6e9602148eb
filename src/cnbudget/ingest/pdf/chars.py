"""Characters of a PDF text layer, placed on the displayed page: the one place that asks PDFium about each character."""

from __future__ import annotations

import ctypes
import math
import re
import struct
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from cnbudget.ingest.pdf import calls
from cnbudget.model import BBox

_FOUR_FLOATS = struct.Struct("4f")
_BEYOND_BMP = re.compile("[\ud800-\udfff\U00010000-\U0010ffff]")  # a surrogate code unit, paired or lone
UNMAPPED = "\ufffd"  # a glyph the text layer maps to no text (the Unicode replacement character)


@dataclass(slots=True)
class Unit:
    """A positioned piece of text: one PDF character, or one OCR word.

    ``mid`` is the vertical centre used to cluster units into lines: for PDF characters it is
    derived from the baseline, so digits in a different font (with different ascent and descent)
    still fall on the line of the CJK text around them.
    """

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    mid: float
    size: float
    confidence: float | None = None

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2


class Display:
    """Maps PDF user space to the displayed page: rotation applied, origin top-left, in points."""

    def __init__(self, page: pdfium.PdfPage) -> None:
        x0, y0, x1, y1 = page.get_cropbox()
        self.x0, self.y0, self.x1, self.y1 = x0, y0, x1, y1
        self.rotation = page.get_rotation() % 360
        if self.rotation in (90, 270):
            self.width, self.height = y1 - y0, x1 - x0
        else:
            self.width, self.height = x1 - x0, y1 - y0

    def point(self, x: float, y: float) -> tuple[float, float]:
        r = self.rotation
        if r == 0:
            return x - self.x0, self.y1 - y
        if r == 90:
            return y - self.y0, x - self.x0
        if r == 180:
            return self.x1 - x, y - self.y0
        return self.y1 - y, self.x1 - x

    def box(self, left: float, bottom: float, right: float, top: float) -> BBox:
        ax, ay = self.point(left, bottom)
        bx, by = self.point(right, top)
        return (min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))


def is_wordish(ch: str) -> bool:
    """Latin letters and digits: between two of these a visible gap is a space."""
    return ch.isascii() and ch.isalnum()


def squash_spaces(text: str) -> str:
    """Drop spaces except a single one between two Latin/digit characters (used for OCR text)."""
    out: list[str] = []
    pending = False
    for ch in text:
        if ch.isspace():
            pending = True
            continue
        if pending and out and is_wordish(out[-1]) and is_wordish(ch):
            out.append(" ")
        pending = False
        out.append(ch)
    return "".join(out)


def text_units(textpage: pdfium.PdfTextPage, disp: Display) -> tuple[list[Unit], list[Unit]]:
    """Every visible, non-space character of the page; apart, the glyphs that map to no text (as U+FFFD).

    Four PDFium calls per character (matrix, font size, loose box, origin), made through ``calls``
    into buffers read with one ``struct`` unpack each; the scale and uprightness a matrix implies
    are computed once per run of characters sharing it.
    """
    tp = textpage.raw
    count = pdfium_c.FPDFText_CountChars(tp)
    units: list[Unit] = []
    garbled: list[Unit] = []
    rot = math.radians(disp.rotation)
    # One call for all the text; PDFium gives one UTF-16 unit per character index unless the
    # page has characters outside the BMP, in which case ask character by character.
    buffer = ctypes.create_string_buffer(count * 2 + 2)
    got = pdfium_c.FPDFText_GetText(tp, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
    utf16 = buffer.raw[: max(got - 1, 0) * 2]
    codes = list(memoryview(utf16).cast("H"))
    if len(codes) != count or _BEYOND_BMP.search(utf16.decode("utf-16-le", "surrogatepass")):
        codes = [pdfium_c.FPDFText_GetUnicode(tp, i) for i in range(count)]
    matrix = (ctypes.c_float * 6)()  # FS_MATRIX: a b c d e f
    rect = (ctypes.c_float * 4)()  # FS_RECTF: left top right bottom
    origin = (ctypes.c_double * 2)()  # x, y
    p_matrix, p_rect, p_ox, p_oy = ctypes.byref(matrix), ctypes.byref(rect), ctypes.byref(origin), ctypes.byref(origin, 8)
    four_floats = _FOUR_FLOATS.unpack_from
    text_matrix, font_size, loose_box, char_origin = calls.text_matrix, calls.font_size, calls.loose_box, calls.char_origin
    last: tuple[float, ...] = ()
    scale, upright = 0.0, False
    unrotated = disp.rotation == 0
    left0, top0, width, height = disp.x0, disp.y1, disp.width, disp.height
    for i, code in enumerate(codes):
        if code <= 0x20 or 0x7F <= code <= 0xA0 or code in (0x3000, 0xFEFF, 0x200B, 0xFFFE):
            continue
        unmapped = code == 0xFFFD or 0xE000 <= code <= 0xF8FF
        ch = UNMAPPED if unmapped else chr(code)
        if ch.isspace():
            continue
        # The font size PDFium reports is the one set by Tf; the text matrix may scale it.
        text_matrix(tp, i, p_matrix)
        abcd = four_floats(matrix)
        if abcd != last:
            a, b, c, d = last = abcd
            scale = math.sqrt(abs(a * d - b * c))
            upright = abs(math.remainder(math.atan2(b, a) - rot, math.tau)) < 0.05  # upright as displayed
        size = font_size(tp, i) * scale
        loose_box(tp, i, p_rect)
        left, top_, right, bottom_ = four_floats(rect)
        if unrotated:  # the common case, without the general transform
            x0, x1 = left - left0, right - left0
            top, bottom = top0 - top_, top0 - bottom_
        else:
            x0, top, x1, bottom = disp.box(left, bottom_, right, top_)
        if size <= 0.5:
            size = max(bottom - top, 1.0)
        if upright:
            char_origin(tp, i, p_ox, p_oy)
            baseline = top0 - origin[1] if unrotated else disp.point(origin[0], origin[1])[1]
            top, bottom = baseline - 0.8 * size, baseline + 0.2 * size
        if x1 < 0 or x0 > width or bottom < 0 or top > height:
            continue  # outside the visible page
        (garbled if unmapped else units).append(Unit(ch, x0, x1, top, bottom, (top + bottom) / 2, size))
    return units, garbled
