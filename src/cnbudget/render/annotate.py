"""The annotated PDF: a copy of the input with a labelled box and a PDF comment on every finding, and an index.

Each finding that has a page and a box (``Where.bbox``: x0, top, x1, bottom in points, origin at the
displayed page's top-left, as the PDF reader measured it) gets a rectangle in its severity's colour
(error red, warning orange, info blue) and a small label 'N RULE' above it, N being its number on the
index page, set in a bundled face embedded in the file (render/annotate_font.py). Every finding with a
page also becomes a real PDF annotation (render/pdf_comments.py: on its box, or a sticky note in the
top margin), so that it is listed in the viewer's comments panel
with its message in the language in force. The index page(s), appended after the last page so that
page numbers stay those of the original, list every finding with its page — the ones without a page
only there — in fonts embedded in the file (render/annotate_index.py).

The boxes are drawn into the page content with pdfium (pypdfium2); pdfium writes new objects to a new
content stream and leaves the original streams as they were. The input file is only read.
"""

from __future__ import annotations

import ctypes
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from cnbudget.i18n import render, t
from cnbudget.model import BBox
from cnbudget.outfile import write_atomic
from cnbudget.render.annotate_font import label_font
from cnbudget.render.annotate_index import Line, index_pdf
from cnbudget.render.pdf_comments import Rect, add_comment
from cnbudget.rules.findings import Finding
from cnbudget.rules.report import DocumentReport

RGB = tuple[int, int, int]

SEVERITY_RGB: dict[str, RGB] = {"error": (220, 0, 0), "warning": (230, 130, 0), "info": (0, 90, 200)}
_LABEL_SIZE = 6.5
_BOX_WIDTH = 1.2
_NOTE, _NOTE_GAP = 18.0, 6.0  # a sticky note's size and spacing in the top margin (points)


@dataclass(frozen=True)
class Annotated:
    """What was written: boxes drawn, findings listed on the index only, index pages appended."""

    boxes: int
    index_only: int
    index_pages: int
    comments: int = 0  # PDF annotations: one per finding that has a page


# --- page geometry ------------------------------------------------------------------------------


class _Display:
    """Displayed page (rotation applied, origin top-left) → PDF user space; the inverse of ingest.pdf's mapping."""

    def __init__(self, page: pdfium.PdfPage) -> None:
        self.x0, self.y0, self.x1, self.y1 = page.get_cropbox()
        self.rotation = page.get_rotation() % 360
        self.width = abs(self.x1 - self.x0) if self.rotation in (0, 180) else abs(self.y1 - self.y0)

    def user(self, dx: float, dy: float) -> tuple[float, float]:
        r = self.rotation
        if r == 0:
            return dx + self.x0, self.y1 - dy
        if r == 90:
            return dy + self.x0, dx + self.y0
        if r == 180:
            return self.x1 - dx, dy + self.y0
        return self.x1 - dy, self.y1 - dx

    def rect(self, box: BBox) -> tuple[float, float, float, float]:
        """(left, bottom, width, height) in user space of a displayed box."""
        ax, ay = self.user(box[0], box[1])
        bx, by = self.user(box[2], box[3])
        return min(ax, bx), min(ay, by), abs(bx - ax), abs(by - ay)


# --- drawing on a page --------------------------------------------------------------------------


def _rect(left: float, bottom: float, width: float, height: float, rgb: RGB, *, fill: bool) -> pdfium_c.FPDF_PAGEOBJECT:
    obj = pdfium_c.FPDFPageObj_CreateNewRect(left, bottom, width, height)
    if fill:
        pdfium_c.FPDFPageObj_SetFillColor(obj, *rgb, 255)
        pdfium_c.FPDFPath_SetDrawMode(obj, pdfium_c.FPDF_FILLMODE_WINDING, False)
    else:
        pdfium_c.FPDFPageObj_SetStrokeColor(obj, *rgb, 255)
        pdfium_c.FPDFPageObj_SetStrokeWidth(obj, ctypes.c_float(_BOX_WIDTH))
        pdfium_c.FPDFPath_SetDrawMode(obj, pdfium_c.FPDF_FILLMODE_NONE, True)
    return obj


class _LabelFont:
    """The embedded label face loaded into one document (render/annotate_font.py); closed after saving."""

    def __init__(self, pdf: pdfium.PdfDocument) -> None:
        data = label_font()
        self._buffer = (ctypes.c_uint8 * len(data)).from_buffer_copy(data)  # alive as long as the font is
        self.raw = pdfium_c.FPDFText_LoadFont(pdf.raw, self._buffer, len(data), pdfium_c.FPDF_FONT_TRUETYPE, True)
        if not self.raw:
            raise RuntimeError("pdfium could not load the bundled label face")  # a broken install, not bad input

    def close(self) -> None:
        pdfium_c.FPDFFont_Close(self.raw)


def _text(pdf: pdfium.PdfDocument, font: _LabelFont, text: str, size: float) -> tuple[pdfium_c.FPDF_PAGEOBJECT, float]:
    """A white text object in the embedded label face at the origin, and its width."""
    obj = pdfium_c.FPDFPageObj_CreateTextObj(pdf.raw, font.raw, ctypes.c_float(size))
    buffer = ctypes.create_string_buffer((text + "\x00").encode("utf-16-le"))
    pdfium_c.FPDFText_SetText(obj, ctypes.cast(buffer, pdfium_c.FPDF_WIDESTRING))
    pdfium_c.FPDFPageObj_SetFillColor(obj, 255, 255, 255, 255)
    left, bottom, right, top = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    pdfium_c.FPDFPageObj_GetBounds(obj, ctypes.byref(left), ctypes.byref(bottom), ctypes.byref(right), ctypes.byref(top))
    return obj, right.value - left.value


_ROTATE = {0: (1, 0, 0, 1), 90: (0, 1, -1, 0), 180: (-1, 0, 0, -1), 270: (0, -1, 1, 0)}


def _draw(pdf: pdfium.PdfDocument, font: _LabelFont, page: pdfium.PdfPage, box: BBox, label: str, rgb: RGB) -> None:
    disp = _Display(page)
    pdfium_c.FPDFPage_InsertObject(page.raw, _rect(*disp.rect(box), rgb, fill=False))
    text, width = _text(pdf, font, label, _LABEL_SIZE)
    pad = 1.2
    height = _LABEL_SIZE + 2 * pad
    top = box[1] - height if box[1] >= height else box[3]  # above the box, or below it at the page's top edge
    tag: BBox = (box[0], top, box[0] + width + 2 * pad, top + height)
    pdfium_c.FPDFPage_InsertObject(page.raw, _rect(*disp.rect(tag), rgb, fill=True))
    x, y = disp.user(tag[0] + pad, tag[3] - pad - 0.2 * _LABEL_SIZE)
    a, b, c, d = _ROTATE.get(disp.rotation, _ROTATE[0])
    pdfium_c.FPDFPageObj_Transform(text, a, b, c, d, x, y)
    pdfium_c.FPDFPage_InsertObject(page.raw, text)


# --- the index page -----------------------------------------------------------------------------


def _index_lines(source: str, report: DocumentReport, numbered: Sequence[tuple[int, Finding, bool]]) -> list[Line]:
    m = report.meta
    counts = report.counts()
    year = t("annotate.index.year", year=m.year) if m.year else ""
    meta = " ".join(x for x in (m.department, year, m.kind or "") if x)
    out = [
        Line(t("annotate.index.title"), 14, bold=True),
        Line(f"{Path(source).name}  {meta}", 9, gap=4),
        Line("  ".join(t("annotate.index.count", severity=t(f"severity.{s}"), count=counts.get(s, 0)) for s in SEVERITY_RGB), 8),
        Line(t("annotate.index.legend"), 8),
    ]
    if not numbered:
        out.append(Line(t("annotate.index.none"), 10, gap=10))
    for n, f, boxed in numbered:
        loc = f.location
        where = t("annotate.index.page", page=loc.page) if loc.page is not None else t("annotate.index.no_page")
        section = t("annotate.index.section", section=loc.section) if loc.section else ""
        place = " · ".join(x for x in (loc.table or section, loc.row) if x)
        if loc.column:
            place += f" [{loc.column}]"
        mark = "" if boxed else " " + t("annotate.index.not_boxed")
        head = f"{n}. {where}  {t(f'severity.{f.severity}')} {f.rule}{mark}  {place}"
        out.append(Line(head, 8.5, SEVERITY_RGB[f.severity], gap=4, bold=True))
        detail = f.text()
        if f.expected or f.actual:
            detail += "  " + t("annotate.index.values", expected=render(f.expected) or "—", actual=render(f.actual) or "—")
        out.append(Line("      " + detail, 8))
    return out


# --- the whole document -------------------------------------------------------------------------


def _placed(f: Finding, count: int) -> tuple[int, BBox | None] | None:
    """The page a finding's comment goes on and the box there (None: no box), or None for the index only."""
    places = (f, *f.instances)
    page = next((p.location.page for p in places if p.location.page is not None and 1 <= p.location.page <= count), None)
    if page is None:
        return None
    return page, next((p.location.bbox for p in places if p.location.page == page and p.location.bbox is not None), None)


def _comment_rect(disp: _Display, box: BBox | None, slot: int) -> Rect:
    """The comment's rect in user space: on the box, else a note in the top margin (one slot per note), in the page."""
    if box is None:
        across = max(1, int((disp.width - 2 * _NOTE_GAP) // (_NOTE + _NOTE_GAP)))
        x = _NOTE_GAP + (slot % across) * (_NOTE + _NOTE_GAP)
        y = _NOTE_GAP / 2 + (slot // across) * (_NOTE + _NOTE_GAP)
        box = (x, y, x + _NOTE, y + _NOTE)
    left, bottom, width, height = disp.rect(box)
    x0, y0, x1, y1 = disp.x0, disp.y0, disp.x1, disp.y1
    return max(left, x0), max(bottom, y0), min(left + width, x1), min(bottom + height, y1)


def _comment(pdf: pdfium.PdfDocument, n: int, f: Finding, place: tuple[int, BBox | None], slots: dict[int, int]) -> None:
    number, box = place
    page = pdf[number - 1]
    slot = slots.get(number, 0)
    if box is None:
        slots[number] = slot + 1
    add_comment(
        page,
        _comment_rect(_Display(page), box, slot),
        boxed=box is not None,
        rgb=SEVERITY_RGB[f.severity],
        title=f.rule,
        contents=f.text(),
        name=f.id or f"cnbudget-{n}",
        subject=t(f"severity.{f.severity}"),
    )


def annotate_pdf(source: str, report: DocumentReport, out: Path) -> Annotated:
    """Write a copy of the PDF ``source`` with ``report``'s findings boxed, commented and indexed to ``out``."""
    if Path(out).resolve() == Path(source).resolve():
        raise ValueError("the annotated copy must not overwrite the input PDF")
    pdf = pdfium.PdfDocument(source)
    font: _LabelFont | None = None
    try:
        count = len(pdf)
        numbered: list[tuple[int, Finding, bool]] = []
        touched: dict[int, pdfium.PdfPage] = {}
        comments: list[tuple[int, Finding, tuple[int, BBox | None]]] = []
        for n, f in enumerate(report.findings, 1):
            boxed = False
            for place in f.instances or (f,):  # a finding grouped by cause is boxed at every instance
                loc = place.location
                if loc.bbox is not None and loc.page is not None and 1 <= loc.page <= count:
                    page = touched.get(loc.page) or pdf[loc.page - 1]
                    touched[loc.page] = page
                    font = font or _LabelFont(pdf)
                    _draw(pdf, font, page, loc.bbox, f"{n} {f.rule}", SEVERITY_RGB[f.severity])
                    boxed = True
            numbered.append((n, f, boxed))
            placed = _placed(f, count)
            if placed is not None:
                comments.append((n, f, placed))
        for page in touched.values():
            page.gen_content()
        slots: dict[int, int] = {}
        for n, f, placed in comments:
            _comment(pdf, n, f, placed, slots)
        index = pdfium.PdfDocument(index_pdf(_index_lines(report.source or source, report, numbered)))  # the name the report gives
        index_pages = len(index)
        pdf.import_pages(index)
        index.close()
        write_atomic(out, lambda tmp: pdf.save(str(tmp)))
    finally:
        if font is not None:
            font.close()
        pdf.close()
    boxes = sum(1 for _, _, boxed in numbered if boxed)
    return Annotated(boxes=boxes, index_only=len(numbered) - boxes, index_pages=index_pages, comments=len(comments))
