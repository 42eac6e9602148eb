"""The narrative reader on the seed documents: every figure of their 情况说明, the section trees,
the table of contents, wrapped lines (seed 004, PDF text) and speed.

Expected facts were checked against the documents by reading them. Inputs are built from the
text files directly (table rows dropped) until the text reader is wired in.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

import pytest

from cnbudget.model import Fact, Line, Section
from cnbudget.recognize.narrative import read_narrative
from conftest import PDFS, SEED_FILES
from conftest import SEEDS as SEEDS_DIR
from conftest import seed as seed_disclosure

SEEDS = SEEDS_DIR
PUTUO_PDF = PDFS / "putuo-planning-resources-2024-final.pdf"


def seed(number: str) -> Path:
    paths = sorted(SEEDS.glob(f"{number}_*.txt"))
    assert paths, f"seed {number} not found in {SEEDS}"
    return paths[0]


def narrative_lines(path: Path) -> list[Line]:
    """Every line of a converted text as a Line, without table rows (tab-separated or '|' rows)."""
    lines = []
    for number, text in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        if "\t" in text or text.lstrip().startswith("|"):
            continue
        lines.append(Line(text, None, number))
    return lines


def read_seed(number: str) -> tuple[list[Section], list[Fact]]:
    """The narrative as the real pipeline reads it (reader → recognition → narrative)."""
    d = seed_disclosure(number)
    return d.sections, d.facts


def test_pipeline_and_plain_lines_agree() -> None:
    """The narrative reader sees the same text through the real reader as from plain lines."""
    for number in ("001", "002", "003", "004"):
        path = SEED_FILES[number]
        _sections, facts = read_narrative(narrative_lines(path), str(path))
        d = seed_disclosure(number)
        assert [F.of(f) for f in facts] == [F.of(f) for f in d.facts], number


class F(NamedTuple):
    """A fact, compactly: Decimals as strings (so '0.0' and '584.50' keep their printed places)."""

    kind: str
    subject: str
    value: str | None
    unit: str = "万元"
    percent: str | None = None
    direction: str = ""
    change: str | None = None
    budget: str | None = None
    line: int = 0

    @classmethod
    def of(cls, f: Fact) -> F:
        def s(d: Decimal | None) -> str | None:
            return None if d is None else str(d)

        return cls(f.kind, f.subject, s(f.value), f.unit, s(f.percent), f.direction, s(f.change), s(f.budget), f.location.line or 0)


def outline(sections: list[Section]) -> list[tuple[str, list]]:
    return [(f"{s.number}{s.title}" if s.level > 1 else s.number, outline(s.children)) for s in sections]


def numbers(section: Section) -> list[str]:
    return [c.number for c in section.children]


# --- seed 001 (济源 2021 预算): every figure of the body, in order ---

EXPECTED_001 = [
    F("count", "局属单位预算", "1", unit="个", line=43),
    F("amount", "收入总计", "7764.9", line=56),
    F("amount", "支出总计", "7764.9", line=58),
    F("change", "收入总计", "7764.9", percent="6.69", direction="增加", change="486.6", line=58),
    F("change", "支出总计", "7764.9", percent="6.12", direction="增加", change="447.7", line=58),
    F("amount", "收入合计", "7764.9", line=62),
    F("amount", "一般公共预算收入", "7117.1", line=62),
    F("amount", "政府性基金预算收入", "555.6", line=62),
    F("amount", "部门结转", "92.2", line=62),
    F("amount", "支出合计", "7764.9", line=66),
    F("share", "基本支出", "3107.2", percent="40.02", line=66),
    F("share", "项目支出", "4657.7", percent="59.98", line=66),
    F("amount", "一般公共预算收支预算", "7117.1", line=70),
    F("amount", "政府性基金收支预算", "555.6", line=70),
    F("change", "一般公共预算收支预算", "7117.1", percent="4.02", direction="增加", change="274.8", line=70),
    F("change", "政府性基金收支预算", "555.6", percent="27.43", direction="增加", change="119.6", line=70),
    F("amount", "一般公共预算支出年初预算", "7117.1", line=74),
    F("share", "社会保障和就业（类）支出", "1200.4", percent="16.87", line=74),
    F("share", "医疗卫生与计划生育（类）支出", "5860.7", percent="82.35", line=74),
    F("share", "住房保障（类）支出", "56.0", percent="0.78", line=74),
    F("amount", "“三公”经费预算", "2.5", line=82),
    F("change", "“三公”经费预算", "2.5", percent="13.64", direction="增加", change="0.3", line=82),
    F("amount", "因公出国（境）费", "0.0", line=86),
    F("change", "因公出国（境）费", "0.0", direction="持平", line=86),
    F("amount", "公务接待费", "0.3", line=88),
    F("change", "公务接待费", "0.3", percent="100", direction="增加", change="0.3", line=88),
    F("amount", "公务用车购置及运行费", "2.2", line=92),
    F("amount", "公务用车运行维护费", "2.2", line=92),
    F("change", "公务用车运行维护费", "2.2", direction="持平", line=92),
    F("amount", "公务用车购置费", "0.0", line=92),
    F("change", "公务用车购置费", "0.0", direction="持平", line=92),
    F("amount", "政府性基金预算支出", "555.6", line=96),
    F("amount", "机关运行经费", "117.3", line=102),
    F("change", "机关运行经费", "117.3", percent="12.68", direction="增加", change="13.2", line=102),
    F("amount", "政府采购", "199.1", line=106),
    F("amount", "政府采购货物", "189.6", line=106),
    F("amount", "政府采购工程", "0.0", line=106),
    F("amount", "政府采购服务", "9.5", line=106),
    F("count", "车辆", "1", unit="辆", line=116),
    F("count", "一般公务用车", "1", unit="辆", line=116),
    F("count", "一般执法执勤用车", "0", unit="辆", line=116),
    F("count", "其他用车", "0", unit="辆", line=116),
    F("count", "单价50万元以上通用设备", "0", unit="套", line=116),
    F("count", "单位价值100万元以上专用设备", "0", unit="套", line=116),
    F("count", "专项转移支付项目", "2", unit="项", line=120),
    F("amount", "城乡医疗救助", "439", line=120),
]


# --- seed 002 (台前县 2023 预算): every figure of the body, in order ---

EXPECTED_002 = [
    F("count", "单位", "1", unit="个", line=66),
    F("count", "行政股室", "2", unit="个", line=66),
    F("count", "事业单位", "1", unit="个", line=66),
    F("count", "内设机构", "2", unit="个", line=72),
    F("count", "事业单位", "1", unit="个", line=74),
    F("amount", "收入总计", "2469.94", line=86),
    F("amount", "支出总计", "2469.94", line=86),
    F("change", "收入总计", "2469.94", percent="8", direction="增加", change="360.53", line=86),
    F("change", "支出总计", "2469.94", percent="8", direction="增加", change="360.53", line=86),
    F("amount", "收入合计", "2469.94", line=90),
    F("amount", "一般公共预算收入", "2469.94", line=90),
    F("amount", "支出合计", "2469.94", line=94),
    F("share", "基本支出", "584.50", percent="23.70", line=94),
    F("share", "项目支出", "1885.44", percent="96.3", line=94),
    F("amount", "一般公共预算收支预算", "2469.94", line=98),
    F("amount", "政府性基金收支预算", "0", line=98),
    F("change", "一般公共预算收支预算", "2469.94", percent="8", direction="增加", change="360.53", line=98),
    F("change", "政府性基金收支预算", "0", percent="0", direction="增加", change="0", line=100),
    F("amount", "一般公共预算支出年初预算", "2444.5", line=104),
    F("share", "机关事业单位基本养老保险缴费支出", "44", percent="1.80", line=104),
    F("share", "机关事业单位职业年金缴费支出", "22", percent="0.90", line=104),
    F("share", "城乡医疗救助", "1784", percent="72.98", line=104),
    F("share", "行政运行", "441.5", percent="18.06", line=104),
    F("share", "其他医疗保障管理事务支出", "55", percent="2.25", line=104),
    F("share", "住房公积金", "49", percent="2.00", line=104),
    F("amount", "一般公共预算基本支出", "584.50", line=108),
    F("amount", "人员经费", "560", line=108),
    F("amount", "公用经费", "24.50", line=108),
    F("amount", "“三公”经费预算", "0", line=116),
    F("change", "“三公”经费预算", "0", direction="增加", change="0", line=116),
    F("amount", "因公出国（境）费", "0", line=120),
    F("change", "因公出国（境）费", "0", direction="增加", change="0", line=120),
    F("amount", "公务用车购置及运行费", "0", line=122),
    F("amount", "公务用车购置费", "0", line=122),
    F("amount", "公务用车运行维护费", "0", line=122),
    F("change", "公务用车购置费", "0", direction="增加", change="0", line=122),
    F("change", "公务用车运行维护费", "0", direction="增加", change="0", line=122),
    F("amount", "公务接待费", "0", line=124),
    F("change", "公务接待费", "0", direction="增加", change="0", line=124),
    F("amount", "机关运行经费", "76.33", line=130),
    F("change", "机关运行经费", "76.33", direction="增加", change="53.33", line=130),
    F("amount", "政府采购", "0", line=134),
    F("amount", "政府采购货物", "0", line=134),
    F("amount", "政府采购工程", "0", line=134),
    F("amount", "政府采购服务", "0", line=134),
    F("amount", "纳入预算绩效管理的支出总额", "2469.94", line=138),
    F("amount", "人员经费", "567", line=138),
    F("amount", "公用经费", "17.5", line=138),
    F("amount", "项目支出", "1885.44", line=138),
    F("count", "特定目标类项目", "23", unit="个", line=138),
    F("amount", "支出总额", "2444.50", line=138),
    F("count", "预算支出100万元及100万元以上项目", "7", unit="个", line=138),
    F("amount", "固定资产总额", "26.36", line=142),
    F("amount", "房屋建筑物", "0", line=142),
    F("amount", "车辆", "0", line=142),
    F("count", "车辆", "0", unit="辆", line=142),
    F("count", "单价50万元以上通用设备", "0", unit="台（套）", line=142),
    F("count", "单位价值100万元以上专用设备", "0", unit="台（套）", line=142),
]


# --- seed 003 (峄城区 2020 决算): every figure of the body, in order ---

EXPECTED_003 = [
    F("count", "职能科（股）室", "2", unit="个", line=81),
    F("amount", "收、支总计", "1654.71", line=406),
    F("change", "收、支总计", "1654.71", percent="561.91", direction="增加", change="1404.72", line=406),
    F("amount", "本年收入合计", "1601.48", line=415),
    F("share", "财政拨款收入", "1601.48", percent="100", line=415),
    F("share", "上级补助收入", "0", percent="0", line=415),
    F("share", "事业收入", "0", percent="0", line=415),
    F("share", "经营收入", "0", percent="0", line=415),
    F("share", "附属单位上缴收入", "0", percent="0", line=415),
    F("share", "其他收入", "0", percent="0", line=415),
    F("amount", "财政拨款收入", "1601.48", line=423),
    F("change", "财政拨款收入", "1601.48", percent="540.62", direction="增加", change="1351.49", line=423),
    F("amount", "上级补助收入", "0", line=425),
    F("change", "上级补助收入", "0", direction="持平", line=425),
    F("amount", "事业收入", "0", line=427),
    F("change", "事业收入", "0", direction="持平", line=427),
    F("amount", "经营收入", "0", line=429),
    F("change", "经营收入", "0", direction="持平", line=429),
    F("amount", "附属单位上缴收入", "0", line=431),
    F("change", "附属单位上缴收入", "0", direction="持平", line=431),
    F("amount", "其他收入", "0", line=434),
    F("change", "其他收入", "0", direction="持平", line=434),
    F("amount", "本年支出合计", "1639.35", line=440),
    F("share", "基本支出", "222.3", percent="13.56", line=440),
    F("share", "项目支出", "1417.06", percent="86.44", line=440),
    F("share", "上缴上级支出", "0", percent="0", line=442),
    F("share", "经营支出", "0", percent="0", line=442),
    F("share", "对附属单位补助支出", "0", percent="0", line=442),
    F("amount", "基本支出", "222.3", line=448),
    F("change", "基本支出", "222.3", percent="82.06", direction="增加", change="100.2", line=448),
    F("amount", "项目支出", "1417.06", line=450),
    F("change", "项目支出", "1417.06", percent="1798.02", direction="增加", change="1342.4", line=450),
    F("amount", "上缴上级支出", "0", line=453),
    F("change", "上缴上级支出", "0", direction="持平", line=453),
    F("amount", "经营支出", "0", line=455),
    F("change", "经营支出", "0", direction="持平", line=455),
    F("amount", "对附属单位补助支出", "0", line=457),
    F("change", "对附属单位补助支出", "0", direction="持平", line=457),
    F("amount", "财政拨款收、支总计", "1654.71", line=461),
    F("change", "财政拨款收、支总计", "1654.71", percent="561.91", direction="增加", change="1404.72", line=461),
    F("share", "一般公共预算财政拨款支出", "1562.82", percent="95.33", line=470),
    F("change", "一般公共预算财政拨款支出", "1562.82", percent="914.55", direction="增加", change="1408.78", line=470),
    F("amount", "一般公共预算财政拨款支出", "1562.82", line=479),
    F("share", "社会保障和就业（类）支出", "29.52", percent="1.89", line=479),
    F("share", "卫生健康（类）支出", "1533.3", percent="98.11", line=479),
    F("completion", "一般公共预算财政拨款支出", "1562.82", percent="87.06", budget="1795.03", line=487),
    F(
        "completion",
        "社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位基本养老保险缴费支出（项）",
        "19.68",
        percent="96.57",
        budget="20.38",
        line=489,
    ),
    F(
        "completion",
        "社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位职业年金缴费支出（项）",
        "9.84",
        percent="96.57",
        budget="10.19",
        line=491,
    ),
    F("completion", "卫生健康支出（类）公共卫生（款）突发公共卫生事件应急处理（项）", "5.2", budget="0", line=495),
    F(
        "completion",
        "卫生健康支出（类）行政事业单位医疗（款）其他行政事业单位医疗支出（项）",
        "7.9",
        percent="88.57",
        budget="8.92",
        line=497,
    ),
    F("completion", "卫生健康支出（类）医疗救助（款）城乡医疗救助（项）", "1283.93", percent="111.65", budget="1150", line=499),
    F("completion", "卫生健康支出（类）优抚对象医疗（款）优抚对象医疗补助（项）", "2.91", percent="11.24", budget="25.88", line=501),
    F("completion", "卫生健康支出（类）医疗保障管理事务（款）行政运行（项）", "184.87", percent="99.57", budget="185.66", line=503),
    F("completion", "卫生健康支出（类）医疗保障管理事务（款）一般行政管理事务（项）", "34.48", percent="78.36", budget="44", line=505),
    F("completion", "卫生健康支出（类）医疗保障管理事务（款）信息化建设（项）", "8", budget="0", line=507),
    F("completion", "卫生健康支出（类）医疗保障管理事务（款）其他医疗保障管理事务支出（项）", "6", budget="0", line=509),
    F("amount", "一般公共预算财政拨款基本支出", "222.3", line=513),
    F("amount", "人员经费", "216.34", line=515),
    F("amount", "公用经费", "5.96", line=517),
    F("completion", "“三公”经费", "1.31", percent="70.43", direction="减少", change="0.55", budget="1.86", line=523),
    F("completion", "因公出国（境）费", "0", direction="持平", budget="0", line=527),
    F("count", "因公出国（境）团组", "0", unit="个", line=527),
    F("count", "因公出国（境）团组", "0", unit="人次", line=527),
    F("completion", "公务用车购置及运行维护费", "1.13", percent="75.33", direction="减少", change="0.37", budget="1.5", line=529),
    F("amount", "公务用车购置费", "0", line=531),
    F("count", "使用财政拨款购置公务用车", "0", unit="辆", line=531),
    F("amount", "公务用车运行维护费", "1.13", line=533),
    F("count", "公务用车保有量", "1", unit="辆", line=533),
    F("completion", "公务接待费", "0.18", percent="50", direction="减少", change="0.18", budget="0.36", line=535),
    F("amount", "国内接待费", "0.18", line=539),
    F("count", "接待", "2", unit="批次", line=539),
    F("count", "接待", "18", unit="人次", line=539),
    F("count", "外事接待", "0", unit="批次", line=539),
    F("count", "外事接待", "0", unit="人次", line=539),
    F("amount", "国（境）外接待费", "0", line=541),
    F("count", "接待", "0", unit="批次", line=541),
    F("count", "接待", "0", unit="人次", line=541),
    F("amount", "政府性基金预算财政拨款年初结转和结余", "41.28", line=545),
    F("amount", "本年收入", "35.26", line=545),
    F("amount", "本年支出", "76.53", line=545),
    F("amount", "年末结转和结余", "0", line=545),
    F(
        "completion",
        "其他支出（类）彩票公益金安排的支出（款）用于城乡医疗救助的彩票公益金支出（项）",
        "64.28",
        percent="18.37",
        budget="350",
        line=547,
    ),
    F("completion", "其他支出（类）彩票公益金安排的支出（款）用于其他社会公益事业的彩票公益金支出（项）", "12.26", budget="0", line=549),
    F("amount", "机关运行经费", "5.96", line=559),
    F("budget_vs_actual", "机关运行经费", "5.96", percent="23.88", direction="减少", change="1.87", budget="7.83", line=559),
    F("amount", "政府采购", "0", line=563),
    F("amount", "政府采购货物", "0", line=563),
    F("amount", "政府采购工程", "0", line=563),
    F("amount", "政府采购服务", "0", line=563),
    F("amount", "授予中小企业合同金额", "0", line=563),
    F("amount", "授予小微企业合同金额", "0", line=563),
    F("count", "车辆", "1", unit="辆", line=567),
    F("count", "符合规定领导干部用车", "0", unit="辆", line=567),
    F("count", "机要通信用车", "0", unit="辆", line=567),
    F("count", "应急保障用车", "0", unit="辆", line=567),
    F("count", "执法执勤用车", "0", unit="辆", line=567),
    F("count", "特种专业技术用车", "0", unit="辆", line=567),
    F("count", "离退休干部用车", "0", unit="辆", line=567),
    F("count", "其他用车", "1", unit="辆", line=567),
    F("count", "单位价值50万元以上通用设备", "0", unit="台（套）", line=567),
    F("count", "单位价值100万元以上专用设备", "0", unit="台（套）", line=567),
    F("count", "项目", "13", unit="个", line=571),
    F("share", "预算资金", "1417.06", percent="100", line=571),
    F("count", "项目", "13", unit="个", line=571),
    F("count", "优", "13", unit="个", line=571),
    F("count", "良", "0", unit="个", line=571),
    F("count", "中", "0", unit="个", line=571),
]


@pytest.mark.parametrize("number, expected", [("001", EXPECTED_001), ("002", EXPECTED_002), ("003", EXPECTED_003)])
def test_every_fact_of_the_seed(number: str, expected: list[F]) -> None:
    _, facts = read_seed(number)
    assert [F.of(f) for f in facts] == expected


# --- what the facts carry besides their figures ---


def test_printed_figures_are_kept_exactly() -> None:
    _, facts = read_seed("003")
    total = facts[1]
    assert (total.kind, total.value, total.printed) == ("amount", Decimal("1654.71"), "1,654.71")
    change = facts[2]
    assert (change.change, change.change_printed, change.percent_printed) == (Decimal("1404.72"), "1,404.72", "561.91")
    share = next(f for f in facts if f.kind == "share" and f.subject == "财政拨款收入")
    assert (share.printed, share.percent, share.percent_printed) == ("1,601.48", Decimal("100"), "100")
    completion = next(f for f in facts if f.kind == "completion")
    assert (completion.budget, completion.actual, completion.percent) == (Decimal("1795.03"), Decimal("1562.82"), Decimal("87.06"))


def test_sentence_section_and_location() -> None:
    path = seed("001")
    _, facts = read_seed("001")
    basic = next(f for f in facts if f.subject == "基本支出")
    assert basic.section == "第二部分/三、支出预算总体情况说明"
    assert (
        basic.sentence
        == "济源产城融合示范区医疗保障局2021年支出合计7764.9万元，其中：基本支出3107.2万元，占40.02%；项目支出4657.7万元，占59.98%。"
    )
    assert (basic.location.source, basic.location.page, basic.location.line) == (str(path), None, 66)
    # a sentence wrapped over a blank line is joined, and each figure is located on its own line
    income, expense = facts[1], facts[2]
    assert income.sentence == expense.sentence
    assert income.sentence.startswith("济源产城融合示范区医疗保障局2021年收入总计7764.9万元，支出总计7764.9万元，与2020年相比")
    assert (income.location.line, expense.location.line) == (56, 58)
    # a figure carried over to the next clause keeps its subject
    grow = [f for f in facts if f.kind == "change" and f.percent is not None][:2]
    assert [(f.subject, f.change, f.percent) for f in grow] == [
        ("收入总计", Decimal("486.6"), Decimal("6.69")),
        ("支出总计", Decimal("447.7"), Decimal("6.12")),
    ]
    procurement = next(f for f in facts if f.subject == "政府采购")
    assert procurement.section == "第二部分/九、其他重要事项的情况说明/（二）政府采购支出情况"


def test_spaces_between_cjk_and_numbers_are_removed() -> None:
    _, facts = read_seed("002")
    assert facts[5].sentence.startswith("台前县医疗保障局2023年收入总计2469.94万元，支出总计2469.94万元，与2022年预算相比")
    assert "**" not in facts[26].sentence and facts[26].subject == "人员经费"


# --- the section tree and the table of contents ---


def test_section_tree_001() -> None:
    sections, _ = read_seed("001")
    assert [s.number for s in sections] == ["第一部分", "第二部分", "第三部分"]  # the 目录 entries are not sections
    first, second, third = sections
    assert first.title == "济源产城融合示范区医疗保障局部门概况" and first.location.line == 30
    assert [c.title for c in first.children] == ["济源产城融合示范区医疗保障局部门主要职能", "济源产城融合示范区医疗保障局部门预算单位构成"]
    assert second.title == "济源产城融合示范区医疗保障局2021年度部门预算情况说明"  # a title on two lines after the number
    assert numbers(second) == ["一", "二", "三", "四", "五", "六", "七", "八", "九"]
    assert numbers(second.children[8]) == ["（一）", "（二）", "（三）", "（四）", "（五）"]
    assert all(not c.children for c in second.children[:8])
    assert (third.title, third.children) == ("名词解释", [])


def test_section_tree_002() -> None:
    sections, _ = read_seed("002")
    assert outline(sections) == [
        (
            "第一部分",
            [
                ("一主要职能", []),
                ("一台前医疗保障局主要职能", []),  # printed twice with the same number
                ("二台前县医疗保障局预算单位构成", []),
                ("二部门机构设置及预算单位构成", [("（一）机构设置", []), ("（二）部门预算单位构成", [])]),
            ],
        ),
        (
            "第二部分",
            [
                ("一收入支出预算总体情况说明", []),
                ("二收入预算总体情况说明", []),
                ("三支出预算总体情况说明", []),
                ("四财政拨款收入支出预算总体情况说明", []),
                ("五一般公共预算支出预算情况说明", []),
                ("六一般公共预算基本支出预算情况说明", []),
                ("七政府性基金预算支出预算情况说明", []),
                ("八“三公”经费支出预算情况说明", []),
                (
                    "九其他重要事项情况说明",
                    [
                        ("（一）机关运行经费支出情况", []),
                        ("（二）政府采购支出情况", []),
                        ("（三）绩效目标设置情况", []),
                        ("（四）国有资产占用情况", []),  # printed '（四）国有资产占用情况。'
                        ("（五）专项转移支付项目情况", []),
                        ("（六）重点绩效评价结果", []),
                    ],
                ),
            ],
        ),
        ("第三部分", [("八其他(专业性较强的需向社会做出说明的名词)", [])]),  # a definition item that looks like a heading
    ]
    assert sections[0].title == "概况" and sections[1].title == "台前县医疗保障局2023年部门汇总预算情况说明"


def test_section_tree_003() -> None:
    sections, _ = read_seed("003")
    assert [(s.number, s.title, s.location.line) for s in sections] == [
        ("第一部分", "单位概况", 47),
        ("第二部分", "2020年度单位决算表", 83),
        ("第三部分", "2020年度单位决算情况说明", 400),
        ("第四部分", "名词解释", 577),
        ("第五部分", "附件", 644),
    ]
    part3 = sections[2]
    assert numbers(part3) == ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一"]
    by_number = {c.number: c for c in part3.children}
    assert numbers(by_number["二"]) == ["（一）", "（二）"]
    assert numbers(by_number["三"]) == ["（一）", "（二）"]
    assert numbers(by_number["五"]) == ["（一）", "（二）", "（三）"]
    assert numbers(by_number["七"]) == ["（一）", "（二）"]
    assert numbers(by_number["十"]) == ["（一）", "（二）", "（三）"]
    assert [c.title for c in by_number["十"].children] == ["机关运行经费支出情况", "政府采购支出情况", "国有资产占用情况"]
    assert by_number["七"].title == "一般公共预算财政拨款“三公”经费支出决算情况说明"  # '情况 说明' in the source
    assert by_number["九"].location.line == 551  # not line 37 of the contents
    assert numbers(sections[0]) == ["一", "二"]  # '（九）完成区委、区政府交办的其他任务。' is an item, not a heading
    assert not sections[1].children and not sections[3].children  # table notes and definitions are not headings


def test_contents_without_a_contents_line_is_still_skipped() -> None:
    """The 目录 entries restart at '第一部分' before any body text: that alone marks them as contents."""
    lines = [ln for ln in narrative_lines(seed("003")) if ln.text.replace(" ", "") != "目录"]
    sections, facts = read_narrative(lines, "x")
    assert outline(sections) == outline(read_seed("003")[0])
    assert [s.location.line for s in sections] == [47, 83, 400, 577, 644]
    assert len(facts) == len(read_seed("003")[1])


def test_no_facts_from_contents_glossary_or_tables() -> None:
    for number in ("001", "002", "003", "004"):
        _, facts = read_seed(number)
        assert facts, number
        assert all("名词解释" not in f.section and "附件" not in f.section and "决算表" not in f.section for f in facts)


# --- seed 004: every line wrapped at ~30 characters, blank lines between, numbers split from units ---


def test_seed_004_wrapped_text_keeps_its_facts() -> None:
    sections, facts = read_seed("004")
    part3 = sections[2]
    assert (part3.number, part3.title, part3.location.line) == ("第三部分", "2021年度部门决算情况说明", 2447)
    assert numbers(part3) == ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三"]
    assert numbers(part3.children[4]) == ["（一）", "（二）", "（三）"]
    assert [c.title for c in part3.children[7].children] == [
        "绩效管理工作开展情况",
        "项目绩效自评结果",
        "以部门为主体开展的重点绩效评价结果",
    ]
    assert numbers(sections[0]) == ["一", "二"]  # wrapped '（四）…医保目录和' is not a heading
    assert not sections[1].children  # the performance forms printed as text do not make headings
    got = [F.of(f) for f in facts]
    for expected in [
        F("amount", "收、支总计", "307.97", line=2450),
        F("change", "收、支总计", "307.97", percent="8", direction="增加", change="25.13", line=2452),
        F("share", "财政拨款收入", "307.97", percent="100", line=2458),
        F("percent", "经营收入", "0", unit="%", percent="0", line=2462),  # '经营收入万元，占 0%': the amount is missing
        F("share", "基本支出", "202.66", percent="66", line=2468),
        F("share", "项目支出", "105.3", percent="34", line=2470),  # '202.66 万' / '元，占 66%' across lines
        F("change", "一般公共预算财政拨款支出", "307.97", percent="8", direction="增加", change="25.13", line=2490),
        F("share", "农林水（类）支出", "68.44", percent="22.22", line=2501),
        F("completion", "一般公共预算财政拨款支出", "307.97", percent="19.68", budget="1564.98", line=2505),
        # '支出决算为X万元。支出预算为Y万元。完成年初预算的C%' over three wrapped lines
        F(
            "completion",
            "社会保障和就业支出（类）行政事业单位离退休（款）机关事业单位基本养老保险缴费支出（项）",
            "19.87",
            percent="100",
            budget="19.87",
            line=2511,
        ),
        F(
            "completion",
            "卫生健康支出（类）行政事业单位医疗（款）行政单位医疗（项）",
            "8.3",
            percent="100",
            direction="持平",
            budget="8.3",
            line=2517,
        ),
        F("completion", "农林水支出（类）扶贫（款）其他扶贫支出（项）", "68.44", percent="100", budget="68.44", line=2540),
        F("amount", "人员经费", "190.96", line=2546),
        F("amount", "公用经费", "11.7", line=2550),
        F("completion", "“三公”经费", "0", percent="0", budget="0", line=2560),
        F("completion", "因公出国（境）费", "0", percent="0", line=2570),
        F("share", "因公出国（境）费", "0", percent="0", line=2570),
        F("count", "公务用车保有量", "0", unit="辆", line=2589),
        F("count", "项目支出", "8", unit="个", line=2626),
        F("share", "决算资金", "105.3", percent="8", line=2626),
        F("budget_vs_actual", "城乡居民医保区级配套项目", "975", budget="1150", line=2630),
        F("score", "城乡居民医保区级配套项目", "99", unit="分", line=2632),
        F("budget_vs_actual", "欺诈骗保医保基金行为举报奖励专项项目", "0", budget="1", line=2683),  # '1 万元.决算数 0 万元'
        F("completion", "政府性基金预算财政拨款支出", "0", percent="0", budget="0", line=2726),
        F("completion", "机关运行经费", "11.7", percent="78", budget="15", line=2732),
        F("share", "授予中小企业合同金额", "0", percent="0", line=2742),
        F("count", "车辆", "0", unit="辆", line=2748),
        F("count", "单位价值100万元以上专用设备", "0", unit="台（套）", line=2754),
    ]:
        assert expected in got, expected
    assert all((f.location.line or 0) >= 2447 or f.section.startswith("第一部分") for f in facts)


# --- PDF text: lines wrap without blank lines ---


def pdf_lines(pages: range, with_bbox: bool) -> list[Line]:
    import pdfplumber  # a dev dependency: an independent text pass, not cnbudget's reader

    lines = []
    with pdfplumber.open(PUTUO_PDF) as pdf:
        for number in pages:
            page = pdf.pages[number - 1]
            if with_bbox:
                for i, tl in enumerate(page.extract_text_lines(), 1):
                    lines.append(Line(tl["text"], number, i, (tl["x0"], tl["top"], tl["x1"], tl["bottom"])))
            else:
                for i, text in enumerate((page.extract_text() or "").split("\n"), 1):
                    lines.append(Line(text, number, i))
    return lines


@pytest.mark.parametrize("with_bbox", [False, True])
def test_pdf_text_wrapped_lines(with_bbox: bool) -> None:
    sections, facts = read_narrative(pdf_lines(range(20, 29), with_bbox), str(PUTUO_PDF))
    assert [(s.number, s.title) for s in sections] == [("第三部分", "上海市普陀区规划和自然资源局2024年度部门决算情况说明")]
    assert numbers(sections[0]) == ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一"]
    got = {(f.kind, f.subject, str(f.value), str(f.percent), str(f.change), f.location.page, f.location.line) for f in facts}
    for expected in [
        ("amount", "收入支出总计", "9859.38", "None", "None", 20, 5),
        ("change", "收入支出总计", "9859.38", "12.08", "1062.85", 20, 5),
        ("change", "项目支出", "None", "None", "1133.95", 20, 7),  # '主要原因：项目支出增加，较上一度增加 1133.95 万元'
        ("share", "项目支出", "4381.74", "44.90", "None", 20, 14),
        ("share", "一般公共预算财政拨款支出", "9746.50", "99.86", "None", 21, 2),  # '占本年支出合计' / '的 99.86%'
        ("change", "一般公共预算财政拨款支出", "9746.50", "None", "1193.20", 21, 4),  # '增长 13.95。' has no %
        ("completion", "一般公共预算财政拨款支出", "9746.50", "95.45", "None", 21, 14),
        ("completion", "城乡社区支出（类）城乡社区规划与管理（款）城乡社区规划与管理（项）", "2739.56", "88.08", "None", 23, 13),
        ("completion", "“三公”经费", "0.39", "13.68", "None", 25, 4),
        ("change", "“三公”经费", "0.39", "27.78", "0.15", 25, 12),
        ("change", "因公出国（境）费", "0.00", "None", "None", 25, 13),
        ("share", "公务接待费", "0.39", "100.00", "None", 25, 20),
        ("count", "优", "39", "None", "None", 27, 8),
        ("score", "平均得分", "99.33", "None", "None", 27, 7),
        ("change", "机关运行经费", "142.80", "8.65", "13.52", 27, 13),
        ("amount", "政府采购", "2319.21", "None", "None", 27, 19),
        ("count", "单价100万元（含）以上设备", "0", "None", "None", 28, 12),
    ]:
        assert expected in got, expected
    completions = [f for f in facts if f.kind == "completion" and "（项）" in f.subject]
    assert len(completions) == 13
    assert not any("八项" in f.printed for f in facts)  # '中央八项规定' is not a count


# --- joining wrapped lines ---


def test_joiner_on_hand_made_lines() -> None:
    text = [
        "第二部分 情况说明",
        " 一、收入支出决算总体情况说明",
        "",
        "**2021 年度收、支总计均为 307.97万元**。与上年度相比，收、",
        "",
        "支总计各增加 25",
        ".13万元，增长 8%。",
        "（一）机关运行经费支出情况。2024年机关运行经费支出预算20万元，比上年减少2万元，下降9.09%。",
        "（二）国有资产占用情况",
        "截至2023年12月31日，共有车辆一辆，其中：一般公务用车1辆；单价50万元以上通用设备0台（套）。",
        "- 12 -",
        "二、其他",
        "安排两个项目，项目资金共计10万元。",
    ]
    sections, facts = read_narrative([Line(t, None, i) for i, t in enumerate(text, 1)], "x")
    assert outline(sections) == [
        ("第二部分", [("一收入支出决算总体情况说明", [("（一）机关运行经费支出情况", []), ("（二）国有资产占用情况", [])]), ("二其他", [])])
    ]
    assert [F.of(f) for f in facts] == [
        F("amount", "收、支总计", "307.97", line=4),
        F("change", "收、支总计", "307.97", percent="8", direction="增加", change="25.13", line=6),
        F("amount", "机关运行经费", "20", line=8),
        F("change", "机关运行经费", "20", percent="9.09", direction="减少", change="2", line=8),
        F("count", "车辆", "1", unit="辆", line=10),
        F("count", "一般公务用车", "1", unit="辆", line=10),
        F("count", "单价50万元以上通用设备", "0", unit="台（套）", line=10),
        F("count", "项目", "2", unit="个", line=13),
        F("amount", "项目资金", "10", line=13),
    ]
    assert facts[0].sentence == "2021年度收、支总计均为307.97万元。"
    assert facts[4].printed == "一"


def test_phrasings_of_change_and_completion() -> None:
    text = [
        "一、其他重要事项情况说明",
        "2024年度财政拨款收入支出总计0.3万元。与2023年度相比，财政拨款收入支出总计持平。",
        "机关运行经费预算为50万元，比上年预算减少5万元，下降9.09%。",
        "机关运行经费支出5.96万元，年初预算数7.83万元，比年初预算数减少1.87万元，降低23.88%。",
        "1、行政运行（项）。年初预算为10.00万元，支出决算为10.00万元。决算数与预算数基本持平。",
    ]
    _, facts = read_narrative([Line(t, None, i) for i, t in enumerate(text, 1)], "x")
    assert [F.of(f) for f in facts] == [
        F("amount", "财政拨款收入支出总计", "0.3", line=2),
        F("change", "财政拨款收入支出总计", "0.3", direction="持平", line=2),
        F("amount", "机关运行经费", "50", line=3),
        # last year's budget is last year: a change, not a comparison with this year's budget
        F("change", "机关运行经费", "50", percent="9.09", direction="减少", change="5", line=3),
        F("amount", "机关运行经费", "5.96", line=4),
        F("budget_vs_actual", "机关运行经费", "5.96", percent="23.88", direction="减少", change="1.87", budget="7.83", line=4),
        F("completion", "行政运行（项）", "10.00", direction="持平", budget="10.00", line=5),
    ]


def test_empty_input() -> None:
    assert read_narrative([], "x") == ([], [])
