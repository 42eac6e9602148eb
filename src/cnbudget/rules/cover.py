"""The cover (封面) as a reviewer checks it: it names the department, the year and 预算 or 决算 of the
kind the document is, and a date that fits that year.

Only what the cover itself prints is judged (``Disclosure.cover``, recognize/cover.py); the
document's own year and kind come from its table titles, part headings and standard tables, and are
used only when they agree among themselves. A file that prints no cover is not checked (the
coverage says so), a cover without a date is checked for the rest. Wording is data (specs/cover.json).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from cnbudget.i18n import Message
from cnbudget.model import Disclosure, Paragraph, Section
from cnbudget.numbers import squash
from cnbudget.recognize.cover import cover_key, cover_spec
from cnbudget.recognize.meta import labelled_department
from cnbudget.rules.context import CheckContext, ReasonCode, reason
from cnbudget.rules.findings import Finding, Severity, where
from cnbudget.rules.registry import Rule

_MIN_TABLES = 3  # standard tables that must all be of one kind before the kind is the document's


def _same_name(a: str, b: str) -> bool:
    """One name is the other with characters left out (台前医疗保障局 / 台前县医疗保障局)."""
    short, long_ = sorted((a, b), key=len)
    rest = iter(long_)
    return all(c in rest for c in short)


def _walk(sections: list[Section]) -> Iterator[Section]:
    for s in sections:
        yield s
        yield from _walk(s.children)


def body_year(d: Disclosure) -> int | None:
    """The year the table titles and part headings name, when at least two do and two thirds agree."""
    spec = cover_spec()
    titles = [t.title for t in d.tables] + [s.title for s in _walk(d.sections) if s.level <= 1]
    years = Counter(int(m.group(1)) for title in titles for m in spec.year.finditer(cover_key(title)))
    if not years:
        return None
    year, count = years.most_common(1)[0]
    return year if count >= 2 and count * 3 >= sum(years.values()) * 2 else None


def body_kind(d: Disclosure) -> str | None:
    """预算 or 决算 by the standard tables printed (B1–B9 / F1–F9), when there are enough and all agree."""
    kinds = {"B": "预算", "F": "决算"}
    found = [kinds[t.spec_id[0]] for t in d.tables if t.spec_id[:1] in kinds and t.spec_id[1:].isdigit()]
    return found[0] if len(found) >= _MIN_TABLES and len(set(found)) == 1 else None


def _finding(severity: Severity, key: str, at: Paragraph, expected: str = "", actual: str = "", **values: object) -> Finding:
    return Finding(
        "C-COVER",
        "completeness",
        severity,
        Message(f"rules.C-COVER.{key}", **values),
        where(location=at.location),
        expected=expected,
        actual=actual,
    )


def check_cover(d: Disclosure) -> Iterator[Finding]:
    cover = d.cover
    if not cover:
        return
    spec = cover_spec()
    text = "".join(cover_key(p.text) for p in cover)
    first = cover[0]
    # the department: named on the cover, labelled (预算主管部门：X) or in the title
    own = squash(d.meta.department)
    named = labelled_department(text) or text
    if own and not _same_name(own, named) and own not in named:
        yield _finding("warning", "department", first, expected=d.meta.department, actual=text, department=d.meta.department)
    # the year the title names (a date's year is not the document's year)
    dates = list(spec.date.finditer(text))
    undated = spec.date.sub("", text)
    years = sorted({int(m.group(1)) for m in spec.year.finditer(undated)})
    year = body_year(d)
    if not years:
        yield _finding("warning", "no_year", first, expected=str(year or d.meta.year or ""), actual=text)
    elif year is not None and year not in years:
        yield _finding(
            "error", "year", first, expected=str(year), actual="、".join(map(str, years)), printed="、".join(map(str, years)), year=year
        )
    # 预算 or 决算
    said = [k for k, words in spec.kind_words.items() if any(w in undated for w in words)]
    kind = body_kind(d)
    if not said:
        yield _finding("warning", "no_kind", first, expected=kind or d.meta.kind or "", actual=text)
    elif kind is not None and kind not in said:
        yield _finding("error", "kind", first, expected=kind, actual="、".join(said), printed="、".join(said), kind=kind)
    # the date: its year fits the document's year and kind
    # the document's own year and kind first: a date is not judged by a cover year already found wrong
    the_year = year if year is not None else (years[0] if len(years) == 1 else None)
    the_kind = kind if kind is not None else (said[0] if len(said) == 1 else None)
    if the_year is None or the_kind not in spec.date_years:
        return
    for m in dates:
        offset = int(m.group(1)) - the_year
        if offset not in spec.date_years[the_kind]:
            at = next((p for p in cover if m.group(0) in cover_key(p.text)), first)
            fits = "、".join(f"{the_year + o}年" for o in spec.date_years[the_kind])
            yield _finding(
                "warning", "date", at, expected=fits, actual=m.group(0), date=m.group(0), year=the_year, kind=the_kind, fits=fits
            )


def check_cover_in_context(ctx: CheckContext) -> Iterator[Finding]:
    """C-COVER as run: the findings, and in the coverage what the cover does not let it check."""
    d = ctx.readable
    if not d.cover:
        ctx.not_checked("C-COVER", reason(ReasonCode.NO_COVER))
    elif not cover_spec().date.search("".join(cover_key(p.text) for p in d.cover)):
        ctx.checked_partly("C-COVER", reason(ReasonCode.COVER_UNDATED))
    yield from check_cover(d)


RULES: tuple[Rule, ...] = (Rule("C-COVER", "completeness", "error", ("REG-04",), check_cover_in_context, contextual=True),)
