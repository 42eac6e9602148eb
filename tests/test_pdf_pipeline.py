"""PDFs through the whole pipeline: narrative facts, --no-ocr on image-only pages, provenance."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from functools import cache
from pathlib import Path

import pypdfium2 as pdfium
from typer.testing import CliRunner

from cnbudget.api import read as read_disclosure
from cnbudget.cli import app
from cnbudget.model import Disclosure
from conftest import PDFS

FINANCE = PDFS / "putuo-finance-bureau-2024-final.pdf"
runner = CliRunner()


@cache
def finance() -> Disclosure:
    return read_disclosure(str(FINANCE))


def test_pdf_narrative_facts_like_text() -> None:
    facts = finance().facts
    totals = [f for f in facts if f.subject.startswith("收入支出总计") or f.subject.startswith("收支总计")]
    assert any(f.value == Decimal("2995.39") for f in totals), [(f.subject, f.value) for f in facts[:10]]
    completion = [f for f in facts if f.kind == "completion"]
    assert any(f.budget == Decimal("1560.05") and f.actual == Decimal("1511.89") for f in completion)
    assert all(f.location.page is not None and f.location.bbox is not None for f in facts)


def test_pdf_facts_export_has_page_and_bbox() -> None:
    result = runner.invoke(app, ["export", str(FINANCE), "--format", "facts"])
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    # issue 11 §4: the export adds `number`, the value as a plain decimal a spreadsheet reads as a number
    assert list(rows[0]) == ["table", "row_code", "row_label", "column", "value", "unit", "page", "line", "bbox", "number"]
    table_rows = [r for r in rows if r["table"] == "收支总表"]
    assert table_rows and all(r["page"] and len(r["bbox"].split()) == 4 for r in table_rows)
    amounts = [r for r in table_rows if r["unit"] in ("元", "万元")]
    assert amounts and all(Decimal(r["number"]) == Decimal(r["value"].replace(",", "")) for r in amounts)


def _image_only_pdf(tmp_path: Path) -> Path:
    """Page 6 of the finance PDF (收入支出决算总表) as a picture with no text layer."""
    src = pdfium.PdfDocument(str(FINANCE))
    image = src[5].render(scale=2).to_pil()
    out = tmp_path / "scan.pdf"
    image.save(out, "PDF", resolution=144)
    return out


def test_no_ocr_on_image_only_pdf_is_a_clear_error(tmp_path: Path) -> None:
    scan = _image_only_pdf(tmp_path)
    result = runner.invoke(app, ["parse", str(scan), "--no-ocr"])
    assert result.exit_code == 2
    assert "OCR is off" in result.output and "Traceback" not in result.output


def test_ocr_reads_the_image_only_table_and_marks_provenance(tmp_path: Path) -> None:
    d = read_disclosure(str(_image_only_pdf(tmp_path)))
    f1 = d.table("收支总表")
    assert f1 is not None
    values = [v for r in f1.rows for v in r.values]
    assert values and all(v.location.ocr and v.location.ocr_confidence is not None for v in values)
    assert any(v.text == "2,940.05" for v in values) and any(v.text == "2,106.66" for v in values)


def test_template_tables_are_empty_and_keep_their_notes() -> None:
    d = read_disclosure(str(PDFS / "shanghai-final-accounts-template-2024.pdf"))
    standard = [t for t in d.tables if t.spec_id.startswith("F")]
    assert [t.spec_id for t in standard] == [f"F{i}" for i in range(1, 10)]
    assert all(t.empty for t in standard)
    assert all(t.notes and t.notes[0].startswith("注：本表反映") for t in standard)
    assert "故本表无数据" in d.table("F8").note and "故本表无数据" in d.table("F9").note  # type: ignore[union-attr]
