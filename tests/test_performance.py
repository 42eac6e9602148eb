"""Performance forms read from the real seed documents, values checked by reading the seeds.

The blocks are built here by a small stand-in for the reader (tab / pipe lines → Grid, other
lines → Line, forms cut at their titles); the lead's reader replaces it later.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from cnbudget.i18n import render
from cnbudget.model import Cell, Grid, Line, PerformanceForm
from cnbudget.recognize.performance import (
    align,
    indicator_cost,
    indicator_skip,
    parse_target,
    read_form,
    read_forms,
    split_forms,
)
from conftest import SEEDS as SEEDS_DIR

SEEDS = SEEDS_DIR
TITLE = re.compile(r"(绩效目标表|绩效自评表|目标自评表|自评情况汇总表|自评）申报表)$")
END = re.compile(r"^(#|第.部分)")


def to_blocks(text: str) -> list[Line | Grid]:
    """Tab lines and '|' lines become grids (markdown separator rows dropped); the rest Lines."""
    blocks: list[Line | Grid] = []
    rows: list[list[Cell]] = []
    for no, raw in enumerate(text.split("\n"), 1):
        s = raw.strip()
        if "\t" in raw:
            rows.append([Cell(t, None, no) for t in raw.split("\t")])
        elif s.startswith("|"):
            if not re.fullmatch(r"\|[\s\-:|]*\|", s):
                rows.append([Cell(p.strip(), None, no) for p in s.strip("|").split("|")])
        else:
            if rows:
                blocks.append(Grid(rows=rows, page=None, line=rows[0][0].line))
                rows = []
            if s:
                blocks.append(Line(raw, None, no))
    if rows:
        blocks.append(Grid(rows=rows, page=None, line=rows[0][0].line))
    return blocks


def kind_of(title: str) -> str:
    if "汇总表" in title:
        return "self_eval_summary"
    if "整体" in title:
        return "overall_self_eval" if "自评" in title else "overall_target"
    return "project_self_eval" if "自评" in title else "project_target"


def segments(seed: str) -> list[tuple[str, list[Line | Grid]]]:
    """(title, blocks) for every form title in a seed, up to the next title or part heading."""
    path = next(SEEDS.glob(f"{seed}_*.txt"))
    out: list[tuple[str, list[Line | Grid]]] = []
    current: list[Line | Grid] | None = None
    for b in to_blocks(path.read_text(encoding="utf-8")):
        if isinstance(b, Line):
            s = b.text.strip()
            if TITLE.search(s) and len(s) < 60 and not s.startswith("-"):
                current = []
                out.append((s.lstrip("#").strip(), current))
                continue
            if END.match(s) and current is not None and not TITLE.search(s):
                current = None
                continue
        if current is not None:
            current.append(b)
    return out


def forms(seed: str) -> list[PerformanceForm]:
    return [f for title, blocks in segments(seed) for f in read_forms(kind_of(title), title, blocks, seed)]




def by_name(fs: list[PerformanceForm], name: str) -> PerformanceForm:
    found = [f for f in fs if f.name == name]
    assert len(found) == 1, [f.name for f in fs]
    return found[0]


D = Decimal

# ---------------------------------------------------------------------------------------------
# seed 003 (峄城 2020 决算): the 汇总表 and every self-evaluation form
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def f003() -> list[PerformanceForm]:
    return forms("003")


def test_003_summary(f003: list[PerformanceForm]) -> None:
    summary = [f for f in f003 if f.kind == "self_eval_summary"]
    assert len(summary) == 1
    s = summary[0]
    assert s.unit_name == "枣庄市峄城区医疗保障局本级"
    assert len(s.summary_rows) == 13
    assert [r["自评得分"] for r in s.summary_rows] == [
        "99.91", "99.6", "100", "100", "100", "99.94", "100", "98.69", "100", "97.22", "100", "100", "100",
    ]  # fmt: skip
    assert s.summary_rows[1] == {"序号": "2", "项目名称": "1-6级伤残军人", "自评得分": "99.6", "自评等级": "优"}
    assert {r["自评等级"] for r in s.summary_rows} == {"优"}


# name, 年初预算数, 全年预算数, 全年执行数, 执行得分, 总分 — as printed in every form of seed 003
EXPECTED_003 = [
    ("电话网络费", "2.4", "2.3", "2.3", "10.00", "100.00"),
    ("慢性病专家鉴定费", "4", "1.6", "1.6", "10.00", "100.00"),
    ("照相机摄像机、行政执法记录仪、微型录音机", "4.8", "4.8", "4.8", "10.00", "100.00"),
    ("第三方考核经费", "2", "2", "2", "10.00", "100.00"),
    ("基金监管、稽核打击欺诈骗保专项经费", "9", "2", "2", "10.00", "100.00"),
    ("新冠肺炎疫情防控补助结算资", None, None, None, None, None),  # 申报表: no such columns
    ("医疗保障与服务能力提升专项补助资金（医疗保障能力建设部分）", None, None, None, None, None),
    ("1-6级伤残军人基本医疗保险费", "25.88", "15.17", "15.17", "10.00", "99.60"),
    ("金保系统专网维护费", "5", "5", "4.97", "9.94", "99.94"),
    ("劳务费", "6.8", "6.8", "4.9", "7.22", "97.22"),
    ("医疗救助（含扶贫医疗）", "1541.28", "1361.11", "1348.2", "9.91", "99.91"),
    ("职工、居民医疗保险基金征收经费", "15.95", "12.45", "11.93", "9.58", "98.69"),
    ("医疗保障与服务能力提升专项补助资金（医疗保障能力建设部分）", None, None, None, None, None),
]


def _d(x: str | None) -> Decimal | None:
    return None if x is None else D(x)


def test_003_every_form(f003: list[PerformanceForm]) -> None:
    evals = [f for f in f003 if f.kind == "project_self_eval"]
    got = [(f.name, f.budget_initial, f.budget_full_year, f.executed, f.execution_score, f.total_score) for f in evals]
    want = [(n, _d(a), _d(b), _d(c), _d(s), _d(t)) for n, a, b, c, s, t in EXPECTED_003]
    assert got == want
    for f in evals[:5] + evals[7:12]:  # the 项目支出绩效自评表 proper
        assert f.execution_weight == 10
        assert f.total_weight == 100
        assert f.unit_name in ("枣庄市峰城区医疗保障局", "枣庄市峄城区医疗保障局")
        assert len(f.indicators) == 7
        assert sum(i.weight or 0 for i in f.indicators) == 90
        assert all(i.level1 and i.level2 and i.name and i.target_text and i.actual_text for i in f.indicators)


def test_003_disabled_soldiers(f003: list[PerformanceForm]) -> None:
    f = by_name(f003, "1-6级伤残军人基本医疗保险费")
    assert f.execution_rate_printed == "100.00%"
    assert f.amounts["年度资金总额·年初预算数"].printed == "25.88"
    assert f.amounts["财政拨款·全年执行数"].value == D("15.17")
    assert f.amounts["其他资金·全年预算数"].value == 0
    first = f.indicators[0]
    assert (first.level1, first.level2, first.name) == ("项目产出(50分)", "数量指标", "伤残军人人数")
    assert (first.target_text, first.target, first.target_unit, first.actual_text) == ("75人", D(75), "人", "73人")
    assert (first.weight, first.score) == (D(15), D("14.6"))
    assert first.note.startswith("1人自行办理退休")
    cost = f.indicators[3]
    assert (cost.level2, cost.target, cost.target_unit, cost.actual_text) == ("成本指标", D("25.88"), "万元", "15.17万元")
    last = f.indicators[-1]
    assert (last.level1, last.level2, last.name) == ("满意度指标(10分)", "社会公众或服务对象满意度", "伤残军人满意度")
    assert f.total_score == D("99.60") and f.total_score.as_tuple().exponent == -2


def test_003_labour(f003: list[PerformanceForm]) -> None:
    f = by_name(f003, "劳务费")
    assert (f.execution_rate_printed, f.execution_score, f.total_score) == ("72.21%", D("7.22"), D("97.22"))
    assert f.indicators[-1].level1 == "满意度指标(10分)"  # '满意度指 标(10分)' wrapped by the converter


def test_003_shifted_rows(f003: list[PerformanceForm]) -> None:
    # '满意度指标(10分)→社会公众…→群众对执法的满意度→90%…' lost its leading empty cell
    camera = by_name(f003, "照相机摄像机、行政执法记录仪、微型录音机")
    sat = camera.indicators[-1]
    assert (sat.level1, sat.name, sat.target_text, sat.weight, sat.score) == (
        "满意度指标(10分)", "群众对执法的满意度", "90%", D(10), D(10),
    )  # fmt: skip
    # '总分→→→→→100→100.00→→' is shifted too
    assert by_name(f003, "慢性病专家鉴定费").total_score == D("100.00")


def test_003_central_subsidy_forms(f003: list[PerformanceForm]) -> None:
    central = [f for f in f003 if f.name.startswith("医疗保障与服务能力提升专项补助资金")]
    assert len(central) == 2
    a, b = central
    assert a.amounts["中央资金·全年预算数"].value == 8 and a.amounts["中央资金·全年执行数"].value == D("7.99")
    assert b.amounts["中央资金·全年预算数"].value == 6 and b.amounts["中央资金·全年执行数"].value == 6
    # 实施单位 is printed twice (市级 / 县级) with different names: not chosen, reported
    assert a.unit_name == ""
    assert any("实施单位" in u for u in a.unreadable)
    # rows shifted left / right and the header repeated after page breaks
    names = [i.name for i in a.indicators]
    assert "医保信息系统运行维护响应时间" in names and "医保法制建设能力" in names
    resp = next(i for i in a.indicators if i.name == "医保信息系统运行维护响应时间")
    assert (resp.operator, resp.target, resp.target_unit, resp.actual_text) == ("≤", D(30), "分钟", "30分钟")
    drg = next(i for i in b.indicators if i.name.startswith("按照省级统一标准"))
    assert (drg.level2, drg.target_text, drg.actual_text) == ("时效指标", "按照市医保局统一部署", "完成")
    assert b.indicators[-1].name == "参保人员对医保服务满意度"


def test_003_declaration_form(f003: list[PerformanceForm]) -> None:
    f = by_name(f003, "新冠肺炎疫情防控补助结算资")
    assert f.unit_name == "峰城区医疗保障局"
    assert f.amounts["年度财政拨款"].value == D("5.2") and f.amounts["年度财政拨款"].unit == "万元"
    assert [(i.name[-4:], i.target_text, i.actual_text) for i in f.indicators] == [
        ("达)人数", "804", "804"), (")拨付率", "100%", "100%"), ("央直达)", "按时", "按时"),
        ("个人负担", "是", ""), ("众满意度", "99%", ""),
    ]  # fmt: skip


# ---------------------------------------------------------------------------------------------
# seed 000 (安阳 2021 预算)
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def f000() -> list[PerformanceForm]:
    return forms("000")


def test_000_project_target(f000: list[PerformanceForm]) -> None:
    f = by_name(f000, "基金监管专项检查")
    assert f.kind == "project_target" and f.unit_name == "安阳市医疗保障局"
    assert f.amounts["年度资金总额"].printed == "30.00" and f.amounts["年度资金总额"].unit == "万元"
    assert f.amounts["实施期资金总额"].value == 30 and f.amounts["年度财政拨款"].value == 30
    assert f.amounts["年度其他资金"].value == 0
    ind = {i.name: i for i in f.indicators}
    check = ind["检查定点医疗机构"]
    assert (check.level1, check.level2, check.operator, check.target, check.target_unit) == (
        "产出指标", "数量指标", "≥", D(30), "家",
    )  # fmt: skip
    total = ind["总投入"]
    assert (total.level1, total.operator, total.target, total.target_unit) == ("成本指标", "≤", D(30), "万")
    assert (ind["宣传经费"].operator, ind["宣传经费"].target) == ("<", D("1.5"))
    fraud = ind["欺诈骗保行为"]
    assert fraud.qualitative and fraud.target is None and fraud.target_text == "明显遏制"
    assert ind["定点医药机构检查全覆盖"].target_text == "12月底前" and ind["定点医药机构检查全覆盖"].target is None
    # the last row lost its leading empty cell ('满意度指标→服务对象满意度指标→…')
    assert ind["定点零售机构对医保服务满意度"].level1 == "满意度指标"
    assert len(f.indicators) == 15  # the empty 生态 / 可持续 template rows are not indicators


def test_000_second_project_and_words(f000: list[PerformanceForm]) -> None:
    f = by_name(f000, "第三方审核平台基础性服务")
    low = next(i for i in f.indicators if i.name == "年度排查的医保违规线索")
    assert (low.target_text, low.operator, low.target, low.target_unit) == ("不低于800万", "≥", D(800), "万")


def test_000_overall_flattened(f000: list[PerformanceForm]) -> None:
    f = next(x for x in f000 if x.kind == "overall_target")
    assert f.name == "安阳市医疗保障局"
    assert {k: a.value for k, a in f.amounts.items()} == {
        "部门预算总额": D("623.66"), "财政性资金": D("623.66"), "其他资金": 0, "基本支出": D("503.66"), "项目支出": 120,
    }  # fmt: skip
    assert [(i.level1, i.level2, i.name, i.target_text) for i in f.indicators] == [
        ("投入管理指标", "预算和财务管理", "预算执行率", "90"),
        ("投入管理指标", "预算和财务管理", "结转结余率", "10"),
        ("投入管理指标", "预算和财务管理", "“三公经费”控制率", "80"),
        ("投入管理指标", "预算和财务管理", "政府采购执行率", "90"),
    ]
    assert f.indicators[1].note.startswith("结转结余率=结转结余总额/预算数*100%")


def test_000_overall_goals_and_tasks(f000: list[PerformanceForm]) -> None:
    """Flattened to one paragraph per cell (seed lines 230–263): the 年度履职目标 cell prints six
    lines, one goal each; the tasks follow their 任务名称 / 主要内容 header as name, content pairs."""
    f = next(x for x in f000 if x.kind == "overall_target")
    assert f.goals == [
        "目标一：大力推进全民参保计划",
        "目标二：全面做实市级统筹",
        "目标三：持续推进支付方式改革",
        "目标四：强化医保基金监管",
        "目标五：优化医保经办服务",
        "目标六：积极推进医疗保障业务骨干网建设",
    ]
    assert f.tasks == [
        {
            "任务名称": "大力推进全民参保计划",
            "主要内容": "统筹推进法定参保人群应保尽保，推动建立部门信息共享和工作协同联动机制，不断更新全民登记信息",
        },
        {
            "任务名称": "全面做实市级统筹",
            "主要内容": "制定市级统筹医保经办具体规程，严格按照全市统一的业务流程办理各项医疗保障业务，实现事项名称、经办方式、经办流程、"
            "申办材料、办理时限、服务标准的“六统一”，提高经办业务规范化、标准化和专业化水平",
        },
        {
            "任务名称": "持续推进支付方式改革",
            "主要内容": "在全市范围内全面开展总额控制下，按疾病诊断相关分组（DRG）付费为主，按人头付费、按病种付费等支付方式改革",
        },
        {
            "任务名称": "强化医保基金监管",
            "主要内容": "建立基金监管长效机制，不断完善医保智能审核系统，充分运用现代信息化技术，提升基金监管的覆盖面、精准度、和时效性",
        },
        {
            "任务名称": "积极推进医疗保障业务骨干网建设",
            "主要内容": "按照河南省医疗保障业务骨干网统一设计、统一标准、统一技术构架、统一业务规范，实现便捷高效、智能精准、融合共享、"
            "安全可靠的建设目标",
        },
    ]
    assert not f.unreadable
    # the project forms' goals are not read (only the 整体绩效目标表's)
    assert all(not x.goals and not x.tasks for x in f000 if x.kind != "overall_target")


# ---------------------------------------------------------------------------------------------
# seed 001 (济源 2021 预算)
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def f001() -> list[PerformanceForm]:
    return forms("001")


def test_001_overall(f001: list[PerformanceForm]) -> None:
    f = f001[0]
    assert (f.kind, f.name) == ("overall_target", "济源产城融合示范区医疗保障局")
    assert f.amounts["部门预算总额"].printed == "7,764.9" and f.amounts["部门预算总额"].value == D("7764.9")
    assert f.amounts["项目支出"].value == D("4657.7")  # a row shifted left: '(2)项目支出→4,657.7'
    ind = {i.name: i for i in f.indicators}
    assert (ind["预算调整率"].level2, ind["预算调整率"].operator, ind["预算调整率"].target) == ("预算和财务管理", "≤", 15)
    assert ind["预算调整率"].note.startswith("预算调整率=")
    # rows shifted by the converter: name and value land in their columns
    assert (ind["评价结果应用率"].level2, ind["评价结果应用率"].target_text) == ("绩效管理", "100%")
    assert (ind["经办服务体系"].level2, ind["经办服务体系"].target_text) == ("重点工作任务完成", "健全")
    assert ind["参保人员服务满意度"].level1 == "效益指标"


def test_001_overall_goals_and_tasks(f001: list[PerformanceForm]) -> None:
    """Tab grid (seed lines 298–303); the converter shifted the fourth task row one cell left
    ('4.全面提升能力水平' in the label column): its cells still land under 任务名称 / 主要内容."""
    f = f001[0]
    assert f.goals == [
        "全面落实省医疗保障工作会议部署,立足新发展阶段,贯彻新发展理念,坚持以人民为中心的发展思想,紧扣推动医疗保障高质量发展的主题,"
        "以深入贯彻落实《关于深化医疗保障制度改革的意见》为核心,保持政策的连续性、稳定性和可持续性,继续深化改革,狠抓精细化管理,"
        "确保“十四五”开好局、起好步"
    ]
    assert f.tasks == [
        {"任务名称": "1.持续增强保障能力", "主要内容": "落实医疗保障待遇清单制度、规范完善重大疾病医疗保险和救助制度"},
        {"任务名称": "2.持续加强基金监管", "主要内容": "贯彻落实《医疗保障基金使用监督管理条例》、持续开展规范使用医保基金行为专项治理"},
        {"任务名称": "3.持续深化医保改革", "主要内容": "深入推进药品和医用耗材集中带量采购。"},
        {"任务名称": "4.全面提升能力水平", "主要内容": "规范完善行政执法制度、加强经办服务体系建设、加快推进医疗保障信息平台建设"},
    ]
    assert not f.unreadable


def test_001_project_forms(f001: list[PerformanceForm]) -> None:
    projects = [f for f in f001 if f.kind == "project_target"]
    assert len(projects) == 20  # one title is truncated ('…绩效目'): split_forms still separates it
    assert projects[-1].name == "综合救助专项-城乡医疗救助" and projects[-1].amounts["项目总金额"].value == D("585.30")
    drg = projects[0]
    assert drg.name == "医疗服务能力提升专项-DRG付费方式改革"
    assert drg.unit_name == "济源产城融合示范区医疗保障局"  # from the title: the form has no 单位名称
    assert drg.amounts["项目本年度金额"].value == 100
    ind = {i.name: i for i in drg.indicators}
    # '→→项目管理→合同管理完备性' and '→项目质量可控性→→可控' are shifted rows
    assert (ind["合同管理完备性"].level2, ind["合同管理完备性"].target_text) == ("项目管理", "")
    assert (ind["项目质量可控性"].level2, ind["项目质量可控性"].target_text) == ("项目管理", "可控")
    assert (ind["业务系统培训人数"].level1, ind["业务系统培训人数"].target_unit) == ("影响力目标", "人次")
    cctv = by_name(f001, "电子政务专项-定点药店视频监控系统")
    # '影响力目标' was lifted out of the grid as a line; the rows after it are shifted left
    assert [(i.level1, i.level2, i.name) for i in cctv.indicators[-3:]] == [
        ("影响力目标", "人力资源", "培训定点药店数量"),
        ("影响力目标", "配套设施", "配套设施完备性"),
        ("影响力目标", "其它", "切实减轻病人负担"),
    ]
    assert {i.target_text for i in cctv.indicators if i.name == "合同管理完备性"} == {"完备"}


# ---------------------------------------------------------------------------------------------
# seed 002 (台前 2023 预算): markdown tables, the wide project table split over pages
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def f002() -> list[PerformanceForm]:
    return forms("002")


def test_002_overall(f002: list[PerformanceForm]) -> None:
    f = f002[0]
    assert (f.kind, f.name) == ("overall_target", "台前县医疗保障局本级")
    assert f.amounts["部门预算总额"].value == D("2469.94") and f.amounts["项目支出"].value == D("1885.44")
    assert len(f.indicators) == 26
    assert f.indicators[-1].name == "服务对象满意度" and f.indicators[-1].target == 98


def test_002_overall_goals_and_tasks(f002: list[PerformanceForm]) -> None:
    """Markdown grid (seed lines 430–434): the goal is one cell of four <p> paragraphs; the HTML is
    stripped (the text reader removes it before recognition), so it is one item."""
    f = f002[0]
    assert f.goals == [
        "深入贯彻党的十九大关于全面建立中国特色医疗保障制度的决策部署,根据县委县政府年度重点工作任务安排,坚持基本医疗保险应保尽保、"
        "量力而行、稳健可持续的原则,构架我县覆盖全民、城乡统筹、保障适度、可持续的多层次医疗保障体系,提升医疗保障管理法制化、标准化、"
        "智能化水平,深化医疗保障制度改革,探索适合我县工作实际的医疗保障支付方式,完善药品及医用耗材集中采购机制,强化基金监督管理,"
        "维护基金安全,提升医疗保障基金使用效率,提高参保群众满意度和获得感。"
        "1.拟订医疗保险、生育保险、离休人员医疗保障、移交政府安置的军队离退休干部医疗保障、医疗救助等医疗保障制度并组织实施。"
        "2.组织拟订全县医疗保障基金监督管理办法并组织实施,建立健全医疗保障基金安全防控机制,推进医疗保障基金支付方式改革。"
        "3.组织拟订全选医疗保障筹资和待遇政策,完善动态调整机制和区域调剂平衡机制,统筹城乡医疗保障待遇标准,"
        "建立健全与筹资水平相适应的待遇调整机制。推动长期护理保险制度改革。"
    ]
    assert f.tasks == [
        {
            "任务名称": "加大医保支付方式改革力度",
            "主要内容": "在医保基金实施总额预算管理基础上,推荐按病种分值付费工作,引导定点医疗机构由被动控费向主动扣费转变",
        },
        {
            "任务名称": "推进药品和耗材带量采购",
            "主要内容": "持续落实国家省、市、省组织的药品和医用耗材集中带量采购工作,积极参与与片区联盟。建立医疗服务价格动态调整机制,"
            "持续优化医疗服务价格结构,积极组织医疗机构申报新增医疗服务价格项目",
        },
        {
            "任务名称": "健全统一规范的医疗救助制度",
            "主要内容": "全面落实资助重点救助参保对象参保缴费政策,健全重点救助对象医疗费用救助机制,探索防范和化解因病致贫返贫医疗救助机制,"
            "增强医疗救助托底保障功能,合理控制贫困群众政策范围内自付比例",
        },
    ]
    assert not f.unreadable


@pytest.mark.parametrize("seed", ["000", "001", "002"])
def test_overall_goals_and_tasks_through_the_pipeline(seed: str) -> None:
    """The real text reader (HTML stripped at ingest) gives the same goals and tasks as the blocks here."""
    from cnbudget.pipeline import read_disclosure

    read = next(f for f in read_disclosure(str(next(SEEDS.glob(f"{seed}_*.txt")))).performance if f.kind == "overall_target")
    here = next(f for f in forms(seed) if f.kind == "overall_target")
    assert (read.goals, read.tasks) == (here.goals, here.tasks) and read.goals and read.tasks


def test_002_wide_table(f002: list[PerformanceForm]) -> None:
    wide = [f for f in f002 if f.kind == "project_target"]
    assert len(wide) == 13
    assert all(f.unit_name == "台前县医疗保障局" for f in wide)
    first = wide[0]
    assert first.name == "工作经费（上年结转）"
    assert first.amounts["资金总额"].value == D("5.09") and first.amounts["政府预算资金"].value == D("5.09")
    cost = first.indicators[0]
    assert (cost.level1, cost.target_text, cost.operator, cost.target) == ("成本指标", "≤5.09", "≤", D("5.09"))
    assert [i.name for i in first.indicators if i.level1 == "产出指标"] == ["满足对象", "提高办公人员服务质量", "完成时间"]
    # the total of the first unit block is the sum of its projects
    assert sum(f.amounts["资金总额"].value for f in wide[:11]) == D("1885.44")
    # one project is printed twice (two codes, same name and amount): both are read
    twice = [f for f in wide if f.name == "濮财预【2022】439号提前下达2023医疗救助补助资金"]
    assert len(twice) == 2 and {f.amounts["资金总额"].value for f in twice} == {D("1008.00")}
    # a name and cells wrapped across a page break are joined to the row above
    sat = [i for i in twice[1].indicators if i.level1 == "满意度指标"]
    assert [(i.name, i.target_text) for i in sat] == [("救助对象满意度", "≥90%")]
    # page pieces that lost a column are put back: 指标值 stay 指标值
    last = wide[-1]
    assert last.name == "豫财社【2022】197号医疗保障服务能力提升资金"
    out = [(i.name, i.target_text) for i in last.indicators if i.level1 == "产出指标"]
    assert ("医保信息系统验收合格率", "100%") in out and ("定点医疗机构监督检查覆盖率", "100%") in out
    counts = {i.level1 for f in wide for i in f.indicators}
    assert counts == {"成本指标", "产出指标", "效益指标", "满意度指标"}


def test_002_read_form_on_whole_wide_table() -> None:
    title, blocks = next((t, b) for t, b in segments("002") if "项目绩效目标表" in t)
    f = read_form("project_target", title, blocks, "002")
    assert f.name == "工作经费（上年结转）"
    assert any("12 more projects" in u for u in f.unreadable)


# ---------------------------------------------------------------------------------------------
# seed 004 (北关 2021 决算): the tables survive only as scrambled text
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def f004() -> list[PerformanceForm]:
    return forms("004")


def test_004_names_and_totals(f004: list[PerformanceForm]) -> None:
    overall = f004[0]
    assert (overall.kind, overall.name, overall.total_score) == ("overall_self_eval", "北关区医疗保障局", 97)
    got = [(f.name, f.unit_name, f.total_weight, f.total_score) for f in f004[1:]]
    assert got == [
        ("困难群众大病补充医疗保险", "北关区医保局", 100, 97),
        ("慢性病专家鉴定费", "北关区医保局", 100, 94),
        ("城乡居民医保区级配套", "北关区医保局", 100, 97),
        ("城乡居民医疗救助托管费", "北关区医保局", 100, 99),
        ("欺诈骗取医保基金行为举报奖励专项", "北关区医保局", 100, 99),
        ("北关区政府扶贫防贫保障", "北关区医保局", 100, 99),
        ("基本医疗保险委托管理费", "北关区医保局", 100, 99),
        ("北关区政府扶贫防贫保险委托管理费", "北关区医保局", 100, 99),
    ]


def test_004_nothing_invented(f004: list[PerformanceForm]) -> None:
    # only figures printed right under their own label are kept
    budgets = [(f.budget_initial, f.budget_full_year, f.executed) for f in f004[1:]]
    assert budgets == [
        (None, None, None),
        (None, None, D("0.48")),  # '全年执行数' / '0.48'
        (None, None, D(975)),  # '全年执行数' / '975' ('年初预算数 全年预算数' / '1150' is ambiguous)
        (None, None, None),
        (None, None, None),
        (D(100), D(100), None),  # '年初预算数' / '100' / '全年预算数' / '100'
        (None, None, None),
        (None, None, None),
    ]
    # the funds row's 分值 / 执行率 / 得分 glued before the 项目资金 label, in the printed column order; the 执行率
    # also as the one percentage the funds block prints ('24%', '85%', '68%' on lines of their own)
    execution = [(f.execution_weight, f.execution_rate_printed, f.execution_score) for f in f004[1:]]
    assert execution == [
        (D(10), "100%", None),  # '10 100%项目资金': 分值, 执行率
        (D(10), "24%", D(3)),  # '10 3项目资金': 分值, 得分; '24%' alone in the block
        (D(10), "85%", D(9)),
        (D(10), "100%", D(10)),
        (D(10), "0", D(0)),  # '10 0 0项目资金': 分值, 执行率, 得分
        (D(10), "68%", D(7)),
        (D(10), "100%", D(10)),
        (D(10), "100%", D(10)),
    ]
    assert f004[0].execution_score is None and f004[0].execution_weight is None
    for f in f004:
        assert f.indicators == [] and f.amounts == {}
        assert f.unreadable, f.name
        assert any("绩效指标" in u for u in f.unreadable)
    # what is still not tied is said: 困难群众… prints 得分 with no figure after the 执行率, 慢性病… its 年初/全年预算数
    assert any("得分" in u and "执行率" not in u for u in f004[1].unreadable if u.startswith("项目资金"))
    assert any("全年预算数" in u for u in f004[2].unreadable if u.startswith("项目资金"))


def test_004_indicator_rows_read_whole_and_counted(f004: list[PerformanceForm]) -> None:
    """Only rows whose 指标值, 实际完成值, 分值 and 得分 share one printed line are read, without a name; the
    numbered names (指标 1：… 19 per form, 1 2 3 then 1 2 for each 二级指标) are counted. '10 分 完成 5 5' (l.1112)
    is not a row: '10 分' is the 满意度指标's weight glued before it."""
    rows = {f.name: [(i.location.line, i.target_text, i.actual_text, i.weight, i.score) for i in f.unnamed_indicators] for f in f004}
    assert rows["北关区医疗保障局"] == []  # the 整体 form is not read this way
    assert rows["慢性病专家鉴定费"] == [(752, "100%", "明显", D(2), D(1)), (763, "100%", "明显", D(3), D(1))]
    assert rows["城乡居民医保区级配套"] == [(918, "15万人", "完成", D(5), D(5)), (990, "1150", "完成", D(5), D(5))]
    assert rows["北关区政府扶贫防贫保障"] == [
        (1733, "5000人", "完成", D(5), D(5)),  # '5000 人 完成 5 5指标 1：…': number and unit printed apart
        (1799, "100", "完成", D(5), D(5)),
        (1824, "100%", "明显", D(2), D(1)),
        (1841, "100%", "完成", D(3), D(3)),
        (1907, "99%", "完成", D(5), D(5)),
    ]
    assert all(i.name == "" for f in f004 for i in f.unnamed_indicators)
    assert [f.indicator_count for f in f004] == [None] + [19] * 8
    # the note is a catalog Message: made in the language in force when the module fixture read the seed
    assert any("2 row(s) of the 19 printed" in render(u, "en") for u in f004[2].unreadable)
    assert any("2行（共印出19个指标" in render(u, "zh") for u in f004[2].unreadable)


def test_scrambled_rows_that_could_be_two_rows_are_not_read() -> None:
    """A 得分 above its 分值 on one line may be two rows' numbers meeting: not read, and said."""
    lines = ["项目名称", "某项目", "10 8项目资金", "一级指标 三级指标 指标值", "指标 1：甲项", "3100人 完成 5 7", "100% 完成 5 5", "100 98", "总分"]
    blocks: list[Line | Grid] = [Line(t, 1, 2 * n) for n, t in enumerate(lines, 1)]  # one paragraph each
    form = read_form("project_self_eval", "项目支出绩效自评表", blocks, "x.txt")
    assert [(i.location.line, i.weight, i.score) for i in form.unnamed_indicators] == [(14, D(5), D(5))]
    assert any("line 12" in u and "above" in u for u in form.unreadable)
    assert form.indicator_count == 1 and form.execution_score == D(8) and form.total_score == D(98)


# ---------------------------------------------------------------------------------------------
# the pieces
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "op", "value", "unit", "qualitative"),
    [
        (">=30家", "≥", D(30), "家", False),
        ("≥2.5万人", "≥", D("2.5"), "万人", False),
        ("＜1.5万", "<", D("1.5"), "万", False),
        ("≤5.09", "≤", D("5.09"), "", False),
        ("=148人", "=", D(148), "人", False),
        ("不低于800万", "≥", D(800), "万", False),
        ("1,500万元", "", D(1500), "万元", False),
        ("100%", "", D(100), "%", False),
        ("明显遏制", "", None, "", True),
        ("12月底前", "", None, "", False),
        ("2023年12月", "", None, "", False),
        ("人", "", None, "", False),
        ("", "", None, "", False),
    ],
)
def test_parse_target(text: str, op: str, value: Decimal | None, unit: str, qualitative: bool) -> None:
    t = parse_target(text)
    assert (t.operator, t.value, t.unit, t.qualitative) == (op, value, unit, qualitative)


def test_align_undoes_shifts() -> None:
    cols = [(0, "level1"), (1, "level2"), (2, "name"), (3, "target")]

    def roles(cells: list[tuple[int, str]]) -> list[str | None]:
        return align(cells, cols, indicator_cost, indicator_skip)

    assert roles([(0, "产出目标"), (1, "数量"), (2, "业务培训次数"), (3, "≥3次")]) == ["level1", "level2", "name", "target"]
    assert roles([(2, "项目管理"), (3, "合同管理完备性")]) == ["level2", "name"]
    assert roles([(1, "项目质量可控性"), (3, "可控")]) == ["name", "target"]
    assert roles([(0, "人力资源"), (1, "培训定点药店数量"), (2, "≥200家")]) == ["level2", "name", "target"]
    assert roles([(1, "经济效益")]) == ["level2"]


def test_split_forms_without_titles() -> None:
    """Two 项目名称 forms under one title (a truncated second title) give two forms."""
    segs = segments("001")
    title, blocks = segs[-1]
    assert [f.name for f in read_forms("project_target", title, blocks, "001")] == [
        "优抚补助专项-优抚对象医疗费",
        "综合救助专项-城乡医疗救助",
    ]


def test_split_then_read_equals_read_forms() -> None:
    title, blocks = next((t, b) for t, b in segments("002") if "项目绩效目标表" in t)
    parts = split_forms("project_target", blocks)
    assert len(parts) == 13
    one_by_one = [read_form("project_target", title, p, "002").model_dump() for p in parts]
    assert one_by_one == [f.model_dump() for f in read_forms("project_target", title, blocks, "002")]


def _grid(rows: list[list[str]]) -> Grid:
    return Grid(rows=[[Cell(t, 1, n) for t in r] for n, r in enumerate(rows, 1)], page=1, line=1)


def test_overall_target_as_the_publisher_prints_it() -> None:
    """Goal items one per row (the label merged down), tasks, a task whose 主要内容 continues on the
    next page piece, and the 资金结构 （3）其他支出 that only a budget with 上缴上级 / 经营 /
    对附属单位补助支出 prints."""
    rows = [
        ["部门（单位）名称", "某局", "", "", ""],
        ["年度履职目标", "目标一：推进全民参保", "", "", ""],
        ["", "目标二：强化基金监管", "", "", ""],
        ["年度主要任务", "任务名称", "主要内容", "", ""],
        ["", "全民参保", "统筹推进法定参保人群应保尽保", "", ""],
        ["", "基金监管", "建立基金监管", "", ""],
        ["", "", "长效机制", "", ""],
        ["预算情况", "部门预算总额（万元）", "", "110.00", ""],
        ["", "1、资金来源：（1）政府预算资金", "", "110.00", ""],
        ["", "2、资金结构：（1）基本支出", "", "60.00", ""],
        ["", "（2）项目支出", "", "40.00", ""],
        ["", "（3）其他支出", "", "10.00", ""],
        ["一级指标", "二级指标", "三级指标", "指标值", "指标值说明"],
        ["产出指标", "数量指标", "参保人数", "≥100人", ""],
    ]
    f = read_form("overall_target", "部门整体绩效目标表", [_grid(rows)], "x.pdf")
    assert f.name == "某局" and f.goals == ["目标一：推进全民参保", "目标二：强化基金监管"]
    assert f.tasks == [
        {"任务名称": "全民参保", "主要内容": "统筹推进法定参保人群应保尽保"},
        {"任务名称": "基金监管", "主要内容": "建立基金监管长效机制"},
    ]
    assert {k: a.value for k, a in f.amounts.items()} == {
        "部门预算总额": 110, "政府预算资金": 110, "基本支出": 60, "项目支出": 40, "其他支出": 10,
    }  # fmt: skip
    assert [i.name for i in f.indicators] == ["参保人数"] and not f.unreadable
    # a project form's '资金用途 其他支出' (seed 000) is not an amount
    project = read_form("project_target", "项目绩效目标表", [_grid([["项目名称", "某项目"], ["资金用途", "其他支出"]])], "x.pdf")
    assert project.amounts == {} and not project.unreadable


def test_markdown_rule_rows_are_ignored() -> None:
    rows = [
        ["项目名称", "测试项目", "", ""],
        ["一级指标", "二级指标", "三级指标", "指标值"],
        ["---", "---", "---", "---"],
        ["产出指标", "数量指标", "培训人数", "≥100人次"],
    ]
    grid = Grid(rows=[[Cell(t, 1, n) for t in r] for n, r in enumerate(rows, 1)], page=1, line=1)
    f = read_form("project_target", "项目绩效目标表", [grid], "x.pdf")
    assert f.name == "测试项目" and f.location.page == 1
    assert [(i.name, i.operator, i.target, i.target_unit) for i in f.indicators] == [("培训人数", "≥", 100, "人次")]
