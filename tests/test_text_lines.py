"""Line numbers of a text source are the ones an editor shows: only "\\n" ends a line.

A form feed (pdfplumber and pdftotext put one between pages) is a page break inside a line; it still
separates two printed lines, but both carry the number of the editor line they stand on.
"""

from __future__ import annotations

import re

import pytest

from cnbudget.errors import InputError
from cnbudget.ingest.sanitize import check_text_extent
from cnbudget.ingest.text import layout_from_text, numbered_lines
from cnbudget.limits import MAX_LINE_CHARS
from cnbudget.model import Grid, Line
from conftest import SEED_FILES, SHARED

WANLI_TEXT = SHARED / "samples" / "wild" / "shpt-wanli-2024-dept-budget.pdfplumber.txt"


def _bare(text: str) -> str:
    """Text without whitespace and the converter's HTML fragments (cells are read without them)."""
    return re.sub(r"\s+", "", re.sub(r"<[^>]*>|&nbsp;", "", text))


def _texts_by_line(path: str, text: str) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    for block in layout_from_text(text, path).blocks:
        if isinstance(block, Line):
            out.append((block.line, block.text))
        elif isinstance(block, Grid):
            out.extend((cell.line, cell.text) for row in block.rows for cell in row if cell.text)
    return out


def test_separators_other_than_newline_split_printed_lines_but_not_line_numbers() -> None:
    text = "第一行\r\n第二行\f第二页第一行\n\n第四行\v同一行\u2028还是同一行\n甲\t乙\f丙\t丁\n"
    assert list(numbered_lines(text))[:5] == [(1, "第一行"), (2, "第二行"), (2, "第二页第一行"), (3, ""), (4, "第四行")]
    assert _texts_by_line("t.txt", text) == [
        (1, "第一行"),
        (2, "第二行"),
        (2, "第二页第一行"),
        (4, "第四行"),
        (4, "同一行"),
        (4, "还是同一行"),
        (5, "甲"),
        (5, "乙"),
        (5, "丙"),
        (5, "丁"),
    ]


@pytest.mark.parametrize("path", [WANLI_TEXT, *SEED_FILES.values()], ids=lambda p: p.name)
def test_every_line_read_stands_on_the_line_an_editor_shows(path) -> None:  # type: ignore[no-untyped-def]
    text = path.read_text(encoding="utf-8")
    editor = text.split("\n")
    read = _texts_by_line(str(path), text)
    assert read
    misplaced = [(n, t) for n, t in read if _bare(t) not in _bare(editor[n - 1])]
    assert not misplaced, misplaced[:5]


def test_wanli_text_lines_past_the_form_feeds() -> None:
    """The 三公 sentence of the Wanli 2024 text is on line 454 in an editor (31 form feeds stand before it)."""
    text = WANLI_TEXT.read_text(encoding="utf-8")
    assert text[: text.index("2024年“三公”经费预算数为47.91万元")].count("\f") == 31
    lines = [n for n, t in _texts_by_line(str(WANLI_TEXT), text) if t.startswith("2024年“三公”经费预算数为47.91万元")]
    assert lines == [454]


def test_an_over_long_line_is_named_by_its_editor_number() -> None:
    text = "a\fb\n" + "x" * (MAX_LINE_CHARS + 1) + "\n"
    with pytest.raises(InputError, match="line 2 "):
        check_text_extent(text, "t.txt")
