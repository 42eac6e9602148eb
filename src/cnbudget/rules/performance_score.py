"""Performance checks: self-evaluation scores recomputed, targets against project money.

Scoring follows 财预〔2020〕10号 as DOMAIN.md §5.2 records it: the execution score is
min(全年执行数 ÷ 全年预算数, 1) × its weight; a quantitative "more is better" indicator scores
min(actual ÷ target, 1) × weight; no item scores above its weight; the total is the sum; the grade
bands are 优 ≥ 90, 良 [80, 90), 中 [60, 80), 差 < 60. Printed figures are rounded, so a recomputed
score is accepted anywhere inside the interval the rounding of its inputs allows.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from cnbudget.i18n import Joined, Message
from cnbudget.limits import to_decimal
from cnbudget.model import Disclosure, Indicator, PerformanceForm
from cnbudget.numbers import squash
from cnbudget.recognize.performance import parse_target, vocab
from cnbudget.rules.context import CheckContext, Needs
from cnbudget.rules.findings import Finding, Severity, Where, where
from cnbudget.rules.registry import Check, Rule
from cnbudget.rules.self_eval_forms import indicator_scores, unread_total_reason

GRADES = ((Decimal(90), "优"), (Decimal(80), "良"), (Decimal(60), "中"), (Decimal(0), "差"))
_WAN = {"万元": Decimal(1), "万": Decimal(1), "元": Decimal("0.0001")}
_COST_LEVEL = re.compile(r"成本")


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _half(places: int) -> Decimal:
    """Half a unit of the last printed place; a whole number in these forms ('5', '10000人') is
    taken as exact (budgets of whole 万元, counts of people)."""
    return Decimal(0) if places == 0 else Decimal(5).scaleb(-(places + 1))


def _q(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def grade_of(score: Decimal) -> str:
    for floor, grade in GRADES:
        if score >= floor:
            return grade
    return "差"


def _form_where(form: PerformanceForm) -> Where:
    return where(location=form.location, section=f"绩效 · {form.name}")


def _score_range(num: Decimal, den: Decimal, weight: Decimal) -> tuple[Decimal, Decimal, Decimal] | None:
    """(low, exact, high) of min(num ÷ den, 1) × weight over the rounding of num and den."""
    if den <= 0:
        return None
    dn, dd = _half(_places(num)), _half(_places(den))
    low = min(max(num - dn, Decimal(0)) / (den + dd), Decimal(1)) * weight
    exact = min(num / den, Decimal(1)) * weight
    high = min((num + dn) / (den - dd) if den - dd > 0 else num / den, Decimal(1)) * weight
    return low, exact, high


def _accepts(printed: Decimal, interval: tuple[Decimal, Decimal, Decimal]) -> bool:
    low, _, high = interval
    places = _places(printed)
    return _q(low, places) <= printed <= _q(high, places)


_ROUNDINGS = {"half_up": ROUND_HALF_UP, "ceiling": ROUND_CEILING}


def _accepts_execution(printed: Decimal, interval: tuple[Decimal, Decimal, Decimal]) -> bool:
    """An execution score rounded to its printed places by any convention of ``execution_score_rounding``
    (specs/performance.json: half-up, and up as seed 004 rounds 2.4 to 3)."""
    low, _, high = interval
    step = Decimal(1).scaleb(-_places(printed))
    for mode in vocab().execution_rounding:
        rounding = _ROUNDINGS[mode]
        if low.quantize(step, rounding=rounding) <= printed <= high.quantize(step, rounding=rounding):
            return True
    return False


def _rate_range(printed: str, weight: Decimal) -> tuple[Decimal, Decimal, Decimal] | None:
    """(low, exact, high) of min(执行率, 1) × weight from a printed 执行率 ('24%', rounded to its places;
    a bare '0' is nothing executed); None for anything else (a bare '0.85' may be a share or a percent)."""
    text = squash(printed)
    if text == "0":
        return Decimal(0), Decimal(0), Decimal(0)
    rate = to_decimal(text[:-1]) if text.endswith("%") else None
    if rate is None or rate < 0:
        return None
    half = Decimal(5).scaleb(-(_places(rate) + 1))
    one = Decimal(100)
    return (
        min(max(rate - half, Decimal(0)), one) / one * weight,
        min(rate, one) / one * weight,
        min(rate + half, one) / one * weight,
    )


# --------------------------------------------------------------------------------------------


def check_execution(d: Disclosure) -> Iterator[Finding]:
    """P-EXEC: the execution score from 全年执行数 ÷ 全年预算数 (not the 年初 budget)."""
    for form in d.performance:
        if form.kind != "project_self_eval" or form.execution_score is None or form.execution_weight is None:
            continue
        if form.executed is None or form.budget_full_year is None:
            yield from _execution_from_rate(form)
            continue
        interval = _score_range(form.executed, form.budget_full_year, form.execution_weight)
        if interval is None:
            if form.execution_score != 0 and form.executed == 0:
                yield Finding("P-EXEC", "performance_score", "error",
                              Message("rules.P-EXEC.nothing", form=form.name, score=form.execution_score),
                              _form_where(form), expected="0", actual=str(form.execution_score))
            continue
        if _accepts_execution(form.execution_score, interval):
            continue
        _, exact, _ = interval
        places = max(_places(form.execution_score), 2)
        yield Finding(
            "P-EXEC", "performance_score", "error",
            Message("rules.P-EXEC.message", form=form.name, executed=form.executed, budget=form.budget_full_year,
                    expected=_q(exact, places), weight=form.execution_weight, score=form.execution_score),
            _form_where(form), expected=str(_q(exact, places)), actual=str(form.execution_score),
        )


def _execution_from_rate(form: PerformanceForm) -> Iterator[Finding]:
    """P-EXEC where the amounts could not be tied (scrambled text) but the printed 执行率 could."""
    if form.execution_score is None or form.execution_weight is None:
        return
    interval = _rate_range(form.execution_rate_printed, form.execution_weight)
    if interval is None or _accepts_execution(form.execution_score, interval):
        return
    places = _places(form.execution_score)
    expected = Joined(" / ", tuple(dict.fromkeys(str(interval[1].quantize(Decimal(1).scaleb(-places), rounding=_ROUNDINGS[m]))
                                                 for m in vocab().execution_rounding)))
    yield Finding(
        "P-EXEC", "performance_score", "error",
        Message("rules.P-EXEC.rate", form=form.name, rate=form.execution_rate_printed, weight=form.execution_weight,
                expected=expected, score=form.execution_score),
        _form_where(form), expected=str(expected), actual=str(form.execution_score),
    )


def _ind_where(form: PerformanceForm, ind: Indicator) -> Where:
    return where(location=ind.location, section=f"绩效 · {form.name}", column=ind.name)


def check_items(d: Disclosure) -> Iterator[Finding]:
    """P-ITEM: no indicator above its weight; quantitative indicators scored by completion ratio."""
    for form in d.performance:
        if form.kind not in ("project_self_eval", "overall_self_eval"):
            continue
        for ind in form.indicators:
            if ind.weight is None or ind.score is None:
                continue
            if ind.score > ind.weight:
                yield Finding("P-ITEM", "performance_score", "error",
                              Message("rules.P-ITEM.above", form=form.name, indicator=ind.name, score=ind.score, weight=ind.weight),
                              _ind_where(form, ind), expected=f"≤ {ind.weight}", actual=str(ind.score))
                continue
            yield from _quantitative(form, ind)


def _quantitative(form: PerformanceForm, ind: Indicator) -> Iterator[Finding]:
    target, actual = parse_target(ind.target_text), parse_target(ind.actual_text)
    if target.value is None or actual.value is None or target.qualitative or actual.qualitative:
        return
    if target.unit != actual.unit or ind.weight is None or ind.score is None:
        return
    lower_is_better = target.operator in ("≤", "<") or bool(_COST_LEVEL.search(ind.level2 + ind.level1))
    if lower_is_better:
        if actual.value > target.value and ind.score >= ind.weight:
            fair = target.value / actual.value * ind.weight
            yield Finding(
                "P-COST-OVERRUN", "performance_score", "warning",
                Message("rules.P-COST-OVERRUN.message", form=form.name, indicator=ind.name, actual=ind.actual_text,
                        target=ind.target_text, score=ind.score, fair=_q(fair, 2)),
                _ind_where(form, ind), expected=str(_q(fair, 2)), actual=str(ind.score),
            )
        return
    interval = _score_range(actual.value, target.value, ind.weight)
    if interval is None or _accepts(ind.score, interval):
        return
    yield Finding(
        "P-ITEM", "performance_score", "error",
        Message("rules.P-ITEM.message", form=form.name, indicator=ind.name, actual=ind.actual_text, target=ind.target_text,
                expected=_q(interval[1], 2), weight=ind.weight, score=ind.score),
        _ind_where(form, ind), expected=str(_q(interval[1], 2)), actual=str(ind.score),
    )


def check_total(d: Disclosure) -> Iterator[Finding]:
    """P-TOTAL: the total is the execution score plus the indicator scores, and the grade its band."""
    for form in d.performance:
        if form.kind != "project_self_eval" or form.total_score is None or form.execution_score is None:
            continue
        scores = indicator_scores(form)
        if not scores or any(i.score is None and i.weight is not None for i in form.indicators):
            continue
        total = form.execution_score + sum(scores, Decimal(0))
        slack = _half(_places(form.total_score)) + Decimal("0.01") * (len(scores) + 1)
        if abs(total - form.total_score) > slack:
            yield Finding(
                "P-TOTAL", "performance_score", "error",
                Message("rules.P-TOTAL.message", form=form.name, total=total, printed=form.total_score),
                _form_where(form), expected=str(total), actual=str(form.total_score),
            )
        if form.grade and form.grade != grade_of(form.total_score):
            yield Finding(
                "P-GRADE", "performance_score", "error",
                Message("rules.P-GRADE.message", form=form.name, score=form.total_score,
                        expected=grade_of(form.total_score), grade=form.grade),
                _form_where(form), expected=grade_of(form.total_score), actual=form.grade,
            )


def _name_key(name: str) -> str:
    return re.sub(r"[（(].*?[)）]|\s", "", name)


def check_summary(d: Disclosure) -> Iterator[Finding]:
    """P-SUMMARY: the 汇总表 scores and grades against each form's 总分 and the grade bands."""
    forms = [f for f in d.performance if f.kind == "project_self_eval" and f.total_score is not None]
    for summary in (f for f in d.performance if f.kind == "self_eval_summary"):
        names = Counter(_name_key(r.get("项目名称", "")) for r in summary.summary_rows)
        for row in summary.summary_rows:
            name, score_text, grade = row.get("项目名称", ""), row.get("自评得分", ""), row.get("自评等级", "")
            score = to_decimal(score_text)
            if score is None:
                continue
            if grade and grade != grade_of(score):
                yield Finding("P-GRADE", "performance_score", "error",
                              Message("rules.P-GRADE.summary", name=name, score=score_text, expected=grade_of(score), grade=grade),
                              _form_where(summary), expected=grade_of(score), actual=grade)
            key = _name_key(name)
            if names[key] > 1 or not key:
                continue  # the same name twice: which form is which cannot be told
            matches = [f for f in forms if key in _name_key(f.name) or _name_key(f.name) in key]
            if len(matches) != 1 or matches[0].total_score is None:
                continue
            if matches[0].total_score != score:
                yield Finding(
                    "P-SUMMARY", "performance_score", "error",
                    Message("rules.P-SUMMARY.message", name=name, score=score_text, total=matches[0].total_score),
                    _form_where(summary), expected=str(matches[0].total_score), actual=score_text,
                )


def check_narrative_scores(d: Disclosure) -> Iterator[Finding]:
    """P-NARRATIVE: a project's score stated in the 情况说明 against its 自评表, and the grade counts."""
    forms = [f for f in d.performance if f.kind == "project_self_eval" and f.total_score is not None]
    for fact in d.facts:
        if fact.kind != "score" or fact.value is None:
            continue
        key = _name_key(fact.subject)
        matches = [f for f in forms if key and (key in _name_key(f.name) or _name_key(f.name) in key)]
        if len(matches) != 1:
            continue
        printed = matches[0].total_score
        if printed is not None and printed != fact.value:
            yield Finding(
                "P-NARRATIVE", "performance_score", "error",
                Message("rules.P-NARRATIVE.score", subject=fact.subject, stated=fact.printed or fact.value, printed=printed),
                where(location=fact.location, section=fact.section), expected=str(printed), actual=fact.printed or str(fact.value),
            )
    graded = Counter(grade_of(Decimal(r["自评得分"])) for s in d.performance if s.kind == "self_eval_summary"
                     for r in s.summary_rows if _is_number(r.get("自评得分", "")))
    if not graded:
        return
    for fact in d.facts:
        grade = squash(fact.subject)
        if fact.kind != "count" or grade not in ("优", "良", "中", "差") or fact.value is None:
            continue
        if graded.get(grade, 0) != fact.value:
            yield Finding(
                "P-NARRATIVE", "performance_score", "error",
                Message("rules.P-NARRATIVE.grades", count=fact.value, grade=fact.subject, expected=graded.get(grade, 0)),
                where(location=fact.location, section=fact.section),
                expected=str(graded.get(grade, 0)), actual=str(fact.value),
            )


def _is_number(text: str) -> bool:
    return to_decimal(text) is not None


def _project_money(form: PerformanceForm) -> Decimal | None:
    for key in ("年度资金总额", "项目本年度金额", "资金总额"):
        amount = form.amounts.get(key)
        if amount is not None:
            return amount.in_wan()
    return None


def check_cost_targets(d: Disclosure) -> Iterator[Finding]:
    """P-COST-TARGET: a cost indicator's target cannot exceed the project's money for the year."""
    for form in d.performance:
        if form.kind != "project_target":
            continue
        money = _project_money(form)
        if money is None or money <= 0:
            continue
        for ind in form.indicators:
            if not _COST_LEVEL.search(ind.level1 + ind.level2):
                continue
            target = parse_target(ind.target_text)
            if target.value is None or target.unit not in _WAN:
                continue
            value = target.value * _WAN[target.unit]
            if value > money:
                yield Finding(
                    "P-COST-TARGET", "performance_score", "error",
                    Message("rules.P-COST-TARGET.message", form=form.name, indicator=ind.name, target=ind.target_text, money=money),
                    _ind_where(form, ind), expected=f"≤ {money}万元", actual=ind.target_text,
                )


def check_duplicate_projects(d: Disclosure) -> Iterator[Finding]:
    """P-DUPLICATE (X-B14): no project carries two target forms."""
    seen: dict[tuple[str, str], PerformanceForm] = {}
    for form in d.performance:
        if form.kind != "project_target" or not form.name:
            continue
        money = _project_money(form)
        key = (squash(form.name), str(money))
        if key in seen:
            yield Finding(
                "P-DUPLICATE", "performance_score", "error",
                Message("rules.P-DUPLICATE.message", form=form.name, money=money),
                _form_where(form), expected=Message("value.one_entry"), actual=Message("value.two_entries"),
            )
        else:
            seen[key] = form


def check_coverage(d: Disclosure) -> Iterator[Finding]:
    """P-COVERAGE (X-B14): the projects' target forms against the 项目支出 of the 部门支出表."""
    b3 = d.table("B3")
    if b3 is None or not b3.rows:
        return
    total_row = next((r for r in b3.rows if squash(r.label) in ("合计", "总计")), b3.rows[0])
    cell = total_row.get("项目支出")
    if cell is None or cell.amount is None:
        return
    spending = cell.amount.in_wan()
    seen: set[tuple[str, str]] = set()
    covered = Decimal(0)
    counted = 0
    for form in d.performance:
        money = _project_money(form) if form.kind == "project_target" else None
        if money is None or (squash(form.name), str(money)) in seen:
            continue
        seen.add((squash(form.name), str(money)))
        covered += money
        counted += 1
    if not counted:
        return
    slack = Decimal("0.01") * counted
    if covered > spending + slack:
        yield Finding(
            "P-COVERAGE", "performance_score", "warning",
            Message("rules.P-COVERAGE.more", count=counted, covered=covered, spending=f"{cell.text}{b3.unit or ''}"),
            where(table=b3, row=total_row, value=cell), expected=f"≤ {spending}万元", actual=f"{covered}万元",
        )
    elif covered < spending - slack:
        yield Finding(
            "P-COVERAGE", "performance_score", "info",
            Message("rules.P-COVERAGE.less", covered=covered, spending=spending, share=_q(covered / spending * 100, 2)),
            where(table=b3, row=total_row, value=cell), expected=f"{spending}万元", actual=f"{covered}万元",
        )


_SOURCES = ("财政性资金", "其他资金", "政府预算资金", "财政专户管理资金", "单位资金")


def check_overall_target(d: Disclosure) -> Iterator[Finding]:
    """P-OVERALL (X-B13): the 整体绩效目标表's 预算情况 against the budget tables."""
    b1, b3 = d.table("B1"), d.table("B3")
    for form in (f for f in d.performance if f.kind == "overall_target"):
        total = form.amounts.get("部门预算总额")
        if total is None:
            continue
        loc = _form_where(form)
        tol = _half(total.places) + Decimal("0.005")
        sources = [form.amounts[k] for k in _SOURCES if k in form.amounts]
        if sources and abs(sum((a.in_wan() for a in sources), Decimal(0)) - total.in_wan()) > tol * len(sources):
            yield Finding("P-OVERALL", "performance_score", "error",
                          Message("rules.P-OVERALL.sources", form=form.name, sum=sum((a.in_wan() for a in sources), Decimal(0)),
                                  total=total.printed),
                          loc, expected=total.printed, actual=str(sum((a.in_wan() for a in sources), Decimal(0))))
        # 资金结构: 基本支出 + 项目支出 (+ 其他支出: 上缴上级, 经营, 对附属单位补助支出, where printed)
        parts = [(k, form.amounts[k]) for k in ("基本支出", "项目支出", "其他支出") if k in form.amounts]
        spent = sum((a.in_wan() for _, a in parts), Decimal(0))
        if {"基本支出", "项目支出"} <= {k for k, _ in parts} and abs(spent - total.in_wan()) > tol * len(parts):
            terms = " + ".join(f"{k} {a.printed}" for k, a in parts)
            yield Finding("P-OVERALL", "performance_score", "error",
                          Message("rules.P-OVERALL.parts", form=form.name, terms=terms, total=total.printed),
                          loc, expected=total.printed, actual=str(spent))
        for label, table, row_labels, column in (
            ("部门预算总额", b1, ("收入总计", "收入合计"), "金额"),
            ("部门预算总额", b3 if b1 is None else None, ("合计", "总计"), "合计"),
            ("基本支出", b3, ("合计", "总计"), "基本支出"),
            ("项目支出", b3, ("合计", "总计"), "项目支出"),
        ):
            stated = form.amounts.get(label)
            if stated is None or table is None:
                continue
            row = next((r for r in table.rows if squash(r.label) in row_labels and (not r.side or r.side == "收入")), None)
            cell = row.get(column) if row is not None else None
            if cell is None or cell.amount is None:
                continue
            if abs(cell.amount.in_wan() - stated.in_wan()) > _half(stated.places) + Decimal("0.005"):
                yield Finding("P-OVERALL", "performance_score", "error",
                              Message("rules.P-OVERALL.table", form=form.name, label=label, stated=stated.printed,
                                      table=f"{table.spec_id} {table.name}", printed=f"{cell.text}{table.unit or ''}"),
                              loc, expected=cell.text, actual=stated.printed)


_EVAL_MONEY = ("预算资金", "决算资金", "涉及资金", "资金")
_EVAL_COUNT = ("项目", "项目支出")


def _project_spending(d: Disclosure) -> tuple[Decimal, Message] | None:
    """The year's 项目支出: the 支出决算表's 合计 row, else the figure the 情况说明 states for it."""
    f3 = d.table("F3")
    if f3 is not None:
        row = next((r for r in f3.rows if squash(r.label) == "合计"), None)
        cell = row.get("项目支出") if row is not None else None
        if cell is not None and cell.amount is not None:
            return cell.amount.in_wan(), Message("rules.P-SELF-EVAL.base_table", table=f"F3 {f3.name}",
                                                 amount=f"{cell.text}{f3.unit or ''}")
    for fact in d.facts:
        if squash(fact.subject) == "项目支出" and fact.kind in ("share", "amount") and fact.value is not None and "支出" in fact.section:
            return fact.value, Message("rules.P-SELF-EVAL.stated_base", printed=fact.printed)
    return None


def check_self_eval_coverage(d: Disclosure) -> Iterator[Finding]:
    """P-SELF-EVAL (X-F10, N-F10): the 自评 projects counted, and their money as a share of 项目支出."""
    if d.meta.kind != "决算":
        return
    forms = [f for f in d.performance if f.kind == "project_self_eval"]
    for fact in d.facts:
        if "绩效" not in fact.section:
            continue
        subject = squash(fact.subject)
        counted = fact.kind == "count" and subject in _EVAL_COUNT and fact.value is not None and "自评" in fact.sentence
        if counted and forms and fact.value != len(forms):
            yield Finding("P-SELF-EVAL", "performance_score", "error",
                          Message("rules.P-SELF-EVAL.count", count=fact.value, forms=len(forms)),
                          where(location=fact.location, section=fact.section), expected=str(len(forms)), actual=str(fact.value))
        if fact.kind == "share" and subject in _EVAL_MONEY and fact.value is not None and fact.percent is not None:
            base = _project_spending(d)
            if base is None or base[0] <= 0:
                continue
            exact = fact.value / base[0] * 100
            places = len(fact.percent_printed.split(".", 1)[1]) if "." in fact.percent_printed else 0
            tolerance = Decimal(1).scaleb(-places) if places else Decimal("0.5")
            if abs(exact - fact.percent) > tolerance:
                yield Finding("P-SELF-EVAL", "performance_score", "error",
                              Message("rules.P-SELF-EVAL.share", money=fact.printed, share=_q(exact, 2), base=base[1],
                                      printed=fact.percent_printed),
                              where(location=fact.location, section=fact.section),
                              expected=f"{_q(exact, max(places, 2))}%", actual=f"{fact.percent_printed}%")


def _rule(rule_id: str, severity: Severity, enforces: tuple[str, ...], check: Check) -> Rule:
    """A rule reporting only its own findings from a check that may report several rules' findings."""

    def own(d: Disclosure) -> Iterator[Finding]:
        return (f for f in check(d) if f.rule == rule_id)

    return Rule(rule_id, "performance_score", severity, enforces, own, needs=Needs(forms=True))


def _total_in_context(ctx: CheckContext) -> Iterator[Finding]:
    """P-TOTAL as run: the findings, and in the coverage the forms whose indicator scores could not be
    read unambiguously (their total is not recomputed; P-TOTAL-CAP bounds it)."""
    d = ctx.readable
    unread = unread_total_reason(d)
    if unread is not None:
        ctx.partial["P-TOTAL"] = unread
    return (f for f in check_total(d) if f.rule == "P-TOTAL")


def _total_and_summary(d: Disclosure) -> Iterator[Finding]:
    yield from check_total(d)
    yield from check_summary(d)


RULES: tuple[Rule, ...] = (
    _rule("P-EXEC", "error",
          ("REG-08",), check_execution),
    _rule("P-ITEM", "error",
          ("REG-08",), check_items),
    _rule("P-COST-OVERRUN", "warning",
          ("REG-08",), check_items),
    replace(_rule("P-TOTAL", "error", ("REG-08",), check_total), check=_total_in_context, contextual=True),
    _rule("P-GRADE", "error",
          ("REG-08",),
          _total_and_summary),
    _rule("P-SUMMARY", "error",
          ("X-F10",), check_summary),
    _rule("P-NARRATIVE", "error",
          ("X-F10", "N-F10"), check_narrative_scores),
    _rule("P-COST-TARGET", "error",
          ("REG-08",), check_cost_targets),
    _rule("P-DUPLICATE", "error",
          ("X-B14",), check_duplicate_projects),
    _rule("P-OVERALL", "error",
          ("X-B13",), check_overall_target),
    _rule("P-SELF-EVAL", "error",
          ("X-F10", "N-F10"), check_self_eval_coverage),
    _rule("P-COVERAGE", "warning",
          ("X-B14",), check_coverage),
)
