"""Read a PDF disclosure into a Layout: text lines and ruled table grids, page by page.

Everything is read with PDFium (pypdfium2): its text pass is 20-40x faster than pdfminer's, and it
gives each character's true baseline, which keeps numbers in a different font on their line. Tables
are found from the page's ruling lines (stroked paths or thin filled rectangles, also inside form
XObjects); characters are placed in the table cells by their centre. Pages without a text layer are
handed to OCR (ocr.py), whose words and detected ruling lines go through the same line and grid code.

Conventions of the output (the contract with recognize/):

* Lines: one per visual line outside tables, top to bottom. CJK characters are joined without
  spaces; a single space is kept only between two Latin/digit tokens with a visible gap, or where
  the gap is a column gap (more than 1.5 em).
* Grids: rows of Cells over the table's elementary rows and columns (after dropping edges no cell
  starts at, and rows with no text). A merged cell's text sits at its top-left anchor, which carries
  colspan/rowspan; the positions it covers are empty Cells.
* A header row whose printed geometry puts 类/款/项 above a 合计 data row in one ruled row is split
  into two rows (see ``_split_header_total_rows``).
* A grid that continues the previous page's last grid (first block on its page, nothing but page
  numbers between, same column edges) gets ``continued=True``; grids are never merged here.
* Line.line / Grid.line count visual rows on the page: each Line is one, each grid row is one, and
  Cell.line is the grid's line plus the cell's row index.
"""

from __future__ import annotations

import ctypes
import itertools
import math
import os
import re
import statistics
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from cnbudget.errors import InputError
from cnbudget.i18n import Message
from cnbudget.ingest import progress
from cnbudget.limits import MAX_OCR_ASPECT, MAX_OCR_PIXELS, MAX_PAGE_OBJECTS, MAX_PAGES
from cnbudget.model import BBox, Cell, Grid, Layout, Line

# --------------------------------------------------------------------------------------------
# Tunables (PDF points unless stated)
# --------------------------------------------------------------------------------------------

EDGE_TOL = 2.0  # two ruling lines closer than this are the same table edge
JOIN_GAP = 2.5  # collinear ruling pieces with a gap up to this are one line
THIN = 3.0  # a filled rectangle thinner than this is a ruling line
MIN_RULE = 2.0  # shorter pieces are dots, not rules
WALL_COVER = 0.5  # a rule must cover this share of a cell side to separate two cells
BLANK_PAGE_MARGIN = 18.0  # points: a blank page's box (where a finding about it is drawn) inside its edges
BIG_IMAGE_SHARE = 0.10  # images covering this share of the page may hold text to OCR
SPACE_GAP_EM = 0.15  # gap (in em) between Latin/digit tokens that reads as a space
COLUMN_GAP_EM = 1.5  # gap (in em) that reads as a space whatever the characters
UNMAPPED = "\ufffd"  # a glyph the text layer maps to no text (the Unicode replacement character)
GARBLED_SHARE = 0.5  # a text layer with more unmappable characters than this is not trusted
REOPEN_EVERY = 100  # pages: reopen the document this often to drop PDFium's per-document caches
_WHITE = 250  # colour components at or above this are paper-white (invisible on the page)

_PAGE_NUMBER = re.compile(r"^[-—–_\s]*(第\s*)?\d{1,4}\s*(页)?(\s*[/共]\s*\d{1,4}\s*页?)?[-—–_\s]*$")
_NOT_A_TITLE = re.compile(r"^[（(]?\s*续\s*(表|上表|前表)?\s*[）)]?$|^单位[:：]")


# --------------------------------------------------------------------------------------------
# Positioned text
# --------------------------------------------------------------------------------------------


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


@dataclass(slots=True)
class _Rule:
    """A horizontal (pos = y) or vertical (pos = x) ruling line from a to b, display coordinates."""

    pos: float
    a: float
    b: float


class _Display:
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


def _is_wordish(ch: str) -> bool:
    """Latin letters and digits: between two of these a visible gap is a space."""
    return ch.isascii() and ch.isalnum()


def _squash_spaces(text: str) -> str:
    """Drop spaces except a single one between two Latin/digit characters (used for OCR text)."""
    out: list[str] = []
    pending = False
    for ch in text:
        if ch.isspace():
            pending = True
            continue
        if pending and out and _is_wordish(out[-1]) and _is_wordish(ch):
            out.append(" ")
        pending = False
        out.append(ch)
    return "".join(out)


def _text_units(textpage: pdfium.PdfTextPage, disp: _Display) -> tuple[list[Unit], list[Unit]]:
    """Every visible, non-space character of the page; apart, the glyphs that map to no text (as U+FFFD)."""
    tp = textpage.raw
    count = pdfium_c.FPDFText_CountChars(tp)
    units: list[Unit] = []
    garbled: list[Unit] = []
    ox, oy = ctypes.c_double(), ctypes.c_double()
    rect = pdfium_c.FS_RECTF()
    matrix = pdfium_c.FS_MATRIX()
    rot = math.radians(disp.rotation)
    # One call for all the text; PDFium gives one UTF-16 unit per character index unless the
    # page has characters outside the BMP, in which case ask character by character.
    buffer = ctypes.create_string_buffer(count * 2 + 2)
    got = pdfium_c.FPDFText_GetText(tp, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
    codes = list(memoryview(buffer.raw[: max(got - 1, 0) * 2]).cast("H"))
    if len(codes) != count or any(0xD800 <= c <= 0xDFFF for c in codes):
        codes = [pdfium_c.FPDFText_GetUnicode(tp, i) for i in range(count)]
    get_matrix = pdfium_c.FPDFText_GetMatrix
    get_size = pdfium_c.FPDFText_GetFontSize
    get_box = pdfium_c.FPDFText_GetLooseCharBox
    get_origin = pdfium_c.FPDFText_GetCharOrigin
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
        get_matrix(tp, i, matrix)
        a, b, c, d = matrix.a, matrix.b, matrix.c, matrix.d
        size = get_size(tp, i) * math.sqrt(abs(a * d - b * c))
        get_box(tp, i, rect)
        upright = abs(math.remainder(math.atan2(b, a) - rot, math.tau)) < 0.05  # upright as displayed
        if unrotated:  # the common case, without the general transform
            x0, x1 = rect.left - left0, rect.right - left0
            top, bottom = top0 - rect.top, top0 - rect.bottom
        else:
            x0, top, x1, bottom = disp.box(rect.left, rect.bottom, rect.right, rect.top)
        if size <= 0.5:
            size = max(bottom - top, 1.0)
        if upright:
            get_origin(tp, i, ox, oy)
            baseline = top0 - oy.value if unrotated else disp.point(ox.value, oy.value)[1]
            top, bottom = baseline - 0.8 * size, baseline + 0.2 * size
        if x1 < 0 or x0 > width or bottom < 0 or top > height:
            continue  # outside the visible page
        (garbled if unmapped else units).append(Unit(ch, x0, x1, top, bottom, (top + bottom) / 2, size))
    return units, garbled


# --------------------------------------------------------------------------------------------
# Lines from units
# --------------------------------------------------------------------------------------------


def cluster_lines(units: Iterable[Unit]) -> list[list[Unit]]:
    """Group units into visual lines by vertical centre, each sorted left to right."""
    lines: list[list[Unit]] = []
    ref_mid = 0.0
    ref_size = 0.0
    for u in sorted(units, key=lambda u: u.mid):
        if lines and u.mid - ref_mid <= 0.45 * min(u.size, ref_size):
            lines[-1].append(u)
            n = len(lines[-1])
            ref_mid += (u.mid - ref_mid) / n
            ref_size = max(ref_size, u.size)
        else:
            lines.append([u])
            ref_mid, ref_size = u.mid, u.size
    out = []
    for line in lines:
        line.sort(key=lambda u: u.x0)
        out.append(_dedupe(line))
    return out


def _dedupe(line: list[Unit]) -> list[Unit]:
    """Drop characters drawn twice at almost the same place (a common way of faking bold)."""
    kept: list[Unit] = []
    for u in line:
        if kept:
            p = kept[-1]
            near = min(0.15 * u.size, 0.5 * (p.x1 - p.x0))
            if p.text == u.text and abs(p.x0 - u.x0) < near and abs(p.mid - u.mid) < 0.15 * u.size:
                continue
        kept.append(u)
    return kept


def line_text(line: Sequence[Unit]) -> str:
    """Join a line's units: no space in CJK text, one space for real gaps between Latin/digit tokens."""
    parts: list[str] = []
    prev: Unit | None = None
    for u in line:
        if prev is not None and parts:
            gap = u.x0 - prev.x1
            em = max(u.size, prev.size)
            if gap > COLUMN_GAP_EM * em or (gap > SPACE_GAP_EM * em and _is_wordish(parts[-1][-1]) and _is_wordish(u.text[0])):
                parts.append(" ")
        parts.append(u.text)
        prev = u
    return "".join(parts)


def _join_cell_lines(texts: Sequence[str]) -> str:
    """Join the wrapped lines of one cell: no separator, except a space between two Latin words."""
    out = ""
    for t in texts:
        if out and t and out[-1].isalpha() and out[-1].isascii() and t[0].isalpha() and t[0].isascii():
            out += " "
        out += t
    return out


def _bbox_of(units: Iterable[Unit]) -> BBox:
    us = list(units)
    return (min(u.x0 for u in us), min(u.top for u in us), max(u.x1 for u in us), max(u.bottom for u in us))


def _confidence(units: Iterable[Unit]) -> float | None:
    """The lowest OCR confidence among the units (None for a text layer)."""
    values = [u.confidence for u in units if u.confidence is not None]
    return round(min(values), 4) if values else None


# --------------------------------------------------------------------------------------------
# Ruling lines, images and other ink
# --------------------------------------------------------------------------------------------

_Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: _Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _compose(outer: _Matrix, inner: _Matrix) -> _Matrix:
    """The matrix applying ``inner`` first, then ``outer`` (PDF row-vector convention)."""
    a1, b1, c1, d1, e1, f1 = inner
    a2, b2, c2, d2, e2, f2 = outer
    return (
        a1 * a2 + b1 * c2,
        a1 * b2 + b1 * d2,
        c1 * a2 + d1 * c2,
        c1 * b2 + d1 * d2,
        e1 * a2 + f1 * c2 + e2,
        e1 * b2 + f1 * d2 + f2,
    )


def _apply(m: _Matrix, x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


@dataclass
class _Ink:
    """What a page draws besides text: ruling lines, big images, curves (outlined text?)."""

    h: list[_Rule] = field(default_factory=list)
    v: list[_Rule] = field(default_factory=list)
    images: list[BBox] = field(default_factory=list)
    curves: int = 0


class _InkCollector:
    """Walks a page's objects (into form XObjects, composing their matrices) and keeps the ink."""

    def __init__(self, disp: _Display) -> None:
        self.disp = disp
        self.ink = _Ink()
        self._fm = ctypes.c_int()
        self._st = ctypes.c_int()
        self._l, self._b, self._r, self._t = (ctypes.c_float() for _ in range(4))
        self._rgba = [ctypes.c_uint() for _ in range(4)]
        self._x, self._y = ctypes.c_float(), ctypes.c_float()
        self._m = pdfium_c.FS_MATRIX()

    def collect(self, page: pdfium.PdfPage) -> _Ink:
        raw = page.raw
        for i in range(pdfium_c.FPDFPage_CountObjects(raw)):
            self._visit(pdfium_c.FPDFPage_GetObject(raw, i), _IDENTITY, 0)
        return self.ink

    def _bounds(self, obj: object, parent: _Matrix) -> BBox:
        pdfium_c.FPDFPageObj_GetBounds(obj, self._l, self._b, self._r, self._t)
        left, bottom, right, top = self._l.value, self._b.value, self._r.value, self._t.value
        if parent is not _IDENTITY:
            pts = [_apply(parent, x, y) for x, y in ((left, bottom), (right, top), (left, top), (right, bottom))]
            left, right = min(p[0] for p in pts), max(p[0] for p in pts)
            bottom, top = min(p[1] for p in pts), max(p[1] for p in pts)
        return self.disp.box(left, bottom, right, top)

    def _visible(self, getter: object, obj: object) -> bool:
        r, g, b, a = self._rgba
        if not getter(obj, r, g, b, a):  # type: ignore[operator]
            return True
        return a.value > 0 and not (r.value >= _WHITE and g.value >= _WHITE and b.value >= _WHITE)

    def _visit(self, obj: object, parent: _Matrix, depth: int) -> None:
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            self._path(obj, parent)
        elif kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            self.ink.images.append(self._bounds(obj, parent))
        elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < 8:
            pdfium_c.FPDFPageObj_GetMatrix(obj, self._m)
            m = self._m
            own: _Matrix = (m.a, m.b, m.c, m.d, m.e, m.f)
            matrix = _compose(parent, own)
            for i in range(pdfium_c.FPDFFormObj_CountObjects(obj)):
                self._visit(pdfium_c.FPDFFormObj_GetObject(obj, i), matrix, depth + 1)

    def _path(self, obj: object, parent: _Matrix) -> None:
        pdfium_c.FPDFPath_GetDrawMode(obj, self._fm, self._st)
        fill = self._fm.value != 0 and self._visible(pdfium_c.FPDFPageObj_GetFillColor, obj)
        stroke = bool(self._st.value) and self._visible(pdfium_c.FPDFPageObj_GetStrokeColor, obj)
        if not (fill or stroke):
            return
        nseg = pdfium_c.FPDFPath_CountSegments(obj)
        if nseg <= 5:  # a line or a rectangle: its bounds say it all when it is thin
            x0, top, x1, bottom = self._bounds(obj, parent)
            w, h = x1 - x0, bottom - top
            if h <= THIN and w >= MIN_RULE:
                self.ink.h.append(_Rule((top + bottom) / 2, x0, x1))
                return
            if w <= THIN and h >= MIN_RULE:
                self.ink.v.append(_Rule((x0 + x1) / 2, top, bottom))
                return
            if nseg <= 2 or (w < MIN_RULE and h < MIN_RULE):
                return  # a diagonal line, or a dot
        self._segments(obj, parent, nseg, fill, stroke)

    def _segments(self, obj: object, parent: _Matrix, nseg: int, fill: bool, stroke: bool) -> None:
        """Walk a general path: axis-aligned pieces become rules, curves are counted."""
        pdfium_c.FPDFPageObj_GetMatrix(obj, self._m)
        m = self._m
        matrix = _compose(parent, (m.a, m.b, m.c, m.d, m.e, m.f))
        subpaths: list[tuple[list[tuple[float, float]], bool]] = []
        points: list[tuple[float, float]] = []
        curved = False
        for k in range(nseg):
            seg = pdfium_c.FPDFPath_GetPathSegment(obj, k)
            kind = pdfium_c.FPDFPathSegment_GetType(seg)
            pdfium_c.FPDFPathSegment_GetPoint(seg, self._x, self._y)
            px, py = _apply(matrix, self._x.value, self._y.value)
            pt = self.disp.point(px, py)
            if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
                if len(points) > 1:
                    subpaths.append((points, curved))
                points, curved = [pt], False
            else:
                if kind == pdfium_c.FPDF_SEGMENT_BEZIERTO:
                    curved = True
                points.append(pt)
                if pdfium_c.FPDFPathSegment_GetClose(seg) and points[0] != pt:
                    points.append(points[0])
        if len(points) > 1:
            subpaths.append((points, curved))
        for pts, is_curved in subpaths:
            if is_curved:
                self.ink.curves += 1
                continue
            xs = [p[0] for p in pts]
            ys = [p[1] for p in pts]
            x0, x1, top, bottom = min(xs), max(xs), min(ys), max(ys)
            if fill and not stroke:
                if not _is_box(pts):
                    continue
                if bottom - top <= THIN and x1 - x0 >= MIN_RULE:
                    self.ink.h.append(_Rule((top + bottom) / 2, x0, x1))
                    continue
                if x1 - x0 <= THIN and bottom - top >= MIN_RULE:
                    self.ink.v.append(_Rule((x0 + x1) / 2, top, bottom))
                    continue
            for (ax, ay), (bx, by) in itertools.pairwise(pts):
                if abs(ay - by) <= 0.5 and abs(ax - bx) >= MIN_RULE:
                    self.ink.h.append(_Rule((ay + by) / 2, min(ax, bx), max(ax, bx)))
                elif abs(ax - bx) <= 0.5 and abs(ay - by) >= MIN_RULE:
                    self.ink.v.append(_Rule((ax + bx) / 2, min(ay, by), max(ay, by)))


def _is_box(pts: list[tuple[float, float]]) -> bool:
    """An axis-aligned rectangle (4 corners, optionally closed)."""
    if len(pts) == 5 and pts[0] == pts[-1]:
        pts = pts[:4]
    if len(pts) != 4:
        return False
    xs = {round(p[0], 1) for p in pts}
    ys = {round(p[1], 1) for p in pts}
    return len(xs) <= 2 and len(ys) <= 2


def merge_rules(rules: Iterable[_Rule]) -> list[_Rule]:
    """Snap rules at nearly the same position together and join collinear pieces."""
    ordered = sorted(rules, key=lambda r: r.pos)
    groups: list[list[_Rule]] = []
    for r in ordered:
        if groups and r.pos - groups[-1][-1].pos <= EDGE_TOL / 2:
            groups[-1].append(r)
        else:
            groups.append([r])
    merged: list[_Rule] = []
    for group in groups:
        total = sum(r.b - r.a for r in group) or 1.0
        pos = sum(r.pos * (r.b - r.a) for r in group) / total
        current: _Rule | None = None
        for r in sorted(group, key=lambda r: r.a):
            if current is not None and r.a <= current.b + JOIN_GAP:
                current.b = max(current.b, r.b)
            else:
                current = _Rule(pos, r.a, r.b)
                merged.append(current)
    return merged


# --------------------------------------------------------------------------------------------
# Table frames: elementary grid + merged regions
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Region:
    """A cell of the table as printed: elementary rows r0..r1, columns c0..c1 (inclusive)."""

    r0: int
    c0: int
    r1: int
    c1: int
    units: list[Unit] = field(default_factory=list)


@dataclass
class _Frame:
    xs: list[float]
    ys: list[float]
    regions: list[_Region]

    @property
    def bbox(self) -> BBox:
        return (self.xs[0], self.ys[0], self.xs[-1], self.ys[-1])

    def contains(self, u: Unit) -> bool:
        return self.xs[0] - 1 <= u.cx <= self.xs[-1] + 1 and self.ys[0] - 1 <= u.mid <= self.ys[-1] + 1


def _cluster_positions(values: Iterable[float]) -> list[float]:
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= EDGE_TOL:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(g) / len(g) for g in out]


def _covered(intervals: list[tuple[float, float]], lo: float, hi: float) -> float:
    """Length of [lo, hi] covered by the (possibly overlapping) intervals."""
    total = 0.0
    cursor = lo
    for a, b in sorted(intervals):
        a, b = max(a, cursor), min(b, hi)
        if b > a:
            total += b - a
            cursor = b
    return total


def _table_components(h: list[_Rule], v: list[_Rule]) -> list[tuple[list[_Rule], list[_Rule]]]:
    """Groups of horizontal and vertical rules that touch each other (one table each)."""
    parent = list(range(len(h) + len(v)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, hr in enumerate(h):
        for j, vr in enumerate(v):
            if hr.a - EDGE_TOL <= vr.pos <= hr.b + EDGE_TOL and vr.a - EDGE_TOL <= hr.pos <= vr.b + EDGE_TOL:
                a, b = find(i), find(len(h) + j)
                if a != b:
                    parent[a] = b
    groups: dict[int, tuple[list[_Rule], list[_Rule]]] = {}
    for i, hr in enumerate(h):
        groups.setdefault(find(i), ([], []))[0].append(hr)
    for j, vr in enumerate(v):
        groups.setdefault(find(len(h) + j), ([], []))[1].append(vr)
    return [g for g in groups.values() if len(g[0]) >= 1 and len(g[1]) >= 1 and len(g[0]) + len(g[1]) >= 4]


def _frame_from_rules(h: list[_Rule], v: list[_Rule]) -> _Frame | None:
    """Elementary grid from a table's rules, cells merged where no rule separates them."""
    xs = _cluster_positions(r.pos for r in v)
    ys = _cluster_positions(r.pos for r in h)
    left, right = min(r.a for r in h), max(r.b for r in h)
    if left < xs[0] - EDGE_TOL:
        xs.insert(0, left)
    if right > xs[-1] + EDGE_TOL:
        xs.append(right)
    top, bottom = min(r.a for r in v), max(r.b for r in v)
    if top < ys[0] - EDGE_TOL:
        ys.insert(0, top)
    if bottom > ys[-1] + EDGE_TOL:
        ys.append(bottom)
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    if n_rows < 1 or n_cols < 1:
        return None
    v_at = [[(r.a, r.b) for r in v if abs(r.pos - x) <= EDGE_TOL] for x in xs]
    h_at = [[(r.a, r.b) for r in h if abs(r.pos - y) <= EDGE_TOL] for y in ys]

    def wall_right(r: int, c: int) -> bool:  # between columns c and c+1 in row r
        lo, hi = ys[r], ys[r + 1]
        return _covered(v_at[c + 1], lo, hi) >= WALL_COVER * (hi - lo)

    def wall_below(r: int, c: int) -> bool:  # between rows r and r+1 in column c
        lo, hi = xs[c], xs[c + 1]
        return _covered(h_at[r + 1], lo, hi) >= WALL_COVER * (hi - lo)

    parent = list(range(n_rows * n_cols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for r in range(n_rows):
        for c in range(n_cols):
            here = r * n_cols + c
            if c + 1 < n_cols and not wall_right(r, c):
                parent[find(here)] = find(here + 1)
            if r + 1 < n_rows and not wall_below(r, c):
                parent[find(here)] = find(here + n_cols)
    members: dict[int, list[tuple[int, int]]] = {}
    for r in range(n_rows):
        for c in range(n_cols):
            members.setdefault(find(r * n_cols + c), []).append((r, c))
    regions: list[_Region] = []
    for cells in members.values():
        r0, r1 = min(p[0] for p in cells), max(p[0] for p in cells)
        c0, c1 = min(p[1] for p in cells), max(p[1] for p in cells)
        if (r1 - r0 + 1) * (c1 - c0 + 1) == len(cells):
            regions.append(_Region(r0, c0, r1, c1))
            continue
        # Not a rectangle (a broken rule): keep each row's contiguous runs as cells.
        by_row: dict[int, list[int]] = {}
        for r, c in cells:
            by_row.setdefault(r, []).append(c)
        for r, cols in by_row.items():
            cols.sort()
            runs = [[cols[0], cols[0]]]
            for c in cols[1:]:
                if c == runs[-1][1] + 1:
                    runs[-1][1] = c
                else:
                    runs.append([c, c])
            regions.extend(_Region(r, a, r, b) for a, b in runs)
    return _drop_unused_edges(_Frame(xs, ys, regions))


def _drop_unused_edges(frame: _Frame) -> _Frame:
    """Remove column/row edges at which no cell starts (slivers from slightly misaligned rules)."""
    col_starts = sorted({0, *(g.c0 for g in frame.regions)})
    row_starts = sorted({0, *(g.r0 for g in frame.regions)})
    col_index = {c: i for i, c in enumerate(col_starts)}
    row_index = {r: i for i, r in enumerate(row_starts)}
    xs = [frame.xs[c] for c in col_starts] + [frame.xs[-1]]
    ys = [frame.ys[r] for r in row_starts] + [frame.ys[-1]]
    n_cols, n_rows = len(col_starts), len(row_starts)
    regions = []
    for g in frame.regions:
        c1 = bisect_right(col_starts, g.c1) - 1
        r1 = bisect_right(row_starts, g.r1) - 1
        regions.append(_Region(row_index[g.r0], col_index[g.c0], min(r1, n_rows - 1), min(c1, n_cols - 1)))
    return _Frame(xs, ys, regions)


def _frame_from_open_rules(h: list[_Rule], units: list[Unit]) -> _Frame | None:
    """A table ruled only horizontally (e.g. a three-line table): columns come from text gaps."""
    h = sorted(h, key=lambda r: r.pos)
    x0, x1 = min(r.a for r in h), max(r.b for r in h)
    top, bottom = h[0].pos, h[-1].pos
    inside = [u for u in units if x0 - 1 <= u.cx <= x1 + 1 and top < u.mid < bottom]
    if not inside:
        return None
    # Columns: gaps in the x-projection of the body (below the second rule, where headers no longer span).
    body = [u for u in inside if u.mid > h[1].pos] if len(h) >= 3 else inside
    spans: list[list[float]] = []
    for line in cluster_lines(body or inside):
        words = _words(line)
        spans.extend([w[0].x0, w[-1].x1] for w in words)
    spans.sort()
    merged: list[list[float]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1] + 2:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    if len(merged) < 2:
        return None
    xs = [x0] + [(merged[i][1] + merged[i + 1][0]) / 2 for i in range(len(merged) - 1)] + [x1]
    # Rows: the rules, and between rules one row per text line.
    ys = [r.pos for r in h]
    for upper_rule, lower_rule in itertools.pairwise(h):
        lines = cluster_lines(u for u in inside if upper_rule.pos < u.mid < lower_rule.pos)
        for upper, lower in itertools.pairwise(lines):
            ys.append((max(u.bottom for u in upper) + min(u.top for u in lower)) / 2)
    ys = sorted(ys)
    regions = [_Region(r, c, r, c) for r in range(len(ys) - 1) for c in range(len(xs) - 1)]
    return _Frame(xs, ys, regions)


def _words(line: list[Unit]) -> list[list[Unit]]:
    """Split a line at gaps wider than one em."""
    words: list[list[Unit]] = []
    for u in line:
        if words and u.x0 - words[-1][-1].x1 <= max(u.size, words[-1][-1].size):
            words[-1].append(u)
        else:
            words.append([u])
    return words


def _open_rule_groups(h: list[_Rule], used: set[int]) -> list[list[_Rule]]:
    """Stacks of at least three long horizontal rules with the same extent, not part of a ruled table."""
    free = sorted((r for i, r in enumerate(h) if i not in used and r.b - r.a >= 100), key=lambda r: r.pos)
    groups: list[list[_Rule]] = []
    for r in free:
        for g in groups:
            last = g[-1]
            if abs(last.a - r.a) <= 3 * EDGE_TOL and abs(last.b - r.b) <= 3 * EDGE_TOL and r.pos - last.pos < 400:
                g.append(r)
                break
        else:
            groups.append([r])
    return [g for g in groups if len(g) >= 3]


# --------------------------------------------------------------------------------------------
# Grids from frames
# --------------------------------------------------------------------------------------------


@dataclass
class _GridCell:
    text: str
    bbox: BBox
    rowspan: int = 1
    colspan: int = 1
    anchor: bool = True
    bands: list[tuple[float, float]] = field(default_factory=list)  # top/bottom of each text line
    confidence: float | None = None


@dataclass
class _PageGrid:
    """A grid under construction, with what continuation and title logic need."""

    rows: list[list[_GridCell]]
    bbox: BBox
    xs: list[float]


def _assign(frame: _Frame, units: list[Unit]) -> None:
    """Put each unit into the frame region under its centre."""
    index: dict[tuple[int, int], _Region] = {}
    for g in frame.regions:
        for r in range(g.r0, g.r1 + 1):
            for c in range(g.c0, g.c1 + 1):
                index[(r, c)] = g
    n_rows, n_cols = len(frame.ys) - 1, len(frame.xs) - 1
    for u in units:
        r = min(max(bisect_right(frame.ys, u.mid) - 1, 0), n_rows - 1)
        c = min(max(bisect_right(frame.xs, u.cx) - 1, 0), n_cols - 1)
        region = index.get((r, c))
        if region is not None:
            region.units.append(u)


def _grid_from_frame(frame: _Frame) -> _PageGrid | None:
    """Rows of cells over the frame's rows where a cell with text starts; None when the table is empty."""
    xs, ys = frame.xs, frame.ys
    # Keep the rows where some cell with text starts; the others are blank rows, or rows whose
    # only text belongs to a merged cell starting above (printed empty cells under a header).
    kept = sorted({g.r0 for g in frame.regions if g.units})
    if not kept:
        return None
    new_row = {r: i for i, r in enumerate(kept)}
    n_cols = len(xs) - 1
    rows: list[list[_GridCell | None]] = [[None] * n_cols for _ in kept]
    for g in frame.regions:
        rows_in = [r for r in range(g.r0, g.r1 + 1) if r in new_row]
        if not rows_in:
            continue
        r0, r1 = new_row[rows_in[0]], new_row[rows_in[-1]]
        bbox = (xs[g.c0], ys[g.r0], xs[g.c1 + 1], ys[g.r1 + 1])
        lines = cluster_lines(g.units)
        text = _join_cell_lines([line_text(line) for line in lines])
        bands = [(min(u.top for u in line), max(u.bottom for u in line)) for line in lines]
        rowspan, colspan = r1 - r0 + 1, g.c1 - g.c0 + 1
        rows[r0][g.c0] = _GridCell(text, bbox, rowspan, colspan, True, bands, _confidence(g.units))
        for r in range(r0, r1 + 1):
            for c in range(g.c0, g.c1 + 1):
                if (r, c) != (r0, g.c0):
                    cell_box = (xs[c], ys[kept[r]], xs[c + 1], ys[kept[r] + 1])
                    rows[r][c] = _GridCell("", cell_box, anchor=False)
    full: list[list[_GridCell]] = []
    for i, row in enumerate(rows):
        full.append(
            [cell if cell is not None else _GridCell("", (xs[c], ys[kept[i]], xs[c + 1], ys[kept[i] + 1])) for c, cell in enumerate(row)]
        )
    grid = _PageGrid(full, frame.bbox, list(xs))
    _split_header_total_rows(grid)
    return grid


def _has_digit(text: str) -> bool:
    return any(ch.isdigit() for ch in text)


def _split_header_total_rows(grid: _PageGrid, max_row: int = 6) -> None:
    """Split a ruled row holding both header labels and the 合计 data row into two rows.

    Some 收入决算表/支出决算表 print the 类/款/项 labels at the top of the same ruled row as the
    合计 line. When every label of that row sits on a text line above the 合计 label (nothing wraps
    from one to the other), the labels become their own header row and the 合计 row keeps the
    label and all amounts. Only done near the top of a grid, where the header ends.
    """
    i = 0
    while i < min(len(grid.rows), max_row):
        row = grid.rows[i]
        anchors = [c for c in row if c.anchor and c.text]
        labels = [c for c in anchors if not _has_digit(c.text)]
        total = [c for c in labels if re.search(r"[合总小]计", c.text)]
        if not total or len(labels) < 2 or any(c.rowspan > 1 for c in row if c.anchor):
            i += 1
            continue
        first_band = _line_bands([m for c in anchors for m in c.bands])[0]
        header = [c for c in labels if all(m in first_band for m in c.bands)]
        lower = [c for c in labels if not any(m in first_band for m in c.bands)]
        header_ids = {id(c) for c in header}
        if not header or len(header) + len(lower) != len(labels) or any(id(c) in header_ids for c in total):
            i += 1
            continue
        split_y = (max(b for _, b in first_band) + min(a for c in lower for a, _ in c.bands)) / 2
        top_row: list[_GridCell] = []
        bottom_row: list[_GridCell] = []
        for cell in row:
            x0, y0, x1, y1 = cell.bbox
            up = _GridCell("", (x0, y0, x1, split_y), 1, cell.colspan, cell.anchor)
            down = _GridCell("", (x0, split_y, x1, y1), 1, cell.colspan, cell.anchor)
            target = up if id(cell) in header_ids else down
            target.text, target.bands, target.confidence = cell.text, cell.bands, cell.confidence
            top_row.append(up)
            bottom_row.append(down)
        for r in range(i):  # cells spanning into the split row now span one more row
            for cell in grid.rows[r]:
                if cell.anchor and r + cell.rowspan > i:
                    cell.rowspan += 1
        grid.rows[i : i + 1] = [top_row, bottom_row]
        i += 2


def _line_bands(lines: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """Group text lines (top, bottom) of one table row by vertical centre, like cluster_lines."""
    bands: list[list[tuple[float, float]]] = []
    for line in sorted(lines, key=lambda t: t[0] + t[1]):
        mid, size = (line[0] + line[1]) / 2, line[1] - line[0]
        if bands:
            ref = bands[-1][0]
            if mid - (ref[0] + ref[1]) / 2 <= 0.45 * min(size, ref[1] - ref[0]):
                bands[-1].append(line)
                continue
        bands.append([line])
    return bands


def _to_grid(pg: _PageGrid, page: int, line: int) -> Grid:
    rows = [
        [
            Cell(c.text, page, line + r, _round_box(c.bbox), c.confidence, c.colspan if c.anchor else 1, c.rowspan if c.anchor else 1)
            for c in row
        ]
        for r, row in enumerate(pg.rows)
    ]
    return Grid(rows, page, line, _round_box(pg.bbox))


def _round_box(b: BBox) -> BBox:
    return (round(b[0], 2), round(b[1], 2), round(b[2], 2), round(b[3], 2))


# --------------------------------------------------------------------------------------------
# One page
# --------------------------------------------------------------------------------------------


@dataclass
class _TextLine:
    units: list[Unit]
    text: str
    bbox: BBox
    size: float


@dataclass
class _PageResult:
    blocks: list[tuple[float, _TextLine | _PageGrid]]  # (top, block) in reading order
    width: float
    ocr: bool = False
    unread: bool = False
    blank: bool = False  # no text, no image, no curve: nothing a reader sees (ruling lines at most)
    ruled: bool = False
    height: float = 0.0
    notes: list[str] = field(default_factory=list)


def _page_content(units: list[Unit], h: list[_Rule], v: list[_Rule], width: float) -> list[tuple[float, _TextLine | _PageGrid]]:
    """Lines and grids of one page from its positioned text and ruling lines."""
    h, v = merge_rules(h), merge_rules(v)
    frames: list[_Frame] = []
    used_h: set[int] = set()
    for hs, vs in _table_components(h, v):
        frame = _frame_from_rules(hs, vs)
        if frame is None or len(frame.regions) < 2:
            continue  # a box around text, not a table
        frames.append(frame)
        ids = {id(r) for r in hs}
        used_h.update(i for i, r in enumerate(h) if id(r) in ids)
    for group in _open_rule_groups(h, used_h):
        frame = _frame_from_open_rules(group, units)
        if frame is not None and not any(_overlaps(frame.bbox, f.bbox) for f in frames):
            frames.append(frame)

    free: list[Unit] = []
    in_frame: dict[int, list[Unit]] = {id(f): [] for f in frames}
    for u in units:
        for f in frames:
            if f.contains(u):
                in_frame[id(f)].append(u)
                break
        else:
            free.append(u)

    blocks: list[tuple[float, _TextLine | _PageGrid]] = []
    for f in frames:
        _assign(f, in_frame[id(f)])
        grid = _grid_from_frame(f)
        if grid is None:
            continue  # an empty table: ruling lines with no text (spill of the previous page)
        if len(grid.rows) == 1 and sum(1 for c in grid.rows[0] if c.anchor) == 1:
            free.extend(in_frame[id(f)])  # a single boxed cell: its text is running text
            continue
        blocks.append((grid.bbox[1], grid))
    for line in cluster_lines(free):
        tl = _TextLine(line, line_text(line), _bbox_of(line), statistics.median(u.size for u in line))
        blocks.append((tl.bbox[1], tl))
    blocks.sort(key=lambda b: (b[0], b[1].bbox[0]))
    return _join_titles(blocks, units, width)


def _overlaps(a: BBox, b: BBox) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _join_titles(
    blocks: list[tuple[float, _TextLine | _PageGrid]], units: list[Unit], width: float
) -> list[tuple[float, _TextLine | _PageGrid]]:
    """Join a wrapped title: consecutive centred lines in the same large font, close together."""
    if not units:
        return blocks
    body = statistics.median(u.size for u in units)
    out: list[tuple[float, _TextLine | _PageGrid]] = []
    for top, block in blocks:
        prev = out[-1][1] if out else None
        if (
            isinstance(block, _TextLine)
            and isinstance(prev, _TextLine)
            and abs(block.size - prev.size) <= 0.5
            and block.size >= 1.15 * body
            and block.bbox[1] - prev.bbox[3] <= 0.8 * block.size
            and _centred(prev.bbox, width, block.size)
            and _centred(block.bbox, width, block.size)
        ):
            units_ = prev.units + block.units
            text = prev.text + (" " if _is_wordish(prev.text[-1]) and _is_wordish(block.text[0]) else "") + block.text
            out[-1] = (out[-1][0], _TextLine(units_, text, _bbox_of(units_), prev.size))
            continue
        out.append((top, block))
    return out


def _centred(bbox: BBox, width: float, size: float) -> bool:
    centre = (bbox[0] + bbox[2]) / 2
    return abs(centre - width / 2) <= max(0.05 * width, 1.5 * size)


def _ocr_regions(units: list[Unit], ink: _Ink, width: float, height: float) -> list[BBox]:
    """Parts of the page whose text is only in pixels: the page, or big images without text over them."""
    area = width * height
    if not units:  # a scan, or text drawn as outlines; not a spacer pixel or a logo alone
        if any((b[2] - b[0]) * (b[3] - b[1]) >= 0.02 * area for b in ink.images) or ink.curves >= 20:
            return [(0.0, 0.0, width, height)]
        return []
    regions = []
    for box in ink.images:
        x0, top, x1, bottom = max(box[0], 0), max(box[1], 0), min(box[2], width), min(box[3], height)
        if (x1 - x0) * (bottom - top) < BIG_IMAGE_SHARE * area:
            continue
        over = sum(1 for u in units if x0 <= u.cx <= x1 and top <= u.mid <= bottom)
        if over < 5:
            regions.append((x0, top, x1, bottom))
    return regions


class OcrRefused(Exception):
    """An image-only page beyond the OCR limits: the message says why it was not read."""


def _read_page(doc: pdfium.PdfDocument, index: int, source: str, ocr: bool) -> _PageResult:
    try:
        page = doc[index]
    except pdfium.PdfiumError:
        raise InputError(Message("errors.input.pdf_page_damaged", path=source, page=index + 1)) from None
    try:
        disp = _Display(page)
        objects = pdfium_c.FPDFPage_CountObjects(page.raw)
        if objects > MAX_PAGE_OBJECTS:
            result = _PageResult([], disp.width)
            result.unread = True
            result.notes.append(Message("ingest.note.many_objects", page=index + 1, count=f"{objects:,}", limit=f"{MAX_PAGE_OBJECTS:,}"))
            return result
        try:
            textpage = page.get_textpage()
        except pdfium.PdfiumError:
            raise InputError(Message("errors.input.pdf_text_damaged", path=source, page=index + 1)) from None
        try:
            units, unmapped = _text_units(textpage, disp)
        finally:
            textpage.close()
        result = _PageResult([], disp.width)
        garbled = len(unmapped)
        if garbled > GARBLED_SHARE * (len(units) + garbled) and garbled >= 20:
            result.notes.append(Message("ingest.note.undecodable", page=index + 1))
            units = []
        else:  # a few glyphs with no text stay where they stand, as U+FFFD: a misread, never a silent gap
            units = units + unmapped
        ink = _InkCollector(disp).collect(page)
        # a text layer that cannot be decoded: its glyphs are drawn (the page looks right), so the page is its image
        whole = units == [] and garbled > 0
        regions = [(0.0, 0.0, disp.width, disp.height)] if whole else _ocr_regions(units, ink, disp.width, disp.height)
        if regions:
            if ocr:
                from cnbudget.ingest import ocr as ocr_module  # imported on demand: loads ONNX models

                # the page is rendered whole: both sides count, or one tall strip takes gigabytes
                pixels = int(disp.width * disp.height * ocr_module.RENDER_SCALE**2)
                try:
                    if pixels > MAX_OCR_PIXELS:
                        raise OcrRefused(
                            Message("ingest.note.too_many_pixels", pixels=f"{pixels / 1e6:,.0f}", limit=f"{MAX_OCR_PIXELS / 1e6:,.0f}")
                        )
                    aspect = max(disp.width, disp.height) / max(min(disp.width, disp.height), 1.0)
                    if aspect > MAX_OCR_ASPECT:
                        raise OcrRefused(Message("ingest.note.too_long", ratio=f"{aspect:,.0f}", limit=MAX_OCR_ASPECT))
                    for region in regions:
                        found = ocr_module.ocr_region(page, region)
                        units.extend(
                            Unit(
                                _squash_spaces(w.text),
                                w.x0,
                                w.x1,
                                w.top,
                                w.bottom,
                                (w.top + w.bottom) / 2,
                                max((w.bottom - w.top) * 0.75, 1.0),
                                w.confidence,
                            )
                            for w in found.words
                        )
                        ink.h.extend(_Rule(*r) for r in found.h_rules)
                        ink.v.extend(_Rule(*r) for r in found.v_rules)
                    result.ocr = True
                except OcrRefused as exc:
                    result.unread = True
                    result.notes.append(Message("ingest.note.ocr_refused", page=index + 1, why=exc))
                except ocr_module.OcrUnavailable as exc:
                    result.unread = True
                    result.notes.append(Message("ingest.note.ocr_unavailable", page=index + 1, why=exc))
                except Exception as exc:  # an OCR failure costs the page's image text, not the document
                    result.unread = True
                    result.notes.append(Message("ingest.note.ocr_failed", page=index + 1, error=type(exc).__name__, why=exc))
            else:
                result.unread = True
                result.notes.append(Message("ingest.note.ocr_off", page=index + 1))
        if not units:
            result.blank = not regions and not ink.images and not ink.curves
            result.ruled, result.height = bool(ink.h or ink.v), disp.height
            if ink.h or ink.v:
                result.notes.append(Message("ingest.note.ruling_only", page=index + 1))
            return result
        result.blocks = _page_content(units, ink.h, ink.v, disp.width)
        return result
    finally:
        page.close()


# --------------------------------------------------------------------------------------------
# The document
# --------------------------------------------------------------------------------------------


def _open(path: str) -> pdfium.PdfDocument:
    """Open a PDF for reading, or raise InputError saying in one sentence why it cannot be read."""
    if not os.path.exists(path):
        raise InputError(Message("errors.input.not_found", path=path))
    if os.path.isdir(path):
        raise InputError(Message("errors.input.pdf_is_directory", path=path))
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as f:
            head = f.read(1024)
            f.seek(max(size - 8192, 0))
            tail = f.read()
    except OSError as exc:
        raise InputError(Message("errors.input.pdf_cannot_open", path=path, why=exc.strerror or exc)) from None
    if size == 0:
        raise InputError(Message("errors.input.pdf_empty", path=path))
    if b"%PDF-" not in head:
        raise InputError(Message("errors.input.pdf_no_magic", path=path))
    if b"%%EOF" not in tail:
        raise InputError(Message("errors.input.pdf_truncated", path=path))
    try:
        doc = pdfium.PdfDocument(path)
    except pdfium.PdfiumError:
        # PDFium's error code is not reset between calls, so the file itself says why.
        if _is_encrypted(path, head, tail):
            raise InputError(Message("errors.input.pdf_encrypted", path=path)) from None
        if _has_no_pages(path, size):
            raise InputError(Message("errors.input.pdf_no_pages", path=path)) from None
        raise InputError(Message("errors.input.pdf_damaged", path=path)) from None
    if len(doc) == 0:
        doc.close()
        raise InputError(Message("errors.input.pdf_no_pages", path=path))
    return doc


def _is_encrypted(path: str, head: bytes, tail: bytes) -> bool:
    """An /Encrypt entry in the trailer: at the end, at startxref, or in a linearized header."""
    if b"/Encrypt" in head or b"/Encrypt" in tail:
        return True
    found = re.findall(rb"startxref\s+(\d+)", tail)
    if not found:
        return False
    offset = int(found[-1])
    with open(path, "rb") as f:
        if offset >= f.seek(0, 2):  # beyond the end (a damaged number can be any length): no trailer there
            return False
        f.seek(offset)
        return b"/Encrypt" in f.read(16384)


def _has_no_pages(path: str, size: int) -> bool:
    """A page tree that declares zero pages (PDFium refuses to open such a file)."""
    with open(path, "rb") as f:
        data = f.read(min(size, 4 << 20))
    counts = [int(n) for n in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", data)]
    counts += [int(n) for n in re.findall(rb"/Count\s+(\d+)[^>]*?/Type\s*/Pages\b", data)]
    return bool(counts) and max(counts) == 0


def _is_furniture(block: _TextLine | _PageGrid) -> bool:
    """Page numbers, 续表 marks and unit lines: not titles, so they do not end a table."""
    return isinstance(block, _TextLine) and bool(_PAGE_NUMBER.match(block.text) or _NOT_A_TITLE.match(block.text))


def _same_columns(a: list[float], b: list[float]) -> bool:
    """The continuation's column edges are the earlier grid's (within tolerance), same outer edges."""
    if abs(a[0] - b[0]) > 2 * EDGE_TOL or abs(a[-1] - b[-1]) > 2 * EDGE_TOL:
        return False
    return all(any(abs(x - y) <= 2 * EDGE_TOL for y in a) for x in b)


def read_pdf(path: str, *, ocr: bool = True) -> Layout:
    """Read a PDF into a Layout, one page at a time (bounded memory whatever the page count).

    Raises InputError (one sentence) for a file that is not a readable PDF.
    """
    source = str(path)
    doc = _open(source)
    try:
        n_pages = len(doc)
        if n_pages > MAX_PAGES:
            raise InputError(
                Message("errors.input.pdf_too_many_pages", name=Path(source).name, count=f"{n_pages:,}", limit=f"{MAX_PAGES:,}")
            )
        layout = Layout(source=source, format="pdf", page_count=n_pages)
        prev_grid: _PageGrid | None = None  # last grid of the last page with content, if nothing followed it
        for index in range(n_pages):
            if index and index % REOPEN_EVERY == 0:
                # PDFium keeps every page's parsed resources cached in the document; starting
                # afresh keeps memory flat on long files at the cost of re-reading the xref.
                doc.close()
                doc = _open(source)
            result = _read_page(doc, index, source, ocr)
            page_no = index + 1
            progress.page_read(source, page_no, n_pages, result.ocr)
            if result.ocr:
                layout.ocr_pages.append(page_no)
            if result.unread:
                layout.unread_pages.append(page_no)
            if result.blank and not result.ocr and not result.unread:
                margin = BLANK_PAGE_MARGIN  # the whole page, inset so that a box drawn on it shows
                box = (margin, margin, max(result.width - margin, margin), max(result.height - margin, margin))
                layout.blank_pages.append((page_no, result.ruled, box))
            layout.notes.extend(result.notes)
            if not result.blocks:
                continue
            content = [b for _, b in result.blocks if not _is_furniture(b)]
            first = content[0] if content else None
            line_no = 1
            for _, block in result.blocks:
                if isinstance(block, _TextLine):
                    layout.blocks.append(Line(block.text, page_no, line_no, _round_box(block.bbox), _confidence(block.units)))
                    line_no += 1
                    continue
                grid = _to_grid(block, page_no, line_no)
                if block is first and prev_grid is not None and _same_columns(prev_grid.xs, block.xs):
                    grid.continued = True
                layout.blocks.append(grid)
                line_no += len(block.rows)
            last = content[-1] if content else None
            prev_grid = last if isinstance(last, _PageGrid) else None
        return layout
    finally:
        doc.close()
