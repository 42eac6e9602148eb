"""Year-over-year rules: a 决算 against a prior-year 决算 (a synthetic 2019 copy of seed 003)."""

from __future__ import annotations

from pathlib import Path

from cnbudget.pipeline import read_disclosure
from cnbudget.rules.year_over_year import check_pair
from conftest import SEED_FILES, seed


def _prior(tmp_path: Path, closing: str, total: str = "1,654.71") -> Path:
    """Seed 003 relabelled as 2019, with its 年末结转和结余 (F1 line 60 and F4) set to ``closing``."""
    text = SEED_FILES["003"].read_text(encoding="utf-8")
    text = text.replace("2020年度\n", "2019年度\n", 1)
    text = text.replace("年末结转和结余\t60\t15.35", f"年末结转和结余\t60\t{closing}", 1)
    text = text.replace("年末财政拨款结转和结余\t60\t15.35", f"年末财政拨款结转和结余\t60\t{closing}", 1)
    path = tmp_path / "prior_2019.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_carry_over_matches_silently(tmp_path: Path) -> None:
    prior = read_disclosure(str(_prior(tmp_path, "53.23")))
    assert prior.meta.year == 2019
    assert [f.rule for f in check_pair(seed("003"), prior) if f.rule == "Y-1"] == []


def test_carry_over_mismatch_fires_on_both_tables(tmp_path: Path) -> None:
    prior = read_disclosure(str(_prior(tmp_path, "50.00")))
    found = sorted((f.rule, f.location.table, f.expected, f.actual) for f in check_pair(seed("003"), prior) if f.rule == "Y-1")
    assert found == [
        ("Y-1", "F1 收支总表", "50.00", "53.23"),
        ("Y-1", "F4 财政拨款收支总表", "50.00", "53.23"),
    ]


def test_stated_prior_amounts(tmp_path: Path) -> None:
    """Seed 003 says 基本支出 222.3 is 100.2 more than 2019: the 2019 document must state 122.1."""
    prior = read_disclosure(str(_prior(tmp_path, "53.23")))
    found = {(f.rule, f.expected, f.actual) for f in check_pair(seed("003"), prior) if f.rule == "Y-2"}
    assert ("Y-2", "222.3", "122.10") in found  # the synthetic prior states this year's 222.3


def test_not_consecutive_years_are_skipped_with_a_reason() -> None:
    found = check_pair(seed("003"), seed("003"))
    assert [(f.rule, f.severity) for f in found] == [("Y-0", "warning")]
    assert "not 2019" in found[0].message
