"""In a disclosure read from several files, every finding names the file of its page (issue 8).

js-cppcc-2018 was published as a narrative file (its tables 附后) and a tables file; `check` reads the
two as one Disclosure, so "p.12" alone names no page. The finding's place (``Where.file``) holds the
file its page is in; text, concise, HTML and the checklist show it beside the page only for such a
document, JSON/CSV/xlsx carry it always. The finding ids do not change (review files rely on them).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from decimal import Decimal
from functools import cache
from pathlib import Path

from rich.console import Console
from typer.testing import CliRunner

from cnbudget import api
from cnbudget.cli import app
from cnbudget.model import Disclosure, Meta
from cnbudget.recognize.parts import merge_parts
from cnbudget.render.checklist import problem_line
from cnbudget.render.html import to_html
from cnbudget.render.report import concise_lines, csv_header, place_of, render_text, to_csv, to_json
from cnbudget.render.xlsx import ISSUE_COLUMNS, issue_row
from cnbudget.rules.findings import Finding, Where, group_findings
from cnbudget.rules.identity import finding_id
from cnbudget.rules.report import DocumentReport
from conftest import SHARED

WILD = SHARED / "samples" / "wild"
NARRATIVE = WILD / "js-cppcc-2018-dept-budget.pdf"
TABLES = WILD / "js-cppcc-2018-dept-budget-tables.pdf"
runner = CliRunner()

# the ids of the js-cppcc-2018 findings as `check` gave them before findings named their file
IDS_BEFORE = {
    "5533035c9f": ("C006", None),  # no 国有资产占用 explanation: the whole narrative, no page
    "71087074b5": ("H-TEMPLATE", 12),
    "038c2755b9": ("H-TEMPLATE", 12),
    "4bd7a3ce59": ("H-TEMPLATE", 13),
    "2e25dcf7d0": ("H-TEMPLATE", 13),
}


@cache
def _part(path: Path) -> Disclosure:
    return api.read(path)


def _pair_with_a_wrong_total() -> DocumentReport:
    """The pair read as one, with B5's 201 一般公共服务支出 (p.7 of the tables file: 7,747.46) printed as 9,999.00."""
    d = merge_parts([_part(NARRATIVE).model_copy(deep=True), _part(TABLES).model_copy(deep=True)])
    b5 = next(t for t in d.tables if t.spec_id == "B5")
    row = next(r for r in b5.rows if r.code == "201")
    value = row.values[0]
    assert (value.text, value.location.page) == ("7,747.46", 7)
    assert value.amount is not None
    value.text = "9,999.00"
    value.amount = value.amount.model_copy(update={"printed": "9,999.00", "value": Decimal("9999.00")})
    return api.check_one(d)


def _cli(*args: str) -> str:
    result = runner.invoke(app, ["check", str(NARRATIVE), str(TABLES), "--exit-zero", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


# --- the real pair, as `check` reads it ---------------------------------------------------------


def test_ids_are_those_of_before_and_json_names_each_finding_file() -> None:
    [report] = json.loads(_cli("-f", "json"))["documents"]
    assert report["source"] == f"{NARRATIVE} + {TABLES}"
    found = {f["id"]: (f["rule"], f["location"]["page"]) for f in report["findings"]}
    assert found == IDS_BEFORE
    files = {f["id"]: f["location"]["file"] for f in report["findings"]}
    assert files["5533035c9f"] == ""  # a section missing from the narrative is on no page of any file
    assert {files[i] for i in IDS_BEFORE if i != "5533035c9f"} == {str(NARRATIVE)}


def test_text_concise_and_csv_name_the_narrative_file_beside_its_page() -> None:
    text = _cli()
    assert "71087074b5 js-cppcc-2018-dept-budget.pdf p.12" in text
    assert "2e25dcf7d0 js-cppcc-2018-dept-budget.pdf p.13" in text
    assert "5533035c9f\n" in text  # no page: nothing added
    concise = _cli("-f", "concise").splitlines()
    assert "js-cppcc-2018-dept-budget.pdf:12:H-TEMPLATE:" in concise[1]
    assert concise[0].startswith("js-cppcc-2018-dept-budget.pdf + js-cppcc-2018-dept-budget-tables.pdf::C006:")
    rows = list(csv.DictReader(io.StringIO(_cli("-f", "csv"))))
    by_id = {r["id"]: r for r in rows if r["id"]}
    assert by_id["71087074b5"]["file"] == str(NARRATIVE) and by_id["71087074b5"]["page"] == "12"
    assert by_id["71087074b5"]["source"] == f"{NARRATIVE} + {TABLES}"  # the document, as before
    assert by_id["5533035c9f"]["file"] == ""


# --- a finding in the tables file ---------------------------------------------------------------


def test_a_finding_in_the_tables_file_names_the_tables_file_in_every_output() -> None:
    report = _pair_with_a_wrong_total()
    wrong = [f for f in report.findings if f.location.table.startswith("B5")]
    assert [f.rule for f in wrong] == ["B3-4"]
    [f] = wrong
    assert (f.location.file, f.location.page) == (str(TABLES), 7)
    assert all(i.location.file == str(TABLES) for i in f.instances)
    templated = next(x for x in report.findings if x.id == "71087074b5")  # the narrative's findings keep their file and id
    assert templated.location.file == str(NARRATIVE)
    assert {x.id for x in report.findings} >= set(IDS_BEFORE)

    console = Console(record=True, width=200, file=io.StringIO())
    render_text([report], console)
    text = console.export_text()
    assert f"{f.id} js-cppcc-2018-dept-budget-tables.pdf p.7" in text
    assert "71087074b5 js-cppcc-2018-dept-budget.pdf p.12" in text

    assert "js-cppcc-2018-dept-budget-tables.pdf:7:B3-4:" in "\n".join(concise_lines(report))
    data = json.loads(to_json([report]))["documents"][0]
    shown = next(x for x in data["findings"] if x["id"] == f.id)
    assert shown["location"]["file"] == str(TABLES)
    assert {i["location"]["file"] for i in shown["instances"]} == {str(TABLES)}
    rows = list(csv.reader(io.StringIO(to_csv([report]))))
    row = dict(zip(rows[0], next(r for r in rows[1:] if f.id in r), strict=True))
    assert (row["file"], row["page"]) == (str(TABLES), "7")

    html = to_html([report])
    assert "js-cppcc-2018-dept-budget-tables.pdf p.7" in html and "js-cppcc-2018-dept-budget.pdf p.12" in html
    assert problem_line(f, report.source).startswith("js-cppcc-2018-dept-budget-tables.pdf p.7，B5")
    cells = dict(zip([name for name, _ in ISSUE_COLUMNS], issue_row(report, f), strict=True))
    assert (cells["所在文件"], cells["页"]) == ("js-cppcc-2018-dept-budget-tables.pdf", 7)
    assert cells["文件"] == "js-cppcc-2018-dept-budget.pdf + js-cppcc-2018-dept-budget-tables.pdf"


# --- what does not change -----------------------------------------------------------------------


def test_the_file_is_not_part_of_the_id() -> None:
    meta = Meta(department="某部门", year=2024, kind="预算", scope="部门")
    f = Finding("B3-4", "arithmetic", "error", "x", Where(page=3, table="B5 一般公共预算支出表", row="201", file="a.pdf"), "1", "2")
    moved = replace(f, location=replace(f.location, file="b.pdf"))
    assert finding_id(f, meta) == finding_id(moved, meta) == finding_id(replace(f, location=replace(f.location, file="")), meta)


def test_a_single_file_report_shows_no_file_beside_the_page() -> None:
    report = api.check_one(_part(NARRATIVE))  # the narrative file alone
    templated = next(f for f in report.findings if f.rule == "H-TEMPLATE")
    assert templated.location.file == str(NARRATIVE)  # carried, for JSON/CSV/xlsx
    assert place_of(templated, report.source) == "p.12"
    assert problem_line(templated, report.source).startswith("p.12，")
    assert concise_lines(report)[0].startswith("js-cppcc-2018-dept-budget.pdf:")
    assert "pdf p.12" not in to_html([report])
    assert csv_header()[-1] == "file"


def test_a_grouped_finding_names_an_instance_in_another_file() -> None:
    def at(file: str, page: int) -> Finding:
        return Finding("H-TEMPLATE", "narrative", "warning", "left in", Where(page=page, section="S", file=file), cause="same")

    one_file = group_findings([at("/x/a.pdf", 3), at("/x/a.pdf", 5)])[0]
    assert one_file.text("en").endswith("p.5.")  # as it always read
    two_files = group_findings([at("/x/a.pdf", 3), at("/x/b.pdf", 5)])[0]
    assert two_files.text("en").endswith("b.pdf p.5.")
