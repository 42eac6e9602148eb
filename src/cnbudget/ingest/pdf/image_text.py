"""Text that is only in pixels: which parts of a page to OCR, and their words and ruling lines (through ocr.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pypdfium2 as pdfium

from cnbudget.i18n import Message
from cnbudget.ingest.pdf.chars import Display, Unit, squash_spaces
from cnbudget.ingest.pdf.ruling import Ink, Ruling
from cnbudget.limits import MAX_OCR_ASPECT, MAX_OCR_PIXELS
from cnbudget.model import BBox
from cnbudget.reasons import ocr_reason

BIG_IMAGE_SHARE = 0.10  # images covering this share of the page may hold text to OCR


def ocr_regions(units: list[Unit], ink: Ink, width: float, height: float) -> list[BBox]:
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


@dataclass
class ImageText:
    """What OCR read on a page: words as units, ruling lines, and a note when (part of) it was not read."""

    units: list[Unit] = field(default_factory=list)
    h: list[Ruling] = field(default_factory=list)
    v: list[Ruling] = field(default_factory=list)
    read: bool = False
    note: Message | None = None


def read_image_text(page: pdfium.PdfPage, disp: Display, regions: list[BBox], page_no: int) -> ImageText:
    """OCR the regions of a page; a page beyond the limits or a failing OCR gives a note, never an exception."""
    from cnbudget.ingest import ocr as ocr_module  # imported on demand: loads ONNX models

    out = ImageText()
    # the page is rendered whole: both sides count, or one tall strip takes gigabytes
    pixels = int(disp.width * disp.height * ocr_module.RENDER_SCALE**2)
    try:
        if pixels > MAX_OCR_PIXELS:
            raise OcrRefused(Message("ingest.note.too_many_pixels", pixels=f"{pixels / 1e6:,.0f}", limit=f"{MAX_OCR_PIXELS / 1e6:,.0f}"))
        aspect = max(disp.width, disp.height) / max(min(disp.width, disp.height), 1.0)
        if aspect > MAX_OCR_ASPECT:
            raise OcrRefused(Message("ingest.note.too_long", ratio=f"{aspect:,.0f}", limit=MAX_OCR_ASPECT))
        for region in regions:
            found = ocr_module.ocr_region(page, region)
            out.units.extend(
                Unit(
                    squash_spaces(w.text),
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
            out.h.extend(Ruling(*r) for r in found.h_rules)
            out.v.extend(Ruling(*r) for r in found.v_rules)
        out.read = True
    except OcrRefused as exc:
        out.note = Message("ingest.note.ocr_refused", page=page_no, why=ocr_reason(exc))
    except ocr_module.OcrUnavailable as exc:
        out.note = Message("ingest.note.ocr_unavailable", page=page_no, why=ocr_reason(exc))
    except Exception as exc:  # an OCR failure costs the page's image text, not the document
        out.note = Message("ingest.note.ocr_failed", page=page_no, why=ocr_reason(exc))
    return out
