"""Text hygiene a reviewer rejects: punctuation, brackets, cut-off sentences, template guidance, glyphs.

None of these changes a figure, so every finding is a warning or an info, never an error; each quotes
the exact text and names the page (or line) where it was printed. The wording lists (which marks end a
sentence, which brackets pair, what a template's guidance looks like) are data in
``specs/hygiene.json``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from cnbudget.i18n import Message
from cnbudget.model import Disclosure, Paragraph, Section
from cnbudget.rules.findings import Finding, Severity, Where, where
from cnbudget.rules.registry import Check, Rule

_WS = re.compile(r"\s+")
_CJK = re.compile(r"[\u4e00-\u9fff]")
BOX = "□"  # how a reader sees a character that does not display


@dataclass(frozen=True)
class Spec:
    repeated: tuple[re.Pattern[str], ...]
    terminal: str
    enumerator: re.Pattern[str]  # what stands before the ） of a list marker such as '1）' or '，二）'
    openers: dict[str, int]  # opening mark -> pair family
    closers: dict[str, int]
    cut_off: tuple[re.Pattern[str], ...]
    template: tuple[re.Pattern[str], ...]
    list_markers: tuple[re.Pattern[str], ...]
    prose: str
    table_text: re.Pattern[str]
    undisplayable: tuple[re.Pattern[str], ...]
    part_number: re.Pattern[str]
    department_heading: re.Pattern[str]


@lru_cache(maxsize=1)
def spec() -> Spec:
    data = json.loads(resources.files("cnbudget.specs").joinpath("hygiene.json").read_text(encoding="utf-8"))
    openers: dict[str, int] = {}
    closers: dict[str, int] = {}
    for family, (opening, closing) in enumerate(data["pairs"]):
        openers.update(dict.fromkeys(opening, family))
        closers.update(dict.fromkeys(closing, family))

    def compiled(key: str) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(p) for p in data[key])

    return Spec(
        repeated=compiled("repeated_marks"),
        terminal=data["terminal_marks"],
        enumerator=re.compile(data["enumerator_closer"]),
        openers=openers,
        closers=closers,
        cut_off=compiled("cut_off"),
        template=compiled("template_instructions"),
        list_markers=compiled("list_markers"),
        prose=data["prose_marks"],
        table_text=re.compile(data["table_text"]),
        undisplayable=compiled("undisplayable"),
        part_number=re.compile(data["part_number"]),
        department_heading=re.compile(data["department_heading"]),
    )


def squash(text: str) -> str:
    return _WS.sub("", text)


def excerpt(text: str, start: int, end: int, around: int = 15) -> str:
    """The matched text with a little of what stands on either side, as printed (whitespace removed)."""
    lead = "…" if start > around else ""
    tail = "…" if end + around < len(text) else ""
    return f"{lead}{text[max(0, start - around) : end + around]}{tail}"


def _walk(sections: list[Section]) -> Iterator[Section]:
    for s in sections:
        yield s
        yield from _walk(s.children)


def _paragraphs(d: Disclosure) -> Iterator[tuple[Section, Paragraph, str]]:
    for s in _walk(d.sections):
        for p in s.paragraphs:
            yield s, p, squash(p.text)


def _at(p: Paragraph, s: Section) -> Where:
    return where(location=p.location, section=s.title)


def _finding(
    rule_id: str, severity: Severity, loc: Where, actual: str, expected: str = "", shown: str | None = None, **values: object
) -> Finding:
    """``actual`` is the text exactly as printed; ``shown`` what the message quotes, when that must differ."""
    message = Message(f"rules.{rule_id}.message", text=actual if shown is None else shown, **values)
    return Finding(rule_id, "narrative", severity, message, loc, expected=expected, actual=actual)


# --------------------------------------------------------------------------------------------
# H-PUNCT: repeated sentence punctuation; H-STOP: a list item with no full stop
# --------------------------------------------------------------------------------------------


def repeated_punctuation(d: Disclosure) -> Iterator[Finding]:
    for s, p, text in _paragraphs(d):
        reported: set[int] = set()
        for pattern in spec().repeated:
            for m in pattern.finditer(text):
                if m.start() in reported:
                    continue
                reported.add(m.start())
                yield _finding("H-PUNCT", "warning", _at(p, s), excerpt(text, m.start(), m.end()), marks=m.group(0))


def _is_list_item(text: str) -> bool:
    return any(m.search(text) for m in spec().list_markers)


def missing_stop(d: Disclosure) -> Iterator[Finding]:
    """A list item of running prose that ends with a character while the next item begins."""
    for s in _walk(d.sections):
        texts = [squash(p.text) for p in s.paragraphs]
        for i, (p, text) in enumerate(zip(s.paragraphs, texts, strict=True)):
            if i + 1 >= len(texts) or len(text) < 12 or not _CJK.fullmatch(text[-1]):
                continue
            if not (_is_list_item(text) and _is_list_item(texts[i + 1])):
                continue
            if not any(mark in text for mark in spec().prose) or len(spec().table_text.findall(text)) >= 2:
                continue  # not a sentence: a table's text read as a paragraph
            yield _finding("H-STOP", "info", _at(p, s), excerpt(text, len(text), len(text), 25), next=texts[i + 1][:12])


# --------------------------------------------------------------------------------------------
# H-PAIR: a bracket or quotation mark opened and never closed (or closed and never opened)
# --------------------------------------------------------------------------------------------


def unmatched_pairs(d: Disclosure) -> Iterator[Finding]:
    """Marks are paired over a section's paragraphs in order: a paragraph that does not end a sentence
    (a page break inside a quotation) carries its open marks into the next one."""
    sp = spec()
    for s in _walk(d.sections):
        texts = [squash(p.text) for p in s.paragraphs]
        open_marks: list[tuple[str, int, int]] = []  # (mark, paragraph index, offset)
        for i, text in enumerate(texts):
            for k, c in enumerate(text):
                if c in sp.openers:
                    open_marks.append((c, i, k))
                elif c in sp.closers:
                    family = sp.closers[c]
                    depth = next((j for j in range(len(open_marks) - 1, -1, -1) if sp.openers[open_marks[j][0]] == family), None)
                    if depth is None:
                        # at a paragraph's start it may close a quotation begun before a page break;
                        # after '1' or '，二' it is a list marker (1）… 2）…), which has no opening half
                        if k > 0 and not sp.enumerator.search(text[max(0, k - 4) : k]):
                            yield _pair_finding(s, i, texts[i], k, c)
                        continue
                    for mark, pi, pk in open_marks[depth + 1 :]:
                        yield _pair_finding(s, pi, texts[pi], pk, mark)
                    del open_marks[depth:]
            ends = not text or text[-1] in sp.terminal or text[-1] in sp.closers
            last = i + 1 == len(texts)
            if open_marks and (last or ends or _is_list_item(texts[i + 1])):
                for mark, pi, pk in open_marks:
                    yield _pair_finding(s, pi, texts[pi], pk, mark)
                open_marks.clear()


def _pair_finding(s: Section, index: int, text: str, offset: int, mark: str) -> Finding:
    return _finding("H-PAIR", "warning", _at(s.paragraphs[index], s), excerpt(text, offset, offset + 1, 20), mark=mark)


# --------------------------------------------------------------------------------------------
# H-CUTOFF: a sentence that stops before its content; H-TEMPLATE: the template's guidance left in
# --------------------------------------------------------------------------------------------


def cut_off(d: Disclosure) -> Iterator[Finding]:
    for s, p, text in _paragraphs(d):
        for pattern in spec().cut_off:
            for m in pattern.finditer(text):
                yield _finding("H-CUTOFF", "warning", _at(p, s), excerpt(text, m.start(), m.end(), 20))


def _texts(d: Disclosure) -> Iterator[tuple[str, Where]]:
    """Every piece of printed text the Disclosure keeps, with its place."""
    for s in _walk(d.sections):
        yield f"{s.number}{s.title}", where(location=s.location, section=s.title)
        for p in s.paragraphs:
            yield p.text, _at(p, s)
    for tb in d.tables:
        yield tb.title, where(tb)
        for note in (tb.note, *tb.notes):
            if note:
                yield note, where(tb)
        for r in tb.rows:
            if r.label:
                yield r.label, where(tb, r)
            for v in r.values:
                if v.amount is None and v.number is None:
                    yield v.text, where(tb, r, v)
    for form in d.performance:
        for text in (form.name, *form.goals, *(i.name for i in form.indicators), *(i.target_text for i in form.indicators)):
            if text:
                yield text, where(location=form.location, section=form.name)


def template_guidance(d: Disclosure) -> Iterator[Finding]:
    seen: set[tuple[str, int | None, int | None]] = set()
    for raw, loc in _texts(d):
        text = squash(raw)
        for pattern in spec().template:
            for m in pattern.finditer(text):
                key = (m.group(0), loc.page, loc.line)
                if key in seen:
                    continue
                seen.add(key)
                yield _finding("H-TEMPLATE", "warning", loc, m.group(0))


# --------------------------------------------------------------------------------------------
# H-GLYPH: text that does not display; H-DEPT: a heading naming another department
# --------------------------------------------------------------------------------------------


def undisplayable(d: Disclosure) -> Iterator[Finding]:
    for raw, loc in _texts(d):
        text = squash(raw)
        for pattern in spec().undisplayable:
            m = pattern.search(text)
            if m is not None:
                count = len(pattern.findall(text))
                printed = excerpt(text, m.start(), m.end(), 12)
                code = f"U+{ord(m.group(0)):04X}" if len(m.group(0)) == 1 else m.group(0)
                yield _finding("H-GLYPH", "warning", loc, printed, shown=pattern.sub(BOX, printed), code=code, count=count)
                break


def _same_name(a: str, b: str) -> bool:
    """One name is the other with characters left out (台前医疗保障局 / 台前县医疗保障局)."""
    short, long_ = sorted((a, b), key=len)
    rest = iter(long_)
    return all(c in rest for c in short)


def other_department(d: Disclosure) -> Iterator[Finding]:
    own = squash(d.meta.department)
    if not own:
        return
    for s in _walk(d.sections):
        if not spec().part_number.match(squash(s.number)):
            continue  # a unit's own heading inside a department's document is not a part of the document
        m = spec().department_heading.match(squash(s.title))
        if m is None or _same_name(m.group("name"), own):
            continue
        yield _finding("H-DEPT", "warning", where(location=s.location, section=s.title), m.group("name"),
                       expected=d.meta.department, department=d.meta.department, heading=squash(f"{s.number}{s.title}"))


def _filled(check: Check) -> Check:
    """An unfilled template (上海市XX局) is all template: C004 reports it, nothing else does."""

    def run(d: Disclosure) -> Iterator[Finding]:
        from cnbudget.rules.completeness import is_unfilled_template

        if not is_unfilled_template(d):
            yield from check(d)

    return run


def _rule(rule_id: str, severity: Severity, check: Check) -> Rule:
    return Rule(rule_id, "narrative", severity, ("REG-04",), _filled(check))


RULES: tuple[Rule, ...] = (
    _rule("H-PUNCT", "warning",
          repeated_punctuation),
    _rule("H-STOP", "info",
          missing_stop),
    _rule("H-PAIR", "warning",
          unmatched_pairs),
    _rule("H-CUTOFF", "warning",
          cut_off),
    _rule("H-TEMPLATE", "warning",
          template_guidance),
    _rule("H-GLYPH", "warning",
          undisplayable),
    _rule("H-DEPT", "warning",
          other_department),
)
