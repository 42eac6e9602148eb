"""Mutation tests over the whole rule set: change a correct document in one place, and the right
rule fires at the right place — and nothing else new fires."""

from __future__ import annotations

from pathlib import Path

from cnbudget.pipeline import read_disclosure
from cnbudget.rules.registry import run
from conftest import SEED_FILES, seed

Key = tuple[str, str, int | None, str]


def errors(path: str | None = None) -> set[Key]:
    d = seed("003") if path is None else read_disclosure(path)
    return {(f.rule, f.location.table, f.location.line, f.location.row) for f in run(d) if f.severity == "error"}


def mutate(tmp_path: Path, old: str, new: str) -> set[Key]:
    text = SEED_FILES["003"].read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path = tmp_path / "mutated.txt"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return errors(str(path)) - errors()


def test_drop_one_row_breaks_the_code_tree(tmp_path: Path) -> None:
    """Dropping 2101504 信息化建设 from the 一般公共预算财政拨款支出决算表: its 款 21015 no longer
    adds up, and 支出决算表 now has a 项 the 财政拨款 table lacks."""
    new = mutate(tmp_path, "2101504\t信息化建设\t8.00\t0.00\t8.00\n", "")
    rules = {rule for rule, *_ in new}
    assert "B3-4" in rules
    assert all(table in ("F5 一般公共预算支出表", "") for _, table, _, _ in new if _ != "B3-4"), new
    assert any(row.startswith("21015") for rule, _, _, row in new if rule == "B3-4")


def test_change_one_number_in_a_table(tmp_path: Path) -> None:
    new = mutate(tmp_path, "2101502\t一般行政管理事务\t34.48\t0.00\t34.48\n", "2101502\t一般行政管理事务\t34.48\t0.00\t43.48\n")
    assert new == {
        ("F5-1", "F5 一般公共预算支出表", 292, "2101502 一般行政管理事务"),  # 小计 ≠ 基本 + 项目 in the row
        ("B3-4", "F5 一般公共预算支出表", 290, "21015 医疗保障管理事务"),  # its 款 no longer adds up
    }
