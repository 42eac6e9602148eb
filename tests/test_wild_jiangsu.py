"""The Jiangsu family (江苏省级部门预算 2017–2019) in ../shared/samples/wild, read as printed.

Every value asserted here was read off the rendered page. Jiangsu prints titles with a qualifier
('…预算表（功能科目）'), a three-sided 收支预算总表 (收入 | 支出·功能分类 | 支出·支出用途), single code
columns headed 功能科目编码/代码, 单位预留机动经费 as a third part of 支出合计, and (江苏省政协 2018)
the tables in a file of their own beside the narrative.
"""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cnbudget.cli import app as APP
from cnbudget.model import Disclosure, Table
from cnbudget.pipeline import read_disclosure
from cnbudget.recognize.parts import group_parts, merge_parts
from cnbudget.rules.registry import load_config, run
from conftest import SHARED, rows_as_text, table

WILD = SHARED / "samples" / "wild"
FILES = {
    "court": WILD / "js-high-court-2019-dept-budget.pdf",
    "npc": WILD / "js-npc-office-2017-dept-budget.pdf",
    "cppcc": WILD / "js-cppcc-2018-dept-budget.pdf",
    "cppcc-tables": WILD / "js-cppcc-2018-dept-budget-tables.pdf",
}


@cache
def doc(name: str) -> Disclosure:
    return read_disclosure(str(FILES[name]))


def _cppcc() -> Disclosure:
    return merge_parts([doc("cppcc"), doc("cppcc-tables")])


def _row(t: Table, label: str, side: str = "") -> dict[str, str]:
    found = [r for r in t.rows if r.label == label and (not side or r.side == side)]
    assert len(found) == 1, f"{label!r} ({side}) in {t.title}: {rows_as_text(t)}"
    return {v.column: v.text for v in found[0].values}


def _code(t: Table, code: str) -> tuple[str, dict[str, str]]:
    found = [r for r in t.rows if r.code == code]
    assert len(found) == 1, f"{code} in {t.title}"
    return found[0].label, {v.column: v.text for v in found[0].values}


def _specs(d: Disclosure) -> list[tuple[str, str]]:
    return [(t.spec_id, t.title) for t in d.tables]


# --- which tables, with which spec ----------------------------------------------------------------


def test_court_every_printed_table_typed() -> None:
    assert _specs(doc("court")) == [
        ("B1", "收支预算总表"),
        ("B2", "收入预算总表"),
        ("B3", "支出预算总表"),
        ("B4", "财政拨款收支预算总表"),
        ("LOCAL", "财政拨款支出预算表（功能科目）"),
        ("LOCAL", "财政拨款基本支出预算表（经济科目）"),
        ("B5", "一般公共预算支出预算表（功能科目）"),
        ("B6", "一般公共预算基本支出预算表（经济科目）"),
        ("B7", "“三公”经费、会议费、培训费支出预算表"),
        ("B8", "政府性基金预算财政拨款支出预算表"),
        ("LOCAL", "一般公共预算机关运行经费支出预算表"),
        ("LOCAL", "政府采购支出预算表"),
    ]
    assert doc("court").absent == []


def test_npc_every_printed_table_typed() -> None:
    assert _specs(doc("npc")) == [
        ("B1", "收支预算总表"),
        ("B2", "收入预算总表"),
        ("B3", "支出预算总表"),
        ("LOCAL", "财政拨款支出预算表"),
        ("B4", "财政拨款收支预算总表"),
        ("LOCAL", "财政拨款基本支出预算表"),
        ("B8", "财政拨款政府性基金支出预算表"),
        ("B5", "一般公共预算支出预算表"),
        ("B6", "一般公共预算基本支出预算表"),
        ("LOCAL", "一般公共预算机关运行经费支出预算表"),
        ("B7", "“三公”经费、会议费、培训费支出预算表"),
        ("LOCAL", "2017年政府采购预算表"),
    ]
    assert doc("npc").absent == []


def test_cppcc_tables_file_typed_and_meta_from_its_headers() -> None:
    d = doc("cppcc-tables")
    assert [s for s, _ in _specs(d)] == ["B1", "B2", "B3", "B4", "LOCAL", "LOCAL", "B5", "B6", "B7", "B8", "LOCAL", "LOCAL"]
    m = d.meta
    assert (m.department, m.region, m.year, m.kind, m.scope) == ("江苏省政协办公厅", "江苏省", 2018, "预算", "部门")


@pytest.mark.parametrize(
    "name, meta",
    [
        ("court", ("江苏省高级人民法院", "江苏省", 2019, "预算", "部门")),
        ("npc", ("江苏省人大常委会办公厅", "江苏省", 2017, "预算", "部门")),
        ("cppcc", ("江苏省政协办公厅", "江苏省", 2018, "预算", "部门")),
    ],
)
def test_meta(name: str, meta: tuple[object, ...]) -> None:
    m = doc(name).meta
    assert (m.department, m.region, m.year, m.kind, m.scope) == meta


# --- the three-sided 收支预算总表 -------------------------------------------------------------------


def test_court_summary_table_is_three_record_streams() -> None:
    t = table(doc("court"), "B1")
    assert len(t.rows) == 35
    assert [c.side for c in t.columns] == ["收入", "收入", "支出", "支出", "支出用途", "支出用途"]
    assert [r.label for r in t.rows if r.side == "支出用途"] == ["一、基本支出", "二、项目支出", "三、单位预留机动经费"]
    assert _row(t, "一、财政拨款", "收入") == {"金额": "37,188.34"}
    assert _row(t, "四、公共安全支出", "支出") == {"金额": "27,488.23"}
    assert _row(t, "十八、住房保障支出", "支出") == {"金额": "7,344.46"}
    assert _row(t, "一、基本支出", "支出用途") == {"金额": "21,968.00"}
    assert _row(t, "三、单位预留机动经费", "支出用途") == {"金额": "5,011.40"}
    assert _row(t, "一、一般公共服务支出", "支出") == {}  # a function line left blank is not the income's amount
    assert _row(t, "收入合计", "收入") == {"金额": "37,188.34"}
    assert _row(t, "支出合计", "支出") == {"金额": "37,188.34"}


def test_npc_summary_table_over_three_pages() -> None:
    t = table(doc("npc"), "B1")
    assert t.parts == 3 and len(t.rows) == 34
    # '当年收入' ends page 8 and its '小计' starts page 9: one row, one label
    assert _row(t, "当年收入小计", "收入") == {"金额": "13,649.07"}
    assert _row(t, "八、社会保障和就业支出", "支出") == {"金额": "1,608.51"}  # '…就' / '业支出' over the break
    assert _row(t, "一、一般公共服务支出", "支出") == {"金额": "10,528.33"}
    assert _row(t, "二、项目支出", "支出用途") == {"金额": "5,853.96"}
    assert _row(t, "三、单位预留机动经费", "支出用途") == {"金额": "128.43"}
    assert _row(t, "支出合计", "支出") == {"金额": "13,649.07"}


def test_cppcc_summary_table() -> None:
    t = table(doc("cppcc-tables"), "B1")
    assert _row(t, "三、其他资金", "收入") == {"金额": "80.00"}
    assert _row(t, "一、一般公共服务支出", "支出") == {"金额": "7,827.46"}
    assert _row(t, "一、基本支出", "支出用途") == {"金额": "5,678.17"}
    assert _row(t, "收入合计", "收入") == {"金额": "10,150.48"}


# --- code columns, suffixed titles, 单位预留机动经费 -------------------------------------------------


def test_function_code_column_read_as_codes() -> None:
    t = table(doc("court"), "B5")
    assert t.columns[0].role == "code" and t.columns[0].path == "功能科目编码"
    assert len(t.rows) == 18
    assert _row(t, "合计") == {"金额": "37,188.34"}
    assert _code(t, "2040501") == ("行政运行", {"金额": "17,279.29"})
    assert _code(t, "2080506") == ("机关事业单位职业年金缴费支出", {"金额": "553.89"})
    assert all(r.code_kind == "function" for r in t.rows if r.code)
    npc = table(doc("npc"), "B5")
    assert npc.columns[0].role == "code" and npc.columns[0].path == "功能科目代码"
    assert _code(npc, "2010104") == ("人大会议", {"金额": "1,305.25"})


def test_basic_spending_by_economic_class() -> None:
    t = table(doc("court"), "B6")
    assert len(t.rows) == 34
    assert _row(t, "合计") == {"基本支出": "21,968.00"}
    assert _code(t, "30213") == ("维修（护）费", {"基本支出": "668.00"})
    assert _code(t, "303") == ("对个人和家庭的补助", {"基本支出": "2,063.88"})
    npc = table(doc("npc"), "B6")
    assert len(npc.rows) == 24 and npc.parts == 2
    assert _code(npc, "30312") == ("提租补贴", {"金额": "1,018.01"})


def test_three_public_meetings_training() -> None:
    assert rows_as_text(table(doc("court"), "B7")) == [
        "|||合计=2,382.02;三公小计=513.75;因公出国（境）费=160.00;公务用车购置及运行费=266.80;"
        "公务用车运行费=266.80;公务接待费=86.95;会议费=271.02;培训费=1,597.25"
    ]
    t = table(doc("npc"), "B7")
    assert _row_values(t) == {"合计": "2,542.60", "公务用车购置费": "0", "会议费": "1,305.25"}


def _row_values(t: Table) -> dict[str, str]:
    wanted = ("合计", "公务用车购置费", "会议费")
    return {v.column: v.text for v in t.rows[0].values if v.column in wanted}


def test_reserve_is_a_part_of_the_spending_total() -> None:
    t = table(doc("court"), "B3")
    assert rows_as_text(t) == ["|||合计=37,188.34;基本支出=21,968.00;项目支出=10,208.94;单位预留机动经费=5,011.40"]
    findings = run(doc("court"), load_config(None))
    assert [f for f in findings if f.rule == "B3-1"] == []


def test_empty_fund_tables_carry_their_note() -> None:
    assert table(doc("npc"), "B8").note == "(无政府性基金支出）"
    assert table(doc("cppcc-tables"), "B8").note == "注：本部门无该项目"
    court = table(doc("court"), "B8")
    assert not court.empty and _row(court, "合计") == {"金额": "0"}


# --- one disclosure in two files --------------------------------------------------------------------


def test_narrative_file_says_its_tables_are_attached() -> None:
    absent = doc("cppcc").absent
    assert len(absent) == 8
    assert all("published beside it ('2018年度部门预算公开表附后。')" in a.reason for a in absent)


def test_two_files_are_one_disclosure() -> None:
    inputs: list[Disclosure | None] = [doc("court"), doc("cppcc"), doc("npc"), doc("cppcc-tables")]
    assert group_parts(inputs) == [[0], [1, 3], [2]]
    d = _cppcc()
    assert d.absent == []
    assert (d.meta.department, d.meta.year, d.meta.kind, d.meta.scope) == ("江苏省政协办公厅", 2018, "预算", "部门")
    assert len(d.tables) == 12 and d.facts == doc("cppcc").facts
    assert {t.location.source for t in d.tables} == {str(FILES["cppcc-tables"])}
    rules = {f.rule for f in run(d, load_config(None))}
    assert "C005" not in rules and "C001" not in rules


def test_check_reads_two_files_as_one() -> None:
    result = CliRunner().invoke(APP, ["check", str(FILES["cppcc"]), str(FILES["cppcc-tables"]), "-f", "json"])
    assert result.exit_code == 1, result.output  # the one true finding: no 国有资产占用 explanation (C006)
    assert f"{FILES['cppcc']} + {FILES['cppcc-tables']}" in result.stdout
    found = {f["rule"] for doc in json.loads(result.stdout)["documents"] for f in doc["findings"]}
    assert "C005" not in found and "C001" not in found  # (the coverage lists every rule, as ran)
    text = CliRunner().invoke(APP, ["check", str(FILES["cppcc"]), str(FILES["cppcc-tables"])])
    assert "js-cppcc-2018-dept-budget.pdf + js-cppcc-2018-dept-budget-tables.pdf" in text.stdout  # both names shown


def test_check_dir_groups_the_parts(tmp_path: Path) -> None:
    for name in ("cppcc", "cppcc-tables"):
        (tmp_path / FILES[name].name).write_bytes(FILES[name].read_bytes())
    result = CliRunner().invoke(APP, ["check", str(tmp_path), "--exit-zero", "-f", "json"])
    assert result.exit_code == 0, result.output
    tables, narrative = (str(tmp_path / FILES[n].name) for n in ("cppcc-tables", "cppcc"))
    assert f"{tables} + {narrative}" in result.stdout  # one report for the two files
    [report] = json.loads(result.stdout)["documents"]
    in_findings = sum(1 for f in report["findings"] if f["location"]["file"])  # each finding names its own file
    assert result.stdout.count("js-cppcc-2018-dept-budget") == 2 + in_findings
    found = {f["rule"] for doc in json.loads(result.stdout)["documents"] for f in doc["findings"]}
    assert "C005" not in found and "C001" not in found  # (the coverage lists every rule, as ran)


# --- performance forms known by their fields --------------------------------------------------------


def test_project_target_forms_known_by_their_fields() -> None:
    """上海 财政项目支出绩效目标填报表 prints its title inside the grid, under a heading naming no form:
    the five forms are project target forms by their fields (项目名称, 主管部门/实施单位, 一级/三级指标, 指标值)."""
    d = read_disclosure(str(WILD / "shpt-wanli-2023-dept-budget.pdf"))
    assert [(f.kind, f.name) for f in d.performance] == [
        ("project_target", "新建万里街道社区公共服务中心"),
        ("project_target", "就业援助基地补贴"),
        ("project_target", "社区环境整治和建设经费"),
        ("project_target", "各类工作经费"),
        ("project_target", "公共服务设施运行经费"),
    ]
    assert not any(t.title.startswith("未命名表格") for t in d.tables)
    last = d.performance[-1]
    assert {k: a.printed for k, a in last.amounts.items()}["年度资金总额"] == "10,903,043.00"
    assert {k: a.printed for k, a in last.amounts.items()}["年度财政拨款"] == "11,419,043.00"  # as printed (p.35)
    assert len(last.indicators) == 9
    first = d.performance[0].indicators[0]
    assert (first.level1, first.level2, first.name, first.operator, first.target, first.target_unit) == (
        "产出指标",
        "数量指标",
        "规划建筑面积",
        "≥",
        Decimal("13459.00"),
        "平方米",
    )
