"""Corpus remainders of issue 12: one version with two files when a disclosure comes in two formats, and
the year-over-year checks of a later year run again when the year before arrives after it."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from cnbudget.cli import app
from cnbudget.corpus.db import open_corpus
from cnbudget.corpus.models import Document, FindingRow, ValueRow, Version, VersionFile
from conftest import PDFS, SEED_FILES, SHARED

MESSAGES_LANG = "zh"  # this module asserts the Chinese default output

runner = CliRunner()
PDF = PDFS / "putuo-finance-bureau-2024-final.pdf"
BUREAU = "上海市普陀区财政局 2024 决算 部门"


def cli(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The real PDF exported as Disclosure JSON and rebuilt as docx, xlsx and html."""
    root = tmp_path_factory.mktemp("rebuilt")
    cli("export", str(PDF), "-f", "json", "-o", str(root / "d.json"))
    cli("build", "--from", str(root / "d.json"), "-o", str(root / "out"), "-f", "docx", "-f", "xlsx", "-f", "html")
    return {f: next((root / "out").glob(f"*.{f}")) for f in ("docx", "xlsx", "html")}


def test_the_same_disclosure_in_other_formats_is_one_version_with_several_files(rebuilt: dict[str, Path], tmp_path: Path) -> None:
    db = str(tmp_path / "c.db")
    out = cli("ingest", str(PDF), str(rebuilt["docx"]), str(rebuilt["xlsx"]), str(rebuilt["html"]), "--db", db)
    assert f"新增    {BUREAU}（第 1 版）" in out
    for fmt in ("docx", "xlsx", "html"):
        assert f"另一格式 {BUREAU}（第 1 版）的{fmt}格式文件，数字完全相同：{rebuilt[fmt]}" in out
    assert "新增 1 份，新版本 0 份" in out and "另有 3 个文件是已入库版本的另一种格式" in out
    factory = open_corpus(db)
    with factory() as s:
        version = s.scalars(select(Version)).one()
        assert (version.number, version.format) == (1, "pdf")
        assert sorted(s.scalars(select(VersionFile.format).where(VersionFile.version_id == version.id))) == ["docx", "html", "xlsx"]
    # every file is known now: nothing is read again
    assert "新增 0 份，新版本 0 份，未变化 4 份" in cli("ingest", str(PDF), *map(str, rebuilt.values()), "--db", db)
    ledger = cli("corpus", "--db", db, "--format", "json")
    assert '"versions": 1' in ledger


def test_another_format_with_a_changed_figure_is_a_new_version(rebuilt: dict[str, Path], tmp_path: Path) -> None:
    """The xlsx with one amount changed (F1's 一般公共预算财政拨款收入 2,940.05 → 2,940.15) is a correction."""
    changed = tmp_path / "changed.xlsx"
    with zipfile.ZipFile(rebuilt["xlsx"]) as src, zipfile.ZipFile(changed, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet3.xml":
                assert b'<c r="B6" s="7" t="n"><v>2940.05</v>' in data
                data = data.replace(b'<c r="B6" s="7" t="n"><v>2940.05</v>', b'<c r="B6" s="7" t="n"><v>2940.15</v>')
            dst.writestr(item, data)
    db = str(tmp_path / "c.db")
    out = cli("ingest", str(PDF), str(changed), "--db", db)
    assert f"新版本  {BUREAU}（第 2 版）：{changed}" in out and "另一格式" not in out
    with open_corpus(db)() as s:
        assert s.scalar(select(func.count(VersionFile.id))) == 0


def _year_over_year(db: str, year: int) -> tuple[list[tuple[str, str]], tuple[int, int, int]]:
    with open_corpus(db)() as s:
        version = s.scalars(select(Document).where(Document.year == year)).one().versions[-1]
        rows = s.execute(
            select(FindingRow.rule, FindingRow.fingerprint).where(FindingRow.version_id == version.id, FindingRow.rule.like("Y-%"))
        ).all()
        return sorted((r, fp) for r, fp in rows), (version.errors, version.warnings, version.infos)


def test_a_prior_year_that_arrives_late_re_runs_the_later_years_checks(tmp_path: Path) -> None:
    """Seed 003 (2020) and the same document dated 2021: in either order the 2021 disclosure ends with the
    same year-over-year findings and counts (Y-1 twice: its 年初结转和结余 53.23 is not 2020's 15.35)."""
    later = tmp_path / "2021.txt"
    later.write_text(SEED_FILES["003"].read_text(encoding="utf-8").replace("2020", "2021"), encoding="utf-8")
    in_order, late = str(tmp_path / "a.db"), str(tmp_path / "b.db")
    cli("ingest", str(SEED_FILES["003"]), str(later), "--db", in_order)
    first = cli("ingest", str(later), "--db", late)
    assert "重新检查" not in first
    before, _counts = _year_over_year(late, 2021)
    assert before == []  # no prior year yet
    out = cli("ingest", str(SEED_FILES["003"]), "--db", late)
    assert "已用此文件重新检查 峯城区医疗保障局 2021 决算 单位（第 1 版）的跨年度项目" in out
    assert "Y-1（F1 收支总表 年初结转和结余 收入-决算数） 53.23 ≠ 15.35" in out
    expected = _year_over_year(in_order, 2021)
    assert [rule for rule, _fp in expected[0]].count("Y-1") == 2
    assert _year_over_year(late, 2021) == expected
    # the 2020 disclosure itself has no year before it: nothing of its own changed
    assert _year_over_year(late, 2020)[0] == []
    # storing the year before again (unchanged) runs nothing twice
    assert "重新检查" not in cli("ingest", str(SEED_FILES["003"]), "--db", late)
    assert _year_over_year(late, 2021) == expected
    n = re.search(r"现有 (\d+) 项", out)
    assert n is not None and int(n.group(1)) == len(expected[0])


WANLI_2024 = SHARED / "samples" / "wild" / "shpt-wanli-2024-dept-budget"


def _reading(db: str) -> tuple[tuple[str, str, int, int, int], list[str], int, list[str]]:
    with open_corpus(db)() as s:
        v = s.scalars(select(Version)).one()
        findings = sorted(s.scalars(select(FindingRow.fingerprint).where(FindingRow.version_id == v.id)))
        values = s.scalar(select(func.count(ValueRow.id)).where(ValueRow.version_id == v.id))
        files = sorted(s.scalars(select(VersionFile.source)))
        return (v.source, v.format, v.errors, v.warnings, v.infos), findings, values or 0, files


def test_the_fuller_reading_of_two_formats_becomes_the_versions_own(tmp_path: Path) -> None:
    """The Wanli 2024 budget's pdfplumber text (one B4 cell lost: the real text is now read whole) first, then
    the PDF: the PDF reader gets cells the plain-text reader misses, so the version is read from the PDF from
    then on — the same figures, findings and counts as when the PDF came first — and the text is its further file."""
    from plain_variants import text_with_a_lost_cell

    pdf, text = str(WANLI_2024.with_suffix(".pdf")), str(text_with_a_lost_cell(tmp_path))
    pdf_first, text_first = str(tmp_path / "a.db"), str(tmp_path / "b.db")
    out = cli("ingest", pdf, text, "--db", pdf_first)
    assert "同一版本的两个文件" in out
    out = cli("ingest", text, pdf, "--db", text_first)
    assert re.search(r"此文件读到的相同数字更多（(\d+) 个，原有 (\d+) 个）", out), out
    first = _reading(pdf_first)
    assert first[0][:2] == (pdf, "pdf") and first[3] == [text]
    assert _reading(text_first) == first
    assert "未变化 2 份" in cli("ingest", text, pdf, "--db", text_first)
