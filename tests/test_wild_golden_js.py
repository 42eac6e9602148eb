"""Standard tables of three Jiangsu provincial 部门预算 PDFs (2017–2019), value by value against golden files.

The golden files tests/golden/wild_js_*.tables.csv hold what is printed on the pages, built from the PDF's
text (pdfplumber words / extract_table, independent of cnbudget) and checked row by row against the
rendered pages (method, counts and every known disagreement: tests/golden/WILD_REVIEW.md). They do not
follow the reader: where the reader is wrong the comparison fails.

For each document and standard table the facts export (columns table, row_code, row_label, column, value,
page) is compared with the golden rows as a set. The (document, table) pairs the reader gets wrong today
are listed in KNOWN_MISREAD; for those the test checks that they still differ, so that a reader fix
shows up as "remove it from KNOWN_MISREAD" and the list empties as the reader improves.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Mapping
from functools import cache

import pytest

from cnbudget.model import Disclosure
from cnbudget.pipeline import read_disclosure
from cnbudget.render.facts import fact_rows
from conftest import GOLDEN, SHARED

WILD = SHARED / "samples" / "wild"

DOCUMENTS = {  # golden name -> PDF
    "js_high_court_2019": "js-high-court-2019-dept-budget.pdf",
    "js_npc_office_2017": "js-npc-office-2017-dept-budget.pdf",
    "js_cppcc_2018": "js-cppcc-2018-dept-budget-tables.pdf",
}

STANDARD = (
    "收支总表",
    "收入表",
    "支出表",
    "财政拨款收支总表",
    "一般公共预算支出表",
    "一般公共预算基本支出表",
    "三公经费支出表",
    "政府性基金预算支出表",
    "国有资本经营预算支出表",
    "项目支出表",
)

# The standard tables each document prints (公开01–04, 07–10 of the Jiangsu template; 05/06 财政拨款支出 /
# 财政拨款基本支出, 11 机关运行经费 and 12 政府采购 are not standard tables). 政府性基金预算支出表 is printed
# empty in all three (high court: 合计 0; the others: no value, a note).
PRINTED = {
    name: (
        "收支总表",
        "收入表",
        "支出表",
        "财政拨款收支总表",
        "一般公共预算支出表",
        "一般公共预算基本支出表",
        "三公经费支出表",
        "政府性基金预算支出表",
    )
    for name in DOCUMENTS
}

# (document, table) pairs the reader misreads today — see tests/golden/WILD_REVIEW.md, section
# "Jiangsu provincial 部门预算", for what is wrong in each. Remove a pair when the reader reads it right.
KNOWN_MISREAD: frozenset[tuple[str, str]] = frozenset()


Fact = tuple[str, str, str, str, str, str]


@cache
def _disclosure(name: str) -> Disclosure:
    return read_disclosure(str(WILD / DOCUMENTS[name]))


def _fact(r: Mapping[str, str]) -> Fact:
    return (r["table"], r["row_code"], r["row_label"], r["column"], r["value"], r["page"])


def _golden(name: str) -> list[Fact]:
    with (GOLDEN / f"wild_{name}.tables.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return [_fact(r) for r in rows]


def _read(name: str) -> list[Fact]:
    return [_fact(r) for r in fact_rows(_disclosure(name)) if r["table"] in STANDARD]


def _difference(name: str, table: str) -> str:
    """'' when the reader's facts of ``table`` equal the golden rows, else a readable account of the difference."""
    want = {f for f in _golden(name) if f[0] == table}
    got = {f for f in _read(name) if f[0] == table}
    if want == got:
        return ""
    lines = [f"{name} {table}: {len(want - got)} golden rows not read, {len(got - want)} read rows not printed"]
    lines += ["  missing  " + ",".join(f[1:]) for f in sorted(want - got, key=lambda f: (int(f[5] or 0), f[1], f[2], f[3]))]
    lines += ["  spurious " + ",".join(f[1:]) for f in sorted(got - want, key=lambda f: (int(f[5] or 0), f[1], f[2], f[3]))]
    return "\n".join(lines)


CASES = [(name, table) for name in DOCUMENTS for table in STANDARD]


@pytest.mark.parametrize(("name", "table"), CASES, ids=[f"{n}-{t}" for n, t in CASES])
def test_standard_table_values_match_golden(name: str, table: str) -> None:
    diff = _difference(name, table)
    if (name, table) in KNOWN_MISREAD:
        assert diff, f"{name} {table} now reads exactly as printed: remove it from KNOWN_MISREAD"
    else:
        assert not diff, diff


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_printed_standard_tables_recognised(name: str) -> None:
    d = _disclosure(name)
    missed = [t for t in PRINTED[name] if d.table(t) is None and (name, t) not in KNOWN_MISREAD]
    assert not missed, f"{name}: printed standard tables not recognised: {missed}; have {[t.name for t in d.tables]}"
    extra = [t.name for t in d.tables if t.name in STANDARD and t.name not in PRINTED[name]]
    assert not extra, f"{name}: standard tables recognised that the document does not print: {extra}"


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_golden_files_are_well_formed(name: str) -> None:
    """Golden rows name standard tables only, one row per printed value, nothing duplicated."""
    rows = _golden(name)
    assert rows, name
    assert all(r[0] in PRINTED[name] and r[4] and r[5].isdigit() for r in rows)
    assert len(set(rows)) == len(rows)


GOLDEN_COUNTS = {  # values per table, counted on the rendered pages (WILD_REVIEW.md)
    "js_high_court_2019": {
        "收支总表": 12,
        "收入表": 3,
        "支出表": 4,
        "财政拨款收支总表": 6,
        "一般公共预算支出表": 18,
        "一般公共预算基本支出表": 34,
        "三公经费支出表": 8,
        "政府性基金预算支出表": 1,
    },
    "js_npc_office_2017": {
        "收支总表": 12,
        "收入表": 3,
        "支出表": 4,
        "财政拨款收支总表": 6,
        "一般公共预算支出表": 19,
        "一般公共预算基本支出表": 24,
        "三公经费支出表": 9,
    },
    "js_cppcc_2018": {
        "收支总表": 13,
        "收入表": 5,
        "支出表": 4,
        "财政拨款收支总表": 6,
        "一般公共预算支出表": 17,
        "一般公共预算基本支出表": 28,
        "三公经费支出表": 8,
    },
}


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_golden_counts(name: str) -> None:
    counts: dict[str, int] = {}
    for r in _golden(name):
        counts[r[0]] = counts.get(r[0], 0) + 1
    assert counts == GOLDEN_COUNTS[name]


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_golden_values_are_printed_on_their_pages(name: str) -> None:
    """Independent of cnbudget: each golden value is a word of its page's text (pdfplumber), as often as the golden file has it."""
    import pdfplumber

    wanted: dict[int, Counter[str]] = {}
    for f in _golden(name):
        wanted.setdefault(int(f[5]), Counter())[f[4]] += 1
    with pdfplumber.open(WILD / DOCUMENTS[name]) as doc:
        for page, values in wanted.items():
            words = Counter(w["text"] for w in doc.pages[page - 1].extract_words())
            short = values - words
            assert not short, f"{name} p.{page}: golden values not printed there (or not as often): {dict(short)}"
