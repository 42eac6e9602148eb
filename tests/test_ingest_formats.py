"""Word, Excel and web-page disclosures (issue 12): the same Layout, the same values, the same findings.

../shared has no real .docx/.xlsx/.html disclosure, so the material is the project's own output built
from real documents: a real PDF exported as Disclosure JSON (`cnbudget export -f json`) and rebuilt
(`cnbudget build --from`) as docx, xlsx and html, and seed 003's figures filled into the workbook and
built. Reading each built file back must give every table value of the source exactly (Decimal), and
`check` on it the same errors and warnings (by stable finding id) as on the PDF. Hostile files are
refused with one sentence.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from collections import Counter
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cnbudget import api
from cnbudget.cli import app
from cnbudget.errors import InputError
from cnbudget.ingest import read_layout
from cnbudget.ingest.xlsx import shown_number
from cnbudget.model import Disclosure, Grid, Line
from conftest import PDFS, SHARED

runner = CliRunner()
FORMATS = ("docx", "xlsx", "html")
REAL = ("putuo-finance-bureau-2024-final", "putuo-planning-resources-2024-final")
Key = tuple[str, str, str, str, Decimal]
_ORDINAL = re.compile(r"^[一二三四五六七八九十]+、")


def values(d: Disclosure) -> Counter[Key]:
    """Every table value: (table, side, row code or label, column, exact amount). A rebuilt disclosure
    prints labels in the standard form ('一般公共预算财政拨款' for '一、一般公共预算财政拨款' under 年初结转),
    so a label is compared without its ordinal, and the values as a multiset."""
    out: Counter[Key] = Counter()
    for t in d.tables:
        for r in t.rows:
            for v in r.values:
                if v.amount is not None:
                    out[(t.spec_id, r.side, r.code or _ORDINAL.sub("", r.label), v.column, v.amount.value)] += 1
    return out


def judged(path: str | Path) -> set[tuple[str, str, str]]:
    """The errors and warnings of a check, by rule and stable id (places are said differently per format)."""
    report = api.check_one(str(path))
    return {(f.rule, f.severity, f.id or "") for f in report.findings if f.severity in ("error", "warning")}


@cache
def _rebuilt(name: str, root: str) -> dict[str, Path]:
    """The real PDF ``name`` exported as JSON by the CLI and rebuilt as docx, xlsx and html."""
    out = Path(root) / name
    out.mkdir(parents=True, exist_ok=True)
    exported = out / f"{name}.json"
    result = runner.invoke(app, ["export", str(PDFS / f"{name}.pdf"), "-f", "json", "-o", str(exported)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["build", "--from", str(exported), "-o", str(out / "built"), *[a for f in FORMATS for a in ("-f", f)]])
    assert result.exit_code == 0, result.output
    return {f: next((out / "built").glob(f"*.{f}")) for f in FORMATS}


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(tmp_path_factory.mktemp("formats"))


@pytest.mark.parametrize("name", REAL)
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_real_disclosure_rebuilt_reads_back_value_for_value(name: str, fmt: str, workdir: str) -> None:
    source = api.read(PDFS / f"{name}.pdf")
    read = api.read(_rebuilt(name, workdir)[fmt])
    assert read.format == fmt
    assert (read.meta.department, read.meta.year, read.meta.kind, read.meta.scope) == (
        source.meta.department,
        source.meta.year,
        source.meta.kind,
        source.meta.scope,
    )
    expected = values(source)
    assert sum(expected.values()) > 150
    assert values(read) == expected
    assert [t.spec_id for t in read.tables] == [t.spec_id for t in source.tables]
    assert all(t.understood for t in read.tables)


@pytest.mark.parametrize("name", REAL)
@pytest.mark.parametrize("fmt", FORMATS)
def test_check_finds_the_same_errors_and_warnings_as_on_the_pdf(name: str, fmt: str, workdir: str) -> None:
    on_pdf = judged(PDFS / f"{name}.pdf")
    assert on_pdf  # both documents have judged errors (tests/test_findings_judged.py)
    assert judged(_rebuilt(name, workdir)[fmt]) == on_pdf


@pytest.fixture(scope="module")
def seed003_package(tmp_path_factory: pytest.TempPathFactory) -> tuple[Disclosure, dict[str, Path]]:
    from test_publish_seed003 import fill_seed003

    root = tmp_path_factory.mktemp("seed003-formats")
    package = api.build(fill_seed003(root / "seed003.xlsx"), root / "out", formats=[*FORMATS, "json"])
    return package.disclosure, {f: package.files[f] for f in FORMATS}


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_built_workbook_disclosure_reads_back_value_for_value(fmt: str, seed003_package: tuple[Disclosure, dict[str, Path]]) -> None:
    built, files = seed003_package
    read = api.read(files[fmt])
    expected = values(built)
    assert sum(expected.values()) > 100
    assert values(read) == expected
    assert judged(files[fmt]) == judged(files["docx"])


def _cell(layout_path: Path, text: str, first: str = "") -> tuple[Grid, int, int]:
    """The first cell printing ``text`` (in a row whose first cell prints ``first``, when given)."""
    for block in read_layout(str(layout_path)).blocks:
        if isinstance(block, Grid):
            for r, row in enumerate(block.rows):
                for c, cell in enumerate(row):
                    if cell.text == text and (not first or row[0].text == first):
                        return block, r, c
    raise AssertionError(text)


def test_xlsx_values_are_traced_to_sheet_row_and_column(workdir: str) -> None:
    path = _rebuilt("putuo-finance-bureau-2024-final", workdir)["xlsx"]
    read = api.read(path)
    f1 = read.table("F1")
    assert f1 is not None
    row = next(r for r in f1.rows if r.label == "一、一般公共预算财政拨款收入")
    value = row.values[0]
    assert value.amount is not None and value.amount.printed == "2,940.05" and value.amount.places == 2
    # sheet 3 (情况说明, 单位构成, then 公开01表), worksheet row 6: the cell C6 a reader opens in Excel
    assert (value.location.page, value.location.line) == (3, 6)
    grid, r, c = _cell(path, "一、一般公共预算财政拨款收入")
    assert (grid.page, grid.rows[r][c].line, c) == (3, 6, 0)


@pytest.mark.parametrize("fmt", ("docx", "html"))
def test_docx_and_html_values_are_traced_to_their_row_line(fmt: str, workdir: str) -> None:
    path = _rebuilt("putuo-finance-bureau-2024-final", workdir)[fmt]
    read = api.read(path)
    f1 = read.table("F1")
    assert f1 is not None
    value = next(r for r in f1.rows if r.label == "一、一般公共预算财政拨款收入").values[0]
    grid, r, c = _cell(path, "一、一般公共预算财政拨款收入")
    assert value.location.page is None and grid.page is None
    assert value.location.line == grid.rows[r][c].line == grid.line + r  # each table row is one numbered line
    assert grid.rows[r][c + 1].text == "2,940.05"
    lines = [b for b in read_layout(str(path)).blocks if isinstance(b, Line)]
    assert [b.line for b in lines] == sorted(b.line for b in lines)


def test_merged_cells_come_out_as_the_pdf_reader_gives_them(workdir: str) -> None:
    for fmt, path in _rebuilt("putuo-finance-bureau-2024-final", workdir).items():
        grid, r, _c = _cell(path, "本年收入合计", first="项目")  # F2's header: 项目 spans two columns, the totals two rows
        header = grid.rows[r]
        assert [cell.text for cell in header[:3]] == ["项目", "", "本年收入合计"], fmt
        assert (header[0].colspan, header[2].rowspan) == (2, 2), fmt
        assert grid.rows[r + 1][2].text == "", fmt


def test_the_reader_is_chosen_by_content_not_by_name(workdir: str, tmp_path: Path) -> None:
    for fmt, path in _rebuilt("putuo-finance-bureau-2024-final", workdir).items():
        renamed = tmp_path / f"disclosure-{fmt}.txt"
        shutil.copyfile(path, renamed)
        assert api.read(renamed).format == fmt


def test_the_shanghai_district_workbook_reads_as_a_whole_disclosure_in_one_workbook() -> None:
    d = api.read(SHARED / "samples" / "workbooks" / "shanghai-putuo-2026-dept-budget-template.xlsx")
    assert d.format == "xlsx" and (d.meta.year, d.meta.kind) == (2026, "预算")
    assert {"B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8", "B9"} <= {t.spec_id for t in d.tables}


def test_numbers_are_shown_as_their_number_format_shows_them() -> None:
    assert shown_number("2940.05", "#,##0.00") == "2,940.05"
    assert shown_number("10", "#,##0.00") == "10.00"
    assert shown_number("84.65000000000001", "#,##0.00") == "84.65"
    assert shown_number("0.9399999999999999", "") == "0.94"  # General: Excel's 15 digits, no float noise
    assert shown_number("1234.5", "0") == "1235"
    assert shown_number("0.1234", "0.00%") == "12.34%"
    assert shown_number("-0.001", "0.00") == "0.00"
    assert shown_number("12", "@") == "12"


# --- hostile and foreign files: one sentence, exit 2 ----------------------------------------------


def _refused(path: Path, needle: str) -> None:
    with pytest.raises(InputError) as caught:
        read_layout(str(path))
    assert needle in str(caught.value) and "\n" not in str(caught.value)
    result = runner.invoke(app, ["--lang", "en", "check", str(path)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert needle in " ".join(result.output.split())


def _zip(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def test_a_zip_bomb_is_refused(tmp_path: Path) -> None:
    bomb = _zip(tmp_path / "bomb.docx", {"word/document.xml": b"<w:document>" + b" " * (60 * 1024 * 1024) + b"</w:document>"})
    _refused(bomb, "zip bomb")
    _refused(SHARED / "fuzz-repro" / "xlsx_zip_bomb.xlsx", "zip bomb")


def test_a_sheet_beyond_any_disclosure_is_refused(tmp_path: Path) -> None:
    _refused(SHARED / "fuzz-repro" / "min_xlsx_far_cell.xlsx", "XFD1048576")
    sheet = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="90000"><c r="A90000"><v>1</v></c></row></sheetData></worksheet>'
    book = _zip(
        tmp_path / "huge.xlsx",
        {
            "xl/workbook.xml": b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
            "xl/_rels/workbook.xml.rels": b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>',
            "xl/worksheets/sheet1.xml": sheet,
        },
    )
    _refused(book, "A90000")


def test_deep_html_is_refused(tmp_path: Path) -> None:
    page = tmp_path / "deep.html"
    page.write_text(
        "<!DOCTYPE html><html><body>" + "<div>" * 5000 + "收入支出决算总表" + "</div>" * 5000 + "</body></html>", encoding="utf-8"
    )
    _refused(page, "deep")


def test_entities_in_office_xml_are_refused(tmp_path: Path) -> None:
    xml = b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">]><w:document xmlns:w="x">&a;</w:document>'
    _refused(_zip(tmp_path / "entities.docx", {"word/document.xml": xml}), "document type")


def test_other_zips_and_old_office_files_are_refused(tmp_path: Path) -> None:
    _refused(_zip(tmp_path / "photos.zip", {"a.jpg": b"x"}), "neither a Word")
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    _refused(old, "old-style Office")
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    _refused(broken, "damaged")


def test_a_gbk_web_page_with_a_layout_table_is_read(tmp_path: Path) -> None:
    page = tmp_path / "page.htm"
    html = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"><title>x</title>'
        "<script>var a = '<table>';</script></head><body><table><tr><td>"
        "<p>收入支出决算总表<br>编制单位：某局</p>"
        "<table><tr><th colspan=2>项目<th>决算数<tr><td>一、财政拨款收入<td><td>1,234.50</table>"
        "</td></tr></table></body></html>"
    )
    page.write_bytes(html.encode("gb18030"))
    blocks = read_layout(str(page)).blocks
    assert [b.text for b in blocks if isinstance(b, Line)] == ["收入支出决算总表", "编制单位：某局"]
    grids = [b for b in blocks if isinstance(b, Grid)]
    assert len(grids) == 1 and [[c.text for c in r] for r in grids[0].rows] == [
        ["项目", "", "决算数"],
        ["一、财政拨款收入", "", "1,234.50"],
    ]
    assert [r[0].line for r in grids[0].rows] == [3, 4]


def test_reading_word_and_excel_loads_neither_python_docx_nor_openpyxl(workdir: str) -> None:
    import subprocess
    import sys

    files = _rebuilt("putuo-finance-bureau-2024-final", workdir)
    code = (
        "import sys; from cnbudget.ingest import read_layout; [read_layout(p) for p in sys.argv[1:]]; "
        "bad = [m for m in ('docx', 'openpyxl') if m in sys.modules]; print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code, str(files["docx"]), str(files["xlsx"])], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _numbered_paragraph(text: str, num_id: str = "", ilvl: int = 0, style: str = "") -> str:
    props = f'<w:pStyle w:val="{style}"/>' if style else ""
    if num_id:
        props += f'<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'
    return f"<w:p><w:pPr>{props}</w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"


def test_word_prints_the_numbers_of_numbered_paragraphs(tmp_path: Path) -> None:
    """一、 and （一） from word/numbering.xml, as Word shows them: a level restarts when the one above advances;
    a heading style tied to a list numbers its paragraphs; bullets print nothing."""
    numbering = (
        f"<w:numbering {_W}>"
        '<w:abstractNum w:abstractNumId="0">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>'
        '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl></w:abstractNum>'
        '<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="\uf0b7"/></w:lvl></w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
        '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>'
        '<w:num w:numId="3"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="10"/></w:lvlOverride></w:num>'
        "</w:numbering>"
    )
    styles = (
        f'<w:styles {_W}><w:style w:type="paragraph" w:styleId="Part"><w:pPr><w:numPr><w:numId w:val="3"/></w:numPr></w:pPr></w:style>'
        '<w:style w:type="paragraph" w:styleId="PartBold"><w:basedOn w:val="Part"/></w:style></w:styles>'
    )
    body = "".join(
        [
            _numbered_paragraph("收入支出决算总体情况说明", "1", 0),
            _numbered_paragraph("收入决算情况说明", "1", 0),
            _numbered_paragraph("财政拨款收入", "1", 1),
            _numbered_paragraph("明细", "1", 2),
            _numbered_paragraph("其他收入", "1", 1),
            _numbered_paragraph("要点", "2", 0),
            _numbered_paragraph("支出决算情况说明", "1", 0),
            _numbered_paragraph("基本支出", "1", 1),
            _numbered_paragraph("其他重要事项的情况说明", style="PartBold"),
        ]
    )
    path = _zip(
        tmp_path / "numbered.docx",
        {
            "word/document.xml": f"<w:document {_W}><w:body>{body}</w:body></w:document>".encode(),
            "word/numbering.xml": numbering.encode(),
            "word/styles.xml": styles.encode(),
        },
    )
    lines = [b.text for b in read_layout(str(path)).blocks if isinstance(b, Line)]
    assert lines == [
        "一、收入支出决算总体情况说明",
        "二、收入决算情况说明",
        "（一）财政拨款收入",
        "1.明细",
        "（二）其他收入",
        "要点",
        "三、支出决算情况说明",
        "（一）基本支出",
        "十、其他重要事项的情况说明",
    ]


def test_chinese_counting_is_printed_as_word_prints_it() -> None:
    from cnbudget.ingest.docx_numbering import chinese

    assert [chinese(n) for n in (1, 10, 11, 20, 27, 100, 105, 110, 1001)] == [
        "一",
        "十",
        "十一",
        "二十",
        "二十七",
        "一百",
        "一百零五",
        "一百一十",
        "一千零一",
    ]


def _one_sheet_book(path: Path, sheet: str) -> Path:
    return _zip(
        path,
        {
            "xl/workbook.xml": b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
            "xl/_rels/workbook.xml.rels": b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>',
            "xl/worksheets/sheet1.xml": (
                '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + sheet + "</worksheet>"
            ).encode(),
        },
    )


def test_a_sheet_with_more_cells_than_any_table_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import cnbudget.ingest.xlsx as xlsx

    monkeypatch.setattr(xlsx, "MAX_GRID_CELLS", 1000)  # the mechanism, on a small sheet (the limit itself is 200,000)
    rows = "".join(f'<row r="{r}">' + "".join(f'<c r="{col}{r}"><v>{r}</v></c>' for col in "ABCDEFGHIJ") + "</row>" for r in range(1, 201))
    with pytest.raises(InputError, match="1,000"):
        read_layout(str(_one_sheet_book(tmp_path / "cells.xlsx", f"<sheetData>{rows}</sheetData>")))
    merges = "".join(f'<mergeCell ref="A{r}:Z{r + 1}"/>' for r in range(1, 200, 2))
    with pytest.raises(InputError, match="1,000"):
        read_layout(
            str(
                _one_sheet_book(
                    tmp_path / "merges.xlsx",
                    f'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row></sheetData><mergeCells>{merges}</mergeCells>',
                )
            )
        )


def test_xlsx_cells_typed_with_line_breaks_and_escapes_read_as_one_text(tmp_path: Path) -> None:
    """Alt+Enter in a cell and Excel's _x000D_ escape: the lines are joined as the PDF reader joins a cell's lines."""
    row = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>收入支出_x000D_\n决算总表</t></is></c></row>'
        '<row r="3"><c r="A3" t="inlineStr"><is><t>项目</t></is></c><c r="B3" t="inlineStr"><is><t>决算数</t></is></c></row>'
        '<row r="4"><c r="A4" t="inlineStr"><is><t>财政拨款\n收入</t></is></c><c r="B4"><v>1234.5</v></c></row>'
    )
    blocks = read_layout(str(_one_sheet_book(tmp_path / "breaks.xlsx", f"<sheetData>{row}</sheetData>"))).blocks
    assert isinstance(blocks[0], Line) and (blocks[0].text, blocks[0].page, blocks[0].line) == ("收入支出决算总表", 1, 1)
    grid = blocks[1]
    assert isinstance(grid, Grid) and [[c.text for c in r] for r in grid.rows] == [["项目", "决算数"], ["财政拨款收入", "1234.5"]]
    assert [r[0].line for r in grid.rows] == [3, 4]


@pytest.mark.parametrize("fmt", FORMATS)
def test_parse_and_check_commands_take_the_file(fmt: str, workdir: str) -> None:
    path = _rebuilt("putuo-finance-bureau-2024-final", workdir)[fmt]
    parsed = runner.invoke(app, ["--lang", "en", "parse", str(path)], env={"COLUMNS": "200"})
    assert parsed.exit_code == 0 and f"({fmt})" in parsed.output and "上海市普陀区财政局" in parsed.output
    checked = runner.invoke(app, ["--lang", "en", "check", str(path), "-f", "json"])
    assert checked.exit_code == 1  # N-TABLE and N-SHARE, as on the PDF
    assert '"rule": "N-TABLE"' in checked.output or '"rule":"N-TABLE"' in checked.output
