"""Every error and warning finding on the shared documents, judged against the page (issue 8).

For each document in ../shared (seeds, samples/pdf, samples/wild) the exact multiset of
(rule, severity, place) error/warning findings the real pipeline gives is asserted: a new false
finding or a lost true one fails here. The judgement of each (what the page prints) is in
tests/golden/FINDINGS_REVIEW.md. Keys are rule id, severity and place, never message text, so
catalog and wording changes do not touch this file. Place: ``p.N`` (PDF page), ``l.N`` (text
line), else the table, else what the finding says is expected (a missing explanation).
Disclosures are shared with the other test modules through their caches.
"""

from __future__ import annotations

from collections import Counter
from functools import cache

import pytest

from cnbudget.api import check_one
from cnbudget.model import Disclosure
from cnbudget.recognize.parts import group_parts, merge_parts
from cnbudget.rules.findings import Finding
from conftest import seed
from test_rules_support import pdf
from test_wild_shanghai import wild

Key = tuple[str, str, str]

CPPCC = ("js-cppcc-2018-dept-budget-tables.pdf", "js-cppcc-2018-dept-budget.pdf")


def _cppcc() -> Disclosure:
    """The CPPCC disclosure published as two files, joined as `cnbudget check` joins them."""
    parts = [wild(name) for name in CPPCC]
    [group] = group_parts(parts)
    return merge_parts([parts[i] for i in group])


DOCUMENTS = {
    "seed000": lambda: seed("000"),
    "seed001": lambda: seed("001"),
    "seed002": lambda: seed("002"),
    "seed003": lambda: seed("003"),
    "seed004": lambda: seed("004"),
    "finance": lambda: pdf("finance"),
    "planning": lambda: pdf("planning"),
    "template": lambda: pdf("template"),
    "js-high-court-2019": lambda: wild("js-high-court-2019-dept-budget.pdf"),
    "js-npc-office-2017": lambda: wild("js-npc-office-2017-dept-budget.pdf"),
    "js-cppcc-2018": _cppcc,
    "sh-finance-bureau-2025-unit": lambda: wild("sh-finance-bureau-2025-unit-budget.pdf"),
    "shpt-finance-2025-dept": lambda: wild("shpt-finance-2025-dept-budget.pdf"),
    "shpt-govoffice-2025-dept": lambda: wild("shpt-govoffice-2025-dept-budget.pdf"),
    "shpt-govoffice-2025-unit": lambda: wild("shpt-govoffice-2025-unit-budget.pdf"),
    "shpt-wanli-2023-dept": lambda: wild("shpt-wanli-2023-dept-budget.pdf"),
    "shpt-wanli-2024-dept": lambda: wild("shpt-wanli-2024-dept-budget.pdf"),
    "shpt-wanli-2024-dept.pdfplumber.txt": lambda: wild("shpt-wanli-2024-dept-budget.pdfplumber.txt"),
}

# Judged true, one by one, in tests/golden/FINDINGS_REVIEW.md.
EXPECTED: dict[str, dict[Key, int]] = {
    "seed000": {
        ("C001", "error", "B6 一般公共预算基本支出表"): 1,
        ("C006", "warning", "情况说明"): 1,
        ("P-COST-TARGET", "error", "l.410"): 1,
    },
    "seed001": {
        ("C001", "error", "B1 收支总表"): 1,
        ("C001", "error", "B2 收入表"): 1,
        ("C001", "error", "B6 一般公共预算基本支出表"): 1,
        ("C002", "warning", "ECON 支出经济分类汇总表"): 1,
        ("N-SAME-FACT", "error", "l.58"): 1,
        ("N-ZERO-BASE", "error", "l.88"): 1,
    },
    "seed002": {
        ("B2-1", "warning", "l.235"): 1,
        ("B3-4", "error", "l.317"): 4,
        ("C002", "warning", "ECON 支出经济分类汇总表"): 1,
        ("K004", "error", "l.325"): 1,
        ("N-ADMIN-COST", "warning", "l.130"): 1,
        ("N-GROWTH", "error", "l.86"): 2,
        ("N-GROWTH", "error", "l.98"): 1,
        ("N-SHARE", "error", "l.94"): 3,
        ("N-TABLE", "error", "l.98"): 1,
        ("N-YEAR", "error", "l.66"): 1,
        ("N-ZERO-BASE", "warning", "l.100"): 1,
        ("P-COVERAGE", "warning", "l.248"): 1,
        ("P-DUPLICATE", "error", "l.560"): 1,
        ("X-B10", "error", "l.260"): 1,
        ("X-B3", "error", "l.188"): 1,
        ("X-B3", "error", "l.195"): 1,
        ("X-B3", "error", "l.197"): 1,
        ("X-B3", "error", "l.210"): 1,
        ("X-B5", "error", "l.279"): 1,
        ("X-B5", "error", "l.281"): 1,
    },
    "seed003": {
        ("N-COMPLETION-SUM", "error", "l.487"): 1,
        ("P-COST-OVERRUN", "warning", "l.963"): 1,
    },
    "seed004": {
        ("C004", "error", "l.2583"): 1,
        ("C005", "warning", "l.62"): 1,
        # 年初预算0万元，决算0万元，完成0% (lines 2560–2591, 2726): a 0 of a 0 budget is silent (issue 10, family 6)
        ("H-TEMPLATE", "warning", "l.2621"): 1,  # （主要围绕…论述） left in
        ("N-COMPLETION-SUM", "error", "l.2505"): 1,
        ("N-GROWTH", "warning", "l.2452"): 1,
        ("N-GROWTH", "warning", "l.2480"): 1,
        ("N-GROWTH", "warning", "l.2490"): 1,
        ("P-NARRATIVE", "error", "l.2632"): 1,
        ("P-SELF-EVAL", "error", "l.2626"): 1,
        # the scrambled 自评表 print the funds row's 分值/得分 glued before 项目资金 and 总分 '100 N'; the
        # indicators (90 points) give at most 90 less what the rows read whole lost ('100% 明显 2 1 …'), so the
        # total is at most the execution score + 90 − those points (P-EXEC accepts every execution score: rounded up):
        ("P-TOTAL-CAP", "error", "l.568"): 1,  # 慢性病专家鉴定费: '10 3项目资金' (24%), rows l.752/763 lose 3, 总分 94 > 90
        ("P-TOTAL-CAP", "error", "l.1388"): 1,  # 欺诈骗取…专项: '10 0 0项目资金' (决算数 0, line 2683), l.1568 loses 1: 99 > 89
        ("P-TOTAL-CAP", "error", "l.1655"): 1,  # 北关区政府扶贫防贫保障: '10 7项目资金' (68%), l.1824 loses 1: 99 > 96
    },
    "finance": {
        ("N-SHARE", "error", "p.21"): 1,
        ("N-TABLE", "error", "p.21"): 1,
    },
    "planning": {
        ("C004", "error", "p.25"): 1,
        ("N-TABLE", "error", "p.24"): 2,
        ("N-NAME-TABLE", "warning", "p.22"): 1,  # 机关事业单位退休人员活动费支出（项） 0.88: the tables print 2080599
        ("N-NAME-TABLE", "warning", "p.24"): 3,  # 其他国土资源事务支出（项）; 住房保障支出（款） twice (tables: 22102 住房改革支出)
        ("H-PAIR", "warning", "p.26"): 1,  # '平均得分99.33分（其中，…' never closed (p.27)
    },
    "template": {
        ("C004", "error", "-"): 1,  # one finding for the unfilled template, 42 instances
    },
    "js-high-court-2019": {},
    "js-npc-office-2017": {
        ("C006", "error", "国有资产占用"): 1,
        ("C006", "error", "绩效目标"): 1,
        ("N-CLAIM", "error", "p.28"): 1,
    },
    "js-cppcc-2018": {
        ("C006", "error", "国有资产占用"): 1,
        ("H-TEMPLATE", "warning", "p.12"): 2,  # （按“部门预算公开06表/08表…”中实际发生经济分类支出事项填写） left in
        ("H-TEMPLATE", "warning", "p.13"): 2,
    },
    "sh-finance-bureau-2025-unit": {
        ("C003", "error", "p.15"): 1,
        ("C003", "error", "p.16"): 1,
        ("N-SCOPE", "error", "p.21"): 1,
    },
    "shpt-finance-2025-dept": {
        ("N-EMPTY-OTHER", "warning", "p.18"): 1,  # the empty 国有资本经营 table's note names the 政府性基金 fund
    },
    "shpt-govoffice-2025-dept": {},
    "shpt-govoffice-2025-unit": {},
    "shpt-wanli-2023-dept": {
        ("N-CLAIM", "error", "p.6"): 3,
        ("N-CLAIM", "error", "p.7"): 1,
        ("N-CLAIM", "error", "p.8"): 1,
        ("N-SAME-FACT", "error", "p.7"): 1,
    },
    "shpt-wanli-2024-dept": {
        ("N-CLAIM", "error", "p.7"): 1,
        ("N-SAME-FACT", "error", "p.9"): 1,
        ("N-EMPTY-FIGURES", "warning", "p.31"): 1,  # the 三公 table prints 47.91 … under '故本表为空表'
    },
    "shpt-wanli-2024-dept.pdfplumber.txt": {
        # lines as an editor numbers them: the 32 form feeds between pdfplumber's pages are no line breaks
        # the same finding as the PDF's (same id): the 三公 table, now read, prints 47.91 … under its 空表 note (l.443 holds
        # its title). The reader's C007 for B4 and B7 (not split into columns) is gone: both are read as their PDF.
        ("N-EMPTY-FIGURES", "warning", "l.443"): 1,
        ("N-CLAIM", "error", "l.86"): 1,
        ("N-SAME-FACT", "error", "l.139"): 1,
    },
}


def _place(f: Finding) -> str:
    loc = f.location
    if loc.page is not None:
        return f"p.{loc.page}"
    if loc.line is not None:
        return f"l.{loc.line}"
    return loc.table or f.expected or "-"


@cache
def findings(name: str) -> tuple[Finding, ...]:
    return tuple(check_one(DOCUMENTS[name]()).findings)


def judged(name: str) -> Counter[Key]:
    return Counter((f.rule, f.severity, _place(f)) for f in findings(name) if f.severity in ("error", "warning"))


def test_every_shared_document_is_judged() -> None:
    assert set(DOCUMENTS) == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_error_and_warning_findings_are_the_judged_ones(name: str) -> None:
    got = judged(name)
    want = Counter(EXPECTED[name])
    assert got == want, f"{name}: new (judge them) {dict(got - want)}; lost (a true finding no longer fires) {dict(want - got)}"


def test_template_placeholders_are_one_finding_with_every_place() -> None:
    [f] = [f for f in findings("template") if f.rule == "C004"]
    assert len(f.instances) == 42


# --- false findings removed by issue 8's judgement: they must stay silent ----------------------------


def test_2017_economic_codes_are_not_judged_by_the_2018_catalog() -> None:
    """js-npc-office-2017 p.18 prints 30311 住房公积金: right in 2017 (303 对个人和家庭的补助), 代缴社会保险费
    only from 2018 (财预〔2017〕98号). K002 says so in its coverage instead of firing."""
    assert [f for f in findings("js-npc-office-2017") if f.rule == "K002"] == []
    report = check_one(DOCUMENTS["js-npc-office-2017"]())
    [k002] = [c for c in report.coverage if c.rule == "K002"]
    assert "2018" in k002.reason and "2017" in k002.reason


def test_unit_budget_basic_spending_table_is_understood() -> None:
    """The unit budgets head B6's name column 部门经济分类科目名称: a label column, not an amount."""
    for name in ("sh-finance-bureau-2025-unit", "shpt-govoffice-2025-unit"):
        assert [f for f in findings(name) if f.rule == "C007"] == []
        [b6] = [t for t in DOCUMENTS[name]().tables if t.spec_id == "B6"]
        assert b6.understood and all(r.label for r in b6.rows)


def test_one_yuan_subtotal_difference_is_rounding_not_error() -> None:
    """SH finance bureau p.17: 302 商品和服务支出 24,840,779 vs its 款 rows 24,840,778 — printed in whole
    元, so within the rounding of 18 terms: 尾数差异 (info), never an error."""
    b62 = [f for f in findings("sh-finance-bureau-2025-unit") if f.rule == "B6-2"]
    assert b62 and all(f.severity == "info" and f.location.page == 17 for f in b62)
