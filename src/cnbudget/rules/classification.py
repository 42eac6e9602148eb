"""Classification: codes and names of the 支出功能分类 and 支出经济分类 as printed in the tables.

The bundled catalogs (specs/function_codes.csv, economic_codes.csv) are complete for the 类 and
partial below it, so an unknown 类 is an error while an unknown 款 or 项 is only listed (info).
Names are compared with every name the catalog knows for the code: an old name still printed in
a later year is an outdated label (info), a name the catalog never had for the code is a mismatch.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from cnbudget.i18n import Message
from cnbudget.model import Disclosure, Row, Table
from cnbudget.rules.context import CheckContext, ReasonCode, reason
from cnbudget.rules.findings import Finding, row_name, table_name, where
from cnbudget.rules.identities import CODED, TableView, class_of_label, label_of
from cnbudget.rules.registry import Rule
from cnbudget.specs import CatalogEntry, economic_catalog, economic_catalog_from, function_catalog


@lru_cache(maxsize=1)
def _function() -> dict[str, list[CatalogEntry]]:
    out: dict[str, list[CatalogEntry]] = {}
    for e in function_catalog():
        out.setdefault(e.code, []).append(e)
    return out


@lru_cache(maxsize=1)
def _economic() -> dict[str, list[CatalogEntry]]:
    out: dict[str, list[CatalogEntry]] = {}
    for e in economic_catalog():
        out.setdefault(e.code, []).append(e)
    return out


def _catalog(kind: str) -> dict[str, list[CatalogEntry]]:
    return _function() if kind == "function" else _economic()


def _standard(t: Table) -> bool:
    return (t.spec_id[:1] in ("B", "F") and t.spec_id[1:].isdigit()) or t.spec_id == "ECON"


def _coded_rows(t: Table) -> Iterator[Row]:
    for r in t.rows:
        if r.code_kind in CODED and r.code:
            yield r


def _name_key(text: str) -> str:
    t = label_of(text).text
    return t[:-2] if t.endswith("支出") and len(t) > 2 else t


def _names_match(printed: str, catalog_name: str) -> bool:
    """A printed name matches when one contains the other (labels are truncated or carry a note)."""
    a, b = _name_key(printed), _name_key(catalog_name)
    return bool(a) and (a in b or b in a)


def unknown_codes(d: Disclosure) -> Iterator[Finding]:
    """K001: codes whose 类 does not exist (the bundled catalog is complete for the 类 only)."""
    for t in d.tables:
        if not _standard(t):
            continue
        for r in _coded_rows(t):
            lei = r.code[:3]
            if lei in _catalog(r.code_kind):
                continue
            yield Finding(
                rule="K001",
                category="classification",
                severity="error",
                message=Message("rules.K001.function" if r.code_kind == "function" else "rules.K001.economic", row=row_name(r), code=lei),
                location=where(t, r),
                expected=Message("value.valid_code"),
                actual=r.code,
            )


def _year_names(entries: list[CatalogEntry], year: int | None) -> tuple[list[CatalogEntry], list[CatalogEntry]]:
    """(names valid in ``year``, names the code had only before ``year``)."""
    if year is None:
        return entries, []
    current = [e for e in entries if e.year_to is None or e.year_to >= year]
    old = [e for e in entries if e.year_to is not None and e.year_to < year]
    return current, old


def _older_than_catalog(r: Row, year: int | None) -> bool:
    """The row's code is judged by no catalog entry in force in ``year`` (30311 was 住房公积金 before 2018)."""
    entries = _catalog(r.code_kind).get(r.code, [])
    return bool(entries) and year is not None and all(e.year_from is not None and e.year_from > year for e in entries)


def _named_rows(d: Disclosure) -> Iterator[tuple[Table, Row]]:
    for t in d.tables:
        if not _standard(t):
            continue
        for r in _coded_rows(t):
            if r.label and not (r.code_kind == "economic" and len(r.code) > 5):
                yield t, r  # local 7-digit economic sub-codes carry local names


def name_mismatch(d: Disclosure) -> Iterator[Finding]:
    """K002: the printed name is not a name the catalog ever had for the printed code.

    A code is judged only by catalog entries in force in the document's year: the economic codes of a
    document older than the bundled 支出经济分类 are not checked (K002's coverage says so)."""
    for t, r in _named_rows(d):
        entries = _catalog(r.code_kind).get(r.code)
        if not entries or _older_than_catalog(r, d.meta.year) or any(_names_match(r.label, e.name) for e in entries):
            continue
        names = " / ".join(dict.fromkeys(e.name for e in entries))
        yield Finding(
            rule="K002",
            category="classification",
            severity="warning",
            message=Message("rules.K002.message", code=r.code, label=r.label, names=names),
            location=where(t, r),
            expected=names,
            actual=r.label,
        )


def name_mismatch_in_context(ctx: CheckContext) -> Iterator[Finding]:
    """K002 as run: the findings, and in the coverage the codes left unchecked because of the year."""
    d = ctx.readable
    older = sum(1 for _, r in _named_rows(d) if _older_than_catalog(r, d.meta.year))
    if older:
        ctx.checked_partly("K002", reason(ReasonCode.OLDER_CODES, count=older, since=economic_catalog_from(), year=d.meta.year))
    yield from name_mismatch(d)


def outdated_names(d: Disclosure) -> Iterator[Finding]:
    """K003: a name the classification used in earlier years (医疗卫生与计划生育支出 in a 2021+ document)."""
    year = d.meta.year
    if year is None:
        return
    for t in d.tables:
        if not _standard(t):
            continue
        for r in t.rows:
            if r.code_kind == "function" and r.code:
                entries = _function().get(r.code, [])
            elif not r.code and r.side != "收入" and (code := class_of_label(r.label)) is not None:
                entries = _function().get(code, [])
            else:
                continue
            current, old = _year_names(entries, year)
            if not old or any(_names_match(r.label, e.name) for e in current):
                continue
            exact = [e for e in old if _name_key(e.name) == _name_key(r.label)]
            match = next(iter(exact), None) or next((e for e in old if _names_match(r.label, e.name)), None)
            if match is None:
                continue
            now = " / ".join(dict.fromkeys(e.name for e in current)) or Message("rules.K003.no_name")
            yield Finding(
                rule="K003",
                category="classification",
                severity="info",
                message=Message("rules.K003.message", label=r.label, code=match.code, until=match.year_to, year=year, now=now),
                location=where(t, r, r.values[0] if r.values else None),
                expected=now,
                actual=r.label,
            )


def duplicated_rows(d: Disclosure) -> Iterator[Finding]:
    """K004: the same classification row printed twice in one unit's block (same code, name, amounts)."""
    for t in d.tables:
        yield from _duplicates(TableView(t))


def _duplicates(view: TableView) -> Iterator[Finding]:
    t = view.t
    if _standard(t):
        by_id = {id(r): r for r in t.rows}  # once per table: a search per duplicate was quadratic
        for dup_id, first in view.duplicates.items():
            dup = by_id[dup_id]
            lines = [x for x in (first.location.line, dup.location.line) if x is not None]
            pages = [x for x in (first.location.page, dup.location.page) if x is not None]
            at: Message | str = Message("rules.K004.lines", first=lines[0], second=lines[1]) if len(lines) == 2 else ""
            at = Message("rules.K004.pages", first=pages[0], second=pages[1]) if not at and len(pages) == 2 else at
            amounts = ", ".join(v.text for v in dup.values if v.amount is not None)
            yield Finding(
                rule="K004",
                category="classification",
                severity="error",
                message=Message("rules.K004.message", row=row_name(dup), table=table_name(t), at=at, amounts=amounts),
                location=where(t, dup),
                expected=Message("value.printed_once"),
                actual=Message("value.printed_twice"),
            )


def misplaced_rows(d: Disclosure) -> Iterator[Finding]:
    """K005: a 款 or 项 printed under another 类 (or 款) than its own, in a function-classified table."""
    for t in d.tables:
        if not _standard(t):
            continue
        rows = [r for r in t.rows if r.code_kind == "function" and r.code]
        printed = {r.code for r in rows}
        current: dict[int, str] = {}
        for r in t.rows:
            if r.code_kind == "unit":
                current.clear()
                continue
            if r.code_kind != "function" or not r.code:
                continue
            for n in (3, 5):
                if len(r.code) <= n:
                    continue
                parent = current.get(n)
                if parent is None or r.code[:n] not in printed or parent == r.code[:n]:
                    continue
                level = "类" if n == 3 else "款"
                yield Finding(
                    rule="K005",
                    category="classification",
                    severity="error",
                    message=Message("rules.K005.message", row=row_name(r), level=level, parent=parent, own=r.code[:n]),
                    location=where(t, r),
                    expected=f"under {r.code[:n]}",
                    actual=f"under {parent}",
                )
                break
            current[len(r.code)] = r.code
            for n in (5, 7):
                if n > len(r.code):
                    current.pop(n, None)


RULES: list[Rule] = [
    Rule(
        id="K001",
        category="classification",
        severity="error",
        enforces=("Y-5", "REG-07", "REG-06"),
        check=unknown_codes,
    ),
    Rule(
        id="K002",
        category="classification",
        severity="warning",
        enforces=("Y-5", "REG-07"),
        check=name_mismatch_in_context,
        contextual=True,
    ),
    Rule(
        id="K003",
        category="classification",
        severity="info",
        enforces=("Y-5", "REG-07"),
        check=outdated_names,
    ),
    Rule(
        id="K004",
        category="classification",
        severity="error",
        enforces=("B3-4",),
        check=duplicated_rows,
    ),
    Rule(
        id="K005",
        category="classification",
        severity="error",
        enforces=("B3-4",),
        check=misplaced_rows,
    ),
]
