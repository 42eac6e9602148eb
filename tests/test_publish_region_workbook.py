"""The Shanghai district's own budget workbook (issue 14, item 4): `check` reads it as a disclosure,
`build` (and `build --from`) prints the disclosure from it.

The two real templates in ../shared/samples/workbooks (普陀区 2026 部门 / 单位) are used as handed
out (blank: refused in one sentence, exit 2) and filled as a department would fill them, with the
figures of a real Shanghai disclosure of the same template (../shared/samples/wild): every amount
the sample prints is read from the workbook exactly, to the fen, and one is followed from its named
cell to the built table.
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import typer
from openpyxl import load_workbook
from typer.testing import CliRunner

from cnbudget.api import check
from cnbudget.commands import register
from cnbudget.errors import InputError
from cnbudget.i18n import set_lang
from cnbudget.model import Disclosure, Table
from cnbudget.pipeline import read_disclosure
from cnbudget.publish.build import build_from_workbook
from conftest import SHARED
from region_fill import Filled, fill

WORKBOOKS = SHARED / "samples" / "workbooks"
DEPT = WORKBOOKS / "shanghai-putuo-2026-dept-budget-template.xlsx"
UNIT = WORKBOOKS / "shanghai-putuo-2026-unit-budget-template.xlsx"
WILD = SHARED / "samples" / "wild"


def _app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """cnbudget (test app)."""

    register(app, "check", "build")
    return app


def _values(t: Table) -> dict[tuple[str, str, str], Decimal]:
    return {(r.side, r.code or r.label, v.column): v.amount.value for r in t.rows for v in r.values if v.amount is not None}


@pytest.fixture(scope="module")
def dept(tmp_path_factory: pytest.TempPathFactory) -> tuple[Disclosure, Filled]:
    sample = read_disclosure(str(WILD / "shpt-finance-2025-dept-budget.pdf"))
    return sample, fill(DEPT, sample, tmp_path_factory.mktemp("region") / "财政局2025部门预算.xlsx")


@pytest.fixture(scope="module")
def unit(tmp_path_factory: pytest.TempPathFactory) -> tuple[Disclosure, Filled]:
    sample = read_disclosure(str(WILD / "shpt-govoffice-2025-unit-budget.pdf"))
    return sample, fill(UNIT, sample, tmp_path_factory.mktemp("region") / "区府办2025单位预算.xlsx", unit=True)


# -- the blank template -------------------------------------------------------------------------


@pytest.mark.parametrize("template", [DEPT, UNIT], ids=["dept", "unit"])
def test_the_blank_template_is_refused_in_one_sentence(template: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(_app(), ["check", str(template)])
    assert result.exit_code == 2
    assert "unfilled" in result.output and "9 tables" in result.output
    assert "Traceback" not in result.output
    out = tmp_path / "out"
    result = CliRunner().invoke(_app(), ["build", "--from", str(template), "-o", str(out)])
    assert result.exit_code == 2
    assert result.output.count("holds no amount") == 9  # every empty table named, with its sheet
    assert "收支总表" in result.output and "“三公”经费和机关运行费预算表" in result.output
    assert not out.exists()  # nothing written


def test_the_blank_template_sentence_is_chinese_by_default() -> None:
    set_lang("zh")
    try:
        with pytest.raises(InputError, match="尚未填写的预算模板：9张表中没有任何金额"):
            read_disclosure(str(DEPT))
    finally:
        set_lang("en")


def test_an_xlsx_of_no_known_layout_is_refused(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    assert wb.active is not None
    wb.active["A1"] = "随便一张表"
    path = tmp_path / "other.xlsx"
    wb.save(path)
    result = CliRunner().invoke(_app(), ["check", str(path)])
    assert result.exit_code == 2
    # not a region's form: the general xlsx reader reads it, and it holds no disclosure
    assert "does not look like a budget or final-account disclosure" in result.output


# -- a filled workbook read as the disclosure ---------------------------------------------------


@pytest.mark.parametrize("which", ["dept", "unit"])
def test_every_amount_is_read_exactly(which: str, request: pytest.FixtureRequest) -> None:
    sample, filled = request.getfixturevalue(which)
    read = read_disclosure(str(filled.path))
    assert read.meta.department == sample.meta.department
    assert (read.meta.year, read.meta.kind, read.meta.scope) == (sample.meta.year, "预算", sample.meta.scope)
    assert [t.spec_id for t in read.tables] == [t.spec_id for t in sample.tables]
    for st in sample.tables:
        rt = read.table(st.spec_id)
        assert rt is not None and rt.understood, (st.spec_id, rt.problems if rt else None)
        assert _values(rt) == _values(st), st.spec_id
        assert rt.unit == st.unit
    total = sum(len(_values(t)) for t in read.tables)
    assert total == len(filled.cells) > 100


def test_a_value_is_traced_from_its_named_cell_to_the_built_table(dept: tuple[Disclosure, Filled], tmp_path: Path) -> None:
    _sample, filled = dept
    where = filled.cells[("B3", "|2010601", "项目支出")]
    assert where == "'部门支出总表'!G11"
    sheet, cell = where.rsplit("!", 1)
    wb = load_workbook(filled.path)
    typed = Decimal(repr(wb[sheet.strip("'")][cell].value))
    assert typed == Decimal("138514.8")
    package = build_from_workbook(filled.path, tmp_path / "out", formats=("json", "xlsx"))
    b3 = package.disclosure.table("B3")
    assert b3 is not None
    row = next(r for r in b3.rows if r.code == "2010601")
    value = next(v for v in row.values if v.column == "项目支出")
    assert value.amount is not None
    assert (value.amount.value, value.amount.printed, value.amount.places) == (Decimal("138514.80"), "138,514.80", 2)
    assert (value.location.page, value.location.line) == (wb.sheetnames.index(sheet.strip("'")) + 1, 11)  # sheet, row
    # and the built xlsx prints it in that row
    built = load_workbook(package.files["xlsx"])
    printed = [c.value for ws in built.worksheets for r in ws.iter_rows() for c in r if c.value is not None]
    assert any(str(v).replace(",", "") in ("138514.80", "138514.8") for v in printed)


def test_build_lists_what_is_left_empty_and_the_template_wording(dept: tuple[Disclosure, Filled], tmp_path: Path) -> None:
    _sample, filled = dept
    wb = load_workbook(filled.path)
    wb["项目经费情况说明"]["A1"] = "XX项目经费情况说明"
    wb["项目经费情况说明"]["A3"] = " 一、项目概述\n （说明项目的总体情况、立项目的等）\n XX是…。"
    partly = tmp_path / "partly.xlsx"
    wb.save(partly)
    package = build_from_workbook(partly, tmp_path / "out", formats=("json",))
    assert [i.sheet for i in package.notes if "no amount" in i.message] == ["部门政府性基金拨款表", "部门国有资本经营预算拨款表"]
    assert [i.sheet for i in package.warnings] == ["项目经费情况说明"]
    assert "sample wording" in package.warnings[0].message


def test_check_on_the_filled_workbook_finds_what_it_finds_on_the_printed_sample(dept: tuple[Disclosure, Filled]) -> None:
    sample, filled = dept
    on_workbook = check([read_disclosure(str(filled.path))])[0]
    on_sample = check([sample])[0]
    serious = {"error", "warning"}
    assert not [f for f in on_workbook.findings if f.severity == "error"]
    assert sorted(f.rule for f in on_workbook.findings if f.severity in serious) == sorted(
        f.rule for f in on_sample.findings if f.severity in serious
    )  # the one warning of both: B9's note names the wrong fund (the sample's own slip, copied)


def test_build_from_the_workbook_on_the_command_line(unit: tuple[Disclosure, Filled], tmp_path: Path) -> None:
    _sample, filled = unit
    out = tmp_path / "out"
    result = CliRunner().invoke(_app(), ["build", "--from", str(filled.path), "-o", str(out), "-f", "json", "-f", "docx"])
    assert result.exit_code == 0, result.output
    assert (out / "2025预算.docx").stat().st_size > 10_000
    built = Disclosure.model_validate_json((out / "2025预算.disclosure.json").read_text(encoding="utf-8"))
    assert built.meta.scope == "单位" and built.format == "xlsx"
    assert {t.spec_id for t in built.tables} >= {"B1", "B2", "B3", "B4", "B5", "B6", "B7"}


def test_the_docx_contents_carry_page_numbers_word_fills(dept: tuple[Disclosure, Filled], tmp_path: Path) -> None:
    """Issue 14: the docx 目录 shows page numbers. Each entry ends in a dotted tab and a PAGEREF field to
    a bookmark on the heading or table title it names; the document asks Word to update its fields on
    opening (LibreOffice computes page references as it lays out)."""
    import re
    import zipfile

    _sample, filled = dept
    package = build_from_workbook(filled.path, tmp_path / "out", formats=("docx",))
    with zipfile.ZipFile(package.files["docx"]) as z:
        xml = z.read("word/document.xml").decode("utf-8")
        settings = z.read("word/settings.xml").decode("utf-8")
    assert '<w:updateFields w:val="true"/>' in settings
    refs = re.findall(r"PAGEREF (_Toc\d+) \\h", xml)
    marks = dict(re.findall(r'<w:bookmarkStart w:id="\d+" w:name="(_Toc\d+)"/>(.*?)</w:p>', xml))
    assert len(refs) == len(set(refs)) >= 9 + 5  # the nine tables and the parts
    assert set(refs) <= set(marks)

    def text(fragment: str) -> str:
        return "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", fragment))

    titles = [text(marks[r]) for r in refs]
    assert "2025年部门财务收支预算总表" in titles  # the sample's own title, printed in its own layout
    assert any(t.endswith("主要职能") for t in titles)
    assert xml.count('w:leader="dot"') == len(refs)


@pytest.mark.parametrize("which", ["dept", "unit"])
def test_the_built_pdf_reads_back_as_the_sample(which: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    """Acceptance of issue 14: the district workbook filled with a real sample's figures builds a PDF whose
    tables read back equal to the sample's, and `check` finds on it exactly what it finds on the sample.
    (Tables of another template family than the standard print forms are printed in their own layout;
    wide figures are set smaller, never split.)"""
    sample, filled = request.getfixturevalue(which)
    package = build_from_workbook(filled.path, tmp_path / "out", formats=("pdf",))
    read = read_disclosure(str(package.files["pdf"]))
    assert [t.spec_id for t in read.tables] == [t.spec_id for t in sample.tables]
    for st in sample.tables:
        rt = read.table(st.spec_id)
        assert rt is not None and rt.understood, st.spec_id
        assert _values(rt) == _values(st), st.spec_id
    on_built = check([read])[0]
    on_sample = check([sample])[0]
    serious = ("error", "warning")
    assert sorted(f.rule for f in on_built.findings if f.severity in serious) == sorted(
        f.rule for f in on_sample.findings if f.severity in serious
    )


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_renders_the_docx_contents_with_the_pages_the_parts_land_on(dept: tuple[Disclosure, Filled], tmp_path: Path) -> None:
    """The docx 目录 as LibreOffice lays it out: each entry's number is the page its heading or table is on."""
    import re
    import subprocess

    import pypdfium2 as pdfium

    _sample, filled = dept
    package = build_from_workbook(filled.path, tmp_path / "out", formats=("docx",))
    docx = tmp_path / "toc.docx"
    docx.write_bytes(package.files["docx"].read_bytes())
    # a profile of its own: a second soffice on the same profile (another test, the corpus reader) makes this one
    # hand its work to the first and exit 0 without writing the PDF
    profile = f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}"
    subprocess.run(
        ["soffice", profile, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx)], check=True, capture_output=True, timeout=300
    )
    pdf = pdfium.PdfDocument(str(tmp_path / "toc.pdf"))
    pages = [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    entries = re.findall(r"^\s*(\S[^\r\n]*?)\.{4,}\s*(\d+)\s*$", pages[1], re.M)
    assert len(entries) >= 14
    for title, number in entries:
        title = re.sub(r"^(?:[一二三四五六七八九十]+、|\d+[.．]\s*)", "", title.strip())  # the 目录's own numbers (五、部门预算表, 1. 表名)
        landed = pages[int(number) - 1]
        assert title.replace(" ", "") in landed.replace(" ", "").replace("\r", "").replace("\n", ""), (title, number)


def test_check_on_cnbudget_s_own_workbook_says_to_build_it(tmp_path: Path) -> None:
    from cnbudget.publish.workbook import write_template

    path = tmp_path / "2025预算.xlsx"
    write_template(path, "预算", 2025, "测试局")
    result = CliRunner().invoke(_app(), ["check", str(path)])
    assert result.exit_code == 2
    assert "cnbudget's own workbook, not a disclosure" in result.output and "cnbudget build" in result.output
