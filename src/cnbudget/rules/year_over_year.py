"""Year-over-year checks: a disclosure against the same department's disclosure of the year before.

They need two documents, so they run only when `cnbudget check FILE --prior PRIOR` names the prior
one; `cnbudget rules` lists them with the others. The carry-over identity (Y-1) is hard; a budget's
carry-over against the prior 决算 (Y-4) is soft (budgets are compiled before the 决算 closes).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal

from cnbudget.i18n import Message
from cnbudget.model import Disclosure, Fact, Row, Table
from cnbudget.numbers import squash
from cnbudget.rules.context import CheckContext, Needs
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


def _consecutive(current: Disclosure, prior: Disclosure) -> Message | None:
    """Why the pair cannot be compared, or None when it can."""
    if current.meta.year is None or prior.meta.year is None:
        return Message("rules.Y-0.unknown_year")
    if prior.meta.year != current.meta.year - 1:
        return Message("rules.Y-0.wrong_year", year=prior.meta.year, expected=current.meta.year - 1)
    return None


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


_PAIR_CHECKS = {"Y-1": carry_over, "Y-2": stated_prior, "Y-4": budget_carry_over}


def check_pair(current: Disclosure, prior: Disclosure, enabled: Iterable[str] | None = None) -> list[Finding]:
    """All year-over-year findings for a document and the one of the year before."""
    reason = _consecutive(current, prior)
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
        if rule_id in wanted:
            found.extend(fn(current, prior))
    return found


def _pair_check(rule_id: str) -> ContextCheck:
    """The check of one year-over-year rule, on the context's document and its prior year."""

    def check(ctx: CheckContext) -> Iterator[Finding]:
        prior = ctx.prior_readable
        assert prior is not None  # the rule needs the prior year: the runner does not call it without
        reason = _consecutive(ctx.readable, prior)
        if rule_id == "Y-0":
            if reason is not None:
                yield Finding("Y-0", "year_over_year", "warning", Message("rules.Y-0.message", reason=reason), Where())
            return
        if reason is not None:
            ctx.partial[rule_id] = f"not checked: {reason}"
            return
        yield from _PAIR_CHECKS[rule_id](ctx.readable, prior)

    return check


def _rule(rule_id: str, title: str, severity: Severity, explanation: str, enforces: tuple[str, ...]) -> Rule:
    return Rule(
        rule_id, title, "year_over_year", severity, explanation, enforces, _pair_check(rule_id), needs=Needs(prior=True), contextual=True
    )


RULES: tuple[Rule, ...] = (
    _rule(
        "Y-0", "上年文件不是上一年度的", "warning",
        "The document given with --prior must be the same department's disclosure of the year before; otherwise the "
        "year-over-year checks are skipped and this says why.",
        (),
    ),
    _rule(
        "Y-1", "年初结转和结余与上年年末不一致", "error",
        "A 决算's 年初结转和结余 (收入支出决算总表, and the 财政拨款 one) must equal the 年末结转和结余 printed in the "
        "previous year's 决算. Runs with --prior.",
        ("Y-1",),
    ),
    _rule(
        "Y-2", "上年数与上年公开文件不一致", "error",
        "'比上年增加A万元' implies last year's amount (this year's minus A); it must equal the amount the previous "
        "year's disclosure stated for the same item. Runs with --prior.",
        ("Y-2", "N-B02"),
    ),
    _rule(
        "Y-4", "预算上年结转与上年决算年末结转不同", "info",
        "A budget's 上年结转 is compiled before the previous 决算 closes, so a difference from that 决算's 年末结转和结余 "
        "is worth a look but not an error. Runs with --prior on a 预算 with the previous year's 决算.",
        ("Y-4",),
    ),
)
