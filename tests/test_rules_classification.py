"""Classification: unknown 类, code/name mismatch, outdated names, duplicated rows, misplaced rows."""

from __future__ import annotations

from cnbudget.model import Disclosure
from cnbudget.rules.classification import misplaced_rows, name_mismatch, outdated_names, unknown_codes
from conftest import seed
from test_rules_support import of, pdf_findings, seed_findings

SEEDS = ("000", "001", "002", "003", "004")


def test_duplicated_row_in_002() -> None:
    [f] = of(seed_findings("002"), "K004")
    assert f.severity == "error"
    assert f.location.table == "B5 一般公共预算支出表" and f.location.row == "2210201 住房公积金"
    assert "lines 321 and 325" in f.message


def test_no_duplicates_elsewhere() -> None:
    # 002's 一般公共预算基本支出表 prints 3010204 twice with different 政府经济分类: not a duplicate
    for name in ("000", "001", "003"):
        assert of(seed_findings(name), "K004") == []
    assert not [f for f in seed_findings("002") if f.rule == "K004" and f.location.table.startswith("B6")]


def test_outdated_class_names_are_info() -> None:
    rows = {f.location.row for f in of(seed_findings("000"), "K003")}
    assert rows == {"七、文化体育与传媒", "十、医疗卫生", "二十、国土海洋气象等支出"}
    [f] = of(seed_findings("002"), "K003")
    assert f.severity == "info" and f.location.row == "（九）医疗卫生与计划生育支出" and f.expected == "卫生健康支出"
    assert of(seed_findings("003"), "K003") == []


def test_seeds_and_pdfs_have_valid_codes_and_names() -> None:
    for name in SEEDS:
        for rule in ("K001", "K002", "K005"):
            assert of(seed_findings(name), rule) == [], (name, rule)
    for name in ("finance", "planning", "template"):
        assert [f for f in pdf_findings(name) if f.rule.startswith("K")] == []


def _copy(name: str) -> Disclosure:
    return seed(name).model_copy(deep=True)


def test_unknown_class_fires() -> None:
    d = _copy("003")
    f3 = next(t for t in d.tables if t.spec_id == "F3")
    f3.rows[1].code = "298"
    [f] = list(unknown_codes(d))
    assert f.severity == "error" and f.actual == "298"


def test_code_name_mismatch_fires() -> None:
    d = _copy("003")
    f5 = next(t for t in d.tables if t.spec_id == "F5")
    row = next(r for r in f5.rows if r.code == "2101501")
    row.code = "2101301"  # 城乡医疗救助 printed with the name 行政运行
    found = [f for f in name_mismatch(d) if f.location.table.startswith("F5")]
    assert [(f.actual, f.expected) for f in found] == [("行政运行", "城乡医疗救助")]
    assert list(name_mismatch(seed("003"))) == []


def test_outdated_coded_name_fires() -> None:
    d = _copy("003")
    d.meta.year = 2021
    f2 = next(t for t in d.tables if t.spec_id == "F2")
    row = next(r for r in f2.rows if r.code == "210")
    row.label = "医疗卫生与计划生育支出"
    found = [f for f in outdated_names(d) if f.location.table.startswith("F2")]
    assert [f.location.row for f in found] == ["210 医疗卫生与计划生育支出"]


def test_misplaced_row_fires() -> None:
    d = _copy("003")
    f3 = next(t for t in d.tables if t.spec_id == "F3")
    i = next(i for i, r in enumerate(f3.rows) if r.code == "2080506")
    j = next(i for i, r in enumerate(f3.rows) if r.code == "21011")
    f3.rows.insert(j + 1, f3.rows.pop(i))  # a 208 项 printed under 类 210
    found = list(misplaced_rows(d))
    assert [f.location.row for f in found] == ["2080506 机关事业单位职业年金缴费支出"]
    assert "210" in found[0].message
