"""Readers: one per source format, each producing the same Layout."""

from __future__ import annotations

from pathlib import Path

from cnbudget.errors import InputError
from cnbudget.ingest.sanitize import sanitize_layout
from cnbudget.limits import MAX_FILE_BYTES
from cnbudget.model import Layout
from cnbudget.safe_text import plain


def read_layout(path: str, *, ocr: bool = True) -> Layout:
    """Read any supported file into a Layout, choosing the reader by content, not by name."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"{plain(path)} does not exist.")
    if p.is_dir():
        raise InputError(f"{plain(path)} is a directory, not a file.")
    try:
        size = p.stat().st_size
        with p.open("rb") as fh:
            head = fh.read(1024)
    except OSError as exc:
        raise InputError(f"{plain(path)} cannot be opened: {plain(exc.strerror or exc)}.") from None
    if size == 0:
        raise InputError(f"{plain(p.name)} is empty: there is nothing to read.")
    if size > MAX_FILE_BYTES:
        limit = MAX_FILE_BYTES // (1024 * 1024)
        raise InputError(f"{plain(p.name)} is {size // (1024 * 1024)} MB, larger than any disclosure cnbudget reads ({limit} MB).")
    if head.lstrip(b"\x00\t\r\n ").startswith(b"%PDF") or p.suffix.lower() == ".pdf":
        from cnbudget.ingest.pdf import read_pdf

        return sanitize_layout(read_pdf(str(p), ocr=ocr))
    from cnbudget.ingest.region_workbook import is_workbook, read_region_workbook

    if is_workbook(head):
        return sanitize_layout(read_region_workbook(str(p)))
    from cnbudget.ingest.text import read_text

    return sanitize_layout(read_text(str(p)))
