"""Text hygiene (issue 10, family 4) on the real documents: each defect found is on the page, checked by
eye against the rendered page; every other document stays silent. Mutations of a correct seed fire the
one rule the slip is about, at its line."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from cnbudget.model import Disclosure
from cnbudget.pipeline import read_disclosure
from cnbudget.rules import hygiene
from cnbudget.rules.findings import Finding
from conftest import SEED_FILES, SHARED, pdf, seed

WILD = SHARED / "samples" / "wild"
HYGIENE = {r.id for r in hygiene.RULES}

Key = tuple[str, int | None, int | None]


@cache
def wild(name: str) -> Disclosure:
    return read_disclosure(str(WILD / name), ocr=False)


def found(d: Disclosure) -> list[Finding]:
    return [f for r in hygiene.RULES for f in r.check(d)]


def keys(d: Disclosure) -> set[Key]:
    return {(f.rule, f.location.page, f.location.line) for f in found(d)}


# What each shared document holds, verified against the page (rendered with pdftoppm, or the seed's line).
EXPECTED: dict[str, set[Key]] = {
    # 名词解释 "一、财政拨款收入：是指市级财政当年拨付的资金" has no full stop; 二、 … 八、 all have one
    "seed:001": {("H-STOP", None, 126)},
    "seed:000": set(),
    "seed:002": set(),
    "seed:003": set(),
    # 主要职能 （五）… "信息发布制度" with no stop before （六）; the template's guidance
    # "（主要围绕部门绩效目标设定、事前评估、事中监控、事后评价、结果运用过程中采取的措施和方法论述）" printed as is
    "seed:004": {("H-STOP", None, 22), ("H-TEMPLATE", None, 2621)},
    "pdf:finance": set(),
    # p5 "7.负责建设工程项目规划土地管理相关工作，…实行跟踪监督" with no stop before "8."; p26–27 "平均得分99.33分（其中，
    # 绩效评级为“优”的项目39个；…“不合格”的项目0个。" — the bracket is never closed
    "pdf:planning": {("H-STOP", 5, 5), ("H-PAIR", 26, 18)},
    # an unfilled template (上海市XX局) is all template: only C004 reports it, though its p22 名词解释 keeps the
    # guidance '（无事业收入的单位保留事业收入的名词解释，但不列举主要内容，以下同）' (see the test below)
    "pdf:template": set(),
    # p12–13: "（按“部门预算公开06表财政拨款基本支出预算表”中实际发生经济分类支出事项填写）" after 人员经费 and 公用经费, twice
    "wild:js-cppcc-2018-dept-budget.pdf": {("H-TEMPLATE", 12, 15), ("H-TEMPLATE", 12, 19), ("H-TEMPLATE", 13, 13), ("H-TEMPLATE", 13, 17)},
    "wild:js-cppcc-2018-dept-budget-tables.pdf": set(),
    "wild:js-high-court-2019-dept-budget.pdf": set(),
    "wild:js-npc-office-2017-dept-budget.pdf": set(),
    "wild:sh-finance-bureau-2025-unit-budget.pdf": set(),
    # p8's text layer repeats items 6–11 of p7 behind the page, starting with a lone ” (invisible when rendered): silent
    "wild:shpt-finance-2025-dept-budget.pdf": set(),
    "wild:shpt-govoffice-2025-dept-budget.pdf": set(),
    "wild:shpt-govoffice-2025-unit-budget.pdf": set(),
    "wild:shpt-wanli-2023-dept-budget.pdf": set(),
    "wild:shpt-wanli-2024-dept-budget.pdf": set(),
    # table text read as paragraphs ("九、住房保障支出8,882,399收入总计…") is not a list item missing its stop
    "wild:shpt-wanli-2024-dept-budget.pdfplumber.txt": set(),
}


def _document(name: str) -> Disclosure:
    source, _, which = name.partition(":")
    return seed(which) if source == "seed" else pdf(which) if source == "pdf" else wild(which)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hygiene_on_the_shared_documents(name: str) -> None:
    d = _document(name)
    assert keys(d) == EXPECTED[name], [(f.rule, f.location.page, f.location.line, f.message) for f in found(d)]


def test_every_shared_document_is_listed() -> None:
    listed = {n.split(":", 1)[1] for n in EXPECTED if n.startswith("wild:")}
    assert listed == {p.name for p in WILD.iterdir() if p.suffix in (".pdf", ".txt")}


def test_findings_quote_the_exact_text_and_are_never_errors() -> None:
    template = next(f for f in found(wild("js-cppcc-2018-dept-budget.pdf")) if f.location.page == 12)
    assert template.actual == "（按“部门预算公开06表财政拨款基本支出预算表”中实际发生经济分类支出事项填写）"
    assert template.location.section
    stop = next(f for f in found(seed("001")) if f.rule == "H-STOP")
    assert stop.actual.endswith("是指市级财政当年拨付的资金")
    pair = next(f for f in found(pdf("planning")) if f.rule == "H-PAIR")
    assert "平均得分99.33分（其中" in pair.actual
    for name in EXPECTED:
        assert all(f.severity in ("warning", "info") for f in found(_document(name)))


def test_template_guidance_is_not_reported_twice_with_c004() -> None:
    """减少（增加） is C004's both-alternatives wording; H-TEMPLATE is only the author's instructions (checked on
    the template's text as if it were a department's)."""
    d = pdf("template").model_copy(deep=True)
    d.meta.department = "上海市普陀区某局"
    assert {(f.rule, f.location.page, f.actual) for f in found(d) if f.rule == "H-TEMPLATE"} == {
        ("H-TEMPLATE", 22, "（无事业收入的单位保留事业收入的名词解释，但不列举主要内容，以下同）")
    }


# --- mutations of seed 003 (峯城区 2020 决算, which is clean) ------------------------------------------


def mutate(tmp_path: Path, old: str, new: str) -> set[Key]:
    text = SEED_FILES["003"].read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path = tmp_path / "mutated.txt"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return keys(read_disclosure(str(path))) - keys(seed("003"))


def test_drop_a_full_stop(tmp_path: Path) -> None:
    assert mutate(tmp_path, "2、上级补助收入0万元。与2019年决算数相同。", "2、上级补助收入0万元。与2019年决算数相同") == {
        ("H-STOP", None, 425)
    }


def test_double_a_full_stop(tmp_path: Path) -> None:
    assert mutate(tmp_path, "医用耗材的集中采购政策。", "医用耗材的集中采购政策。。") == {("H-PUNCT", None, 65)}


def test_a_comma_before_the_full_stop(tmp_path: Path) -> None:
    assert mutate(tmp_path, "医用耗材的集中采购政策。", "医用耗材的集中采购政策，。") == {("H-PUNCT", None, 65)}


def test_cut_a_reason_off(tmp_path: Path) -> None:
    assert mutate(tmp_path, "主要是人员转隶，医保局为2019年3月新成立单位。", "主要是。") == {("H-CUTOFF", None, 448)}


def test_open_a_bracket_and_never_close_it(tmp_path: Path) -> None:
    assert mutate(tmp_path, "医用耗材的集中采购政策。", "医用耗材（含高值耗材的集中采购政策。") == {("H-PAIR", None, 65)}


def test_close_a_quotation_never_opened(tmp_path: Path) -> None:
    assert mutate(tmp_path, "医用耗材的集中采购政策。", "医用耗材”的集中采购政策。") == {("H-PAIR", None, 65)}


def test_leave_the_template_guidance_in(tmp_path: Path) -> None:
    assert mutate(tmp_path, "医用耗材的集中采购政策。", "医用耗材的集中采购政策。（增加内容）") == {("H-TEMPLATE", None, 65)}


def test_a_character_that_does_not_display(tmp_path: Path) -> None:
    new = mutate(tmp_path, "医用耗材的集中采购政策。", "医用耗材的集中\ue000购政策。")
    assert new == {("H-GLYPH", None, 65)}


def test_glyph_message_shows_a_box_and_keeps_the_exact_text() -> None:
    d = read_disclosure(str(Path(__file__).parent / "fixtures" / "rules" / "H-GLYPH" / "fire.txt"))
    (f,) = [f for f in found(d) if f.rule == "H-GLYPH"]
    # the reader may keep the private-use glyph or replace it by U+FFFD on entry: either is shown as a box
    glyph = "\ue3a1" if "\ue3a1" in f.actual else "\ufffd"
    assert glyph in f.actual and glyph not in f.message and hygiene.BOX in f.message
    assert f"U+{ord(glyph):04X}" in f.message


def test_a_heading_naming_another_department(tmp_path: Path) -> None:
    """Seed 004's 第三部分 heading, copied from a neighbouring district's disclosure with its name."""
    text = SEED_FILES["004"].read_text(encoding="utf-8")
    old = " 第三部分 2021 年度部门决算情况说明"
    assert text.count(old) == 1
    path = tmp_path / "copied.txt"
    path.write_text(text.replace(old, " 第三部分 安阳市文峰区医疗保障局2021 年度部门决算情况说明"), encoding="utf-8")
    d = read_disclosure(str(path))
    assert d.meta.department == "安阳市北关区医疗保障局"
    assert keys(d) - keys(seed("004")) == {("H-DEPT", None, 2447)}
    (f,) = [f for f in found(d) if f.rule == "H-DEPT"]
    assert f.actual == "安阳市文峰区医疗保障局" and f.expected == "安阳市北关区医疗保障局"


@pytest.mark.parametrize(
    ("text", "guidance"),
    [
        ("（按“部门预算公开06表财政拨款基本支出预算表”中实际发生经济分类支出事项填写）", True),
        ("（主要围绕部门绩效目标设定、事前评估、事中监控、事后评价、结果运用过程中采取的措施和方法论述）", True),
        ("（增加内容）", True),
        ("（无事业收入的单位保留事业收入的名词解释，但不列举主要内容，以下同）", True),
        ("（金额单位：万元，以下同）", False),  # the author's own note
        ("（围绕中心工作）", False),
        ("减少（增加）", False),  # both alternatives: C004's
        ("（含参照公务员法管理的事业单位）", False),
    ],
)
def test_template_guidance_patterns(text: str, guidance: bool) -> None:
    assert any(p.search(text) for p in hygiene.spec().template) is guidance


@pytest.mark.parametrize(
    ("paragraph", "unmatched"),
    [
        ("1）人员经费100万元；2）公用经费20万元。", 0),  # list markers with a closing half only
        ("主要包括：一）工资；二）津贴。", 0),
        ("（一）基本支出100万元（含工资）。", 0),
        ("本年支出100万元）。", 1),
        ("《预算法》规定，“三公”经费（含公务接待费。", 1),
    ],
)
def test_pairs_in_one_paragraph(tmp_path: Path, paragraph: str, unmatched: int) -> None:
    base = (Path(__file__).parent / "fixtures" / "rules" / "H-PAIR" / "silent.txt").read_text(encoding="utf-8")
    path = tmp_path / "pairs.txt"
    path.write_text(base + "\n" + paragraph + "\n", encoding="utf-8")
    assert len(list(hygiene.unmatched_pairs(read_disclosure(str(path))))) == unmatched
