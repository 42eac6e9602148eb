"""Standard tables F1–F7 of the three real Shanghai 2024 部门决算 PDFs, value by value.

Every facts row of F1–F7 is compared with tests/golden/pdf_<name>.tables.csv. Each golden row was
checked against the rendered page: value exactly as printed (with or without thousands separators),
row_code (功能分类 from 类/款/项 or the code column, 经济分类 for F6, empty for item rows), row_label
(whitespace removed), column (printed header path), page. Where the reader was wrong, the golden file
holds what is printed, so the test fails until the reader is fixed: see tests/golden/PDF_REVIEW.md.

The tests below state, per PDF, the structure read off the page (totals, row counts, joins across
pages, empty tables and their notes) so that a regression says what broke.
"""

from __future__ import annotations

import csv
import io

import pytest

from cnbudget.model import Table
from cnbudget.render.facts import facts_csv
from conftest import GOLDEN, pdf, rows_as_text, table

F1_F7 = ("收支总表", "收入表", "支出表", "财政拨款收支总表", "一般公共预算支出表", "一般公共预算基本支出表", "三公经费支出表")
NAMES = ("finance", "planning", "template")


def _csv_lines(text: str) -> list[str]:
    """The CSV rows as comparable one-line strings (header first)."""
    rows = list(csv.reader(io.StringIO(text)))
    return ["|".join(r) for r in rows]


def _export_f1_f7(name: str) -> list[str]:
    lines = _csv_lines(facts_csv(pdf(name)))
    return [lines[0]] + [ln for ln in lines[1:] if ln.split("|", 1)[0] in F1_F7]


def _value(t: Table, label: str, column: str, side: str | None = None) -> str | None:
    rows = [r for r in t.rows if r.label == label and (side is None or r.side == side)]
    assert len(rows) == 1, f"{t.name}: {len(rows)} rows labelled {label!r} (side {side!r})"
    v = rows[0].get(column)
    return None if v is None else v.text


def _codes(t: Table) -> list[str]:
    return [r.code or r.label for r in t.rows]


# --------------------------------------------------------------------------------------------
# (a) every value of F1–F7 against the golden file
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_f1_f7_facts_match_golden(name: str) -> None:
    golden = _csv_lines((GOLDEN / f"pdf_{name}.tables.csv").read_text(encoding="utf-8"))
    assert _export_f1_f7(name) == golden


GOLDEN_COUNTS = {  # values per table in the golden files, counted on the pages
    "finance": {
        "收支总表": 12,
        "收入表": 45,
        "支出表": 44,
        "财政拨款收支总表": 19,
        "一般公共预算支出表": 44,
        "一般公共预算基本支出表": 29,
        "三公经费支出表": 2,
    },
    "planning": {
        "收支总表": 12,
        "收入表": 50,
        "支出表": 75,
        "财政拨款收支总表": 17,
        "一般公共预算支出表": 75,
        "一般公共预算基本支出表": 67,
        "三公经费支出表": 12,
    },
    "template": {},
}


@pytest.mark.parametrize("name", NAMES)
def test_golden_value_counts(name: str) -> None:
    counts: dict[str, int] = {}
    for row in csv.DictReader(io.StringIO((GOLDEN / f"pdf_{name}.tables.csv").read_text(encoding="utf-8"))):
        counts[row["table"]] = counts.get(row["table"], 0) + 1
    assert counts == GOLDEN_COUNTS[name]


# --------------------------------------------------------------------------------------------
# (b) tables recognised and meta
# --------------------------------------------------------------------------------------------

META = {
    "finance": "上海市普陀区财政局",
    "planning": "上海市普陀区规划和自然资源局",
    "template": "上海市XX局",
}


@pytest.mark.parametrize("name", NAMES)
def test_spec_ids_and_meta(name: str) -> None:
    d = pdf(name)
    # LOCAL: the 部门决算单位构成 list (序号 | 单位名称 | 备注) of 第一部分, before the standard tables
    assert [t.spec_id for t in d.tables] == ["LOCAL", "F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8", "F9"]
    assert d.format == "pdf"
    assert d.meta.department == META[name]
    assert d.meta.year == 2024
    assert d.meta.kind == "决算"
    assert {t.unit for t in d.tables if t.spec_id != "LOCAL"} == {"万元"}


# --------------------------------------------------------------------------------------------
# (c) structure verified on the pages — putuo-finance-bureau-2024-final.pdf
# --------------------------------------------------------------------------------------------


def _f(spec: str, name: str = "finance") -> Table:
    return table(pdf(name), spec)


def test_finance_f1_joined_over_pages_6_7_nothing_lost() -> None:
    t = _f("F1")
    assert t.parts == 2
    # page 7 starts with a label-only row (使用非财政拨款结余（含专用结余） | 结余分配): it must survive the join
    assert rows_as_text(t)[-8:] == [
        "收入||本年收入合计|决算数=2,946.25",
        "支出||本年支出合计|决算数=2,940.05",
        "收入||使用非财政拨款结余（含专用结余）|",
        "支出||结余分配|",
        "收入||年初结转和结余|决算数=49.14",
        "支出||年末结转和结余|决算数=55.34",
        "收入||总计|决算数=2,995.39",
        "支出||总计|决算数=2,995.39",
    ]
    # 收入: 8 items + 本年收入合计 + 使用非财政拨款结余（含专用结余） + 年初结转和结余 + 总计 = 12
    # 支出: 26 items + 本年支出合计 + 结余分配 + 年末结转和结余 + 总计 = 30
    assert (sum(r.side == "收入" for r in t.rows), sum(r.side == "支出" for r in t.rows)) == (12, 30)
    assert len(t.rows) == 42
    assert _value(t, "本年收入合计", "决算数") == "2,946.25"
    assert _value(t, "本年支出合计", "决算数") == "2,940.05"
    assert _value(t, "总计", "决算数", "收入") == "2,995.39"
    assert _value(t, "总计", "决算数", "支出") == "2,995.39"


FINANCE_CODES = [
    "201", "20106", "2010601", "2010602", "2010607", "2010608",
    "208", "20805", "2080501", "2080505", "2080506", "2080599",
    "210", "21011", "2101101",
    "221", "22102", "2210201", "2210203",
]  # fmt: skip


def test_finance_f2_f3_joined_over_two_pages_in_printed_order() -> None:
    f2, f3 = _f("F2"), _f("F3")
    assert f2.parts == 2 and f3.parts == 2
    assert _codes(f2) == ["合计", *FINANCE_CODES]  # 2101101 is the first row of page 9
    assert _codes(f3) == ["合计", *FINANCE_CODES]  # 2080599 is the first row of page 11
    assert [(v.column, v.text) for v in f2.rows[0].values] == [("合计", "2,946.25"), ("财政拨款收入", "2,940.05"), ("其他收入", "6.20")]
    assert [(v.column, v.text) for v in f3.rows[0].values] == [("合计", "2,940.05"), ("基本支出", "2,336.91"), ("项目支出", "603.14")]
    assert next(r for r in f2.rows if r.code == "2101101").location.page == 9
    assert next(r for r in f3.rows if r.code == "2080599").location.page == 11


def test_finance_f4_totals() -> None:
    t = _f("F4")
    assert t.parts == 2  # page 14 prints only an empty ruled row and is skipped
    assert len(t.rows) == 38  # 收入 9, 支出 29
    assert _value(t, "本年收入合计", "金额") == "2,940.05"
    assert _value(t, "本年支出合计", "合计") == "2,940.05"
    assert _value(t, "年初财政拨款结转和结余", "金额") == "21.63"
    assert _value(t, "总计", "金额", "收入") == "2,961.68"
    assert _value(t, "总计", "合计", "支出") == "2,961.68"
    assert _value(t, "总计", "一般公共预算", "支出") == "2,961.68"


def test_finance_f5_total_row_last() -> None:
    t = _f("F5")
    assert len(t.rows) == 20 and t.parts == 1
    assert _codes(t) == [*FINANCE_CODES, "合计"]
    assert [(v.column, v.text) for v in t.rows[-1].values] == [("合计", "2,940.05"), ("基本支出", "2,336.91"), ("项目支出", "603.14")]


def test_finance_f6_two_sides_over_pages_16_17() -> None:
    t = _f("F6")
    assert t.parts == 2
    assert len(t.rows) == 66  # 26 人员 rows (301, 303), 38 公用 rows (302, 310), 2 合计
    assert [r.code for r in t.rows if r.code and r.code_kind == "economic"].count("30306") == 0  # not printed
    assert _value(t, "人员经费合计", "决算数") == "2,152.26"
    assert _value(t, "公用经费合计", "决算数") == "184.65"
    assert _value(t, "工资福利支出", "决算数") == "2,082.85"
    assert _value(t, "资本性支出", "决算数") == "13.58"


def test_finance_f7_only_reception_budget() -> None:
    t = _f("F7")
    assert len(t.rows) == 1
    assert [(v.column, v.path, v.text) for v in t.rows[0].values] == [
        ("预算数.合计", "财政拨款“三公”经费-合计-预算数", "0.95"),
        ("预算数.公务接待费", "财政拨款“三公”经费-公务接待费-预算数", "0.95"),
    ]


# --------------------------------------------------------------------------------------------
# (c) putuo-planning-resources-2024-final.pdf — amounts printed without thousands separators
# --------------------------------------------------------------------------------------------

PLANNING_CODES = [
    "208", "20805", "2080501", "2080502", "2080505", "2080506", "2080599",
    "210", "21011", "2101101", "2101102",
    "212", "21201", "2120101", "21202", "2120201",
    "220", "22001", "2200150", "2200199",
    "221", "22102", "2210201", "2210203",
]  # fmt: skip


def test_planning_f1_totals() -> None:
    t = _f("F1", "planning")
    assert t.parts == 1 and len(t.rows) == 40  # 收入 12, 支出 28
    assert _value(t, "一、一般公共预算财政拨款收入", "决算数") == "9746.50"
    assert _value(t, "本年收入合计", "决算数") == "9746.50"
    assert _value(t, "本年支出合计", "决算数") == "9759.38"
    assert _value(t, "年初结转和结余", "决算数") == "112.88"
    assert _value(t, "年末结转和结余", "决算数") == "100.00"
    assert _value(t, "总计", "决算数", "收入") == "9859.38"
    assert _value(t, "总计", "决算数", "支出") == "9859.38"


def test_planning_f2_f3_f5_joined_in_printed_order() -> None:
    f2, f3, f5 = _f("F2", "planning"), _f("F3", "planning"), _f("F5", "planning")
    assert (f2.parts, f3.parts, f5.parts) == (2, 2, 2)
    assert _codes(f2) == ["合计", *PLANNING_CODES]
    assert _codes(f3) == ["合计", *PLANNING_CODES]
    assert _codes(f5) == [*PLANNING_CODES, "合计"]
    assert [(v.column, v.text) for v in f2.rows[0].values] == [("合计", "9746.50"), ("财政拨款收入", "9746.50")]
    assert [(v.column, v.text) for v in f3.rows[0].values] == [("合计", "9759.38"), ("基本支出", "5377.64"), ("项目支出", "4381.74")]
    assert [(v.column, v.text) for v in f5.rows[-1].values] == [("合计", "9746.50"), ("基本支出", "5364.75"), ("项目支出", "4381.74")]
    # printed zero is a value, not a blank
    assert f3.rows[1].get("项目支出").text == "0.00"  # type: ignore[union-attr]


def test_planning_f4_totals() -> None:
    t = _f("F4", "planning")
    assert t.parts == 2 and len(t.rows) == 36  # 收入 9, 支出 27
    assert _value(t, "本年收入合计", "金额") == "9746.50"
    assert _value(t, "本年支出合计", "一般公共预算") == "9746.50"
    assert _value(t, "年初财政拨款结转和结余", "金额") is None
    assert _value(t, "总计", "合计", "支出") == "9746.50"


def test_planning_f6_one_page_every_row_printed() -> None:
    t = _f("F6", "planning")
    assert t.parts == 1 and len(t.rows) == 67  # 27 + 38 + 2 合计, every one with a value
    assert all(len(r.values) == 1 for r in t.rows)
    assert _value(t, "人员经费合计", "决算数") == "4884.09"
    assert _value(t, "公用经费合计", "决算数") == "480.66"
    assert _value(t, "绩效工资", "决算数") == "1594.02"


def test_planning_f7_every_cell() -> None:
    t = _f("F7", "planning")
    assert len(t.rows) == 1
    assert [v.text for v in t.rows[0].values] == ["2.85", "0.39"] + ["0.00"] * 8 + ["2.85", "0.39"]
    assert t.rows[0].get("决算数.公务接待费").text == "0.39"  # type: ignore[union-attr]
    assert t.rows[0].get("预算数.合计").text == "2.85"  # type: ignore[union-attr]


# --------------------------------------------------------------------------------------------
# (c) shanghai-final-accounts-template-2024.pdf — every table printed empty
# --------------------------------------------------------------------------------------------

TEMPLATE_ROWS = {"F1": 40, "F2": 8, "F3": 8, "F4": 36, "F5": 8, "F6": 67, "F7": 0}


@pytest.mark.parametrize("spec", sorted(TEMPLATE_ROWS))
def test_template_f1_f7_empty(spec: str) -> None:
    t = _f(spec, "template")
    assert t.empty
    assert len(t.rows) == TEMPLATE_ROWS[spec]
    assert [r.label for r in t.rows if r.values] == []  # no cell of F1–F7 prints a value


def test_template_placeholder_rows_are_labels() -> None:
    # code cell '…' (or '…' three times) and 科目名称 cell '…': the label is the 科目名称 cell
    f2 = _f("F2", "template")
    assert [(r.code, r.label) for r in f2.rows] == [
        ("", "合计"), ("205", "教育支出"), ("20502", "普通教育"), ("2050205", "高等教育"), ("", "…"),
        ("207", "文化旅游体育与传媒支出"), ("20799", "其他文化旅游体育与传媒支出"), ("", "…"),
    ]  # fmt: skip


# --------------------------------------------------------------------------------------------
# F8 / F9: empty in all three documents, with the printed note
# --------------------------------------------------------------------------------------------

EMPTY_NOTES = {
    ("finance", "F8"): "注：上海市普陀区财政局无政府性基金预算财政拨款支出，故本表无数据。",
    ("finance", "F9"): "注：上海市普陀区财政局无国有资本经营预算财政拨款支出，故本表无数据。",
    ("planning", "F8"): "说明：上海市普陀区规划和自然资源局本年度没有政府性基金预算财政拨款收入和支出，故本表无数据。",
    ("planning", "F9"): "说明：上海市普陀区规划和自然资源局本年度没有国有资本经营预算财政拨款收入和支出，故本表无数据。",
    ("template", "F8"): "说明：上海市XX局本年度没有政府性基金预算财政拨款收入和支出，故本表无数据。",
    ("template", "F9"): "说明：上海市XX局本年度没有国有资本经营预算财政拨款收入和支出，故本表无数据。",
}


@pytest.mark.parametrize(("name", "spec"), sorted(EMPTY_NOTES))
def test_f8_f9_empty_with_note(name: str, spec: str) -> None:
    t = _f(spec, name)
    assert t.empty
    assert t.note == EMPTY_NOTES[(name, spec)]
    assert all(not r.values for r in t.rows)


@pytest.mark.parametrize(("name", "spec"), sorted(EMPTY_NOTES))
def test_f8_f9_total_row_kept(name: str, spec: str) -> None:
    # every one prints a label-only 合计 row; planning and template print it in the same ruled row as
    # the 本年支出 sub-headers 合计 | 基本支出 | 项目支出
    t = _f(spec, name)
    assert [r.label for r in t.rows] == ["合计"]
    assert [c.path for c in t.columns if c.role == "value"] == [
        "年初结转和结余", "本年收入", "本年支出-" + ("小计" if name == "finance" else "合计"),
        "本年支出-基本支出", "本年支出-项目支出", "年末结转和结余",
    ]  # fmt: skip
