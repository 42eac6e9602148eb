"""The one mechanism that checks the arithmetic identities declared in ``specs/identities.json``.

Kinds of declaration (see the file's "about"):

* ``row_sum``      in every row, a total column = Σ part columns (合计 = 基本支出 + 项目支出 …);
* ``column_total`` the 合计 row = Σ of the top rows printed (类, or 项 when only 项; unit rows);
* ``tree``         every classification row = Σ of its printed children (类 = Σ 款, 款 = Σ 项);
* ``rows``         named rows of a side-by-side table (总计 = 本年收入合计 + 年初结转和结余 …);
* ``outline``      numbered lines add up (一、 = Σ （一）; 本年收入合计 = Σ 一、二、…);
* ``equal``/``ge`` references into one or two tables, in total or class by class / 项 by 项.

Why one mechanism: a region's variant is then a line of data, and every identity is reported the
same way — with the tolerance policy of ``tolerance.py`` and a location for every figure.

Converter artefacts: when a row fails a ``row_sum`` identity and moving a run of its printed values
one column left or right makes every row identity of the table hold, the failure is reported once
per table as a warning naming the possible misalignment, and cross-table comparisons do not use
that row.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from typing import Any, Literal

from cnbudget.i18n import Joined, Message
from cnbudget.model import Column, Disclosure, Row, Table, Value
from cnbudget.rules.context import CheckContext, Needs, Reason, ReasonCode, reason
from cnbudget.rules.findings import Category, Finding, Severity, Where, row_name, where
from cnbudget.rules.registry import Rule
from cnbudget.rules.tolerance import ROUNDING, Outcome, Term, compare
from cnbudget.specs import function_catalog, known_column_keys, normalise

# --- the declarations ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Operand:
    key: str
    sign: int = 1
    wildcard: bool = False  # 'P.*': the printed leaf sub-columns of P


Expr = tuple[tuple[Operand, ...], ...]  # alternatives, each a signed sum


@lru_cache(maxsize=512)
def parse_expr(text: str) -> Expr:
    """'A + B - C|D.*' → ((A, B, -C), (D.*,)). A leading '-' negates the first operand."""
    alts: list[tuple[Operand, ...]] = []
    for alt in text.split("|"):
        alt = alt.strip()
        sign = 1
        if alt.startswith("-"):
            sign, alt = -1, alt[1:].strip()
        ops: list[Operand] = []
        for token in re.split(r"\s+([+-])\s+", alt):
            if token in ("+", "-"):
                sign = 1 if token == "+" else -1
                continue
            wildcard = token.endswith(".*")
            ops.append(Operand(token[:-2] if wildcard else token, sign, wildcard))
            sign = 1
        alts.append(tuple(ops))
    return tuple(alts)


@dataclass(frozen=True)
class RuleSpec:
    id: str
    enforces: tuple[str, ...]
    applies_to: str
    severity: Severity = "error"


@dataclass(frozen=True)
class CheckSpec:
    rule: str
    kind: str
    raw: dict[str, Any]

    def get(self, key: str, default: Any = None) -> Any:
        return self.raw.get(key, default)


@dataclass(frozen=True)
class Declarations:
    rules: tuple[RuleSpec, ...]
    checks: tuple[CheckSpec, ...]
    total_labels: frozenset[str]
    class_aliases: dict[str, str]

    @cached_property
    def by_id(self) -> dict[str, RuleSpec]:
        return {r.id: r for r in self.rules}


@lru_cache(maxsize=1)
def declarations() -> Declarations:
    text = resources.files("cnbudget.specs").joinpath("identities.json").read_text(encoding="utf-8")
    data = json.loads(text)
    rules = tuple(
        RuleSpec(
            r["id"],
            tuple(r.get("enforces", [r["id"]])),
            r.get("applies_to", "both"),
            r.get("severity", "error"),
        )
        for r in data["rules"]
    )
    known = {r.id for r in rules}
    checks = tuple(CheckSpec(c["rule"], c["kind"], c) for c in data["checks"])
    for c in checks:
        if c.rule not in known:
            raise ValueError(f"identities.json: check for undeclared rule {c.rule}")
        for key in ("left", "right"):
            if key in c.raw:
                parse_refs(c.raw[key])  # fail on load, not in the middle of a check
    return Declarations(rules, checks, frozenset(data["total_labels"]), dict(data["class_aliases"]))


# --- labels -------------------------------------------------------------------------------------

_ORDINALS = (
    (1, re.compile(r"^[一二三四五六七八九十百零〇]+[、.．]")),
    (2, re.compile(r"^\([一二三四五六七八九十百零〇]+\)[、.．]?")),
    (3, re.compile(r"^\d{1,2}[、.．](?!\d)")),
    (4, re.compile(r"^\(\d{1,2}\)[、.．]?")),
)
_PREFIX = re.compile(r"^(其中:?|加:|减:)")
_TOTAL_LIKE = re.compile(r"(合计|小计|总计|共计)$")


@dataclass(frozen=True, slots=True)
class Label:
    text: str  # normalised, ordinal and 其中/加/减 removed
    level: int | None  # 1 一、 / 2 （一） / 3 1、 / 4 （1）
    sub: bool  # printed as '其中：…'

    @property
    def total_like(self) -> bool:
        return self.level is None and bool(_TOTAL_LIKE.search(self.text))


@lru_cache(maxsize=4096)
def label_of(printed: str) -> Label:
    """The comparable form of a printed row label ('其中：（1）公务用车运行维护费' → level 4, sub)."""
    text = normalise(printed)
    level: int | None = None
    sub = False
    for _ in range(3):
        m = _PREFIX.match(text)
        if m and len(text) > m.end():
            sub = sub or m.group(1).startswith("其中")
            text = text[m.end() :]
            continue
        for lv, pattern in _ORDINALS:
            m = pattern.match(text)
            if m and len(text) > m.end():
                level = level or lv
                text = text[m.end() :]
                break
        else:
            break
    return Label(text.rstrip(":(").strip(), level, sub)


def norm_alternatives(text: str) -> tuple[str, ...]:
    return tuple(label_of(a).text for a in text.split("|") if a.strip())


def _class_key(name: str) -> str:
    t = label_of(name).text
    for suffix in ("支出", "事务"):
        if t.endswith(suffix) and len(t) > len(suffix):
            t = t[: -len(suffix)]
    return t


@lru_cache(maxsize=1)
def _class_names() -> dict[str, str]:
    names = {_class_key(e.name): e.code for e in function_catalog() if e.level == "类"}
    names.update({_class_key(k): v for k, v in declarations().class_aliases.items()})
    return names


def class_of_label(printed: str) -> str | None:
    """The 类 code a printed class line names ('（十）卫生健康支出', '十、医疗卫生' → '210')."""
    return _class_names().get(_class_key(printed))


# --- one table, indexed -------------------------------------------------------------------------

CODED = ("function", "economic")


class TableView:
    """A table with what the checks ask of it: rows per side, value columns, labels, duplicates."""

    def __init__(self, table: Table) -> None:
        self.t = table
        self.unit = table.unit or "万元"
        self.rows: dict[str, list[Row]] = {}
        for r in table.rows:
            self.rows.setdefault(r.side, []).append(r)
        self.cols: dict[str, list[Column]] = {}
        for c in table.columns:
            if c.role == "value":
                self.cols.setdefault(c.side, []).append(c)
        self.keys: dict[str, dict[str, Column]] = {s: {} for s in self.cols}
        for s, cols in self.cols.items():
            for c in cols:
                self.keys[s].setdefault(c.key, c)
        self.labels: dict[int, Label] = {id(r): label_of(r.label) for r in table.rows}
        self.duplicates: dict[int, Row] = self._duplicates()

    # rows

    def side_rows(self, side: str) -> list[Row]:
        return self.rows.get(side, [])

    def sides(self, wanted: str | None) -> list[str]:
        if wanted is None:
            return list(self.rows)
        return [wanted] if wanted in self.rows else []

    def label(self, row: Row) -> Label:
        return self.labels[id(row)]

    def is_total(self, row: Row, pattern: re.Pattern[str] | None = None) -> bool:
        if row.code:
            return False
        text = self.label(row).text
        if pattern is not None:
            return bool(pattern.fullmatch(text))
        return text in declarations().total_labels

    def total_row(self, side: str = "", pattern: re.Pattern[str] | None = None) -> Row | None:
        """The 合计 row; in a table that prints no such label, its only row, or an unlabelled first row."""
        rows = self.side_rows(side)
        found = next((r for r in rows if self.is_total(r, pattern)), None)
        if found is not None or pattern is not None:
            return found
        with_values = [r for r in rows if any(_amount(v) for v in r.values)]
        if len(with_values) == 1:
            return with_values[0]
        if with_values and not with_values[0].code and not with_values[0].label:
            return with_values[0]
        return None

    def find(self, side: str, alternatives: tuple[str, ...], within: list[Row] | None = None) -> Row | None:
        """The first row whose label is the first alternative printed (alternatives in order of preference)."""
        rows = within if within is not None else self.side_rows(side)
        for alt in alternatives:
            for r in rows:
                if self.label(r).text == alt:
                    return r
        return None

    def following(self, side: str, parent: Row) -> list[Row]:
        """The rows printed under ``parent`` up to the next numbered line or total."""
        rows = self.side_rows(side)
        level = self.label(parent).level
        out: list[Row] = []
        for r in rows[rows.index(parent) + 1 :]:
            lab = self.label(r)
            if lab.total_like or self.is_total(r) or (level is not None and lab.level is not None and lab.level <= level):
                break
            out.append(r)
        return out

    def coded(self, kind: str) -> list[Row]:
        return [r for r in self.t.rows if r.code_kind == kind and r.code and id(r) not in self.duplicates]

    def _duplicates(self) -> dict[int, Row]:
        """Rows printed twice within one unit's block: same code, label and values (counted once)."""
        dup: dict[int, Row] = {}
        for rows in self.rows.values():
            seen: dict[tuple[object, ...], Row] = {}
            for r in rows:
                if r.code_kind == "unit":
                    seen.clear()
                    continue
                if r.code_kind not in CODED or not r.code:
                    continue
                key = (r.code, self.label(r).text, tuple((v.column, v.text) for v in r.values))
                if key in seen:
                    dup[id(r)] = seen[key]
                else:
                    seen[key] = r
        return dup

    # columns

    def resolve(self, expr: Expr, side: str) -> list[tuple[str, int]] | None:
        """Column keys (with signs) of the first alternative this table prints; None if none is."""
        keys = self.keys.get(side) or self.keys.get("", {})
        for alt in expr:
            out: list[tuple[str, int]] = []
            for op in alt:
                if op.wildcard:
                    out.extend((k, op.sign) for k in self.leaves(op.key, side))
                elif op.key in keys:
                    out.append((op.key, op.sign))
            if out:
                return out
        return None

    def leaves(self, prefix: str, side: str) -> list[str]:
        keys = self.keys.get(side) or self.keys.get("", {})
        under = [k for k, c in keys.items() if k.startswith(prefix + ".") and "其中" not in c.path]
        return [k for k in under if not any(o.startswith(k + ".") for o in under)]

    def all_keys(self, side: str) -> list[str]:
        return list(self.keys.get(side) or self.keys.get("", {}))

    def column_path(self, key: str, side: str) -> str:
        c = (self.keys.get(side) or self.keys.get("", {})).get(key)
        return c.path if c else key

    def term(self, value: Value | None, sign: int = 1) -> Term:
        if value is not None and value.amount is not None:
            return Term.of(value.amount, sign)
        return Term.blank(self.unit, sign)


def _amount(v: Value | None) -> bool:
    return v is not None and v.amount is not None


# --- results ------------------------------------------------------------------------------------


@dataclass
class Analysis:
    """Everything the identity checks found in one Disclosure, by rule id."""

    disclosure: Disclosure
    views: dict[str, list[TableView]]
    findings: dict[str, list[Finding]] = field(default_factory=dict)
    suspect: set[int] = field(default_factory=set)  # id(row) of rows that look shifted by a converter
    checked: dict[str, int] = field(default_factory=dict)  # comparisons made, by rule id (tests, reports)
    uncertain: dict[str, Reason] = field(default_factory=dict)  # rule id → why a check of it was not made

    def view(self, spec_id: str) -> TableView | None:
        found = self.views.get(spec_id)
        return found[0] if found else None

    def count(self, rule_id: str) -> None:
        self.checked[rule_id] = self.checked.get(rule_id, 0) + 1

    def add(self, rule_id: str, finding: Finding) -> None:
        self.findings.setdefault(rule_id, []).append(finding)


def _severity_of(rule_id: str) -> Severity:
    return declarations().by_id[rule_id].severity


def _category_of(rule_id: str) -> Category:
    return "cross_table" if rule_id.startswith("X-") else "arithmetic"


def _finding(rule_id: str, outcome: Outcome, message: Message, loc: Where, actual: str, expected: str, cause: str = "") -> Finding:
    """A finding of an identity; ``cause`` (table, column, difference) groups one imbalance seen on several rows."""
    if outcome.verdict == "rounding":
        return Finding(
            rule=rule_id,
            category=_category_of(rule_id),
            severity="info",
            message=Message("identity.rounding", rounding=ROUNDING, message=message, diff=outcome.diff_text,
                            tolerance=outcome.fmt(outcome.tolerance)),
            location=loc,
            expected=expected,
            actual=actual,
            cause=cause,
        )
    return Finding(
        rule=rule_id,
        category=_category_of(rule_id),
        severity=_severity_of(rule_id),
        message=Message("identity.difference", message=message, diff=outcome.diff_text),
        location=loc,
        expected=expected,
        actual=actual,
        cause=cause,
    )


# --- row sums (with the converter-shift test) ---------------------------------------------------


@dataclass
class BoundRowSum:
    rule: str
    side: str
    total: list[tuple[str, int]]
    parts: list[tuple[str, int]]


Getter = Callable[[str], Value | None]


def _eval_row_sum(b: BoundRowSum, view: TableView, get: Getter) -> tuple[Outcome, list[Term], list[Term]] | None:
    first = get(b.total[0][0])
    if not _amount(first):
        return None
    totals = [view.term(get(k), s) for k, s in b.total]
    cells = [get(k) for k, _ in b.parts]
    if not any(_amount(c) for c in cells):
        return None
    parts = [view.term(c, s) for c, (_, s) in zip(cells, b.parts, strict=True)]
    return compare(totals, parts), totals, parts


def _describe(view: TableView, side: str, ops: list[tuple[str, int]]) -> str:
    """'基本支出 + 项目支出 − 本年支出', in printed header paths."""
    words = []
    for i, (key, sign) in enumerate(ops):
        name = view.column_path(key, side)
        words.append(name if i == 0 and sign > 0 else f"{'+' if sign > 0 else '−'} {name}")
    return " ".join(words)


def _parent(path: str) -> str:
    return path.rsplit("-", 1)[0] if "-" in path else ""


def unknown_value_columns(table: Table) -> list[Column]:
    """Value columns the table's spec does not name (their key is the printed path): explicitly unknown."""
    known = known_column_keys(table.spec_id)
    return [] if known is None else [c for c in table.columns if c.role == "value" and c.key not in known]


def _unknown_sibling(view: TableView, side: str, keys: list[tuple[str, int]]) -> Column | None:
    """An unknown value column holding amounts beside the columns of a row identity: it may be one of the parts."""
    parents = {_parent(view.column_path(k, side)) for k, _ in keys}
    holding = {v.column for r in view.t.rows for v in r.values if v.amount is not None}
    for c in unknown_value_columns(view.t):
        if c.side == side and c.key in holding and _parent(c.path) in parents:
            return c
    return None


def _bind_row_sums(check: CheckSpec, view: TableView, a: Analysis | None = None) -> list[BoundRowSum]:
    keys_all = {k for s in view.keys for k in view.keys[s]}
    if any(k not in keys_all for k in check.get("requires_columns", [])):
        return []
    if any(k in keys_all for k in check.get("unless_columns", [])):
        return []
    bound: list[BoundRowSum] = []
    for side in view.sides(check.get("side")):
        total = view.resolve(parse_expr(check.get("total")), side)
        if total is None:
            continue
        parts: list[tuple[str, int]] = []
        for p in check.get("parts"):
            resolved = view.resolve(parse_expr(p), side)
            if resolved:
                parts.extend(resolved)
        total_keys = {k for k, _ in total}
        parts = [(k, s) for k, s in parts if k not in total_keys]
        unknown = _unknown_sibling(view, side, total + parts) if parts else None
        if unknown is not None:
            if a is not None:
                a.uncertain.setdefault(check.rule, reason(ReasonCode.UNNAMED_COLUMN, table=view.t.spec_id, column=unknown.path))
            continue
        if parts:
            bound.append(BoundRowSum(check.rule, side, total, parts))
    return bound


def _check_row_sums(a: Analysis, view: TableView, bound: list[BoundRowSum]) -> None:
    by_side: dict[str, list[BoundRowSum]] = {}
    for b in bound:
        by_side.setdefault(b.side, []).append(b)
    shifted: dict[tuple[str, str], list[tuple[Row, str]]] = {}
    for side, checks in by_side.items():
        for row in view.side_rows(side):
            results = [(b, _eval_row_sum(b, view, row.get)) for b in checks]
            for b, r in results:
                if r is not None:
                    a.count(b.rule)
            failing = [b for b, r in results if r is not None and r[0].verdict == "mismatch"]
            shift = _explaining_shift(view, side, row, checks, failing) if failing else None
            if shift is not None:
                a.suspect.add(id(row))
                for b in failing:
                    shifted.setdefault((b.rule, shift), []).append((row, _describe(view, side, b.total)))
                continue
            for b, r in results:
                if r is None or r[0].verdict == "ok":
                    continue
                outcome = r[0]
                total_desc = _describe(view, side, b.total)
                parts_desc = _describe(view, side, b.parts)
                actual = outcome.fmt(outcome.left)
                expected = outcome.fmt(outcome.right)
                msg = Message("identity.row_sum", total=total_desc, actual=actual, parts=parts_desc, expected=expected)
                loc = where(view.t, row, row.get(b.total[0][0]), column=view.column_path(b.total[0][0], side))
                cause = f"{view.t.spec_id}|{side}|{total_desc}|{parts_desc}|{outcome.diff_text.lstrip('+-−')}"
                a.add(b.rule, _finding(b.rule, outcome, msg, loc, actual, expected, cause))
    for (rule_id, moved), rows in shifted.items():
        first_row = rows[0][0]
        row_names = Joined(", ", tuple(dict.fromkeys(row_name(r) or Message("identity.unlabelled") for r, _ in rows)))
        totals = ", ".join(dict.fromkeys(d for _, d in rows))
        a.add(
            rule_id,
            Finding(
                rule=rule_id,
                category=_category_of(rule_id),
                severity="warning",
                message=Message("identity.shifted", rows=row_names, totals=totals, shift=moved),
                location=where(view.t, first_row),
                expected="",
                actual="",
            ),
        )


def _explaining_shift(view: TableView, side: str, row: Row, checks: list[BoundRowSum], failing: list[BoundRowSum]) -> Message | None:
    """A description of a one-column move of a run of this row's values that makes every check hold."""
    cols = view.cols.get(side, [])
    paths = [c.path for c in cols]
    if len(set(paths)) != len(paths):
        return None
    index = {p: i for i, p in enumerate(paths)}
    cells: list[Value | None] = [None] * len(cols)
    for v in row.values:
        i = index.get(v.path)
        if i is None:
            continue
        cells[i] = v
    first_index: dict[str, int] = {}
    for i, c in enumerate(cols):
        first_index.setdefault(c.key, i)
    n = len(cells)
    for a_ in range(n):
        if cells[a_] is None:
            continue
        for b_ in range(a_, n):
            for step in (1, -1):
                dest_free = b_ + 1 < n and cells[b_ + 1] is None if step == 1 else a_ - 1 >= 0 and cells[a_ - 1] is None
                if not dest_free:
                    continue
                moved = list(cells)
                run = cells[a_ : b_ + 1]
                if step == 1:
                    moved[a_] = None
                    moved[a_ + 1 : b_ + 2] = run
                else:
                    moved[b_] = None
                    moved[a_ - 1 : b_] = run

                def get(key: str, moved: list[Value | None] = moved) -> Value | None:
                    i = first_index.get(key)
                    return moved[i] if i is not None else None

                if _all_hold(view, checks, failing, get):
                    key = "identity.moved_right" if step == 1 else "identity.moved_left"
                    return Message(key, first=paths[a_], last=paths[b_]) if a_ != b_ else Message(key + "_one", first=paths[a_])
    return None


def _all_hold(view: TableView, checks: list[BoundRowSum], failing: list[BoundRowSum], get: Getter) -> bool:
    for b in checks:
        r = _eval_row_sum(b, view, get)
        if r is None:
            if b in failing:
                return False
            continue
        if r[0].verdict == "mismatch":
            return False
    return True


# --- column totals and the classification tree -------------------------------------------------


def _roots(rows: list[Row]) -> list[Row]:
    codes = {r.code for r in rows}
    return [r for r in rows if not any(r.code[:n] in codes for n in range(3, len(r.code)))]


def _value_keys(view: TableView, rows: list[Row]) -> list[str]:
    keys: dict[str, None] = {}
    for r in rows:
        for v in r.values:
            if v.amount is not None:
                keys.setdefault(v.column, None)
    return list(keys)


def _sum_rows_check(
    a: Analysis, rule_id: str, view: TableView, parent: Row, children: list[Row], what: Message, dup_note: Message | str
) -> None:
    for key in _value_keys(view, [parent]):
        pv = parent.get(key)
        cells = [c.get(key) for c in children]
        outcome = compare([view.term(pv)], [view.term(c) for c in cells])
        a.count(rule_id)
        if outcome.verdict == "ok":
            continue
        path = pv.path if pv is not None else key
        actual, expected = outcome.fmt(outcome.left), outcome.fmt(outcome.right)
        msg = Message("identity.children", row=row_name(parent) or "合计", column=path, actual=actual, count=len(children), what=what,
                      expected=expected, note=dup_note)
        cause = f"{view.t.spec_id}|{parent.side}|{path}|{outcome.diff_text.lstrip('+-−')}"  # one imbalance at 类, 款, 项
        a.add(rule_id, _finding(rule_id, outcome, msg, where(view.t, parent, pv), actual, expected, cause))


def _dup_note(view: TableView, rows: list[Row]) -> Message | str:
    dups = [r for r in view.t.rows if id(r) in view.duplicates and r.code_kind == (rows[0].code_kind if rows else "")]
    if not dups:
        return ""
    names = ", ".join(row_name(r) for r in dups)
    return Message("identity.counted_once", rows=names)


def _column_total(a: Analysis, check: CheckSpec, view: TableView) -> None:
    kind = check.get("rows")
    total = next((r for r in view.t.rows if view.is_total(r)), None)
    coded = [r for r in view.t.rows if r.code_kind == kind and r.code and id(r) not in view.duplicates]
    if total is None or not coded:
        return
    what = Message({"function": "identity.top_rows", "economic": "identity.top_economic_rows"}.get(kind or "", "identity.unit_rows"))
    _sum_rows_check(a, check.rule, view, total, _roots(coded), what, _dup_note(view, coded))


def _code_total(a: Analysis, check: CheckSpec, view: TableView) -> None:
    """A named total row = Σ the top rows of some economic 类 (人员经费合计 = 301 + 303 …)."""
    total = view.find("", norm_alternatives(check.get("total")), within=view.t.rows)
    if total is None:
        return
    classes = set(check.get("classes", []))
    excluded = set(check.get("classes_except", []))
    coded = [r for r in view.coded("economic") if (r.code[:3] in classes if classes else r.code[:3] not in excluded)]
    if coded:
        what = Message("identity.rows_of", classes="/".join(sorted(classes))) if classes else Message("identity.rows_of_other")
        _sum_rows_check(a, check.rule, view, total, _roots(coded), what, "")


def _tree(a: Analysis, check: CheckSpec, view: TableView) -> None:
    kind = check.get("codes")
    for block in _unit_blocks(view, kind):
        children = _children_by_parent(block)
        for parent in block:
            if children.get(id(parent)):
                _sum_rows_check(a, check.rule, view, parent, children[id(parent)], Message("identity.sub_rows"), "")


def _children_by_parent(rows: list[Row]) -> dict[int, list[Row]]:
    """Each row under its nearest printed ancestor (one pass; a block has at most a few hundred rows)."""
    by_code: dict[str, Row] = {}
    for r in rows:
        by_code.setdefault(r.code, r)
    out: dict[int, list[Row]] = {}
    for r in rows:
        for n in range(len(r.code) - 1, 2, -1):
            parent = by_code.get(r.code[:n])
            if parent is not None:
                out.setdefault(id(parent), []).append(r)
                break
    return out


def _unit_blocks(view: TableView, kind: str) -> list[list[Row]]:
    """Coded rows grouped by the unit they are printed under (a unit's block restarts the tree)."""
    if kind == "unit":
        return [view.coded("unit")]
    blocks: list[list[Row]] = [[]]
    for r in view.t.rows:
        if r.code_kind == "unit" and blocks[-1]:
            blocks.append([])
        elif r.code_kind == kind and r.code and id(r) not in view.duplicates:
            blocks[-1].append(r)
    return [b for b in blocks if b]


# --- named rows and numbered outlines -----------------------------------------------------------


def _columns_for(view: TableView, side: str, spec: str) -> list[str]:
    if spec == "*":
        return view.all_keys(side)
    resolved = view.resolve(parse_expr(spec), side)
    return [k for k, _ in resolved] if resolved else []


def _sum_named(a: Analysis, rule_id: str, view: TableView, side: str, total: Row, parts: list[Row], keys: list[str]) -> None:
    for key in keys:
        tv = total.get(key)
        if not _amount(tv):
            continue
        cells = [p.get(key) for p in parts]
        if not any(_amount(c) for c in cells):
            continue
        if any(id(p) in a.suspect for p in [total, *parts]):
            continue
        outcome = compare([view.term(tv)], [view.term(c) for c in cells])
        a.count(rule_id)
        if outcome.verdict == "ok":
            continue
        actual, expected = outcome.fmt(outcome.left), outcome.fmt(outcome.right)
        names = " + ".join(p.label for p in parts) if len(parts) <= 4 else Message("identity.lines", count=len(parts))
        col = view.column_path(key, side)
        msg = Message("identity.line_sum", total=total.label, column=col, actual=actual, parts=names, expected=expected)
        a.add(rule_id, _finding(rule_id, outcome, msg, where(view.t, total, tv, column=col), actual, expected))


def _rows(a: Analysis, check: CheckSpec, view: TableView) -> None:
    for side in view.sides(check.get("side")):
        total = view.find(side, norm_alternatives(check.get("total")))
        if total is None:
            continue
        parts: list[Row] = []
        complete = True
        for p in check.get("parts"):
            if p == "@following":
                parts.extend(view.following(side, total))
                continue
            optional = p.startswith("?")
            found = view.find(side, norm_alternatives(p.lstrip("?")))
            if found is None:
                if not optional:
                    complete = False
                    break
                continue
            if found is not total:
                parts.append(found)
        if not complete or not parts:
            continue
        _sum_named(a, check.rule, view, side, total, parts, _columns_for(view, side, check.get("columns", "*")))


def _outline(a: Analysis, check: CheckSpec, view: TableView) -> None:
    for side in view.sides(check.get("side")):
        rows = view.side_rows(side)
        keys = _columns_for(view, side, check.get("columns", "*"))
        # (a) a numbered line = Σ its numbered sub-lines
        for i, parent in enumerate(rows):
            level = view.label(parent).level
            if level is None:
                continue
            children: list[Row] = []
            child_level: int | None = None
            for r in rows[i + 1 :]:
                lab = view.label(r)
                if lab.total_like or view.is_total(r):
                    break
                if lab.level is None:
                    continue
                if lab.level <= level:
                    break
                child_level = child_level or lab.level
                if lab.level == child_level:
                    children.append(r)
            if children:
                _sum_named(a, check.rule, view, side, parent, children, keys)
        # (b) the first total after a run of numbered lines = Σ the top-level lines of the run, when
        # nothing else with a value was printed in between (an unnumbered line starts another block)
        run: list[Row] = []
        clean = True
        for r in rows:
            lab = view.label(r)
            if lab.total_like or view.is_total(r):
                if run and clean:
                    top = min(view.label(x).level or 9 for x in run)
                    _sum_named(a, check.rule, view, side, r, [x for x in run if view.label(x).level == top], keys)
                run, clean = [], True
            elif lab.level is not None:
                run.append(r)
            elif not lab.sub and any(_amount(v) for v in r.values):
                clean = False


# --- references across tables -------------------------------------------------------------------


@dataclass(frozen=True)
class Ref:
    table: str
    side: str | None  # None: any side
    selector: str  # @total | @class | @item | @code:X | label alternatives
    parent: tuple[str, ...]
    labels: tuple[str, ...]
    column: Expr
    sign: int
    optional: bool  # the table may be missing (it then adds nothing)
    row_optional: bool  # the row may be missing (it then counts 0)
    text: str


_REF_SPLIT = re.compile(r"\s+([+-])\s+(?=\??[A-Z]+\d*\[)")  # between references, not inside a column sum
_REF_RE = re.compile(r"^(?P<opt>\?)?(?P<table>[A-Z]+\d*)\[(?P<sel>[^\]]*)\]\.(?P<col>.+)$")


@lru_cache(maxsize=512)
def parse_refs(text: str) -> tuple[Ref, ...]:
    out: list[Ref] = []
    sign = 1
    for token in _REF_SPLIT.split(text.strip()):
        if token in ("+", "-"):
            sign = 1 if token == "+" else -1
            continue
        m = _REF_RE.match(token)
        if m is None:
            raise ValueError(f"identities.json: cannot read reference {token!r}")
        sel = m.group("sel")
        side: str | None = None
        if ":" in sel and not sel.startswith("@"):
            side, sel = sel.split(":", 1)
        parent: tuple[str, ...] = ()
        labels: tuple[str, ...] = ()
        row_optional = sel.startswith("?")
        sel = sel.lstrip("?")
        if not sel.startswith("@"):
            if "/" in sel:
                p, sel = sel.split("/", 1)
                parent = norm_alternatives(p)
            labels = norm_alternatives(sel)
        out.append(
            Ref(
                m.group("table"),
                side,
                sel,
                parent,
                labels,
                parse_expr(m.group("col")),
                sign,
                bool(m.group("opt")),
                row_optional,
                token,
            )
        )
        sign = 1
    return tuple(out)


@dataclass
class Resolved:
    terms: list[Term]
    view: TableView | None
    row: Row | None
    value: Value | None
    desc: str


class Unresolvable(Exception):
    """The reference names something this document does not print: the comparison is skipped."""


def _resolve(a: Analysis, ref: Ref, key: str | None) -> Resolved:
    view = a.view(ref.table)
    if view is None:
        if ref.optional:
            return Resolved([], None, None, None, "")
        raise Unresolvable(ref.text)
    t = view.t
    if t.empty and not any(_amount(v) for r in t.rows for v in r.values):
        return Resolved([Term.blank(view.unit, ref.sign)], view, None, None, Message("identity.empty_table", table=t.spec_id))
    if ref.selector == "@total":
        rows = [r for r in [view.total_row("")] if r is not None]
        if not rows:
            raise Unresolvable(ref.text)
    elif ref.selector == "@class":
        assert key is not None
        rows = _class_rows(view, ref.side, key)
    elif ref.selector == "@item":
        assert key is not None
        coded = view.coded("function")
        if not coded:
            raise Unresolvable(f"{t.spec_id} is not laid out by function classification")
        rows = [r for r in coded if r.code == key]
    elif ref.selector.startswith("@code:"):
        rows = _code_rows(view, ref.selector[6:])
    else:
        side = ref.side or ""
        within = None
        if side not in view.rows:
            within = view.t.rows  # the table does not split into these sides: look everywhere
        if ref.parent:
            parent = view.find(side, ref.parent, within)
            if parent is None:
                raise Unresolvable(ref.text)
            within = view.following(parent.side, parent)
        row = view.find(side, ref.labels, within)
        if row is None and not ref.row_optional:
            raise Unresolvable(ref.text)
        rows = [row] if row is not None else []
    if any(id(r) in a.suspect for r in rows):
        raise Unresolvable(ref.text)
    side = rows[0].side if rows else (ref.side or "")
    cols = view.resolve(ref.column, side)
    if cols is None:
        raise Unresolvable(ref.text)
    terms: list[Term] = []
    first_value: Value | None = None
    anchor = rows[0] if rows else None
    for r in rows:
        for k, s in cols:
            v = r.get(k)
            terms.append(view.term(v, s * ref.sign))
            if first_value is None and _amount(v):
                first_value, anchor = v, r
    if not terms:
        terms.append(Term.blank(view.unit, ref.sign))
    col_desc = _describe(view, side, cols)
    if ref.selector in ("@class", "@item") or ref.selector.startswith("@code:"):
        row_desc: str = ref.selector.replace("@class", f"类 {key}").replace("@item", f"项 {key}").replace("@code:", "")
        if not rows:
            row_desc = Message("identity.not_printed", row=row_desc)
    elif ref.selector == "@total":
        row_desc = rows[0].label or "合计"
    else:
        row_desc = rows[0].label if rows else Message("identity.not_printed", row=ref.labels[0])
    return Resolved(terms, view, anchor, first_value, Message("identity.term", table=t.spec_id, row=row_desc, column=col_desc))


def _resolve_optional(a: Analysis, ref: Ref, key: str | None) -> Resolved | None:
    """A '?'-reference that this document cannot resolve adds nothing instead of cancelling the check."""
    try:
        return _resolve(a, ref, key)
    except Unresolvable:
        if ref.optional:
            return None
        raise


def _class_rows(view: TableView, side: str | None, key: str) -> list[Row]:
    if side is not None:
        rows = view.side_rows(side)
        mapped = [(r, class_of_label(r.label)) for r in rows]
        if not any(c for _, c in mapped):
            raise Unresolvable(f"no class lines in {view.t.spec_id}")
        return [r for r, c in mapped if c == key]
    if not view.coded("function"):
        raise Unresolvable(f"{view.t.spec_id} is not laid out by function classification")
    return _code_rows(view, key)


def _code_rows(view: TableView, code: str) -> list[Row]:
    """Rows with this code, or (when it is not printed) its nearest printed sub-codes."""
    coded = [r for r in view.t.rows if r.code_kind in CODED and r.code and id(r) not in view.duplicates]
    exact = [r for r in coded if r.code == code]
    if exact:
        return exact
    return _roots([r for r in coded if r.code.startswith(code)])


def _keys_for(a: Analysis, refs: list[Ref], per: str) -> list[str]:
    keys: dict[str, None] = {}
    for ref in refs:
        view = a.view(ref.table)
        if view is None:
            continue
        if per == "item":
            for r in view.coded("function"):
                if len(r.code) == 7 and any(_amount(v) and v.amount and v.amount.value != 0 for v in r.values):
                    keys.setdefault(r.code, None)
        elif ref.side is not None:
            for r in view.side_rows(ref.side):
                c = class_of_label(r.label)
                if c and any(v.amount is not None and v.amount.value != 0 for v in r.values):
                    keys.setdefault(c, None)
        else:
            for r in view.coded("function"):
                if any(v.amount is not None and v.amount.value != 0 for v in r.values):
                    keys.setdefault(r.code[:3], None)
    return sorted(keys)


def _equal(a: Analysis, check: CheckSpec) -> None:
    left = parse_refs(check.get("left"))
    right = parse_refs(check.get("right"))
    relation: Literal["eq", "ge"] = "ge" if check.kind == "ge" else "eq"
    per = check.get("per", "")
    if per and any(a.view(r.table) is None and not r.optional for r in [*left, *right]):
        return
    keys: list[str | None] = list(_keys_for(a, [*left, *right], per)) if per else [None]
    for key in keys:
        try:
            lres = [x for x in (_resolve_optional(a, r, key) for r in left) if x is not None]
            rres = [x for x in (_resolve_optional(a, r, key) for r in right) if x is not None]
        except Unresolvable:
            continue
        if not lres or not rres:
            continue
        lterms = [t for x in lres for t in x.terms]
        rterms = [t for x in rres for t in x.terms]
        outcome = compare(lterms, rterms, relation)
        a.count(check.rule)
        if outcome.verdict == "ok":
            continue
        ldesc = Joined(" + ", tuple(x.desc for x in lres if x.desc))
        rdesc = Joined(" + ", tuple(x.desc for x in rres if x.desc))
        actual, expected = outcome.fmt(outcome.left), outcome.fmt(outcome.right)
        said = "identity.less" if relation == "ge" else "identity.unequal"
        msg = Message(said, left=ldesc, actual=actual, right=rdesc, expected=expected)
        anchor = lres[0]
        loc = where(anchor.view.t, anchor.row, anchor.value) if anchor.view is not None else Where()
        a.add(check.rule, _finding(check.rule, outcome, msg, loc, actual, expected))


# --- running ------------------------------------------------------------------------------------


def analyse(d: Disclosure) -> Analysis:
    """Run every declared check over one Disclosure (row sums first: they mark shifted rows)."""
    views: dict[str, list[TableView]] = {}
    for t in d.tables:
        views.setdefault(t.spec_id, []).append(TableView(t))
    a = Analysis(d, views)
    checks = declarations().checks
    kinds = {r.id: r.applies_to for r in declarations().rules}
    active = [c for c in checks if kinds[c.rule] in ("both", d.meta.kind) or d.meta.kind is None]
    for spec_id, vs in views.items():
        for view in vs:
            bound = [b for c in active if c.kind == "row_sum" and spec_id in c.get("tables") for b in _bind_row_sums(c, view, a)]
            if bound:
                _check_row_sums(a, view, bound)
    for c in active:
        if c.kind == "row_sum":
            continue
        if c.kind in ("equal", "ge"):
            _equal(a, c)
            continue
        for spec_id in c.get("tables"):
            for view in views.get(spec_id, []):
                {
                    "column_total": _column_total,
                    "code_total": _code_total,
                    "tree": _tree,
                    "rows": _rows,
                    "outline": _outline,
                }[c.kind](a, c, view)
    return a


def _checker(rule_id: str) -> Callable[[CheckContext], Iterable[Finding]]:
    def check(ctx: CheckContext) -> Iterator[Finding]:
        a = ctx.analysis("identities", analyse)
        if not a.checked.get(rule_id):
            ctx.not_checked(rule_id, a.uncertain.get(rule_id) or reason(ReasonCode.NO_COMPARISON))
        elif rule_id in a.uncertain:
            ctx.checked_partly(rule_id, a.uncertain[rule_id])
        yield from a.findings.get(rule_id, [])

    return check


def _needs(rule_id: str) -> Needs:
    """The tables a declared identity reads: any table of an in-table identity, or every required table
    of one of its comparisons."""
    anyof: dict[str, None] = {}
    together: dict[tuple[str, ...], None] = {}
    for c in declarations().checks:
        if c.rule != rule_id:
            continue
        if c.kind in ("equal", "ge"):
            refs = [*parse_refs(c.get("left")), *parse_refs(c.get("right"))]
            together.setdefault(tuple(dict.fromkeys(r.table for r in refs if not r.optional)), None)
        else:
            anyof.update(dict.fromkeys(c.get("tables", [])))
    return Needs(tables=tuple(anyof), together=tuple(g for g in together if g))


def rules() -> list[Rule]:
    out = []
    for r in declarations().rules:
        out.append(
            Rule(
                id=r.id,
                category=_category_of(r.id),
                severity=_severity_of(r.id),
                enforces=r.enforces,
                check=_checker(r.id),
                applies_to=r.applies_to,
                needs=_needs(r.id),
                contextual=True,
            )
        )
    return out
