"""Values printed in performance forms: cleaned cell text, indicator targets, scores, amounts and labels."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any, cast

from cnbudget.model import Amount, Cell, Grid, Line, Location
from cnbudget.numbers import parse_amount
from cnbudget.recognize.performance_vocab import key, vocab

_TAG_RE = re.compile(r"<[^>]*>")
_MD_ESCAPE_RE = re.compile(r"\\([*_#|\[\]()<>`])")  # markdown escapes left by the converter ('\*100%')
_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
# whitespace the converter put inside a wrapped CJK cell ('医疗待 遇逐年 提高'); a space between two
# Latin words or numbers is kept
_CJK_GAP_RE = re.compile(rf"(?<=[{_CJK}])\s+(?=[^A-Za-z])|(?<=[^A-Za-z\s])\s+(?=[{_CJK}])")


@lru_cache(maxsize=65536)
def clean(text: str) -> str:
    """Cell text without HTML fragments (<p>, <ol><li>) and without wrap whitespace."""
    t = html.unescape(_TAG_RE.sub(" ", text)) if "<" in text or "&" in text else text
    t = _MD_ESCAPE_RE.sub(r"\1", t)
    t = " ".join(t.split())
    return _CJK_GAP_RE.sub("", t)


_LEVEL_SCORE_RE = re.compile(r"\(\d+(?:\.\d+)?分\)$")


def is_level1(text: str) -> bool:
    """A known 一级指标 name ('项目产出 (50分)' included: the printed weight is not part of the name)."""
    return _LEVEL_SCORE_RE.sub("", key(text)) in vocab().level1


def is_level2(text: str) -> bool:
    return _LEVEL_SCORE_RE.sub("", key(text)) in vocab().level2


_NUMBER_RE = re.compile(r"^(-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)(.*)$")


@dataclass(frozen=True)
class Target:
    """An 指标值 read by the grammar ``operator? number unit?`` (or qualitative text)."""

    operator: str
    value: Decimal | None
    unit: str
    qualitative: bool


@lru_cache(maxsize=8192)
def parse_target(text: str) -> Target:
    """Read '>=30家', '≤5.09', '不低于800万', '明显遏制'. A number followed by anything but a
    known unit ('2023年12月', '12月底前') is a date or phrase: no number is taken from it."""
    t = key(clean(text))
    op = ""
    for word, sym in vocab().operators:
        if t.startswith(word):
            op, t = sym, t[len(word) :]
            break
    m = _NUMBER_RE.match(t)
    unit = m.group(2) if m else ""
    if unit[:1] == "(" and unit[-1:] == ")":  # '≥13459.00(平方米)': the unit in brackets
        unit = unit[1:-1]
    if m and (unit == "" or unit in vocab().units):
        parsed = parse_amount(m.group(1))
        if parsed is not None:
            return Target(op, parsed[0], unit, False)
    qualitative = bool(t) and t not in vocab().units and not any(ch.isdigit() for ch in t)
    return Target(op, None, "", qualitative)


def is_numeric_value(text: str) -> bool:
    return parse_target(text).value is not None


def looks_like_name(text: str) -> bool:
    """An indicator name rather than a value: '合同管理完备性', '医疗救助人数' (ends like a measure)."""
    return key(text).endswith(vocab().name_suffixes) and len(key(text)) > 3


def looks_qualitative(text: str) -> bool:
    """A short qualitative value: '健全', '明显遏制', '较往年减轻' (not a name ending in 率/性 …)."""
    k = key(text)
    if not k or len(k) > 8 or looks_like_name(k) or any(ch.isdigit() for ch in k):
        return False
    return len(k) <= 2 or any(w in k for w in vocab().qualitative_words)


def plain_number(text: str) -> Decimal | None:
    """A 分值 / 得分 cell: a bare number ('14.6', '100.00'); '-' and anything else give None."""
    parsed = parse_amount(key(text))
    return parsed[0] if parsed else None


RULE_RE = re.compile(r"^:?-{3,}:?$")
DASHES = frozenset({"-", "—", "－", "/", "——", "--"})


def money(text: str, unit: str) -> Amount | None:
    """A printed amount, with its own unit suffix ('5.2万元') taking precedence over ``unit``."""
    t = key(text)
    own = ""
    for suffix in sorted(vocab().money_units, key=len, reverse=True):
        if t.endswith(suffix):
            own, t = vocab().money_units[suffix], t[: -len(suffix)]
            break
    parsed = parse_amount(t)
    if parsed is None:
        return None
    value, places = parsed
    return Amount(printed=text.strip(), value=value, unit=cast(Any, own or unit), places=places)


_ORDINAL_PREFIX_RE = re.compile(r"^(?:\d+[、.．]|[一二三四五六七八九十]+、)")
_PAREN_ORDINAL_RE = re.compile(r"^\(\d+\)")
_UNIT_IN_LABEL_RE = re.compile(r"\((万元|元|亿元)\)")


def amount_label(text: str, overall: bool = False) -> tuple[str, str] | None:
    """(canonical key, unit printed in the label or '') for an amount label such as
    '1、资金来源:(1)财政性资金', '其中:财政拨款', '部门预算总额(万元)'; None for other text.
    ``overall``: the form is a 整体绩效目标表, whose 资金结构 may also print '(3)其他支出'."""
    t = key(text)
    unit = ""
    m = _UNIT_IN_LABEL_RE.search(t)
    if m:
        unit, t = m.group(1), _UNIT_IN_LABEL_RE.sub("", t)
    t = _ORDINAL_PREFIX_RE.sub("", t)
    for prefix in vocab().amount_prefixes:
        if t.startswith(prefix):
            t = t[len(prefix) :].lstrip(":")
    t = _PAREN_ORDINAL_RE.sub("", t).rstrip(":")
    for prefix in vocab().amount_prefixes:
        if t.startswith(prefix):
            t = t[len(prefix) :].lstrip(":")
    canonical = vocab().amount_labels.get(t) or (vocab().overall_amount_labels.get(t) if overall else None)
    return (canonical, unit) if canonical else None


def text_label(text: str) -> str | None:
    """The field ('project', 'org', 'unit', 'dept', 'grade') a printed label names, or None."""
    return vocab().text_labels.get(key(text).rstrip(":"))


def unit_of_label(text: str) -> str:
    m = _UNIT_IN_LABEL_RE.search(key(text))
    return m.group(1) if m else ""


def location(source: str, where: Cell | Line | Grid | None) -> Location:
    if where is None:
        return Location(source=source)
    conf = getattr(where, "ocr_confidence", None)
    return Location(source=source, page=where.page, line=where.line, bbox=where.bbox, ocr=conf is not None, ocr_confidence=conf)
