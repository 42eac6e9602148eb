"""Numbers as printed: amounts, percentages, codes, Chinese ordinals.

Every number cnbudget reads goes through here, so that '1,200,000.0000', '2,444.5', '0.00',
'.00%' and '二十七' are read one way everywhere. Nothing here guesses: a text that is not
clearly a number is not a number.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from cnbudget.limits import computable

_AMOUNT_RE = re.compile(r"^[-－−]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?$")
_WS_RE = re.compile(r"\s+")


def squash(text: str) -> str:
    """Remove all whitespace (converters wrap header cells and labels at arbitrary points)."""
    return _WS_RE.sub("", text)


def parse_amount(text: str) -> tuple[Decimal, int] | None:
    """Read a printed amount: returns (value, decimal places) or None if it is not one.

    Accepts thousands separators in the right places, a leading minus, and a bare fraction
    such as '.00'. Rejects anything else (codes with letters, dates, '1.2.3').
    """
    t = text.strip().replace("－", "-").replace("−", "-").replace("，", ",")
    if not t or t in {"-", "."}:
        return None
    if not _AMOUNT_RE.match(t):
        return None
    digits = t.replace(",", "")
    if digits.startswith("-."):
        digits = "-0" + digits[1:]
    elif digits.startswith("."):
        digits = "0" + digits
    try:
        value = Decimal(digits)
    except InvalidOperation:
        return None
    if not computable(value):
        return None  # beyond any real budget: kept as unreadable text, never computed with
    places = len(t.split(".", 1)[1]) if "." in t else 0
    return value, places


def oversized(text: str) -> bool:
    """A printed numeral too large or too fine to be a real figure (see limits.py): unreadable, not a number."""
    t = text.strip().replace("－", "-").replace("−", "-").replace("，", ",")
    return any(ch.isdigit() for ch in t) and bool(_AMOUNT_RE.match(t)) and parse_amount(t) is None


_PERCENT_RE = re.compile(r"^\s*([-－]?(?:\d+(?:\.\d+)?|\.\d+))\s*[%％]\s*$")


def parse_percent(text: str) -> tuple[Decimal, int] | None:
    """Read '87.06%', '100%', '.00%' → (Decimal, places)."""
    m = _PERCENT_RE.match(text)
    if not m:
        return None
    return parse_amount(m.group(1))


# --- classification codes ------------------------------------------------------------------

_CODE_RE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")


def function_code(lei: str, kuan: str = "", xiang: str = "") -> str:
    """Join split 类/款/项 cells into one 3/5/7-digit code ('221','2','1' → '2210201')."""
    lei, kuan, xiang = squash(lei), squash(kuan), squash(xiang)
    if not lei.isdigit() or len(lei) != 3:
        return ""
    code = lei
    if kuan:
        if not kuan.isdigit() or len(kuan) > 2:
            return ""
        code += kuan.zfill(2)
        if xiang:
            if not xiang.isdigit() or len(xiang) > 2:
                return ""
            code += xiang.zfill(2)
    return code


def single_code(text: str) -> str:
    """A code printed in one cell ('2101501', '208 05 05', '30101'); '' if it is not a code."""
    t = text.strip()
    parts = t.split()
    if len(parts) in (2, 3) and all(p.isdigit() for p in parts) and len(parts[0]) == 3:
        return function_code(*parts)
    t = squash(t)
    if _CODE_RE.match(t):
        return t
    if t.isdigit() and len(t) == 7:
        return t
    return ""


# --- Chinese numerals ----------------------------------------------------------------------

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}


def chinese_int(text: str) -> int | None:
    """'二十七' → 27, '十' → 10, '一百零五' → 105. None if the text is not a Chinese integer."""
    if not text or any(ch not in _CN_DIGITS and ch not in _CN_UNITS for ch in text):
        return None
    total, current = 0, 0
    for ch in text:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        else:
            unit = _CN_UNITS[ch]
            total += (current or 1) * unit
            current = 0
    return total + current


_ORDINAL_RE = re.compile(r"^\s*[（(]?\s*([一二三四五六七八九十百零〇]+)\s*[)）、．.]\s*")


def strip_ordinal(label: str) -> tuple[int | None, str]:
    """'二十七、预备费' → (27, '预备费'); '（八）社会保障和就业支出' → (8, '社会保障和就业支出')."""
    m = _ORDINAL_RE.match(label)
    if not m:
        return None, label
    return chinese_int(m.group(1)), label[m.end():]
