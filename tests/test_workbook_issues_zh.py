"""Issue 11: what `cnbudget build` says about a wrongly filled workbook is Chinese by default, English on request.

The workbook is the one `cnbudget template` writes, filled with seed 003's figures as an officer would
(tests/test_publish_seed003.py), then spoiled in one place per test. Every issue line is checked through
the real command line, in the default language (no --lang, no CNBUDGET_LANG).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

import test_publish_seed002
from cnbudget.cli import app
from cnbudget.i18n import set_lang
from test_publish_seed003 import fill_seed003

MESSAGES_LANG = "zh"

_ASCII_WORD = re.compile(r"[A-Za-z]{2,}")


@pytest.fixture(autouse=True)
def default_language() -> None:
    set_lang(None)


def _cli(*args: str) -> Any:
    return CliRunner(env={"CNBUDGET_LANG": None, "COLUMNS": "200"}).invoke(app, list(args))


@pytest.fixture
def book(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Seed 003's 决算 in a workbook written by `cnbudget template` itself."""

    def template(path: Path, kind: str, year: int, department: str = "") -> None:
        result = _cli("template", "--kind", kind, "--year", str(year), "-o", str(path))
        assert result.exit_code == 0, result.output

    monkeypatch.setattr(test_publish_seed002, "write_template", template)
    return fill_seed003(tmp_path / "seed003.xlsx")


def _spoil(path: Path, sheet: str, cell: str, value: object) -> None:
    wb = load_workbook(path)
    wb[sheet][cell] = value
    wb.save(path)


def _refused(book: Path, *lang: str) -> list[str]:
    out = book.parent / "out"
    result = _cli(*lang, "build", str(book), "-o", str(out))
    assert result.exit_code == 2, result.output
    assert not out.exists()
    return [line.strip() for line in result.output.splitlines() if line.strip()]


def _english(lines: list[str]) -> list[str]:
    """ASCII words in the issue lines (sheet!cell places and the unit aside): none in Chinese output."""
    return [w for line in lines for w in _ASCII_WORD.findall(re.sub(r"![A-Z]+\d+(:[A-Z]*\d*)?", "", line))]


def test_a_malformed_code_and_a_word_in_an_amount_cell_in_chinese(book: Path) -> None:
    _spoil(book, "功能分类", "A7", "210999")
    _spoil(book, "功能分类", "C8", "12,3a")
    lines = _refused(book)
    assert "错误：功能分类!A7：“210999”不是支出功能分类的7位项级科目编码（类、款由程序汇总）" in lines
    assert "错误：功能分类!C8：“12,3a”不是数字（一般公共预算财政拨款）" in lines
    assert lines[-1] == "错误： 工作簿有2处错误；未写出任何文件。"
    assert _english(lines) == []


def test_the_same_issues_in_english_on_request(book: Path) -> None:
    _spoil(book, "功能分类", "A7", "210999")
    _spoil(book, "功能分类", "C8", "12,3a")
    lines = _refused(book, "--lang", "en")
    assert "error: 功能分类!A7: “210999” is not a 7-digit 项 code of the 支出功能分类 (类 and 款 are summed by the program)" in lines
    assert "error: 功能分类!C8: “12,3a” is not a number (一般公共预算财政拨款)" in lines


def test_a_required_field_left_blank_in_chinese(book: Path) -> None:
    _spoil(book, "基本信息", "B3", None)  # 部门（单位）名称*
    lines = _refused(book)
    assert "错误：基本信息!B3：必须填写“部门（单位）名称”" in lines
    assert _english(lines) == []


def test_a_missing_sheet_in_chinese(book: Path) -> None:
    wb = load_workbook(book)
    del wb["三公经费"]
    wb.save(book)
    lines = _refused(book)
    assert "错误：三公经费：缺少工作表“三公经费”（请用 cnbudget template 重新生成填报表）" in lines


def test_totals_that_cannot_balance_in_chinese(book: Path) -> None:
    _spoil(book, "功能分类", "C10", 1396.83)  # 城乡医疗救助 income +100
    lines = _refused(book)
    total = next(line for line in lines if "收入总计与支出总计不平衡" in line)
    assert total.startswith("错误：功能分类：收入总计与支出总计不平衡：收入总计 ") and total.endswith("（相差 100.00 万元）")
    assert any(line.startswith("错误：结转结余!B3:B4：一般公共预算财政拨款收支不平衡（年初结转和结余") for line in lines)
    assert _english(lines) == []


def test_a_choice_outside_the_list_in_chinese(book: Path) -> None:
    _spoil(book, "基本信息", "B6", "概算")  # 类型（预算/决算）*
    lines = _refused(book)
    assert "错误：基本信息!B6：“概算”不是可选的预算/决算之一（类型（预算/决算）*）" in lines


def test_a_rounding_difference_builds_with_a_chinese_warning(book: Path) -> None:
    _spoil(book, "功能分类", "C10", 1296.84)  # 0.01 more income than spending: within the rounding allowed
    out = book.parent / "out"
    result = _cli("build", str(book), "-o", str(out), "-f", "json")
    assert result.exit_code == 0, result.output
    assert "收入总计与支出总计不平衡" in result.output and "在尾数差异允许范围内，按填写数编制" in result.output


def test_a_figure_beyond_any_budget_in_chinese(book: Path) -> None:
    _spoil(book, "功能分类", "C8", "1" * 30)  # 30 integer digits: not a figure cnbudget computes with
    lines = _refused(book)
    assert f"错误：功能分类!C8：“{'1' * 30}”超出任何实际预算的数额，程序不以此计算（一般公共预算财政拨款）" in lines
