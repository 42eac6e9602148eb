"""The printed PDF looks like a disclosure: bundled fonts, a 目录 whose page numbers are true, bookmarks,
tables that never carry fewer than three rows onto a page, Chinese line-breaking.

Everything is read back from the PDF itself with pypdfium2 (bookmarks, text layer, fonts), from the
seed 003 决算 built from its workbook (test_publish_seed003.fill_seed003).
"""

from __future__ import annotations

import ctypes
import hashlib
import re
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from fontTools.ttLib import TTFont

from cnbudget.publish.build import Package, build_from_workbook
from cnbudget.publish.document import Document, Heading, Paragraph, TableBlock
from cnbudget.publish.fonts import vendored, vendored_dir
from cnbudget.publish.printed import PCell, PrintedTable
from cnbudget.publish.writers.pdf import WIDOW, PdfRenderer, contents_pages, page_breaks
from test_publish_seed003 import fill_seed003

CLOSING = set("，。；：、）)％%”’！？」》】〕")
OPENING = set("（(“‘《「【〔")


@pytest.fixture(scope="module", params=["决算", "预算"])
def package(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Package:
    """Seed 003's 决算 and seed 002's 预算, each built from its workbook."""
    from test_publish_seed002 import fill_seed002

    root = tmp_path_factory.mktemp("print")
    book = fill_seed003(root / "w.xlsx") if request.param == "决算" else fill_seed002(root / "w.xlsx")
    return build_from_workbook(book, root / "out", formats=("pdf",))


@pytest.fixture(scope="module")
def built_pdf(package: Package) -> Path:
    return package.files["pdf"]


def _page_text(doc: pdfium.PdfDocument, index: int) -> str:
    return doc[index].get_textpage().get_text_range()


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


# --- fonts --------------------------------------------------------------------------------------


def test_vendored_fonts_match_their_checksums_and_carry_the_licence() -> None:
    folder = vendored_dir()
    sums = dict(line.split()[::-1] for line in (folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines() if line.strip())
    assert set(sums) == {p.name for p in folder.glob("*.otf")} == {vendored("body").path.name, vendored("heading").path.name}
    for name, digest in sums.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, name
        assert "Open Font License" in (TTFont(folder / name, lazy=True)["name"].getDebugName(13) or "")
    assert "SIL OPEN FONT LICENSE Version 1.1" in (folder / "OFL.txt").read_text(encoding="utf-8")


def test_vendored_fonts_hold_every_gb2312_character() -> None:
    wanted = set()
    for hi in range(0xB0, 0xF8):  # the 6,763 汉字 of GB2312
        for lo in range(0xA1, 0xFF):
            try:
                wanted.add(ord(bytes([hi, lo]).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    assert len(wanted) == 6763
    for role in ("body", "heading"):
        cmap = set(TTFont(vendored(role).path, lazy=True).getBestCmap())
        assert wanted <= cmap, role


def test_pdf_embeds_only_the_bundled_serif_and_sans(built_pdf: Path) -> None:
    doc = pdfium.PdfDocument(str(built_pdf))
    names: set[str] = set()
    for page in doc:
        for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_TEXT,)):
            font = pdfium_c.FPDFTextObj_GetFont(obj.raw)
            assert pdfium_c.FPDFFont_GetIsEmbedded(font) == 1
            buffer = ctypes.create_string_buffer(256)
            pdfium_c.FPDFFont_GetBaseFontName(font, buffer, 256)
            names.add(buffer.value.decode().split("+")[-1])
    assert names == {"NotoSerifCJKSC", "NotoSansCJKSCBold"}


# --- 目录 and bookmarks ---------------------------------------------------------------------------


def test_bookmarks_point_at_the_pages_their_headings_and_tables_are_printed_on(built_pdf: Path) -> None:
    doc = pdfium.PdfDocument(str(built_pdf))
    marks = [(b.get_title(), b.level, b.get_dest().get_index()) for b in doc.get_toc()]
    titles = [t for t, _level, _page in marks]
    final = "决算" in built_pdf.name
    parts = [t for t, level, _ in marks if level == 0]
    if final:
        assert parts == ["第一部分 单位概况", "第二部分 2020年度单位决算表", "第三部分 2020年度单位决算情况说明", "第四部分 名词解释", "第五部分 附件"]
        assert {"收入支出决算总表", "一般公共预算财政拨款“三公”经费支出决算表", "国有资本经营预算财政拨款支出决算表"} <= set(titles)
    else:
        assert parts == ["第一部分 部门概况", "第二部分 2023年部门预算表", "第三部分 2023年部门预算情况说明", "第四部分 名词解释", "第五部分 附件"]
        assert {"部门收支总表", "项目支出预算表", "部门整体绩效目标表"} <= set(titles)
    for title, _level, page in marks:
        assert _squash(title) in _squash(_page_text(doc, page)), (title, page)


def test_contents_page_numbers_are_the_pages_the_entries_are_printed_on(built_pdf: Path) -> None:
    doc = pdfium.PdfDocument(str(built_pdf))
    contents = _page_text(doc, 1)
    entries = re.findall(r"^\s*(\S.*?)\s*\.{3,}\s*(\d+)\s*$", contents, flags=re.M)
    # 决算: 5 parts, 2 sections of the 概况, 9 tables, 11 sections of the 情况说明; 预算: 10 tables, 10 sections
    assert len(entries) == (27 if "决算" in built_pdf.name else 28)
    for entry, number in entries:
        index = int(number)  # the footer numbers pages after the cover: printed n is page index n
        footer = _squash(_page_text(doc, index))
        assert f"-{number}-" in footer, (entry, number)
        assert _squash(re.sub(r"^[一二三四五六七八九十]+、", "", entry)) in footer, (entry, number)


def test_contents_entries_take_the_page_of_their_own_part() -> None:
    from cnbudget.publish.writers.pdf import Landing

    landings = [Landing(0, "第一部分 概况", 2), Landing(1, "一、主要职能", 2), Landing(0, "第二部分 决算表", 3), Landing(1, "收入决算表", 4)]
    contents = ["第一部分 概况", "　一、主要职能", "　二、单位构成", "第二部分 决算表", "　一、收入决算表"]
    assert contents_pages(contents, landings) == [2, 2, None, 3, 4]


# --- tables across pages ------------------------------------------------------------------------


def test_page_breaks_never_leave_fewer_than_three_rows_alone() -> None:
    # 10 rows of 10 mm, 85 mm room on the first page: 8 fit, 2 would be alone → 3 go over
    assert page_breaks([10.0] * 10, 0.0, 0.0, 85.0) == {7}
    assert page_breaks([10.0] * 10, 0.0, 0.0, 200.0) == set()
    # three pages, the last with one row: moved back to three
    assert page_breaks([10.0] * 17, 0.0, 0.0, 80.0) == {8, 14}


def test_a_long_table_carries_at_least_three_rows_onto_each_page(tmp_path: Path) -> None:
    header: list[list[PCell | None]] = [[PCell("项目"), PCell("金额")]]
    for n in range(40, 80):
        body: list[list[PCell | None]] = [[PCell(f"第{k}行"), PCell(f"{k},000.00", align="right")] for k in range(n)]
        table = PrintedTable(spec_id="LOCAL", orientation="P", title="测试表", number="", unit="万元", header=header, body=body, widths=[60, 30])
        doc = Document(title="测试", subtitle="", blocks=[Heading(1, "第一部分", "表"), TableBlock(table)])
        renderer = PdfRenderer(doc, tmp_path)
        renderer.render(tmp_path / "t.pdf")
        (_title, pages), = renderer.table_rows
        assert sum(pages) == n
        assert all(rows >= WIDOW for rows in pages[1:]), (n, pages)


def test_built_tables_carry_at_least_three_rows_after_a_break(package: Package, tmp_path: Path) -> None:
    renderer = PdfRenderer(package.document, tmp_path)
    renderer.render(tmp_path / "again.pdf")
    split = [(title, pages) for title, pages in renderer.table_rows if len(pages) > 1]
    assert split, "seed 003 has tables that run over a page"
    assert [(title, pages) for title, pages in split if min(pages[1:]) < WIDOW] == []


# --- line breaking ------------------------------------------------------------------------------


def _lines(page: pdfium.PdfPage) -> list[str]:
    """The text lines of a page as drawn: characters in content order, a new line where the baseline
    changes or the pen moves back or jumps (fpdf2 writes every line and every cell line as one run)."""
    text = page.get_textpage()
    lines: list[str] = []
    current = ""
    last: tuple[float, float, float, float] | None = None
    for i in range(text.count_chars()):
        ch = text.get_text_range(i, 1)
        if not ch.strip():
            continue
        box = text.get_charbox(i, loose=True)
        if last is not None and (abs(box[1] - last[1]) > 2 or box[0] < last[0] - 1 or box[0] - last[2] > 12):
            lines.append(current)
            current = ""
        current += ch
        last = box
    if current:
        lines.append(current)
    return lines


def test_no_line_starts_with_closing_or_ends_with_opening_punctuation(built_pdf: Path) -> None:
    doc = pdfium.PdfDocument(str(built_pdf))
    lines = [line for page in doc for line in _lines(page)]
    assert len(lines) > 500
    assert [ln for ln in lines if ln[0] in CLOSING] == []
    assert [ln for ln in lines if ln[-1] in OPENING] == []


def test_wrapping_moves_an_opening_mark_down_and_keeps_a_closing_one_up(tmp_path: Path) -> None:
    doc = Document(title="测试", subtitle="", blocks=[Paragraph("甲" * 10)])
    renderer = PdfRenderer(doc, tmp_path)
    renderer.font(11.5)
    width = renderer.pdf.get_string_width("甲" * 10)
    assert renderer._wrap("甲" * 9 + "（乙）", width, hang=False) == ["甲" * 9, "（乙）"]
    assert renderer._wrap("甲" * 10 + "。乙", width, hang=False) == ["甲" * 9, "甲。乙"]
    assert renderer._wrap("甲" * 10 + "。乙丙", width, hang=True) == ["甲" * 10 + "。", "乙丙"]
    # a lone last character comes down with the one before it
    assert renderer._wrap("甲" * 11, width) == ["甲" * 9, "甲甲"]


# --- characters outside the bundled faces -------------------------------------------------------

RARE = "㵘"  # CJK Extension A: in no GB2312/GBK subset, in Noto Serif CJK SC


def test_a_character_the_bundled_faces_lack_comes_from_a_system_font_or_stops_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cnbudget.errors import InputError
    from cnbudget.publish import fonts

    assert fonts.missing(f"峄城区{RARE}水务局", vendored("body")) == RARE
    monkeypatch.setattr(fonts, "_system_fonts", lambda: [])
    with pytest.raises(InputError, match=RARE):
        fonts.document_faces(f"{RARE}水务局", tmp_path)


def test_a_system_font_supplies_what_the_bundled_faces_lack(tmp_path: Path) -> None:
    from cnbudget.publish import fonts

    donors = [s for s in fonts._system_fonts() if not fonts.missing(RARE, s)]
    assert donors, "no system CJK font with Extension A here: .ci/run installs Debian's fonts-noto-cjk (apt-get install fonts-noto-cjk)"
    faces = fonts.document_faces(f"{RARE}水务局", tmp_path)
    assert faces.fallback is not None and not fonts.missing(RARE, fonts.FontSource(faces.fallback, 0, False))
    doc = Document(title=f"{RARE}水务局2025年度决算", subtitle="部门决算公开", blocks=[Paragraph(f"{RARE}水务局。")])
    PdfRenderer(doc, tmp_path).render(tmp_path / "rare.pdf")
    assert RARE in pdfium.PdfDocument(str(tmp_path / "rare.pdf"))[0].get_textpage().get_text_range()
