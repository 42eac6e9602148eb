"""Year-over-year checks: a disclosure against the same department's disclosure of the year before.

They need two documents, so they run only when `cnbudget check FILE --prior PRIOR` names the prior
one; `cnbudget rules` lists them with the others. The carry-over identity (Y-1) is hard; a budget's
carry-over against the prior 决算 (Y-4) is soft (budgets are compiled before the 决算 closes).

A 决算 checked with the same year's 预算 as --prior is the other pairing: budget against final (Y-3,
the 决算's 年初预算数 equals the budget's figure). Each rule runs on its own pairing only and says
"not checked" on the other, so one option serves both without guessing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from typing import Any

from cnbudget.i18n import Message
from cnbudget.model import Disclosure, Fact, Row, Table
from cnbudget.numbers import squash
from cnbudget.rules.context import CheckContext, Needs, Reason, ReasonCode, reason
from cnbudget.rules.findings import Finding, Severity, Where, where
from cnbudget.rules.registry import ContextCheck, Rule
from cnbudget.rules.tolerance import fmt_amount

# (table, side, row label of the current year's opening balance, row label of the prior's closing one,
#  column): the carry-over rows Y-1 compares.
_CARRY_OVER = (
    ("F1", "收入", ("年初结转和结余",), "支出", ("年末结转和结余",), "决算数", "决算数"),
    ("F4", "收入", ("年初财政拨款结转和结余",), "支出", ("年末财政拨款结转和结余",), "金额", "合计"),
)



def _row(table: Table, side: str, labels: tuple[str, ...]) -> Row | None:
    for r in table.rows:
        if r.side == side and squash(r.label) in labels:
            return r
    return None


def _amount(table: Table, row: Row, column: str) -> tuple[Decimal, str] | None:
    v = row.get(column)
    if v is None or v.amount is None:
        return None
    return v.amount.in_wan(), v.text


def _budget_final(current: Disclosure, prior: Disclosure) -> bool:
    """The pair is a 决算 and the 预算 of the same year (Y-3's pairing)."""
    return (
        current.meta.year is not None
        and current.meta.year == prior.meta.year
        and current.meta.kind == "决算"
        and prior.meta.kind == "预算"
    )


def _consecutive(current: Disclosure, prior: Disclosure) -> Message | None:
    """Why the pair cannot be compared, or None when it can."""
    if current.meta.year is None or prior.meta.year is None:
        return Message("rules.Y-0.unknown_year")
    if prior.meta.year != current.meta.year - 1:
        return Message("rules.Y-0.wrong_year", year=prior.meta.year, expected=current.meta.year - 1)
    return None


def _pairing(rule_id: str, current: Disclosure, prior: Disclosure) -> Reason | None:
    """Why this rule cannot compare the pair, or None when it can (Y-3: same-year 预算; the others: the year before)."""
    if rule_id == "Y-3":
        if _budget_final(current, prior):
            a, b = squash(current.meta.department), squash(prior.meta.department)
            if a and b and a != b:
                return reason(ReasonCode.OTHER_DEPARTMENT, prior=prior.meta.department, current=current.meta.department)
            if current.meta.scope and prior.meta.scope and current.meta.scope != prior.meta.scope:
                return reason(ReasonCode.OTHER_SCOPE, prior=prior.meta.scope, current=current.meta.scope)
            return None
        return reason(ReasonCode.NEEDS_SAME_YEAR_BUDGET)
    if _budget_final(current, prior):
        return reason(ReasonCode.SAME_YEAR_BUDGET)
    if current.meta.year is None or prior.meta.year is None:
        return reason(ReasonCode.UNKNOWN_YEAR)
    if prior.meta.year != current.meta.year - 1:
        return reason(ReasonCode.WRONG_YEAR, year=prior.meta.year, expected=current.meta.year - 1)
    return None


@lru_cache(maxsize=1)
def _y3_spec() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(resources.files("cnbudget.specs").joinpath("budget_final.json").read_text(encoding="utf-8"))
    return data


def _names(text: str, levels: list[str]) -> tuple[str, ...] | None:
    """'A（类）B（款）C（项）' → (A, B, C); None when the text is not such a path."""
    pattern = "".join(rf"(.+?)[（(]{lv}[)）]" for lv in levels)
    m = re.fullmatch(pattern, squash(text).replace("“", "").replace("”", ""))
    return tuple(m.groups()) if m else None


def _budget_paths(table: Table, column: str) -> dict[tuple[str, ...], tuple[Row, Decimal, str]]:
    """The budget's 项 rows keyed by their (类, 款, 项) names, from the codes' printed class and 款 rows."""
    labels = {r.code: squash(r.label) for r in table.rows if r.code_kind == "function"}
    out: dict[tuple[str, ...], tuple[Row, Decimal, str]] = {}
    seen: set[tuple[str, ...]] = set()
    for r in table.rows:
        if r.code_kind != "function" or len(r.code) != 7 or r.code[:3] not in labels or r.code[:5] not in labels:
            continue
        v = _amount(table, r, column)
        if v is None:
            continue
        key = (labels[r.code[:3]], labels[r.code[:5]], squash(r.label))
        if key in seen:
            out.pop(key, None)  # printed twice: ambiguous, not compared
            continue
        seen.add(key)
        out[key] = (r, v[0], v[1])
    return out


def _total(table: Table, column: str, rows: list[str]) -> tuple[Row, Decimal, str] | None:
    for r in table.rows:
        if not r.code and squash(r.label) in rows:
            v = _amount(table, r, column)
            if v is not None:
                return r, v[0], v[1]
    return None


def budget_against_final(current: Disclosure, prior: Disclosure) -> Iterator[Finding]:
    """Y-3: the 决算's 年初预算数 (its table column and its 情况说明) equals the same year's 预算."""
    spec = _y3_spec()
    budget = prior.table(spec["budget_table"])
    if budget is None:
        return
    column = spec["budget_column"]
    source = prior.source.rsplit("/", 1)[-1]
    total = _total(budget, column, spec["total_rows"])
    by_code = {r.code: r for r in budget.rows if r.code_kind == "function"}
    final = current.table(spec["final_table"])
    if final is not None:
        for r in final.rows:
            stated = _amount(final, r, spec["final_column"])
            if stated is None:
                continue
            found: tuple[Row, Decimal, str] | None = None
            if r.code and r.code_kind == "function":
                b_row = by_code.get(r.code)
                b_value = _amount(budget, b_row, column) if b_row is not None else None
                found = (b_row, *b_value) if b_row is not None and b_value is not None else None
            elif squash(r.label) in spec["total_rows"]:
                found = total
            else:
                continue
            if found is None or abs(found[1] - stated[0]) <= Decimal("0.005"):
                continue
            label = f"{r.code} {r.label}".strip()
            yield Finding(
                "Y-3", "year_over_year", "error",
                Message("rules.Y-3.table", table=f"{final.spec_id} {final.name}", label=label, stated=stated[1], budget=budget.name,
                        expected=found[2], unit=budget.unit or "", year=prior.meta.year, file=source),
                where(table=final, row=r, value=r.get(spec["final_column"])),
                expected=found[2], actual=stated[1],
            )
    paths = _budget_paths(budget, column)
    overall = {squash(s) for s in spec["overall_subjects"]}
    for f in current.facts:
        if f.kind != "completion" or f.budget is None:
            continue
        said = squash(f.sentence)
        if not any(w in said for w in spec["initial_words"]) or any(w in said for w in spec["other_budget_words"]):
            continue  # not the 年初 budget, or a sentence that also speaks of the adjusted one
        subject = squash(f.subject).replace("“", "").replace("”", "")
        names = _names(f.subject, spec["levels"])
        bound = total if subject in overall else (paths.get(names) if names is not None else None)
        if bound is None:
            continue
        _, value, printed = bound
        if abs(value - f.budget) <= Decimal("0.005"):
            continue
        yield Finding(
            "Y-3", "year_over_year", "error",
            Message("rules.Y-3.text", subject=f.subject, stated=fmt_amount(f.budget, 2), year=prior.meta.year, budget=budget.name,
                    printed=printed, unit=budget.unit or "", file=source),
            where(location=f.location, section=f.section),
            expected=fmt_amount(value, 2), actual=fmt_amount(f.budget, 2),
        )


def carry_over(current: Disclosure, prior: Disclosure) -> Iterator[Finding]:
    """Y-1: 年初结转和结余(t) = 年末结转和结余(t−1), for F1 and for F4."""
    if current.meta.kind != "决算" or prior.meta.kind != "决算":
        return
    for spec, side, labels, prior_side, prior_labels, column, prior_column in _CARRY_OVER:
        now_t, before_t = current.table(spec), prior.table(spec)
        if now_t is None or before_t is None:
            continue
        now_r, before_r = _row(now_t, side, labels), _row(before_t, prior_side, prior_labels)
        if now_r is None or before_r is None:
            continue
        now_v, before_v = _amount(now_t, now_r, column), _amount(before_t, before_r, prior_column)
        if now_v is None or before_v is None:
            continue
        if abs(now_v[0] - before_v[0]) <= Decimal("0.005"):
            continue
        yield Finding(
            "Y-1", "year_over_year", "error",
            Message("rules.Y-1.message", table=f"{spec} {now_t.name}", label=now_r.label, now=now_v[1], before_label=before_r.label,
                    before=before_v[1], year=prior.meta.year, file=prior.source.rsplit("/", 1)[-1]),
            where(table=now_t, row=now_r, value=now_r.get(column)),
            expected=before_v[1], actual=now_v[1],
        )


def stated_prior(current: Disclosure, prior: Disclosure) -> Iterator[Finding]:
    """Y-2: the prior-year amount implied by '比上年增加A' equals what the prior document stated."""
    stated: dict[str, Fact] = {}
    for f in prior.facts:
        if f.kind in ("amount", "share") and f.value is not None and f.unit == "万元":
            stated.setdefault(squash(f.subject), f)
    for f in current.facts:
        if f.kind != "change" or f.value is None or f.change is None or f.direction not in ("增加", "减少"):
            continue
        before = stated.get(squash(f.subject))
        if before is None or before.value is None:
            continue
        implied = f.value - f.change if f.direction == "增加" else f.value + f.change
        places = max(2, len(before.printed.split(".", 1)[1]) if "." in before.printed else 0)
        if abs(implied - before.value) <= Decimal("0.01"):
            continue
        yield Finding(
            "Y-2", "year_over_year", "error",
            Message("rules.Y-2.message", subject=f.subject, current=f.printed, direction=f.direction, change=f.change_printed,
                    implied=fmt_amount(implied, places), year=prior.meta.year, before=before.printed),
            where(location=f.location, section=f.section),
            expected=before.printed, actual=fmt_amount(implied, places),
        )


def budget_carry_over(current: Disclosure, prior: Disclosure) -> Iterator[Finding]:
    """Y-4 (soft): a 预算's 上年结转 against the prior 决算's 年末结转和结余, reported as information."""
    if current.meta.kind != "预算" or prior.meta.kind != "决算":
        return
    b1, f1 = current.table("B1"), prior.table("F1")
    if b1 is None or f1 is None:
        return
    carry = next((r for r in b1.rows if r.side == "收入" and "结转" in r.label), None)
    closing = _row(f1, "支出", ("年末结转和结余",))
    if carry is None or closing is None:
        return
    now_v, before_v = _amount(b1, carry, "金额"), _amount(f1, closing, "决算数")
    if now_v is None or before_v is None or abs(now_v[0] - before_v[0]) <= Decimal("0.005"):
        return
    yield Finding(
        "Y-4", "year_over_year", "info",
        Message("rules.Y-4.message", label=carry.label, now=now_v[1], year=prior.meta.year, before=before_v[1]),
        where(table=b1, row=carry, value=carry.get("金额")),
        expected=before_v[1], actual=now_v[1],
    )


@lru_cache(maxsize=1)
def _y5_spec() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(resources.files("cnbudget.specs").joinpath("year_over_year.json").read_text(encoding="utf-8"))
    return data


def _basis(f: Fact) -> str | None:
    """What '比…' the change of ``f`` is measured against (the text after the last 比 before it), or None if unclear."""
    sentence = squash(f.sentence)
    bases: set[str] = set()
    needle = squash(f.direction + f.change_printed)
    start = sentence.find(needle)
    while start >= 0:
        head = sentence[:start]
        cut = head.rfind("比")
        if cut < 0:
            return None
        bases.add(head[cut + 1 :])
        start = sentence.find(needle, start + 1)
    return bases.pop() if len(bases) == 1 else None


def stated_prior_tables(current: Disclosure, prior: Disclosure) -> Iterator[Finding]:
    """Y-5: last year's amount implied by '比上年增加A' equals last year's table value for the subject."""
    from cnbudget.rules.narrative import bindings, named_table_value, parse_binding

    if current.meta.kind != prior.meta.kind or prior.meta.year is None:
        return
    spec = _y5_spec()
    words = [w.format(year=prior.meta.year) for w in spec["prior_year_words"]]
    stated = {squash(f.subject) for f in prior.facts if f.kind in ("amount", "share", "change") and f.value is not None}
    source = prior.source.rsplit("/", 1)[-1]
    among = (*bindings(), *(parse_binding(b) for b in spec["bindings"]))
    seen: set[tuple[str, str, str]] = set()
    for f in current.facts:
        if f.kind != "change" or f.value is None or f.change is None or f.direction not in ("增加", "减少"):
            continue
        if squash(f.subject) in stated:
            continue  # last year's statement of it is Y-2's comparison
        basis = _basis(f)
        if basis is None or not any(w in basis for w in words) or any(w in basis for w in spec["other_basis"]):
            continue
        bound = named_table_value(prior, f, prior.meta.kind, among)
        if bound is None:
            continue
        table, row, value, printed = bound
        implied = f.value - f.change if f.direction == "增加" else f.value + f.change
        places = max(2, len(f.printed.split(".", 1)[1]) if "." in f.printed else 0)
        if abs(implied - value) <= Decimal(1).scaleb(-places) / 2:
            continue
        key = (squash(f.subject), f.printed, f.change_printed)
        if key in seen:
            continue
        seen.add(key)
        yield Finding(
            "Y-5", "year_over_year", "error",
            Message("rules.Y-5.message" if row.label else "rules.Y-5.unlabelled", subject=f.subject, current=f.printed,
                    direction=f.direction, change=f.change_printed, implied=fmt_amount(implied, places), year=prior.meta.year,
                    table=f"{table.spec_id} {table.name}", printed=printed, unit=table.unit or "", label=row.label, file=source),
            where(location=f.location, section=f.section),
            expected=fmt_amount(value, places), actual=fmt_amount(implied, places),
        )


_PAIR_CHECKS = {
    "Y-1": carry_over,
    "Y-2": stated_prior,
    "Y-3": budget_against_final,
    "Y-4": budget_carry_over,
    "Y-5": stated_prior_tables,
}


def check_pair(current: Disclosure, prior: Disclosure, enabled: Iterable[str] | None = None) -> list[Finding]:
    """All year-over-year findings for a document and the one of the year before (or the same year's 预算)."""
    reason = None if _budget_final(current, prior) else _consecutive(current, prior)
    if reason is not None:
        return [
            Finding(
                "Y-0", "year_over_year", "warning",
                Message("rules.Y-0.message", reason=reason),
                Where(),
            )
        ]
    wanted = set(enabled) if enabled is not None else set(_PAIR_CHECKS)
    found: list[Finding] = []
    for rule_id, fn in _PAIR_CHECKS.items():
        if rule_id in wanted and _pairing(rule_id, current, prior) is None:
            found.extend(fn(current, prior))
    return found


def _pair_check(rule_id: str) -> ContextCheck:
    """The check of one year-over-year rule, on the context's document and its prior year."""

    def check(ctx: CheckContext) -> Iterator[Finding]:
        prior = ctx.prior_readable
        assert prior is not None  # the rule needs the prior year: the runner does not call it without
        if rule_id == "Y-0":
            reason = None if _budget_final(ctx.readable, prior) else _consecutive(ctx.readable, prior)
            if reason is not None:
                yield Finding("Y-0", "year_over_year", "warning", Message("rules.Y-0.message", reason=reason), Where())
            return
        pairing = _pairing(rule_id, ctx.readable, prior)
        if pairing is not None:
            ctx.not_checked(rule_id, pairing)
            return
        yield from _PAIR_CHECKS[rule_id](ctx.readable, prior)

    return check


def _rule(rule_id: str, severity: Severity, enforces: tuple[str, ...]) -> Rule:
    return Rule(
        rule_id, "year_over_year", severity, enforces, _pair_check(rule_id), needs=Needs(prior=True), contextual=True
    )


RULES: tuple[Rule, ...] = (
    _rule(
        "Y-0", "warning",
        (),
    ),
    _rule(
        "Y-1", "error",
        ("Y-1",),
    ),
    _rule(
        "Y-2", "error",
        ("Y-2", "N-B02"),
    ),
    _rule(
        "Y-3", "error",
        ("Y-3",),
    ),
    _rule(
        "Y-5", "error",
        ("Y-5",),
    ),
    _rule(
        "Y-4", "info",
        ("Y-4",),
    ),
)
