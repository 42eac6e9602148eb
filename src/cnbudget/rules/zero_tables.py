"""C008: every standard table prints zero or nothing — one finding, not one per identity.

An untouched template, or a disclosure whose figures never made it into the tables, satisfies
every identity (0 = 0 + 0) and contradicts every figure of its 情况说明. Neither says anything
true about the department: the one true statement is that the tables hold no figure. So C008
says it once, and the checks that compare table figures (specs/zero_tables.json) are reported as
not checked on such a document (``blank_reason``), instead of passing silently or repeating it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from cnbudget.i18n import Message
from cnbudget.model import Disclosure, Table
from cnbudget.rules.completeness import is_unfilled_template
from cnbudget.rules.context import Reason, ReasonCode, reason
from cnbudget.rules.findings import Finding, Where
from cnbudget.rules.registry import Rule


@dataclass(frozen=True)
class _Spec:
    min_tables: int
    prefixes: tuple[str, ...]
    categories: frozenset[str]
    rules: frozenset[str]


@lru_cache(maxsize=1)
def _spec() -> _Spec:
    data = json.loads(resources.files("cnbudget.specs").joinpath("zero_tables.json").read_text(encoding="utf-8"))
    return _Spec(data["min_tables"], tuple(data["table_prefixes"]), frozenset(data["compare_categories"]), frozenset(data["compare_rules"]))


def _standard(d: Disclosure) -> list[Table]:
    return [t for t in d.tables if t.spec_id[:1] in _spec().prefixes and t.spec_id[1:].isdigit()]


def blank_tables(d: Disclosure) -> tuple[int, int] | None:
    """(standard tables, zero amounts printed) when no standard table prints a figure other than zero."""
    tables = _standard(d)
    if len(tables) < _spec().min_tables or any(not t.understood for t in tables):
        return None
    amounts = [v.amount.value for t in tables for r in t.rows for v in r.values if v.amount is not None]
    if any(a != 0 for a in amounts):
        return None
    return len(tables), len(amounts)


def compares_tables(rule: Rule) -> bool:
    """A rule that compares table figures: it has nothing to compare when every table is blank."""
    return rule.category in _spec().categories or rule.id in _spec().rules


def blank_reason(d: Disclosure) -> tuple[Reason, ...] | None:
    """Why the comparing rules are not checked on ``d`` (None: they run)."""
    found = blank_tables(d)
    return None if found is None else (reason(ReasonCode.ALL_TABLES_BLANK, n=found[0]),)


def all_blank(d: Disclosure) -> Iterator[Finding]:
    """C008: the standard tables print no figure other than zero. Silent on a template whose department
    is still a placeholder: C004 reports that unfilled template once, and this is the same cause."""
    found = blank_tables(d)
    if found is None or is_unfilled_template(d):
        return
    n, zeros = found
    key = "rules.C008.zeros" if zeros else "rules.C008.message"
    yield Finding(
        rule="C008",
        category="completeness",
        severity="error",
        message=Message(key, n=n, zeros=zeros),
        location=Where(table=", ".join(t.spec_id for t in _standard(d))),
        expected=Message("rules.C008.expected"),
        actual=Message("rules.C008.actual", zeros=zeros),
    )


RULES: list[Rule] = [
    Rule(
        id="C008",
        category="completeness",
        severity="error",
        enforces=("REG-04", "REG-02"),
        check=all_blank,
    ),
]
