"""The one gate every reader's text passes on its way into the Layout.

A broken text layer or a damaged conversion can hold lone surrogates, control characters and
private-use glyphs (a font's own codes with no Unicode meaning). None of them is text a reader
can trust, and each breaks something downstream (UTF-8 output, xlsx cells, terminals). Each one
becomes U+FFFD, the Unicode replacement character, and the Layout records how many were found:
unreadable text, never silently dropped. The same gate enforces the size limits of ``limits.py``
so that recognition never meets a line or a table larger than any real disclosure.
"""

from __future__ import annotations

import re
from pathlib import Path

from cnbudget.errors import InputError
from cnbudget.i18n import Message
from cnbudget.ingest.plausible import judge
from cnbudget.limits import MAX_GRID_CELLS, MAX_GRID_COLUMNS, MAX_LINE_CHARS, MAX_TEXT_CHARS
from cnbudget.model import Grid, Layout, Line
from cnbudget.safe_text import utf8

UNREADABLE = "\ufffd"
# C0 and C1 controls (tab, newline and friends are whitespace: they become a space), DEL, lone
# surrogates, private-use areas, and the non-characters U+FFFE/U+FFFF.
_WHITESPACE_CONTROLS = re.compile(r"[\t\n\r\f\v]")
_BAD = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff\ufffe\uffff\U000f0000-\U0010ffff]")


def clean(text: str) -> tuple[str, int]:
    """Text with every unreadable character replaced by U+FFFD, and how many were replaced."""
    if text.isprintable():
        return text, 0
    text = _WHITESPACE_CONTROLS.sub(" ", text)
    cleaned, count = _BAD.subn(UNREADABLE, text)
    return cleaned, count


def check_text_extent(text: str, name: str) -> None:
    """Refuse a converted text larger than any disclosure, or with a line no disclosure prints."""
    if len(text) > MAX_TEXT_CHARS:
        raise InputError(Message("errors.input.too_many_chars", name=name, count=f"{len(text):,}", limit=f"{MAX_TEXT_CHARS:,}"))
    for number, line in enumerate(text.split("\n"), start=1):  # an editor's line numbers: "\n" only
        if len(line) > MAX_LINE_CHARS:
            raise InputError(Message("errors.input.long_line", name=name, line=number, count=f"{len(line):,}", limit=f"{MAX_LINE_CHARS:,}"))


def sanitize_layout(layout: Layout) -> Layout:
    """Clean every Line and Cell of ``layout`` in place; refuse a line or grid beyond the limits."""
    layout.source = utf8(layout.source)  # a file name that is not UTF-8 is shown, never re-opened, from here
    name = Path(layout.source).name
    replaced = 0
    for block in layout.blocks:
        if isinstance(block, Line):
            _check_line(block.text, name, block.page, block.line)
            block.text, n = clean(block.text)
            replaced += n
            continue
        _check_grid(block, name)
        for row in block.rows:
            for cell in row:
                _check_line(cell.text, name, cell.page, cell.line)
                cell.text, n = clean(cell.text)
                replaced += n
    if replaced:
        layout.notes.append(Message("ingest.note.unreadable_characters", count=replaced, mark=UNREADABLE))
    if layout.format != "pdf":  # a PDF's pages are judged one by one as they are read (ingest/pdf.py)
        refuse_implausible(layout, name)
    return layout


def refuse_implausible(layout: Layout, name: str) -> None:
    """Refuse a text that is valid Unicode but not Chinese anyone printed (decoded with the wrong table).

    Refused, not read with a warning: every title, label and sentence of it would be wrong, so the
    tables would not be found and each would be reported missing; only the user can decode it again."""
    texts: list[str] = []
    for block in layout.blocks:
        if isinstance(block, Line):
            texts.append(block.text)
        else:
            texts.extend(cell.text for row in block.rows for cell in row)
    found = judge("\n".join(texts))
    if found.implausible:
        share = max(found.rare_share, 1 - found.pair_share if found.pairs else 0.0)
        raise InputError(Message("errors.input.implausible_text", name=name, share=f"{share:.0%}"))


def _where(page: int | None, line: int) -> Message:
    return Message("errors.input.at_page", page=page) if page is not None else Message("errors.input.at_line", line=line)


def _check_line(text: str, name: str, page: int | None, line: int) -> None:
    if len(text) > MAX_LINE_CHARS:
        raise InputError(
            Message("errors.input.long_text", name=name, where=_where(page, line), count=f"{len(text):,}", limit=f"{MAX_LINE_CHARS:,}")
        )


def _check_grid(grid: Grid, name: str) -> None:
    width = max((len(r) for r in grid.rows), default=0)
    if width > MAX_GRID_COLUMNS:
        raise InputError(
            Message("errors.input.wide_table", name=name, where=_where(grid.page, grid.line), count=f"{width:,}", limit=MAX_GRID_COLUMNS)
        )
    cells = sum(len(r) for r in grid.rows)
    if cells > MAX_GRID_CELLS:
        where = _where(grid.page, grid.line)
        raise InputError(Message("errors.input.big_table", name=name, where=where, count=f"{cells:,}", limit=f"{MAX_GRID_CELLS:,}"))
