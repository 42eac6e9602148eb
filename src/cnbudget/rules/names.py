"""Names against the classification: the 类/款/项 a sentence names, against the tables and the year.

A 情况说明 names its items as '社会保障和就业支出（类）行政事业单位养老支出（款）行政单位离退休（项）'. The
tables print each 项 with its code, so the names a sentence gives are the names of the code's rows: a 款 named
differently from the 款 row above the 项, or a 项 no row has while the row printing the sentence's amounts has
another name, is a label a reviewer sends back. Only what the tables (or the year's catalog) show is judged:
a document whose tables print no 项 of the class is not checked.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from importlib import resources

from cnbudget.i18n import Message
from cnbudget.model import Disclosure, Paragraph, Row, Section
from cnbudget.rules.findings import Finding, Severity, where
from cnbudget.rules.registry import Check, Rule
from cnbudget.specs import CatalogEntry, function_catalog

_WS = re.compile(r"\s+")
# Each name is bounded (the catalog's longest is 18 characters; 40 leaves room for a printed variant): an
# unbounded lazy name tried at every position of a long run of Hanzi without （类） read to the run's end each
# time — quadratic (fuzz seed 200286: 170 KB of repeated lines took 24 s).
_CHAIN = re.compile(
    r"(?P<cls>[\u4e00-\u9fff]{1,40}?)[（(]类[)）](?P<kuan>[^，。；：（()）“”]{1,40}?)[（(]款[)）]"
    r"(?P<xiang>[^，。；：（()）“”]{1,40}?)[（(]项[)）]"
)
_AMOUNT = re.compile(r"(\d[\d,]*(?:\.\d+)?)万元")


def _key(name: str) -> str:
    """Names compare without whitespace, quotes and a trailing 支出 (printed with or without it)."""
    text = _WS.sub("", name).replace("“", "").replace("”", "")
    for variant, word in _same_words().items():  # 其它 = 其他 (specs/names.json)
        text = text.replace(variant, word)
    return text[:-2] if text.endswith("支出") and len(text) > 2 else text


def _walk(sections: list[Section]) -> Iterator[Section]:
    for s in sections:
        yield s
        yield from _walk(s.children)


@dataclass(frozen=True)
class _Mention:
    cls: str
    kuan: str
    xiang: str
    text: str  # the chain as printed
    amounts: tuple[Decimal, ...]  # 万元 amounts stated after it, before the next chain
    places: tuple[int, ...]


def mentions(text: str) -> Iterator[_Mention]:
    flat = _WS.sub("", text)
    found = list(_CHAIN.finditer(flat))
    for i, m in enumerate(found):
        end = found[i + 1].start() if i + 1 < len(found) else len(flat)
        values: list[Decimal] = []
        places: list[int] = []
        for a in _AMOUNT.finditer(flat, m.end(), end):
            try:
                values.append(Decimal(a.group(1).replace(",", "")))
            except InvalidOperation:
                continue
            places.append(len(a.group(1).split(".", 1)[1]) if "." in a.group(1) else 0)
        yield _Mention(m["cls"], m["kuan"], m["xiang"], m.group(0), tuple(values), tuple(places))


def _function_rows(d: Disclosure) -> dict[str, list[Row]]:
    rows: dict[str, list[Row]] = {}
    for tb in d.tables:
        for r in tb.rows:
            if r.code_kind == "function" and r.code.isdigit() and len(r.code) in (3, 5, 7):
                rows.setdefault(r.code, []).append(r)
    return rows


def _class_codes(name: str, rows: dict[str, list[Row]]) -> set[str]:
    """The 类 a sentence names: its printed 3-digit row, else the catalog's 类 of any year with that name."""
    key = _key(name)
    printed = {c for c, rs in rows.items() if len(c) == 3 and any(_key(r.label) == key for r in rs)}
    return printed or {e.code for e in function_catalog() if e.level == "类" and _key(e.name) == key}


def _same(name: str, label: str) -> bool:
    """A name is the row's when equal, or when one holds the other whole (a label printed with a note, or cut short)."""
    a, b = _key(name), _key(label)
    short, long_ = sorted((a, b), key=len)
    return a == b or (len(short) >= 4 and short in long_)


def _labels(rows: list[Row]) -> set[str]:
    return {_key(r.label) for r in rows if r.label}


def _current(code: str, year: int | None) -> list[CatalogEntry]:
    return [
        e for e in function_catalog()
        if e.code == code and (year is None or ((e.year_from or 0) <= year and (e.year_to is None or e.year_to >= year)))
    ]


def _row_amounts(rows: list[Row]) -> set[Decimal]:
    return {v.amount.in_wan() for r in rows for v in r.values if v.amount is not None}


def _matches(stated: Decimal, places: int, printed: set[Decimal]) -> bool:
    half = Decimal(5).scaleb(-(places + 1))
    return any(abs(stated - p) <= half for p in printed)


@lru_cache(maxsize=1)
@lru_cache(maxsize=1)
def _same_words() -> dict[str, str]:
    words = _spec().get("same_words", {})
    return dict(words) if isinstance(words, dict) else {}


def _spec() -> dict[str, object]:
    data: dict[str, object] = json.loads(resources.files("cnbudget.specs").joinpath("names.json").read_text(encoding="utf-8"))
    return data


def _resolve(m: _Mention, rows: dict[str, list[Row]]) -> tuple[str, bool] | None:
    """The 项 code a mention means: (code, True) by its name under its class, (code, False) by its amounts."""
    classes = _class_codes(m.cls, rows)
    items = {c: rs for c, rs in rows.items() if len(c) == 7 and c[:3] in classes}
    if not items or not all(_labels(rs) for rs in items.values()):
        return None
    named = [c for c, rs in items.items() if any(_same(m.xiang, label) for label in _labels(rs))]
    if len(named) > 1:  # one 项 name under several 款 (一般行政管理事务): the 款 name, then the amounts, decide
        under = [c for c in named if any(_same(m.kuan, label) for label in _labels(rows.get(c[:5], [])))]
        named = under if len(under) == 1 else _by_amount(m, {c: items[c] for c in (under or named)}) or under or named
        if len(named) > 1:  # still several: the code most tables print (a code printed once may be a misprint)
            most = max(len(items[c]) for c in named)
            named = [c for c in named if len(items[c]) == most]
        return (named[0], True) if len(named) == 1 else None
    if named:
        return named[0], True
    by_amount = _by_amount(m, items)
    return (by_amount[0], False) if len(by_amount) == 1 else None


def _by_amount(m: _Mention, items: dict[str, list[Row]]) -> list[str]:
    """The 项 codes whose rows print the most of the mention's amounts (none when no amount fits)."""
    score = {c: sum(_matches(a, k, _row_amounts(rs)) for a, k in zip(m.amounts, m.places, strict=True)) for c, rs in items.items()}
    best = max(score.values(), default=0)
    return [c for c, n in score.items() if n == best and best > 0]


def _finding(
    rule_id: str, severity: Severity, s: Section, p: Paragraph, actual: str, expected: str, **values: object
) -> Finding:
    message = Message(f"rules.{rule_id}.message", actual=actual, expected=expected, **values)
    return Finding(rule_id, "classification", severity, message, where(location=p.location, section=s.title),
                   expected=expected, actual=actual)


def names_against_tables(d: Disclosure) -> Iterator[Finding]:
    rows = _function_rows(d)
    if not any(len(c) == 7 for c in rows):
        return
    for s in _walk(d.sections):
        for p in s.paragraphs:
            for m in mentions(p.text):
                found = _resolve(m, rows)
                if found is None:
                    continue  # the tables print no named 项 of this class, or no one row fits: nothing to compare with
                code, by_name = found
                if by_name:
                    kuan_labels = _labels(rows.get(code[:5], []))
                    if kuan_labels and not any(_same(m.kuan, label) for label in kuan_labels):
                        label = next((r.label for r in rows[code[:5]] if r.label), "")
                        yield _finding("N-NAME-TABLE", "warning", s, p, f"{m.kuan}（款）", f"{code[:5]} {label}",
                                       chain=m.text, level="款")
                    continue
                label = next((r.label for r in rows[code] if r.label), "")
                yield _finding("N-NAME-TABLE", "warning", s, p, f"{m.xiang}（项）", f"{code} {label}", chain=m.text, level="项")


def items_listed(d: Disclosure) -> Iterator[Finding]:
    """A section listing the 项 of the table it explains lists every 项 of that table that has money."""
    spec = _spec()
    tables = spec["item_list_tables"]
    assert isinstance(tables, dict)
    table = d.table(str(tables.get(d.meta.kind or "", "")))
    if table is None:
        return
    rows = _function_rows(d)
    own = {r.code: r for r in table.rows if r.code_kind == "function" and len(r.code) == 7 and r.label}
    excluded = [str(x) for x in spec["not_item_lists"]] if isinstance(spec["not_item_lists"], list) else []
    for s in _walk(d.sections):
        if any(x in s.title for x in excluded):
            continue
        listed = [(p, m) for p in s.paragraphs for m in mentions(p.text)]
        resolved = {found[0] for _, m in listed if (found := _resolve(m, rows)) is not None and found[0] in own}
        if len(resolved) < 2 or 2 * len(resolved) < len(listed):
            continue  # not a list of this table's 项
        first = listed[0][0]
        for code, r in own.items():
            v = r.values[0] if r.values else None
            if code in resolved or v is None or v.amount is None or v.amount.value == 0:
                continue
            yield _finding("N-ITEM-LIST", "warning", s, first, f"{code} {r.label} {v.text}", "",
                           table=f"{table.spec_id} {table.name}", section=s.title)


def outdated_names(d: Disclosure) -> Iterator[Finding]:
    """款 and 项 names the catalog knows as the name of their code only before the document's year."""
    year = d.meta.year
    if year is None:
        return
    by_name: dict[tuple[str, str], list[CatalogEntry]] = {}  # (level, name key) → entries: one pass over the catalog
    for e in function_catalog():
        if e.level in ("款", "项"):
            by_name.setdefault((e.level, _key(e.name)), []).append(e)
    rows = _function_rows(d)
    classes_of: dict[str, set[str]] = {}  # a 类 name → its codes, once per name (a text may repeat it thousands of times)
    for s in _walk(d.sections):
        for p in s.paragraphs:
            for m in mentions(p.text):
                classes = classes_of.get(m.cls)
                if classes is None:
                    classes = classes_of[m.cls] = _class_codes(m.cls, rows)
                for level, name in (("款", m.kuan), ("项", m.xiang)):
                    old = [e for e in by_name.get((level, _key(name)), []) if e.code[:3] in classes]
                    if not old or any(e in _current(e.code, year) for e in old):
                        continue
                    ended = [e for e in old if e.year_to is not None and e.year_to < year]
                    if not ended:
                        continue
                    code = ended[0].code
                    now = _current(code, year)
                    if not now:
                        continue
                    yield _finding("N-NAME-YEAR", "info", s, p, f"{name}（{level}）", f"{code} {now[0].name}",
                                   chain=m.text, level=level, until=str(max(e.year_to or 0 for e in ended)), year=str(year))


def _one_slip(a: str, b: str) -> bool:
    """Two codes one keystroke apart: one digit changed, two neighbours swapped, one digit added or lost."""
    if a == b:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long_ = sorted((a, b), key=len)
    return len(long_) == len(short) + 1 and any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def code_slips(d: Disclosure) -> Iterator[Finding]:
    """A code printed in one place only, beside a row of the same name and amounts that has a code one slip away."""
    printed: dict[tuple[str, str], list[tuple[str, Row]]] = {}
    for tb in d.tables:
        for r in tb.rows:
            if r.code_kind in ("function", "economic") and r.code:
                printed.setdefault((r.code_kind, r.code), []).append((f"{tb.spec_id} {tb.name}", r))
    for (kind, code), places in printed.items():
        if len(places) != 1:
            continue
        table, row = places[0]
        amounts = {v.amount.in_wan() for v in row.values if v.amount is not None and v.amount.value != 0}
        if not amounts or not row.label:
            continue
        twins = {
            other for (k, other), rows in printed.items()
            if k == kind and len(rows) > 1 and _one_slip(code, other)
            and any(_key(r.label) == _key(row.label) and amounts & _row_amounts([r]) for _, r in rows)
        }
        if len(twins) != 1:
            continue
        (right,) = twins
        message = Message("rules.N-CODE-SLIP.message", actual=code, expected=right, label=row.label, table=table)
        yield Finding("N-CODE-SLIP", "classification", "warning", message, where(location=row.location, section=""),
                      expected=right, actual=code)


def _rule(rule_id: str, severity: Severity, check: Check, enforces: tuple[str, ...] = ("Y-5",)) -> Rule:
    return Rule(rule_id, "classification", severity, enforces, check)


RULES: tuple[Rule, ...] = (
    _rule("N-NAME-TABLE", "warning",
          names_against_tables),
    _rule("N-NAME-YEAR", "info",
          outdated_names),
    _rule("N-ITEM-LIST", "warning",
          items_listed, ("N-F07", "N-B06")),
    _rule("N-CODE-SLIP", "warning",
          code_slips),
)
