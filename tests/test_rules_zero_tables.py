"""C008 (issue 14): a disclosure whose tables are all zero, or all blank, is told so once.

Seed 002 (台前县医疗保障局 2023 预算) as printed, and the same document with every table amount set
to 0.00 or left blank: the figures of its 情况说明 stay as they are. Before C008 the zeroed document
gave sixteen N-TABLE findings (one per narrative figure against a zero table) and nothing at all
about the tables themselves; the blank one gave nothing.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from cnbudget.api import check
from cnbudget.model import Disclosure
from conftest import seed


def _zeroed(d: Disclosure) -> Disclosure:
    z = d.model_copy(deep=True)
    for t in z.tables:
        for r in t.rows:
            for v in r.values:
                if v.amount is not None:
                    v.amount.value, v.amount.printed, v.text = Decimal(0), "0.00", "0.00"
    return z


def _blanked(d: Disclosure) -> Disclosure:
    e = d.model_copy(deep=True)
    for t in e.tables:
        for r in t.rows:
            r.values = [v for v in r.values if v.amount is None]
    return e


@pytest.mark.parametrize("make", [_zeroed, _blanked], ids=["zero", "blank"])
def test_all_zero_or_blank_tables_are_one_finding(make: object) -> None:
    d = make(seed("002"))  # type: ignore[operator]
    report = check([d])[0]
    [c008] = [f for f in report.findings if f.rule == "C008"]
    assert c008.severity == "error"
    assert ("153 amounts" in c008.message) == (make is _zeroed) and "8 standard tables" in c008.message
    compared = {f.rule for f in report.findings if f.category in ("arithmetic", "cross_table")} | {
        f.rule for f in report.findings if f.rule in ("N-TABLE", "P-OVERALL", "C003")
    }
    assert compared == set()  # nothing repeats it per identity or per narrative figure
    not_checked = {c.rule for c in report.coverage if c.status == "not checked" and "see C008" in c.reason}
    assert {"B1-1", "X-B3", "N-TABLE", "C003"} <= not_checked


def test_a_document_with_figures_is_silent() -> None:
    report = check([seed("002")])[0]
    assert not [f for f in report.findings if f.rule == "C008"]
    assert not [c for c in report.coverage if "C008" in c.reason]
    assert any(f.rule == "N-TABLE" for f in report.findings)  # the comparisons run (and find what they find)
