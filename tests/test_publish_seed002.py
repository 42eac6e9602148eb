"""The figures of seed 002 (台前县医疗保障局 2023年部门预算), as a finance officer would enter them.

Only what the workbook asks for is entered: 项 lines, 款 of the economic classification, the
projects, the 整体绩效目标. Everything else (类/款 rows, totals, both 收支总表, the 预算情况 of
the 整体绩效目标表) is the program's. The seed has real mistakes; where it contradicts itself the
consistent figures are used:

* 项 lines are those of its 部门支出预算表 (公开03表), which add up to its own totals (2,469.94 =
  584.50 基本 + 1,885.44 项目; 其他运转类 877.44 + 特定目标类 1,008.00). Its 一般公共预算支出预算表
  prints 住房公积金 49.00 twice and leaves out 2101102 事业单位医疗 28.00, and gives 2101599 55.00
  where 支出表 101.44 − 上年结转 25.44 = 76.00 (49 + 55 = 28 + 76: the same total, wrong rows).
* The 25.44 上年结转结余 (收支总表, 收入总表, 项目支出表: 财政拨款结转结余-一般公共预算) is entered
  as 一般公共预算上年结转; the seed's 财政拨款收支总表 leaves it out (收入 2,444.50 only) and prints
  class totals (80.21 / 2,315.29) that match no other table. Built from the 项 lines, 一般公共预算
  spending is 2,469.94 = 2,444.50 本年 + 25.44 结转 (收入总计 = 支出总计 in every table).
* Its 收支总表 puts 76.33 under 一般公共服务 and 2,393.61 under 卫生健康; the 项 lines give 208
  社会保障和就业 66.00, 210 卫生健康 2,354.94, 221 住房保障 49.00.
* The 情况说明 shares (23.70% + 96.3%) do not add up; the build states 23.66% and 76.34%. Its
  “增长8%” for +360.53 on 2,109.41 is 17.09%; only the prior-year totals are entered.
* The seed does not say how 行政运行 441.50 splits into 人员经费 and 公用经费; the 基本支出表 does
  (人员经费 560.00, 公用经费 24.50), and 行政运行 is the only 项 with 公用经费: 417.00 + 24.50.
* The 基本支出表 prints 7-digit local codes (3010702, 3019904 twice …); they are entered as printed
  and rolled up to their 款 by the program. It books all 66.00 of pension contributions to 30108
  (the 项 lines split them 44.00 养老 + 22.00 职业年金); entered as printed.
* The projects do not print their 功能分类 项. They follow from the 支出表: 2101301 城乡医疗救助
  1,784.00 = 776.00 其他运转类 + 1,008.00 特定目标类 = the four 医疗救助 projects (450 + 300 + 26 +
  1,008); 2101599 101.44 (其他运转类) = the other seven (76.00 本年拨款 + 25.44 结转).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from cnbudget.publish.spec import workbook_spec
from cnbudget.publish.workbook import FIELD_KEY_COLUMN, form_key_column, write_template

D = Decimal
DEPARTMENT = "台前县医疗保障局"

META = {
    "department": DEPARTMENT,
    "region": "濮阳市台前县",
    "year": 2023,
    "kind": "预算",
    "scope": "部门",
    "unit": "万元",
    "duties": (
        "拟订医疗保险、生育保险、离休人员医疗保障、移交政府安置的军队离退休干部医疗保障、医疗救助等医疗保障制度并组织实施。\n"
        "组织拟订全县医疗保障基金监督管理办法并组织实施，建立健全医疗保障基金安全防控机制，推进医疗保障基金支付方式改革。\n"
        "负责全县医疗保障经办管理、公共服务体系和信息化建设。"
    ),
    "organisation": "台前县医疗保障局单位内设机构2个，包括：办公室、职工和居民待遇保障股，以及1个事业单位（社会医疗保险中心）。",
    "units_included": "台前县医疗保障局（本级）",
}

# 项 lines: 部门支出预算表 (spending), 部门收入预算表 (all income 一般公共预算; 上年结转结余 25.44 on the
# 项 whose projects use it).
LINES: list[dict[str, object]] = [
    {"code": "2080505", "inc.gen": D("44.00"), "exp.gen.personnel": D("44.00")},
    {"code": "2080506", "inc.gen": D("22.00"), "exp.gen.personnel": D("22.00")},
    {"code": "2101102", "inc.gen": D("28.00"), "exp.gen.personnel": D("28.00")},
    {"code": "2101301", "inc.gen": D("1784.00"), "exp.gen.project": D("1784.00")},
    {"code": "2101501", "inc.gen": D("441.50"), "exp.gen.personnel": D("417.00"), "exp.gen.public": D("24.50")},
    {"code": "2101599", "inc.gen": D("76.00"), "inc.carry": D("25.44"), "exp.gen.project": D("101.44")},
    {"code": "2210201", "inc.gen": D("49.00"), "exp.gen.personnel": D("49.00")},
]

# 一般公共预算基本支出表, as printed (部门预算支出经济分类 code, 人员经费, 公用经费).
ECON: list[tuple[str, Decimal, Decimal]] = [
    ("3011202", D("3.00"), D(0)),
    ("3019904", D("71.04"), D(0)),
    ("30113", D("49.00"), D(0)),
    ("3010702", D("71.04"), D(0)),
    ("3019904", D("15.98"), D(0)),
    ("3010204", D("3.22"), D(0)),
    ("3010204", D("9.01"), D(0)),
    ("3010304", D("23.32"), D(0)),
    ("3010304", D("5.06"), D(0)),
    ("30110", D("28.00"), D(0)),
    ("30108", D("66.00"), D(0)),
    ("3010701", D("13.43"), D(0)),
    ("3010202", D("8.86"), D(0)),
    ("3010201", D("8.86"), D(0)),
    ("3010301", D("5.06"), D(0)),
    ("3010301", D("18.37"), D(0)),
    ("3011205", D("1.00"), D(0)),
    ("30101", D("124.89"), D(0)),
    ("30101", D("34.86"), D(0)),
    ("30213", D(0), D("3.00")),
    ("30201", D(0), D("9.50")),
    ("30206", D(0), D("5.00")),
    ("3029903", D(0), D("2.00")),
    ("30215", D(0), D("3.00")),
    ("30202", D(0), D("2.00")),
]

# 三公 all zero (预算数, 上年数).
SANGONG: dict[str, tuple[Decimal, Decimal]] = {k: (D(0), D(0)) for k in ("abroad", "car_purchase", "car_running", "reception")}

BALANCES = {"carry.gen": D("25.44"), "carry.fund": D(0), "carry.soe": D(0), "year_end": D(0)}

# 情况说明 一: 收入（支出）总计 2,469.94, 与2022年相比增加360.53; 九(一): 机关运行经费 76.33, 增加53.33.
PRIOR = {"total": D("2109.41"), "running": D("23.00")}

FACTS: dict[str, object] = {
    "reason.total": "医疗救助上级补助资金增加",
    "reason.expense": "医疗救助资金增加",
    "reason.running": "机构调整，人员增加",
    "running": D("76.33"),
    "procurement.goods": D(0),
    "procurement.works": D(0),
    "procurement.services": D(0),
    **{f"vehicles.{k}": 0 for k in ("leader", "confidential", "emergency", "enforcement", "special", "retired", "other")},
    "equipment.general": 0,
    "equipment.special": 0,
}

# 项目支出预算表, in its order; 项 as derived above.
_UNIT = "台前县医疗保障局"
PROJECTS: list[dict[str, object]] = [
    {"name": "定额人员工资补助", "code": "2101599", "category": "其他运转类", "alloc.gen": D("7.00")},
    {"name": "医保局业务工作资金", "code": "2101599", "category": "其他运转类", "alloc.gen": D("50.00")},
    {"name": "医保局工作经费(上年结转)", "code": "2101599", "category": "其他运转类", "carry.gen": D("0.79")},
    {"name": "解决医保业务工作经费(上年结转)", "code": "2101599", "category": "其他运转类", "carry.gen": D("18.54")},
    {"name": "城乡医疗救助县级配套资金", "code": "2101301", "category": "其他运转类", "alloc.gen": D("450.00")},
    {"name": "困难群众医保缴费补助资金", "code": "2101301", "category": "其他运转类", "alloc.gen": D("300.00")},
    {"name": "省财政医疗救助补助资金（上年结转）", "code": "2101301", "category": "其他运转类", "alloc.gen": D("26.00")},
    {"name": "濮财预【2022】439号提前下达2023医疗救助补助资金", "code": "2101301", "category": "特定目标类", "alloc.gen": D("1008.00")},
    {"name": "工作经费（上年结转）", "code": "2101599", "category": "其他运转类", "carry.gen": D("5.09")},
    {"name": "单位日常办公（上年结转）", "code": "2101599", "category": "其他运转类", "carry.gen": D("1.02")},
    {"name": "中央财政医疗服务与保障能力提升资金（上年结转）", "code": "2101599", "category": "其他运转类", "alloc.gen": D("19.00")},
]
for _p in PROJECTS:
    _p["unit_name"] = _UNIT

# 项目绩效目标表 (two of the projects, indicators as the wide table prints them).
INDICATORS: list[dict[str, object]] = [
    {"project": "单位日常办公（上年结转）", "level1": "产出指标", "level2": "数量指标", "name": "在职工作人员人数", "target": "48人"},
    {"project": "单位日常办公（上年结转）", "level1": "产出指标", "level2": "质量指标", "name": "办公用品质量", "target": "较好"},
    {"project": "单位日常办公（上年结转）", "level1": "产出指标", "level2": "数量指标", "name": "办公用品供给率", "target": "≥90%"},
    {
        "project": "单位日常办公（上年结转）",
        "level1": "效益指标",
        "level2": "社会效益指标",
        "name": "办公用品转换工作效率",
        "target": "≥90%",
    },
    {
        "project": "单位日常办公（上年结转）",
        "level1": "满意度指标",
        "level2": "服务对象满意度指标",
        "name": "办公人员满意度",
        "target": "≥90%",
    },
    *(
        dict[str, object](project="濮财预【2022】439号提前下达2023医疗救助补助资金", level1=l1, level2=l2, name=n, target=t)
        for l1, l2, n, t in (
            ("产出指标", "数量指标", "医疗救助覆盖面", "困难人群医疗救助全覆盖"),
            ("产出指标", "数量指标", "资助参保资助数", "≥2.5万人"),
            ("产出指标", "数量指标", "住院救助人次", "≥1.3万人"),
            ("产出指标", "数量指标", "门诊救助人次", "≥2.1万人"),
            ("产出指标", "质量指标", "门诊医疗费用救助比例", "≥30%"),
            ("产出指标", "质量指标", "住院医疗费用救助比例", "≥65%"),
            ("效益指标", "社会效益指标", "政策范围内个人负担比例", "较往年减轻"),
            ("满意度指标", "服务对象满意度指标", "政策知晓率", "≥90%"),
            ("满意度指标", "服务对象满意度指标", "救助对象满意度", "≥90%"),
        )
    ),
]
PROJECT_GOALS = {"单位日常办公（上年结转）": "保障单位日常办公正常运转。"}

# 本级部门(单位)整体绩效目标表.
OVERALL_GOAL = (
    "深入贯彻党的十九大关于全面建立中国特色医疗保障制度的决策部署，根据县委县政府年度重点工作任务安排，"
    "坚持基本医疗保险应保尽保、量力而行、稳健可持续的原则，构架我县覆盖全民、城乡统筹、保障适度、可持续的多层次医疗保障体系，"
    "提升医疗保障管理法制化、标准化、智能化水平，深化医疗保障制度改革，提高参保群众满意度和获得感。\n"
    "1.拟订医疗保险、生育保险、离休人员医疗保障、医疗救助等医疗保障制度并组织实施。\n"
    "2.组织拟订全县医疗保障基金监督管理办法并组织实施，推进医疗保障基金支付方式改革。"
)
OVERALL_TASKS: list[tuple[str, str]] = [
    ("加大医保支付方式改革力度", "在医保基金实施总额预算管理基础上，推荐按病种分值付费工作，引导定点医疗机构由被动控费向主动扣费转变"),
    (
        "推进药品和耗材带量采购",
        "持续落实国家省、市、省组织的药品和医用耗材集中带量采购工作，积极参与与片区联盟。建立医疗服务价格动态调整机制，"
        "持续优化医疗服务价格结构，积极组织医疗机构申报新增医疗服务价格项目",
    ),
    (
        "健全统一规范的医疗救助制度",
        "全面落实资助重点救助参保对象参保缴费政策，健全重点救助对象医疗费用救助机制，探索防范和化解因病致贫返贫医疗救助机制，"
        "增强医疗救助托底保障功能，合理控制贫困群众政策范围内自付比例",
    ),
]
# 一级, 二级 (blank: as the row above), 三级, 指标值, 指标值说明 — as printed (whitespace the text
# conversion put into the 指标值说明 removed).
OVERALL_INDICATORS: list[tuple[str, str, str, str, str]] = [
    (
        "投入管理指标",
        "工作目标管理",
        "年度履职目标相关性",
        "相关",
        "1.年度履职目标是否符合国家、省委省政府战略部署和发展规划,与国家、省宏观政策、行业政策一致;2.年度履职目标是否与部门职责、工作规划和重点工作相关;3.确定的预算项目是否合理,是否与工作目标密切相关;4.工作任务和项目预算安排是否合理。",
    ),
    (
        "",
        "",
        "工作任务科学性",
        "科学",
        "1.工作任务是否有明确的绩效目标，绩效目标是否与部门年度履职目标一致，是否能体现工作任务的产出和效果；2.工作任务对应的预算项目是否有明确的绩效目标，绩效目标是否与部门职责目标、工作任务目标一致，是否能体现预算项目的产出和效果",
    ),
    (
        "",
        "",
        "绩效指标合理性",
        "合理",
        "1.工作任务、预算项目绩效指标设置是否准确反映部门绩效完成情况；2.工作任务、预算项目绩效指标是否清晰、细化、可评价、可衡量；3.工作任务、预算项目绩效指标的评价标准是否清晰、可衡量；4.是否与部门年度的任务数或计划数相对应。",
    ),
    (
        "",
        "预算和财务管理",
        "预算编制完整性",
        "完整",
        "1.部门所有收入是否全部纳入部门预算；2.部门支出预算是否统筹各类资金来源，全部纳入部门预算管理。",
    ),
    ("", "", "专项资金细化率", "≥90%", "专项资金细化率=（已细化到具体市县和承担单位的资金数/部门参与分配资金总数）×100%。"),
    (
        "",
        "",
        "预算执行率",
        "≥90%",
        "预算执行率=（预算完成数/预算数）×100%。预算完成数指部门实际执行的预算数；预算数指财政部门批复的本年度部门的（调整）预算数。",
    ),
    (
        "",
        "",
        "预算调整率",
        "≤30%",
        "预算调整率=（预算调整数-年初预算数）/年初预算数×100%。预算调整数：部门在本年度内涉及预算的追加、追减或结构调整的资金总和（因落实国家政策、发生不可抗力、上级部门或本级党委政府临时交办而产生的调整除外）。",
    ),
    (
        "",
        "",
        "结转结余率",
        "≤20%",
        "结转结余率=结转结余总额/预算数*100%。结转结余总额是指部门本年度的结转结余资金之和。预算数是指财政部门批复的本年度部门的（调整）预算数。",
    ),
    ("", "", "“三公经费”控制率", "≤100%", "“三公经费”控制率=本年度“三公经费”实际支出数/“三公经费”预算数*100%"),
    (
        "",
        "",
        "政府采购执行率",
        "≥80%",
        "政府采购执行率=（实际政府采购金额/政府采购预算数）×100%。政府采购预算：采购机关根据事业发展规划和行政任务编制的、并经过规定程序批准的年度政府采购计划。",
    ),
    ("", "", "决算真实性", "真实", "反映本部门决算工作情况。决算编制数据是否账表一致，即决算报表数据与会计账簿数据是否一致。"),
    (
        "",
        "",
        "资金使用合规性",
        "合规",
        "部门（单位）是否按照相关法律法规以及资金管理办法规定的用途使用预算资金，用以反映和考核部门（单位）预算资金的规范运行情况。1.是否符合国家财经法规和财务管理制度规定以及有关专项资金管理办法的规定；2.资金的拨付是否有完整的审批程序和手续；3.项目的重大开支是否经过评估论证；4.是否符合部门预算批复的用途；5.是否存在截留支出情况；6.是否存在挤占支出情况；7.是否存在挪用支出情况；8.是否存在虚列支出情况。",
    ),
    (
        "",
        "",
        "管理制度健全性",
        "健全",
        "部门（单位）为加强预算管理，规范财务行为而制定的管理制度是否健全完整，用以反映和考核部门（单位）预算管理制度为完成主要职责或促成事业发展的保障情况。1.是否已制定或具有预算资金管理办法、内部管理制度、会计核算制度、会计岗位制度等管理制度；2.相关管理制度是否得到有效执行。",
    ),
    (
        "",
        "",
        "预决算信息公开性",
        "公开",
        "部门（单位）是否按照政府信息公开有关规定公开部门预算、执行、决算、监督、绩效等相关预决算信息，用以反映和考核部门（单位）预决算管理的公开透明情况。1.是否按规定内容公开预决算信息；2.是否按规定时限公开预决算信息。",
    ),
    (
        "",
        "",
        "资产管理规范性",
        "规范",
        "部门（单位）的资产配置、使用是否合规，处置是否规范，收入是否及时足额上缴，用以反映和考核部门（单位）资产管理的规范程度。1.资产是否及时规范入账，资产报表数据与会计账簿数据是否相符，资产实物与财务账、资产账是否相符；2.新增资产是否符合规定程序和规定标准，新增资产是否考虑闲置存量资产；3.资产对外有偿使用（出租出借等）、对外投资、担保、资产处置等事项是否按规定报批；4.资产收益是否及时足额上交财政。",
    ),
    (
        "",
        "绩效管理",
        "绩效目标编制完成率",
        "100%",
        "部门（单位）按要求编制绩效目标的项目数量占应编制绩效目标项目总数的比重。部门目标编制完成率=已完成绩效目标编制项目数量/部门应编制绩效目标项目总数*100%",
    ),
    (
        "",
        "",
        "绩效监控完成率",
        "100%",
        "部门（单位）按要求实施绩效监控的项目数量占应实施绩效监控项目总数的比重。部门绩效监控完成率=已完成绩效监控项目数量/部门项目总数*100%",
    ),
    (
        "",
        "",
        "绩效自评完成率",
        "100%",
        "部门（单位）按要求实施绩效自评的项目数量占应实施绩效自评项目总数的比重。部门绩效自评完成率=已完成评价项目数量/部门项目总数*100%",
    ),
    (
        "",
        "",
        "部门绩效评价完成率",
        "100%",
        "部门重点绩效评价项目评价完成情况。部门绩效评价完成率=已完成评价项目数量/部门重点绩效评价项目数*100%",
    ),
    (
        "",
        "",
        "评价结果应用率",
        "100%",
        "绩效监控、单位自评、部门绩效评价、财政重点绩效评价结果应用情况。评价结果应用率=评价提出的意见建议采纳数/提出的意见建议总数*100%",
    ),
    ("产出指标", "重点工作任务完成", "优化医疗保障经办服务", "提高医疗保障服务运行效率和服务质量", ""),
    (
        "",
        "履职目标实现",
        "落实基金监督检查任务",
        "≥2次",
        "反映本部门制定的年度工作目标达成情况。分项具体列示本部门年度工作目标达成情况，相关情况应予以细化、量化表述。",
    ),
    (
        "效益指标",
        "履职效益",
        "保障医疗环境平稳",
        "有效保障",
        "反映部门履职对经济社会发展等所带来的直接或间接影响。可根据部门实际情况有选择的进行设置，并将三级指标细化为相应的个性化指标。",
    ),
    (
        "",
        "",
        "破解医疗保障问题，为全县人民提供保基本、广覆盖、可持续医疗保障，不断开展医疗保障工作新局面",
        "有效提升",
        "反映部门履职对经济社会发展等所带来的直接或间接影响。可根据部门实际情况有选择的进行设置，并将三级指标细化为相应的个性化指标。",
    ),
    (
        "",
        "满意度",
        "社会公众满意度",
        "≥98%",
        "反映社会公众或服务对象在部门履职效果、解决民众关心的热点问题等方面的满意程度。可根据部门实际情况有选择的进行设置，并将三级指标细化为相应的个性化指标。",
    ),
    (
        "",
        "",
        "服务对象满意度",
        "≥98%",
        "反映社会公众或服务对象在部门履职效果、解决民众关心的热点问题等方面的满意程度。可根据部门实际情况有选择的进行设置，并将三级指标细化为相应的个性化指标。",
    ),
]


def fill_workbook(path: Path, kind: str, year: int, values: dict[str, Any]) -> Path:
    """Write a template of ``kind`` and fill it from ``values`` (sheet id → records), as an officer would."""
    spec = workbook_spec()
    write_template(path, kind, year)
    wb = load_workbook(path)
    first = spec.layout["first_data_row"]

    def fields(sheet_id: str, record: dict[str, object]) -> None:
        ws = wb[spec.sheet(sheet_id).title]
        rows = {ws.cell(row=r, column=FIELD_KEY_COLUMN).value: r for r in range(3, ws.max_row + 1)}
        for key, value in record.items():
            ws.cell(row=rows[key], column=2, value=value)

    def lines_sheet(sheet_id: str, records: list[dict[str, object]]) -> None:
        ws = wb[spec.sheet(sheet_id).title]
        cols = {ws.cell(row=spec.layout["key_row"], column=c).value: c for c in range(1, ws.max_column + 1)}
        for i, rec in enumerate(records):
            for key, value in rec.items():
                ws.cell(row=first + i, column=cols[key], value=value)

    for sheet_id, record in values.items():
        sheet = spec.sheet(sheet_id)
        if sheet.layout == "fields":
            fields(sheet_id, record)
        elif sheet.layout == "lines":
            lines_sheet(sheet_id, record)
        elif sheet.layout == "grid":
            ws = wb[sheet.title]
            labels = dict(sheet.rows)
            for key, cells in record.items():
                row = next(r for r in range(3, ws.max_row + 1) if ws.cell(row=r, column=1).value == labels[key])
                for col, value in enumerate(cells, start=2):
                    ws.cell(row=row, column=col, value=value)
        else:  # form: {"goal": text, "tasks": [(name, content)], "indicators": [(l1, l2, l3, value, note)]}
            ws = wb[sheet.title]
            key_col = form_key_column(sheet)
            marks = {ws.cell(row=r, column=key_col).value: r for r in range(1, ws.max_row + 1)}
            ws.cell(row=marks["field:goal"], column=2, value=record["goal"])
            for section in ("tasks", "indicators"):  # tasks: name in A, content in B (merged B:E)
                for i, items in enumerate(record[section], start=1):
                    for col, value in enumerate(items, start=1):
                        ws.cell(row=marks[f"section:{section}"] + i, column=col, value=value or None)
    wb.save(path)
    return path


def seed002_values() -> dict[str, Any]:
    return {
        "meta": META,
        "function": LINES,
        "economic": [{"code": c, "personnel": p, "public": q} for c, p, q in ECON],
        "sangong": {k: [b, p] for k, (b, p) in SANGONG.items()},  # 预算: 预算数, 上年数
        "balances": BALANCES,
        "prior": PRIOR,
        "facts": FACTS,
        "projects": [dict(p, goal=PROJECT_GOALS[str(p["name"])]) if p["name"] in PROJECT_GOALS else p for p in PROJECTS],
        "indicators": INDICATORS,
        "overall": {"goal": OVERALL_GOAL, "tasks": OVERALL_TASKS, "indicators": OVERALL_INDICATORS},
    }


def fill_seed002(path: Path, **changes: Any) -> Path:
    """A 预算 workbook holding seed 002's figures; ``changes`` replace whole sheets (by sheet id)."""
    return fill_workbook(path, "预算", 2023, seed002_values() | changes)
