"""Why the system or a library refused something reads in the user's language (issue 11).

Each path here used to print the library's English inside our Chinese sentence — an OSError's strerror,
pydantic's ``msg``, zipfile's or ElementTree's text, SQLAlchemy's — or a traceback. Through the real
command line, in Chinese by default; a few in English to show the same sentence follows ``--lang en``.
"""

from __future__ import annotations

import errno
import json
import re
import zipfile
from pathlib import Path

import pytest
from tests.conftest import SEED_FILES
from typer.testing import CliRunner

from cnbudget.cli import app
from cnbudget.i18n import catalog, set_lang
from cnbudget.reasons import field_problem, os_reason, validation_reason

MESSAGES_LANG = "zh"
SEED = str(SEED_FILES["003"])
LONG = "长" * 100  # 300 bytes: more than any file system accepts in one name (ENAMETOOLONG)
_ASCII_WORD = re.compile(r"\b[A-Za-z]{3,}\b")


def _fails(*args: str, lang: str | None = None) -> str:
    """The sentence a command prints on stderr, exit code 2, never a traceback."""
    set_lang(None)
    result = CliRunner(env={"CNBUDGET_LANG": lang, "COLUMNS": "400"}).invoke(app, list(args))
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and (result.exception is None or isinstance(result.exception, SystemExit))
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert lines, result.output
    return lines[-1]


def _words(text: str, allowed: tuple[str, ...] = ()) -> list[str]:
    """ASCII words of a Chinese sentence that are neither a path nor a name given to it."""
    for a in allowed:
        text = text.replace(a, " ")
    return _ASCII_WORD.findall(text)


def test_every_errno_sentence_exists_in_both_languages_and_an_unknown_one_still_reads_chinese() -> None:
    zh, en = catalog("zh"), catalog("en")
    names = sorted(k.removeprefix("errors.os.") for k in zh if k.startswith("errors.os."))
    assert {"ENOENT", "EACCES", "EISDIR", "ENOTDIR", "ENOSPC", "EROFS", "ENAMETOOLONG", "EEXIST", "other"} <= set(names)
    for name in names:
        assert f"errors.os.{name}" in en
        if name != "other":
            assert os_reason(OSError(getattr(errno, name), "English text")) == zh[f"errors.os.{name}"]
    assert os_reason(OSError(errno.EACCES, "Permission denied")).render("en") == "permission denied"
    assert os_reason(OSError(errno.ECHILD, "No child processes")) == "操作系统拒绝了该操作（错误代码ECHILD）"
    assert os_reason(OSError("no errno at all")) == "操作系统拒绝了该操作（错误代码?）"


def test_pydantic_errors_name_the_field_and_the_kind_of_problem() -> None:
    from pydantic import BaseModel, ValidationError

    class Model(BaseModel):
        count: int
        when: str

    with pytest.raises(ValidationError) as caught:
        Model.model_validate({"count": "many"})
    assert validation_reason(caught.value) == "count：应为整数，而不是'many'"
    assert validation_reason(caught.value).render("en") == "count: expected a whole number, not 'many'"
    assert field_problem({"type": "missing", "loc": ("when",)}) == "缺少必填项"
    assert field_problem({"type": "literal_error", "input": "x"}, ("a", "b")) == "应为a, b之一，而不是'x'"
    assert field_problem({"type": "something_new", "input": 3}) == "值3无效"  # a type no sentence names yet


def test_a_file_name_the_system_refuses_is_one_sentence_not_a_traceback(tmp_path: Path) -> None:
    name = str(tmp_path / f"{LONG}.txt")
    assert _fails("check", name) == f"错误： 无法打开{name}：文件名过长。"
    assert _fails("parse", name) == f"错误： 无法打开{name}：文件名过长。"
    assert _fails("check", name, lang="en") == f"error: {name} cannot be opened: the file name is too long."
    assert _fails("check", SEED, "--config", name) == f"错误： 无法读取配置文件{name}：文件名过长。"
    assert _fails("check", SEED, "--review", name) == f"错误： 无法读取审核文件{name}：文件名过长。"
    assert _fails("learn-codes", name) == f"错误： 无法使用{name}：文件名过长。"


def test_an_output_under_a_file_says_the_path_is_not_a_folder(tmp_path: Path) -> None:
    blocker = tmp_path / "file.txt"
    blocker.write_text("x", encoding="utf-8")
    out = blocker / "report.html"
    assert _fails("check", SEED, "-f", "html", "-o", str(out)) == f"错误： 无法将报告写入{out}：路径中有一段不是文件夹。"
    assert _fails("template", "--kind", "预算", "--year", "2025", "-o", str(blocker / "t.xlsx")).endswith("路径中有一段不是文件夹。")


def test_review_file_errors_say_where_and_what(tmp_path: Path) -> None:
    review = tmp_path / "cnbudget-review.json"
    review.write_text('{"version": ', encoding="utf-8")
    assert _fails("check", SEED, "--review", str(review)) == f"错误： 审核文件{review}不是有效的JSON：第1行第13列处的格式有误。"
    review.write_text(json.dumps({"version": 1, "findings": {"abc": {"status": "maybe"}}}), encoding="utf-8")
    said = _fails("check", SEED, "--review", str(review))
    assert said == f"错误： 审核文件{review}在findings.abc.status处无效：应为confirmed, dismissed, fixed之一，而不是'maybe'。"
    review.write_text(json.dumps({"version": "x"}), encoding="utf-8")
    assert _fails("check", SEED, "--review", str(review)) == f"错误： 审核文件{review}在version处无效：应为整数，而不是'x'。"
    english = _fails("check", SEED, "--review", str(review), lang="en")
    assert english == f"error: the review file {review} is not valid at version: expected a whole number, not 'x'."


def test_a_broken_configuration_file_names_no_english(tmp_path: Path) -> None:
    cfg = tmp_path / "cnbudget.toml"
    cfg.write_text("[rules\n", encoding="utf-8")
    said = _fails("check", SEED, "--config", str(cfg))
    assert said.startswith("错误： cnbudget.toml不是有效的TOML：") and _words(said, ("cnbudget.toml", "TOML")) == []


def test_broken_office_files_say_why_in_chinese(tmp_path: Path) -> None:
    not_zip = tmp_path / "坏.docx"
    not_zip.write_bytes(b"PK\x03\x04" + b"\x00garbage" * 20)
    said = _fails("check", str(not_zip))
    assert said == "错误： 坏.docx 是损坏的 Word 或 Excel 文件：其 zip 压缩包无法打开（不是有效的zip压缩包）。"
    bad_xml = tmp_path / "坏XML.docx"
    with zipfile.ZipFile(bad_xml, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", '<w:document xmlns:w="urn:w">\n<w:body><w:p></w:body>')
    said = _fails("check", str(bad_xml))
    assert "word/document.xml 不是格式正确的 XML（第2行第16列处的XML格式有误）" in said and _words(said, ("坏XML.docx", "Word", "XML", "word/document.xml")) == []


def test_a_database_that_cannot_be_opened_says_why_in_chinese(tmp_path: Path) -> None:
    missing = tmp_path / "无此文件夹" / "corpus.db"
    said = _fails("corpus", "--db", str(missing))
    assert said.endswith("：无法连接或打开该数据库") and str(missing) in said
    assert _fails("corpus", "--db", "nosuch://x").endswith("nosuch://x：不支持这种数据库")


def test_ingest_says_in_chinese_why_a_file_cannot_be_hashed(tmp_path: Path) -> None:
    from cnbudget.corpus.ingest import _hashed

    assert _hashed(str(tmp_path)) == f"无法打开{tmp_path}：这是文件夹，不是文件。"
