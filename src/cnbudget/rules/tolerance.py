"""The one tolerance policy. Every comparison of printed amounts goes through here.

* A printed total and the sum of printed parts may differ by rounding: one unit of the last printed
  digit (0.01 when two decimals are printed) per summed term. Such a difference is reported as
  尾数差异 at info level, never as an error.
* Amounts in 元 printed to the fen (two decimals or more) are exact: no rounding is tolerated.
* Amounts in different units are compared only after an explicit conversion to 万元.
* Percentages are recomputed and rounded half-up to the precision printed.
Nothing else is tolerated silently.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Literal

from cnbudget.model import Amount

ROUNDING = "尾数差异"
ZERO = Decimal(0)
_TO_WAN = {"元": Decimal("0.0001"), "万元": Decimal(1), "亿元": Decimal(10000)}

Verdict = Literal["ok", "rounding", "mismatch"]


@dataclass(frozen=True, slots=True)
class Term:
    """One printed amount taking part in a comparison, with the sign it enters the sum with."""

    value: Decimal
    unit: str
    places: int
    sign: int = 1
    exact: bool = False  # a blank cell, or 元 printed to the fen: carries no rounding

    @classmethod
    def of(cls, amount: Amount, sign: int = 1) -> Term:
        return cls(amount.value, amount.unit, amount.places, sign, exact=amount.unit == "元" and amount.places >= 2)

    @classmethod
    def blank(cls, unit: str, sign: int = 1) -> Term:
        """An empty cell: absent, which adds nothing to a sum and carries no rounding."""
        return cls(ZERO, unit, 0, sign, exact=True)


def convert(value: Decimal, unit: str, to: str) -> Decimal:
    """The value in another money unit, exactly."""
    if unit == to:
        return value
    return value * _TO_WAN[unit] / _TO_WAN[to]


def common_unit(terms: Sequence[Term]) -> str:
    units = {t.unit for t in terms}
    return units.pop() if len(units) == 1 else "万元"


@dataclass(frozen=True, slots=True)
class Outcome:
    verdict: Verdict
    left: Decimal
    right: Decimal
    difference: Decimal  # left − right
    tolerance: Decimal
    unit: str
    places: int

    def fmt(self, value: Decimal) -> str:
        return fmt_amount(value, self.places)

    @property
    def diff_text(self) -> str:
        return fmt_amount(abs(self.difference), self.places)


def fmt_amount(value: Decimal, places: int) -> str:
    """An amount printed the way the documents print it: thousands separators, fixed decimals."""
    q = Decimal(1).scaleb(-places)
    return f"{value.quantize(q, rounding=ROUND_HALF_UP):,.{places}f}"


def compare(left: Sequence[Term], right: Sequence[Term], relation: Literal["eq", "ge"] = "eq") -> Outcome:
    """Compare two signed sums of printed amounts under the tolerance policy.

    ``eq``: Σ left = Σ right; ``ge``: Σ left ≥ Σ right. The tolerance is one unit of the coarsest
    printed digit per summed term (terms that are zero or exact do not count).
    """
    terms = [*left, *right]
    unit = common_unit(terms)
    lsum = sum((t.sign * convert(t.value, t.unit, unit) for t in left), ZERO)
    rsum = sum((t.sign * convert(t.value, t.unit, unit) for t in right), ZERO)
    rounded = [t for t in terms if not t.exact and t.value != 0]
    if rounded:
        quantum = max(convert(Decimal(1).scaleb(-t.places), t.unit, unit) for t in rounded)
        tolerance = _per_terms(quantum, len(rounded))
    else:
        tolerance = ZERO
    places = max((t.places + _extra_places(t.unit, unit) for t in terms if not (t.exact and t.value == 0)), default=2)
    diff = lsum - rsum
    if relation == "ge":
        shortfall = -diff if diff < 0 else ZERO
        verdict: Verdict = "ok" if shortfall == 0 else ("rounding" if shortfall <= tolerance else "mismatch")
    else:
        verdict = "ok" if diff == 0 else ("rounding" if abs(diff) <= tolerance else "mismatch")
    return Outcome(verdict, lsum, rsum, diff, tolerance, unit, min(places, 6))


def _per_terms(quantum: Decimal, terms: int) -> Decimal:
    """One quantum per summed term beyond the first (a total and n parts: n quanta), at least one."""
    return quantum * max(1, terms - 1)


def allowance(unit: str, places: int, terms: int) -> Decimal:
    """How far two sums of ``terms`` amounts (all in ``unit``, ``places`` decimals) may differ by rounding alone.

    For checks that hold only the sums (a workbook's totals), not every printed term: the same policy
    as ``compare``, nothing for 元 to the fen.
    """
    if unit == "元" and places >= 2:
        return ZERO
    return _per_terms(Decimal(1).scaleb(-places), terms)


def _extra_places(unit: str, to: str) -> int:
    return 4 if (unit, to) == ("元", "万元") else 0


# --- percentages ------------------------------------------------------------------------------

PercentVerdict = Literal["ok", "truncated", "mismatch", "undefined"]


def percent(numerator: Decimal, denominator: Decimal, places: int) -> Decimal | None:
    """numerator / denominator × 100, rounded half-up to ``places``; None for a zero denominator."""
    if denominator == 0:
        return None
    return (numerator * 100 / denominator).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def check_percent(stated: Decimal, places: int, numerator: Decimal, denominator: Decimal) -> PercentVerdict:
    """A stated percentage against the recomputed one at the printed precision.

    'truncated' when the author cut the digits instead of rounding (8.88 → 8); 'undefined' when the
    base is zero (a growth from nothing or a completion rate without a budget has no percentage).
    """
    computed = percent(numerator, denominator, places)
    if computed is None:
        return "undefined"
    if computed == stated:
        return "ok"
    cut = (numerator * 100 / denominator).quantize(Decimal(1).scaleb(-places), rounding=ROUND_DOWN)
    return "truncated" if cut == stated else "mismatch"
