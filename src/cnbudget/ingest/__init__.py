"""Readers: one per source format, each producing the same Layout."""

from __future__ import annotations

from pathlib import Path

from cnbudget.errors import InputError
from cnbudget.i18n import Message
from cnbudget.ingest.sanitize import sanitize_layout
from cnbudget.limits import MAX_FILE_BYTES
from cnbudget.model import Layout
from cnbudget.safe_text import plain


def read_layout(path: str, *, ocr: bool = True) -> Layout:
    """Read any supported file into a Layout, choosing the reader by content, not by name."""
    p = Path(path)
    if not p.exists():
        raise InputError(Message("errors.input.not_found", path=plain(path)))
    if p.is_dir():
        raise InputError(Message("errors.input.is_directory", path=plain(path)))
    try:
        size = p.stat().st_size
        with p.open("rb") as fh:
            head = fh.read(1024)
    except OSError as exc:
        raise InputError(Message("errors.input.cannot_open", path=plain(path), why=plain(exc.strerror or exc))) from None
    if size == 0:
        raise InputError(Message("errors.input.empty", name=plain(p.name)))
    if size > MAX_FILE_BYTES:
        limit = MAX_FILE_BYTES // (1024 * 1024)
        raise InputError(Message("errors.input.too_large", name=plain(p.name), size=size // (1024 * 1024), limit=limit))
    if head.lstrip(b"\x00\t\r\n ").startswith(b"%PDF") or p.suffix.lower() == ".pdf":
        from cnbudget.ingest.pdf import read_pdf

        return sanitize_layout(read_pdf(str(p), ocr=ocr))
    from cnbudget.ingest.text import read_text

    return sanitize_layout(read_text(str(p)))
