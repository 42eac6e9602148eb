"""The annotated PDF as a reviewer's document: one PDF comment per finding with a page, an index page in
embedded fonts, and several PDFs annotated into a folder in one run — on the real shared PDFs."""

from __future__ import annotations

import ctypes
import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from typer.testing import CliRunner

from cnbudget.cli import app
from cnbudget.commands.annotate_targets import Targets, plan, safe_name
from cnbudget.model import Meta
from cnbudget.render.annotate import annotate_pdf
from cnbudget.render.annotate_index import PLACEHOLDER, Line, index_pdf
from cnbudget.render.pdf_comments import read_comments
from cnbudget.rules.findings import Finding, Where
from cnbudget.rules.report import DocumentReport
from conftest import PDF_FILES, PDFS, SEED_FILES, SHARED

MESSAGES_LANG = "zh"
WILD = SHARED / "samples" / "wild"
runner = CliRunner()


def _digests() -> dict[Path, str]:
    return {p: hashlib.sha256(p.read_bytes()).hexdigest() for d in (PDFS, WILD) for p in sorted(d.iterdir())}


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Both sample folders checked in one run, every PDF annotated into one output folder."""
    out = tmp_path_factory.mktemp("annotated") / "copies"
    report = out.parent / "report.json"
    before = _digests()
    from cnbudget.i18n import set_lang

    set_lang("zh")
    result = runner.invoke(app, ["check", str(PDFS), str(WILD), "--annotate", str(out), "-f", "json", "-o", str(report), "--no-ocr", "-j", "2"])
    set_lang(None)
    return {"result": result, "out": out, "report": json.loads(report.read_text(encoding="utf-8")), "before": before}


def _expected(finding: dict[str, Any], pages: int) -> tuple[int, str, str, str] | None:
    """(page, rule, message, id) of the comment a finding must get, or None when it has no page."""
    places = [finding["location"], *(i["location"] for i in finding.get("instances", []))]
    page = next((p["page"] for p in places if p["page"] is not None and 1 <= p["page"] <= pages), None)
    return None if page is None else (page, finding["rule"], finding["message"], finding["id"])


def _fonts_embedded(page: pdfium.PdfPage) -> list[bool]:
    flags = []
    for i in range(pdfium_c.FPDFPage_CountObjects(page.raw)):
        obj = pdfium_c.FPDFPage_GetObject(page.raw, i)
        if pdfium_c.FPDFPageObj_GetType(obj) == pdfium_c.FPDF_PAGEOBJ_TEXT:
            flags.append(bool(pdfium_c.FPDFFont_GetIsEmbedded(pdfium_c.FPDFTextObj_GetFont(obj))))
    return flags


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_every_pdf_of_both_folders_is_annotated_into_the_folder_and_inputs_are_unchanged(batch: dict[str, Any]) -> None:
    result = batch["result"]
    assert result.exit_code == 1, result.output  # the finance bureau's N-TABLE error
    assert _digests() == batch["before"]
    written = sorted(p.name for p in batch["out"].iterdir())
    single = [p.name for d in (PDFS, WILD) for p in sorted(d.iterdir()) if p.suffix == ".pdf" and not p.name.startswith("js-cppcc")]
    assert written == sorted(single)
    # the converted text and the disclosure published in two files are named, not silently dropped
    assert "未标注" in result.stderr and "shpt-wanli-2024-dept-budget.pdfplumber.txt" in result.stderr
    assert "js-cppcc-2018-dept-budget-tables.pdf：它是分成多个文件公开的同一份文件的一部分" in result.stderr
    assert result.stderr.count("已写出 ") == len(single)


def test_comments_read_back_equal_the_findings_with_pages(batch: dict[str, Any]) -> None:
    checked = 0
    for doc in batch["report"]["documents"]:
        source = Path(doc["source"])
        copy = batch["out"] / source.name
        if not copy.exists():
            continue
        original = pdfium.PdfDocument(str(source))
        pages = len(original)
        annotated = pdfium.PdfDocument(str(copy))
        expected = [e for f in doc["findings"] if (e := _expected(f, pages)) is not None]
        comments = read_comments(annotated)
        assert [(c.page, c.title, c.contents, c.name) for c in comments] == expected, source.name
        assert all(re.search(r"[\u4e00-\u9fff]", c.contents) for c in comments)  # Chinese by default
        for c in comments:
            left, bottom, right, top = pdfium.PdfDocument(str(source))[c.page - 1].get_mediabox()
            x0, y0, x1, y1 = c.rect
            assert left <= x0 < x1 <= right and bottom <= y0 < y1 <= top, (source.name, c)
        assert all(c.page <= pages for c in comments)  # none on the index pages
        checked += len(comments)
    assert checked >= 40


def test_index_pages_use_only_embedded_fonts_and_read_back_as_the_messages(batch: dict[str, Any]) -> None:
    for doc in batch["report"]["documents"]:
        source = Path(doc["source"])
        copy = batch["out"] / source.name
        if not copy.exists():
            continue
        pages = len(pdfium.PdfDocument(str(source)))
        annotated = pdfium.PdfDocument(str(copy))
        index = [annotated[i] for i in range(pages, len(annotated))]
        assert index, source.name
        flags = [flag for page in index for flag in _fonts_embedded(page)]
        assert flags and all(flags), source.name
        text = _squeeze("".join(page.get_textpage().get_text_bounded() for page in index))
        assert "检查结果索引" in text
        for n, f in enumerate(doc["findings"], 1):
            assert _squeeze(f"{n}.") in text and _squeeze(f["message"]) in text, (source.name, f["rule"])
        if not doc["findings"]:
            assert "没有发现问题" in text


def test_finance_bureau_index_in_chinese(batch: dict[str, Any]) -> None:
    """The index follows the language: the Chinese copy says 应为 / 实际 (the English one: test_check_outputs)."""
    annotated = pdfium.PdfDocument(str(batch["out"] / PDF_FILES["finance"].name))
    index = annotated[len(annotated) - 1].get_textpage().get_text_bounded()
    assert "应为 2,961.68" in index and "第21页" in index and "错误 N-TABLE" in index


def test_a_finding_without_a_box_gets_a_note_in_the_top_margin_and_one_without_a_page_only_the_index(tmp_path: Path) -> None:
    report = DocumentReport(
        source=str(PDF_FILES["template"]),
        meta=Meta(department="某某局𠀀"),
        findings=[
            Finding("C004", "completeness", "warning", "页面上残留模板文字𠀀", Where(page=2)),
            Finding("C004", "completeness", "warning", "第二条", Where(page=2)),
            Finding("C001", "completeness", "error", "未公开部门收支总表", Where()),
        ],
    )
    out = tmp_path / "copy.pdf"
    done = annotate_pdf(str(PDF_FILES["template"]), report, out)
    assert (done.boxes, done.index_only, done.comments) == (0, 3, 2)
    comments = read_comments(pdfium.PdfDocument(str(out)))
    assert [(c.page, c.subtype, c.title, c.contents) for c in comments] == [
        (2, "Text", "C004", "页面上残留模板文字𠀀"),
        (2, "Text", "C004", "第二条"),
    ]
    page = pdfium.PdfDocument(str(PDF_FILES["template"]))[1]
    left, _, right, top = page.get_mediabox()
    (a, b) = (comments[0].rect, comments[1].rect)
    assert a[2] <= b[0]  # side by side, not on top of each other
    assert all(left <= r[0] < r[2] <= right and top - 40 <= r[1] < r[3] <= top for r in (a, b))  # in the top margin
    annotated = pdfium.PdfDocument(str(out))
    index = annotated[len(annotated) - 1]
    assert all(_fonts_embedded(index))
    text = index.get_textpage().get_text_bounded()
    # a character the bundled faces lack is drawn as the placeholder, named by code point, never a blank
    assert PLACEHOLDER in text and "U+20000" in text and "未公开部门收支总表" in text and "页码不明" in text


def test_index_pdf_embeds_what_it_draws() -> None:
    pdf = pdfium.PdfDocument(index_pdf([Line("标题 Title", 14, bold=True), Line("正文 body 龘 ∑ 𠀀")]))
    page = pdf[0]
    flags = _fonts_embedded(page)
    assert flags and all(flags)
    text = page.get_textpage().get_text_bounded()
    assert "标题 Title" in text and "正文 body" in text
    name = ctypes.create_string_buffer(256)
    obj = pdfium_c.FPDFPage_GetObject(page.raw, 0)
    pdfium_c.FPDFFont_GetBaseFontName(pdfium_c.FPDFTextObj_GetFont(obj), name, 256)
    assert b"Noto" in name.value  # the bundled face, never a system font


# --- where the copies go ------------------------------------------------------------------------


def test_safe_names() -> None:
    assert safe_name("a.pdf") == "a.pdf"
    assert safe_name('上海:普陀/区?*"<>|.PDF') == "上海_普陀_区______.pdf"
    assert safe_name("CON.pdf") == "_CON.pdf" and safe_name(" .. .pdf") == "document.pdf"
    assert len(safe_name("局" * 200 + ".pdf").encode()) <= 184


def _pdf(path: Path) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"%PDF-1.4\n")
    return str(path)


def test_plan_one_file_or_a_folder(tmp_path: Path) -> None:
    a, b = _pdf(tmp_path / "x" / "同名.pdf"), _pdf(tmp_path / "y" / "同名.pdf")
    text = str(SEED_FILES["002"])
    one = plan([a], [a], tmp_path / "out.pdf", None)
    assert isinstance(one, Targets) and one.folder is None and one.outputs == {a: tmp_path / "out.pdf"}
    many = plan([a, b, text], [a, b, text], tmp_path / "out", None)
    assert isinstance(many, Targets) and many.folder == tmp_path / "out"
    assert many.outputs == {a: tmp_path / "out" / "同名.pdf", b: tmp_path / "out" / "同名-2.pdf"}
    assert len(many.skipped) == 1 and "不是 PDF" in many.skipped[0]
    # a directory given, even with one PDF in it, means a folder
    folder = plan([str(tmp_path / "x")], [a], tmp_path / "copies", None)
    assert isinstance(folder, Targets) and folder.folder == tmp_path / "copies"
    # refused: a folder named like a PDF, an existing file, no PDF at all, copies that would overwrite inputs
    assert "文件夹" in str(plan([a, b], [a, b], tmp_path / "out.pdf", None))
    existing = tmp_path / "exists"
    existing.write_text("")
    assert "已有的文件" in str(plan([a, b], [a, b], existing, None))
    assert "都不是 PDF" in str(plan([text, text], [text, text], tmp_path / "o", None))
    assert "输入文件本身" in str(plan([str(tmp_path / "x")], [a], tmp_path / "x", None))


def test_folder_run_on_text_only_exits_2_without_writing(tmp_path: Path) -> None:
    out = tmp_path / "copies"
    result = runner.invoke(app, ["check", str(SEED_FILES["002"]), str(SEED_FILES["003"]), "--annotate", str(out)])
    assert result.exit_code == 2 and "都不是 PDF" in result.output
    assert not out.exists()


def _page_fonts(pdf: pdfium.PdfDocument, pages: range) -> list[tuple[str, bool]]:
    """(base font name, embedded) of every text object on ``pages``."""
    found = []
    name = ctypes.create_string_buffer(256)
    for i in pages:
        page = pdf[i]
        for j in range(pdfium_c.FPDFPage_CountObjects(page.raw)):
            obj = pdfium_c.FPDFPage_GetObject(page.raw, j)
            if pdfium_c.FPDFPageObj_GetType(obj) == pdfium_c.FPDF_PAGEOBJ_TEXT:
                font = pdfium_c.FPDFTextObj_GetFont(obj)
                pdfium_c.FPDFFont_GetBaseFontName(font, name, 256)
                found.append((name.value.decode("latin-1"), bool(pdfium_c.FPDFFont_GetIsEmbedded(font))))
    return found


def test_labels_on_the_pages_are_drawn_in_an_embedded_font(batch: dict[str, Any]) -> None:
    """The 'N RULE' labels drawn beside the boxes used pdfium's stock Helvetica, which is not embedded: every
    font the annotated copy adds is embedded (the bundled sans face), and no font is left unembedded that the
    original embedded."""
    labelled = 0
    for doc in batch["report"]["documents"]:
        source = Path(doc["source"])
        copy = batch["out"] / source.name
        if not copy.exists():
            continue
        original = pdfium.PdfDocument(str(source))
        pages = range(len(original))
        before = _page_fonts(original, pages)
        after = _page_fonts(pdfium.PdfDocument(str(copy)), pages)
        added = list(after)
        for font in before:
            added.remove(font)  # what the copy draws beyond the original's own text
        assert all(embedded for _, embedded in added), (source.name, sorted(set(added)))
        assert {f for f in after if not f[1]} <= {f for f in before if not f[1]}, source.name
        assert not any(name == "Helvetica" for name, _ in added)
        labelled += sum(1 for name, _ in added if "Noto" in name)
        if all(embedded for _, embedded in before):
            assert all(embedded for _, embedded in after), source.name
    assert labelled >= 40  # a label per boxed finding instance, over both folders
