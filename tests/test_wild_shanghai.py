"""Shanghai-family 预算 documents never seen in development (../shared/samples/wild/sh*), and the
pdfplumber plain-text extraction of one of them, read as printed.

Every value asserted here was read off the rendered page (pypdfium2 at 80–100 dpi): the 合计 rows
of 收支总表, 收入表, 支出表 and 基本支出表, the first function row of the 收入表, the department
named on the cover ('预算主管部门：X' / '预算单位：X').
"""

from __future__ import annotations

import csv
from collections import Counter
from functools import cache

import pytest

from cnbudget.api import check_one
from cnbudget.ingest.plaintext import split_glued
from cnbudget.model import Disclosure, Line, Table
from cnbudget.pipeline import read_disclosure
from cnbudget.recognize.meta import labelled_department
from cnbudget.recognize.plain import split_row
from cnbudget.render.facts import fact_rows
from cnbudget.rules.registry import run
from cnbudget.specs.reading import reading_hints
from conftest import GOLDEN, SHARED

WILD = SHARED / "samples" / "wild"
STANDARD = ["B1", "B2", "B3", "B4", "B5", "B8", "B9", "B6", "B7"]

# file → (department, region, year, scope, rows per spec)
DOCS: dict[str, tuple[str, str, int, str, dict[str, int]]] = {
    "sh-finance-bureau-2025-unit-budget.pdf": (
        "上海市财政局", "上海市", 2025, "单位",
        {"B1": 13, "B2": 24, "B3": 24, "B4": 9, "B5": 24, "B8": 1, "B9": 1, "B6": 35, "B7": 1},
    ),
    "shpt-finance-2025-dept-budget.pdf": (
        "上海市普陀区财政局", "上海市普陀区", 2025, "部门",
        {"B1": 13, "B2": 20, "B3": 20, "B4": 9, "B5": 20, "B8": 1, "B9": 1, "B6": 30, "B7": 1},
    ),
    "shpt-govoffice-2025-dept-budget.pdf": (
        "上海市普陀区人民政府办公室", "上海市普陀区", 2025, "部门",
        {"B1": 13, "B2": 21, "B3": 21, "B4": 9, "B5": 21, "B8": 1, "B9": 1, "B6": 30, "B7": 1},
    ),
    "shpt-govoffice-2025-unit-budget.pdf": (
        "上海市普陀区人民政府办公室", "上海市普陀区", 2025, "单位",
        {"B1": 13, "B2": 21, "B3": 21, "B4": 9, "B5": 21, "B8": 1, "B9": 1, "B6": 30, "B7": 1},
    ),
    "shpt-wanli-2023-dept-budget.pdf": (
        "上海市普陀区人民政府万里街道办事处", "上海市普陀区", 2023, "部门",
        {"B1": 17, "B2": 67, "B3": 67, "B4": 13, "B5": 67, "B8": 1, "B9": 1, "B6": 31, "B7": 1},
    ),
    "shpt-wanli-2024-dept-budget.pdf": (
        "上海市普陀区人民政府万里街道办事处", "上海市普陀区", 2024, "部门",
        {"B1": 18, "B2": 67, "B3": 67, "B4": 14, "B5": 67, "B8": 1, "B9": 1, "B6": 32, "B7": 1},
    ),
}

# file → {(spec, row label or code, column): printed value}
VALUES: dict[str, dict[tuple[str, str, str], str]] = {
    "sh-finance-bureau-2025-unit-budget.pdf": {
        ("B1", "收入总计", "金额"): "171,915,169",
        ("B2", "合计", "合计"): "171,915,169",
        ("B2", "合计", "财政拨款收入"): "171,915,169",
        ("B2", "20106", "财政拨款收入"): "127,886,849",
        ("B3", "合计", "基本支出"): "127,642,039",
        ("B3", "合计", "项目支出"): "44,273,130",
        ("B6", "合计", "人员经费"): "102,464,260",
        ("B6", "合计", "公用经费"): "25,177,779",
    },
    "shpt-finance-2025-dept-budget.pdf": {
        ("B1", "收入总计", "金额"): "31,214,205.80",
        ("B2", "合计", "财政拨款收入"): "31,214,205.80",
        ("B2", "20106", "合计"): "22,186,440.80",
        ("B3", "合计", "基本支出"): "25,121,091.00",
        ("B3", "合计", "项目支出"): "6,093,114.80",
        ("B6", "合计", "人员经费"): "22,826,756.00",
        ("B6", "合计", "公用经费"): "2,294,335.00",
    },
    "shpt-govoffice-2025-dept-budget.pdf": {
        ("B1", "支出总计", "金额"): "91,016,775.35",
        ("B2", "合计", "财政拨款收入"): "91,016,775.35",
        ("B2", "20103", "财政拨款收入"): "82,096,797.42",
        ("B2", "2010301", "合计"): "12,029,501.84",
        ("B2", "2010302", "财政拨款收入"): "46,140,000.00",
        ("B3", "合计", "项目支出"): "66,410,000.00",
        ("B6", "合计", "公用经费"): "2,132,777.54",
    },
    "shpt-govoffice-2025-unit-budget.pdf": {
        ("B2", "合计", "合计"): "91,016,775.35",
        ("B3", "合计", "基本支出"): "24,606,775.35",
        ("B6", "合计", "人员经费"): "22,473,997.81",
    },
    "shpt-wanli-2023-dept-budget.pdf": {
        ("B1", "收入总计", "金额"): "164,978,640",
        ("B2", "合计", "财政拨款收入"): "164,978,640",
        ("B2", "20105", "合计"): "627,600",
        ("B3", "合计", "基本支出"): "99,406,297",
        ("B3", "合计", "项目支出"): "65,572,343",
        ("B6", "合计", "公用经费"): "15,381,432",
    },
    "shpt-wanli-2024-dept-budget.pdf": {
        ("B1", "收入总计", "金额"): "156,211,123",
        ("B2", "合计", "合计"): "156,211,123",
        ("B2", "合计", "财政拨款收入"): "156,211,123",
        ("B2", "合计", "事业收入"): "0",
        ("B2", "20105", "财政拨款收入"): "257,700",
        ("B3", "合计", "基本支出"): "99,706,020",
        ("B3", "合计", "项目支出"): "56,505,103",
        ("B6", "合计", "人员经费"): "88,537,451",
        ("B6", "30102", "合计"): "16,623,810",
    },
}

PLAIN = "shpt-wanli-2024-dept-budget.pdfplumber.txt"
PLAIN_PDF = "shpt-wanli-2024-dept-budget.pdf"


@cache
def wild(name: str) -> Disclosure:
    return read_disclosure(str(WILD / name))


def _spec(d: Disclosure, spec_id: str) -> Table:
    found = [t for t in d.tables if t.spec_id == spec_id]
    assert len(found) == 1, f"{spec_id}: {[t.spec_id for t in d.tables]}"
    return found[0]


def _value(t: Table, key: str, column: str) -> str | None:
    rows = [r for r in t.rows if (r.code == key if key.isdigit() else r.label == key and not r.code)]
    texts = [v.text for r in rows for v in r.values if v.column == column]
    return texts[0] if len(texts) == 1 else None


def _cells(d: Disclosure, specs: set[str]) -> set[tuple[str, str, str, str, str, str]]:
    return {
        (t.spec_id, r.side, r.code, r.label if not r.code else "", v.column, v.text)
        for t in d.tables
        if t.spec_id in specs
        for r in t.rows
        for v in r.values
    }


@pytest.mark.parametrize("name", sorted(DOCS))
def test_standard_tables_recognised_with_their_spec(name: str) -> None:
    d = wild(name)
    assert [t.spec_id for t in d.tables if t.spec_id != "LOCAL"] == STANDARD
    assert not d.absent


@pytest.mark.parametrize("name", sorted(DOCS))
def test_meta_department_from_the_cover_label(name: str) -> None:
    department, region, year, scope, _ = DOCS[name]
    m = wild(name).meta
    assert (m.department, m.region, m.year, m.kind, m.scope) == (department, region, year, "预算", scope)


@pytest.mark.parametrize("name", sorted(DOCS))
def test_row_counts(name: str) -> None:
    d = wild(name)
    assert {t.spec_id: len(t.rows) for t in d.tables if t.spec_id != "LOCAL"} == DOCS[name][4]


@pytest.mark.parametrize("name", sorted(VALUES))
def test_values_as_printed(name: str) -> None:
    d = wild(name)
    for (spec_id, key, column), printed in VALUES[name].items():
        assert _value(_spec(d, spec_id), key, column) == printed, (spec_id, key, column)


@pytest.mark.parametrize("name", sorted(DOCS))
def test_income_table_single_fiscal_column_mapped(name: str) -> None:
    """Shanghai's 收入表 prints one 财政拨款收入 column (no 一般公共预算/政府性基金 split) and the
    label under 功能分类科目名称; every column has its canonical key and no name lands among values."""
    t = _spec(wild(name), "B2")
    assert [c.key for c in t.columns if c.role == "value"] == ["合计", "财政拨款收入", "事业收入", "事业单位经营收入", "其他收入"]
    assert [c.role for c in t.columns[:4]] == ["code", "code", "code", "label"]
    assert all(r.label for r in t.rows)
    assert all(v.amount is not None for r in t.rows for v in r.values)


@pytest.mark.parametrize("name", sorted(DOCS))
def test_income_identities_silent(name: str) -> None:
    """B2-1 (合计 = Σ sources) holds on every row of these documents once 财政拨款收入 is known."""
    findings = [f for f in run(wild(name)) if f.rule in ("B2-1", "X-B1", "C006") and f.severity != "info"]
    assert findings == []


def test_continuation_total_row_aligned_to_the_value_columns() -> None:
    """The 收入表 of 万里 2024 ends with a lone 合计 row on page 15 (label merged over 类/款/项/名称)."""
    t = _spec(wild(PLAIN_PDF), "B2")
    total = t.rows[-1]
    assert (total.code, total.label, total.location.page) == ("", "合计", 15)
    assert [(v.column, v.text) for v in total.values] == [
        ("合计", "156,211,123"), ("财政拨款收入", "156,211,123"), ("事业收入", "0"), ("事业单位经营收入", "0"), ("其他收入", "0")
    ]


def test_empty_tables_carry_their_note_and_the_one_without_is_found() -> None:
    assert "故本表为空表" in _spec(wild("shpt-govoffice-2025-dept-budget.pdf"), "B8").note
    # the 市财政局 unit budget prints its empty 政府性基金 and 国有资本经营 tables with no note (page 15, 16)
    c003 = [f for f in run(wild("sh-finance-bureau-2025-unit-budget.pdf")) if f.rule == "C003"]
    assert sorted(f.location.table or "" for f in c003) == ["B8 政府性基金预算支出表", "B9 国有资本经营预算支出表"]


def test_glossary_printed_without_ordinal_is_a_section() -> None:
    d = wild("shpt-govoffice-2025-dept-budget.pdf")
    titles = [s.title for s in d.sections]
    assert "名词解释" in titles and "上海市普陀区人民政府办公室主要职能" in titles
    glossary = next(s for s in d.sections if s.title == "名词解释")
    assert glossary.paragraphs[0].text.startswith("（一）财政拨款收入：")


# ------------------------------------------------------------------------------------------
# The pdfplumber plain text of 万里 2024 against its PDF
# ------------------------------------------------------------------------------------------

PLAIN_READ = {"B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8", "B9"}


def test_plain_text_reads_the_same_values_as_its_pdf() -> None:
    text, pdf = wild(PLAIN), wild(PLAIN_PDF)
    assert _cells(text, PLAIN_READ) == _cells(pdf, PLAIN_READ)
    # every amount printed in the nine tables (B4: 22, B7: 7; B8 and B9 print none)
    assert len(_cells(text, PLAIN_READ)) == 3 + 10 + 67 * 5 + 67 * 3 + 67 * 3 + 32 * 3 + 22 + 7
    counts = {t.spec_id: len(t.rows) for t in text.tables if t.spec_id in PLAIN_READ}
    assert counts == {k: v for k, v in DOCS[PLAIN_PDF][4].items() if k in PLAIN_READ}


GOLDEN_KEY = ("table", "row_code", "row_label", "column", "value")


@pytest.mark.parametrize("table", ["财政拨款收支总表", "三公经费支出表"])
def test_plain_text_reads_the_golden_values_of_b4_and_b7(table: str) -> None:
    """B4 prints 2 amounts under its 4 支出 columns (blank cells dropped): they stand where every printed total
    reconciles, and only there. B7's header has 3 levels on 6 lines: its one order that the lines allow and
    whose values hold the 三公 identities. Both as the golden file read from the PDF's ruled cells says."""
    with (GOLDEN / "wild_shpt-wanli-2024-dept-budget.tables.csv").open(encoding="utf-8", newline="") as fh:
        gold = Counter(tuple(row[k] for k in GOLDEN_KEY) for row in csv.DictReader(fh) if row["table"] == table)
    read = Counter(tuple(f[k] for k in GOLDEN_KEY) for f in fact_rows(wild(PLAIN)) if f["table"] == table)
    assert read == gold and sum(gold.values()) in (22, 7)


def test_plain_text_meta_and_every_table_read() -> None:
    d = wild(PLAIN)
    assert (d.meta.department, d.meta.year, d.meta.kind, d.meta.scope) == ("上海市普陀区人民政府万里街道办事处", 2024, "预算", "部门")
    assert [t.spec_id for t in d.tables] == STANDARD
    assert {t.spec_id for t in d.tables if not t.rows} == set()
    assert all(t.understood for t in d.tables)
    assert sum("not read" in n for n in d.notes) == 0
    assert [f for f in run(d) if f.rule == "C003"] == []


def test_plain_text_findings_are_its_pdfs() -> None:
    """With B4 and B7 read, the text conversion gives the very findings of its PDF (same ids): the reader's
    C007 for the two tables it could not split is gone, and nothing else changed."""
    def ids(d: Disclosure) -> set[tuple[str, str, str]]:
        return {(f.rule, f.severity, f.id) for f in check_one(d).findings}

    assert ids(wild(PLAIN)) == ids(wild(PLAIN_PDF))


def test_split_glued_page_joins() -> None:
    assert split_glued("201 38 市场监督管理事务 135,200 135,200 0 0 0201 38 02 一般行政管理事务 135,200 135,200 0 0 0") == [
        "201 38 市场监督管理事务 135,200 135,200 0 0 0",
        "201 38 02 一般行政管理事务 135,200 135,200 0 0 0",
    ]
    assert split_glued("221 03 99 其他城乡社区住宅支出 2,177,200 0 2,177,200合计 156,211,123 99,706,020 56,505,1032024年部门财政拨款收支预算总表") == [
        "221 03 99 其他城乡社区住宅支出 2,177,200 0 2,177,200",
        "合计 156,211,123 99,706,020 56,505,103",
        "2024年部门财政拨款收支预算总表",
    ]
    assert split_glued("经费保持不变。2024年部门财务收支预算总表") == ["经费保持不变。", "2024年部门财务收支预算总表"]
    # figures with their unit, years and plain sentences stay whole
    for same in ("预算安排 320.17万元，比上年增加0.64%。", "截至2024年8月31日，共有车辆0辆", "301 2 津贴补贴 16,623,810 16,623,810 0"):
        assert split_glued(same) == [same]


def test_side_by_side_lines_split_by_ordinal_sequence() -> None:
    """'四、其他收入' continues the 收入 side (三、 before it), '八、城乡社区支出' the 支出 side (七、)."""
    b1 = _spec(wild(PLAIN), "B1")
    sides = {r.label: r.side for r in b1.rows}
    assert sides["四、其他收入"] == "收入" and sides["八、城乡社区支出"] == "支出" and sides["2.政府性基金"] == "收入"
    assert [(v.column, v.text) for r in b1.rows if r.label == "八、城乡社区支出" for v in r.values] == [("金额", "119,385,303")]


def test_split_row() -> None:
    row = split_row(Line("201 05 07 专项普查活动 257,700 257,700 0 0 0", None, 1))
    assert row is not None and (row.codes, row.label, row.amounts) == (["201", "05", "07"], "专项普查活动", ["257,700", "257,700", "0", "0", "0"])
    total = split_row(Line("合计", None, 1))
    assert total is not None and (total.label, total.amounts) == ("合计", [])
    assert split_row(Line("功能分类科目名称 合计 财政拨款收入 事业收入 其他收入", None, 1)) is None
    assert split_row(Line("类 款 项", None, 1)) is None


def test_labelled_department_lines() -> None:
    assert labelled_department("预算主管部门：上海市普陀区人民政府万里街道办事处目 录") == "上海市普陀区人民政府万里街道办事处"
    assert labelled_department("编制部门：上海市普陀区人民政府万里街道办事处 单位：元") == "上海市普陀区人民政府万里街道办事处"
    assert labelled_department("预算单位：上海市财政局") == "上海市财政局"
    assert labelled_department("部门：江苏省政协办公厅 单位：万元") == "江苏省政协办公厅"
    assert labelled_department("单位：元") == ""
    assert read_disclosure(str(WILD / "js-cppcc-2018-dept-budget-tables.pdf")).meta.department == "江苏省政协办公厅"


@pytest.mark.parametrize("name", sorted(DOCS))
def test_fiscal_table_income_column_mapped(name: str) -> None:
    """The 财政拨款收支总表's income side prints '预算数': the canonical 金额 column."""
    t = _spec(wild(name), "B4")
    assert [c.key for c in t.columns if c.side == "收入" and c.role == "value"] == ["金额"]


def test_empty_table_notes_in_other_words() -> None:
    """'(无政府性基金支出）' under the empty 政府性基金 table (江苏 人大 2017, page 15) explains it."""
    d = read_disclosure(str(WILD / "js-npc-office-2017-dept-budget.pdf"))
    b8 = _spec(d, "B8")
    assert b8.empty and b8.note == "(无政府性基金支出）"
    assert [f for f in run(d) if f.rule == "C003"] == []
    notes = reading_hints().empty_table_note
    for said in ("此表为空。", "本部门无相关收支项目，故本表无数据", "（无国有资本经营预算支出）", "故本表为空表。"):
        assert notes.search(said), said
    assert not notes.search("本表反映部门年度财政拨款支出预算安排情况。")


def test_sangong_car_columns_mapped() -> None:
    """万里 2024 page 31: 公务用车购置及运行费 46.56 = 购置费 25 + 运行费 21.56 (万元), under one parent."""
    t = _spec(wild(PLAIN_PDF), "B7")
    values = {v.column: v.text for r in t.rows for v in r.values}
    assert {k: values.get(k) for k in ("合计", "因公出国（境）费", "公务接待费", "公务用车购置及运行费", "公务用车购置费", "公务用车运行费")} == {
        "合计": "47.91", "因公出国（境）费": "0", "公务接待费": "1.35", "公务用车购置及运行费": "46.56", "公务用车购置费": "25", "公务用车运行费": "21.56"
    }
    assert [f for f in run(wild(PLAIN_PDF)) if f.rule in ("B7-1", "X-B11")] == []
