"""Notes of empty tables (issue 10, family 6) on the real documents: a note saying 'no data' over printed figures,
or copied from another table, fires; the true notes of every other document stay silent."""

from __future__ import annotations

from functools import cache

import pytest

from cnbudget.model import Disclosure
from cnbudget.pipeline import read_disclosure
from cnbudget.rules import empty_tables
from cnbudget.rules.findings import Finding
from cnbudget.rules.registry import check_document
from conftest import SHARED, pdf, seed

WILD = SHARED / "samples" / "wild"

Key = tuple[str, int | None, int | None, str, str]


@cache
def wild(name: str) -> Disclosure:
    return read_disclosure(str(WILD / name), ocr=False)


def found(d: Disclosure) -> list[Finding]:
    """The findings of this module's rules, run as check runs them (N-EMPTY-FIGURES takes the check context)."""
    return check_document(d, rules=empty_tables.RULES).findings


def keys(d: Disclosure) -> set[Key]:
    return {(f.rule, f.location.page, f.location.line, f.location.table, f.actual) for f in found(d)}


EXPECTED: dict[str, set[Key]] = {
    # p31: the 三公 table prints 47.91 / 0 / 1.35 / 46.56 / 25 / 21.56 / 443.18 above
    # '注:本部门2024年无“三公”经费和机关运行经费预算，故本表为空表。'
    "wild:shpt-wanli-2024-dept-budget.pdf": {("N-EMPTY-FIGURES", 31, 1, "B7 三公经费支出表", "47.91")},
    # the same document as pdfplumber text: the table is read as its PDF (its header of 3 levels placed by the
    # 三公 identities), so the finding is the PDF's; line 443 as an editor shows it holds the table's title (the
    # form feeds before it are page breaks, not lines)
    "wild:shpt-wanli-2024-dept-budget.pdfplumber.txt": {
        ("N-EMPTY-FIGURES", None, 443, "B7 三公经费支出表", "47.91"),
    },
    # p18: the empty 国有资本经营预算支出功能分类预算表 carries the 政府性基金 table's note
    "wild:shpt-finance-2025-dept-budget.pdf": {("N-EMPTY-OTHER", 18, 1, "B9 国有资本经营预算支出表", "政府性基金")},
    "wild:shpt-wanli-2023-dept-budget.pdf": set(),
    "wild:shpt-govoffice-2025-dept-budget.pdf": set(),
    "wild:shpt-govoffice-2025-unit-budget.pdf": set(),
    "wild:sh-finance-bureau-2025-unit-budget.pdf": set(),
    "wild:js-cppcc-2018-dept-budget.pdf": set(),
    "wild:js-npc-office-2017-dept-budget.pdf": set(),
    "pdf:finance": set(),
    "pdf:planning": set(),
    "pdf:template": set(),
    "seed:000": set(),
    "seed:002": set(),
}


def _document(name: str) -> Disclosure:
    source, _, which = name.partition(":")
    return seed(which) if source == "seed" else pdf(which) if source == "pdf" else wild(which)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_empty_table_notes_on_the_shared_documents(name: str) -> None:
    d = _document(name)
    listed = [(f.rule, f.location.page, f.location.line, f.message) for f in found(d)]
    assert keys(d) == EXPECTED[name], listed


def test_an_empty_table_whose_section_states_a_figure(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Seed 002 prints its 政府性基金 table empty ('说明：我单位无政府性基金支出预算'); had its section said
    '政府性基金预算支出 50 万元' instead of '无使用政府性基金预算拨款安排的支出', the two would contradict."""
    from conftest import SEED_FILES

    text = SEED_FILES["002"].read_text(encoding="utf-8")
    old = "台前县医疗保障局 2023 年无使用政府性基金预算拨款安排的支出。"
    assert text.count(old) == 1
    path = tmp_path / "fund.txt"
    path.write_text(text.replace(old, "台前县医疗保障局 2023 年政府性基金预算支出 50 万元，主要用于医疗救助。"), encoding="utf-8")
    d = read_disclosure(str(path))
    assert keys(d) == {("N-EMPTY-FIGURES", None, 112, "B8 政府性基金预算支出表", "政府性基金预算支出 50万元")}
    assert [f.severity for f in found(d)] == ["info"]
