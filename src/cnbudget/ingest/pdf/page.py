"""One page read: its characters and ink, image-only parts through OCR, then its blocks in reading order."""

from __future__ import annotations

from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from cnbudget.errors import InputError
from cnbudget.i18n import Message
from cnbudget.ingest.pdf.blocks import TextLine, page_content
from cnbudget.ingest.pdf.chars import Display, text_units
from cnbudget.ingest.pdf.grids import PageGrid
from cnbudget.ingest.pdf.image_text import ocr_regions, read_image_text
from cnbudget.ingest.pdf.ruling import InkCollector
from cnbudget.ingest.plausible import implausible
from cnbudget.limits import MAX_PAGE_OBJECTS

GARBLED_SHARE = 0.5  # a text layer with more unmappable characters than this is not trusted


@dataclass
class PageResult:
    blocks: list[tuple[float, TextLine | PageGrid]]  # (top, block) in reading order
    width: float
    ocr: bool = False
    unread: bool = False
    blank: bool = False  # no text, no image, no curve: nothing a reader sees (ruling lines at most)
    ruled: bool = False
    height: float = 0.0
    notes: list[str] = field(default_factory=list)


def read_page(doc: pdfium.PdfDocument, index: int, source: str, ocr: bool) -> PageResult:
    """Read page ``index``: InputError only for a page PDFium cannot load; anything else unread is a note."""
    try:
        page = doc[index]
    except pdfium.PdfiumError:
        raise InputError(Message("errors.input.pdf_page_damaged", path=source, page=index + 1)) from None
    try:
        disp = Display(page)
        objects = pdfium_c.FPDFPage_CountObjects(page.raw)
        if objects > MAX_PAGE_OBJECTS:
            result = PageResult([], disp.width)
            result.unread = True
            result.notes.append(Message("ingest.note.many_objects", page=index + 1, count=f"{objects:,}", limit=f"{MAX_PAGE_OBJECTS:,}"))
            return result
        try:
            textpage = page.get_textpage()
        except pdfium.PdfiumError:
            raise InputError(Message("errors.input.pdf_text_damaged", path=source, page=index + 1)) from None
        try:
            units, unmapped = text_units(textpage, disp)
        finally:
            textpage.close()
        result = PageResult([], disp.width)
        garbled = len(unmapped)
        if garbled > GARBLED_SHARE * (len(units) + garbled) and garbled >= 20:
            result.notes.append(Message("ingest.note.undecodable", page=index + 1))
            units = []
        elif implausible("".join(u.text for u in units)):  # valid characters, not the printed ones (a wrong ToUnicode map)
            result.notes.append(Message("ingest.note.implausible", page=index + 1))
            garbled, units = len(units), []
        else:  # a few glyphs with no text stay where they stand, as U+FFFD: a misread, never a silent gap
            units = units + unmapped
        ink = InkCollector(disp).collect(page)
        # a text layer that cannot be decoded: its glyphs are drawn (the page looks right), so the page is its image
        whole = units == [] and garbled > 0
        regions = [(0.0, 0.0, disp.width, disp.height)] if whole else ocr_regions(units, ink, disp.width, disp.height)
        if regions:
            if ocr:
                found = read_image_text(page, disp, regions, index + 1)
                units.extend(found.units)
                ink.h.extend(found.h)
                ink.v.extend(found.v)
                result.ocr = found.read
                if found.note is not None:
                    result.unread = True
                    result.notes.append(found.note)
            else:
                result.unread = True
                result.notes.append(Message("ingest.note.ocr_off", page=index + 1))
        if not units:
            result.blank = not regions and not ink.images and not ink.curves
            result.ruled, result.height = bool(ink.h or ink.v), disp.height
            if (ink.h or ink.v) and not result.unread:  # a page not read is no empty table
                result.notes.append(Message("ingest.note.ruling_only", page=index + 1))
            return result
        result.blocks = page_content(units, ink.h, ink.v, disp.width)
        return result
    finally:
        page.close()
