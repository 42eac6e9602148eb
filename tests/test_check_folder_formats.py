"""`cnbudget check DIR` takes every format cnbudget reads, from the one list `ingest` uses (specs/corpus.json).

The folder is tests/fixtures/legacy (cnbudget's own xlsx/docx of a real sample PDF and their .xls/.doc
conversions, the Shanghai district workbook filled with a real sample's figures and its .xls twin) plus the
same disclosure re-printed as a web page (.html and .htm) and a file no reader takes (.csv).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from cnbudget.cli import app
from cnbudget.commands.check import expand_inputs
from cnbudget.corpus.ingest import expand
from cnbudget.corpus.spec import readable_suffixes

LEGACY = Path(__file__).parent / "fixtures" / "legacy"
_runner = CliRunner()


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "received"
    shutil.copytree(LEGACY, folder)
    (folder / "README.md").unlink()  # the fixture's own notes, not a disclosure
    built = _runner.invoke(app, ["build", "--from", str(LEGACY / "pfb-2024-final.xlsx"), "-f", "html", "-o", str(tmp_path / "web")])
    assert built.exit_code == 0, built.output
    [page] = (tmp_path / "web").glob("*.html")
    shutil.copy(page, folder / "pfb-2024-final.html")
    shutil.copy(page, folder / "pfb-2024-final-copy.HTM")
    (folder / "values.csv").write_text("部门,年度\n", encoding="utf-8")
    return folder


def test_one_list_of_formats_for_check_and_ingest(tmp_path: Path) -> None:
    assert set(readable_suffixes()) == {".pdf", ".txt", ".md", ".docx", ".doc", ".xlsx", ".xls", ".html", ".htm"}
    folder = tmp_path / "f"
    folder.mkdir()
    for suffix in (*readable_suffixes(), ".csv", ".json"):
        (folder / f"a{suffix}").write_bytes(b"x")
    skipped: list[tuple[str, str]] = []
    assert expand_inputs([str(folder)], skipped) == expand([str(folder)])  # the same files, in the same order
    assert [Path(p).suffix for p, _ in skipped] == [".csv", ".json"]


def test_check_a_folder_of_every_format(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    result = _runner.invoke(app, ["check", str(folder), "--format", "json"])
    assert result.exit_code == 1, result.output  # checked: the sample's two narrative errors
    checked = {Path(d["source"]).name: d for d in json.loads(result.stdout)["documents"]}
    assert sorted(checked) == sorted(
        [
            "pfb-2024-final.doc",
            "pfb-2024-final.docx",
            "pfb-2024-final.xls",
            "pfb-2024-final.xlsx",
            "pfb-2024-final.html",
            "pfb-2024-final-copy.HTM",
            "region-dept-filled.xls",
            "region-dept-filled.xlsx",
        ]
    )
    assert "values.csv" in result.stderr and "pfb-2024-final" not in result.stderr  # only the .csv is skipped
    errors = {
        name: sorted(f["rule"] for f in d["findings"] if f["severity"] == "error") for name, d in checked.items() if name.startswith("pfb")
    }
    assert set(map(tuple, errors.values())) == {("N-SHARE", "N-TABLE")}  # one disclosure, six formats, the same errors
    for name in ("region-dept-filled.xls", "region-dept-filled.xlsx"):
        assert checked[name]["meta"]["department"] and checked[name]["meta"]["year"] == 2025
