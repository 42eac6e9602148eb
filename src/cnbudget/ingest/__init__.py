"""Readers: one per source format, each producing the same Layout."""

from __future__ import annotations

from pathlib import Path

from cnbudget.errors import InputError
from cnbudget.ingest.sanitize import sanitize_layout
from cnbudget.model import Layout

MAX_BYTES = 512 * 1024 * 1024  # a disclosure is a few MB; anything this large is not one


def read_layout(path: str, *, ocr: bool = True) -> Layout:
    """Read any supported file into a Layout, choosing the reader by content, not by name."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"{path} does not exist.")
    if p.is_dir():
        raise InputError(f"{path} is a directory, not a file.")
    size = p.stat().st_size
    if size == 0:
        raise InputError(f"{p.name} is empty: there is nothing to read.")
    if size > MAX_BYTES:
        raise InputError(f"{p.name} is {size // (1024 * 1024)} MB, larger than any disclosure cnbudget reads (512 MB).")
    with p.open("rb") as fh:
        head = fh.read(1024)
    if head.lstrip(b"\x00\t\r\n ").startswith(b"%PDF") or p.suffix.lower() == ".pdf":
        from cnbudget.ingest.pdf import read_pdf

        return sanitize_layout(read_pdf(str(p), ocr=ocr))
    from cnbudget.ingest.text import read_text

    return sanitize_layout(read_text(str(p)))
