"""Completeness: the tables a disclosure must print, their empty-table notes, and template residue.

财预〔2016〕143号 requires the standard tables of each kind; a table with no data stays in the
document, empty, with a note saying why. A document published with template text left in
(XX placeholders, '增长（下降）' alternatives, instructions to the author) is not finished.
These are judged on the Disclosure only: what the reader found (tables, their notes, the 目录,
section titles, narrative sentences with figures) and what it lists as absent.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from functools import lru_cache, partial
from importlib import resources
from typing import Any

from cnbudget.i18n import Message
from cnbudget.model import Absence, Disclosure, Line, Location, Section, Table, source_name
from cnbudget.recognize.parts import unread_pages_named
from cnbudget.recognize.tables import empty_note
from cnbudget.rules.context import CheckContext, ReasonCode, reason
from cnbudget.rules.findings import Finding, Where, table_name, where
from cnbudget.rules.registry import Rule
from cnbudget.specs import specs

_ELSEWHERE = ("attached", "images", "unread", "unread_in")  # Absence codes: the tables are not in this file (or not in its readable text)


def _spec_id(name: str, kind: str | None) -> str | None:
    """The spec id of an absent table, from its canonical name and the document's kind."""
    for s in specs().tables:
        if s.name == name and s.applies_to(kind):
            return s.id
    return None


def _where_absent(d: Disclosure, location: Location | None) -> Where:
    return where(location=location) if location is not None else Where()


def untyped_tables(d: Disclosure) -> list[Table]:
    """Tables printed with amounts whose title names no standard or known local table: they could be anything."""
    return [
        t
        for t in d.tables
        if t.spec_id == "LOCAL"
        and specs().match_local_title(t.title) is None
        and any(v.amount is not None for r in t.rows for v in r.values)
    ]


def required_tables(ctx: CheckContext) -> Iterator[Finding]:
    """C001: a required standard table of this kind is not printed.

    Not checked when the document prints tables with amounts that could not be typed: the table that
    seems missing may be one of them, and a finding would then be false."""
    d = ctx.disclosure
    required = set(specs().required.get(d.meta.kind or "", ()))
    present = {t.spec_id for t in d.tables}
    untyped = untyped_tables(d)
    unsure: list[str] = []
    for a in d.absent:
        spec_id = _spec_id(a.what, d.meta.kind)
        if spec_id is None or spec_id not in required or spec_id in present or a.code in _ELSEWHERE:
            continue
        if untyped:
            unsure.append(f"{spec_id} {a.what}")
            continue
        yield Finding(
            rule="C001",
            category="completeness",
            severity="error",
            message=Message("rules.C001.listed" if a.code == "listed" else "rules.C001.message", table=f"{spec_id} {a.what}"),
            location=Where(table=f"{spec_id} {a.what}"),
            expected=f"{spec_id} {a.what}",
            actual=Message("value.not_printed"),
        )
    if unsure:
        pages = sorted({t.location.page for t in untyped if t.location.page is not None})
        at = Message("coverage.pages", pages=", ".join(str(p) for p in pages)) if pages else ""
        ctx.not_checked("C001", reason(ReasonCode.UNTYPED_TABLES, count=len(untyped), pages=at, tables=", ".join(unsure)))


def absence_reason(a: Absence) -> Message:
    """Why a table was not found, in the reader's language (from the Absence's code, not its wording)."""
    file = source_name(a.location.source) if a.location is not None else ""
    return Message(f"absence.{a.code}", detail=a.detail, file=file)


def listed_not_printed(d: Disclosure) -> Iterator[Finding]:
    """C002: a table the 目录 lists is not in the document (required tables are C001's)."""
    required = set(specs().required.get(d.meta.kind or "", ()))
    for a in d.absent:
        if a.code != "listed":
            continue
        spec_id = _spec_id(a.what, d.meta.kind)
        if spec_id in required:
            continue
        printed = a.detail or a.what
        yield Finding(
            rule="C002",
            category="completeness",
            severity="warning",
            message=Message("rules.C002.message", printed=printed),
            location=Where(table=f"{spec_id} {a.what}" if spec_id else a.what),
            expected=printed,
            actual=Message("value.not_printed"),
        )


def empty_without_note(d: Disclosure) -> Iterator[Finding]:
    """C003: a standard table printed without data must say why (说明：…故本表无数据)."""
    if is_unfilled_template(d):
        return
    for t in d.tables:
        if t.empty and not t.note and t.spec_id[:1] in ("B", "F") and t.spec_id[1:].isdigit() and not _note_in_body(t):
            yield Finding(
                rule="C003",
                category="completeness",
                severity="error",
                message=Message("rules.C003.message", table=table_name(t), title=t.title),
                location=where(t),
                expected="说明：…故本表无数据",
                actual=Message("value.no_note"),
            )


def _note_in_body(t: Table) -> str:
    """An empty-table note printed inside the table's grid ('（无政府性基金支出）' as a row) is a note too."""
    texts = [r.label for r in t.rows] + [v.text for r in t.rows for v in r.values if v.amount is None]
    return empty_note([Line(text, None, 0) for text in texts if text])


def unreadable_tables(d: Disclosure) -> Iterator[Finding]:
    """C005: the tables could not be read from this file, so none of their rules was checked."""
    missing = [a for a in d.absent if a.code in _ELSEWHERE]
    if not missing:
        return
    names = ", ".join(a.what for a in missing)
    yield Finding(
        rule="C005",
        category="completeness",
        severity="warning",
        message=Message("rules.C005.message", reason=absence_reason(missing[0]), tables=names),
        location=_where_absent(d, missing[0].location),
        expected="",
        actual="",
    )


# --- template residue ---------------------------------------------------------------------------

_RESIDUE = (
    (re.compile(r"[XＸ×]{2,}"), "rules.C004.placeholder"),
    (
        re.compile(r"(增长|下降|增加|减少|大于|小于|上升|降低|高于|低于)[（(](增长|下降|增加|减少|大于|小于|上升|降低|高于|低于)[)）]"),
        "rules.C004.alternatives",
    ),
    (re.compile(r"[（(](如持平|不涉及的不列|仅有一个单位的部门)[^）)]{0,30}[)）]?"), "rules.C004.instruction"),
    (re.compile(r"(?<![\d.])0车0辆"), "rules.C004.vehicles"),
)


def _texts(d: Disclosure) -> Iterator[tuple[str, str, Callable[[], Where]]]:
    """(what, text, where) for every piece of printed text the Disclosure keeps (where is computed on demand)."""
    if d.meta.department:
        yield "department name", d.meta.department, Where
    for s in _walk(d.sections):
        yield "section title", f"{s.number} {s.title}", partial(where, location=s.location, section=s.title)
    for t in d.tables:
        yield "table title", t.title, partial(where, t)
        if t.note:
            yield "table note", t.note, partial(where, t)
        for r in t.rows:
            if r.label:
                yield "row label", r.label, partial(where, t, r)
            for v in r.values:
                if v.amount is None and v.number is None:
                    yield "cell", v.text, partial(where, t, r, v)
    seen: set[tuple[str, int | None]] = set()
    for f in d.facts:
        key = (f.sentence, f.location.line)
        if key in seen:
            continue
        seen.add(key)
        yield "sentence", f.sentence, partial(where, location=f.location, section=f.section)
    # paragraphs with no figure (their sentences are not among the facts): residue such as
    # '主要原因：XXXXXXXX。' or '(如持平作持平表述)' stands in plain text too
    sentences = {_squash(text) for text in {text for text, _ in seen}}
    for s in _walk(d.sections):
        for para in s.paragraphs:
            text = _squash(para.text)
            if not any(sentence and sentence in text for sentence in sentences):
                yield "paragraph", para.text, partial(where, location=para.location, section=s.title)
    for p in d.performance:
        for text in (p.name, p.unit_name, *(i.name for i in p.indicators), *(i.target_text for i in p.indicators)):
            if text:
                yield "performance form", text, partial(where, location=p.location, section=p.name)


def _walk(sections: list[Section]) -> Iterator[Section]:
    for s in sections:
        yield s
        yield from _walk(s.children)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def is_unfilled_template(d: Disclosure) -> bool:
    """A template never filled in: the department itself is still a placeholder (上海市XX局)."""
    return bool(_RESIDUE[0][0].search(_squash(d.meta.department)))


def template_residue(d: Disclosure) -> Iterator[Finding]:
    """C004: placeholders, alternatives and instructions of the template left in the document.

    One root cause, one finding: an unfilled template is one finding listing every residue; otherwise
    the same residue ('XX万元') repeated in several places is one finding listing them."""
    unfilled = is_unfilled_template(d)
    reported: set[tuple[str, str]] = set()
    scanned: dict[str, list[re.Match[str] | None]] = {}  # each distinct text is searched once (a repeated one was quadratic)
    flats: dict[str, str] = {}
    for what, text, loc in _texts(d):
        flat = flats.get(text) or flats.setdefault(text, _squash(text))
        if flat not in scanned:
            scanned[flat] = [pattern.search(flat) for pattern, _ in _RESIDUE]
        for (_pattern, explain), m in zip(_RESIDUE, scanned[flat], strict=True):
            if m is None or (m.group(0), flat) in reported:
                continue
            reported.add((m.group(0), flat))
            shown = flat if len(flat) <= 80 else flat[max(0, m.start() - 30) : m.end() + 30]
            yield Finding(
                rule="C004",
                category="completeness",
                severity="error",
                message=Message("rules.C004.message", where=Message(f"rules.C004.in.{what.replace(' ', '_')}"), text=shown,
                                explain=Message(explain, m=m.group(0))),
                location=loc(),
                expected="",
                actual=m.group(0),
                cause="the template was never filled in" if unfilled else f"residue {m.group(0)}",
            )
            break


@lru_cache(maxsize=1)
def _required_sections() -> dict[str, list[dict[str, Any]]]:
    text = resources.files("cnbudget.specs").joinpath("required_sections.json").read_text(encoding="utf-8")
    data: dict[str, list[dict[str, Any]]] = json.loads(text)
    return data


def required_explanations(d: Disclosure, unsure: list[str] | None = None) -> Iterator[Finding]:
    """C006: the explanations every 情况说明 gives (三公, 机关运行经费, 政府采购, 国有资产, 绩效, 名词解释).

    When a page could not be read, an explanation that seems missing may be printed there: it goes to
    ``unsure`` instead of being reported."""
    if d.meta.kind is None:
        return
    unsure = [] if unsure is None else unsure
    if d.sections:
        yield from _explanations(d, unsure)
    elif d.tables and d.unread_pages:
        unsure.append("情况说明")
    elif d.tables:
        yield Finding(
            rule="C006",
            category="completeness",
            severity="warning",
            message=Message("rules.C006.no_narrative"),
            location=Where(section="情况说明"),
            expected="情况说明",
            actual=Message("value.not_in_file"),
        )


def _required_explanations_read(ctx: CheckContext) -> Iterator[Finding]:
    """C006 with its coverage: not checked, naming the pages, for what may be printed on a page not read."""
    unsure: list[str] = []
    yield from required_explanations(ctx.readable, unsure)
    if unsure:
        d = ctx.readable
        if d.unread_files:  # a disclosure in several files: each page with its file
            ctx.not_checked("C006", reason(ReasonCode.PAGES_NOT_READ_IN, pages=unread_pages_named(d), what="、".join(unsure)))
            return
        pages = ", ".join(str(p) for p in d.unread_pages)
        ctx.not_checked("C006", reason(ReasonCode.PAGES_NOT_READ, pages=pages, what="、".join(unsure)))


def _explanations(d: Disclosure, unsure: list[str]) -> Iterator[Finding]:
    """C006 over the sections read; an explanation not found goes to ``unsure`` when pages were not read."""
    titles = [_norm(f"{s.number}{s.title}") for s in _walk(d.sections)]
    paragraphs = [_norm(p.text) for s in _walk(d.sections) for p in s.paragraphs]
    for need in _required_sections().get(d.meta.kind or "", []):
        words = [_norm(w) for w in need["words"]]
        if any(w in t for t in titles for w in words) or any(w in p for p in paragraphs for w in words):
            continue
        if d.unread_pages:
            unsure.append(need["what"])
            continue
        yield Finding(
            rule="C006",
            category="completeness",
            severity="error",
            message=Message("rules.C006.message", what=need["what"]),
            location=Where(section="情况说明"),
            expected=need["what"],
            actual=Message("value.not_found"),
        )


def _norm(text: str) -> str:
    return re.sub(r"[\s“”\"]", "", text)


RULES: list[Rule] = [
    Rule(
        id="C001",
        category="completeness",
        severity="error",
        enforces=("REG-04", "REG-05", "REG-02"),
        check=required_tables,
        contextual=True,
    ),
    Rule(
        id="C002",
        category="completeness",
        severity="warning",
        enforces=("REG-04",),
        check=listed_not_printed,
    ),
    Rule(
        id="C003",
        category="completeness",
        severity="error",
        enforces=("REG-04",),
        check=empty_without_note,
    ),
    Rule(
        id="C004",
        category="completeness",
        severity="error",
        enforces=("REG-04",),
        check=template_residue,
    ),
    Rule(
        id="C006",
        category="completeness",
        severity="error",
        enforces=("REG-01", "REG-04"),
        check=_required_explanations_read,
        contextual=True,
    ),
    Rule(
        id="C005",
        category="completeness",
        severity="warning",
        enforces=(),
        check=unreadable_tables,
    ),
]
