"""Any department's codes (issue 14): a well-formed 功能分类 项 or 经济分类 款 code is accepted with the
name the officer gives; a code the bundled catalog knows under another name is a warning naming both;
a code the catalog does not know is a note in the build report, never a refusal.

Seed 003's workbook with two 项 moved to an education department's codes (2050101, 2050199: 款 20501
is not in the bundled catalog, its name registered on sheet 自定义科目), one known 项 renamed, and one
经济分类 款 outside the catalog: it builds, the PDF reads back with those codes and names, and
`check` finds no error in it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from openpyxl import load_workbook

from cnbudget.model import Disclosure
from cnbudget.pipeline import read_disclosure
from cnbudget.publish.build import Package, build_from_workbook
from cnbudget.publish.inputs import read_workbook
from cnbudget.specs import function_catalog
from test_publish_seed003 import LINES, fill_seed003

MESSAGES_LANG = "zh"  # this module asserts the Chinese default output

MOVED = {"2101501": ("2050101", "行政运行"), "2101502": ("2050199", "其他教育管理事务支出")}
RENAMED = ("2080505", "机关事业单位养老保险缴费支出")  # the catalog: 机关事业单位基本养老保险缴费支出


def _lines() -> list[dict[str, object]]:
    lines = []
    for line in LINES:
        line = dict(line)
        code = str(line["code"])
        if code in MOVED:
            line["code"], line["name"] = MOVED[code]
        elif code == RENAMED[0]:
            line["name"] = RENAMED[1]
        lines.append(line)
    return lines


def _book(path: Path, register_kuan: bool = True) -> Path:
    fill_seed003(path, lines=_lines())
    wb = load_workbook(path)
    if register_kuan:
        ws = wb["自定义科目"]
        first = next(r for r in range(1, 20) if ws.cell(row=r, column=1).value is None and r > 4)
        ws.cell(row=first, column=1, value="20501")
        ws.cell(row=first, column=2, value="教育管理事务")
    econ = wb["基本支出经济分类"]
    row = next(r for r in range(5, 60) if str(econ.cell(row=r, column=1).value) == "30199")
    econ.cell(row=row, column=1, value="30198")  # well-formed, not in the catalog
    econ.cell(row=row, column=2, value="其他工资福利支出（地方）")
    wb.save(path)
    return path


@cache
def _built(tmp: str) -> tuple[Package, Disclosure]:
    root = Path(tmp)
    package = build_from_workbook(_book(root / "edu.xlsx"), root / "out", formats=("json", "pdf"))
    return package, read_disclosure(str(package.files["pdf"]))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Package, Disclosure]:
    return _built(str(tmp_path_factory.mktemp("codes")))


def test_the_codes_are_not_in_the_bundled_catalog() -> None:
    known = {e.code for e in function_catalog()}
    assert not {"2050101", "2050199", "20501"} & known
    assert RENAMED[0] in known


def test_unknown_codes_are_noted_and_another_name_is_a_warning(built: tuple[Package, Disclosure]) -> None:
    package, _ = built
    notes = [str(i) for i in package.notes]
    warnings = [str(i) for i in package.warnings if i.severity == "warning"]
    assert any("2050101 行政运行 不在程序自带的 2020 年科目表中" in n for n in notes)
    assert any("2050199 其他教育管理事务支出" in n for n in notes)
    assert any("30198 其他工资福利支出（地方）" in n for n in notes)
    assert any("“机关事业单位养老保险缴费支出”" in w and "“机关事业单位基本养老保险缴费支出”" in w for w in warnings)
    assert not any("20501 " in w and "自定义科目" in w for w in warnings)  # its name was registered


def test_the_pdf_prints_the_departments_codes_and_names(built: tuple[Package, Disclosure]) -> None:
    _, read = built
    f3 = read.table("F3")
    assert f3 is not None
    rows = {r.code: r.label for r in f3.rows if r.code}
    assert rows["205"] == "教育支出"
    assert rows["20501"] == "教育管理事务"
    assert rows["2050101"] == "行政运行"
    assert rows["2050199"] == "其他教育管理事务支出"
    assert rows["2080505"] == "机关事业单位养老保险缴费支出"
    f6 = read.table("F6")
    assert f6 is not None
    assert any(r.code == "30198" and r.label == "其他工资福利支出（地方）" for r in f6.rows)


def test_check_finds_no_error_in_it(built: tuple[Package, Disclosure]) -> None:
    from cnbudget.rules.registry import run

    _, read = built
    assert [f for f in run(read) if f.severity == "error"] == []


def test_a_kuan_without_a_name_builds_with_a_warning(tmp_path: Path) -> None:
    data = read_workbook(_book(tmp_path / "edu.xlsx", register_kuan=False))
    warnings = [str(i) for i in data.warnings if i.severity == "warning"]
    assert any("上级科目 20501" in w and "自定义科目" in w for w in warnings)
    assert {ln.code for ln in data.lines} >= {"2050101", "2050199"}
