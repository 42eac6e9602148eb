"""A PDF file into a Layout: opening it (or saying in one sentence why not), page after page, continued grids."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pypdfium2 as pdfium

from cnbudget.errors import InputError
from cnbudget.i18n import Message
from cnbudget.ingest import progress
from cnbudget.ingest.pdf.grids import PageGrid, round_box, to_grid
from cnbudget.ingest.pdf.lines import lowest_confidence
from cnbudget.ingest.pdf.page import TextLine, read_page
from cnbudget.ingest.pdf.ruling import EDGE_TOL
from cnbudget.limits import MAX_PAGES
from cnbudget.model import Layout, Line
from cnbudget.reasons import os_reason
from cnbudget.specs.pdf_reading import pdf_reading

BLANK_PAGE_MARGIN = 18.0  # points: a blank page's box (where a finding about it is drawn) inside its edges
REOPEN_EVERY = 100  # pages: reopen the document this often to drop PDFium's per-document caches



def open_pdf(path: str) -> pdfium.PdfDocument:
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
        raise InputError(Message("errors.input.pdf_cannot_open", path=path, why=os_reason(exc))) from None
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


def _is_furniture(block: TextLine | PageGrid) -> bool:
    """Page numbers, 续表 marks and unit lines: not titles, so they do not end a table."""
    return isinstance(block, TextLine) and pdf_reading().page_furniture.match(block.text) is not None


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
    doc = open_pdf(source)
    try:
        n_pages = len(doc)
        if n_pages > MAX_PAGES:
            raise InputError(
                Message("errors.input.pdf_too_many_pages", name=Path(source).name, count=f"{n_pages:,}", limit=f"{MAX_PAGES:,}")
            )
        layout = Layout(source=source, format="pdf", page_count=n_pages)
        prev_grid: PageGrid | None = None  # last grid of the last page with content, if nothing followed it
        for index in range(n_pages):
            if index and index % REOPEN_EVERY == 0:
                # PDFium keeps every page's parsed resources cached in the document; starting
                # afresh keeps memory flat on long files at the cost of re-reading the xref.
                doc.close()
                doc = open_pdf(source)
            result = read_page(doc, index, source, ocr)
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
                if isinstance(block, TextLine):
                    layout.blocks.append(Line(block.text, page_no, line_no, round_box(block.bbox), lowest_confidence(block.units)))
                    line_no += 1
                    continue
                grid = to_grid(block, page_no, line_no)
                if block is first and prev_grid is not None and _same_columns(prev_grid.xs, block.xs):
                    grid.continued = True
                layout.blocks.append(grid)
                line_no += len(block.rows)
            last = content[-1] if content else None
            prev_grid = last if isinstance(last, PageGrid) else None
        return layout
    finally:
        doc.close()
