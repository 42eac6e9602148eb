"""The reviewer's 公开情况检查表 (`--format checklist`), read back from the xlsx it writes.

Every document gives one sheet: the title, 部门名称, an empty 公开网址, then one row per item of the
kind's form in specs/checklist.json. 否 rows list real problems of the document with their page (PDF)
or line (converted text); an item that nothing checked says 未检查 with the reason, never 是.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from cnbudget.api import check_one
from cnbudget.cli import app
from cnbudget.render import formats
from cnbudget.render.checklist import checklist, form
from cnbudget.rules.findings import Finding, Where
from cnbudget.rules.registry import Config
from cnbudget.rules.report import DocumentReport
from conftest import PDF_FILES, SEED_FILES, SHARED

MESSAGES_LANG = "zh"  # the 检查表 is the reviewer's own Chinese form

WANLI_2024 = SHARED / "samples" / "wild" / "shpt-wanli-2024-dept-budget.pdf"
VERDICTS = {"是", "否", "未检查"}


def _write(paths: list[Path], out: Path, config: Config | None = None) -> Path:
    writer = formats.get("checklist").open(out)
    for p in paths:
        writer.add(check_one(str(p), config=config or Config()))
    writer.close()
    return out


@cache
def _sheets(*paths: Path) -> dict[str, list[tuple[Any, ...]]]:
    import tempfile

    out = Path(tempfile.mkdtemp()) / "检查表.xlsx"
    _write(list(paths), out)
    wb = load_workbook(out)
    return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in wb}


def _items(rows: list[tuple[Any, ...]]) -> dict[str, tuple[Any, ...]]:
    """Item name → (序号, 类别, 项目, 符合要求, 存在问题, 备注), from the rows under the header."""
    header = next(i for i, r in enumerate(rows) if r[0] == "序号")
    return {r[2]: r for r in rows[header + 1 :]}


def _check_shape(rows: list[tuple[Any, ...]], kind: str) -> dict[str, tuple[Any, ...]]:
    assert rows[1][0] == "部门名称" and rows[1][2]
    assert rows[2][0] == "公开网址" and rows[2][2] is None  # left for the reviewer to fill
    items = _items(rows)
    assert len(items) == len(form()[kind])  # one row per item of the form
    for r in items.values():
        assert r[3] in VERDICTS
        if r[3] == "否":
            assert r[4], r  # 否 always says what is wrong
        else:
            assert r[4] is None, r
        if r[3] == "未检查":
            assert r[5], r  # … and 未检查 always says why
    return items


def test_seed_budget_checklist() -> None:
    sheets = _sheets(SEED_FILES["001"])
    rows = sheets["济源产城融合示范区医疗保障局"]
    assert rows[0][0] == "2021年度济源产城融合示范区部门预算公开情况检查表"
    items = _check_shape(rows, "预算")
    assert next(iter(items)) == "及时性" and items["及时性"][3] == "未检查"
    # 部门收支总表 is listed in the 目录 but not printed (C001)
    assert items["部门收支总表"][3] == "否" and "C001" in items["部门收支总表"][4]
    # the 编制说明 states equal totals 7764.9 with different increases (line 58 of the converted text)
    explain = items["预算编制说明"]
    assert explain[3] == "否"
    assert "第58行" in explain[4] and "486.6" in explain[4] and "447.7" in explain[4]
    assert explain[4].startswith("1. ")  # several problems: numbered lines in one cell
    # a printed, understood table with no finding: 是, and the note says which checks ran
    b5 = next(r for name, r in items.items() if "一般公共预算支出情况表" in name)
    assert b5[3] == "是" and "B5-1" in b5[5]
    # 国有资本经营预算支出表 is not printed and not required: nothing checked it, so never 是
    assert items["国有资本经营预算支出表"][3] == "未检查"


def test_pdf_final_accounts_checklist() -> None:
    rows = _sheets(PDF_FILES["finance"])["上海市普陀区财政局"]
    assert rows[0][0] == "2024年度上海市普陀区部门决算公开情况检查表"
    items = _check_shape(rows, "决算")
    assert items["情况说明"][3] == "否"
    assert "第21页" in items["情况说明"][4] and "71.73%" in items["情况说明"][4]
    assert items["主要职能"][3] == "是" and "第4页" in items["主要职能"][5]
    # tables by their printed names; rounding differences (info) are hints, not failures
    f1 = items["收入支出决算总表"]
    assert f1[3] == "是" and "尾数差异" in f1[5]
    # the performance forms are not in this file: the 绩效 rules did not run and say so
    assert "P-EXEC" in items["项目经费情况说明（绩效）"][5]


def test_wild_budget_checklist() -> None:
    rows = _sheets(WANLI_2024)["上海市普陀区人民政府万里街道办事处"]
    items = _check_shape(rows, "预算")
    explain = items["预算编制说明"]
    assert explain[3] == "否"
    # p.7: 15.00 → 30.00 stated as 增加100.00% is right; 0.00 → 25.00 stated as 增加100.00% is not
    assert "第7页" in explain[4] and "0.00万元" in explain[4] and "N-CLAIM" in explain[4]
    assert items["项目支出表"][3] == "未检查"


def test_tables_that_could_not_be_read_are_never_yes() -> None:
    """Seed 004's tables were images in its source: every table item is 未检查 with that reason."""
    items = _check_shape(_sheets(SEED_FILES["004"])["安阳市北关区医疗保障局"], "决算")
    for it in form()["决算"]:
        if it["decide"] == "table":
            row = items[it["item"]]
            assert row[3] == "未检查" and "原文件中的表格为图片" in row[5], row  # the reason, in the form's language
    assert items["其他问题"][3] == "未检查"  # C005: the tables could not be read


def test_a_switched_off_rule_leaves_its_item_unchecked(tmp_path: Path) -> None:
    report = check_one(str(PDF_FILES["finance"]), config=Config(disable=frozenset({"C002"}), source="cnbudget.toml"))
    contents = next(r for r in checklist(report).items if r.item == "目录")
    assert contents.verdict == "未检查" and any("C002" in n for n in contents.notes)


def test_each_finding_is_on_exactly_one_row() -> None:
    for path in (SEED_FILES["001"], PDF_FILES["finance"]):
        report = check_one(str(path))
        c = checklist(report)
        listed = sum(len(i.problems) for i in c.items)
        assert listed == sum(1 for f in report.findings if f.severity in ("error", "warning") and f.rule not in ("C005", "C007"))


def test_cli_writes_the_checklist(tmp_path: Path) -> None:
    out = tmp_path / "检查表.xlsx"
    result = CliRunner().invoke(app, ["check", str(SEED_FILES["001"]), "--format", "checklist", "-o", str(out), "--exit-zero"])
    assert result.exit_code == 0, result.output
    assert load_workbook(out).sheetnames == ["济源产城融合示范区医疗保障局"]
    missing = CliRunner().invoke(app, ["check", str(SEED_FILES["001"]), "--format", "checklist"])
    assert missing.exit_code == 2 and "REPORT.xlsx" in missing.output


def _report_with(findings: list[Finding]) -> DocumentReport:
    """上海市普陀区财政局 2024 决算 as read, with the given findings instead of its own."""
    report = check_one(str(PDF_FILES["finance"]))
    return DocumentReport(report.source, report.meta, findings, report.coverage, report.outline)


def test_a_finding_before_the_first_part_belongs_to_the_cover() -> None:
    """The first part (概况) starts on p.4: a wrong year printed on p.1 is the cover's problem."""
    cover = Finding("N-YEAR", "narrative", "error", "封面年度写作2023年。", Where(page=1))
    inside = Finding("N-YEAR", "narrative", "error", "说明中写作2023年。", Where(page=21, section="第三部分/一、收入支出决算总体情况说明"))
    items = {i.item: i for i in checklist(_report_with([cover, inside])).items}
    assert items["封面"].verdict == "否" and items["封面"].problems == ["第1页：封面年度写作2023年。（N-YEAR）"]
    assert items["情况说明"].verdict == "否" and "第21页" in items["情况说明"].problems[0]


def test_a_regions_own_form_is_a_data_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    """Another form (fewer items, another order) needs only another list in the data file."""
    own = dict(form())
    own["决算"] = [
        {"group": "内容规范性", "item": "财政拨款收入支出决算总表", "decide": "table", "table": "F4", "rules": ["C001"]},
        {"group": "内容规范性", "item": "情况说明", "decide": "section", "words": ["情况说明"], "rules": ["N-*"]},
        {"group": "其他", "item": "其他问题", "decide": "rest"},
    ]
    monkeypatch.setattr("cnbudget.render.checklist.form", lambda: own)
    c = checklist(check_one(str(PDF_FILES["finance"])))
    assert [(i.item, i.verdict) for i in c.items] == [("财政拨款收入支出决算总表", "是"), ("情况说明", "否"), ("其他问题", "是")]


def test_an_unreadable_input_is_listed_not_dropped(tmp_path: Path) -> None:
    out = tmp_path / "检查表.xlsx"
    writer = formats.get("checklist").open(out)
    writer.add(check_one(str(SEED_FILES["001"])))
    writer.unreadable("/in/broken.pdf", "the file is not a PDF.")
    writer.close()
    wb = load_workbook(out)
    assert wb.sheetnames == ["济源产城融合示范区医疗保障局", "未能读取"]
    assert [tuple(r) for r in wb["未能读取"].iter_rows(values_only=True)] == [("文件", "原因"), ("broken.pdf", "the file is not a PDF.")]
