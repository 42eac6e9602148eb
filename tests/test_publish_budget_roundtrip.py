"""Acceptance for 预算: seed 002's figures → workbook → build → PDF → cnbudget's own reader → the same figures.

The expected values are computed here from the workbook figures (test_publish_seed002), not by
the publisher: every 项 value comes back exactly as entered, every 类/款/合计 as the sum of its 项,
the 其他运转类 / 特定目标类 columns as the sum of the projects charged to each 项, the
项目支出预算表 as the projects entered, the 整体绩效目标表's 预算情况 as the totals of the
收支总表 and 支出总表. Then the whole Disclosure read back from the PDF must equal the one the
build wrote, value for value, and `cnbudget check` must find no error in it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from functools import cache
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from cnbudget.model import Disclosure, PerformanceForm, Table
from cnbudget.pipeline import read_disclosure
from cnbudget.publish.build import Package, build_from_workbook
from cnbudget.publish.spec import tables_spec
from test_publish_seed002 import (
    BALANCES,
    DEPARTMENT,
    ECON,
    INDICATORS,
    LINES,
    OVERALL_GOAL,
    OVERALL_INDICATORS,
    OVERALL_TASKS,
    PROJECTS,
    fill_seed002,
)

D = Decimal
Z = D(0)
FUNDS = {
    "gen": ("alloc.gen", "carry.gen"),
    "fund": ("alloc.fund", "carry.fund"),
    "soe": ("alloc.soe", "carry.soe"),
    "other": ("special", "unit_funds"),
}
PROJECT_COLUMNS = {  # 项目支出预算表 column → workbook project column
    "本年拨款.一般公共预算": "alloc.gen",
    "本年拨款.政府性基金预算": "alloc.fund",
    "本年拨款.国有资本经营预算": "alloc.soe",
    "结转结余.一般公共预算": "carry.gen",
    "结转结余.政府性基金预算": "carry.fund",
    "结转结余.国有资本经营预算": "carry.soe",
    "财政专户管理资金": "special",
    "单位资金": "unit_funds",
}


@cache
def _package(tmp: str) -> tuple[Package, Disclosure]:
    root = Path(tmp)
    package = build_from_workbook(fill_seed002(root / "seed002.xlsx"), root / "out")
    return package, read_disclosure(str(package.files["pdf"]))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Package, Disclosure]:
    return _package(str(tmp_path_factory.mktemp("seed002")))


def _d(record: dict[str, object], key: str) -> Decimal:
    v = record.get(key, Z)
    assert isinstance(v, Decimal)
    return v


def _project_amount(p: dict[str, object], fund: str = "") -> Decimal:
    keys = FUNDS[fund] if fund else tuple(k for ks in FUNDS.values() for k in ks)
    return sum((_d(p, k) for k in keys), Z)


def _line(line: dict[str, object], key: str) -> Decimal:
    """A 项 line's value; ``proj.<type>[.<fund>]`` sums the projects charged to the 项 by type (and fund)."""
    if key.startswith("proj."):
        parts = key.split(".")
        category = {"running": "其他运转类", "specific": "特定目标类"}[parts[1]]
        chosen = [p for p in PROJECTS if p["code"] == line["code"] and p["category"] == category]
        return sum((_project_amount(p, parts[2] if len(parts) > 2 else "") for p in chosen), Z)
    return _d(line, key)


def _tree(keys: dict[str, tuple[str, ...]]) -> dict[tuple[str, str, str], Decimal]:
    """Expected values of a 类/款/项 table: (side, code or '合计', column) over lines with any non-zero value.
    A column none of whose cells was entered on the lines summed is blank (absent), not 0.00."""
    rows: dict[str, dict[str, Decimal]] = defaultdict(dict)
    for line in LINES:
        values = {col: sum((_line(line, k) for k in ks), Z) for col, ks in keys.items()}
        if not any(values.values()):
            continue
        code = str(line["code"])
        for target in ("合计", code[:3], code[:5], code):
            for col, v in values.items():
                if any(_entered(line, k) for k in keys[col]):
                    rows[target][col] = rows[target].get(col, Z) + v
    return {("", code, col): v for code, cols in rows.items() for col, v in cols.items()}


def _entered(line: dict[str, object], key: str) -> bool:
    """Whether the workbook has the cell: a ``proj.`` column is filled for every 项 a project of that type is charged to."""
    if key.startswith("proj."):
        category = {"running": "其他运转类", "specific": "特定目标类"}[key.split(".")[1]]
        return any(p["code"] == line["code"] and p["category"] == category for p in PROJECTS)
    return key in line


def _values(t: Table | None) -> dict[tuple[str, str, str], Decimal]:
    assert t is not None
    out = {}
    for r in t.rows:
        for v in r.values:
            if v.amount is not None:
                key = (r.side, r.code or r.label, v.column)
                assert key not in out, key
                out[key] = v.amount.value
    return out


def _listed(t: Table | None) -> list[tuple[str, str, str, Decimal]]:
    assert t is not None
    return [(r.side, r.label, v.column, v.amount.value) for r in t.rows for v in r.values if v.amount is not None]


def _given(keys: Iterable[str]) -> bool:
    return any(_entered(ln, k) for ln in LINES for k in keys)


def _total(keys: Iterable[str]) -> Decimal:
    return sum((_d(ln, k) for ln in LINES for k in keys), Z)


INCOME = ("inc.gen", "inc.fund", "inc.soe", "inc.special", "inc.business", "inc.operating", "inc.upper", "inc.affiliated", "inc.other")
PERSONNEL = ("exp.gen.personnel", "exp.fund.personnel", "exp.soe.personnel", "exp.other.personnel")
PUBLIC = ("exp.gen.public", "exp.fund.public", "exp.soe.public", "exp.other.public")
PROJECT = ("exp.gen.project", "exp.fund.project", "exp.soe.project", "exp.other.project")
OTHER_SPENDING = ("exp.upper", "exp.operating", "exp.affiliated")
CARRY = BALANCES["carry.gen"] + BALANCES["carry.fund"] + BALANCES["carry.soe"]


# ---------------------------------------------------------------------------------------------
# every table value read back from the PDF = the workbook's figures
# ---------------------------------------------------------------------------------------------


def test_item_tables_read_back_exactly(built: tuple[Package, Disclosure]) -> None:
    _, read = built
    assert _values(read.table("B2")) == _tree(
        {
            "合计": (*INCOME, "inc.carry"),
            "一般公共预算": ("inc.gen",),
            "政府性基金": ("inc.fund",),
            "国有资本经营预算": ("inc.soe",),
            "财政专户管理资金": ("inc.special",),
            "事业收入": ("inc.business",),
            "事业单位经营收入": ("inc.operating",),
            "上级补助收入": ("inc.upper",),
            "附属单位上缴收入": ("inc.affiliated",),
            "其他收入": ("inc.other",),
            "上年结转": ("inc.carry",),
        }
    )
    assert _values(read.table("B3")) == _tree(
        {
            "合计": (*PERSONNEL, *PUBLIC, *PROJECT, *OTHER_SPENDING),
            "基本支出": (*PERSONNEL, *PUBLIC),
            "基本支出.人员经费": PERSONNEL,
            "基本支出.公用经费": PUBLIC,
            "项目支出": PROJECT,
            "项目支出.其他运转类": ("proj.running",),
            "项目支出.特定目标类": ("proj.specific",),
            "上缴上级支出": ("exp.upper",),
            "经营支出": ("exp.operating",),
            "对附属单位补助支出": ("exp.affiliated",),
        }
    )
    assert _values(read.table("B5")) == _tree(
        {
            "合计": ("exp.gen.personnel", "exp.gen.public", "exp.gen.project"),
            "基本支出": ("exp.gen.personnel", "exp.gen.public"),
            "基本支出.人员经费": ("exp.gen.personnel",),
            "基本支出.公用经费": ("exp.gen.public",),
            "项目支出": ("exp.gen.project",),
            "项目支出.其他运转类": ("proj.running.gen",),
            "项目支出.特定目标类": ("proj.specific.gen",),
        }
    )
    for spec_id in ("B8", "B9"):  # no 政府性基金 / 国有资本经营 spending: printed empty, with the note
        t = read.table(spec_id)
        assert t is not None and t.empty and not t.rows and "故本表无数据" in t.note


def test_economic_table_reads_back_rolled_up_to_kuan(built: tuple[Package, Disclosure]) -> None:
    _, read = built
    expected: dict[tuple[str, str, str], Decimal] = defaultdict(lambda: Z)
    for code, personnel, public in ECON:
        for target in ("合计", code[:3], code[:5]):
            expected[("", target, "合计")] += personnel + public
            expected[("", target, "人员经费")] += personnel
            expected[("", target, "公用经费")] += public
    assert _values(read.table("B6")) == dict(expected)
    assert expected[("", "合计", "人员经费")] == D("560.00") and expected[("", "合计", "公用经费")] == D("24.50")  # as seed 002 prints


def test_summary_tables_read_back_as_the_sums_of_the_workbook(built: tuple[Package, Disclosure]) -> None:
    _, read = built
    spending = _total((*PERSONNEL, *PUBLIC, *PROJECT, *OTHER_SPENDING))
    gen = _total(("exp.gen.personnel", "exp.gen.public", "exp.gen.project"))
    classes = {code: _total_of_class(code) for code in ("208", "210", "221")}
    b1 = _listed(read.table("B1"))
    income_rows = {label: v for side, label, _c, v in b1 if side == "收入"}
    income_keys = {
        "一、一般公共预算拨款收入": ("inc.gen",),
        "二、政府性基金预算拨款收入": ("inc.fund",),
        "三、国有资本经营预算拨款收入": ("inc.soe",),
        "四、财政专户管理资金收入": ("inc.special",),
        "五、事业收入": ("inc.business",),
        "六、事业单位经营收入": ("inc.operating",),
        "七、上级补助收入": ("inc.upper",),
        "八、附属单位上缴收入": ("inc.affiliated",),
        "九、其他收入": ("inc.other",),
        "本年收入合计": INCOME,
        "上年结转结余": ("inc.carry",),
        "收入总计": (*INCOME, "inc.carry"),
    }
    # a line no cell of which was entered prints blank (as the disclosures do), not 0.00
    assert income_rows == {label: _total(keys) for label, keys in income_keys.items() if _given(keys)}
    assert [label for label, keys in income_keys.items() if not _given(keys)] == [
        "二、政府性基金预算拨款收入", "三、国有资本经营预算拨款收入", "四、财政专户管理资金收入", "五、事业收入",
        "六、事业单位经营收入", "七、上级补助收入", "八、附属单位上缴收入", "九、其他收入",
    ]  # fmt: skip  (seed 002 enters only 一般公共预算拨款 and its 上年结转)
    blank = [r for r in read.table("B1").rows if r.side == "收入" and not r.values]  # type: ignore[union-attr]
    assert [r.label for r in blank] == [label for label, keys in income_keys.items() if not _given(keys)]
    spending_rows = {label: v for side, label, _c, v in b1 if side == "支出"}
    named = {"八、社会保障和就业支出": classes["208"], "十、卫生健康支出": classes["210"], "二十一、住房保障支出": classes["221"]}
    assert {k: v for k, v in spending_rows.items() if v != 0} == {
        **named,
        "本年支出合计": spending,
        "支出总计": spending + BALANCES["year_end"],
    }
    assert spending_rows["年终结转结余"] == BALANCES["year_end"]
    b1_spending = [r for r in read.table("B1").rows if r.side == "支出" and "、" in r.label]  # type: ignore[union-attr]
    assert len(b1_spending) == len(tables_spec().class_rows)  # every class of the template printed, blank where nothing was entered
    assert {r.label for r in b1_spending if r.values} == set(named)
    b4 = _listed(read.table("B4"))
    assert [(label, v) for side, label, _c, v in b4 if side == "收入"] == [
        ("一、本年收入", _total(("inc.gen", "inc.fund", "inc.soe"))),
        ("一般公共预算拨款", _total(("inc.gen",))),
        # 政府性基金 / 国有资本经营预算拨款 of the year: nothing entered, printed blank (not 0.00)
        ("二、上年结转", CARRY),
        ("一般公共预算拨款", BALANCES["carry.gen"]),
        ("政府性基金预算拨款", BALANCES["carry.fund"]),
        ("国有资本经营预算拨款", BALANCES["carry.soe"]),
        ("收入总计", _total(("inc.gen", "inc.fund", "inc.soe")) + CARRY),
    ]
    b4_spending = {(label, c): v for side, label, c, v in b4 if side == "支出" and v != 0}
    assert b4_spending == {
        **{(label, col): v for label, v in named.items() for col in ("合计", "一般公共预算")},
        ("本年支出合计", "合计"): gen,
        ("本年支出合计", "一般公共预算"): gen,
        ("支出总计", "合计"): gen,
        ("支出总计", "一般公共预算"): gen,
    }
    assert _values(read.table("B7")) == {
        ("", "", k): Z for k in ("合计", "因公出国（境）费", "公务用车购置及运行费", "公务用车购置费", "公务用车运行费", "公务接待费")
    }


def _total_of_class(code: str) -> Decimal:
    return sum((_d(ln, k) for ln in LINES if str(ln["code"]).startswith(code) for k in (*PERSONNEL, *PUBLIC, *PROJECT)), Z)


def test_project_table_reads_back_as_the_projects_entered(built: tuple[Package, Disclosure]) -> None:
    _, read = built
    t = read.table("PROJ")
    assert t is not None and t.title == "项目支出预算表" and not t.empty
    got = [(r.label, {v.column: (v.amount.value if v.amount is not None else v.text) for v in r.values}) for r in t.rows]
    total_row: dict[str, object] = {"合计": sum((_project_amount(p) for p in PROJECTS), Z)}
    total_row |= {c: sum((_d(p, k) for p in PROJECTS), Z) for c, k in PROJECT_COLUMNS.items()}
    expected: list[tuple[str, dict[str, object]]] = [("合计", total_row)]
    for p in PROJECTS:
        values: dict[str, object] = {"类型": p["category"], "项目单位": p["unit_name"], "合计": _project_amount(p)}
        values |= {c: _d(p, k) for c, k in PROJECT_COLUMNS.items()}
        expected.append((str(p["name"]), values))
    assert got == expected
    # the seed's own printed figures (项目支出预算表 and 部门支出预算表 agree on them)
    total = dict(got[0][1])
    assert (total["合计"], total["本年拨款.一般公共预算"], total["结转结余.一般公共预算"]) == (D("1885.44"), D("1860.00"), D("25.44"))
    b3 = _values(read.table("B3"))
    assert b3[("", "合计", "项目支出")] == total["合计"]
    assert (b3[("", "合计", "项目支出.其他运转类")], b3[("", "合计", "项目支出.特定目标类")]) == (D("877.44"), D("1008.00"))
    for category, column in (("其他运转类", "项目支出.其他运转类"), ("特定目标类", "项目支出.特定目标类")):
        assert sum((_project_amount(p) for p in PROJECTS if p["category"] == category), Z) == b3[("", "合计", column)]


def test_pdf_reads_back_as_the_built_disclosure(built: tuple[Package, Disclosure]) -> None:
    """Every table, every row, every value (text columns too): what the PDF prints is what the build made."""
    package, read = built
    made = package.disclosure
    assert [t.spec_id for t in made.tables] == [*(f"B{i}" for i in range(1, 10)), "PROJ"]
    assert [t.spec_id for t in read.tables] == [t.spec_id for t in made.tables]
    for mine in made.tables:
        theirs = read.table(mine.spec_id)
        assert theirs is not None
        assert theirs.unit == mine.unit == "万元"
        assert theirs.empty == mine.empty
        assert [(r.side, r.code, r.label) for r in theirs.rows] == [(r.side, r.code, r.label) for r in mine.rows], mine.spec_id
        for a, b in zip(mine.rows, theirs.rows, strict=True):
            assert sorted((v.column, v.text) for v in a.values) == sorted((v.column, v.text) for v in b.values), (mine.spec_id, a.label)
    assert [_form(f) for f in read.performance] == [_form(f) for f in made.performance]
    assert read.meta.kind == "预算" and read.meta.year == 2023 and read.meta.department == DEPARTMENT
    assert not read.absent


def _form(f: PerformanceForm) -> tuple[object, ...]:
    indicators = [
        (i.level1, i.level2, i.name, i.target_text, i.operator, i.target, i.target_unit, i.qualitative, i.note) for i in f.indicators
    ]
    amounts = {k: (a.value, a.unit) for k, a in f.amounts.items()}
    return (f.kind, f.name, f.unit_name, amounts, f.goals, f.tasks, indicators, f.unreadable)


# ---------------------------------------------------------------------------------------------
# performance forms
# ---------------------------------------------------------------------------------------------


def test_overall_target_form_reads_back_with_its_budget_computed_from_the_tables(built: tuple[Package, Disclosure]) -> None:
    package, read = built
    forms = [f for f in read.performance if f.kind == "overall_target"]
    assert len(forms) == 1
    f = forms[0]
    assert f.name == DEPARTMENT
    b1 = _listed(read.table("B1"))
    b3 = _values(read.table("B3"))
    amounts = {k: a.value for k, a in f.amounts.items()}
    assert amounts == {
        "部门预算总额": next(v for side, label, _c, v in b1 if label == "收入总计"),
        "政府预算资金": _total(("inc.gen", "inc.fund", "inc.soe")) + CARRY,
        "财政专户管理资金": _total(("inc.special",)),
        "单位资金": Z,
        "基本支出": b3[("", "合计", "基本支出")],
        "项目支出": b3[("", "合计", "项目支出")],
    }
    assert (amounts["部门预算总额"], amounts["基本支出"], amounts["项目支出"]) == (D("2469.94"), D("584.50"), D("1885.44"))  # seed 002
    assert amounts["政府预算资金"] + amounts["财政专户管理资金"] + amounts["单位资金"] == amounts["部门预算总额"]
    level1 = level2 = ""
    expected = []
    for l1, l2, name, target, note in OVERALL_INDICATORS:
        level1, level2 = (l1, l2) if l1 else (level1, l2 or level2)
        expected.append((level1, level2, name, target, note))
    assert [(i.level1, i.level2, i.name, i.target_text, i.note) for i in f.indicators] == expected
    assert f.indicators[4].operator == "≥" and f.indicators[4].target == D(90) and f.indicators[4].target_unit == "%"
    # 年度履职目标 (one item per line entered) and 年度主要任务 read back exactly, in order
    assert f.goals == OVERALL_GOAL.split("\n") and len(f.goals) == 3
    assert f.goals[1] == "1.拟订医疗保险、生育保险、离休人员医疗保障、医疗救助等医疗保障制度并组织实施。"
    assert f.tasks == [{"任务名称": name, "主要内容": content} for name, content in OVERALL_TASKS]
    made = next(x for x in package.disclosure.performance if x.kind == "overall_target")
    assert (made.goals, made.tasks) == (f.goals, f.tasks)


def test_project_target_forms_read_back(built: tuple[Package, Disclosure]) -> None:
    _, read = built
    forms = [f for f in read.performance if f.kind == "project_target"]
    assert [f.name for f in forms] == [p["name"] for p in PROJECTS]
    for f, p in zip(forms, PROJECTS, strict=True):
        assert f.unit_name == p["unit_name"]
        assert {k: a.value for k, a in f.amounts.items()} == {
            "年度资金总额": _project_amount(p),
            "财政拨款": _project_amount(p, "gen") + _project_amount(p, "fund") + _project_amount(p, "soe"),
        }
        assert [(i.level1, i.level2, i.name, i.target_text) for i in f.indicators] == [
            (i["level1"], i["level2"], i["name"], i["target"]) for i in INDICATORS if i["project"] == p["name"]
        ]


def _pdf_text(path: Path) -> str:
    doc = pdfium.PdfDocument(str(path))
    return "".join(doc[i].get_textpage().get_text_range() for i in range(len(doc))).replace("\r", "").replace("\n", "")


# ---------------------------------------------------------------------------------------------
# checker and narrative
# ---------------------------------------------------------------------------------------------


def test_checker_finds_no_error_in_the_produced_pdf(built: tuple[Package, Disclosure]) -> None:
    from cnbudget.rules.registry import run

    _, read = built
    findings = run(read)
    assert [f for f in findings if f.severity == "error"] == []
    # the one warning is the seed's own: 机关运行经费 76.33 is more than the 公用经费 24.50
    assert {f.rule for f in findings if f.severity == "warning"} <= {"N-ADMIN-COST"}


def test_narrative_is_read_back_with_consistent_figures(built: tuple[Package, Disclosure]) -> None:
    """The seed's 情况说明 says 基本支出 23.70% and 项目支出 96.3%; the build states what the tables give."""
    _, read = built
    by_subject = {(f.kind, f.subject): f for f in read.facts}
    assert by_subject[("amount", "收入总计")].value == D("2469.94")
    basic, project = by_subject[("share", "基本支出")], by_subject[("share", "项目支出")]
    assert (basic.value, basic.percent, project.value, project.percent) == (D("584.50"), D("23.66"), D("1885.44"), D("76.34"))
    change = by_subject[("change", "收支总预算")]
    assert change.change == D("360.53") and change.percent == D("17.09")  # the seed prints “增长8%”
    text = _pdf_text(built[0].files["pdf"])
    assert (
        "纳入预算绩效管理的项目11个，涉及资金1,885.44万元，其中：其他运转类项目10个、877.44万元，特定目标类项目1个、1,008.00万元。" in text
    )
