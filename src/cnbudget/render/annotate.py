"""The annotated PDF: a copy of the input with a labelled box on every finding, and an index page at the end.

Each finding that has a page and a box (``Where.bbox``: x0, top, x1, bottom in points, origin at the
displayed page's top-left, as the PDF reader measured it) gets a rectangle in its severity's colour
(error red, warning orange, info blue) and a small label 'N RULE' above it, N being its number on the
index page. The index page(s), appended after the last page so that page numbers stay those of the
original, list every finding with its page — the ones without a box only there.

The boxes are drawn into the page content with pdfium (pypdfium2); pdfium writes new objects to a new
content stream and leaves the original streams as they were. The index page is a small PDF written
here by hand: Latin text in Helvetica and Chinese in the standard Adobe-GB1 font STSong-Light with the
UniGB-UCS2-H encoding, neither embedded (every Chinese-capable PDF viewer supplies them), then imported.
The input file is only read.
"""

from __future__ import annotations

import ctypes
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from cnbudget.model import BBox
from cnbudget.outfile import write_atomic
from cnbudget.render.report import SEVERITY_ZH
from cnbudget.rules.findings import Finding
from cnbudget.rules.report import DocumentReport

RGB = tuple[int, int, int]

SEVERITY_RGB: dict[str, RGB] = {"error": (220, 0, 0), "warning": (230, 130, 0), "info": (0, 90, 200)}
_LABEL_SIZE = 6.5
_BOX_WIDTH = 1.2


@dataclass(frozen=True)
class Annotated:
    """What was written: boxes drawn, findings listed on the index only, index pages appended."""

    boxes: int
    index_only: int
    index_pages: int


# --- page geometry ------------------------------------------------------------------------------


class _Display:
    """Displayed page (rotation applied, origin top-left) → PDF user space; the inverse of ingest.pdf's mapping."""

    def __init__(self, page: pdfium.PdfPage) -> None:
        self.x0, self.y0, self.x1, self.y1 = page.get_cropbox()
        self.rotation = page.get_rotation() % 360

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


def _text(pdf: pdfium.PdfDocument, text: str, size: float) -> tuple[pdfium_c.FPDF_PAGEOBJECT, float]:
    """A white Helvetica text object at the origin, and its width."""
    obj = pdfium_c.FPDFPageObj_NewTextObj(pdf.raw, b"Helvetica", ctypes.c_float(size))
    buffer = ctypes.create_string_buffer((text + "\x00").encode("utf-16-le"))
    pdfium_c.FPDFText_SetText(obj, ctypes.cast(buffer, pdfium_c.FPDF_WIDESTRING))
    pdfium_c.FPDFPageObj_SetFillColor(obj, 255, 255, 255, 255)
    left, bottom, right, top = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    pdfium_c.FPDFPageObj_GetBounds(obj, ctypes.byref(left), ctypes.byref(bottom), ctypes.byref(right), ctypes.byref(top))
    return obj, right.value - left.value


_ROTATE = {0: (1, 0, 0, 1), 90: (0, 1, -1, 0), 180: (-1, 0, 0, -1), 270: (0, -1, 1, 0)}


def _draw(pdf: pdfium.PdfDocument, page: pdfium.PdfPage, box: BBox, label: str, rgb: RGB) -> None:
    disp = _Display(page)
    pdfium_c.FPDFPage_InsertObject(page.raw, _rect(*disp.rect(box), rgb, fill=False))
    text, width = _text(pdf, label, _LABEL_SIZE)
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

# Helvetica advance widths (1/1000 em) of the printable ASCII characters 0x20–0x7E.
_HELVETICA = (
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
)  # fmt: skip
_PAGE_W, _PAGE_H, _MARGIN = 595.0, 842.0, 48.0


def _latin(ch: str) -> bool:
    return " " <= ch <= "~"


def _width(text: str, size: float) -> float:
    return sum(_HELVETICA[ord(ch) - 32] if _latin(ch) else 1000 for ch in text) * size / 1000


def _wrap(text: str, size: float, width: float, indent: str = "") -> list[str]:
    """Lines of at most ``width`` points; breaks at a space where Latin text allows, anywhere in Chinese."""
    lines: list[str] = []
    current = ""
    for ch in text.replace("\t", " ").replace("\r", " ").replace("\n", " "):
        if _width(current + ch, size) <= width:
            current += ch
            continue
        cut = current.rfind(" ")
        if ch != " " and _latin(ch) and cut > len(current) // 2:
            lines.append(current[:cut])
            current = indent + current[cut + 1 :] + ch
        else:
            lines.append(current)
            current = indent + ("" if ch == " " else ch)
    if current.strip():
        lines.append(current)
    return lines


def _show(text: str, size: float) -> str:
    """Content-stream operators that show ``text``: Latin runs in /F2 (Helvetica), the rest in /F1 (STSong)."""
    ops: list[str] = []
    run = ""
    for ch in text:
        if run and _latin(ch) != _latin(run[0]):
            ops.append(_run(run, size))
            run = ""
        run += ch
    if run:
        ops.append(_run(run, size))
    return " ".join(ops)


def _run(run: str, size: float) -> str:
    if _latin(run[0]):
        escaped = run.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        return f"/F2 {size:g} Tf ({escaped}) Tj"
    bmp = "".join(ch if ord(ch) <= 0xFFFF else "?" for ch in run)
    return f"/F1 {size:g} Tf <{bmp.encode('utf-16-be').hex().upper()}> Tj"


@dataclass
class _Line:
    text: str
    size: float = 8.5
    rgb: RGB = (0, 0, 0)
    gap: float = 0.0  # extra space above


def _index_lines(source: str, report: DocumentReport, numbered: Sequence[tuple[int, Finding, bool]]) -> list[_Line]:
    m = report.meta
    counts = report.counts()
    meta = " ".join(x for x in (m.department, f"{m.year}年度" if m.year else "", m.kind or "") if x)
    out = [
        _Line("cnbudget 检查结果索引 Index of findings", 14),
        _Line(f"{Path(source).name}  {meta}", 9, gap=4),
        _Line(
            "  ".join(f"{SEVERITY_ZH[s]} {s}: {counts.get(s, 0)}" for s in ("error", "warning", "info"))
            + "   (框的颜色 box colour: 红 error, 橙 warning, 蓝 info; 标签 label = 序号 number + 规则 rule)",
            8,
        ),
    ]
    if not numbered:
        out.append(_Line("没有发现问题。No findings.", 10, gap=10))
    for n, f, boxed in numbered:
        loc = f.location
        where = f"第{loc.page}页" if loc.page is not None else "页码不明"
        place = " · ".join(x for x in (loc.table or (f"情况说明 {loc.section}" if loc.section else ""), loc.row) if x)
        if loc.column:
            place += f" [{loc.column}]"
        head = f"{n}. {where}  {SEVERITY_ZH[f.severity]} {f.rule}" + ("" if boxed else " (未标框 not boxed)") + f"  {place}"
        out.append(_Line(head, 8.5, SEVERITY_RGB[f.severity], gap=4))
        detail = f.text()
        if f.expected or f.actual:
            detail += f"  应为 {f.expected or '—'}，实际 {f.actual or '—'}"
        out.append(_Line("      " + detail, 8))
    return out


def _index_pdf(lines: Sequence[_Line]) -> bytes:
    """A minimal PDF with the index lines laid out on as many A4 pages as they need."""
    pages: list[list[str]] = [[]]
    y = _PAGE_H - _MARGIN
    for ln in lines:
        r, g, b = (c / 255 for c in ln.rgb)
        for i, text in enumerate(_wrap(ln.text, ln.size, _PAGE_W - 2 * _MARGIN, indent="      ")):
            step = ln.size * 1.35 + (ln.gap if i == 0 else 0)
            if y - step < _MARGIN and pages[-1]:
                pages.append([])
                y = _PAGE_H - _MARGIN
            y -= step
            pages[-1].append(f"BT {r:.3f} {g:.3f} {b:.3f} rg 1 0 0 1 {_MARGIN:.2f} {y:.2f} Tm {_show(text, ln.size)} ET")
    fonts = [
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [4 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light"
        b" /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /FontDescriptor 5 0 R /DW 1000 >>",
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880]"
        b" /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    first_page = 7
    kids = " ".join(f"{first_page + 2 * i} 0 R" for i in range(len(pages)))
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode("ascii"),
        *fonts,
    ]
    for i, ops in enumerate(pages):
        content = "\n".join(ops).encode("ascii")
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {_PAGE_W:g} {_PAGE_H:g}] "
            f"/Resources << /Font << /F1 3 0 R /F2 6 0 R >> >> /Contents {first_page + 2 * i + 1} 0 R >>".encode("ascii")
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# --- the whole document -------------------------------------------------------------------------


def annotate_pdf(source: str, report: DocumentReport, out: Path) -> Annotated:
    """Write a copy of the PDF ``source`` with ``report``'s findings boxed and indexed to ``out``."""
    if Path(out).resolve() == Path(source).resolve():
        raise ValueError("the annotated copy must not overwrite the input PDF")
    pdf = pdfium.PdfDocument(source)
    try:
        count = len(pdf)
        numbered: list[tuple[int, Finding, bool]] = []
        touched: dict[int, pdfium.PdfPage] = {}
        for n, f in enumerate(report.findings, 1):
            boxed = False
            for place in f.instances or (f,):  # a finding grouped by cause is boxed at every instance
                loc = place.location
                if loc.bbox is not None and loc.page is not None and 1 <= loc.page <= count:
                    page = touched.get(loc.page) or pdf[loc.page - 1]
                    touched[loc.page] = page
                    _draw(pdf, page, loc.bbox, f"{n} {f.rule}", SEVERITY_RGB[f.severity])
                    boxed = True
            numbered.append((n, f, boxed))
        for page in touched.values():
            page.gen_content()
        index = pdfium.PdfDocument(_index_pdf(_index_lines(report.source or source, report, numbered)))  # the name the report gives
        index_pages = len(index)
        pdf.import_pages(index)
        index.close()
        write_atomic(out, lambda tmp: pdf.save(str(tmp)))
    finally:
        pdf.close()
    boxes = sum(1 for _, _, boxed in numbered if boxed)
    return Annotated(boxes=boxes, index_only=len(numbered) - boxes, index_pages=index_pages)
