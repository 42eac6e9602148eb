"""Rules that tie narrative figures and performance forms together: silent on the seeds (where they
hold), firing on one-place mutations."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from cnbudget.pipeline import read_disclosure
from cnbudget.rules.narrative import check_procurement, check_vehicles
from cnbudget.rules.performance_score import check_overall_target
from conftest import SEED_FILES, seed

CHECKS = (check_procurement, check_vehicles, check_overall_target)


@pytest.mark.parametrize("name", ["000", "001", "002", "003", "004"])
def test_silent_on_the_seeds(name: str) -> None:
    assert [f for check in CHECKS for f in check(seed(name))] == []


def _mutated(tmp_path: Path, name: str, old: str, new: str) -> list[tuple[str, str, str, str]]:
    text = SEED_FILES[name].read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path = tmp_path / "m.txt"
    path.write_text(text.replace(old, new), encoding="utf-8")
    d = read_disclosure(str(path))
    return [(f.rule, f.severity, f.expected, f.actual) for check in CHECKS for f in check(d)]


def test_procurement_parts_must_add_up(tmp_path: Path) -> None:
    assert _mutated(tmp_path, "001", "政府采购服务预算9.5万元", "政府采购服务预算19.5万元") == [
        ("N-PROCUREMENT", "error", "209.1", "199.1")
    ]


def test_running_costs_without_a_vehicle(tmp_path: Path) -> None:
    assert _mutated(tmp_path, "003", "保有量为1辆", "保有量为0辆") == [("N-VEHICLES", "error", "≥ 1", "0")]


def test_overall_target_form_against_the_budget_tables(tmp_path: Path) -> None:
    found = _mutated(tmp_path, "002", "| | (2) 项目支出 | | 1,885.44 | |", "| | (2) 项目支出 | | 1,985.44 | |")
    assert ("P-OVERALL", "error", "1,885.44", "1,985.44") in found


def test_overall_target_other_spending_counts_in_the_structure() -> None:
    """资金结构 （3）其他支出 (printed when the budget has 上缴上级 / 经营 / 对附属单位补助支出) is part of
    the sum that must give the 部门预算总额."""
    d = seed("002").model_copy(deep=True)
    form = next(f for f in d.performance if f.kind == "overall_target")
    basic = form.amounts["基本支出"]
    form.amounts["基本支出"] = basic.model_copy(update={"printed": "574.50", "value": Decimal("574.50")})
    without = [(f.expected, f.actual) for f in check_overall_target(d)]
    assert ("2,469.94", "2459.94") in without  # 574.50 + 1,885.44 ≠ 2,469.94
    form.amounts["其他支出"] = basic.model_copy(update={"printed": "10.00", "value": Decimal("10.00")})
    found = [(f.expected, f.actual) for f in check_overall_target(d)]
    assert found == [("584.50", "574.50")]  # the sum holds; only the 基本支出 of the 支出总表 differs
