"""The narrative as sentences, each with the place it was printed: what the claim rules read.

The claim rules (claims.py, consistency.py, years.py) check a sentence on its own words, whatever
facts the narrative reader drew from it. A sentence's place is the line of the figure a finding is
about when the reader recorded one there (facts carry the line of each figure), else the line where
its paragraph starts. An *item* is an enumerated paragraph ('1.“…（项）”2.63万元，…') with the
paragraphs that follow it up to the next item: a list entry that a PDF wrapped into several
paragraphs is still one entry.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from importlib import resources
from typing import Any

from cnbudget.model import Disclosure, Fact, Location, Section
from cnbudget.numbers import parse_amount, squash
from cnbudget.recognize.narrative import _path_part

_SENTENCE_END_RE = re.compile(r"[。！？!?]")


@lru_cache(maxsize=1)
def spec() -> dict[str, Any]:
    """specs/claims.json: the sentence templates, vocabularies and year/scope wording."""
    text = resources.files("cnbudget.specs").joinpath("claims.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@lru_cache(maxsize=64)
def pattern(source: str) -> re.Pattern[str]:
    """A pattern of the spec, with {NUM} standing for a printed amount.

    A figure starts where no digit stands before it: a template that begins with one would
    otherwise be tried at every digit of a long run of digits, each try reading to the run's end (a 5,000-digit
    run took seconds per template)."""
    return re.compile(source.replace("{NUM}", r"(?<!\d)" + spec()["number"]))


@dataclass
class Sentence:
    text: str  # whitespace removed
    section: Section
    item: int  # index of the item (enumerated paragraph group) in the section
    location: Location
    facts: list[Fact] = field(default_factory=list)
    path: str = ""  # the section path as facts carry it ('第三部分/一、…'), for the report's grouping

    def at(self, printed: str = "") -> Location:
        """Where ``printed`` (an amount or percentage as printed) stands, else where the sentence does."""
        if printed:
            for f in self.facts:
                if printed in (f.printed, f.change_printed, f.percent_printed):
                    return f.location
        return self.facts[0].location if self.facts else self.location


def number(text: str | None) -> tuple[Decimal, int] | None:
    """A printed number (with its decimal places), or None."""
    if not text:
        return None
    return parse_amount(text)


def places(printed: str) -> int:
    return len(printed.split(".", 1)[1]) if "." in printed else 0


def quantize(value: Decimal, n: int, floor: bool = False) -> Decimal:
    """``value`` rounded to ``n`` places (a value too long for the context is left as it is)."""
    try:
        return value.quantize(Decimal(1).scaleb(-n), rounding=ROUND_FLOOR if floor else ROUND_HALF_UP)
    except InvalidOperation:
        return value


def walk(sections: list[Section]) -> Iterator[Section]:
    for s in sections:
        yield s
        yield from walk(s.children)


def walk_paths(sections: list[Section], parent: str = "") -> Iterator[tuple[Section, str]]:
    for s in sections:
        path = f"{parent}/{_path_part(s)}" if parent else _path_part(s)
        yield s, path
        yield from walk_paths(s.children, path)


def _skipped(section: Section) -> bool:
    return bool(re.search(spec()["skip_sections"], squash(section.title)))


def sentences(d: Disclosure) -> list[Sentence]:
    """Every sentence of the narrative sections, in document order.

    A sentence printed several times word for word gets the facts of its own occurrence (its share of the
    facts read from that text, in order), not those of every copy: 3,000 copies each holding 3,000 copies'
    facts made the narrative rules quadratic (fuzz seed 119676)."""
    by_text: dict[str, list[Fact]] = {}
    for f in d.facts:
        by_text.setdefault(squash(f.sentence), []).append(f)
    pieces_of = [
        (section, path, para, _pieces(squash(para.text)))
        for section, path in walk_paths(d.sections)
        if not _skipped(section)
        for para in section.paragraphs
    ]
    copies: dict[str, int] = {}
    for *_, pieces in pieces_of:
        for piece in pieces:
            copies[piece] = copies.get(piece, 0) + 1
    seen: dict[str, int] = {}
    item_re = re.compile(spec()["item_start"])
    out: list[Sentence] = []
    current: Section | None = None
    item = -1
    for section, path, para, pieces in pieces_of:
        if section is not current:
            current, item = section, -1
        if item < 0 or item_re.match(squash(para.text)):
            item += 1
        for piece in pieces:
            own = _own_facts(by_text.get(piece, []), copies[piece], seen.get(piece, 0))
            out.append(Sentence(piece, section, item, para.location, own, path))
            seen[piece] = seen.get(piece, 0) + 1
    return out


def _pieces(text: str) -> list[str]:
    """A paragraph cut after each sentence end."""
    start = 0
    pieces = []
    for m in _SENTENCE_END_RE.finditer(text):
        pieces.append(text[start : m.end()])
        start = m.end()
    if start < len(text):
        pieces.append(text[start:])
    return pieces


def _own_facts(facts: list[Fact], copies: int, n: int) -> list[Fact]:
    """The facts of the ``n``-th occurrence of a sentence: all of them when it is printed once, or when the facts do
    not divide evenly among its copies (then which copy holds which is not known)."""
    if copies <= 1 or not facts or len(facts) % copies:
        return list(facts)
    share = len(facts) // copies
    return facts[n * share : (n + 1) * share]


@dataclass(frozen=True)
class ItemHead:
    """The amount an enumerated item states first for its subject ('1.“…（项）”2.63万元')."""

    subject: str
    printed: str
    value: Decimal
    sentence: Sentence


def item_heads(d: Disclosure) -> dict[tuple[int, int], ItemHead]:
    """The head amount of every item, keyed by (id of its section, item index)."""
    head_re = pattern(spec()["item_head"])
    heads: dict[tuple[int, int], ItemHead] = {}
    seen: set[tuple[int, int]] = set()
    for s in sentences(d):
        key = (id(s.section), s.item)
        if key in seen:
            continue
        seen.add(key)
        m = head_re.match(s.text)
        parsed = number(m.group("amount")) if m else None
        if m and parsed is not None:
            heads[key] = ItemHead(m.group("subject"), m.group("amount"), parsed[0], s)
    return heads
