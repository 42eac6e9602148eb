"""Legacy Office files (issue 12): an .xls is read through the same cell grid as its .xlsx, a .doc through
LibreOffice and the Word reader — cell for cell, value for value, the same findings.

The fixtures (tests/fixtures/legacy/README.md) are cnbudget's own xlsx and docx outputs of a real sample PDF
and the Shanghai district workbook filled with a real sample's figures, each converted once by LibreOffice;
the file it was converted from sits beside it. Damaged legacy files are one sentence and exit 2.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cnbudget import api
from cnbudget.cli import app
from cnbudget.errors import InputError
from cnbudget.i18n import set_lang
from cnbudget.ingest import read_layout
from cnbudget.ingest.ole import ole_kind
from cnbudget.model import Disclosure, Grid, Layout, Line
from cnbudget.web.sniff import kind_of

LEGACY = Path(__file__).parent / "fixtures" / "legacy"
XLS_PAIRS = [("pfb-2024-final.xlsx", "pfb-2024-final.xls"), ("region-dept-filled.xlsx", "region-dept-filled.xls")]
runner = CliRunner()
Key = tuple[str, str, str, str, Decimal]


def _cells(layout: Layout) -> list[tuple[object, ...]]:
    """Every block with its place: a line's text, a grid's cells with their spans."""
    return [
        (b.page, b.line, b.text) if isinstance(b, Line) else (b.page, b.line, [[(c.text, c.colspan, c.rowspan) for c in r] for r in b.rows])
        for b in layout.blocks
        if isinstance(b, Line | Grid)
    ]


def _values(d: Disclosure) -> Counter[Key]:
    out: Counter[Key] = Counter()
    for t in d.tables:
        for r in t.rows:
            for v in r.values:
                if v.amount is not None:
                    out[(t.spec_id, r.side, r.code or r.label, v.column, v.amount.value)] += 1
    return out


def _judged(path: Path) -> set[tuple[str, str, str]]:
    report = api.check_one(str(path))
    return {(f.rule, f.severity, f.id or "") for f in report.findings if f.severity in ("error", "warning")}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(("xlsx", "xls"), XLS_PAIRS)
def test_an_xls_reads_cell_for_cell_as_its_xlsx(xlsx: str, xls: str) -> None:
    modern, legacy = read_layout(str(LEGACY / xlsx)), read_layout(str(LEGACY / xls))
    assert legacy.format == "xls" and modern.format == "xlsx"
    assert _cells(legacy) == _cells(modern)
    assert len(legacy.grids()) >= 9
    assert legacy.page_count == modern.page_count and legacy.notes == modern.notes


@pytest.mark.parametrize(("xlsx", "xls"), XLS_PAIRS)
def test_an_xls_gives_the_same_values_and_findings_as_its_xlsx(xlsx: str, xls: str) -> None:
    modern, legacy = api.read(LEGACY / xlsx), api.read(LEGACY / xls)
    assert legacy.meta.department == modern.meta.department == "上海市普陀区财政局"
    assert [t.spec_id for t in legacy.tables] == [t.spec_id for t in modern.tables]
    expected = _values(modern)
    assert sum(expected.values()) > 150
    assert _values(legacy) == expected
    assert _judged(LEGACY / xls) == _judged(LEGACY / xlsx)


def test_the_region_workbook_as_xls_goes_to_the_region_reader() -> None:
    """The district's form is known by its sheet names in an .xls too: its tables are typed, the sheets left
    empty are named, and every amount typed in is read."""
    legacy = read_layout(str(LEGACY / "region-dept-filled.xls"))
    assert legacy.notes == ["These tables of the workbook hold no amount: 部门政府性基金拨款表、部门国有资本经营预算拨款表."]
    d = api.read(LEGACY / "region-dept-filled.xls")
    assert d.meta.year == 2025 and d.meta.kind == "预算" and d.meta.scope == "部门"
    assert {"B1", "B2", "B3", "B5", "B6", "B7"} <= {t.spec_id for t in d.tables}
    assert sum(_values(d).values()) == 241  # every amount region_fill typed in (tests/region_fill.py)


def test_legacy_files_are_known_by_their_streams_not_their_names(tmp_path: Path) -> None:
    renamed = tmp_path / "workbook.doc"
    shutil.copy(LEGACY / "pfb-2024-final.xls", renamed)
    assert ole_kind(renamed) == "xls" and read_layout(str(renamed)).format == "xls"
    assert ole_kind(LEGACY / "pfb-2024-final.doc") == "doc"
    head = (LEGACY / "pfb-2024-final.xls").read_bytes()[:65536]
    assert kind_of(head, complete=False, path=LEGACY / "pfb-2024-final.xls") == "office"
    assert kind_of(head, complete=False, path=LEGACY / "pfb-2024-final.doc") == "office"
    assert kind_of(head, complete=False) is None  # an OLE2 head alone says nothing: the directory decides


def _refused(path: Path, words: str) -> str:
    before = _digest(path)
    result = runner.invoke(app, ["check", str(path)], env={"COLUMNS": "200"})
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and words in result.output, result.output
    assert len([ln for ln in result.output.strip().splitlines() if ln.strip()]) == 1, result.output
    assert _digest(path) == before  # the input is only read
    return result.output


def test_damaged_legacy_files_are_one_sentence_and_exit_2(tmp_path: Path) -> None:
    data = (LEGACY / "pfb-2024-final.xls").read_bytes()
    cut = tmp_path / "cut.xls"
    cut.write_bytes(data[:1536])  # the header and a sector: the directory is gone
    _refused(cut, "damaged old-style Office file")
    stream = tmp_path / "stream.xls"  # the directory intact, the workbook's records overwritten
    start = 512 * 2
    stream.write_bytes(data[:start] + b"\xff" * 4096 + data[start + 4096 :])
    _refused(stream, "damaged or encrypted Excel (.xls) workbook")
    other = tmp_path / "other.xls"
    other.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    _refused(other, "old-style Office")


def test_a_damaged_xls_sentence_is_chinese_by_default(tmp_path: Path) -> None:
    cut = tmp_path / "损坏.xls"
    cut.write_bytes((LEGACY / "pfb-2024-final.xls").read_bytes()[:1536])
    set_lang("zh")
    try:
        with pytest.raises(InputError, match="是损坏的旧版 Office 文件"):
            read_layout(str(cut))
    finally:
        set_lang("en")


needs_libreoffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")


@needs_libreoffice
def test_a_doc_is_converted_and_read_value_for_value_as_its_docx(tmp_path: Path) -> None:
    doc = tmp_path / "财政局 2024 决算.doc"  # a name with spaces and Chinese: LibreOffice only ever sees a copy
    shutil.copy(LEGACY / "pfb-2024-final.doc", doc)
    before = _digest(doc)
    legacy, modern = api.read(doc), api.read(LEGACY / "pfb-2024-final.docx")
    assert legacy.format == "doc" and legacy.source == str(doc)
    assert legacy.meta.department == modern.meta.department == "上海市普陀区财政局"
    expected = _values(modern)
    assert sum(expected.values()) > 150
    assert _values(legacy) == expected
    assert [t.spec_id for t in legacy.tables] == [t.spec_id for t in modern.tables]
    assert _judged(doc) == _judged(LEGACY / "pfb-2024-final.docx")
    assert _digest(doc) == before and sorted(p.name for p in tmp_path.iterdir()) == [doc.name]


def test_without_libreoffice_a_doc_is_one_chinese_sentence_and_exit_2(tmp_path: Path) -> None:
    """A child process whose PATH holds no soffice: the sentence says a .doc needs LibreOffice."""
    doc = tmp_path / "说明.doc"
    shutil.copy(LEGACY / "pfb-2024-final.doc", doc)
    root = Path(__file__).resolve().parents[1]
    env = {"PATH": str(tmp_path), "PYTHONPATH": str(root / "src"), "CNBUDGET_LANG": "zh", "HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "cnbudget.cli", "check", str(doc)], capture_output=True, text=True, env=env, timeout=300, check=False
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert "说明.doc 是旧版 Word（.doc）文件，读取它需要 LibreOffice" in done.stderr + done.stdout


def test_an_uploaded_xls_is_taken_by_content_and_an_encrypted_ole_file_is_refused(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from test_web_upload import make_app, sign_in, wait

    with TestClient(make_app(tmp_path)) as c:
        csrf = sign_in(c)
        h = {"X-CSRF-Token": csrf}
        xls = (LEGACY / "pfb-2024-final.xls").read_bytes()
        r = c.post("/api/uploads", files=[("files", ("决算.bin", xls, "application/octet-stream"))], headers=h)
        assert r.status_code == 202, r.text
        job = wait(c, r.json()["jobs"][0]["id"])
        assert job["status"] == "done", job
        other = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600  # OLE2, but no workbook or Word stream
        r = c.post("/api/uploads", files=[("files", ("加密.xls", other, "application/vnd.ms-excel"))], headers=h)
        assert r.status_code == 415 and "加密.xls" in r.json()["message"]


def test_a_folder_of_legacy_files_is_ingested_and_an_xls_is_another_format_of_its_xlsx(tmp_path: Path) -> None:
    folder = tmp_path / "received"
    folder.mkdir()
    for name in ("pfb-2024-final.xls", "pfb-2024-final.xlsx", "region-dept-filled.xls"):
        shutil.copy(LEGACY / name, folder / name)
    result = runner.invoke(app, ["ingest", str(folder), "--db", str(tmp_path / "c.db")])
    assert result.exit_code == 0, result.output
    assert "Ingest: 2 new, 0 new versions, 0 unchanged, 0 unreadable." in result.output
    from sqlalchemy import select

    from cnbudget.corpus.db import open_corpus
    from cnbudget.corpus.models import Document, Version, VersionFile

    with open_corpus(str(tmp_path / "c.db"))() as s:
        kinds = {(d.year, d.kind) for d in s.scalars(select(Document))}
        assert kinds == {(2024, "决算"), (2025, "预算")}
        assert sorted(s.scalars(select(Version.format))) == ["xls", "xls"]
        assert [(f.format, Path(f.source).name) for f in s.scalars(select(VersionFile))] == [("xlsx", "pfb-2024-final.xlsx")]
