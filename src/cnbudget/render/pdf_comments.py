"""PDF comments (annotations) for findings: what every viewer lists in its comments panel.

A finding with a box becomes a Square annotation on that box; a finding with a page but no box a Text
annotation (a sticky note) in the page's top margin. /Contents holds the message, /T the rule id,
/NM the finding's stable id, /Subj its severity. Rects are in PDF user space (the caller converts from
the displayed page). ``read_comments`` reads them back, for tests and for anyone checking a copy.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

RGB = tuple[int, int, int]
Rect = tuple[float, float, float, float]  # left, bottom, right, top in PDF user space


@dataclass(frozen=True)
class Comment:
    """One annotation as read back: its page (1-based), subtype, rect and strings."""

    page: int
    subtype: str
    rect: Rect
    title: str
    contents: str
    name: str


_SUBTYPES = {pdfium_c.FPDF_ANNOT_SQUARE: "Square", pdfium_c.FPDF_ANNOT_TEXT: "Text"}


def _wide(text: str) -> ctypes.Array[ctypes.c_char]:
    return ctypes.create_string_buffer((text + "\x00").encode("utf-16-le"))


def add_comment(page: pdfium.PdfPage, rect: Rect, *, boxed: bool, rgb: RGB, title: str, contents: str, name: str, subject: str) -> None:
    """Add one annotation to ``page``: Square on ``rect`` when ``boxed``, else a sticky note there."""
    subtype = pdfium_c.FPDF_ANNOT_SQUARE if boxed else pdfium_c.FPDF_ANNOT_TEXT
    annot = pdfium_c.FPDFPage_CreateAnnot(page.raw, subtype)
    if not annot:
        raise pdfium.PdfiumError("pdfium could not create an annotation")
    try:
        left, bottom, right, top = rect
        fs = pdfium_c.FS_RECTF(left, top, right, bottom)
        pdfium_c.FPDFAnnot_SetRect(annot, ctypes.byref(fs))
        pdfium_c.FPDFAnnot_SetColor(annot, pdfium_c.FPDFANNOT_COLORTYPE_Color, *rgb, 255)
        if boxed:
            pdfium_c.FPDFAnnot_SetBorder(annot, ctypes.c_float(0), ctypes.c_float(0), ctypes.c_float(1.2))
        pdfium_c.FPDFAnnot_SetFlags(annot, pdfium_c.FPDF_ANNOT_FLAG_PRINT)
        for key, value in (("Contents", contents), ("T", title), ("NM", name), ("Subj", subject)):
            if value:
                buffer = _wide(value)
                pdfium_c.FPDFAnnot_SetStringValue(annot, key.encode("ascii"), ctypes.cast(buffer, pdfium_c.FPDF_WIDESTRING))
    finally:
        pdfium_c.FPDFPage_CloseAnnot(annot)


def _string(annot: pdfium_c.FPDF_ANNOTATION, key: str) -> str:
    size = pdfium_c.FPDFAnnot_GetStringValue(annot, key.encode("ascii"), None, 0)
    if size <= 2:
        return ""
    buffer = ctypes.create_string_buffer(size)
    pdfium_c.FPDFAnnot_GetStringValue(annot, key.encode("ascii"), ctypes.cast(buffer, ctypes.POINTER(pdfium_c.FPDF_WCHAR)), size)
    return buffer.raw[: size - 2].decode("utf-16-le")


def read_comments(pdf: pdfium.PdfDocument) -> list[Comment]:
    """Every Square and Text annotation of ``pdf``, page by page."""
    out: list[Comment] = []
    for number in range(1, len(pdf) + 1):
        page = pdf[number - 1]
        for i in range(pdfium_c.FPDFPage_GetAnnotCount(page.raw)):
            annot = pdfium_c.FPDFPage_GetAnnot(page.raw, i)
            try:
                kind = _SUBTYPES.get(pdfium_c.FPDFAnnot_GetSubtype(annot))
                if kind is None:
                    continue
                fs = pdfium_c.FS_RECTF()
                pdfium_c.FPDFAnnot_GetRect(annot, ctypes.byref(fs))
                rect = (fs.left, min(fs.bottom, fs.top), fs.right, max(fs.bottom, fs.top))
                out.append(Comment(number, kind, rect, _string(annot, "T"), _string(annot, "Contents"), _string(annot, "NM")))
            finally:
                pdfium_c.FPDFPage_CloseAnnot(annot)
    return out
