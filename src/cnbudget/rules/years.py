"""N-YEAR and N-SCOPE: the years and the kind of document a sentence names must be this document's.

A 预算 of year Y compares with Y−1 and reports assets 截至 Y−1 (or early Y); a 决算 of year Y compares
with Y−1 (or with its own year's 年初预算) and reports 截至 Y年12月31日. A sentence that calls the
document 'Y年部门预算' names its year, its scope (部门/单位) and its kind (预算/决算): all three
must be the document's. A 4-digit year printed with a digit missing or added ('202年', '20241年')
is a misprint. The wording is data (specs/claims.json).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from cnbudget.i18n import Message
from cnbudget.model import Disclosure, Location
from cnbudget.rules.claims import claims
from cnbudget.rules.findings import Finding, Severity, where
from cnbudget.rules.registry import Rule
from cnbudget.rules.sentences import Sentence, pattern, sentences, spec, walk_paths

YEAR_ID = "N-YEAR"
SCOPE_ID = "N-SCOPE"
_YEAR_RE = re.compile(r"(?<!\d)(\d{4})年")


def _year_finding(s: Sentence, severity: Severity, key: str, printed: str, expected: str, actual: str, **values: str) -> Finding:
    return Finding(
        YEAR_ID, "narrative", severity,
        Message(f"rules.{YEAR_ID}.{key}", sentence=s.text, expected=expected, actual=actual, **values),
        where(location=s.at(printed), section=s.path),
        expected=expected, actual=actual,
    )


def _comparison(d: Disclosure, s: Sentence, year: int) -> Iterator[Finding]:
    y, kind = d.meta.year, d.meta.kind
    assert y is not None
    for m in pattern(spec()["comparison_year"]).finditer(s.text):
        named = int(m.group("year"))
        same_year_ok = kind == spec()["comparison_same_year_ok_kind"] and re.search(
            spec()["comparison_same_year_words"], m.group("what")
        )
        if named == y - 1 or (named == y and same_year_ok):
            continue
        severity: Severity = "warning" if named < y - 1 else "error"
        yield _year_finding(s, severity, "comparison", m.group(0), expected=f"{y - 1}年", actual=f"{named}年",
                            phrase=m.group(0))


def _as_of(d: Disclosure, s: Sentence) -> Iterator[Finding]:
    y, kind = d.meta.year, d.meta.kind
    assert y is not None
    for m in pattern(spec()["as_of_date"]).finditer(s.text):
        named, month = int(m.group("year")), int(m.group("month"))
        allowed = _as_of_years(y, kind, month, m.group("day"))
        if named in allowed:
            continue
        yield _year_finding(s, "error", "as_of", m.group(0), expected="/".join(f"{a}年" for a in sorted(allowed)),
                            actual=f"{named}年", phrase=m.group(0))


def _as_of_years(y: int, kind: str | None, month: int, day: str | None) -> set[int]:
    """Years a 截至 date may name: a 决算's year end is its own year; a 预算 looks back to Y−1."""
    if kind != "决算":
        return {y - 1, y}
    return {y} if (month, day) == (12, "31") else {y, y + 1}


def _period(d: Disclosure, s: Sentence) -> Iterator[Finding]:
    """'实施周期：2024年1月-2024年12月', or any sentence of a section headed 实施周期, includes year Y."""
    y = d.meta.year
    assert y is not None
    spans = [(m.group(0), m.group("text")) for m in pattern(spec()["period"]).finditer(s.text)]
    if not spans and re.search(spec()["period_section"], s.section.title):
        spans = [(s.text, s.text)]
    for phrase, text in spans:
        years = [int(x) for x in _YEAR_RE.findall(text)]
        if not years or min(years) <= y <= max(years):
            continue
        yield _year_finding(s, "error", "period", phrase, expected=f"{y}年", actual="、".join(f"{x}年" for x in years),
                            phrase=phrase)


def _digits(d: Disclosure, s: Sentence) -> Iterator[Finding]:
    y = d.meta.year
    assert y is not None
    plausible = re.compile(spec()["year_token_plausible"])
    for m in pattern(spec()["year_token"]).finditer(s.text):
        digits = m.group("digits")
        if not plausible.match(digits):
            continue
        yield _year_finding(s, "error", "digits", digits, expected="四位年份", actual=f"{digits}年", phrase=m.group(0))


def _self_scope(d: Disclosure, s: Sentence) -> Iterator[Finding]:
    y = d.meta.year
    assert y is not None
    compared = re.compile(spec()["compared_before"])
    for m in pattern(spec()["self_scope"]).finditer(s.text):
        named = int(m.group("year"))
        if compared.search(s.text[: m.start()]):
            continue  # '比2022年部门预算安排增加…' names last year's document on purpose
        if named != y:
            yield _year_finding(s, "error", "self_year", m.group(0), expected=f"{y}年", actual=f"{named}年",
                                phrase=m.group(0))


def _claim_years(d: Disclosure) -> Iterator[Finding]:
    """'2022年当年预算执行数…，2023年预算安排…，比2022年预算执行数…': the plan is this year's, the execution
    last year's, and the comparison names the year whose execution the sentence states."""
    y = d.meta.year
    if y is None:
        return
    for c in claims(d):
        cur, prior, base = c.get("y_cur"), c.get("y_prior"), c.get("y_base")
        s, phrase = c.sentence, c.match.group(0)
        if cur and int(cur) != y:
            yield _year_finding(s, "error", "claim_current", f"{cur}年", expected=f"{y}年", actual=f"{cur}年", phrase=phrase)
        elif prior and int(prior) != y - 1:
            yield _year_finding(s, "error", "claim_prior", f"{prior}年", expected=f"{y - 1}年", actual=f"{prior}年",
                                phrase=phrase)
        elif base and int(base) != y - 1:
            yield _year_finding(s, "error", "claim_base", f"{base}年", expected=f"{y - 1}年", actual=f"{base}年",
                                phrase=phrase)


def check_years(d: Disclosure) -> Iterator[Finding]:
    if d.meta.year is None:
        return
    claimed = {(id(c.sentence.section), c.sentence.text) for c in claims(d) if c.get("y_base")}
    for s in sentences(d):
        if (id(s.section), s.text) not in claimed:  # a claim's comparison year is _claim_years
            yield from _comparison(d, s, d.meta.year)
        yield from _as_of(d, s)
        yield from _period(d, s)
        yield from _digits(d, s)
        yield from _self_scope(d, s)
    yield from _claim_years(d)


def check_scope(d: Disclosure) -> Iterator[Finding]:
    """The document calls itself by its own scope and kind (in running text and in headings)."""
    scope, kind, year = d.meta.scope, d.meta.kind, d.meta.year
    if not scope or not kind:
        return
    self_re = pattern(spec()["self_scope"])
    texts: list[tuple[str, Location, str]] = [(sec.title, sec.location, path) for sec, path in walk_paths(d.sections)]
    texts += [(s.text, s.at(), s.path) for s in sentences(d)]
    for text, loc, title in texts:
        for m in self_re.finditer(text):
            if year is not None and int(m.group("year")) != year:
                continue  # a year's mistake, N-YEAR's
            said = m.group("scope") + m.group("kind")
            if m.group("scope") == scope and m.group("kind") == kind:
                continue
            yield Finding(
                SCOPE_ID, "narrative", "error",
                Message(f"rules.{SCOPE_ID}.message", phrase=m.group(0), said=said, own=f"{scope}{kind}"),
                where(location=loc, section=title),
                expected=f"{scope}{kind}", actual=said,
            )
    if kind == "决算":
        for s in sentences(d):
            for m in pattern(spec()["final_as_plan"]).finditer(s.text):
                if year is None or int(m.group("year")) != year or "年初" in m.group("what"):
                    continue
                yield Finding(
                    SCOPE_ID, "narrative", "warning",
                    Message(f"rules.{SCOPE_ID}.final_as_plan", phrase=m.group(0)),
                    where(location=s.at(m.group("amount")), section=s.path),
                    expected="决算数/支出决算", actual="预算安排",
                )


RULES: tuple[Rule, ...] = (
    Rule(
        YEAR_ID, "narrative", "error",
        ("N-B02", "N-F01"), check_years,
    ),
    Rule(
        SCOPE_ID, "narrative", "error",
        ("N-B01",), check_scope,
    ),
)
