"""Readers: one per source format (PDF, converted text, Word, Excel, web page), each producing the same Layout."""

from __future__ import annotations

from pathlib import Path

from cnbudget.errors import InputError
from cnbudget.i18n import Message, t
from cnbudget.ingest.ole import is_ole
from cnbudget.ingest.sanitize import sanitize_layout
from cnbudget.limits import MAX_FILE_BYTES
from cnbudget.model import Layout
from cnbudget.reasons import os_reason
from cnbudget.safe_text import plain


def read_layout(path: str, *, ocr: bool = True) -> Layout:
    """Read any supported file into a Layout, choosing the reader by content, not by name."""
    p = Path(path)
    try:
        exists, folder = p.exists(), p.is_dir()
    except OSError as exc:  # a name the file system refuses (too long, …)
        raise InputError(Message("errors.input.cannot_open", path=plain(path), why=os_reason(exc))) from None
    if not exists:
        raise InputError(Message("errors.input.not_found", path=plain(path)))
    if folder:
        raise InputError(Message("errors.input.is_directory", path=plain(path)))
    try:
        size = p.stat().st_size
        with p.open("rb") as fh:
            head = fh.read(1024)
    except OSError as exc:
        raise InputError(Message("errors.input.cannot_open", path=plain(path), why=os_reason(exc))) from None
    if size == 0:
        raise InputError(Message("errors.input.empty", name=plain(p.name)))
    if size > MAX_FILE_BYTES:
        limit = MAX_FILE_BYTES // (1024 * 1024)
        raise InputError(Message("errors.input.too_large", name=plain(p.name), size=size // (1024 * 1024), limit=limit))
    if head.lstrip(b"\x00\t\r\n ").startswith(b"%PDF") or p.suffix.lower() == ".pdf":
        from cnbudget.ingest.pdf import read_pdf

        return sanitize_layout(read_pdf(str(p), ocr=ocr))
    if head.startswith(b"PK\x03\x04"):
        return sanitize_layout(_read_office(p))
    if is_ole(head):
        return sanitize_layout(_read_legacy(p))
    from cnbudget.ingest.html import looks_like_html

    if looks_like_html(head):
        from cnbudget.ingest.html import read_html

        return sanitize_layout(read_html(str(p)))
    from cnbudget.ingest.text import read_text

    return sanitize_layout(read_text(str(p)))


def _read_office(p: Path) -> Layout:
    """A zip: a Word or an Excel document by the parts it holds, anything else refused."""
    from cnbudget.ingest.office import office_kind, open_archive
    from cnbudget.ingest.xlsx import sheet_names

    with open_archive(p) as archive:
        kind = office_kind(archive)
        names = sheet_names(archive, plain(p.name)) if kind == "xlsx" else []
    if kind == "docx":
        from cnbudget.ingest.docx import read_docx

        return read_docx(str(p))
    if kind == "xlsx":
        from cnbudget.ingest.region_workbook import read_region_workbook
        from cnbudget.ingest.xlsx import read_xlsx
        from cnbudget.specs.region_workbooks import is_own_template, region_workbook_for

        if region_workbook_for(names) is not None or is_own_template(names):
            return read_region_workbook(str(p))  # a region's budget form (or cnbudget's own): by its sheets
        return read_xlsx(str(p))
    raise InputError(t("formats.zip_other", name=plain(p.name)))


def _read_legacy(p: Path) -> Layout:
    """An OLE2 file: a .xls (the workbook readers, through the cell grid) or a .doc (converted by
    LibreOffice, then the Word reader) by the stream it holds; any other one refused."""
    from cnbudget.ingest.ole import ole_kind

    kind = ole_kind(p)
    if kind == "xls":
        from cnbudget.ingest.region_workbook import read_region_workbook
        from cnbudget.ingest.xls import sheet_names
        from cnbudget.ingest.xlsx import read_xlsx
        from cnbudget.specs.region_workbooks import is_own_template, region_workbook_for

        names = sheet_names(p)
        if region_workbook_for(names) is not None or is_own_template(names):
            return read_region_workbook(str(p))
        return read_xlsx(str(p))
    if kind == "doc":
        from cnbudget.ingest.doc import read_doc

        return read_doc(p)
    if kind == "damaged":
        raise InputError(t("formats.ole_broken", name=plain(p.name)))
    raise InputError(t("formats.ole", name=plain(p.name)))
