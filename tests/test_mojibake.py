"""True mojibake: text that is valid Unicode but not the characters printed (ingest/plausible.py).

A PDF page whose fonts' ToUnicode maps send each glyph to another Hanzi looks right and gives wrong
text; a text file of GBK bytes read as Latin-1, or of UTF-8 bytes read as GBK, is all valid characters.
The PDFs are real samples with one page's maps rewritten (tests/scrambled_pdf.py); the texts are a real
seed decoded wrongly. And no page or text of the shared documents is taken for mojibake.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from typer.testing import CliRunner

from cnbudget.api import check_each, check_one
from cnbudget.cli import app
from cnbudget.errors import InputError
from cnbudget.ingest import read_layout
from cnbudget.ingest.plausible import judge
from cnbudget.model import Grid
from cnbudget.pipeline import read_disclosure
from cnbudget.rules.registry import Config
from conftest import SEED_FILES, SHARED
from scrambled_pdf import scrambled_copy

WILD = SHARED / "samples" / "wild"
TABLES = WILD / "js-cppcc-2018-dept-budget-tables.pdf"  # p.3 prints the 支出表 (公开03表)
NARRATIVE = WILD / "js-cppcc-2018-dept-budget.pdf"
runner = CliRunner()


def _page_text(path: Path, page: int) -> str:
    doc = pdfium.PdfDocument(str(path))
    try:
        textpage = doc[page - 1].get_textpage()
        return str(textpage.get_text_range())
    finally:
        doc.close()


@pytest.mark.parametrize("how", ["shift", "permute"])
def test_the_made_page_really_prints_other_characters(tmp_path: Path, how: str) -> None:
    path = scrambled_copy(TABLES, 3, tmp_path / TABLES.name, how)
    before, after = _page_text(TABLES, 3), _page_text(path, 3)
    assert "支出预算总表" in before and "支出" not in after and len(after) == len(before)
    assert _page_text(path, 2) == _page_text(TABLES, 2)  # the other pages keep their own fonts
    judged = judge(after)
    assert judged.implausible and not judge(before).implausible
    if how == "permute":  # common characters, wrong words: only the pairs tell
        assert judged.rare == 0 and judged.pair_share < 0.1


@pytest.mark.parametrize("how", ["shift", "permute"])
def test_a_scrambled_page_is_not_read_with_ocr_off(tmp_path: Path, how: str) -> None:
    path = scrambled_copy(TABLES, 3, tmp_path / TABLES.name, how)
    d = read_disclosure(str(path), ocr=False)
    assert d.unread_pages == [3]
    assert any("page 3: the text layer does not read as printed Chinese" in n for n in d.notes), d.notes
    assert not any("page 3: no text, only ruling lines" in n for n in d.notes)  # not read, not blank
    assert [(a.what, a.code, a.detail) for a in d.absent] == [("支出表", "unread", "3")]
    plain = read_disclosure(str(TABLES), ocr=False)
    assert [t.name for t in d.tables] == [t.name for t in plain.tables if t.name != "支出表"]  # the rest as before
    assert [f.rule for f in check_one(d).findings if f.rule in ("C001", "C005")] == ["C005"]


def test_a_scrambled_page_is_read_from_its_image(tmp_path: Path) -> None:
    path = scrambled_copy(TABLES, 3, tmp_path / TABLES.name, "shift")
    layout = read_layout(str(path), ocr=True)
    assert layout.ocr_pages == [3] and layout.unread_pages == []
    cells = {c.text for b in layout.blocks if isinstance(b, Grid) and b.page == 3 for row in b.rows for c in row}
    assert {"10,150.48", "5,678.17", "3,314.68", "1,157.63"} <= cells  # the 合计 row, as the page prints it


@cache
def _seed_text() -> str:
    return SEED_FILES["003"].read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "wrong"),
    [
        ("gbk-as-latin1.txt", lambda t: t.encode("gbk", errors="replace").decode("latin-1")),
        ("utf8-as-gbk.txt", lambda t: t.encode("utf-8").decode("gbk", errors="replace")),
    ],
)
def test_a_wrongly_decoded_text_is_refused_in_one_sentence(tmp_path: Path, name: str, wrong: Callable[[str], str]) -> None:
    """Refused, not read with a warning: every title, label and sentence would be wrong, so every table would be
    reported missing (C001, false) and nothing right could be said; the user can decode it again."""
    path = tmp_path / name
    path.write_text(wrong(_seed_text()), encoding="utf-8")
    with pytest.raises(InputError) as raised:
        read_disclosure(str(path))
    assert raised.value.args and "does not read as printed Chinese" in str(raised.value)
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output and name in result.output


def test_the_right_decoding_of_the_same_seed_is_read(tmp_path: Path) -> None:
    path = tmp_path / "gbk.txt"
    path.write_bytes(_seed_text().encode("gb18030"))  # a GBK file as published: decoded by its own table
    assert read_disclosure(str(path)).tables


def _shared_documents() -> list[Path]:
    found = [*sorted((SHARED / "seeds").glob("*.txt")), *sorted((SHARED / "samples").rglob("*.pdf")), *sorted(WILD.glob("*.txt"))]
    return [p for p in found if p.is_file()]


@pytest.mark.parametrize("path", _shared_documents(), ids=lambda p: p.name)
def test_no_shared_document_is_taken_for_mojibake(path: Path) -> None:
    if path.suffix == ".pdf":
        doc = pdfium.PdfDocument(str(path))
        try:
            texts = [str(page.get_textpage().get_text_range()) for page in doc]
        finally:
            doc.close()
    else:
        texts = [path.read_text(encoding="utf-8")]
    assert [i + 1 for i, text in enumerate(texts) if judge(text).implausible] == []


# --------------------------------------------------------------------------------------------
# A disclosure published as two files: an unread page is named with its file
# --------------------------------------------------------------------------------------------


def test_unread_pages_of_a_disclosure_in_two_files_name_their_file(tmp_path: Path) -> None:
    tables = scrambled_copy(TABLES, 3, tmp_path / TABLES.name, "shift")
    [checked] = check_each([str(NARRATIVE), str(tables)], Config(), ocr=False)
    report = checked.report
    assert report is not None and checked.source == f"{NARRATIVE} + {tables}"
    [c005] = [f for f in report.findings if f.rule == "C005"]
    assert f"page(s) 3 of {TABLES.name}" in c005.text("en") and f"{TABLES.name}第3页" in c005.text("zh")
    [c006] = [c for c in report.coverage if c.rule == "C006"]
    assert c006.status == "not checked" and c006.codes == ("pages_not_read_in",)
    assert f"page(s) 3 of {TABLES.name}" in c006.text("en") and f"{TABLES.name}第3页未能读取" in c006.text("zh")
    d = read_disclosure(str(NARRATIVE), ocr=False), read_disclosure(str(tables), ocr=False)
    from cnbudget.recognize.parts import merge_parts

    merged = merge_parts(list(d))
    assert merged.unread_files == {str(tables): [3]} and merged.unread_pages == [3]
    page_notes = [n for n in merged.notes if "page 3" in n]
    assert page_notes and all(n.startswith(f"{TABLES.name}: ") for n in page_notes)
    assert [a.code for a in merged.absent] == ["unread_in"]


def test_a_single_file_still_names_pages_alone(tmp_path: Path) -> None:
    tables = scrambled_copy(TABLES, 3, tmp_path / TABLES.name, "shift")
    d = read_disclosure(str(tables), ocr=False)
    assert d.unread_files == {}
    [c005] = [f for f in check_one(d).findings if f.rule == "C005"]
    assert "page(s) 3 could not be read" in c005.text("en")
