"""What a page draws besides text: ruling lines (stroked paths, thin rectangles, inside form XObjects), images, curves."""

from __future__ import annotations

import ctypes
import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from cnbudget.ingest.pdf import calls
from cnbudget.ingest.pdf.chars import Display
from cnbudget.model import BBox

EDGE_TOL = 2.0  # two ruling lines closer than this are the same table edge
JOIN_GAP = 2.5  # collinear ruling pieces with a gap up to this are one line
THIN = 3.0  # a filled rectangle thinner than this is a ruling line
MIN_RULE = 2.0  # shorter pieces are dots, not rules
_TEXT = pdfium_c.FPDF_PAGEOBJ_TEXT
_WHITE = 250  # colour components at or above this are paper-white (invisible on the page)


@dataclass(slots=True)
class Ruling:
    """A horizontal (pos = y) or vertical (pos = x) ruling line from a to b, display coordinates."""

    pos: float
    a: float
    b: float


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
class Ink:
    """What a page draws besides text: ruling lines, big images, curves (outlined text?)."""

    h: list[Ruling] = field(default_factory=list)
    v: list[Ruling] = field(default_factory=list)
    images: list[BBox] = field(default_factory=list)
    curves: int = 0


class InkCollector:
    """Walks a page's objects (into form XObjects, composing their matrices) and keeps the ink."""

    def __init__(self, disp: Display) -> None:
        self.disp = disp
        self.ink = Ink()
        self._fm = ctypes.c_int()
        self._st = ctypes.c_int()
        self._l, self._b, self._r, self._t = (ctypes.c_float() for _ in range(4))
        self._rgba = [ctypes.c_uint() for _ in range(4)]
        self._x, self._y = ctypes.c_float(), ctypes.c_float()
        self._m = pdfium_c.FS_MATRIX()
        # pointers for the bare calls (calls.py), made once
        self._mode_refs = (ctypes.byref(self._fm), ctypes.byref(self._st))
        self._box_refs = tuple(ctypes.byref(x) for x in (self._l, self._b, self._r, self._t))
        self._rgba_refs = tuple(ctypes.byref(x) for x in self._rgba)

    def collect(self, page: pdfium.PdfPage) -> Ink:
        raw = page.raw
        get_object, get_type = calls.page_object, calls.object_type
        for i in range(pdfium_c.FPDFPage_CountObjects(raw)):
            obj = get_object(raw, i)
            kind = get_type(obj)
            if kind != _TEXT:  # most objects are text: nothing to keep
                self._visit(obj, kind, _IDENTITY, 0)
        return self.ink

    def _bounds(self, obj: object, parent: _Matrix) -> BBox:
        calls.object_bounds(obj, *self._box_refs)
        left, bottom, right, top = self._l.value, self._b.value, self._r.value, self._t.value
        if parent is not _IDENTITY:
            pts = [_apply(parent, x, y) for x, y in ((left, bottom), (right, top), (left, top), (right, bottom))]
            left, right = min(p[0] for p in pts), max(p[0] for p in pts)
            bottom, top = min(p[1] for p in pts), max(p[1] for p in pts)
        return self.disp.box(left, bottom, right, top)

    def _visible(self, getter: object, obj: object) -> bool:
        r, g, b, a = self._rgba
        if not getter(obj, *self._rgba_refs):  # type: ignore[operator]
            return True
        return a.value > 0 and not (r.value >= _WHITE and g.value >= _WHITE and b.value >= _WHITE)

    def _visit(self, obj: object, kind: int, parent: _Matrix, depth: int) -> None:
        if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            self._path(obj, parent)
        elif kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            self.ink.images.append(self._bounds(obj, parent))
        elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < 8:
            pdfium_c.FPDFPageObj_GetMatrix(obj, self._m)
            m = self._m
            own: _Matrix = (m.a, m.b, m.c, m.d, m.e, m.f)
            matrix = _compose(parent, own)
            get_object, get_type = calls.form_object, calls.object_type
            for i in range(pdfium_c.FPDFFormObj_CountObjects(obj)):
                inner = get_object(obj, i)
                inner_kind = get_type(inner)
                if inner_kind != _TEXT:
                    self._visit(inner, inner_kind, matrix, depth + 1)

    def _path(self, obj: object, parent: _Matrix) -> None:
        calls.draw_mode(obj, *self._mode_refs)
        fill = self._fm.value != 0 and self._visible(calls.fill_color, obj)
        stroke = bool(self._st.value) and self._visible(calls.stroke_color, obj)
        if not (fill or stroke):
            return
        nseg = calls.count_segments(obj)
        if nseg <= 5:  # a line or a rectangle: its bounds say it all when it is thin
            x0, top, x1, bottom = self._bounds(obj, parent)
            w, h = x1 - x0, bottom - top
            if h <= THIN and w >= MIN_RULE:
                self.ink.h.append(Ruling((top + bottom) / 2, x0, x1))
                return
            if w <= THIN and h >= MIN_RULE:
                self.ink.v.append(Ruling((x0 + x1) / 2, top, bottom))
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
                    self.ink.h.append(Ruling((top + bottom) / 2, x0, x1))
                    continue
                if x1 - x0 <= THIN and bottom - top >= MIN_RULE:
                    self.ink.v.append(Ruling((x0 + x1) / 2, top, bottom))
                    continue
            for (ax, ay), (bx, by) in itertools.pairwise(pts):
                if abs(ay - by) <= 0.5 and abs(ax - bx) >= MIN_RULE:
                    self.ink.h.append(Ruling((ay + by) / 2, min(ax, bx), max(ax, bx)))
                elif abs(ax - bx) <= 0.5 and abs(ay - by) >= MIN_RULE:
                    self.ink.v.append(Ruling((ax + bx) / 2, min(ay, by), max(ay, by)))


def _is_box(pts: list[tuple[float, float]]) -> bool:
    """An axis-aligned rectangle (4 corners, optionally closed)."""
    if len(pts) == 5 and pts[0] == pts[-1]:
        pts = pts[:4]
    if len(pts) != 4:
        return False
    xs = {round(p[0], 1) for p in pts}
    ys = {round(p[1], 1) for p in pts}
    return len(xs) <= 2 and len(ys) <= 2


def merge_rules(rules: Iterable[Ruling]) -> list[Ruling]:
    """Snap rules at nearly the same position together and join collinear pieces."""
    ordered = sorted(rules, key=lambda r: r.pos)
    groups: list[list[Ruling]] = []
    for r in ordered:
        if groups and r.pos - groups[-1][-1].pos <= EDGE_TOL / 2:
            groups[-1].append(r)
        else:
            groups.append([r])
    merged: list[Ruling] = []
    for group in groups:
        total = sum(r.b - r.a for r in group) or 1.0
        pos = sum(r.pos * (r.b - r.a) for r in group) / total
        current: Ruling | None = None
        for r in sorted(group, key=lambda r: r.a):
            if current is not None and r.a <= current.b + JOIN_GAP:
                current.b = max(current.b, r.b)
            else:
                current = Ruling(pos, r.a, r.b)
                merged.append(current)
    return merged
