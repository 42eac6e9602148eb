"""Performance rules on the real documents, and mutations of seed 003's correct self-evaluations."""

from __future__ import annotations

from pathlib import Path

from cnbudget.api import check_one
from cnbudget.model import Disclosure, Grid, Line, Meta
from cnbudget.pipeline import read_disclosure
from cnbudget.recognize.performance import read_form
from cnbudget.rules.context import CheckContext
from cnbudget.rules.findings import Finding
from cnbudget.rules.performance_score import RULES, grade_of
from cnbudget.rules.registry import Config
from cnbudget.rules.self_eval_forms import check_total_cap
from conftest import PDFS, SEED_FILES, seed


def found(d: Disclosure) -> list[tuple[str, str, int | None, str, str]]:
    findings: list[Finding] = [f for r in RULES for f in (r.check(CheckContext(d, Config())) if r.contextual else r.check(d))]
    return sorted((f.rule, f.severity, f.location.line, f.expected, f.actual) for f in findings)


def test_seed000_cost_target_above_project_money() -> None:
    assert found(seed("000")) == [("P-COST-TARGET", "error", 410, "≤ 90.00万元", "<=100万")]


def test_seed001_coverage_of_project_spending() -> None:
    assert found(seed("001")) == [("P-COVERAGE", "info", 157, "4657.7万元", "4543.50万元")]


def test_seed002_project_listed_twice() -> None:
    assert found(seed("002")) == [
        ("P-COVERAGE", "warning", 248, "≤ 1885.44万元", "1904.44万元"),
        ("P-DUPLICATE", "error", 560, "one entry", "two entries"),
    ]


def test_seed003_scores_all_recompute_except_a_cost_overrun_with_full_marks() -> None:
    """14.6 = 73/75×15 and 14.11 = 361741/384633×15 are right; 劳务费's 7.22 from 4.9 (printed to
    one decimal) ÷ 6.8 is within rounding; only the 11.93万 spent on a 10万 cost target kept 10 points."""
    assert found(seed("003")) == [("P-COST-OVERRUN", "warning", 963, "8.38", "10")]


def test_seed004_score_and_coverage_stated_in_the_narrative() -> None:
    """The narrative gives 城乡居民医保区级配套 99 where its form prints 97, and calls the 105.3万元 of
    self-evaluated projects 8% of a 项目支出 that is itself 105.3万元."""
    assert found(seed("004")) == [
        ("P-NARRATIVE", "error", 2632, "97", "99"),
        ("P-SELF-EVAL", "error", 2626, "100.00%", "8%"),
    ]


def test_seed004_scrambled_totals_above_what_the_form_allows() -> None:
    """Seed 004's 自评表 survive as scrambled text: most indicator rows cannot be read, but '10 S项目资金'
    (execution weight and score), '100 T' before 总分 and the rows printed whole on one line can. 慢性病专家鉴定费
    scored execution 3 (0.48 of 2万元 spent) and lost 1 point on each of two rows ('100% 明显 2 1', '100% 明显
    3 1', l.752/763), so it prints 94 > 3 + 90 − 3; 欺诈骗取…专项 0 (决算数 0), one row 2 → 1 (l.1568): 99 > 89;
    北关区政府扶贫防贫保障 7 (68%), one row 2 → 1 (l.1824): 99 > 96. 城乡居民医保区级配套 (9 + 90 ≥ 97) and the
    full-execution forms (10 + 90 − 1 ≥ 99) stay silent."""
    cap = [(f.rule, f.location.line, f.expected, f.actual) for f in check_total_cap(seed("004"))]
    assert cap == [("P-TOTAL-CAP", 568, "≤ 90", "94"), ("P-TOTAL-CAP", 1388, "≤ 89", "99"), ("P-TOTAL-CAP", 1655, "≤ 96", "99")]


def test_seed004_mutation_of_the_execution_score(tmp_path: Path) -> None:
    """A full execution score (10 of 10) allows 北关区政府扶贫防贫保障's 99 (10 + 90 − 1): that finding goes, the
    others stay; 慢性病专家鉴定费's score lowered to 2 moves its bound to 89 (2 + 90 − 3)."""
    text = SEED_FILES["004"].read_text(encoding="utf-8")
    assert text.count("10 7项目资金") == 1 and text.count("10 3项目资金") == 1
    path = tmp_path / "m.txt"
    path.write_text(text.replace("10 7项目资金", "10 10项目资金").replace("10 3项目资金", "10 2项目资金"), encoding="utf-8")
    cap = [(f.location.line, f.expected, f.actual) for f in check_total_cap(read_disclosure(str(path)))]
    assert cap == [(568, "≤ 89", "94"), (1388, "≤ 89", "99")]


def test_seed004_weights_that_do_not_add_up_leave_the_execution_unread(tmp_path: Path) -> None:
    """The glued '10 7' is kept only while 10 + the level-1 weights (50 + 30 + 10) is the 总分's 100: a form
    printing '20 分' for its 效益指标 no longer agrees, so its execution figures are not used and it is silent."""
    text = SEED_FILES["004"].read_text(encoding="utf-8")
    at = text.index("10 7项目资金")
    end = text.index("总分", at)
    assert text[at:end].count("30 分") == 1
    path = tmp_path / "m.txt"
    path.write_text(text[:at] + text[at:end].replace("30 分", "20 分") + text[end:], encoding="utf-8")
    d = read_disclosure(str(path))
    [form] = [f for f in d.performance if f.name == "北关区政府扶贫防贫保障"]
    assert form.execution_score is None and any("add up" in u for u in form.unreadable)
    assert [f.location.line for f in check_total_cap(d)] == [568, 1388]


def test_seed004_total_not_recomputed_is_said_in_the_coverage() -> None:
    report = check_one(seed("004"))
    [total] = [c for c in report.coverage if c.rule == "P-TOTAL"]
    assert total.status == "not checked" and "8" in total.reason and "慢性病专家鉴定费" in total.reason
    [seed3] = [c for c in check_one(seed("003")).coverage if c.rule == "P-TOTAL"]
    assert (seed3.status, seed3.reason) == ("ran", "")  # seed 003's forms are read in full


def test_pdfs_have_no_forms_to_score() -> None:
    for name in ("putuo-finance-bureau-2024-final.pdf", "shanghai-final-accounts-template-2024.pdf"):
        assert found(read_disclosure(str(PDFS / name))) == []


def test_grade_bands() -> None:
    from decimal import Decimal

    assert [grade_of(Decimal(x)) for x in ("100", "90", "89.99", "80", "79.5", "60", "59.99")] == ["优", "优", "良", "良", "中", "中", "差"]


def _mutated(tmp_path: Path, old: str, new: str) -> list[tuple[str, str, int | None, str, str]]:
    text = SEED_FILES["003"].read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path = tmp_path / "m.txt"
    path.write_text(text.replace(old, new), encoding="utf-8")
    base = set(found(seed("003")))
    return [f for f in found(read_disclosure(str(path))) if f not in base]


def test_mutation_execution_score(tmp_path: Path) -> None:
    assert _mutated(tmp_path, "年度资金总额\t5\t5\t4.97\t10\t99.40%\t9.94", "年度资金总额\t5\t5\t4.97\t10\t99.40%\t9.49") == [
        ("P-EXEC", "error", 881, "9.94", "9.49"),
        ("P-TOTAL", "error", 881, "99.49", "99.94"),
    ]


def test_mutation_item_above_weight(tmp_path: Path) -> None:
    found_now = _mutated(tmp_path, "伤残军人人数\t75人\t73人\t15\t14.6", "伤残军人人数\t75人\t73人\t15\t15.6")
    assert found_now == [("P-ITEM", "error", 868, "≤ 15", "15.6"), ("P-TOTAL", "error", 858, "100.60", "99.60")]


def test_mutation_quantitative_score(tmp_path: Path) -> None:
    found_now = _mutated(tmp_path, "伤残军人人数\t75人\t73人\t15\t14.6", "伤残军人人数\t75人\t73人\t15\t13.6")
    assert found_now == [("P-ITEM", "error", 868, "14.60", "13.6"), ("P-TOTAL", "error", 858, "98.60", "99.60")]


def test_mutation_self_evaluation_count(tmp_path: Path) -> None:
    assert _mutated(tmp_path, "涵盖项目13个", "涵盖项目12个") == [("P-SELF-EVAL", "error", 571, "13", "12")]


def test_mutation_summary_score(tmp_path: Path) -> None:
    assert _mutated(tmp_path, "6\t金保系统专网维护费\t99.94\t优", "6\t金保系统专网维护费\t99.49\t优") == [
        ("P-SUMMARY", "error", 652, "99.94", "99.49"),
    ]


def test_seed004_execution_scores_rounded_up_are_accepted_from_the_printed_rate() -> None:
    """Seed 004's amounts cannot be tied, but each form's 执行率 can ('24%', '85%', '68%' alone in the funds
    block): P-EXEC sees all eight forms and accepts their scores, rounded up to whole points (24% → 2.4 → 3,
    85% → 9, 68% → 7; specs/performance.json ``execution_score_rounding``)."""
    d = seed("004")
    scored = [(f.execution_rate_printed, f.execution_score) for f in d.performance if f.kind == "project_self_eval"]
    assert [r for r, s in scored if r and s is not None] == ["24%", "85%", "100%", "0", "68%", "100%", "100%"]
    assert [f for f in found(d) if f[0] == "P-EXEC"] == []


def test_seed004_mutation_execution_score_neither_rounding_gives(tmp_path: Path) -> None:
    """慢性病专家鉴定费: 24% of 10 is 2.4 — 2 half-up, 3 rounded up; a printed 5 is neither, and fires at the form."""
    text = SEED_FILES["004"].read_text(encoding="utf-8")
    path = tmp_path / "m.txt"
    path.write_text(text.replace("10 3项目资金", "10 5项目资金"), encoding="utf-8")
    got = [f for f in found(read_disclosure(str(path))) if f[0] == "P-EXEC"]
    assert got == [("P-EXEC", "error", 568, "2 / 3", "5")]
    path.write_text(text.replace("10 3项目资金", "10 2项目资金"), encoding="utf-8")  # half-up: accepted too
    assert [f for f in found(read_disclosure(str(path))) if f[0] == "P-EXEC"] == []


def test_mutation_execution_score_rounded_up_is_accepted(tmp_path: Path) -> None:
    """Seed 003 rounds half-up to two places (4.97 of 5 → 9.94). 4.97 is itself rounded (4.965–4.975), so up
    to 9.95 is accepted by either rounding; 9.96 by neither."""
    row = "年度资金总额\t5\t5\t4.97\t10\t99.40%\t9.94"
    assert [f[0] for f in _mutated(tmp_path, row, row.replace("9.94", "9.95")) if f[0] == "P-EXEC"] == []
    assert [f[:2] for f in _mutated(tmp_path, row, row.replace("9.94", "9.96")) if f[0] == "P-EXEC"] == [("P-EXEC", "error")]


def _scrambled(total: str, rows: list[str]) -> Disclosure:
    """A self-evaluation printed as scrambled text, one paragraph per line: '10 8项目资金', numbered names, rows."""
    texts = ["项目名称", "某项目", "年初预算数 全年预算数 分值 执行率", "80%", "10 8项目资金", "一级指标 三级指标 指标值"]
    for n, row in enumerate(rows, 1):
        texts += [f"指标 {n}：第{n}项", row]
    texts += [total, "总分"]
    blocks: list[Line | Grid] = [Line(t, 1, 2 * n) for n, t in enumerate(texts, 1)]
    form = read_form("project_self_eval", "项目支出绩效自评表", blocks, "x.txt")
    return Disclosure(meta=Meta(kind="决算"), performance=[form], source="x.txt", format="text")


def test_scrambled_form_whose_rows_are_all_read_is_recomputed() -> None:
    """Every numbered indicator read whole, weighing the 90 the indicators weigh: the total is recomputed even
    though no row's name is tied (8 + 50 + 38 = 96)."""
    rows = ["3100人 完成 50 50", "100% 明显 40 38 指标若不能定量"]
    assert [f[:2] + f[3:] for f in found(_scrambled("100 97", rows)) if f[0] == "P-TOTAL"] == [("P-TOTAL", "error", "96", "97")]
    assert [f for f in found(_scrambled("100 96", rows)) if f[0] in ("P-TOTAL", "P-TOTAL-CAP", "P-EXEC")] == []
    # one row short of the 3 printed names: not recomputed, only bounded (8 + 90 − 2 = 96)
    partial = _scrambled("100 97", [*rows[:1], "送达 及时", rows[1]])
    assert [f[0] for f in found(partial) if f[0] == "P-TOTAL"] == []
    assert [(f.expected, f.actual) for f in check_total_cap(partial)] == [("≤ 96", "97")]


def test_seed004_mutation_of_a_row_read_whole(tmp_path: Path) -> None:
    """城乡居民医疗救助托管费 (execution 10, one row read whole losing 1 point, 总分 99) is silent; its row
    '3100人 完成 5 5' (l.1197) scored 3 instead leaves the indicators at most 90 − 3, so 99 > 97 fires at the form
    (l.1125) and names both rows that lost points."""
    text = SEED_FILES["004"].read_text(encoding="utf-8")
    old = "3100人 完成 5 5指标 1：医疗救助保障"
    assert text.count(old) == 1
    path = tmp_path / "m.txt"
    path.write_text(text.replace(old, "3100人 完成 5 3指标 1：医疗救助保障"), encoding="utf-8")
    cap = [f for f in check_total_cap(read_disclosure(str(path))) if f.location.line == 1125]
    assert [(f.expected, f.actual) for f in cap] == [("≤ 97", "99")]
    assert "1197, 1296" in cap[0].message
