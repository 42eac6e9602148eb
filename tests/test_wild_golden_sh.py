"""Standard tables of six real Shanghai 预算 PDFs (../shared/samples/wild), value by value, against golden files.

Each tests/golden/wild_<pdf stem>.tables.csv holds what the rendered page prints (read from the PDF's ruled
cells independently of cnbudget and checked by eye; method and findings in tests/golden/WILD_REVIEW.md):
one row per non-empty value cell, ``table,row_code,row_label,column,value,page``.

The reader's facts, restricted to that table and to the golden file's columns for it, must equal the golden
rows as a set. Pairs the reader misreads today are listed in KNOWN_MISREAD: for them the test checks that the
difference is still there and fails with "reads right now" once it is gone, so the lead can empty the list
as the reader is fixed (and the suite stays green meanwhile).
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from cnbudget.model import Disclosure
from cnbudget.pipeline import read_disclosure
from cnbudget.render.facts import fact_rows
from conftest import GOLDEN, SHARED

WILD = SHARED / "samples" / "wild"
DOCS = (
    "shpt-wanli-2023-dept-budget",
    "shpt-wanli-2024-dept-budget",
    "shpt-govoffice-2025-dept-budget",
    "shpt-govoffice-2025-unit-budget",
    "shpt-finance-2025-dept-budget",
    "sh-finance-bureau-2025-unit-budget",
)
KEY = ("table", "row_code", "row_label", "column", "value", "page")

# The standard tables every one of these documents prints (checked on the pages); none prints a 项目支出表.
PRINTED = (
    "收支总表",
    "收入表",
    "支出表",
    "财政拨款收支总表",
    "一般公共预算支出表",
    "政府性基金预算支出表",
    "国有资本经营预算支出表",
    "一般公共预算基本支出表",
    "三公经费支出表",
)
# 政府性基金预算支出表 and 国有资本经营预算支出表 print only blank rows and a blank 合计 row in all six.
EMPTY = ("政府性基金预算支出表", "国有资本经营预算支出表")


# (document, table) pairs misread today, with the reason; see tests/golden/WILD_REVIEW.md. Empty it as the
# reader is fixed: a listed pair that reads right makes its test fail with "reads right now".
KNOWN_MISREAD: dict[tuple[str, str], str] = {}  # 部门经济分类科目名称 is now a label synonym (tables.json)

_AMOUNT = re.compile(r"^-?[\d,]+(\.\d+)?$")


@cache
def _doc(stem: str) -> Disclosure:
    return read_disclosure(str(WILD / f"{stem}.pdf"))


@cache
def _golden(stem: str) -> tuple[tuple[str, ...], ...]:
    path: Path = GOLDEN / f"wild_{stem}.tables.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        return tuple(tuple(row[k] for k in KEY) for row in csv.DictReader(fh))


def _read(stem: str, table: str, columns: set[str]) -> Counter[tuple[str, ...]]:
    facts = (f for f in fact_rows(_doc(stem)) if f["table"] == table and f["column"] in columns)
    return Counter(tuple(f[k] for k in KEY) for f in facts)


def _diff(stem: str, table: str) -> str:
    """'' when the reader's facts equal the golden rows of ``table``, else a readable list of differences."""
    gold = Counter(r for r in _golden(stem) if r[0] == table)
    read = _read(stem, table, {r[3] for r in gold})
    missing, extra = gold - read, read - gold
    if not missing and not extra:
        return ""
    lines = [f"{stem} {table}: {sum(gold.values())} printed values, {sum(read.values())} read"]
    for title, rows in (("printed, not read", missing), ("read, not printed", extra)):
        lines.append(f"  {title}: {sum(rows.values())}")
        lines += ["    " + " | ".join(r[1:]) for r in list(rows)[:25]]
        if len(rows) > 25:
            lines.append(f"    … and {len(rows) - 25} more")
    return "\n".join(lines)


CASES = [(doc, t) for doc in DOCS for t in PRINTED if t not in EMPTY]


@pytest.mark.parametrize(("stem", "table"), CASES, ids=[f"{d}/{t}" for d, t in CASES])
def test_values_match_golden(stem: str, table: str) -> None:
    assert any(r[0] == table for r in _golden(stem)), f"golden file has no {table} of {stem}"
    diff = _diff(stem, table)
    reason = KNOWN_MISREAD.get((stem, table))
    if reason is None:
        assert diff == "", diff
    else:
        assert diff != "", f"{stem} {table} reads right now: remove it from KNOWN_MISREAD ({reason})"


@pytest.mark.parametrize("stem", DOCS)
def test_printed_standard_tables_recognised(stem: str) -> None:
    names = [t.name for t in _doc(stem).tables]
    assert [n for n in names if n in PRINTED] == list(PRINTED), names


_FUND = "无政府性基金预算财政拨款安排的预算，故本表为空表。"
_SOE = "无国有资本经营预算财政拨款安排的预算，故本表为空表。"
# The note printed under each empty table, as printed (finance 2025 names the wrong fund under its
# 国有资本经营 table: WILD_REVIEW.md M2; the SH finance bureau prints no note).
EMPTY_NOTES = {
    "shpt-wanli-2023-dept-budget": ("注：本部门2023年" + _FUND, "注：本部门2023年" + _SOE),
    "shpt-wanli-2024-dept-budget": ("注:本部门2024年" + _FUND, "注:本部门2024年" + _SOE),
    "shpt-govoffice-2025-dept-budget": ("注:本部门2025年" + _FUND, "注:本部门2025年" + _SOE),
    "shpt-govoffice-2025-unit-budget": ("注:本单位2025年" + _FUND, "注:本单位2025年" + _SOE),
    "shpt-finance-2025-dept-budget": ("注:本部门2025年" + _FUND, "注:本部门2025年" + _FUND),
    "sh-finance-bureau-2025-unit-budget": ("", ""),
}


@pytest.mark.parametrize(("stem", "table"), [(d, t) for d in DOCS for t in EMPTY])
def test_empty_tables_read_no_amount(stem: str, table: str) -> None:
    assert not [r for r in _golden(stem) if r[0] == table]
    amounts = [f for f in fact_rows(_doc(stem)) if f["table"] == table and _AMOUNT.match(f["value"])]
    assert amounts == []
    found = _doc(stem).table(table)
    assert found is not None
    assert found.note == EMPTY_NOTES[stem][EMPTY.index(table)]


GOLDEN_COUNTS = {  # printed values per table, counted on the rendered pages (WILD_REVIEW.md)
    "shpt-wanli-2023-dept-budget": (12, 134, 201, 20, 201, 63, 7),
    "shpt-wanli-2024-dept-budget": (13, 335, 201, 22, 201, 96, 7),
    "shpt-govoffice-2025-dept-budget": (8, 42, 47, 12, 47, 61, 4),
    "shpt-govoffice-2025-unit-budget": (18, 42, 47, 12, 47, 61, 4),
    "shpt-finance-2025-dept-budget": (8, 40, 44, 12, 44, 90, 3),
    "sh-finance-bureau-2025-unit-budget": (20, 48, 53, 12, 53, 71, 6),
}


@pytest.mark.parametrize("stem", DOCS)
def test_golden_counts(stem: str) -> None:
    """The golden files themselves: values per table as counted on the pages, no duplicate row."""
    rows = _golden(stem)
    tables = [t for t in PRINTED if t not in EMPTY]
    assert tuple(sum(1 for r in rows if r[0] == t) for t in tables) == GOLDEN_COUNTS[stem]
    assert len(set(rows)) == len(rows)
