"""Formulas saved without a computed value (issue 14): a tool that writes formulas without calculating
them (openpyxl, scripts, converters) stores no value, and such a cell used to read as empty without a
word. The district's workbook (a real 普陀区 template filled with a real Shanghai sample's figures) and
cnbudget's own workbook (filled with seed 003's figures) now name the sheet and cells and refuse,
saying to open and save the file in Excel; the same cells with their computed values read exactly.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from cnbudget.errors import InputError
from cnbudget.i18n import set_lang
from cnbudget.ingest.formulas import formula_cells, uncalculated
from cnbudget.model import Disclosure
from cnbudget.pipeline import read_disclosure
from cnbudget.publish.inputs import WorkbookInvalid, read_workbook
from region_fill import Filled, fill
from test_publish_region_workbook import DEPT, WILD, _app, _values
from test_publish_seed003 import fill_seed003

# three amounts of the sample's 部门支出总表 typed as formulas: (cell, formula, the value the sample prints)
FORMULAS = {"E9": ("=16093326+6093114.8", "22186440.8"), "F10": ("=F11", "16093326"), "G11": ("=100000+38514.8", "138514.8")}


@pytest.fixture(scope="module")
def dept(tmp_path_factory: pytest.TempPathFactory) -> tuple[Disclosure, Filled]:
    sample = read_disclosure(str(WILD / "shpt-finance-2025-dept-budget.pdf"))
    return sample, fill(DEPT, sample, tmp_path_factory.mktemp("formulas") / "财政局2025部门预算.xlsx")


def _sheet_part(path: Path, title: str) -> str:
    """The zip part of a sheet, by its position (openpyxl writes sheetN.xml in order)."""
    titles = load_workbook(path, read_only=True).sheetnames
    return f"xl/worksheets/sheet{titles.index(title) + 1}.xml"


def _rewrite(path: Path, out: Path, edit: Callable[[str, str], str]) -> Path:
    """A copy of the workbook with each part's XML passed through ``edit(part, xml)``."""
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = edit(item.filename, data.decode("utf-8")).encode("utf-8")
            dst.writestr(item, data)
    return out


def _computed(path: Path, out: Path, sheet: str, values: dict[str, str]) -> Path:
    """The workbook as Excel saves it: each formula cell holds the value it computes."""
    target = _sheet_part(path, sheet)

    def edit(part: str, xml: str) -> str:
        if part != target:
            return xml
        for ref, value in values.items():
            xml, n = re.subn(rf'(<c r="{ref}"[^>]*>\s*<f>[^<]*</f>)\s*(<v\s*/>|<v>\s*</v>)', rf"\g<1><v>{value}</v>", xml)
            assert n == 1, ref
        return xml

    return _rewrite(path, out, edit)


def _stripped(path: Path, out: Path) -> Path:
    """Every stored formula result removed, as a tool that does not calculate saves it."""
    return _rewrite(path, out, lambda _part, xml: re.sub(r"(<f[^>]*>[^<]*</f>|<f[^>]*/>)\s*<v>[^<]*</v>", r"\1", xml))


def _with_formulas(filled: Filled, out: Path) -> Path:
    wb = load_workbook(filled.path)
    ws = wb["部门支出总表"]
    for ref, (formula, _value) in FORMULAS.items():
        assert Decimal(repr(ws[ref].value)) == Decimal(_value)
        ws[ref] = formula
    wb.save(out)  # openpyxl stores formulas without a computed value
    return out


# -- the district's own workbook -------------------------------------------------------------------


def test_formulas_openpyxl_wrote_have_no_computed_value(dept: tuple[Disclosure, Filled], tmp_path: Path) -> None:
    _sample, filled = dept
    book = _with_formulas(filled, tmp_path / "f.xlsx")
    assert uncalculated(formula_cells(book)) == {"部门支出总表": ["E9", "F10", "G11"]}
    assert uncalculated(formula_cells(filled.path)) == {}  # the filled workbook itself holds no formula


def test_the_district_workbook_with_uncalculated_formulas_is_refused_naming_sheet_and_cells(
    dept: tuple[Disclosure, Filled], tmp_path: Path
) -> None:
    _sample, filled = dept
    book = _with_formulas(filled, tmp_path / "f.xlsx")
    for command in (["check", str(book)], ["build", "--from", str(book), "-o", str(tmp_path / "out")]):
        result = CliRunner().invoke(_app(), command)
        assert result.exit_code == 2, result.output
        assert "sheet “部门支出总表” cells E9、F10、G11 hold formulas but the file holds no computed value" in result.output
        assert "open and save it in Excel or WPS" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_the_sentence_is_chinese_by_default(dept: tuple[Disclosure, Filled], tmp_path: Path) -> None:
    _sample, filled = dept
    book = _with_formulas(filled, tmp_path / "f.xlsx")
    set_lang("zh")
    try:
        with pytest.raises(
            InputError, match=r"工作表“部门支出总表”的E9、F10、G11是公式，但文件中没有计算结果.*请在Excel或WPS中打开并保存后再试。"
        ):
            read_disclosure(str(book))
    finally:
        set_lang("en")


def test_the_same_formulas_with_their_computed_values_read_exactly(dept: tuple[Disclosure, Filled], tmp_path: Path) -> None:
    sample, filled = dept
    book = _with_formulas(filled, tmp_path / "f.xlsx")
    saved = _computed(book, tmp_path / "saved.xlsx", "部门支出总表", {ref: value for ref, (_f, value) in FORMULAS.items()})
    read = read_disclosure(str(saved))
    for st in sample.tables:
        rt = read.table(st.spec_id)
        assert rt is not None and _values(rt) == _values(st), st.spec_id
    # and stripping the computed values again (a real sample workbook, its cached values removed) refuses it
    with pytest.raises(InputError, match="E9、F10、G11 hold formulas"):
        read_disclosure(str(_stripped(saved, tmp_path / "stripped.xlsx")))


def test_a_formula_outside_the_tables_is_a_note_not_a_refusal(dept: tuple[Disclosure, Filled], tmp_path: Path) -> None:
    _sample, filled = dept
    wb = load_workbook(filled.path)
    text_sheet = next(ws for ws in wb.worksheets if "情况说明" in ws.title)
    text_sheet["B40"] = '="编制日期："&TEXT(TODAY(),"yyyy-mm-dd")'
    book = tmp_path / "note.xlsx"
    wb.save(book)
    read = read_disclosure(str(book))
    assert any(f"sheet “{text_sheet.title.strip()}” cells B40 hold formulas with no computed value" in n for n in read.notes)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_opening_and_saving_in_an_office_suite_makes_it_readable(dept: tuple[Disclosure, Filled], tmp_path: Path) -> None:
    """The advice works: LibreOffice (standing in for Excel) computes the formulas when it saves the file."""
    sample, filled = dept
    book = _with_formulas(filled, tmp_path / "f.xlsx")
    profile = f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}"
    outdir = tmp_path / "saved"
    subprocess.run(
        ["soffice", profile, "--headless", "--convert-to", "xlsx", "--outdir", str(outdir), str(book)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    saved = outdir / "f.xlsx"
    assert uncalculated(formula_cells(saved)) == {}
    assert formula_cells(saved)["部门支出总表"]["G11"] == "138514.8"
    read = read_disclosure(str(saved))
    st = sample.table("B3")
    rt = read.table("B3")
    assert st is not None and rt is not None and _values(rt) == _values(st)


# -- cnbudget's own workbook -------------------------------------------------------------------------


def test_own_workbook_template_formulas_are_not_input(tmp_path: Path) -> None:
    """The template's own formulas (合计 rows, the 科目名称 lookup) are written by openpyxl without a value:
    they are derived, never read, so they never stop a build."""
    book = fill_seed003(tmp_path / "seed003.xlsx")
    assert uncalculated(formula_cells(book))["功能分类"]  # the lookups and totals, never computed
    data = read_workbook(book)
    assert data.lines and not [i for i in data.warnings if "formula" in i.message]


def test_own_workbook_amount_typed_as_formula(tmp_path: Path) -> None:
    book = fill_seed003(tmp_path / "seed003.xlsx")
    data = read_workbook(book)
    line = data.lines[0]
    wb = load_workbook(book)
    ws = wb["功能分类"]
    keys = {ws.cell(row=2, column=c).value: c for c in range(1, ws.max_column + 1)}
    column = next(c for key, c in keys.items() if key and line.values.get(str(key)))
    key = str(ws.cell(row=2, column=column).value)
    ref = f"{ws.cell(row=line.row, column=column).column_letter}{line.row}"
    value = line.values[key]
    ws[ref] = f"={value}-0"
    typed = tmp_path / "typed.xlsx"
    wb.save(typed)
    # never computed: the build is refused naming the sheet and the cell
    with pytest.raises(WorkbookInvalid) as refused:
        read_workbook(typed)
    errors = [i for i in refused.value.issues if i.severity == "error"]
    assert [(i.sheet, i.cell) for i in errors] == [("功能分类", ref)]
    assert "open and save it in Excel or WPS" in errors[0].message
    # computed (as Excel saves it): the formula's value is the amount
    saved = _computed(typed, tmp_path / "saved.xlsx", "功能分类", {ref: str(value)})
    again = read_workbook(saved)
    assert next(ln for ln in again.lines if ln.code == line.code).values[key] == value
