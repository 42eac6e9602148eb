"""Everything the document says, printed (issue 14): `build --from` re-prints a table outside the
standard set where the source printed it — the Putuo 财政局 决算's 单位构成 (序号 / 单位名称 / 备注)
after "…编制范围的单位包括：" — and reads it back cell for cell; a table the model cannot give back
cell by cell (several code columns: seed 000's 机关运行经费 tables) is named in the build report
instead of printed wrongly."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest

from cnbudget.model import Disclosure, Table
from cnbudget.pipeline import read_disclosure
from cnbudget.publish.build import Package, build_from_disclosure
from conftest import PDFS, SEED_FILES

MESSAGES_LANG = "zh"  # this module asserts the Chinese default output


def _cells(t: Table) -> list[tuple[str, list[tuple[str, str]]]]:
    return [(r.label, [(v.column, v.text) for v in r.values]) for r in t.rows]


def _from(source: str, root: Path) -> tuple[Disclosure, Package]:
    original = read_disclosure(source)
    json = root / "source.json"
    json.write_text(original.model_dump_json(), encoding="utf-8")
    return original, build_from_disclosure(json, root / "out", ("pdf",))


@pytest.fixture(scope="module")
def putuo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Disclosure, Package, Disclosure]:
    original, package = _from(str(PDFS / "putuo-finance-bureau-2024-final.pdf"), tmp_path_factory.mktemp("putuo"))
    return original, package, read_disclosure(str(package.files["pdf"]))


def test_the_units_table_is_printed_and_read_back_cell_for_cell(putuo: tuple[Disclosure, Package, Disclosure]) -> None:
    original, _package, read = putuo
    (before,) = [t for t in original.tables if t.spec_id == "LOCAL"]
    (after,) = [t for t in read.tables if t.spec_id == "LOCAL"]
    assert _cells(after) == _cells(before)
    assert _cells(after)[1] == ("上海市普陀区财政局财政所", [("序号", "2"), ("备注", "预算不单列，并入本级")])
    assert [t.spec_id for t in read.tables] == [t.spec_id for t in original.tables]


def test_the_units_table_stands_under_its_heading(putuo: tuple[Disclosure, Package, Disclosure]) -> None:
    _original, package, read = putuo
    (table,) = [t for t in read.tables if t.spec_id == "LOCAL"]
    overview = read.sections[0]
    units = next(s for s in overview.children if s.title.endswith("单位构成"))
    assert units.paragraphs[-1].text.endswith("编制范围的单位包括：")
    assert units.location.page == table.location.page
    assert read.tables[1].location.page is not None and table.location.page is not None
    assert table.location.page < read.tables[1].location.page  # in the 概况, before the 决算表
    text = pdfium.PdfDocument(str(package.files["pdf"]))[table.location.page - 1].get_textpage().get_text_range()
    assert "金额单位" not in text  # the units table has no amounts: no unit line, as in the source


def test_a_table_that_cannot_be_given_back_is_named_not_misprinted(tmp_path: Path) -> None:
    original, package = _from(str(SEED_FILES["000"]), tmp_path)
    local = [t.title for t in original.tables if t.spec_id == "LOCAL"]
    assert local == ["人员运行费定额支出明细表", "机关运行费补充支出明细表", "机关运行经费情况表"]
    assert [n.sheet for n in package.notes] == local
    assert all("未照录" in n.message for n in package.notes)
    assert not [t for t in read_disclosure(str(package.files["pdf"])).tables if t.spec_id == "LOCAL"]
