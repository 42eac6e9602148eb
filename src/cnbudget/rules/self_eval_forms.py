"""Self-evaluation forms read only in part (issue 10, family 8): what the readable figures prove.

A 项目支出绩效自评表 that survives only as scrambled text (seed 004) still prints, unambiguously, its
总分 (分值 and 得分) and the funds row's 分值 and 得分 for budget execution; its indicator rows cannot
be told apart. The total cannot then be recomputed (P-TOTAL says so in its coverage), but it can be
bounded: the indicators can give at most their weights, i.e. the total weight less the execution
weight, so the total is at most the execution score plus that. A total above the bound is wrong
whatever the unreadable indicator scores are.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from cnbudget.i18n import Joined, Message
from cnbudget.model import Disclosure, PerformanceForm
from cnbudget.rules.context import Needs, Reason, ReasonCode, Status, reason
from cnbudget.rules.findings import Finding, where
from cnbudget.rules.registry import Rule


def _indicator_weight(form: PerformanceForm) -> Decimal | None:
    """What the indicators weigh together: the 总分's 分值 less the execution 分值 (None when either is unread
    or they make no sense)."""
    if form.total_weight is None or form.execution_weight is None or form.execution_weight > form.total_weight:
        return None
    return form.total_weight - form.execution_weight


def unnamed_complete(form: PerformanceForm) -> bool:
    """True when the rows read whole from scrambled text are all the form's indicators: as many as its
    numbered names, and weighing together what the indicators weigh. Which row is which is still unknown,
    but their scores add up to the indicators' part of the 总分."""
    rows, weight = form.unnamed_indicators, _indicator_weight(form)
    if not rows or form.indicator_count != len(rows) or weight is None:
        return False
    return sum((i.weight or Decimal(0) for i in rows), Decimal(0)) == weight


def indicators_unread(form: PerformanceForm) -> bool:
    """True when a self-evaluation's indicator scores could not be read: no indicator, or one whose
    score or weight is missing although the form scores its indicators (rows read whole from scrambled
    text count when they are all of them)."""
    if form.kind != "project_self_eval":
        return False
    if not form.indicators:
        return not unnamed_complete(form)
    return any(i.score is None or i.weight is None for i in form.indicators)


def indicator_scores(form: PerformanceForm) -> list[Decimal]:
    """The indicator scores P-TOTAL adds: the named indicators', or all the rows read whole from scrambled text."""
    if not form.indicators and unnamed_complete(form):
        return [i.score for i in form.unnamed_indicators if i.score is not None]
    return [i.score for i in form.indicators if i.score is not None]


def _unread_detail(form: PerformanceForm) -> Message:
    """One form in P-TOTAL's coverage: how many of its indicator rows could be read."""
    read = len(form.unnamed_indicators)
    weight = sum((i.weight or Decimal(0) for i in form.unnamed_indicators), Decimal(0))
    if form.indicator_count is None:
        return Message("rules.P-TOTAL.unread_form", form=form.name or "?", read=read, weight=weight)
    return Message("rules.P-TOTAL.unread_counted", form=form.name or "?", read=read, count=form.indicator_count, weight=weight,
                   rest=_indicator_weight(form) or "?")


def unread_total_reason(d: Disclosure) -> tuple[Status, Reason] | None:
    """P-TOTAL's coverage when forms could not be read: 'not checked: …' when none could, 'partly: …'
    when some could; None when every printed total could be recomputed."""
    printed = [f for f in d.performance if f.kind == "project_self_eval" and f.total_score is not None]
    unread = [f for f in printed if indicators_unread(f)]
    if not unread:
        return None
    names = Joined("; ", tuple(_unread_detail(f) for f in unread))
    why = reason(ReasonCode.SELF_EVAL_UNREAD, forms=names, count=len(unread))
    return ("not checked", why) if len(unread) == len(printed) else ("ran", why)


def check_total_cap(d: Disclosure) -> Iterator[Finding]:
    """P-TOTAL-CAP: a 总分 above the execution score plus the indicators' weights."""
    for form in d.performance:
        if not indicators_unread(form):
            continue  # a readable form is recomputed in full by P-TOTAL
        total, weight = form.total_score, form.total_weight
        exec_score, exec_weight = form.execution_score, form.execution_weight
        if total is None or weight is None or exec_score is None or exec_weight is None:
            continue
        if exec_weight > weight or exec_score > exec_weight:
            continue  # not a reading that makes sense: say nothing
        rest = weight - exec_weight
        rows = form.unnamed_indicators
        read_weight = sum((i.weight or Decimal(0) for i in rows), Decimal(0))
        lost = sum(((i.weight or Decimal(0)) - (i.score or Decimal(0)) for i in rows), Decimal(0))
        if read_weight > rest:
            rows, lost = [], Decimal(0)  # rows weighing more than the indicators can: not used
        cap = exec_score + rest - lost
        if total <= cap:
            continue
        if lost:
            message = Message("rules.P-TOTAL-CAP.rows", form=form.name, score=exec_score, weight=exec_weight, rest=rest,
                              rows=len(rows), lines=Joined(", ", tuple(str(i.location.line) for i in rows if i.score != i.weight)),
                              lost=lost, cap=cap, printed=total)
        else:
            message = Message("rules.P-TOTAL-CAP.message", form=form.name, score=exec_score, weight=exec_weight, rest=rest, cap=cap,
                              printed=total)
        yield Finding("P-TOTAL-CAP", "performance_score", "error", message,
                      where(location=form.location, section=f"绩效 · {form.name}"), expected=f"≤ {cap}", actual=str(total))


RULES: tuple[Rule, ...] = (Rule("P-TOTAL-CAP", "performance_score", "error", ("REG-08",), check_total_cap, needs=Needs(forms=True)),)
