"""Narrative rules on the real documents: the mistakes they print fire, correct sentences stay silent;
and mutations of a correct sentence make the right rule fire at the right line."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from cnbudget.model import Disclosure
from cnbudget.pipeline import read_disclosure
from cnbudget.rules.findings import Finding
from cnbudget.rules.narrative import RULES
from conftest import PDFS, SEED_FILES, seed


def narrative_findings(d: Disclosure) -> list[Finding]:
    return [f for r in RULES for f in r.check(d)]


def summary(findings: list[Finding]) -> list[tuple[str, str, int | None, str, str]]:
    return sorted((f.rule, f.severity, f.location.line, f.expected, f.actual) for f in findings)


def test_seed001_growth_from_zero_base() -> None:
    assert summary(narrative_findings(seed("001"))) == [
        ("N-CLASS-NAME", "info", 74, "卫生健康支出", "医疗卫生与计划生育"),
        ("N-ZERO-BASE", "error", 88, "新增（无增长率）", "100%"),
    ]


def test_seed002_growth_shares_and_table_mismatches() -> None:
    assert summary(narrative_findings(seed("002"))) == [
        ("N-ADMIN-COST", "warning", 130, "≤ 24.50", "76.33"),
        ("N-GROWTH", "error", 86, "17.09%", "8%"),
        ("N-GROWTH", "error", 86, "17.09%", "8%"),
        ("N-GROWTH", "error", 98, "17.09%", "8%"),
        ("N-SHARE", "error", 94, "100%", "120.00%"),
        ("N-SHARE", "error", 94, "23.66%", "23.70%"),
        ("N-SHARE", "error", 94, "76.34%", "96.3%"),
        ("N-TABLE", "error", 98, "2,444.50", "2469.94"),
        ("N-ZERO-BASE", "warning", 100, "持平（不表述增长率）", "0%"),
    ]


def test_seed003_only_the_overall_budget_that_includes_the_fund() -> None:
    """Every growth rate, share, completion rate and table figure of seed 003 is right, except the
    overall 年初预算 1,795.03, which adds the 政府性基金 项's 350 to the 1,445.03 listed."""
    assert summary(narrative_findings(seed("003"))) == [("N-COMPLETION-SUM", "error", 487, "1445.03", "1795.03")]


def test_seed004_truncated_rates_zero_budgets_and_budget_sum() -> None:
    """The five '年初预算为0万元，支出决算为0万元，完成年初预算的0%' sentences (三公 lines 2560–2591, 政府性基金 2726)
    are a 0 of a 0 budget: nothing planned, nothing spent — silent, not an error (issue 10, family 6)."""
    counts = Counter((f.rule, f.severity) for f in narrative_findings(seed("004")))
    assert counts == {
        ("N-GROWTH", "warning"): 3,
        ("N-COMPLETION-SUM", "error"): 1,
    }


def test_pdf_finance_share_and_zero_total() -> None:
    found = summary(narrative_findings(read_disclosure(str(PDFS / "putuo-finance-bureau-2024-final.pdf"))))
    assert ("N-SHARE", "error", 24, "71.65%", "71.73%") in found
    assert sum(1 for f in found if f[0] == "N-TABLE" and f[4] == "0.3") == 1
    assert len(found) == 2


def test_pdf_planning_basic_spending_taken_from_the_wrong_table() -> None:
    found = summary(narrative_findings(read_disclosure(str(PDFS / "putuo-planning-resources-2024-final.pdf"))))
    assert found == [
        ("N-TABLE", "error", 14, "5,364.75", "5377.64"),
        ("N-TABLE", "error", 15, "4,884.09", "4896.98"),
        ("N-TABLE", "info", 10, "236.64", "236.63"),
    ] or sorted(found) == sorted([
        ("N-TABLE", "error", 14, "5,364.75", "5377.64"),
        ("N-TABLE", "error", 15, "4,884.09", "4896.98"),
        ("N-TABLE", "info", 10, "236.64", "236.63"),
    ])


def test_template_has_no_narrative_figures_to_check() -> None:
    assert narrative_findings(read_disclosure(str(PDFS / "shanghai-final-accounts-template-2024.pdf"))) == []


# --- mutations of a correct document (seed 003) ---------------------------------------------------


def _mutated(tmp_path: Path, old: str, new: str) -> Disclosure:
    text = SEED_FILES["003"].read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path = tmp_path / "mutated.txt"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return read_disclosure(str(path))


def _new(tmp_path: Path, old: str, new: str) -> list[tuple[str, str, int | None, str, str]]:
    base = set(summary(narrative_findings(seed("003"))))
    return [f for f in summary(narrative_findings(_mutated(tmp_path, old, new))) if f not in base]


def test_mutation_growth_rate(tmp_path: Path) -> None:
    assert _new(tmp_path, "增加100.2万元，增长82.06%", "增加100.2万元，增长28.06%") == [("N-GROWTH", "error", 448, "82.06%", "28.06%")]


def test_mutation_share(tmp_path: Path) -> None:
    found = _new(tmp_path, "基本支出222.3万元，占13.56%", "基本支出222.3万元，占15.56%")
    assert ("N-SHARE", "error", 440, "13.56%", "15.56%") in found


def test_mutation_completion_rate(tmp_path: Path) -> None:
    assert _new(tmp_path, "完成年初预算的111.65%", "完成年初预算的101.65%") == [("N-COMPLETION", "error", 499, "111.65%", "101.65%")]


def test_mutation_comparison_word_in_the_next_sentence(tmp_path: Path) -> None:
    found = _new(tmp_path, "决算数大于年初预算数主要原因是决算数包含上级资金", "决算数小于年初预算数主要原因是决算数包含上级资金")
    assert found == [("N-COMPLETION", "error", 499, "大于", "小于")]


def test_mutation_direction_word(tmp_path: Path) -> None:
    found = _new(tmp_path, "与2019年度相比，增加1,351.49万元，增长540.62%", "与2019年度相比，减少1,351.49万元，增长540.62%")
    assert found == [("N-GROWTH", "error", 423, "45.77%", "540.62%")]


def test_mutation_figure_against_table(tmp_path: Path) -> None:
    found = _new(tmp_path, "人员经费216.34万元", "人员经费261.34万元")
    assert found == [("N-TABLE", "error", 515, "216.34", "261.34")]
