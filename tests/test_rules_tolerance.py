"""The one tolerance policy: rounding is info (尾数差异), 元 to the fen is exact, units convert first."""

from __future__ import annotations

from decimal import Decimal

from cnbudget.model import Amount
from cnbudget.rules.tolerance import Term, check_percent, compare, convert, fmt_amount, percent


def wan(text: str) -> Term:
    value = Decimal(text.replace(",", ""))
    places = len(text.split(".")[1]) if "." in text else 0
    return Term.of(Amount(printed=text, value=value, unit="万元", places=places))


def yuan(text: str) -> Term:
    value = Decimal(text.replace(",", ""))
    places = len(text.split(".")[1]) if "." in text else 0
    return Term.of(Amount(printed=text, value=value, unit="元", places=places))


def test_equal_sums_are_ok() -> None:
    assert compare([wan("222.30")], [wan("216.34"), wan("5.96")]).verdict == "ok"


def test_one_cent_per_term_is_rounding_not_error() -> None:
    # seed 003 支出决算表 合计 row: 1,639.35 printed, 222.30 + 1,417.06 = 1,639.36
    outcome = compare([wan("1,639.35")], [wan("222.30"), wan("1,417.06")])
    assert outcome.verdict == "rounding"
    assert outcome.diff_text == "0.01"
    assert outcome.tolerance == Decimal("0.02")


def test_more_than_rounding_is_a_mismatch() -> None:
    outcome = compare([wan("2,444.50")], [wan("2,395.50")])
    assert outcome.verdict == "mismatch"
    assert outcome.diff_text == "49.00"


def test_tolerance_grows_with_the_number_of_terms() -> None:
    parts = [wan("1.00")] * 5
    assert compare([wan("5.04")], parts).verdict == "rounding"
    assert compare([wan("5.06")], parts).verdict == "mismatch"


def test_one_decimal_tables_tolerate_one_tenth_per_term() -> None:
    assert compare([wan("7,764.9")], [wan("3,107.2"), wan("4,657.8")]).verdict == "rounding"


def test_yuan_to_the_fen_is_exact() -> None:
    assert compare([yuan("6,236,581.78")], [yuan("5,036,581.78"), yuan("1,200,000.00")]).verdict == "ok"
    assert compare([yuan("6,236,581.78")], [yuan("5,036,581.77"), yuan("1,200,000.00")]).verdict == "mismatch"


def test_units_are_converted_before_comparing() -> None:
    assert convert(Decimal("6236581.78"), "元", "万元") == Decimal("623.658178")
    outcome = compare([wan("623.66")], [yuan("6,236,581.78")])
    assert outcome.unit == "万元"
    assert outcome.verdict == "rounding"  # 623.658178 printed as 623.66
    assert compare([wan("623.70")], [yuan("6,236,581.78")]).verdict == "mismatch"


def test_blank_cells_add_nothing_and_carry_no_rounding() -> None:
    assert compare([wan("49.00")], [wan("49.00"), Term.blank("万元")]).verdict == "ok"
    assert compare([wan("0.00")], [Term.blank("万元")]).tolerance == 0


def test_greater_or_equal() -> None:
    assert compare([wan("101.44")], [wan("55.00")], "ge").verdict == "ok"
    assert compare([wan("0.00")], [wan("25.44")], "ge").verdict == "mismatch"
    assert compare([wan("76.53")], [wan("76.54")], "ge").verdict == "rounding"


def test_negative_terms() -> None:
    # 年初 + 收入 − 支出 = 年末 (seed 003 政府性基金: 41.28 + 35.26 − 76.53 = 0.01, printed 0.00)
    end = [wan("0.00")]
    flows = [wan("41.28"), wan("35.26"), Term.of(Amount(printed="76.53", value=Decimal("76.53"), unit="万元", places=2), -1)]
    assert compare(end, flows).verdict == "rounding"


def test_percentages_are_recomputed_half_up_at_the_printed_precision() -> None:
    assert percent(Decimal("3107.2"), Decimal("7764.9"), 2) == Decimal("40.02")
    assert percent(Decimal(1), Decimal(8), 2) == Decimal("12.50")
    assert percent(Decimal(1), Decimal(0), 2) is None
    assert check_percent(Decimal("40.02"), 2, Decimal("3107.2"), Decimal("7764.9")) == "ok"
    assert check_percent(Decimal("8"), 0, Decimal("8.88"), Decimal("100")) == "truncated"
    assert check_percent(Decimal("96.3"), 1, Decimal("1885.44"), Decimal("2469.94")) == "mismatch"
    assert check_percent(Decimal("100"), 0, Decimal("5"), Decimal("0")) == "undefined"


def test_amounts_print_like_the_documents() -> None:
    assert fmt_amount(Decimal("2395.5"), 2) == "2,395.50"
    assert fmt_amount(Decimal("0.005"), 2) == "0.01"


def test_allowance_is_the_policy_of_compare_for_sums_only() -> None:
    from decimal import Decimal as Dec

    from cnbudget.rules.tolerance import allowance

    # a total and three parts printed to 0.01 万元: three quanta, as compare() allows for the same four terms
    terms = [Term(Dec("10.00"), "万元", 2), Term(Dec("3.33"), "万元", 2), Term(Dec("3.33"), "万元", 2), Term(Dec("3.33"), "万元", 2)]
    assert allowance("万元", 2, 4) == compare(terms[:1], terms[1:]).tolerance == Dec("0.03")
    assert allowance("万元", 2, 1) == Dec("0.01")
    assert allowance("元", 2, 10) == 0  # 元 to the fen is exact
