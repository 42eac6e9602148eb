"""The cover (C-COVER, the checklist's 封面 row) and blank pages (H-BLANK) on the real documents (issue 10).

The cover is what a document prints before its 目录 or first part; it is checked against the document's
own tables and headings. A blank page is one with no text, no image and no curve inside the document.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cnbudget.api import check_one
from cnbudget.api import read as read_disclosure
from cnbudget.model import Disclosure
from cnbudget.render.checklist import checklist
from cnbudget.rules.findings import Finding
from conftest import PDF_FILES, SEED_FILES, SHARED, seed
from test_findings_judged import DOCUMENTS, findings

WILD = SHARED / "samples" / "wild"


def _cover(d: Disclosure) -> list[tuple[int | None, int | None, str]]:
    return [(p.location.page, p.location.line, p.text) for p in d.cover]


def test_covers_as_printed() -> None:
    assert _cover(seed("002")) == [(None, 3, "台前县医疗保障局"), (None, 4, "2023 年度部门预算"), (None, 6, "2023 年 3 月")]
    assert _cover(seed("003")) == [(None, 3, "2020年度"), (None, 5, "峯城区医疗保障局（本级）决算")]
    assert _cover(seed("004")) == []  # the conversion starts at 第一部分
    assert _cover(seed("000")) == []  # … or at a table
    planning = read_disclosure(str(PDF_FILES["planning"]))
    assert _cover(planning) == [(1, 1, "上海市普陀区规划和自然"), (1, 2, "资源局"), (1, 3, "2024年度部门决算")]
    unit = read_disclosure(str(WILD / "sh-finance-bureau-2025-unit-budget.pdf"))
    assert _cover(unit) == [(1, 1, "上海市2025年市级单位预算"), (1, 2, "预算单位：上海市财政局")]  # a label line, not a table's 单位：
    npc = read_disclosure(str(WILD / "js-npc-office-2017-dept-budget.pdf"))
    assert _cover(npc) == [(1, 1, "江苏省人大常委会办公厅2017年度部门预算")]  # the 目录 shares its page


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_every_shared_cover_fits_its_document(name: str) -> None:
    """Every cover in ../shared names its department, year and kind as the document does: silent."""
    assert [f for f in findings(name) if f.rule == "C-COVER"] == []


def _mutated(tmp_path: Path, name: str, old: str, new: str) -> list[Finding]:
    text = SEED_FILES[name].read_text(encoding="utf-8")
    assert 0 <= text.find(old) < 100, old  # the cover's words (the first of their mentions)
    path = tmp_path / "m.txt"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return [f for f in check_one(str(path)).findings if f.rule == "C-COVER"]


def test_mutation_cover_year(tmp_path: Path) -> None:
    """Seed 002's cover says 2022 while its tables and parts say 2023: an error at the cover's line; the
    date (2023年3月) is judged by the document's year and stays silent."""
    got = [(f.severity, f.location.line, f.expected, f.actual) for f in _mutated(tmp_path, "002", "2023 年度部门预算", "2022 年度部门预算")]
    assert got == [("error", 3, "2023", "2022")]


def test_mutation_cover_kind_and_date(tmp_path: Path) -> None:
    got = [(f.severity, f.location.line, f.expected, f.actual) for f in _mutated(tmp_path, "002", "2023 年度部门预算", "2023 年度部门决算")]
    assert got == [("error", 3, "预算", "决算")]
    got = [(f.severity, f.location.line, f.expected, f.actual) for f in _mutated(tmp_path, "002", "2023 年 3 月", "2024 年 3 月")]
    assert got == [("warning", 6, "2022年、2023年", "2024年3月")]  # a 2023 budget is not dated 2024


def test_mutation_cover_silent_about_year_or_kind(tmp_path: Path) -> None:
    got = [(f.severity, f.location.line, f.expected) for f in _mutated(tmp_path, "003", "峯城区医疗保障局（本级）决算", "峯城区医疗保障局（本级）")]
    assert got == [("warning", 3, "决算")]
    got = [(f.severity, f.location.line, f.expected) for f in _mutated(tmp_path, "003", "2020年度\n", "\n")]
    assert got == [("warning", 5, "2020")]


def _cover_row(source: str) -> tuple[str, list[str], list[str]]:
    [row] = [i for i in checklist(check_one(source)).items if i.item == "封面"]
    return row.verdict, row.problems, row.notes


def test_checklist_cover_row() -> None:
    verdict, problems, notes = _cover_row(str(SEED_FILES["002"]))
    assert verdict == "是" and problems == [] and any("C-COVER" in n for n in notes)
    verdict, _, notes = _cover_row(str(SEED_FILES["004"]))  # no cover printed: never 是
    assert verdict == "未检查" and any("no cover" in n for n in notes)
    verdict, _, notes = _cover_row(str(PDF_FILES["finance"]))  # checked; its date is not (none printed)
    assert verdict == "是" and any("no date" in n for n in notes)


def test_checklist_cover_row_fails_with_the_problem_and_its_line(tmp_path: Path) -> None:
    text = SEED_FILES["002"].read_text(encoding="utf-8").replace("2023 年度部门预算", "2023 年度部门决算", 1)
    path = tmp_path / "m.txt"
    path.write_text(text, encoding="utf-8")
    verdict, problems, _ = _cover_row(str(path))
    assert verdict == "否" and len(problems) == 1 and problems[0].startswith("line 3") and problems[0].endswith("（C-COVER）")


# --- blank pages ----------------------------------------------------------------------------------


def test_blank_pages_of_the_shared_pdfs() -> None:
    """putuo-finance p.14 holds one empty table row and nothing else (info); js-npc-office's last page
    (p.31) is blank but ends the document: not reported. No other shared PDF has a blank page."""
    finance = read_disclosure(str(PDF_FILES["finance"]))
    assert [(b.location.page, b.ruled) for b in finance.blank_pages] == [(14, True)]
    [f] = [f for f in check_one(finance).findings if f.rule == "H-BLANK"]
    assert (f.severity, f.location.page) == ("info", 14)
    npc = read_disclosure(str(WILD / "js-npc-office-2017-dept-budget.pdf"))
    assert npc.blank_pages == []
    for path in [PDF_FILES["planning"], PDF_FILES["template"], *sorted(WILD.glob("*.pdf"))]:
        if path.name != "js-npc-office-2017-dept-budget.pdf":
            assert read_disclosure(str(path)).blank_pages == [], path.name


def test_an_image_page_is_never_blank(tmp_path: Path) -> None:
    """A page that is only an image (a scan) is read by OCR or said unread, never called blank."""
    from fpdf import FPDF
    from PIL import Image

    font = next(p for p in (Path(__file__).resolve().parents[1] / "src" / "cnbudget" / "fonts").glob("*Regular*.otf"))
    image = tmp_path / "scan.png"
    Image.new("RGB", (400, 300), "white").save(image)
    pdf = FPDF()
    pdf.add_font("cjk", "", str(font))
    pdf.set_font("cjk", size=14)
    pdf.add_page()
    pdf.cell(0, 20, "上海市普陀区财政局2024年度部门决算")
    pdf.add_page()
    pdf.image(str(image), x=10, y=10, w=190)
    pdf.add_page()
    pdf.cell(0, 20, "第一部分上海市普陀区财政局概况")
    path = tmp_path / "scan.pdf"
    pdf.output(str(path))
    d = read_disclosure(str(path), ocr=False)
    assert d.blank_pages == []
