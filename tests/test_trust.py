"""Trust: a table read wrong is named as not understood and no rule reads it; coverage is reported;
findings of one root cause are one finding with its instances."""

from __future__ import annotations

import json
from pathlib import Path

from cnbudget.model import Disclosure
from cnbudget.pipeline import read_disclosure
from cnbudget.render.report import to_csv, to_json
from cnbudget.rules.findings import Finding, Where, group_findings
from cnbudget.rules.registry import check_document
from cnbudget.rules.report import DocumentReport
from conftest import SEED_FILES, seed

IDENTITY_CATEGORIES = ("arithmetic", "cross_table")


def _mutated(tmp_path: Path, name: str, seed_name: str, change) -> Disclosure:  # type: ignore[no-untyped-def]
    lines = SEED_FILES[seed_name].read_text(encoding="utf-8").split("\n")
    path = tmp_path / name
    path.write_text("\n".join(change(lines)), encoding="utf-8")
    return read_disclosure(str(path))


def _shift_code_column(lines: list[str]) -> list[str]:
    """Seed 003's 收入决算表 (F2) with every data row one cell to the right: codes under 科目名称."""
    start = lines.index("收入决算表")
    header = next(i for i in range(start, len(lines)) if lines[i].startswith("栏次"))
    out = list(lines)
    i = header + 1
    while out[i].strip():
        out[i] = "\t" + out[i]
        i += 1
    return out


def _drop_level_row(lines: list[str]) -> list[str]:
    """Seed 000's 部门支出总体情况表 (B3) without its 类/款/项 header row: the code header loses a level."""
    start = lines.index("## 部门支出总体情况表")
    level = next(i for i in range(start, len(lines)) if lines[i].startswith("类\t款\t项"))
    return lines[:level] + lines[level + 1 :]


def _about(f: Finding, spec_id: str) -> bool:
    return f.location.table.startswith(spec_id + " ") or f" {spec_id} " in f" {f.message} " or f.message.startswith(spec_id)


def _assert_not_understood_and_silent(d: Disclosure, spec_id: str) -> None:
    table = d.table(spec_id)
    assert table is not None and not table.understood and table.problems
    result = check_document(d)
    named = [f for f in result.findings if f.rule == "C007"]
    assert len(named) == 1 and named[0].location.table.startswith(spec_id)
    assert named[0].severity == "warning"
    identity = [f for f in result.findings if f.category in IDENTITY_CATEGORIES and _about(f, spec_id)]
    assert identity == []
    not_checked = {c.rule: c.reason for c in result.coverage if c.status == "not checked"}
    assert any("not understood" in reason and spec_id in reason for reason in not_checked.values())


def test_shifted_code_column_is_not_understood(tmp_path: Path) -> None:
    d = _mutated(tmp_path, "shifted.txt", "003", _shift_code_column)
    assert seed("003").table("F2") is not None and seed("003").table("F2").understood  # type: ignore[union-attr]
    _assert_not_understood_and_silent(d, "F2")
    problems = " ".join(d.table("F2").problems)  # type: ignore[union-attr]
    assert "holds text, not amounts" in problems


def test_lost_header_level_is_not_understood(tmp_path: Path) -> None:
    d = _mutated(tmp_path, "levels.txt", "000", _drop_level_row)
    assert seed("000").table("B3").understood  # type: ignore[union-attr]
    _assert_not_understood_and_silent(d, "B3")


def test_every_table_read_right_stays_understood() -> None:
    for name in ("000", "001", "002", "003", "004"):
        assert [(t.spec_id, t.problems) for t in seed(name).tables if not t.understood] == []


def test_missing_table_gives_not_checked_coverage_and_no_finding() -> None:
    d = seed("003")
    trimmed = d.model_copy(update={"tables": [t for t in d.tables if t.spec_id != "F8"]})
    result = check_document(trimmed)
    coverage = {c.rule: c for c in result.coverage}
    assert coverage["X-F5"].status == "not checked"
    assert "F8" in coverage["X-F5"].reason and "not printed" in coverage["X-F5"].reason
    assert not [f for f in result.findings if f.rule == "X-F5"]
    # without --prior the year-over-year rules say so instead of passing silently
    assert coverage["Y-1"].status == "not checked" and "prior" in coverage["Y-1"].reason


def test_identity_over_unknown_sibling_column_is_not_checked() -> None:
    d = seed("003")
    f2 = d.table("F2")
    assert f2 is not None
    col = next(c for c in f2.columns if c.key == "财政拨款收入")
    renamed = f2.model_copy(deep=True)
    for c in renamed.columns:
        if c.key == col.key:
            c.key = c.path = "未知收入"
    for r in renamed.rows:
        for v in r.values:
            if v.column == col.key:
                v.column = v.path = "未知收入"
    changed = d.model_copy(update={"tables": [renamed if t is f2 else t for t in d.tables]})
    result = check_document(changed)
    assert not [f for f in result.findings if f.rule == "F2-1"]
    f21 = next(c for c in result.coverage if c.rule == "F2-1")
    assert f21.status == "not checked" and "未知收入" in f21.reason


def test_same_cause_is_one_finding_with_instances() -> None:
    found = [
        Finding("X", "arithmetic", "error", f"imbalance at {level}", Where(row=level), cause="F3|合计|1.00")
        for level in ("类 210", "款 21011", "项 2101101")
    ] + [Finding("X", "arithmetic", "error", "another", Where(row="other"))]
    grouped = group_findings(found)
    assert len(grouped) == 2
    assert [i.location.row for i in grouped[0].instances] == ["类 210", "款 21011", "项 2101101"]
    assert grouped[1].instances == ()


def test_coverage_in_json_and_csv() -> None:
    d = seed("003")
    result = check_document(d)
    report = DocumentReport(source="003.txt", meta=d.meta, findings=result.findings, coverage=result.coverage)
    data = json.loads(to_json([report]))
    cov = data["documents"][0]["coverage"]
    assert {c["status"] for c in cov} >= {"ran", "not checked"}
    assert any(c["rule"] == "Y-1" and c["status"] == "not checked" for c in cov)
    assert ",coverage," in to_csv([report])


def test_unmapped_glyphs_make_a_table_not_understood() -> None:
    from cnbudget.recognize.verify import verify_table

    f2 = seed("003").table("F2")
    assert f2 is not None and verify_table(f2) == []
    broken = f2.model_copy(deep=True)
    for r in broken.rows[:3]:
        r.label = "\ue01a\ue02b" + r.label
    problems = verify_table(broken)
    assert len(problems) == 1 and "text layer is broken" in problems[0]


def test_a_title_without_a_body_is_not_understood_not_empty() -> None:
    from cnbudget.recognize.verify import verify_table

    b8 = seed("000").table("B8")
    assert b8 is not None and b8.note and verify_table(b8) == []  # printed empty, with its note: understood
    bodiless = b8.model_copy(update={"parts": 0, "note": "", "rows": [], "columns": []})
    assert "no table body" in verify_table(bodiless)[0]


def _raise_class_and_item(lines: list[str]) -> list[str]:
    """Seed 003's F2 with 208 and 20805 printed 1.00 higher in 本年收入合计 (their parts unchanged)."""
    start = lines.index("收入决算表")
    out = list(lines)
    for i in range(start, start + 40):
        cells = out[i].split("\t")
        if cells[0] in ("208", "20805") and cells[2] == "29.52":
            cells[2] = "30.52"
            out[i] = "\t".join(cells)
    return out


def test_one_imbalance_at_several_levels_is_one_finding(tmp_path: Path) -> None:
    d = _mutated(tmp_path, "imbalance.txt", "003", _raise_class_and_item)
    assert d.table("F2").understood  # type: ignore[union-attr]  # a document's own error is not a misreading
    result = check_document(d)
    in_f2 = [f for f in result.findings if f.location.table.startswith("F2") and f.severity == "error"]
    by_rule = {f.rule: f for f in in_f2}
    assert sorted(by_rule) == ["B3-4", "F2-1"] and len(in_f2) == 2
    # 合计 ≠ Σ类 and 20805 ≠ Σ项 by the same 1.00 in the same column: one cause, two instances
    assert [i.location.row for i in by_rule["B3-4"].instances] == ["合计", "20805 行政事业单位养老支出"]
    # the row identity fails on 208 and on 20805 by the same 1.00: one finding listing both rows
    assert [i.location.row for i in by_rule["F2-1"].instances] == ["208 社会保障和就业支出", "20805 行政事业单位养老支出"]
    assert "1 more place" in by_rule["F2-1"].message


def test_required_table_is_not_reported_missing_when_untyped_tables_could_be_it() -> None:
    d = seed("000")
    assert [f.rule for f in check_document(d).findings if f.rule == "C001"] == ["C001"]  # the true finding
    b5 = d.table("B5")
    assert b5 is not None
    untyped = b5.model_copy(update={"spec_id": "LOCAL", "name": "部门：某局单位：万元", "title": "部门：某局单位：万元"})
    result = check_document(d.model_copy(update={"tables": [*d.tables, untyped]}))
    assert not [f for f in result.findings if f.rule == "C001"]
    c001 = next(c for c in result.coverage if c.rule == "C001")
    assert c001.status == "not checked" and "could not be typed" in c001.reason


def test_an_empty_note_printed_inside_the_grid_counts_as_the_note() -> None:
    from cnbudget.model import Row
    from cnbudget.rules.completeness import empty_without_note

    d = seed("000")
    b8 = d.table("B8")
    assert b8 is not None and b8.empty
    bare = b8.model_copy(update={"note": "", "rows": []})
    assert [f.rule for f in empty_without_note(d.model_copy(update={"tables": [bare]}))] == ["C003"]
    inside = bare.model_copy(update={"rows": [Row(label="（本单位无政府性基金预算支出，故本表无数据）", location=b8.location)]})
    assert list(empty_without_note(d.model_copy(update={"tables": [inside]}))) == []


def test_low_ocr_confidence_makes_a_table_not_understood() -> None:
    from cnbudget.recognize.verify import verify_table

    f2 = seed("003").table("F2")
    assert f2 is not None
    scanned = f2.model_copy(deep=True)
    for r in scanned.rows:
        for v in r.values:
            v.location.ocr, v.location.ocr_confidence = True, 0.99
    assert verify_table(scanned) == []
    value = next(v for r in scanned.rows for v in r.values if v.amount is not None)
    value.location.ocr_confidence = 0.55
    [problem] = verify_table(scanned)
    assert "low confidence" in problem and "0.55" in problem
