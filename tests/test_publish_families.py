"""Re-printed Shanghai documents keep their own template's form (issue 14).

`cnbudget build --from` a Shanghai 决算 (../shared/samples/pdf) or a Shanghai 预算 (../shared/samples/wild)
prints the cover lines the original prints, its parts in its own order, numbered as its 目录 numbers
them (第一部分 … 第四部分; or 一、… 七、 over unnumbered headings, tables 1.–9.). Each check compares the
re-printed PDF's pages (read with pypdfium2) with the original's own cover and 目录 pages; the
re-print then reads back with the original's cover, parts and table values.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from typer.testing import CliRunner

from cnbudget.api import build_from
from cnbudget.model import Disclosure, Location, Section, Table
from cnbudget.pipeline import read_disclosure
from cnbudget.publish.build import build_document
from cnbudget.publish.document import unnumbered
from cnbudget.publish.families import family_of, plan
from cnbudget.publish.source_text import source_text
from conftest import SEED_FILES, SHARED
from test_publish_region_workbook import _app

PDFS = SHARED / "samples" / "pdf"
WILD = SHARED / "samples" / "wild"
FINALS = ["putuo-finance-bureau-2024-final", "putuo-planning-resources-2024-final", "shanghai-final-accounts-template-2024"]
BUDGETS = ["shpt-finance-2025-dept-budget", "sh-finance-bureau-2025-unit-budget"]
_PART = re.compile(r"第[一二三四五六七八九十]+部分")


def _pages(path: Path) -> list[str]:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    finally:
        pdf.close()


def _lines(text: str) -> list[str]:
    return [s for line in text.splitlines() if (s := "".join(line.split()))]


def _squash(text: str) -> str:
    return "".join(text.split())


@cache
def _reprinted(path: str, out: str) -> tuple[Disclosure, Path, Disclosure]:
    """The original read, the re-printed PDF and the re-print read back."""
    original = read_disclosure(path)
    package = build_from(path, out, formats=["pdf"])
    return original, package.files["pdf"], read_disclosure(str(package.files["pdf"]))


def _case(name: str, folder: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Disclosure, Path, Disclosure]:
    source = folder / f"{name}.pdf"
    original, pdf, back = _reprinted(str(source), str(tmp_path_factory.mktemp(name)))
    return source, original, pdf, back


def _values(t: Table) -> list[tuple[str, str, str, Decimal]]:
    """Every figure with its row's side and code and its column. (Labels and the order of side-by-side
    rows are left out: the standard 财政拨款收支总表 form prints the rows under 年初财政拨款结转和结余 without
    the 一、二、 some originals give them, and pairs the 人员经费 / 公用经费 rows its own way.)"""
    return sorted((r.side, r.code, v.column, v.amount.value) for r in t.rows for v in r.values if v.amount is not None)


def _contents(pages: list[str], d: Disclosure) -> list[str]:
    """The entries of the 目录 pages (from the one titled 目录 to the page before the body's first
    heading), leaders and page numbers removed."""
    first = next(i for i, p in enumerate(pages[:3]) if "目录" in _squash(p))
    body = min(s.location.page or 0 for s in d.sections) - 1
    entries = [re.sub(r"(?:\.{3,}|…{2,}).*$", "", line) for p in pages[first:body] for line in _lines(p)]
    return [e for e in entries if e and e != "目录" and not re.fullmatch(r"-\d+-", e)]


# -- the Shanghai 决算: 第一部分 … 第四部分 ----------------------------------------------------------------


@pytest.mark.parametrize("name", FINALS)
def test_a_reprinted_final_account_keeps_the_cover_and_the_parts_of_its_template(
    name: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    source, original, pdf, back = _case(name, PDFS, tmp_path_factory)
    theirs, mine = _pages(source), _pages(pdf)
    assert _lines(mine[0]) == _lines(theirs[0])  # the cover, line for line (上海市普陀区规划和自然 / 资源局 / 2024年度部门决算)
    their_contents = "".join(_contents(theirs, original))
    parts = [e for e in _contents(mine, back) if _PART.match(e)]
    assert [_PART.match(e).group() for e in parts] == _PART.findall(their_contents)  # type: ignore[union-attr]
    assert all(e in their_contents for e in parts), parts  # each part heading as the original's 目录 prints it
    # the re-print reads back with the original's cover, its four parts and every table value
    assert [p.text for p in back.cover] == [p.text for p in original.cover]
    assert [s.number for s in back.sections] == ["第一部分", "第二部分", "第三部分", "第四部分"]
    assert [(s.number, s.title) for s in back.sections if s.number != "第二部分"] == [
        (s.number, s.title) for s in original.sections if s.number != "第二部分"
    ]
    for t in original.tables:
        if t.spec_id != "LOCAL":
            got = back.table(t.spec_id)
            assert got is not None and _values(got) == _values(t), t.spec_id


def test_the_tables_part_is_titled_as_the_template_titles_it(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The planning bureau's PDF prints no 第二部分 heading above its tables (its 目录 does): the re-print
    titles the part as the family does, with the department's name, not the standard '2024年度部门决算表'."""
    _source, original, pdf, back = _case("putuo-planning-resources-2024-final", PDFS, tmp_path_factory)
    assert "第二部分" not in [s.number for s in original.sections]
    assert "第二部分上海市普陀区规划和自然资源局2024年度部门决算表" in _contents(_pages(pdf), back)


# -- the Shanghai 预算: unnumbered parts, numbered 一、… in the 目录 ---------------------------------------


@pytest.mark.parametrize("name", BUDGETS)
def test_a_reprinted_budget_keeps_its_order_and_its_contents_numbering(name: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    source, original, pdf, back = _case(name, WILD, tmp_path_factory)
    theirs, mine = _pages(source), _pages(pdf)
    assert _lines(mine[0]) == _lines(theirs[0])  # 上海市普陀区2025年区级部门预算 / 预算主管部门：上海市普陀区财政局
    their_entries, my_entries = _contents(theirs, original), _contents(mine, back)
    parts = {_squash(c) for c in build_document(original).contents if not c.startswith("　")}  # not the sections under a part
    their_parts = [tuple(e.split("、", 1)) for e in their_entries if re.match(r"^[一二三四五六七八九十]+、", e)]
    my_parts = [tuple(e.split("、", 1)) for e in my_entries if re.match(r"^[一二三四五六七八九十]+、", e) and e in parts]
    # the same parts in the same order with the same numbers; the 目录 names a part by its heading in the body
    # ('上海市普陀区财政局主要职能' where the original's 目录 abbreviates it to '部门主要职能')
    assert [n for n, _t in my_parts] == [n for n, _t in their_parts]
    for (_n, mine_title), (_m, their_title) in zip(my_parts, their_parts, strict=True):
        assert mine_title.endswith(re.sub(r"^(部门|单位)", "", their_title)), (mine_title, their_title)
    # the tables numbered 1.–9. as the original numbers them
    tables = [e.replace("．", ".") for e in their_entries if re.match(r"^\d[.．]", e)]
    assert [e for e in my_entries if re.match(r"^\d\.", e)] == tables
    # the body's part headings stay unnumbered, as printed; the re-print reads back with the same cover and parts
    assert [p.text for p in back.cover] == [p.text for p in original.cover]
    assert [(s.number, s.title) for s in back.sections] == [(s.number, s.title) for s in original.sections]


@pytest.mark.parametrize("name", FINALS + BUDGETS)
def test_contents_page_numbers_are_the_pages_the_parts_and_tables_land_on(name: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Each 目录 entry of the re-print, its own number (第二部分 / 五、/ 1.) aside, is printed on the page it gives."""
    _source, _original, pdf, _back = _case(name, PDFS if name in FINALS else WILD, tmp_path_factory)
    pages = _pages(pdf)
    entries = re.findall(r"^\s*(\S[^\r\n]*?)\s*\.{3,}\s*(\d+)\s*$", pages[1], flags=re.M)
    assert len(entries) >= 14
    for title, number in entries:
        wanted = _squash(unnumbered(title))
        assert wanted in _squash(pages[int(number)]), (title, number)  # printed page n is page index n (the cover is unnumbered)


def test_build_from_a_pdf_on_the_command_line(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(
        _app(), ["build", "--from", str(WILD / "shpt-govoffice-2025-unit-budget.pdf"), "-o", str(out), "-f", "docx", "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    built = Disclosure.model_validate_json((out / "2025预算.disclosure.json").read_text(encoding="utf-8"))
    assert [p.text for p in built.cover] == ["上海市普陀区2025年区级单位预算", "预算单位：上海市普陀区人民政府办公室"]
    assert (out / "2025预算.docx").stat().st_size > 10_000


def test_build_from_a_file_that_is_no_disclosure_says_so(tmp_path: Path) -> None:
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"hello, not a disclosure")
    result = CliRunner().invoke(_app(), ["build", "--from", str(junk), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


# -- families are data; other documents keep the standard form ------------------------------------------


def test_documents_of_other_templates_keep_the_standard_form() -> None:
    for seed in ("002", "003"):
        d = read_disclosure(str(SEED_FILES[seed]))
        assert family_of(d) is None
        doc = build_document(d)
        assert doc.cover == [] and doc.contents[0].startswith("第一部分")


def test_the_tables_part_goes_where_the_first_table_stood() -> None:
    """A source whose tables stand between its 编制说明 and its 其他相关情况说明 (no heading above them)."""
    d = read_disclosure(str(WILD / "shpt-finance-2025-dept-budget.pdf"))
    text = source_text(d, [])
    assert text is not None
    slots = plan(d, text, ["overview", "tables", "explanation", "glossary", "forms"])
    titles = [s.section.title if s.section is not None else s.writer for s in slots]
    assert titles.index("tables") == titles.index("2025年部门预算编制说明") + 1
    assert titles.index("其他相关情况说明") == titles.index("tables") + 1
    # a section with no place in the source (no line) stays where the source order put it
    moved = d.model_copy(deep=True)
    moved.sections.insert(0, Section(number="", title="附注", level=1, location=Location(source=d.source)))
    text = source_text(moved, [])
    assert text is not None
    assert plan(moved, text, ["tables"])[0].section is moved.sections[0]
