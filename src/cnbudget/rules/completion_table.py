"""Completion sentences that print one figure and lean on the tables (issue 10, family 6).

'因公出国（境）费决算为0.00万元，完成预算的0%' and '…支出决算为X万元，与年初预算持平' state a rate or an
equality without printing the budget (or the 决算) they are about; N-COMPLETION, which checks a
sentence on its own figures, cannot judge them. Where the missing figure binds to a table value for
sure (specs/narrative_bindings.json, the same bindings N-TABLE uses: e.g. the 三公 table's 预算数),
the rate and the 持平/等于 wording are checked against it. A sentence that names a 全年/调整 budget is
not compared with a table's 年初 figure (specs/budget_final.json's words); a 0 of a 0 budget is silent
(nothing was planned, nothing spent).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from functools import lru_cache
from importlib import resources

from cnbudget.i18n import Message
from cnbudget.model import Disclosure, Fact
from cnbudget.numbers import squash
from cnbudget.rules.findings import Finding, where
from cnbudget.rules.narrative import _equal_words, _pct, _places, _Ratio, _with_next_sentence, bound_value
from cnbudget.rules.registry import Rule


@lru_cache(maxsize=1)
def _other_budget_words() -> tuple[str, ...]:
    data = json.loads(resources.files("cnbudget.specs").joinpath("budget_final.json").read_text(encoding="utf-8"))
    return tuple(data["other_budget_words"])


def _figure(d: Disclosure, f: Fact, field: str) -> tuple[Decimal, str] | None:
    """(value, where it comes from): the sentence's own figure, else the table value it binds to."""
    stated = getattr(f, field)
    if stated is not None:
        return stated, ""
    found = bound_value(d, f, field)
    if found is None:
        return None
    b, table, row, value, printed = found
    label = f" {row.label}" if row.label else ""
    return value, f"{b.table} {table.name}{label} {printed}{table.unit or ''}"


@lru_cache(maxsize=1)
def _clause_words() -> tuple[str, ...]:
    data = json.loads(resources.files("cnbudget.specs").joinpath("narrative_bindings.json").read_text(encoding="utf-8"))
    return tuple(data["completion_equal"]["clause_words"])


def _clauses(f: Fact) -> tuple[str, str] | None:
    """The clause that prints an amount fact's figure and the one right after it ('支出决算为0.18万元' /
    '与年初预算持平'), cut at ， ； 。 of the sentence; None when the figure cannot be found once."""
    text = squash(f.sentence)
    figure = f"{f.printed}万元" if f.printed else ""
    if not figure or text.count(figure) != 1:
        return None
    at = text.index(figure) + len(figure)
    before = text[:at].replace("；", "，").replace("。", "，").rsplit("，", 1)[-1]
    after = text[at:].lstrip("，").replace("；", "。").split("。", 1)[0].split("，", 1)[0]
    return before, after


def _as_completion(f: Fact) -> Fact | None:
    """'X决算为A万元，与年初预算持平' read as an amount: a completion fact with 决算 A that says 持平."""
    if f.kind != "amount" or f.value is None:
        return None
    clauses = _clauses(f)
    if clauses is None or "决算" not in clauses[0] or not any(w in clauses[1] for w in _clause_words()):
        return None
    return f.model_copy(update={"kind": "completion", "actual": f.value, "direction": "持平"})


def _completions(d: Disclosure) -> Iterator[Fact]:
    for f in d.facts:
        made = _as_completion(f)
        if made is not None:
            yield made
        elif f.kind == "completion":
            yield f


def check_completion_tables(d: Disclosure) -> Iterator[Finding]:
    for f in _completions(d):
        if f.budget is not None and f.actual is not None:
            continue  # both figures printed: N-COMPLETION checks the sentence on its own
        sentence = squash(_with_next_sentence(d, f.sentence))
        if any(w in sentence for w in _other_budget_words()):
            continue  # a 全年/调整 budget is not the table's 年初 figure
        budget, actual = _figure(d, f, "budget"), _figure(d, f, "actual")
        if budget is None or actual is None:
            continue
        (a, a_from), (b, b_from) = budget, actual
        source = a_from or b_from
        loc = where(location=f.location, section=f.section)
        if f.percent is not None and not (a == 0 and b == 0):
            if a == 0:
                yield Finding(
                    "N-COMPLETION-TABLE",
                    "narrative",
                    "error",
                    Message("rules.N-COMPLETION-TABLE.zero", subject=f.subject, source=source, printed=f.percent_printed),
                    loc,
                    expected="无完成率（年初预算为0）",
                    actual=f"{f.percent_printed}%",
                )
            else:
                places = _places(f.percent_printed, f.percent)
                ratio = _Ratio.of(b, 2, a, 2)
                verdict = ratio.verdict(f.percent, places) if ratio is not None else "ok"
                if ratio is not None and verdict not in ("ok", "off_by_one_unit"):
                    yield Finding(
                        "N-COMPLETION-TABLE",
                        "narrative",
                        "warning" if verdict == "truncated" else "error",
                        Message(
                            "rules.N-COMPLETION-TABLE.rate",
                            subject=f.subject,
                            final=b,
                            budget=a,
                            source=source,
                            rate=_pct(ratio.exact, 2),
                            printed=f.percent_printed,
                        ),
                        loc,
                        expected=_pct(ratio.exact, max(places, 2)),
                        actual=f"{f.percent_printed}%",
                    )
        words, approximately = _equal_words()
        says_equal = (f.direction == "持平" or any(w in sentence for w in words)) and not any(w in sentence for w in approximately)
        if says_equal and abs(b - a) > Decimal("0.005"):
            yield Finding(
                "N-COMPLETION-TABLE",
                "narrative",
                "error",
                Message("rules.N-COMPLETION-TABLE.equal", subject=f.subject, final=b, budget=a, source=source),
                loc,
                expected="小于" if b < a else "大于",
                actual="持平",
            )


RULES: tuple[Rule, ...] = (Rule("N-COMPLETION-TABLE", "narrative", "error", ("N-F07", "N-F08"), check_completion_tables),)
