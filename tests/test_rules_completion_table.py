"""N-COMPLETION-TABLE (issue 10, family 6): a completion sentence that prints one figure, checked against
the table value the other binds to; a 0 of a 0 budget silent, a 全年 budget never compared with 年初."""

from __future__ import annotations

from pathlib import Path

import pytest

from cnbudget.pipeline import read_disclosure
from cnbudget.rules.completion_table import check_completion_tables
from test_findings_judged import DOCUMENTS, findings

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "rules" / "N-COMPLETION-TABLE" / "silent.txt"
Key = tuple[str, int | None, str, str]


def mutated(tmp_path: Path, old: str, new: str) -> list[Key]:
    text = FIXTURE.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path = tmp_path / "m.txt"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return [(f.severity, f.location.line, f.expected, f.actual) for f in check_completion_tables(read_disclosure(str(path)))]


def test_the_silent_fixture_is_silent_and_its_zero_of_zero_too() -> None:
    """因公出国（境）费 0.00 of the table's 0.00 budget, '完成预算的0%': nothing planned, nothing spent."""
    assert list(check_completion_tables(read_disclosure(str(FIXTURE)))) == []


def test_rate_against_the_tables_budget(tmp_path: Path) -> None:
    assert mutated(tmp_path, "公务接待费支出决算为0.18万元，完成预算的50%", "公务接待费支出决算为0.18万元，完成预算的60%") == [
        ("error", 19, "50.00%", "60%")
    ]


def test_spending_against_a_zero_budget_has_no_rate(tmp_path: Path) -> None:
    found = mutated(tmp_path, "因公出国（境）费决算为0.00万元，完成预算的0%", "因公出国（境）费决算为0.50万元，完成预算的100%")
    assert found == [("error", 19, "无完成率（年初预算为0）", "100%")]


def test_flat_wording_against_the_tables_budget(tmp_path: Path) -> None:
    found = mutated(tmp_path, "公务接待费支出决算为0.18万元，完成预算的50%", "公务接待费支出决算为0.18万元，与年初预算持平")
    assert found == [("error", 19, "小于", "持平")]
    # 公务用车 1.13 of 1.50 said 'roughly flat' is no claim of equality
    assert mutated(tmp_path, "支出决算为1.13万元，完成预算的75.33%", "支出决算为1.13万元，与年初预算基本持平") == []


def test_a_full_year_budget_is_not_the_tables_initial_one(tmp_path: Path) -> None:
    assert mutated(tmp_path, "公务接待费支出决算为0.18万元，完成预算的50%", "公务接待费支出决算为0.18万元，完成全年预算的60%") == []


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_silent_on_every_shared_document(name: str) -> None:
    """The shared documents' one-figure completion sentences (putuo-finance p.23: 因公出国 0.00, 完成预算的0% of an
    unprinted budget; 公务接待费 0.00 of 0.95, 0%) are right or cannot be bound: nothing fires."""
    assert [f for f in findings(name) if f.rule == "N-COMPLETION-TABLE"] == []
