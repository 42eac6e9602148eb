"""Completeness: required tables, tables listed but absent, empty-table notes, template residue."""

from __future__ import annotations

from cnbudget.rules.completeness import empty_without_note, is_unfilled_template, template_residue
from conftest import seed
from test_rules_support import of, pdf, pdf_findings, seed_findings


def test_required_table_not_printed() -> None:
    [f] = of(seed_findings("000"), "C001")
    assert f.severity == "error" and f.location.table == "B6 一般公共预算基本支出表"
    assert {f.location.table for f in of(seed_findings("001"), "C001")} == {
        "B1 收支总表",
        "B2 收入表",
        "B6 一般公共预算基本支出表",
    }
    assert all("目录" in f.message for f in of(seed_findings("001"), "C001"))


def test_complete_documents_are_silent() -> None:
    for name in ("002", "003"):
        assert of(seed_findings(name), "C001") == []
    assert of(pdf_findings("finance"), "C001") == []


def test_listed_in_contents_but_not_printed() -> None:
    [f] = of(seed_findings("002"), "C002")
    assert f.severity == "warning" and "支出经济分类汇总表" in f.message
    assert of(seed_findings("003"), "C002") == []


def test_empty_tables_carry_their_note() -> None:
    # seeds 000 (B8), 002 (B7, B8) and 003 (F9) print empty tables with a note
    for name in ("000", "002", "003"):
        assert of(seed_findings(name), "C003") == []
    d = seed("002").model_copy(deep=True)
    b8 = next(t for t in d.tables if t.spec_id == "B8")
    b8.note = ""
    [f] = list(empty_without_note(d))
    assert f.rule == "C003" and f.severity == "error" and f.location.table == "B8 政府性基金预算支出表"


def test_unreadable_tables_are_one_warning() -> None:
    [f] = of(seed_findings("004"), "C005")
    assert f.severity == "warning" and "收支总表" in f.message
    assert of(seed_findings("004"), "C001") == []  # not reported as missing: they could not be read


def test_template_residue_in_a_published_document() -> None:
    # 004: '其中0车0辆、0车0辆' — the vehicle type was never filled in
    [f] = of(seed_findings("004"), "C004")
    assert f.actual == "0车0辆" and f.location.line == 2583
    # Putuo planning bureau 2024: '下降（增长）27.78%' left in the 三公 paragraph
    [g] = of(pdf_findings("planning"), "C004")
    assert g.actual == "下降（增长）" and g.location.page is not None


def test_no_template_residue_in_finished_documents() -> None:
    for name in ("000", "001", "002", "003"):
        assert list(template_residue(seed(name))) == []
    assert of(pdf_findings("finance"), "C004") == []


def test_the_shanghai_template_is_recognised_as_unfilled() -> None:
    d = pdf("template")
    assert is_unfilled_template(d)
    # one root cause, one finding: the unfilled template is one C004 listing every residue as an instance
    [group] = of(pdf_findings("template"), "C004")
    found = group.instances
    assert len(found) > 1 and f"{len(found) - 1} more places:" in group.message
    # placeholders in titles, notes and labels, and in the 情况说明's paragraphs ('主要原因：XXXXXXXX。'),
    # and the unresolved alternative '大于（小于）'
    assert {f.actual for f in found} == {"XX", "XXX", "XXXXXXXX", "大于（小于）"}
    assert any(f.location.table.startswith("F8") for f in found)  # '说明：上海市XX局本年度没有…'
    assert list(empty_without_note(d)) == []  # a template's blank tables are not 'empty without note'
    assert not is_unfilled_template(seed("003"))


def test_required_explanations_present_in_every_narrative() -> None:
    from cnbudget.rules.completeness import required_explanations

    for name in ("001", "002", "003", "004"):
        assert list(required_explanations(seed(name))) == [], name
    assert [(f.severity, f.actual) for f in required_explanations(seed("000"))] == [("warning", "not in this file")]


def test_required_explanation_removed_fires(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from cnbudget.pipeline import read_disclosure
    from cnbudget.rules.completeness import required_explanations
    from conftest import SEED_FILES

    text = SEED_FILES["003"].read_text(encoding="utf-8")
    start, end = text.index("（二）政府采购支出情况"), text.index("（三）国有资产占用情况")
    path = tmp_path / "no_procurement.txt"
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    found = list(required_explanations(read_disclosure(str(path))))
    assert [(f.rule, f.severity, f.expected) for f in found] == [("C006", "error", "政府采购")]
