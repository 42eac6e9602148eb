"""Bad input is one sentence from the catalogs: Chinese by default, English on --lang en (issue 11).

A handful of the sentences a user meets — an unreadable file, a bad configuration, a broken review
file, an output that cannot be written — through the real command line in both languages.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import SEED_FILES
from typer.testing import CliRunner

from cnbudget.cli import app
from cnbudget.i18n import set_lang

SEED = str(SEED_FILES["003"])


def _fails(*args: str, lang: str | None) -> str:
    """The one sentence `cnbudget check` prints on stderr, with exit code 2."""
    set_lang(None)  # no language chosen: what a user gets by default (conftest chose English for the suite)
    prefix = ["--lang", lang] if lang else []
    result = CliRunner(env={"CNBUDGET_LANG": None, "COLUMNS": "300"}).invoke(app, [*prefix, "check", *args])
    assert result.exit_code == 2, result.output
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, lines
    return lines[0]


def test_missing_file(tmp_path: Path) -> None:
    gone = str(tmp_path / "无此文件.txt")
    assert _fails(gone, lang=None) == f"错误： {gone}不存在。"
    assert _fails(gone, lang="en") == f"error: {gone} does not exist."


def test_empty_and_binary_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert _fails(str(empty), lang=None) == "错误： empty.txt是空文件，没有可读取的内容。"
    assert _fails(str(empty), lang="en") == "error: empty.txt is empty: there is nothing to read."
    pdf = tmp_path / "fake.pdf"
    pdf.write_bytes(b"not a pdf at all")
    assert "不是PDF文件（开头不是%PDF-）" in _fails(str(pdf), lang=None)
    assert "is not a PDF file (it does not start with %PDF-)" in _fails(str(pdf), lang="en")


def test_configuration_errors_name_the_key(tmp_path: Path) -> None:
    cfg = tmp_path / "cnbudget.toml"
    cfg.write_text('[rules]\ndisabel = ["K001"]\n', encoding="utf-8")
    zh = _fails(SEED, "--config", str(cfg), lang=None)
    assert zh == f"错误： {cfg}：[rules]中有未知的键'disabel'（可用的键：disable, severity）。"
    en = _fails(SEED, "--config", str(cfg), lang="en")
    assert en == f"error: {cfg}: unknown key 'disabel' in [rules] (known: disable, severity)."
    cfg.write_text('[rules.severity]\n"K001" = "fatal"\n', encoding="utf-8")
    assert "K001的严重程度必须是error, warning, info之一，而不是'fatal'" in _fails(SEED, "--config", str(cfg), lang=None)
    cfg.write_text('[rules]\ndisable = ["NOPE"]\n', encoding="utf-8")
    assert _fails(SEED, "--config", str(cfg), lang=None) == f"错误： {cfg}中有未知的规则编号：NOPE（见`cnbudget rules`）。"
    assert _fails(SEED, "--config", str(cfg), lang="en") == f"error: {cfg} names unknown rule ids: NOPE (see `cnbudget rules`)."


def test_broken_review_file(tmp_path: Path) -> None:
    review = tmp_path / "cnbudget-review.json"
    review.write_text("{not json", encoding="utf-8")
    assert _fails(SEED, "--review", str(review), lang=None).startswith(f"错误： 审核文件{review}不是有效的JSON：")
    assert _fails(SEED, "--review", str(review), lang="en").startswith(f"error: the review file {review} is not valid JSON:")


def test_report_that_cannot_be_written(tmp_path: Path) -> None:
    out = tmp_path / "no-such-folder" / "report.html"
    zh = _fails(SEED, "--format", "html", "-o", str(out), lang=None)
    assert zh == f"错误： 无法将报告写入{out}：文件夹{out.parent}不存在。"
    en = _fails(SEED, "--format", "html", "-o", str(out), lang="en")
    assert en == f"error: the report cannot be written to {out}: the folder {out.parent} does not exist."
