"""Long checks on a terminal: a progress line for the pages being read (OCR takes seconds a page), never
when piped; Ctrl-C stops with one sentence, exit code 130, no traceback and no half-written report."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from rich.progress import Progress
from tests.conftest import PDF_FILES, ROOT, SEED_FILES
from typer.testing import CliRunner

import cnbudget.api
from cnbudget.cli import app
from cnbudget.commands.check import _PageLine, _progress, _Quiet
from cnbudget.i18n import set_lang
from cnbudget.ingest import progress
from cnbudget.ingest.pdf import read_pdf

TEMPLATE = PDF_FILES["template"]


def test_the_pdf_reader_announces_every_page() -> None:
    heard: list[tuple[str, int, int, bool]] = []
    with progress.listening(lambda *event: heard.append(event)):
        layout = read_pdf(str(TEMPLATE))
    assert [page for _, page, _, _ in heard] == list(range(1, (layout.page_count or 0) + 1))
    assert {(source, pages, ocr) for source, _, pages, ocr in heard} == {(str(TEMPLATE), layout.page_count, False)}
    progress.page_read("x.pdf", 1, 1, False)  # nobody listening: nothing happens


def test_the_page_line_follows_the_reader_and_goes_away() -> None:
    set_lang("zh")
    bar = _progress(Console(file=StringIO(), force_terminal=True), 1, pages=True)
    assert isinstance(bar, Progress)
    assert not bar.disable and _progress(Console(file=StringIO()), 1, pages=True).disable  # piped: never
    assert isinstance(_progress(Console(file=StringIO()), 1, pages=True), _Quiet)  # and rich.progress is not loaded for it
    line = _PageLine(bar)
    line("/tmp/scan.pdf", 1, 3, True)
    [task] = bar.tasks
    assert (task.completed, task.total, task.fields["what"], task.description) == (1, 3, "OCR识别", "scan.pdf")
    line("/tmp/scan.pdf", 3, 3, True)
    assert not bar.tasks  # the document is read: its line goes


def test_a_terminal_sees_the_progress_line_and_a_pipe_does_not(tmp_path: Path) -> None:
    """`cnbudget check FILE.pdf` under a pseudo-terminal draws the page line on stderr; piped, stderr stays empty."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "CNBUDGET_LANG": "zh", "COLUMNS": "120"}
    args = [sys.executable, "-c", "from cnbudget.cli import app; app()", "check", str(TEMPLATE), "-o", str(tmp_path / "r.json"),
            "--format", "json"]
    leader, follower = pty.openpty()
    proc = subprocess.run(args, stdin=follower, stdout=follower, stderr=follower, env=env, timeout=300)
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    os.close(leader)
    assert proc.returncode in (0, 1)
    assert "读取".encode() in seen and b"/" in seen  # '读取 ━━━ 3/12 …' drawn, then cleared
    piped = subprocess.run(args, capture_output=True, env=env, timeout=300)
    assert piped.returncode in (0, 1) and "读取" not in piped.stderr.decode("utf-8")


@pytest.fixture
def interrupted_after_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """check_each that delivers the first document, then the user presses Ctrl-C."""
    real = cnbudget.api.check_each

    def check_each(*args: Any, **kwargs: Any) -> Iterator[Any]:
        for c in real(*args, **kwargs):
            yield c
            raise KeyboardInterrupt

    monkeypatch.setattr(cnbudget.api, "check_each", check_each)


@pytest.mark.usefixtures("interrupted_after_one")
def test_ctrl_c_exits_130_in_one_sentence_and_leaves_no_report(tmp_path: Path) -> None:
    set_lang(None)
    out = tmp_path / "report.html"
    files = [str(SEED_FILES["002"]), str(SEED_FILES["003"])]
    result = CliRunner(env={"CNBUDGET_LANG": None}).invoke(app, ["check", *files, "--format", "html", "-o", str(out)])
    assert result.exit_code == 130
    assert result.stderr.strip() == f"已中断：2份文件中已检查1份；未写入{out}。"
    assert "Traceback" not in result.output and not out.exists() and not list(tmp_path.iterdir())
    text = CliRunner(env={"CNBUDGET_LANG": None}).invoke(app, ["--lang", "en", "check", *files])
    assert text.exit_code == 130 and "台前县医疗保障局" in text.stdout  # the finished document stays printed
    assert text.stderr.strip() == "interrupted: 1 of 2 file(s) were checked; what is printed above is complete for those."
