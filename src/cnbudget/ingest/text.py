"""Reader for PDF-to-text conversions (MinerU, marker and the like): markdown or plain text.

Tables arrive as tab-separated rows or markdown pipe rows; everything else is running text (with
lines a plain-text extraction glued across a page break split apart: ingest/plaintext.py).
This reader only splits the file into Lines and Grids with their line numbers. It does not
decide what a table is or what a number means: that is recognition's job.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from cnbudget.errors import InputError
from cnbudget.i18n import Message
from cnbudget.ingest.plaintext import split_glued
from cnbudget.ingest.sanitize import check_text_extent
from cnbudget.model import Cell, Grid, Layout, Line
from cnbudget.reasons import os_reason

_MD_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_HTML_TAG = re.compile(r"<[^>]{1,200}>")
_HEADING = re.compile(r"^#{1,6}\s+")
_PAGE_MARK = re.compile(r"^\s*-\s*\d{1,4}\s*-\s*$")  # '- 6 -' page numbers left by a converter


def decode(data: bytes, name: str) -> str:
    """Decode a converted text file; refuse what is clearly not text."""
    if not data.strip():
        raise InputError(Message("errors.input.empty", name=name))
    if data.startswith(b"%PDF"):
        raise InputError(Message("errors.input.text_is_pdf", name=name))
    sample = data[:65536]
    if b"\x00" in sample:
        raise InputError(Message("errors.input.binary", name=name))
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InputError(Message("errors.input.not_text", name=name))
    controls = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > len(text[:65536]) * 0.01:
        raise InputError(Message("errors.input.binary", name=name))
    return text


def clean_cell(text: str) -> str:
    """Cell text as printed: HTML fragments from the converter removed, outer space stripped."""
    if "<" in text:
        text = _HTML_TAG.sub(" ", text)
        text = text.replace("&nbsp;", " ").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
        text = re.sub(r"[ \t]{2,}", " ", text)
    return text.strip()


def _pipe_cells(line: str) -> list[str]:
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|"):
        body = body[:-1]
    return body.split("|")


def read_text(path: str) -> Layout:
    """Read a converted disclosure into a Layout of Lines and Grids."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(Message("errors.input.cannot_open", path=path, why=os_reason(exc))) from None
    text = decode(data, p.name)
    check_text_extent(text, p.name)
    return layout_from_text(text, str(path))


def numbered_lines(text: str) -> Iterator[tuple[int, str]]:
    """Each printed line with the number an editor shows for it.

    Only "\\n" ends an editor line. A form feed (a page break in pdfplumber and pdftotext output) or another
    separator ``str.splitlines`` knows (\\v, \\x1c–\\x1e, \\x85, U+2028/2029, a lone \\r) still separates two
    printed lines, but both keep the number of the editor line they stand on."""
    for number, raw in enumerate(text.split("\n"), start=1):
        for part in raw.splitlines() or [""]:
            yield number, part


def layout_from_text(text: str, source: str) -> Layout:
    layout = Layout(source=source, format="text")
    blocks = layout.blocks
    rows: list[list[Cell]] = []
    grid_start = 0
    grid_kind = ""

    def flush() -> None:
        nonlocal rows, grid_kind
        if rows:
            blocks.append(Grid(rows=rows, page=None, line=grid_start))
        rows = []
        grid_kind = ""

    for number, line in numbered_lines(text):
        stripped = line.strip()
        if stripped.startswith("|") and stripped.count("|") >= 2:
            if _MD_SEPARATOR.match(stripped):
                continue
            if grid_kind != "pipe":
                flush()
                grid_kind, grid_start = "pipe", number
            rows.append([Cell(clean_cell(c), None, number) for c in _pipe_cells(stripped)])
            continue
        if "\t" in line and line.strip("\t ").strip():
            if grid_kind != "tab":
                flush()
                grid_kind, grid_start = "tab", number
            rows.append([Cell(clean_cell(c), None, number) for c in line.split("\t")])
            continue
        flush()
        if not stripped or _PAGE_MARK.match(stripped):
            continue
        for part in split_glued(clean_cell(_HEADING.sub("", stripped))):
            blocks.append(Line(text=part, page=None, line=number))
    flush()
    if not blocks:
        raise InputError(Message("errors.input.no_text", name=source))
    return layout
