"""The figures of seed 003 (峄城区医疗保障局（本级）2020年度决算), as a finance officer would enter them.

Every value is taken from the seed's printed tables and 情况说明 (line numbers in comments). Only
项 lines and 款 of the economic classification are entered: 类/款 rows and totals are the
program's. Two things the seed does not print are chosen so that its own totals hold:
2101501 行政运行 184.87 is split 178.91 人员经费 + 5.96 公用经费 (公用经费 06表 = 5.96, and the
人员经费 of the other 项 sum to 37.42), and the 一般公共预算 年初/年末结转 are the fund totals of
04表 (11.95 / 15.35).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

D = Decimal

# 项 lines: 02表 (income), 03/05表 (spending), 08表 (基金), 情况说明 五(三)/八 (年初预算 and reasons).
LINES: list[dict[str, object]] = [
    {
        "code": "2080505",
        "name": "机关事业单位基本养老保险缴费支出",
        "inc.gen": D("19.68"),
        "exp.gen.personnel": D("19.68"),
        "budget.gen": D("20.38"),
        "reason": "人员变动，养老保险缴费支出减少",
    },
    {
        "code": "2080506",
        "name": "机关事业单位职业年金缴费支出",
        "inc.gen": D("9.84"),
        "exp.gen.personnel": D("9.84"),
        "budget.gen": D("10.19"),
        "reason": "人员变动，职业年金缴费支出减少",
    },
    {
        "code": "2100410",
        "name": "突发公共卫生事件应急处理",
        "inc.gen": D("5.20"),
        "exp.gen.project": D("5.20"),
        "budget.gen": D("0"),
        "reason": "新冠肺炎疫情为突发公共卫生事件，新冠肺炎防控中央补助资金为直达资金，年初无预算",
    },
    {
        "code": "2101199",
        "name": "其他行政事业单位医疗支出",
        "inc.gen": D("7.90"),
        "exp.gen.personnel": D("7.90"),
        "budget.gen": D("8.92"),
        "reason": "人员变动，医疗保险缴费支出减少",
    },
    {
        "code": "2101301",
        "name": "城乡医疗救助",
        "inc.gen": D("1296.83"),
        "exp.gen.project": D("1283.93"),
        "budget.gen": D("1150"),
        "reason": "决算数包含上级资金",
    },
    {
        "code": "2101401",
        "name": "优抚对象医疗补助",
        "inc.gen": D("2.91"),
        "exp.gen.project": D("2.91"),
        "budget.gen": D("25.88"),
        "reason": "资金财政转到基金列支",
    },
    {
        "code": "2101501",
        "name": "行政运行",
        "inc.gen": D("184.87"),
        "exp.gen.personnel": D("178.91"),
        "exp.gen.public": D("5.96"),
        "budget.gen": D("185.66"),
        "reason": "人员变动",
    },
    {
        "code": "2101502",
        "name": "一般行政管理事务",
        "inc.gen": D("30.98"),
        "exp.gen.project": D("34.48"),
        "budget.gen": D("44"),
        "reason": "节约开支",
    },
    {
        "code": "2101504",
        "name": "信息化建设",
        "inc.gen": D("8.00"),
        "exp.gen.project": D("8.00"),
        "budget.gen": D("0"),
        "reason": "此项资金为直达资金，年初无预算",
    },
    {
        "code": "2101599",
        "name": "其他医疗保障管理事务支出",
        "exp.gen.project": D("6.00"),
        "budget.gen": D("0"),
        "reason": "此项资金为直达资金，年初无预算",
    },
    {
        "code": "2296013",
        "name": "用于城乡医疗救助的彩票公益金支出",
        "inc.fund": D("23.00"),
        "exp.fund.project": D("64.28"),
        "bal.fund.begin": D("41.28"),
        "bal.fund.end": D("0"),
        "budget.fund": D("350"),
        "reason": "年初预算合并一般公共预算城乡医疗救助预算",
    },
    {
        "code": "2296099",
        "name": "用于其他社会公益事业的彩票公益金支出",
        "inc.fund": D("12.26"),
        "exp.fund.project": D("12.26"),
        "bal.fund.begin": D("0"),
        "bal.fund.end": D("0"),
        "budget.fund": D("0"),
        "reason": "年初预算合并一般公共预算优抚对象医疗补助预算",
    },
]

# 06表: every non-zero 款 (the zero ones are printed by the template anyway).
ECON: list[tuple[str, Decimal, Decimal]] = [
    ("30101", D("51.31"), D(0)),
    ("30102", D("55.25"), D(0)),
    ("30107", D("36.28"), D(0)),
    ("30108", D("19.68"), D(0)),
    ("30109", D("9.84"), D(0)),
    ("30110", D("7.90"), D(0)),
    ("30112", D("18.50"), D(0)),
    ("30113", D("16.77"), D(0)),
    ("30199", D("0.01"), D(0)),
    ("30305", D("0.79"), D(0)),
    ("30201", D(0), D("0.89")),
    ("30202", D(0), D("0.19")),
    ("30204", D(0), D("0.04")),
    ("30211", D(0), D("0.22")),
    ("30215", D(0), D("0.04")),
    ("30217", D(0), D("0.18")),
    ("30228", D(0), D("1.83")),
    ("30231", D(0), D("1.13")),
    ("30299", D(0), D("1.32")),
    ("31002", D(0), D("0.12")),
]

# 07表 预算数 / 决算数.
SANGONG: dict[str, tuple[Decimal, Decimal]] = {
    "abroad": (D("0"), D("0")),
    "car_purchase": (D("0"), D("0")),
    "car_running": (D("1.50"), D("1.13")),
    "reception": (D("0.36"), D("0.18")),
}

META = {
    "department": "峄城区医疗保障局（本级）",
    "region": "枣庄市峄城区",
    "year": 2020,
    "kind": "决算",
    "scope": "单位",
    "unit": "万元",
    "duties": "负责拟订全区医疗保险、生育保险、医疗救助等医疗保障制度的规范性文件和政策、规划、标准并组织实施。\n监督管理全区医疗保障基金，建立健全医疗保障基金安全防控机制，推进医疗保障基金支付方式改革。",
    "organisation": "本单位内设2个职能科（股）室，分别是：办公室（挂基金监督管理股牌子）、待遇保障和医药服务管理股（挂医药价格和招标采购股牌子）。",
}

BALANCES = {
    "gen.begin": D("11.95"),
    "gen.end": D("15.35"),
    "other.begin": D(0),
    "other.end": D(0),
    "use_other_surplus": D(0),
    "distribution": D(0),
}

# 2019 figures implied by the 情况说明 (current − stated increase).
PRIOR = {
    "total": D("249.99"),
    "income": D("249.99"),
    "inc.fiscal": D("249.99"),
    "inc.upper": D(0),
    "inc.business": D(0),
    "inc.operating": D(0),
    "inc.affiliated": D(0),
    "inc.other": D(0),
    "exp.basic": D("122.10"),
    "exp.project": D("74.66"),
    "exp.upper": D(0),
    "exp.operating": D(0),
    "exp.affiliated": D(0),
    "fiscal_total": D("249.99"),
    "gen": D("154.04"),
}

FACTS: dict[str, object] = {
    "reason.total": "医疗救助资金增长较大",
    "reason.income": "医疗救助资金增长较大",
    "reason.basic": "人员转隶，医保局为2019年3月新成立单位",
    "reason.project": "医疗救助资金增长较大",
    "reason.fiscal": "医疗救助资金增长较大",
    "reason.gen": "医疗救助资金增长较大",
    "reason.gen_budget": "节约开支",
    "reason.sangong": "节约开支",
    "reason.running": "节约开支",
    "abroad_groups": 0,
    "abroad_people": 0,
    "cars_bought": 0,
    "cars_held": 1,
    "reception_domestic": D("0.18"),
    "reception_batches": 2,
    "reception_people": 18,
    "reception_foreign_batches": 0,
    "reception_foreign_people": 0,
    "running": D("5.96"),
    "running_budget": D("7.83"),
    "procurement.goods": D(0),
    "procurement.works": D(0),
    "procurement.services": D(0),
    "procurement.sme": D(0),
    "procurement.small": D(0),
    "vehicles.leader": 0,
    "vehicles.confidential": 0,
    "vehicles.emergency": 0,
    "vehicles.enforcement": 0,
    "vehicles.special": 0,
    "vehicles.retired": 0,
    "vehicles.other": 1,
    "vehicles.other_note": "一般公务用车",
    "equipment.general": 0,
    "equipment.special": 0,
}

# 附件: the 自评情况汇总表 (scores, grades) and the amounts of the 自评表 that print them.
PROJECTS: list[dict[str, object]] = [
    {
        "name": "医疗救助",
        "budget_initial": D("1541.28"),
        "budget_fiscal": D("1150"),
        "budget_full_year": D("1361.11"),
        "executed": D("1348.2"),
        "score": D("99.91"),
        "grade": "优",
    },
    {
        "name": "1-6级伤残军人",
        "budget_initial": D("25.88"),
        "budget_fiscal": D("25.88"),
        "budget_full_year": D("15.17"),
        "executed": D("15.17"),
        "score": D("99.6"),
        "grade": "优",
    },
    {
        "name": "慢性病专家鉴定费",
        "budget_initial": D("4"),
        "budget_fiscal": D("4"),
        "budget_full_year": D("1.6"),
        "executed": D("1.6"),
        "score": D("100"),
        "grade": "优",
    },
    {
        "name": "照相机摄像机、行政执法记录仪、微型录音机",
        "budget_initial": D("4.8"),
        "budget_full_year": D("4.8"),
        "executed": D("4.8"),
        "score": D("100"),
        "grade": "优",
    },
    {
        "name": "基金监管、稽核打击欺诈骗保专项经费",
        "budget_initial": D("9"),
        "budget_full_year": D("2"),
        "executed": D("2"),
        "score": D("100"),
        "grade": "优",
    },
    {
        "name": "金保系统专网维护费",
        "budget_initial": D("5"),
        "budget_full_year": D("5"),
        "executed": D("4.97"),
        "score": D("99.94"),
        "grade": "优",
    },
    {"name": "第三方考核经费", "budget_initial": D("2"), "budget_full_year": D("2"), "executed": D("2"), "score": D("100"), "grade": "优"},
    {
        "name": "职工、居民医疗保险基金征收经费",
        "budget_initial": D("15.95"),
        "budget_full_year": D("12.45"),
        "executed": D("11.93"),
        "score": D("98.69"),
        "grade": "优",
    },
    {
        "name": "电话网络费",
        "budget_initial": D("2.4"),
        "budget_full_year": D("2.3"),
        "executed": D("2.3"),
        "score": D("100"),
        "grade": "优",
    },
    {"name": "劳务费", "budget_initial": D("6.8"), "budget_full_year": D("6.8"), "executed": D("4.9"), "score": D("97.22"), "grade": "优"},
    {"name": "医疗保障与服务能力提升专项补助资金", "score": D("100"), "grade": "优"},
    {"name": "医疗保障与服务能力提升专项补助资金（2019年度）", "score": D("100"), "grade": "优"},
    {"name": "新冠肺炎疫情防控补助结算资金", "score": D("100"), "grade": "优"},
]

INDICATORS: list[dict[str, object]] = [
    {
        "project": "电话网络费",
        "level1": "项目产出",
        "level2": "数量指标",
        "name": "各股室大厅电话部数",
        "target": "20部",
        "actual": "20部",
        "weight": D(15),
        "score": D(15),
    },
    {
        "project": "电话网络费",
        "level1": "项目产出",
        "level2": "质量指标",
        "name": "电话安装率",
        "target": "100%",
        "actual": "100%",
        "weight": D(15),
        "score": D(15),
    },
    {
        "project": "1-6级伤残军人",
        "level1": "项目产出",
        "level2": "数量指标",
        "name": "伤残军人人数",
        "target": "75人",
        "actual": "73人",
        "weight": D(15),
        "score": D("14.6"),
        "note": "1人自行办理退休并补齐职工医保，1人参加居民医保。",
    },
]


def fill_seed003(path: Path, *, lines: list[dict[str, object]] | None = None) -> Path:
    """Write a template and fill it with seed 003's figures, as an officer would."""
    from test_publish_seed002 import fill_workbook

    return fill_workbook(
        path,
        "决算",
        2020,
        {
            "meta": META,
            "function": LINES if lines is None else lines,
            "economic": [{"code": c, "personnel": p, "public": q} for c, p, q in ECON],
            "sangong": {key: [budget, actual] for key, (budget, actual) in SANGONG.items()},
            "balances": BALANCES,
            "prior": PRIOR,
            "facts": FACTS,
            "projects": PROJECTS,
            "indicators": INDICATORS,
        },
    )
