"""Year-over-year rules: a 决算 against a prior-year 决算 (a synthetic 2019 copy of seed 003)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

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


# --- Y-3: a 决算 against the same year's 预算 (given as --prior) ------------------------------------

Y3 = Path(__file__).resolve().parent / "fixtures" / "rules" / "Y-3"


def _budget(tmp_path: Path, scope: str) -> Path:
    """The Y-3 fixture's 2020 预算 of 峯城区医疗保障局 (行政运行 165.47, 一般行政管理事务 34.00), as a 部门 or 单位 budget."""
    path = tmp_path / f"budget_{scope}.txt"
    path.write_text((Y3 / "prior.txt").read_text(encoding="utf-8").replace("部门预算", f"{scope}预算"), encoding="utf-8")
    return path


def test_y3_compares_the_final_accounts_statements_with_the_budget(tmp_path: Path) -> None:
    """Seed 003 (2020 单位决算) states 年初预算 185.66 for 行政运行 and 44 for 一般行政管理事务, 1795.03 in all."""
    budget = read_disclosure(str(_budget(tmp_path, "单位")))
    found = check_pair(seed("003"), budget)
    assert "Y-0" not in {f.rule for f in found}  # a same-year 预算 is a valid --prior for a 决算
    y3 = sorted((f.location.line, f.expected, f.actual) for f in found if f.rule == "Y-3")
    assert y3 == [(487, "230.04", "1,795.03"), (503, "165.47", "185.66"), (505, "34.00", "44.00")]
    # the 养老保险 项 agrees (20.38 in both): silent; Y-1/Y-2 do not compare a 预算 with a 决算
    assert {f.rule for f in found} == {"Y-3"}


def test_y3_needs_the_same_scope(tmp_path: Path) -> None:
    budget = read_disclosure(str(_budget(tmp_path, "部门")))
    assert [f for f in check_pair(seed("003"), budget) if f.rule == "Y-3"] == []


def test_y3_reads_the_annual_budget_column_of_the_final_table(tmp_path: Path) -> None:
    final = tmp_path / "final.txt"
    final.write_text(
        "## 峯城区医疗保障局2020年度部门决算\n\n## 一般公共预算财政拨款支出决算表\n\n公开05表\n\n金额单位：万元\n\n"
        "| 科目编码 | 科目名称 | 年初预算数 | 全年预算数 | 合计 | 基本支出 | 项目支出 |\n"
        "|------|------|------|------|------|------|------|\n"
        "| | 合计 | 230.04 | 230.04 | 228.36 | 196.04 | 32.32 |\n"
        "| 210 | 卫生健康支出 | 199.47 | 199.47 | 198.36 | 166.04 | 32.32 |\n"
        "| 21015 | 医疗保障管理事务 | 199.47 | 199.47 | 198.36 | 166.04 | 32.32 |\n"
        "| 2101501 | 行政运行 | 175.47 | 175.47 | 166.04 | 166.04 | 0.00 |\n"
        "| 2101502 | 一般行政管理事务 | 24.00 | 24.00 | 32.32 | 0.00 | 32.32 |\n",
        encoding="utf-8",
    )
    found = [f for f in check_pair(read_disclosure(str(final)), read_disclosure(str(Y3 / "prior.txt"))) if f.rule == "Y-3"]
    assert sorted((f.location.row, f.expected, f.actual) for f in found) == [
        ("2101501 行政运行", "165.47", "175.47"),
        ("2101502 一般行政管理事务", "34.00", "24.00"),
    ]


def test_consecutive_budgets_leave_y3_unchecked_with_the_reason() -> None:
    """shpt-wanli 2024 with its 2023 预算: Y-3 does not apply to the pair, and says so in the coverage."""
    from cnbudget.api import check_one, read

    wild = SEED_FILES["000"].parents[1] / "samples" / "wild"
    prior = read(wild / "shpt-wanli-2023-dept-budget.pdf")
    report = check_one(read(wild / "shpt-wanli-2024-dept-budget.pdf"), prior=prior)
    status = {c.rule: c for c in report.coverage}
    assert status["Y-3"].status == "not checked" and "same year" in status["Y-3"].reason
    assert [f for f in report.findings if f.rule.startswith("Y-")] == []


# --- Y-5: a stated change against last year's table ------------------------------------------------


def _wanli() -> tuple[Any, Any]:
    from cnbudget.api import read

    wild = SEED_FILES["000"].parents[1] / "samples" / "wild"
    return read(wild / "shpt-wanli-2024-dept-budget.pdf"), read(wild / "shpt-wanli-2023-dept-budget.pdf")


def test_y5_is_silent_where_wanli_2024_agrees_with_2023() -> None:
    """p.32: 公务用车购置及运行费46.56万元，比2023年预算增加25万元 — the 2023 三公经费表 prints 21.56 (46.56 − 25)."""
    now, before = _wanli()
    assert [f for f in check_pair(now, before) if f.rule.startswith("Y-")] == []


def test_y5_fires_when_last_years_table_differs() -> None:
    """Mutation: the 2023 table's 公务用车购置及运行费 made 20.56; the 2024 sentence on p.32 no longer fits it."""
    now, before = _wanli()
    before = before.model_copy(deep=True)
    b7 = before.table("B7")
    assert b7 is not None
    for row in b7.rows:
        for v in row.values:
            if v.column == "公务用车购置及运行费" and v.amount is not None:
                v.text = "20.56"
                v.amount = v.amount.model_copy(update={"value": v.amount.value - 1, "printed": "20.56"})
    found = [f for f in check_pair(now, before) if f.rule == "Y-5"]
    assert [(f.location.page, f.expected, f.actual) for f in found] == [(32, "20.56", "21.56")]


def test_y3_leaves_an_adjusted_budget_alone(tmp_path: Path) -> None:
    """'全年预算为185.66万元' includes the year's adjustments: it is not the budget's 年初 figure, so not compared."""
    text = (Y3 / "fire.txt").read_text(encoding="utf-8").replace("年初预算为185.66", "全年预算为185.66")
    final = tmp_path / "final.txt"
    final.write_text(text, encoding="utf-8")
    found = check_pair(read_disclosure(str(final)), read_disclosure(str(Y3 / "prior.txt")))
    assert [f for f in found if f.rule == "Y-3"] == []
