"""Identities declared as data (specs/identities.json), checked on the real documents.

Each rule is shown firing on a real mistake where a seed has one, and staying silent (while
actually comparing figures) where the document is right; synthetic mistakes planted in a copy of
a correct seed show each kind of declaration firing.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from cnbudget.model import Amount, Disclosure, Row
from cnbudget.rules.identities import analyse, class_of_label, declarations, label_of, parse_expr
from cnbudget.rules.registry import run
from conftest import seed
from test_rules_support import errors, of, pdf_findings, seed_findings

ARITHMETIC = ("arithmetic", "cross_table")


# --- the declarations -------------------------------------------------------------------------


def test_every_identity_rule_is_declared_and_checked_somewhere() -> None:
    decl = declarations()
    ids = {r.id for r in decl.rules}
    assert ids == {c.rule for c in decl.checks}
    assert {"B3-4", "X-B5", "X-F7", "F1-1", "F4-3"} <= ids


def test_expressions_and_labels() -> None:
    expr = parse_expr("基本支出|基本支出.* + 项目支出 - 年末")
    assert [op.key for op in expr[0]] == ["基本支出"]
    assert [(op.key, op.sign, op.wildcard) for op in expr[1]] == [("基本支出", 1, True), ("项目支出", 1, False), ("年末", -1, False)]
    assert label_of("其中：（1）公务用车运行维护费").level == 4
    assert label_of("其中：（1）公务用车运行维护费").text == "公务用车运行维护费"
    assert label_of("（十）卫生健康支出").level == 2
    assert label_of("加：部门财政性资金结转").text == "部门财政性资金结转"
    assert label_of("收入合计:").total_like
    assert class_of_label("（九）医疗卫生与计划生育支出") == "210"
    assert class_of_label("十、医疗卫生") == "210"
    assert class_of_label("（七）文化体育旅游与传媒支出") == "207"
    assert class_of_label("三十四、抗议特别国债安排的支出") == "234"
    assert class_of_label("一、基本支出") is None


# --- seed 002 (台前 2023 预算): real mistakes --------------------------------------------------


def test_002_budget_table_class_lines_disagree_with_the_spending_table() -> None:
    found = {(f.location.row, f.actual, f.expected) for f in of(seed_findings("002"), "X-B3", "error")}
    assert found == {
        ("一、一般公共服务", "76.33", "0.00"),
        ("八、社会保障和就业", "0.00", "66.00"),
        ("十、卫生健康", "2,393.61", "2,354.94"),
        ("二十一、住房保障支出", "0.00", "49.00"),
    }


def test_002_fiscal_table_classes_disagree_with_the_general_budget_table() -> None:
    found = {(f.location.row, f.actual, f.expected) for f in of(seed_findings("002"), "X-B5", "error")}
    assert found == {("（八）社会保障和就业支出", "80.21", "66.00"), ("（十）卫生健康支出", "2,315.29", "2,280.50")}


def test_002_general_budget_table_totals_do_not_match_its_rows() -> None:
    b5 = [f for f in of(seed_findings("002"), "B3-4", "error") if f.location.table.startswith("B5")]
    by_column = {f.location.column: (f.actual, f.expected) for f in b5}
    assert by_column == {
        "合计": ("2,444.50", "2,395.50"),  # 住房公积金 printed twice, counted once
        "基本支出": ("584.50", "556.50"),
        "项目支出-小计": ("1,860.00", "1,839.00"),
        "项目支出-其他运转类": ("852.00", "831.00"),
    }
    assert all("printed twice" in f.message for f in b5)


def test_002_carry_over_missing_from_the_fiscal_table() -> None:
    [f] = of(seed_findings("002"), "X-B10")
    assert (f.severity, f.actual, f.expected) == ("error", "0.00", "25.44")


def test_002_converter_misalignment_is_a_warning_not_an_error() -> None:
    findings = seed_findings("002")
    b2 = [f for f in findings if f.location.table.startswith("B2")]
    assert [f.severity for f in b2] == ["warning"]
    assert "misalignment" in b2[0].message and "上年结转结余-其他收入" in b2[0].message
    assert of(findings, "X-B1") == []  # the shifted row is not used across tables
    a = analyse(seed("002"))
    assert len(a.suspect) == 3


@pytest.mark.parametrize("rule", ["B1-1", "B1-2", "B1-3", "B1-4", "B1-5", "B4-1", "B4-2", "B6-1", "B6-2", "X-B2", "X-B8", "X-B9", "X-B15"])
def test_002_silent_where_right(rule: str) -> None:
    assert of(seed_findings("002"), rule) == []
    assert analyse(seed("002")).checked.get(rule, 0) > 0


# --- seed 003 (峄城 2020 决算): rounding only ---------------------------------------------------


def test_003_has_only_rounding_differences() -> None:
    arithmetic = [f for f in seed_findings("003") if f.category in ARITHMETIC]
    assert arithmetic
    assert {f.severity for f in arithmetic} == {"info"}
    assert all(f.message.startswith("尾数差异") for f in arithmetic)
    rounding = {(f.rule, f.location.row, f.actual, f.expected) for f in arithmetic}
    assert ("F3-1", "合计", "1,639.35", "1,639.36") in rounding
    assert ("B6-2", "301 工资福利支出", "215.55", "215.54") in rounding
    assert ("F1-2", "总计", "1,654.71", "1,654.70") in rounding


def test_003_income_differing_from_spending_per_item_is_not_a_finding() -> None:
    # 2101301 城乡医疗救助: 收入 1,296.83 vs 支出 1,283.93 — allowed
    assert not [f for f in seed_findings("003") if "2101301" in f.location.row]


@pytest.mark.parametrize("rule", ["X-F1", "X-F2", "X-F3", "X-F4", "X-F5", "X-F6", "X-F7", "X-F8", "F1-1", "F1-3", "F2-1"])
def test_003_cross_tables_checked_and_silent(rule: str) -> None:
    assert [f for f in of(seed_findings("003"), rule) if f.severity != "info"] == []
    assert analyse(seed("003")).checked.get(rule, 0) > 0


def test_003_basic_spending_equals_personnel_plus_public() -> None:
    # F6 人员经费合计 216.34 + 公用经费合计 5.96 = 222.30 = F5 基本支出
    assert of(seed_findings("003"), "X-F7") == []
    assert analyse(seed("003")).checked["X-F7"] == 1


# --- seeds 000 and 001: silent ----------------------------------------------------------------


@pytest.mark.parametrize("name", ["000", "001"])
def test_correct_seeds_have_no_arithmetic_finding(name: str) -> None:
    assert [f for f in seed_findings(name) if f.category in ARITHMETIC] == []


def test_000_three_public_uses_the_subtotal_column() -> None:
    checked = analyse(seed("000")).checked
    assert checked["B7-1"] > 0 and checked["B7-2"] > 0
    assert of(seed_findings("000"), "B7-1") == of(seed_findings("000"), "B7-2") == []


def test_001_project_differences_are_explained_by_funds_and_carry_over() -> None:
    a = analyse(seed("001"))
    assert a.checked["X-B9"] >= 18 and a.checked["B4-3"] == 3 and a.checked["X-B6"] > 0
    assert of(seed_findings("001"), "X-B9") == []


# --- the sample PDFs --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["finance", "planning"])
def test_putuo_pdfs_have_no_arithmetic_error(name: str) -> None:
    assert [f for f in pdf_findings(name) if f.category in ARITHMETIC and f.severity != "info"] == []


def test_shanghai_template_yields_only_template_residue() -> None:
    findings = pdf_findings("template")
    assert findings
    assert {f.rule for f in findings} == {"C004"}


# --- planted mistakes: each kind of declaration fires -----------------------------------------


def _plant(name: str, spec: str, pick: Callable[[Row], bool], column: str, text: str) -> Disclosure:
    d = seed(name).model_copy(deep=True)
    table = next(t for t in d.tables if t.spec_id == spec)
    row = next(r for r in table.rows if pick(r))
    value = next(v for v in row.values if v.column == column)
    assert value.amount is not None
    value.text = text
    value.amount = Amount(printed=text, value=Decimal(text.replace(",", "")), unit=value.amount.unit, places=2)
    return d


def _code(code: str) -> Callable[[Row], bool]:
    return lambda r: r.code == code


def _label(label: str, side: str = "") -> Callable[[Row], bool]:
    return lambda r: r.label == label and (not side or r.side == side)


PLANTED = [
    # (spec, row, column, new value, rule that must fire)
    ("F3", _code("2101501"), "基本支出", "180.87", "F3-1"),  # row sum
    ("F2", _label("合计"), "财政拨款收入", "1,701.48", "B3-4"),  # column total
    ("F5", _code("21015"), "基本支出", "194.87", "B3-4"),  # tree (款 = Σ 项)
    ("F1", _label("总计", "收入"), "决算数", "1,664.71", "F1-1"),  # named rows
    ("F1", _label("本年收入合计", "收入"), "决算数", "1,611.48", "F1-4"),  # numbered outline
    ("F5", _label("合计"), "基本支出", "232.30", "X-F7"),  # equality across tables
    ("F5", _code("2101301"), "合计", "1,383.93", "X-F8"),  # ≥ per 项
]


@pytest.mark.parametrize(("spec", "pick", "column", "text", "rule"), PLANTED)
def test_planted_mistake_fires_as_error(spec: str, pick: Callable[[Row], bool], column: str, text: str, rule: str) -> None:
    d = _plant("003", spec, pick, column, text)
    fired = of(run(d), rule, "error")
    assert fired, f"{rule} did not fire"
    assert all("misalignment" not in f.message for f in fired)


def test_planted_mistake_is_located() -> None:
    d = _plant("003", "F3", _code("2101501"), "基本支出", "180.87")
    [f] = [f for f in of(run(d), "F3-1", "error") if "2101501" in f.location.row]
    assert f.location.table == "F3 支出表"
    assert f.location.line is not None
    assert (f.actual, f.expected) == ("184.87", "180.87")


def test_correct_seeds_have_no_arithmetic_error() -> None:
    for name in ("000", "001", "003", "004"):
        assert [f for f in errors(seed_findings(name)) if f.category in ARITHMETIC] == [], name
