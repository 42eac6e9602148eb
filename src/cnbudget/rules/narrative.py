"""Narrative checks: every figure of the 情况说明 against its own arithmetic and its table.

Arithmetic is checked with the rounding of the printed figures taken into account: a percentage
is accepted when it is what some values inside the printed amounts' rounding intervals give
(rounded half-up to the printed places), so that a correct sentence is never reported. Which
table value a sentence binds to is data (specs/narrative_bindings.json), not code.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from functools import lru_cache
from importlib import resources
from typing import Any

from cnbudget.i18n import Message
from cnbudget.model import Disclosure, Fact, Row, Section, Table
from cnbudget.numbers import squash
from cnbudget.rules.context import Needs
from cnbudget.rules.findings import Finding, Severity, Where, where
from cnbudget.rules.registry import Check, Rule
from cnbudget.rules.tolerance import fmt_amount

HUNDRED = Decimal(100)
_ITEM_RE = re.compile(r"（项）|\(项\)")
_CLASS_RE = re.compile(r"^(?P<name>.+?)[（(]类[)）](?:支出)?$")
_BASE_RE = re.compile(r"占(?P<base>[^，,。；;%]{2,20}?)的?\s*[\d.]+\s*%")


def _places(printed: str, value: Decimal) -> int:
    text = printed or str(value)
    return len(text.split(".", 1)[1]) if "." in text else 0


def _half_unit(places: int) -> Decimal:
    return Decimal(5).scaleb(-(places + 1))


def _q(value: Decimal, places: int, rounding: str = ROUND_HALF_UP) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=rounding)


def _loc(f: Fact, section: str = "") -> Where:
    return where(location=f.location, section=section or f.section)


@dataclass(frozen=True)
class _Ratio:
    """A ratio of two printed amounts, with the interval their rounding allows."""

    low: Decimal
    exact: Decimal
    high: Decimal

    @classmethod
    def of(cls, num: Decimal, num_places: int, den: Decimal, den_places: int) -> _Ratio | None:
        if den <= 0:
            return None
        dn, dd = _half_unit(num_places), _half_unit(den_places)
        low_den = den + dd
        high_den = den - dd if den - dd > 0 else den
        return cls(
            low=max(num - dn, Decimal(0)) / low_den * HUNDRED,
            exact=num / den * HUNDRED,
            high=(num + dn) / high_den * HUNDRED,
        )

    def verdict(self, stated: Decimal, places: int) -> str:
        """ok | truncated | off_by_one_unit | wrong, for a percentage printed with ``places``."""
        if _q(self.low, places) <= stated <= _q(self.high, places):
            return "ok"
        if places == 0 and _q(self.exact, 0, ROUND_FLOOR) == stated:
            return "truncated"
        if places >= 2 and abs(stated - _q(self.exact, places)) <= Decimal(1).scaleb(-places):
            return "off_by_one_unit"
        return "wrong"


def _pct(value: Decimal, places: int) -> str:
    return f"{_q(value, places)}%"


# --------------------------------------------------------------------------------------------
# N-GROWTH: 增加A，增长B% against the current amount; N-ZERO-BASE
# --------------------------------------------------------------------------------------------


def check_growth(d: Disclosure) -> Iterator[Finding]:
    for f in d.facts:
        if f.kind != "change" or f.percent is None or f.change is None or f.value is None:
            continue
        if f.direction not in ("增加", "减少"):
            continue
        current, change = f.value, f.change
        prior = current - change if f.direction == "增加" else current + change
        if prior <= 0:
            continue  # reported by the zero-base rule
        places = _places(f.percent_printed, f.percent)
        prior_places = max(_places(f.printed, current), _places(f.change_printed, change))
        ratio = _Ratio.of(change, _places(f.change_printed, change), prior, prior_places)
        if ratio is None:
            continue
        verdict = ratio.verdict(f.percent, places)
        if verdict in ("ok", "off_by_one_unit"):
            continue
        prior_text = fmt_amount(prior, max(_places(f.printed, current), 2))
        if verdict == "truncated":
            yield Finding(
                "N-GROWTH", "narrative", "warning",
                Message("rules.N-GROWTH.truncated", subject=f.subject, direction=f.direction, change=f.change_printed or change,
                        prior=prior_text, rate=_pct(ratio.exact, 2), printed=f.percent_printed),
                _loc(f), expected=_pct(ratio.exact, places), actual=f"{f.percent_printed}%",
            )
            continue
        yield Finding(
            "N-GROWTH", "narrative", "error",
            Message("rules.N-GROWTH.message", subject=f.subject, direction=f.direction, change=f.change_printed or change,
                    prior=prior_text, current=f.printed or current, op="−" if f.direction == "增加" else "+",
                    rate=_pct(ratio.exact, 2), printed=f.percent_printed),
            _loc(f), expected=_pct(ratio.exact, max(places, 2)), actual=f"{f.percent_printed}%",
        )


def check_zero_base(d: Disclosure) -> Iterator[Finding]:
    for f in d.facts:
        if f.kind != "change" or f.percent is None or f.change is None or f.value is None:
            continue
        if f.direction not in ("增加", "减少"):
            continue
        prior = f.value - f.change if f.direction == "增加" else f.value + f.change
        if prior != 0:
            continue
        if f.change == 0:
            yield Finding(
                "N-ZERO-BASE", "narrative", "warning",
                Message("rules.N-ZERO-BASE.flat", subject=f.subject, printed=f.percent_printed),
                _loc(f), expected="持平（不表述增长率）", actual=f"{f.percent_printed}%",
            )
        else:
            yield Finding(
                "N-ZERO-BASE", "narrative", "error",
                Message("rules.N-ZERO-BASE.message", subject=f.subject, current=f.printed, change=f.change_printed,
                        printed=f.percent_printed),
                _loc(f), expected="新增（无增长率）", actual=f"{f.percent_printed}%",
            )


# --------------------------------------------------------------------------------------------
# N-SHARE: a万元，占p% against the total they are a share of; shares adding up to 100
# --------------------------------------------------------------------------------------------


def _share_groups(d: Disclosure) -> list[tuple[Fact | None, list[Fact]]]:
    """Consecutive shares of one sentence, with the amount they are shares of (if it can be told)."""
    groups: list[tuple[Fact | None, list[Fact]]] = []
    facts = d.facts
    i = 0
    while i < len(facts):
        f = facts[i]
        if f.kind != "share" or f.value is None or f.percent is None:
            i += 1
            continue
        group = [f]
        j = i + 1
        while j < len(facts) and facts[j].kind in ("share", "percent") and facts[j].section == f.section:
            if facts[j].kind == "share" and facts[j].value is not None and facts[j].percent is not None:
                group.append(facts[j])
            j += 1
        groups.append((_base_of(facts, i, group), group))
        i = j
    return groups


def _base_of(facts: list[Fact], first: int, group: list[Fact]) -> Fact | None:
    """The total: named after 占 ('占本年支出合计的95.33%'), else the amount just before the shares
    in the same section, accepted only if the parts add up to it or at least one share fits it."""
    named = _BASE_RE.search(group[0].sentence)
    if named and len(group) == 1:
        base_subject = squash(named.group("base"))
        for f in reversed(facts[:first]):
            if f.kind in ("amount", "share", "change") and f.value is not None and squash(f.subject) == base_subject:
                return f
        return None
    for f in reversed(facts[max(0, first - 4) : first]):
        if f.section != group[0].section:
            break
        if f.kind == "amount" and f.value is not None and f.value > 0:
            total = sum((s.value for s in group if s.value is not None), Decimal(0))
            tol = Decimal("0.01") * len(group) + _half_unit(_places(f.printed, f.value))
            fits = any(
                (r := _Ratio.of(s.value, _places(s.printed, s.value), f.value, _places(f.printed, f.value))) is not None
                and r.verdict(s.percent, _places(s.percent_printed, s.percent)) == "ok"
                for s in group
                if s.value is not None and s.percent is not None
            )
            if abs(total - f.value) <= tol or fits:
                return f
            return None
    return None


def check_shares(d: Disclosure) -> Iterator[Finding]:
    for base, group in _share_groups(d):
        if base is None or base.value is None:
            continue
        total_places = _places(base.printed, base.value)
        stated_sum = Decimal(0)
        wrong = 0
        for s in group:
            assert s.value is not None and s.percent is not None
            places = _places(s.percent_printed, s.percent)
            stated_sum += s.percent
            ratio = _Ratio.of(s.value, _places(s.printed, s.value), base.value, total_places)
            if ratio is None:
                continue
            verdict = ratio.verdict(s.percent, places)
            if verdict in ("ok", "off_by_one_unit"):
                continue
            wrong += 1
            yield Finding(
                "N-SHARE", "narrative", "warning" if verdict == "truncated" else "error",
                Message("rules.N-SHARE.message", subject=s.subject, amount=s.printed, whole=base.subject, total=base.printed,
                        rate=_pct(ratio.exact, 2), printed=s.percent_printed),
                _loc(s), expected=_pct(ratio.exact, max(places, 2)), actual=f"{s.percent_printed}%",
            )
        parts = sum((s.value for s in group if s.value is not None), Decimal(0))
        complete = abs(parts - base.value) <= Decimal("0.01") * len(group) + _half_unit(total_places)
        if complete and len(group) > 1 and abs(stated_sum - HUNDRED) > Decimal("0.02") * len(group):
            yield Finding(
                "N-SHARE", "narrative", "error",
                Message("rules.N-SHARE.sum", whole=base.subject, total=stated_sum),
                _loc(group[0]), expected="100%", actual=f"{stated_sum}%",
            )


# --------------------------------------------------------------------------------------------
# N-COMPLETION: 年初预算A，决算B，完成C%; 比年初预算减少D; 大于/小于; the overall A = Σ 项 A
# --------------------------------------------------------------------------------------------


def check_completion(d: Disclosure) -> Iterator[Finding]:
    for f in d.facts:
        if f.kind not in ("completion", "budget_vs_actual") or f.budget is None or f.actual is None:
            continue
        a, b = f.budget, f.actual
        if f.percent is not None and f.kind == "completion":
            places = _places(f.percent_printed, f.percent)
            if a == 0 and b == 0:
                pass  # 0 of a 0 budget: nothing was planned and nothing spent, whatever rate is printed
            elif a == 0:
                yield Finding(
                    "N-COMPLETION", "narrative", "error",
                    Message("rules.N-COMPLETION.zero", subject=f.subject, printed=f.percent_printed),
                    _loc(f), expected="无完成率（年初预算为0）", actual=f"{f.percent_printed}%",
                )
            else:
                ratio = _Ratio.of(b, 2, a, 2)
                if ratio is not None:
                    verdict = ratio.verdict(f.percent, places)
                    if verdict not in ("ok", "off_by_one_unit"):
                        yield Finding(
                            "N-COMPLETION", "narrative", "warning" if verdict == "truncated" else "error",
                            Message("rules.N-COMPLETION.rate", subject=f.subject, final=b, budget=a, rate=_pct(ratio.exact, 2),
                                    printed=f.percent_printed),
                            _loc(f), expected=_pct(ratio.exact, max(places, 2)), actual=f"{f.percent_printed}%",
                        )
        if f.change is not None and f.direction in ("增加", "减少"):
            diff = b - a
            wrong_way = (f.direction == "减少" and diff > 0) or (f.direction == "增加" and diff < 0)
            if wrong_way or abs(abs(diff) - f.change) > Decimal("0.01"):
                yield Finding(
                    "N-COMPLETION", "narrative", "error",
                    Message("rules.N-COMPLETION.change", subject=f.subject, final=b, budget=a, diff=diff,
                            said=f"{f.direction}{f.change_printed or f.change}"),
                    _loc(f),
                    expected=f"{'增加' if diff >= 0 else '减少'}{abs(diff)}",
                    actual=f"{f.direction}{f.change_printed or f.change}",
                )
        sentence = _with_next_sentence(d, f.sentence)
        words, approximately = _equal_words()
        flat = squash(sentence)
        says_equal = (f.direction == "持平" or any(w in flat for w in words)) and not any(w in flat for w in approximately)
        if says_equal and abs(b - a) > Decimal("0.005"):
            yield Finding(
                "N-COMPLETION", "narrative", "error",
                Message("rules.N-COMPLETION.equal_less" if b < a else "rules.N-COMPLETION.equal_more", subject=f.subject,
                        final=b, budget=a),
                _loc(f), expected="小于" if b < a else "大于", actual="持平",
            )
        says_more, says_less = "决算数大于" in sentence, "决算数小于" in sentence
        if says_more != says_less and a != b and ((says_more and b < a) or (says_less and b > a)):
            yield Finding(
                "N-COMPLETION", "narrative", "error",
                Message("rules.N-COMPLETION.less" if b < a else "rules.N-COMPLETION.more", subject=f.subject, final=b, budget=a,
                        said="大于" if says_more else "小于"),
                _loc(f), expected="小于" if b < a else "大于", actual="大于" if says_more else "小于",
            )


@lru_cache(maxsize=1)
def _equal_words() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """How a completion sentence says 决算 equals 年初预算, and the 'approximately' words that make it no claim."""
    data = json.loads(resources.files("cnbudget.specs").joinpath("narrative_bindings.json").read_text(encoding="utf-8"))
    equal = data.get("completion_equal", {})
    return tuple(equal.get("words", ())), tuple(equal.get("approximately", ()))


def _with_next_sentence(d: Disclosure, sentence: str) -> str:
    """The sentence and the one after it in its paragraph: '…完成年初预算的111.65%。决算数大于年初预算数
    主要原因是…' states the comparison in a sentence of its own."""
    key = squash(sentence).rstrip("。")
    if not key:
        return sentence
    for section in _sections(d.sections):
        for para in section.paragraphs:
            text = squash(para.text)
            at = text.find(key)
            if at < 0:
                continue
            rest = text[at + len(key) :].lstrip("。")
            following = rest.split("。", 1)[0]
            return sentence if "年初预算为" in following else sentence + following
    return sentence


def _sections(sections: list[Section]) -> Iterator[Section]:
    for s in sections:
        yield s
        yield from _sections(s.children)


def _overall_budget_sums(d: Disclosure) -> Iterator[Finding]:
    """The overall 年初预算 of 一般公共预算财政拨款支出 is the sum of the 项 budgets listed under it."""
    facts = d.facts
    for i, f in enumerate(facts):
        if f.kind != "completion" or f.budget is None or _ITEM_RE.search(f.subject):
            continue
        items = []
        for g in facts[i + 1 :]:
            if g.section != f.section:
                break
            if g.kind in ("completion", "budget_vs_actual") and _ITEM_RE.search(g.subject) and g.budget is not None:
                items.append(g)
        if len(items) < 2:
            continue
        listed = sum((g.budget for g in items if g.budget is not None), Decimal(0))
        if abs(listed - f.budget) > Decimal("0.01") * len(items):
            yield Finding(
                "N-COMPLETION-SUM", "narrative", "error",
                Message("rules.N-COMPLETION-SUM.message", subject=f.subject, budget=f.budget, count=len(items), listed=listed),
                _loc(f), expected=str(listed), actual=str(f.budget),
            )


# --------------------------------------------------------------------------------------------
# N-TABLE: a figure against the table value it binds to
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Binding:
    id: str
    kind: str
    subjects: frozenset[str]
    kinds: frozenset[str]
    field: str
    table: str
    column: str
    section: str = ""
    side: str = ""
    rows: tuple[str, ...] = ()
    row: str = ""


def _norm(text: str) -> str:
    return squash(text).replace("“", "").replace("”", "").replace('"', "")


def parse_binding(b: dict[str, Any]) -> Binding:
    """One binding as the data files write it (narrative_bindings.json; year_over_year.json for Y-5)."""
    return Binding(
        id=b["id"], kind=b["kind"], subjects=frozenset(_norm(s) for s in b["subjects"]), kinds=frozenset(b["kinds"]),
        field=b["field"], table=b["table"], column=b["column"], section=b.get("section", ""),
        side=b.get("side", ""), rows=tuple(b.get("rows", ())), row=b.get("row", ""),
    )


@lru_cache(maxsize=1)
def bindings() -> tuple[Binding, ...]:
    data = json.loads(resources.files("cnbudget.specs").joinpath("narrative_bindings.json").read_text(encoding="utf-8"))
    return tuple(parse_binding(b) for b in data["bindings"])



def _class_rows(table: Table, name: str) -> list[Row]:
    """Rows of the class named ``name``: its 3-digit row if printed, else its 项 rows."""
    head = next((r for r in table.rows if len(r.code) == 3 and r.code_kind == "function" and _norm(r.label).startswith(name)), None)
    if head is not None:
        return [head]
    return []


def _lookup(table: Table, b: Binding, f: Fact) -> tuple[Row, Decimal, str] | None:
    column = _norm(f.subject) if b.column == "@subject" else b.column
    rows: list[Row]
    if b.row == "class":
        m = _CLASS_RE.match(_norm(f.subject))
        if not m:
            return None
        rows = _class_rows(table, m.group("name"))
    elif b.row == "item":
        name = _ITEM_RE.split(_norm(f.subject))[0] if _ITEM_RE.search(f.subject) else _norm(f.subject)
        name = re.sub(r"^.*[)）]", "", name) if _ITEM_RE.search(f.subject) else name
        rows = [r for r in table.rows if len(r.code) == 7 and _norm(r.label) == name]
        if len({str(r.get(column).amount.value) for r in rows if r.get(column) and r.get(column).amount}) > 1:  # type: ignore[union-attr]
            return None  # the same 项 printed with different amounts: ambiguous
    else:
        wanted = {_norm(x) for x in b.rows}
        rows = [r for r in table.rows if (not b.side or r.side == b.side) and (not wanted or _norm(r.label) in wanted)]
        if not wanted:
            rows = rows[:1]
    for r in rows:
        v = r.get(column)
        if v is not None and v.amount is not None:
            return r, v.amount.in_wan(), v.text
    return None


def named_table_value(
    d: Disclosure, f: Fact, kind: str | None, among: Iterable[Binding] | None = None
) -> tuple[Table, Row, Decimal, str] | None:
    """The table value of ``d`` that a fact with an explicitly bound subject names (Y-5 reads last year's document with it)."""
    for b in bindings() if among is None else among:
        if b.kind != kind or f.kind not in b.kinds or not b.subjects or _norm(f.subject) not in b.subjects:
            continue
        if (b.section and b.section not in f.section) or b.field != "value":
            continue
        table = d.table(b.table)
        found = _lookup(table, b, f) if table is not None else None
        if table is not None and found is not None:
            return table, *found
    return None


def binds(b: Binding, f: Fact, kind: str | None) -> bool:
    """Whether binding ``b`` names the table value of fact ``f`` in a document of ``kind``."""
    if b.kind != kind or f.kind not in b.kinds:
        return False
    if b.subjects and _norm(f.subject) not in b.subjects:
        return False
    if not b.subjects and b.row == "class" and not _CLASS_RE.match(_norm(f.subject)):
        return False
    if not b.subjects and b.row == "item" and not (_ITEM_RE.search(f.subject) or f.kind == "share"):
        return False
    return not (b.section and b.section not in f.section)


def bound_value(d: Disclosure, f: Fact, field: str) -> tuple[Binding, Table, Row, Decimal, str] | None:
    """The table value a fact's ``field`` (value, budget, actual) binds to, whether or not the sentence
    prints that figure: the 年初预算 of '…决算为0.00万元，完成预算的0%' is the 三公 table's 预算数."""
    for b in bindings():
        if b.field != field or not binds(b, f, d.meta.kind):
            continue
        table = d.table(b.table)
        found = _lookup(table, b, f) if table is not None else None
        if table is not None and found is not None:
            return (b, table, *found)
    return None


def check_tables(d: Disclosure) -> Iterator[Finding]:
    kind = d.meta.kind
    seen: set[tuple[str, str, str, str, str]] = set()
    for f in d.facts:
        for b in bindings():
            if not binds(b, f, kind):
                continue
            stated = getattr(f, b.field)
            if stated is None:
                continue
            table = d.table(b.table)
            if table is None:
                continue
            found = _lookup(table, b, f)
            if found is None:
                continue
            row, value, printed = found
            stated_printed = {"value": f.printed, "budget": "", "actual": ""}.get(b.field) or str(stated)
            key = (f.section, f.subject, stated_printed, b.table, b.field)
            if key in seen:
                continue  # the same figure read as an amount and as a change: one finding
            seen.add(key)
            places = _places(stated_printed, stated)
            diff = abs(stated - value)
            if diff <= _half_unit(places):
                continue
            last_unit = Decimal(1).scaleb(-places)
            rounding = places >= 2 and diff <= last_unit
            yield Finding(
                "N-TABLE", "narrative", "info" if rounding else "error",
                Message("rules.N-TABLE.rounding" if rounding else "rules.N-TABLE.message", subject=f.subject, stated=stated_printed,
                        table=f"{b.table} {table.name}", printed=f"{printed}{table.unit or ''}",
                        row=f"{row.code + ' ' if row.code else ''}{row.label}"),
                _loc(f), expected=fmt_amount(value, max(places, 2)), actual=stated_printed,
                cause=f"{_norm(f.subject)}|{stated_printed}|{b.table}|{printed}",  # the same wrong figure in several sentences
            )


# --------------------------------------------------------------------------------------------
# N-ADMIN-COST: 机关运行经费 ≤ 基本支出公用经费 (X-B12); N-CLASS-NAME: class names of the year
# --------------------------------------------------------------------------------------------

_ADMIN = "机关运行经费"
_PUBLIC_COST = (("F6", "公用经费合计", "决算数"), ("B6", "合计", "公用经费"))
NEW_DEFINITION_FROM = 2024  # 上海2024模板: 机关运行经费 = 一般公共预算财政拨款基本支出中的日常公用经费


def _public_cost(d: Disclosure) -> tuple[Table, Row, Decimal, str] | None:
    for spec, label, column in _PUBLIC_COST:
        t = d.table(spec)
        if t is None:
            continue
        for r in t.rows:
            v = r.get(column)
            if _norm(r.label) == label and v is not None and v.amount is not None:
                return t, r, v.amount.in_wan(), v.text
    return None


def check_admin_cost(d: Disclosure) -> Iterator[Finding]:
    found = _public_cost(d)
    if found is None:
        return
    table, _row, public, printed = found
    for f in d.facts:
        if _norm(f.subject) != _ADMIN or f.kind not in ("amount", "budget_vs_actual", "completion"):
            continue
        stated = f.actual if f.kind != "amount" else f.value
        if stated is None or stated <= public + _half_unit(_places(f.printed, stated)):
            continue
        new_rule = (d.meta.year or 0) >= NEW_DEFINITION_FROM
        yield Finding(
            "N-ADMIN-COST", "narrative", "error" if new_rule else "warning",
            Message("rules.N-ADMIN-COST.message" if new_rule else "rules.N-ADMIN-COST.before_2024", stated=f.printed or stated,
                    printed=f"{printed}{table.unit or ''}", table=f"{table.spec_id} {table.name}"),
            _loc(f), expected=f"≤ {printed}", actual=f.printed or str(stated),
        )
        return


def check_class_names(d: Disclosure) -> Iterator[Finding]:
    from cnbudget.specs import function_catalog

    year = d.meta.year
    if year is None:
        return
    classes = [e for e in function_catalog() if e.level == "类"]
    for f in d.facts:
        m = _CLASS_RE.match(_norm(f.subject))
        if not m:
            continue
        name = m.group("name")
        entries = [e for e in classes if _norm(e.name).startswith(name)]
        if not entries or any((e.year_to is None or e.year_to >= year) and (e.year_from or 0) <= year for e in entries):
            continue
        code = entries[0].code
        current = [e.name for e in classes if e.code == code and (e.year_to is None or e.year_to >= year)]
        yield Finding(
            "N-CLASS-NAME", "narrative", "info",
            Message("rules.N-CLASS-NAME.message", name=name, code=code, until=max(e.year_to or 0 for e in entries), year=year,
                    now=current[0] if current else "?"),
            _loc(f), expected=current[0] if current else "", actual=name,
        )


def _latest(facts: list[Fact], subject: str, kinds: tuple[str, ...] = ("amount",)) -> Fact | None:
    for f in reversed(facts):
        if f.kind in kinds and _norm(f.subject) == subject and f.value is not None:
            return f
    return None


def check_procurement(d: Disclosure) -> Iterator[Finding]:
    """N-PROCUREMENT (X-B16): 政府采购 = 货物 + 工程 + 服务; 中小企业 ≤ 总额; 小微 ≤ 中小."""
    total = _latest(d.facts, "政府采购")
    if total is None or total.value is None:
        return
    parts = [_latest(d.facts, f"政府采购{p}") for p in ("货物", "工程", "服务")]
    if all(p is not None and p.value is not None for p in parts):
        added = sum((p.value for p in parts if p is not None and p.value is not None), Decimal(0))
        if abs(added - total.value) > Decimal("0.01") * 3:
            yield Finding("N-PROCUREMENT", "narrative", "error",
                          Message("rules.N-PROCUREMENT.parts", total=total.printed, added=added),
                          _loc(total), expected=str(added), actual=total.printed)
    sme = _latest(d.facts, "授予中小企业合同金额")
    small = _latest(d.facts, "授予小微企业合同金额")
    if sme is not None and sme.value is not None and sme.value > total.value:
        yield Finding("N-PROCUREMENT", "narrative", "error",
                      Message("rules.N-PROCUREMENT.sme", sme=sme.printed, total=total.printed),
                      _loc(sme), expected=f"≤ {total.printed}", actual=sme.printed)
    if sme is not None and small is not None and sme.value is not None and small.value is not None and small.value > sme.value:
        yield Finding("N-PROCUREMENT", "narrative", "error",
                      Message("rules.N-PROCUREMENT.small", small=small.printed, sme=sme.printed),
                      _loc(small), expected=f"≤ {sme.printed}", actual=small.printed)


def check_vehicles(d: Disclosure) -> Iterator[Finding]:
    """N-VEHICLES (X-F9): vehicle running costs need a vehicle; the fleet counts agree."""
    running = _latest(d.facts, "公务用车运行维护费")
    fleet = _latest(d.facts, "公务用车保有量", ("count",))
    cars = _latest(d.facts, "车辆", ("count",))
    f7 = d.table("F7")
    cost = running.value if running is not None else None
    if cost is None and f7 is not None and f7.rows:
        cell = f7.rows[0].get("决算数.公务用车运行费")
        cost = cell.amount.value if cell is not None and cell.amount is not None else None
    count = fleet if fleet is not None else cars
    if cost is not None and cost > 0 and count is not None and count.value == 0:
        yield Finding("N-VEHICLES", "narrative", "error",
                      Message("rules.N-VEHICLES.cost", cost=cost, count=count.value),
                      _loc(count), expected="≥ 1", actual=str(count.value))
    if fleet is not None and cars is not None and fleet.value is not None and cars.value is not None and cars.value < fleet.value:
        yield Finding("N-VEHICLES", "narrative", "warning",
                      Message("rules.N-VEHICLES.fleet", fleet=fleet.value, cars=cars.value),
                      _loc(cars), expected=f"≥ {fleet.value}", actual=str(cars.value))


_ENFORCES_GROWTH = ("Y-2", "N-B02")


def _rule(rule_id: str, severity: Severity, enforces: tuple[str, ...], check: Check) -> Rule:
    """A narrative rule: it reads the figures of the 情况说明 (and, for some, the tables they name)."""
    return Rule(rule_id, "narrative", severity, enforces, check, needs=Needs(facts=True))


RULES: tuple[Rule, ...] = (
    _rule(
        "N-PROCUREMENT", "error",
        ("X-B16", "N-B11"), check_procurement,
    ),
    _rule(
        "N-VEHICLES", "error",
        ("X-F9", "N-B12"), check_vehicles,
    ),
    _rule(
        "N-ADMIN-COST", "error",
        ("X-B12", "N-B10"), check_admin_cost,
    ),
    _rule(
        "N-CLASS-NAME", "info",
        ("Y-5",), check_class_names,
    ),
    _rule(
        "N-GROWTH", "error",
        _ENFORCES_GROWTH, check_growth,
    ),
    _rule(
        "N-ZERO-BASE", "error",
        ("N-B02", "N-B08"), check_zero_base,
    ),
    _rule(
        "N-SHARE", "error",
        ("N-B04", "N-B06", "N-F02", "N-F03", "N-F05", "N-Z01"), check_shares,
    ),
    _rule(
        "N-COMPLETION", "error",
        ("N-F07", "N-F08"), check_completion,
    ),
    _rule(
        "N-COMPLETION-SUM", "error",
        ("N-F07",), _overall_budget_sums,
    ),
    _rule(
        "N-TABLE", "error",
        ("N-B01", "N-B04", "N-B05", "N-B06", "N-B07", "N-F01", "N-F02", "N-F03", "N-F04", "N-F05", "N-F07", "N-F08", "N-F09"),
        check_tables,
    ),
)
