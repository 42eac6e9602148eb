"""Exact money arithmetic for the publisher: Decimal only, half-up rounding to the printed places."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from cnbudget.limits import computable

ZERO = Decimal("0")
HUNDRED = Decimal("100")
CENT = Decimal("0.01")


class NotComputable(ValueError):
    """A figure no real budget prints (too many digits or places): not computed with."""


def parse_decimal(value: object) -> Decimal | None:
    """A cell value as an exact Decimal; None for an empty cell; ValueError for anything else.

    Floats (what Excel stores) are read through their shortest repr, so 1566.22 stays 1566.22.
    Thousands separators and surrounding spaces are accepted in text cells."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError("not a number")
    if isinstance(value, (int, float, Decimal)):
        d = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if not computable(d):
            raise NotComputable("beyond any real budget (not a figure cnbudget computes with)")
        return d
    text = str(value).strip().replace(",", "").replace("，", "")
    if text in ("", "-", "—"):
        return None
    try:
        d = Decimal(text)
    except InvalidOperation:
        raise ValueError("not a number") from None
    if not d.is_finite():
        raise ValueError("not a number")
    if not computable(d):
        raise NotComputable("beyond any real budget (not a figure cnbudget computes with)")
    return d


def q2(value: Decimal) -> Decimal:
    """Round half-up to 2 decimal places."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def amount_text(value: Decimal, places: int = 2, grouping: bool = True) -> str:
    """'1,566.22' (tables) or '1566.22' (grouping off)."""
    q = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if q == 0:
        q = abs(q)
    return f"{q:,.{places}f}" if grouping else f"{q:.{places}f}"


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    """part / whole × 100, half-up to 2 dp; None when whole is zero (undefined, never 0% or 100%)."""
    if whole == 0:
        return None
    return q2(part / whole * HUNDRED)


def growth(current: Decimal, prior: Decimal) -> Decimal | None:
    """(current − prior) / prior × 100, half-up to 2 dp, as a magnitude; None when prior is zero."""
    if prior == 0:
        return None
    return q2(abs(current - prior) / prior * HUNDRED)


def percent_text(value: Decimal) -> str:
    return f"{q2(value):,.2f}%"
