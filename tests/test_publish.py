"""The publisher: workbook template, checks that point at cells, narrative figures, 预算, --from."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
import typer
from openpyxl import load_workbook
from typer.testing import CliRunner

from cnbudget.commands import register
from cnbudget.i18n import set_lang
from cnbudget.model import Disclosure
from cnbudget.pipeline import read_disclosure
from cnbudget.publish.build import build_disclosure, build_document, build_from_workbook
from cnbudget.publish.document import Heading, Paragraph
from cnbudget.publish.inputs import WorkbookInvalid, read_workbook
from cnbudget.publish.money import amount_text, growth, parse_decimal, percent
from cnbudget.publish.spec import workbook_spec
from cnbudget.publish.workbook import CODES_SHEET, FIELD_KEY_COLUMN, write_template
from test_publish_seed002 import BALANCES as SEED002_BALANCES
from test_publish_seed002 import LINES as SEED002_LINES
from test_publish_seed002 import OVERALL_INDICATORS as SEED002_OVERALL_INDICATORS
from test_publish_seed002 import PROJECTS as SEED002_PROJECTS
from test_publish_seed002 import fill_seed002
from test_publish_seed003 import LINES, fill_seed003

D = Decimal
SEED003_TEXT = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "003_35d32641a4df889b.txt"


def _app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """cnbudget (test app with the publish commands)."""

    register(app, "template", "build")
    return app


runner = CliRunner()


# ---------------------------------------------------------------------------------------------
# money
# ---------------------------------------------------------------------------------------------


def test_rates_are_half_up_and_undefined_on_a_zero_base() -> None:
    assert percent(D("222.29"), D("1639.35")) == D("13.56")
    assert percent(D("1"), D("8")) == D("12.50")
    assert percent(D("0.125"), D("1")) == D("12.50")
    assert percent(D("1"), D("0")) is None
    assert growth(D("1654.70"), D("249.99")) == D("561.91")
    assert growth(D("5"), D("0")) is None
    assert amount_text(D("1566.2")) == "1,566.20"
    assert amount_text(D("-0.001")) == "0.00"
    assert parse_decimal(1296.83) == D("1296.83")  # what Excel stores as a float comes back exact
    assert parse_decimal(" 1,234.5 ") == D("1234.5")
    assert parse_decimal(None) is None
    with pytest.raises(ValueError):
        parse_decimal("12,3a")


# ---------------------------------------------------------------------------------------------
# template
# ---------------------------------------------------------------------------------------------


def test_template_has_every_sheet_keys_lists_and_total_formulas(tmp_path: Path) -> None:
    result = runner.invoke(_app(), ["template", "--kind", "决算", "--year", "2025", "-o", str(tmp_path / "t.xlsx")])
    assert result.exit_code == 0, result.output
    wb = load_workbook(tmp_path / "t.xlsx")
    spec = workbook_spec()
    assert [s.title for s in spec.sheets if s.applies("决算")] + [CODES_SHEET] == wb.sheetnames
    assert "整体绩效目标" not in wb.sheetnames  # 预算 only
    assert wb[CODES_SHEET].sheet_state == "hidden"
    fn = wb["功能分类"]
    keys = [fn.cell(row=2, column=c).value for c in range(1, fn.max_column + 1)]
    assert keys[:4] == ["code", "name", "inc.gen", "inc.fund"]
    assert "budget.gen" in keys and "inc.special" not in keys  # 决算-only in, 预算-only out
    assert fn.row_dimensions[2].hidden
    assert fn.cell(row=5, column=3).value == "=SUM(C6:C405)"
    lists = [dv for dv in fn.data_validations.dataValidation if dv.type == "list"]
    assert lists and lists[0].formula1.startswith(f"='{CODES_SHEET}'!$A$2")
    codes = {wb[CODES_SHEET].cell(row=r, column=1).value for r in range(2, wb[CODES_SHEET].max_row + 1)}
    assert {"2101301", "2296013"} <= codes
    meta = wb["基本信息"]
    values = {meta.cell(row=r, column=FIELD_KEY_COLUMN).value: meta.cell(row=r, column=2).value for r in range(3, meta.max_row + 1)}
    assert values["year"] == 2025 and values["kind"] == "决算" and values["unit"] == "万元"
    again = runner.invoke(_app(), ["template", "--kind", "决算", "--year", "2025", "-o", str(tmp_path / "t.xlsx")])
    assert again.exit_code == 2  # an existing file is never overwritten without --force


def test_budget_template_has_budget_columns(tmp_path: Path) -> None:
    write_template(tmp_path / "b.xlsx", "预算", 2025)
    fn = load_workbook(tmp_path / "b.xlsx")["功能分类"]
    keys = {fn.cell(row=2, column=c).value for c in range(1, fn.max_column + 1)}
    assert {"inc.special", "inc.carry"} <= keys and "budget.gen" not in keys and "bal.fund.begin" not in keys


# ---------------------------------------------------------------------------------------------
# checks: a list of errors pointing at sheet and cell, exit code 2, nothing written
# ---------------------------------------------------------------------------------------------


def _set(path: Path, sheet: str, cell: str, value: object) -> None:
    wb = load_workbook(path)
    wb[sheet][cell] = value
    wb.save(path)


def _build_fails(path: Path, out: Path) -> str:
    result = runner.invoke(_app(), ["build", str(path), "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert not out.exists()
    return result.output


@pytest.fixture
def seed_book(tmp_path: Path) -> Path:
    return fill_seed003(tmp_path / "seed003.xlsx")


def test_malformed_code_points_at_its_cell(seed_book: Path, tmp_path: Path) -> None:
    _set(seed_book, "功能分类", "A7", "210999")
    out = _build_fails(seed_book, tmp_path / "out")
    assert "功能分类!A7: “210999” is not a 7-digit 项 code" in out


def test_a_code_outside_the_catalog_without_a_name_points_at_the_name_cell(seed_book: Path, tmp_path: Path) -> None:
    """The one case an unknown code stops the build: nothing says what to print for it (issue 14)."""
    set_lang("zh")  # this test reads the Chinese default message (the module runs in English)
    _set(seed_book, "功能分类", "A7", "2109999")
    _set(seed_book, "功能分类", "B7", None)
    out = _build_fails(seed_book, tmp_path / "out")
    assert "错误：功能分类!B7：科目编码 2109999 不在程序自带的 2020 年科目表中" in out  # the frame is Chinese too (issue 11)
    assert "自定义科目" in out


def test_non_numeric_amount_points_at_its_cell(seed_book: Path, tmp_path: Path) -> None:
    _set(seed_book, "功能分类", "C8", "12,3a")
    out = _build_fails(seed_book, tmp_path / "out")
    assert "功能分类!C8: “12,3a” is not a number (一般公共预算财政拨款)" in out


def test_missing_sheet_is_an_error(seed_book: Path, tmp_path: Path) -> None:
    wb = load_workbook(seed_book)
    del wb["三公经费"]
    wb.save(seed_book)
    out = _build_fails(seed_book, tmp_path / "out")
    assert "the sheet “三公经费” is missing" in out


def test_totals_that_cannot_balance_are_errors(seed_book: Path, tmp_path: Path) -> None:
    _set(seed_book, "功能分类", "C10", 1396.83)  # 城乡医疗救助 income +100
    out = _build_fails(seed_book, tmp_path / "out")
    assert "收入总计 and 支出总计 cannot balance" in out
    assert "一般公共预算财政拨款 cannot balance" in out
    assert "difference 100.00" in out


def test_all_errors_are_listed_at_once(seed_book: Path) -> None:
    wb = load_workbook(seed_book)
    wb["功能分类"]["A7"] = "210999"  # malformed: 6 digits
    wb["功能分类"]["D9"] = "n/a"
    wb["基本支出经济分类"]["A6"] = "3010"
    wb.save(seed_book)
    with pytest.raises(WorkbookInvalid) as exc:
        read_workbook(seed_book)
    cells = {(i.sheet, i.cell) for i in exc.value.issues if i.severity == "error"}
    assert {("功能分类", "A7"), ("功能分类", "D9"), ("基本支出经济分类", "A6")} <= cells


def test_rounding_difference_is_a_warning_and_builds(tmp_path: Path) -> None:
    lines = [dict(ln) for ln in LINES]
    for ln in lines:
        if ln["code"] == "2101501":  # 人员经费 0.01 less than the economic detail says
            ln["exp.gen.personnel"] = D("178.90")
            ln["exp.gen.public"] = D("5.97")
    book = fill_seed003(tmp_path / "w.xlsx", lines=lines)
    result = runner.invoke(_app(), ["build", str(book), "-o", str(tmp_path / "out"), "-f", "json"])
    assert result.exit_code == 0, result.output
    assert "尾数差异" in result.output
    assert (tmp_path / "out" / "2020决算.disclosure.json").exists()


# ---------------------------------------------------------------------------------------------
# the Disclosure and its narrative (seed 003)
# ---------------------------------------------------------------------------------------------


@cache
def _seed003(tmp: str) -> tuple[Disclosure, list[str]]:
    data = read_workbook(fill_seed003(Path(tmp) / "seed003.xlsx"))
    d = build_disclosure(data)
    doc = build_document(d, data)
    return d, [b.text for b in doc.blocks if isinstance(b, Heading | Paragraph)]


@pytest.fixture(scope="module")
def seed003(tmp_path_factory: pytest.TempPathFactory) -> tuple[Disclosure, list[str]]:
    return _seed003(str(tmp_path_factory.mktemp("narrative")))


def test_disclosure_has_the_final_account_tables_in_order(seed003: tuple[Disclosure, list[str]]) -> None:
    d, _ = seed003
    assert [t.spec_id for t in d.tables] == ["F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8", "F9"]
    assert d.meta.kind == "决算" and d.meta.year == 2020 and d.meta.scope == "单位"
    f9 = d.table("F9")
    assert f9 is not None and f9.empty and f9.note == "本单位没有使用国有资本经营预算安排的支出，故本表无数据。"
    assert [s.number for s in d.sections] == ["第一部分", "第二部分", "第三部分", "第四部分", "第五部分"]
    assert len(d.performance) == 13 and d.performance[0].total_score == D("99.91")


def test_narrative_uses_the_standard_sentences_with_computed_figures(seed003: tuple[Disclosure, list[str]]) -> None:
    _, text = seed003
    assert (
        "2020年度收、支总计1,654.70万元。与2019年度相比，收、支总计各增加1,404.71万元，增长561.91%。主要原因是医疗救助资金增长较大。"
        in text
    )
    assert (
        "本年支出合计1,639.35万元，其中：基本支出222.29万元，占13.56%；项目支出1,417.06万元，占86.44%；"
        "本单位无上缴上级支出、经营支出、对附属单位补助支出。"
    ) in text  # absent items in the standard wording (issue 14), never "0.00万元，占0.00%"
    assert "本年收入合计1,601.47万元，其中：财政拨款收入1,601.47万元，占100.00%；本单位无上级补助收入、事业收入、经营收入、附属单位上缴收入、其他收入。" in text
    assert not any("0.00万元，占0.00%" in t for t in text)
    assert "本单位2020年度无政府采购支出。" in text
    assert "1、本单位2020年度无因公出国（境）费支出。" in text
    assert "2、本单位2020年度无上级补助收入。" in text and "5、本单位2020年度无对附属单位补助支出。" in text
    assert (
        "2020年度一般公共预算财政拨款支出1,562.81万元，占本年支出合计的95.33%。与2019年度相比，一般公共预算财政拨款支出增加1,408.77万元，增长914.55%。主要原因是医疗救助资金增长较大。"
        in text
    )
    assert (
        "2020年度一般公共预算财政拨款支出1,562.81万元，主要用于以下方面：社会保障和就业（类）支出29.52万元，占1.89%；卫生健康（类）支出1,533.29万元，占98.11%。"
        in text
    )
    assert (
        "5、卫生健康支出（类）医疗救助（款）城乡医疗救助（项）。年初预算为1,150.00万元，支出决算为1,283.93万元，完成年初预算的111.65%。"
        "决算数大于年初预算数的主要原因是决算数包含上级资金。"
    ) in text
    assert (
        "3、卫生健康支出（类）公共卫生（款）突发公共卫生事件应急处理（项）。年初预算为0.00万元，支出决算为5.20万元。决算数大于年初预算数的主要原因是新冠肺炎疫情为突发公共卫生事件，新冠肺炎防控中央补助资金为直达资金，年初无预算。"
        in text
    )
    assert any(
        t.startswith(
            "2020年度一般公共预算财政拨款“三公”经费支出年初预算为1.86万元，支出决算为1.31万元，比年初预算减少0.55万元，完成年初预算的70.43%。"
        )
        for t in text
    )
    assert "2020年度政府性基金预算财政拨款年初结转和结余41.28万元，本年收入35.26万元，本年支出76.54万元，年末结转和结余0.00万元。" in text
    assert "2020年度机关运行经费支出5.96万元，年初预算数7.83万元，比年初预算数减少1.87万元，降低23.88%。主要原因是节约开支。" in text
    assert any(t.startswith("截至2020年12月31日，本单位共有车辆1辆，其中：领导干部用车0辆") for t in text)
    assert any("自评的项目13个" in t and "自评等级为优的项目13个" in t for t in text)
    assert (
        "人员经费216.33万元，主要包括：基本工资、津贴补贴、绩效工资、机关事业单位基本养老保险缴费、职业年金缴费、职工基本医疗保险缴费、其他社会保障缴费、住房公积金、其他工资福利支出、生活补助。"
        in text
    )
    assert "本单位没有使用国有资本经营预算安排的支出，故《国有资本经营预算财政拨款支出决算表》无数据。" in text


def test_glossary_lists_terms_and_every_item_used(seed003: tuple[Disclosure, list[str]]) -> None:
    _, text = seed003
    assert (
        "一、财政拨款收入：指单位本年度从本级财政部门取得的财政拨款，包括一般公共预算财政拨款、政府性基金预算财政拨款和国有资本经营预算财政拨款。"
        in text
    )
    assert any(t.endswith("卫生健康支出（类）医疗救助（款）城乡医疗救助（项）：反映财政用于城乡困难群众医疗救助的支出。") for t in text)


def test_facts_carry_the_figures_they_state(seed003: tuple[Disclosure, list[str]]) -> None:
    d, _ = seed003
    facts = {(f.kind, f.subject): f for f in d.facts}
    assert facts[("share", "项目支出")].percent == D("86.44")
    assert facts[("completion", "“三公”经费")].budget == D("1.86")
    assert facts[("change", "收、支总计")].section == "第三部分/一、收入支出决算总体情况说明"


# ---------------------------------------------------------------------------------------------
# 预算, and re-rendering any Disclosure
# ---------------------------------------------------------------------------------------------


def _budget_book(path: Path) -> Path:
    spec = workbook_spec()
    write_template(path, "预算", 2025, "某县医疗保障局")
    wb = load_workbook(path)
    fn = wb["功能分类"]
    cols = {fn.cell(row=2, column=c).value: c for c in range(1, fn.max_column + 1)}
    lines = [
        {"code": "2080505", "inc.gen": D("30"), "exp.gen.personnel": D("30")},
        {"code": "2101501", "inc.gen": D("250"), "exp.gen.personnel": D("200"), "exp.gen.public": D("50")},
        {"code": "2101301", "inc.gen": D("1000"), "inc.carry": D("20"), "exp.gen.project": D("1020")},
        {"code": "2296013", "inc.fund": D("300"), "exp.fund.project": D("300")},
    ]
    for i, rec in enumerate(lines):
        for k, v in rec.items():
            fn.cell(row=spec.layout["first_data_row"] + i, column=cols[k], value=v)
    econ = wb["基本支出经济分类"]
    for i, (code, p, q) in enumerate([("30101", 130, 0), ("30108", 100, 0), ("30201", 0, 40), ("30231", 0, 10)]):
        econ.cell(row=6 + i, column=1, value=code)
        econ.cell(row=6 + i, column=3, value=p)
        econ.cell(row=6 + i, column=4, value=q)
    bal = wb["结转结余"]
    rows = {bal.cell(row=r, column=FIELD_KEY_COLUMN).value: r for r in range(3, bal.max_row + 1)}
    bal.cell(row=rows["carry.gen"], column=2, value=20)
    proj = wb["项目绩效"]
    cols = {proj.cell(row=2, column=c).value: c for c in range(1, proj.max_column + 1)}
    projects = [
        {"name": "城乡医疗救助", "code": "2101301", "category": "特定目标类", "alloc.gen": 1000, "carry.gen": 20},
        {"name": "彩票公益金医疗救助", "code": "2296013", "category": "其他运转类", "alloc.fund": 300},
    ]
    for i, rec in enumerate(projects):
        for k, v in rec.items():
            proj.cell(row=spec.layout["first_data_row"] + i, column=cols[k], value=v)
    wb.save(path)
    return path


def test_budget_builds_b1_to_b9_proj_and_reads_back(tmp_path: Path) -> None:
    package = build_from_workbook(_budget_book(tmp_path / "b.xlsx"), tmp_path / "out", ("json", "pdf"))
    d = package.disclosure
    assert [t.spec_id for t in d.tables] == [*(f"B{i}" for i in range(1, 10)), "PROJ"]
    b1 = {(r.side, r.label): r.values[0].text for r in d.tables[0].rows if r.values}  # a line nothing was entered for is blank
    assert b1[("收入", "本年收入合计")] == "1,580.00" and b1[("收入", "收入总计")] == b1[("支出", "支出总计")] == "1,600.00"
    assert b1[("支出", "八、社会保障和就业支出")] == "30.00"  # 预算 numbers class rows code − 200
    b6 = {r.code or r.label: {v.column: v.text for v in r.values} for r in d.table("B6").rows}  # type: ignore[union-attr]
    assert b6["合计"] == {"合计": "280.00", "人员经费": "230.00", "公用经费": "50.00"}
    assert d.table("B9").empty  # type: ignore[union-attr]
    read = read_disclosure(str(package.files["pdf"]))
    for mine in d.tables:
        theirs = read.table(mine.spec_id)
        assert theirs is not None, mine.spec_id
        assert {(r.side, r.code, r.label, v.column, v.text) for r in mine.rows for v in r.values} == {
            (r.side, r.code, r.label, v.column, v.text) for r in theirs.rows for v in r.values
        }, mine.spec_id


def test_build_from_a_parsed_disclosure_reprints_its_tables(tmp_path: Path) -> None:
    source = read_disclosure(str(SEED003_TEXT))
    js = tmp_path / "seed003.json"
    js.write_text(source.model_dump_json(), encoding="utf-8")
    result = runner.invoke(_app(), ["build", "--from", str(js), "-o", str(tmp_path / "out"), "-f", "pdf", "-f", "html"])
    assert result.exit_code == 0, result.output
    read = read_disclosure(str(tmp_path / "out" / "2020决算.pdf"))
    for mine in source.tables:
        theirs = read.table(mine.spec_id)
        assert theirs is not None
        assert {(r.code, r.label, v.column, v.text) for r in mine.rows for v in r.values} == {
            (r.code, r.label, v.column, v.text) for r in theirs.rows for v in r.values
        }, mine.spec_id
    html = (tmp_path / "out" / "2020决算.html").read_text(encoding="utf-8")
    assert "1,533.30" in html and "收入支出决算总表" in html  # the seed's own printed figures, re-printed


def test_build_needs_exactly_one_input(tmp_path: Path) -> None:
    assert runner.invoke(_app(), ["build", "-o", str(tmp_path)]).exit_code == 2
    bad = tmp_path / "x.json"
    bad.write_text("{}", encoding="utf-8")
    result = runner.invoke(_app(), ["build", "--from", str(bad), "-o", str(tmp_path / "o")])
    assert result.exit_code == 2 and "not a Disclosure JSON" in result.output


# ---------------------------------------------------------------------------------------------
# 预算: the 项目支出预算表 and the 整体绩效目标表 (seed 002)
# ---------------------------------------------------------------------------------------------


def _issues(path: Path) -> list[str]:
    with pytest.raises(WorkbookInvalid) as exc:
        read_workbook(path)
    return [str(i) for i in exc.value.issues]


def test_budget_template_has_project_funds_and_the_overall_target_sheet(tmp_path: Path) -> None:
    write_template(tmp_path / "b.xlsx", "预算", 2023)
    wb = load_workbook(tmp_path / "b.xlsx")
    proj = wb["项目绩效"]
    keys = [proj.cell(row=2, column=c).value for c in range(1, proj.max_column + 1)]
    assert keys[:4] == ["name", "code", "category", "unit_name"]
    assert keys[4:12] == ["alloc.gen", "alloc.fund", "alloc.soe", "carry.gen", "carry.fund", "carry.soe", "special", "unit_funds"]
    assert "budget_initial" not in keys  # 预算: the amount is the sum of the fund columns
    lists = {dv.formula1 for dv in proj.data_validations.dataValidation if dv.type == "list"}
    assert '"其他运转类,特定目标类"' in lists
    overall = wb["整体绩效目标"]
    marks = {overall.cell(row=r, column=6).value: r for r in range(1, overall.max_row + 1) if overall.cell(row=r, column=6).value}
    assert {"field:goal", "section:tasks", "section:indicators"} <= set(marks)
    assert overall.cell(row=marks["section:indicators"], column=5).value == "指标值说明"
    assert overall.column_dimensions["F"].hidden


def test_projects_that_do_not_add_up_are_errors_at_their_cells(tmp_path: Path) -> None:
    projects = [dict(p) for p in SEED002_PROJECTS]
    projects[1]["alloc.gen"] = D("60.00")  # 医保局业务工作资金 50 → 60
    book = fill_seed002(tmp_path / "b.xlsx", projects=projects)
    out = _build_fails(book, tmp_path / "out")
    assert "项目绩效!E6:L16: the projects do not add up to the 项目支出 of the 支出表" in out
    assert "Σ projects 1,895.44 ≠ 项目支出 1,885.44 (difference 10.00 万元)" in out
    assert "功能分类!O11: 2101599 其他医疗保障管理事务支出: the 项目支出 (一般公共预算) differs from the projects" in out


def test_a_project_needs_its_type_and_a_function_line(tmp_path: Path) -> None:
    projects = [dict(p) for p in SEED002_PROJECTS]
    del projects[0]["category"]
    projects[2]["code"] = "2101502"  # no such 项 on sheet 功能分类
    projects[4]["name"] = projects[5]["name"]
    projects[4]["category"] = "特定目标类"  # the same project with two types
    issues = _issues(fill_seed002(tmp_path / "b.xlsx", projects=projects))
    assert "error: 项目绩效!C6: project “定额人员工资补助”: the 项目类型 (其他运转类 or 特定目标类) must be filled in" in issues
    assert any(
        i.startswith("error: 项目绩效!B8: project “医保局工作经费(上年结转)” is charged to 2101502, which has no line") for i in issues
    )
    assert any(
        i.startswith("error: 项目绩效!C11: project “困难群众医保缴费补助资金” is entered on rows 10 and 11 with different 项目类型")
        for i in issues
    )


def test_projects_cannot_use_more_carry_over_than_there_is(tmp_path: Path) -> None:
    balances = dict(SEED002_BALANCES, **{"carry.gen": D("20.00")})
    issues = _issues(fill_seed002(tmp_path / "b.xlsx", balances=balances))
    assert "error: 结转结余!B3: 一般公共预算上年结转 20.00 is less than the 财政拨款结转结余 (一般公共预算) of the projects 25.44" in issues


def test_a_project_charged_to_two_items_is_printed_once(tmp_path: Path) -> None:
    """定额人员工资补助 7.00: 4.00 on 2101301, 3.00 on 2101599 (two rows, one name)."""
    lines = [dict(ln) for ln in SEED002_LINES]
    for ln in lines:
        if ln["code"] == "2101301":
            ln["inc.gen"], ln["exp.gen.project"] = D("1788.00"), D("1788.00")
        if ln["code"] == "2101599":
            ln["inc.gen"], ln["exp.gen.project"] = D("72.00"), D("97.44")
    projects = [dict(p) for p in SEED002_PROJECTS]
    projects[0]["alloc.gen"] = D("3.00")
    projects.append(dict(projects[0], code="2101301", **{"alloc.gen": D("4.00")}))
    d = build_disclosure(read_workbook(fill_seed002(tmp_path / "b.xlsx", function=lines, projects=projects)))
    proj = d.table("PROJ")
    assert proj is not None
    labels = [r.label for r in proj.rows]
    assert labels.count("定额人员工资补助") == 1 and len(labels) == 12
    row = proj.rows[1]
    assert (row.get("合计").text, row.get("本年拨款.一般公共预算").text) == ("7.00", "7.00")  # type: ignore[union-attr]
    b3 = {r.code: r for r in d.table("B3").rows}  # type: ignore[union-attr]
    assert b3["2101301"].get("项目支出.其他运转类").text == "780.00"  # type: ignore[union-attr]
    assert b3["2101599"].get("项目支出.其他运转类").text == "97.44"  # type: ignore[union-attr]
    assert [f.name for f in d.performance if f.kind == "project_target"].count("定额人员工资补助") == 1


def test_overall_target_indicators_need_a_value(tmp_path: Path) -> None:
    indicators = list(SEED002_OVERALL_INDICATORS)
    indicators[3] = (*indicators[3][:3], "", indicators[3][4])
    overall = {"goal": "", "tasks": [], "indicators": indicators}
    issues = _issues(fill_seed002(tmp_path / "b.xlsx", overall=overall))
    assert issues == ["error: 整体绩效目标!D33: the 指标值 of “预算编制完整性” must be filled in"]


def test_an_empty_overall_target_sheet_is_a_warning_and_no_form(tmp_path: Path) -> None:
    data = read_workbook(fill_seed002(tmp_path / "b.xlsx", overall={"goal": "", "tasks": [], "indicators": []}))
    assert [str(w) for w in data.warnings] == ["warning: 整体绩效目标: the sheet is empty: the 整体绩效目标表 is not printed"]
    d = build_disclosure(data)
    assert [f.kind for f in d.performance].count("overall_target") == 0
    assert any("纳入预算绩效管理的项目11个" in f.sentence and "项目绩效目标表见附件" in f.sentence for f in d.facts)


def test_every_section_writer_the_spec_names_has_a_builder() -> None:
    from cnbudget.publish.narrative import SECTION_BUILDERS
    from cnbudget.publish.spec import narrative_spec

    for kind, parts in narrative_spec()["parts"].items():
        named = {s[2] for p in parts if p["writer"] == "explanation" for s in p["sections"]}
        assert named == set(SECTION_BUILDERS[kind]), kind
