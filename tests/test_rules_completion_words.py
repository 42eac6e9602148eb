"""Completion sentences (issue 10, family 6): a 0 of a 0 budget is silent; '等于/持平' must be true of the figures,
'基本持平' is no claim of equality."""

from __future__ import annotations

from pathlib import Path

from cnbudget.model import Disclosure
from cnbudget.pipeline import read_disclosure
from cnbudget.rules.narrative import check_completion
from conftest import SEED_FILES, pdf, seed

Key = tuple[str, str, int | None, str, str]


def completion(d: Disclosure) -> list[Key]:
    return sorted((f.rule, f.severity, f.location.line, f.expected, f.actual) for f in check_completion(d))


def mutated(tmp_path: Path, old: str, new: str) -> list[Key]:
    text = SEED_FILES["003"].read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path = tmp_path / "mutated.txt"
    path.write_text(text.replace(old, new), encoding="utf-8")
    base = set(completion(seed("003")))
    return [k for k in completion(read_disclosure(str(path))) if k not in base]


def test_zero_of_a_zero_budget_is_silent() -> None:
    """Seed 004 prints '年初预算为 0 万元，支出决算为 0 万元，完成年初预算的 0%' for the 三公 lines and 政府性基金."""
    assert completion(seed("004")) == []


def test_a_zero_budget_with_spending_still_has_no_rate(tmp_path: Path) -> None:
    found = mutated(tmp_path, "年初预算为0万元，支出决算为5.2万元，决算数大于", "年初预算为0万元，支出决算为5.2万元，完成年初预算的100%。决算数大于")
    assert found == [("N-COMPLETION", "error", 495, "无完成率（年初预算为0）", "100%")]


def test_equal_wording_against_different_figures(tmp_path: Path) -> None:
    found = mutated(tmp_path, "决算数大于年初预算数主要原因是决算数包含上级资金", "决算数等于年初预算数主要原因是决算数包含上级资金")
    assert found == [("N-COMPLETION", "error", 499, "大于", "持平")]


def test_roughly_flat_is_no_claim(tmp_path: Path) -> None:
    found = mutated(tmp_path, "决算数大于年初预算数主要原因是决算数包含上级资金", "决算数与年初预算数基本持平，主要原因是决算数包含上级资金")
    assert found == []


def test_flat_sentences_with_equal_figures_stay_silent() -> None:
    """The planning bureau's '决算数同预算数持平' items (28.11 / 28.11, 45.00 / 45.00 …) are true."""
    assert completion(pdf("planning")) == []
