"""Narrative, step 3: sentences, and the figures in each with the words that lead to them.

A sentence ends at 。！？; a figure is an amount, a percentage, a count or a score (or a '持平'
phrase), with its lead (the words from the clause start or the previous figure) that says what
kind of figure it is and what it is about.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from decimal import Decimal

from cnbudget.numbers import chinese_int, parse_amount
from cnbudget.recognize.narrative_vocab import _CN, _FIGURE_RE

_CN_FIGURE_RE = re.compile(
    rf"(?<![第统唯之逐同每单{_CN}两零〇百千])(?P<num>[{_CN}两零〇百千]+)(?P<unit>人次|批次|台[（(]套[)）]|辆|个(?!百分点)|项(?!目|规定)|台|家|名|户)"
)

# A figure that is a threshold ('单价50万元以上通用设备') belongs to a subject, it is not a fact.
_THRESHOLD_AFTER_RE = re.compile(r"^\s*(?:[（(]含[)）])?\s*(?:及|或)?\s*(?:以上|以下)|^及\s*\d[\d,.]*\s*万?元\s*(?:[（(]含[)）])?以上")

_MONEY_UNITS = {"亿元", "万元", "元", "万"}

_UNIT_SPELLINGS = {"台(套)": "台（套）", "台（套)": "台（套）", "台(套）": "台（套）", "％": "%"}

# 'X与上年持平' / '与2019年决算数相同': a change of zero stated in words.
_FLAT_RE = re.compile(r"(?:与|同|较|比)(?P<base>[^，,；;。]*?)(?:基本)?(?:持平|相同|无增减)")

_FLAT_AFTER_RE = re.compile(
    r"(?:与|同|较)(?P<base>[^，,；;。]*?)相比[，,][^，,；;。]*?(?P<verb>(?:基本)?(?:持平|相同|无增减))"
)  # '与上年相比，X持平'

# Clause delimiters; '、' in '收、支总计' is part of the subject.
_DELIM_RE = re.compile(r"[，,；;：:]|(?<!收)、")

_SENTENCE_END_RE = re.compile(r"[。！？!?]")

_AFTER_STOP_RE = re.compile(r"[。！？\d]")  # where the noun after a count ends


@dataclass(slots=True)
class _Tok:
    """A figure (or a '持平' phrase) in a sentence, with the words that lead to it."""

    start: int
    end: int
    kind: str  # money | pct | count | score | flat
    value: Decimal
    printed: str
    unit: str
    lead: str = ""  # from the clause start (or the previous figure) to the figure
    prev_clause: str = ""  # the figure-free clause before the lead, if any
    after: str = ""  # the words after a count ('2个行政股室')
    base: str = ""  # what a '持平' compares with


def _tokens(sentence: str) -> list[_Tok]:
    toks: list[_Tok] = []
    for m in _FIGURE_RE.finditer(sentence):
        if _THRESHOLD_AFTER_RE.match(sentence[m.end() :]) or sentence[max(0, m.start() - 1) : m.start()] == "第":
            continue
        parsed = parse_amount(m.group("num"))
        if parsed is None:
            continue
        unit = _UNIT_SPELLINGS.get(m.group("unit"), m.group("unit"))
        kind = "money" if unit in _MONEY_UNITS else "pct" if unit == "%" else "score" if unit == "分" else "count"
        toks.append(_Tok(m.start(), m.end(), kind, parsed[0], m.group("num"), unit))
    for m in _CN_FIGURE_RE.finditer(sentence):
        n = chinese_int(m.group("num"))
        if n is None or any(t.start <= m.start() < t.end for t in toks):
            continue
        unit = _UNIT_SPELLINGS.get(m.group("unit"), m.group("unit"))
        toks.append(_Tok(m.start(), m.end(), "count", Decimal(n), m.group("num"), unit))
    for m in _FLAT_RE.finditer(sentence):
        toks.append(_Tok(m.start(), m.end(), "flat", Decimal(0), "", "", base=m.group("base")))
    for m in _FLAT_AFTER_RE.finditer(sentence):  # the subject stands between '相比，' and '持平'
        toks.append(_Tok(m.start("verb"), m.end(), "flat", Decimal(0), "", "", base=m.group("base")))
    toks.sort(key=lambda t: t.start)
    delims = [m.start() for m in _DELIM_RE.finditer(sentence)]
    prev_end = 0
    for t in toks:
        k = bisect.bisect_left(delims, t.start)
        clause_start = delims[k - 1] + 1 if k > 0 else 0
        lead_start = max(clause_start, prev_end)
        t.lead = sentence[lead_start : t.start]
        if lead_start == clause_start and k > 0:
            prev_start = delims[k - 2] + 1 if k > 1 else 0
            if prev_start >= prev_end:
                t.prev_clause = sentence[prev_start : delims[k - 1]]
        if t.kind == "count":
            t.after = _after_words(sentence[t.end :])
        prev_end = t.end
    return toks


def _after_words(text: str) -> str:
    """The noun after a count ('2个行政股室（…）' → '行政股室'), or '' if punctuation follows."""
    if not text or not ("\u4e00" <= text[0] <= "\u9fff"):
        return ""
    m = _DELIM_RE.search(text)
    words = text[: m.start()] if m else text
    words = _AFTER_STOP_RE.split(words, maxsplit=1)[0]
    if words.count("（") > words.count("）"):
        words = words[: words.rfind("（")]
    if words.count("(") > words.count(")"):
        words = words[: words.rfind("(")]
    return words


def _sentences(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) pairs; a sentence ends at 。！？."""
    out: list[tuple[int, str]] = []
    start = 0
    for m in _SENTENCE_END_RE.finditer(text):
        out.append((start, text[start : m.end()]))
        start = m.end()
    if start < len(text):
        out.append((start, text[start:]))
    return out
