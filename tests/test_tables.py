"""Standard tables of the converted seeds: recognised, joined and read exactly.

Every value of every table is compared with the committed golden facts file
(tests/golden/seedNNN.tables.csv, hand-reviewed against the documents: see
tests/golden/REVIEW.md). The tests below state the structure a reader must get right.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from cnbudget.render.facts import facts_csv
from conftest import GOLDEN, rows_as_text, seed, table


def _table_facts(name: str) -> list[dict[str, str]]:
    d = seed(name)
    rows = list(csv.DictReader(io.StringIO(facts_csv(d))))
    names = {t.name for t in d.tables}
    return [r for r in rows if r["table"] in names]


@pytest.mark.parametrize("name", ["000", "001", "002", "003"])
def test_every_table_value_matches_golden(name: str) -> None:
    golden = list(csv.DictReader((GOLDEN / f"seed{name}.tables.csv").read_text(encoding="utf-8").splitlines()))
    assert _table_facts(name) == golden


EXPECTED_TABLES = {
    "000": ["B1", "B2", "B3", "B4", "B5", "B7", "B8", "LOCAL", "LOCAL", "LOCAL"],
    "001": ["B3", "B4", "B5", "B7", "B8"],
    "002": ["B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8", "PROJ"],
    "003": ["F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8", "F9"],
}


@pytest.mark.parametrize("name", sorted(EXPECTED_TABLES))
def test_tables_recognised_by_spec(name: str) -> None:
    assert [t.spec_id for t in seed(name).tables] == EXPECTED_TABLES[name]


def test_units_per_table() -> None:
    assert {t.unit for t in seed("000").tables} == {"元"}
    for name in ("001", "002", "003"):
        assert {t.unit for t in seed(name).tables} == {"万元"}, name


def test_amounts_are_exact_decimals_with_printed_precision() -> None:
    b5 = table(seed("000"), "一般公共预算支出表")
    total = b5.rows[0].get("项目支出")
    assert total is not None and total.amount is not None
    assert total.text == "1,200,000.0000"
    assert total.amount.value == Decimal("1200000.0000") and total.amount.places == 4
    assert total.amount.in_wan() == Decimal("120")
    b4 = table(seed("002"), "财政拨款收支总表")
    first = b4.rows[0].get("金额")
    assert first is not None and first.text == "2,444.5" and first.amount is not None and first.amount.places == 1


def test_empty_cells_are_absent_and_printed_zero_is_zero() -> None:
    f3 = table(seed("003"), "支出表")
    row = next(r for r in f3.rows if r.code == "2080505")
    assert row.get("项目支出") is not None and row.get("项目支出").amount.value == 0  # type: ignore[union-attr]
    b3 = table(seed("002"), "支出表")
    row = next(r for r in b3.rows if r.code == "2080505")
    assert row.get("项目支出") is None


def test_seed000_收支总表_two_streams_every_row() -> None:
    t = table(seed("000"), "收支总表")
    assert rows_as_text(t) == [
        "收入||一、一般公共预算|金额=6,236,581.78",
        "支出||一、基本支出|合计=5,036,581.78;一般公共预算=5,036,581.78;一般公共预算.财政拨款=5,036,581.78",
        "收入||其中：财政拨款|金额=6,236,581.78",
        "支出||（一）人员经费支出|合计=3,920,941.78;一般公共预算=3,920,941.78;一般公共预算.财政拨款=3,920,941.78",
        "收入||非税收入|",
        "支出||1、工资福利性支出|合计=3,920,941.78;一般公共预算=3,920,941.78;一般公共预算.财政拨款=3,920,941.78",
        "收入||一般债券资金|",
        "支出||2、对个人家庭的补助|",
        "收入||二、政府性基金预算|",
        "支出||3、其他人员支出|",
        "收入||三、国有资本经营预算|",
        "支出||（二）公用经费支出|合计=1,115,640.00;一般公共预算=1,115,640.00;一般公共预算.财政拨款=1,115,640.00",
        "收入||四、财政专户管理资金收入|",
        "支出||1、人员运行费定额支出|合计=410,640.00;一般公共预算=410,640.00;一般公共预算.财政拨款=410,640.00",
        "收入||五、其他收入|",
        "支出||2、机关运行费补充支出|合计=705,000.00;一般公共预算=705,000.00;一般公共预算.财政拨款=705,000.00",
        "支出||二、项目支出|合计=1,200,000.00;一般公共预算=1,200,000.00;一般公共预算.财政拨款=1,200,000.00",
        "收入||本年收入小计|金额=6,236,581.78",
        "收入||加：部门财政性资金结转|",
        "收入||收入合计|金额=6,236,581.78",
        "支出||支出合计|合计=6,236,581.78;一般公共预算=6,236,581.78;一般公共预算.财政拨款=6,236,581.78",
    ]


def test_seed000_codes_from_split_columns_and_unit_rows() -> None:
    t = table(seed("000"), "支出表")
    assert [(r.code, r.code_kind, r.label) for r in t.rows] == [
        ("", "", "合计"),
        ("313001", "unit", "安阳市医疗保障局"),
        ("2080505", "function", "机关事业单位基本养老保险缴费支出"),
        ("2101101", "function", "行政单位医疗"),
        ("2101501", "function", "行政运行"),
        ("2101505", "function", "医疗保障政策管理"),
    ]
    row = t.rows[4]
    assert [(v.column, v.path, v.text) for v in row.values] == [
        ("合计", "总计", "4,552,025.43"),
        ("基本支出", "基本支出", "4,552,025.43"),
        ("基本支出.人员经费", "基本支出-人员经费", "3,436,385.43"),
        ("基本支出.公用经费.人员运行定额", "基本支出-公用经费-人员运行定额", "410,640.00"),
        ("基本支出.公用经费.机关运行费补充", "基本支出-公用经费-机关运行费补充", "705,000.00"),
    ]


def test_seed000_local_table_shifted_total_row() -> None:
    t = table(seed("000"), "人员运行费定额支出明细表")
    assert t.spec_id == "LOCAL"
    first = t.rows[0]
    assert first.label == "" and [(v.column, v.text) for v in first.values] == [("合计", "410,640.00"), ("财政拨款", "410,640.00")]


def test_seed000_empty_fund_table_keeps_its_note() -> None:
    t = table(seed("000"), "政府性基金预算支出表")
    assert t.empty and not t.rows
    assert "没有使用政府性基金预算拨款安排的支出" in t.note


def test_seed001_shifted_rows_of_财政拨款收支总表_resolved_and_pieces_joined() -> None:
    t = table(seed("001"), "财政拨款收支总表")
    assert t.parts == 2
    income = [(r.label, r.get("金额").text if r.get("金额") else "") for r in t.rows if r.side == "收入"]  # type: ignore[union-attr]
    assert income[:3] == [("一般公共预算收入小计", "7,117.1"), ("财政拨款", "6,694.1"), ("纳入预算管理的行政事业性收费", "")]
    assert ("上级预拨", "423.0") in income and ("政府性基金收入小计", "555.6") in income and ("当年收入", "539.6") in income
    assert income[-1] == ("收入合计", "7,672.7")
    spend = {r.label: {v.column: v.text for v in r.values} for r in t.rows if r.side == "支出"}
    assert spend["十、卫生健康"] == {"合计": "5,860.7", "一般公共预算": "5,860.7", "一般公共预算.财政拨款": "5,437.7"}
    assert spend["十二、城乡社区支出"] == {"合计": "539.6", "政府性基金": "539.6"}
    assert spend["二十九、其他支出"] == {"合计": "16.0", "政府性基金": "16.0"}
    assert spend["支出合计"] == {"合计": "7,672.7", "一般公共预算": "7,117.1", "一般公共预算.财政拨款": "6,694.1", "政府性基金": "555.6"}


def test_seed001_vertical_三公_list() -> None:
    t = table(seed("001"), "三公经费支出表")
    assert rows_as_text(t) == [
        "||共计|预算数=2.5",
        "||1、因公出国（境）费用|",
        "||2、公务接待费|预算数=0.3",
        "||3、公务用车费|预算数=2.2",
        "||其中：（1）公务用车运行维护费|预算数=2.2",
        "||（2）公务用车购置|",
    ]


def test_seed001_tables_listed_but_not_printed() -> None:
    absent = {a.what: a.reason for a in seed("001").absent}
    for name in ("收支总表", "收入表", "一般公共预算基本支出表", "支出经济分类汇总表"):
        assert name in absent and "listed in the contents" in absent[name]


def test_seed002_duplicated_row_and_unpadded_code_reproduced() -> None:
    t = table(seed("002"), "一般公共预算支出表")
    codes = [r.code for r in t.rows]
    assert codes == ["", "205", "2080505", "2080506", "2210201", "2101301", "2101501", "2101599", "2210201"]


def test_seed002_split_pipe_tables_joined_with_spilled_label() -> None:
    b1 = table(seed("002"), "收支总表")
    assert b1.parts == 2
    labels = [r.label for r in b1.rows if r.side == "支出"]
    assert labels[0] == "一、一般公共服务" and labels[-1] == "支出总计" and "三十四、抗疫特别国债安排的支出" in labels
    proj = table(seed("002"), "项目支出表")
    assert proj.parts == 2
    assert [r.label for r in proj.rows][7] == "困难群众医保缴费补助资金"
    assert len(proj.rows) == 13


def test_seed002_economic_codes_local_subcodes_and_second_code() -> None:
    t = table(seed("002"), "一般公共预算基本支出表")
    assert t.parts == 2 and len(t.rows) == 26
    row = t.rows[1]
    assert (row.code, row.code_kind, row.label) == ("3011202", "economic", "失业保险")
    assert [(v.column, v.text) for v in row.values][:2] == [("政府预算支出经济分类科目编码-科目编码", "50501"), ("政府预算支出经济分类科目编码-科目名称", "工资福利支出")]


def test_seed002_empty_三公_table_with_note() -> None:
    t = table(seed("002"), "三公经费支出表")
    assert t.empty and "故本表无数据" in t.note


def test_seed003_收支总表_line_numbers_and_totals() -> None:
    t = table(seed("003"), "收支总表")
    by = {(r.side, r.label): (r.line_no, r.get("决算数").text) for r in t.rows}  # type: ignore[union-attr]
    assert by[("收入", "一、一般公共预算财政拨款收入")] == ("1", "1,566.22")
    assert by[("收入", "本年收入合计")] == ("27", "1,601.48")
    assert by[("收入", "年初结转和结余")] == ("29", "53.23")
    assert by[("收入", "总计")] == ("31", "1,654.71")
    assert by[("支出", "二十三、其他支出")] == ("54", "76.53")
    assert by[("支出", "年末结转和结余")] == ("60", "15.35")
    assert by[("支出", "总计")] == ("62", "1,654.71")
    assert len([r for r in t.rows if r.side == "支出"]) == 30


def test_seed003_基本支出决算表_three_column_groups_and_totals() -> None:
    t = table(seed("003"), "一般公共预算基本支出表")
    assert t.parts == 2
    by = {(r.side, r.code or r.label): r.get("决算数").text for r in t.rows}  # type: ignore[union-attr]
    assert by[("人员经费", "301")] == "215.55" and by[("人员经费", "30305")] == "0.79"
    assert by[("公用经费", "30228")] == "1.83" and by[("公用经费", "31002")] == "0.12"
    assert by[("人员经费", "人员经费合计")] == "216.34" and by[("公用经费", "公用经费合计")] == "5.96"
    assert len(t.rows) == 90  # 28 人员经费 + 29 公用经费 (302) + 33 (307, 310, 312, 399), totals included


def test_seed003_三公_budget_and_actual_groups() -> None:
    t = table(seed("003"), "三公经费支出表")
    (row,) = t.rows
    assert {v.column: v.text for v in row.values} == {
        "预算数.合计": "1.86", "预算数.因公出国（境）费": "0.00", "预算数.公务用车购置及运行费": "1.50",
        "预算数.公务用车购置费": "0.00", "预算数.公务用车运行费": "1.50", "预算数.公务接待费": "0.36",
        "决算数.合计": "1.31", "决算数.因公出国（境）费": "0.00", "决算数.公务用车购置及运行费": "1.13",
        "决算数.公务用车购置费": "0.00", "决算数.公务用车运行费": "1.13", "决算数.公务接待费": "0.18",
    }


def test_seed003_tree_tables_every_code() -> None:
    f5 = table(seed("003"), "一般公共预算支出表")
    assert [r.code for r in f5.rows] == [
        "", "208", "20805", "2080505", "2080506", "210", "21004", "2100410", "21011", "2101199",
        "21013", "2101301", "21014", "2101401", "21015", "2101501", "2101502", "2101504", "2101599",
    ]
    f3 = table(seed("003"), "支出表")
    assert len(f3.rows) == 23 and f3.parts == 2


def test_seed004_tables_reported_absent_as_images() -> None:
    d = seed("004")
    assert not d.tables
    absent = {a.what: a.reason for a in d.absent}
    assert len(absent) == 9
    assert all("images" in reason for reason in absent.values())


def test_seed003_printed_notes_kept_with_their_numbered_continuation() -> None:
    f9 = table(seed("003"), "国有资本经营预算支出表")
    assert f9.notes == ["注：1. 本表反映单位本年度国有资本经营预算财政拨款支出情况。", "2. 本单位没有使用国有资本经营预算安排的支出，故本表无数据。"]
    assert f9.note == "2.本单位没有使用国有资本经营预算安排的支出，故本表无数据。"
