"""A Chinese reviewer reads `cnbudget check` as it is: no English word outside what is not ours to translate.

`cnbudget check` in the default language over every document in ../shared (seeds, samples/pdf,
samples/wild), and once more with a prior year (the year-over-year coverage reasons), must print no
English word except document text (any word the document itself prints), rule ids, table ids, finding
ids, file names, command-line option names (`--prior`), units, and the acronyms PDF and OCR.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import PDFS, SEEDS, SHARED
from typer.testing import CliRunner

from cnbudget.cli import app
from cnbudget.i18n import set_lang
from cnbudget.ingest import read_layout
from cnbudget.rules.registry import all_rules
from cnbudget.specs import specs

MESSAGES_LANG = "zh"

WILD = SHARED / "samples" / "wild"
DOCUMENTS = sorted([*SEEDS.iterdir(), *PDFS.iterdir(), *WILD.iterdir()])
WANLI_2024, WANLI_2023 = WILD / "shpt-wanli-2024-dept-budget.pdf", WILD / "shpt-wanli-2023-dept-budget.pdf"

_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
_FINDING_ID = re.compile(r"\b[0-9a-f]{10}\b")
_OPTION = re.compile(r"--[a-z][a-z-]*")
ACRONYMS = frozenset({"PDF", "OCR"})  # the names Chinese text uses for these (很可能是PDF转换所致)


@pytest.fixture(autouse=True)
def default_language() -> Iterator[None]:
    """No language chosen at all: what a reviewer gets by typing `cnbudget check`."""
    set_lang(None)
    yield


@cache
def _codes() -> frozenset[str]:
    """Rule ids and table ids: names in code, the same in every language."""
    return frozenset({r.id for r in all_rules()} | {t.id for t in specs().tables})


def _document_words(path: Path) -> set[str]:
    """Every ASCII word the document prints (document text is data, never translated)."""
    layout = read_layout(str(path))
    texts = [ln.text for ln in layout.lines()] + [c.text for g in layout.grids() for row in g.rows for c in row]
    return {w for text in texts for w in _WORD.findall(text)}


def english_words(output: str, files: list[Path]) -> list[str]:
    """The English words of ``output`` that are none of: a file name, a rule/table id, a finding id, an
    option name, a word the documents print."""
    for f in sorted(files, key=lambda f: len(f.name), reverse=True):
        output = output.replace(f.name, " ")
    for code in sorted(_codes(), key=len, reverse=True):
        output = re.sub(rf"(?<![A-Za-z0-9-]){re.escape(code)}(?![A-Za-z0-9-])", " ", output)
    output = _OPTION.sub(" ", _FINDING_ID.sub(" ", output))
    printed = set().union(*(_document_words(f) for f in files))
    return [w for w in _WORD.findall(output) if w not in printed and w not in ACRONYMS and len(w) > 1]


def _check(*args: str) -> str:
    result = CliRunner(env={"CNBUDGET_LANG": None, "COLUMNS": "200"}).invoke(app, ["check", *args])
    assert result.exit_code in (0, 1), result.output
    return result.stdout


def test_check_over_every_shared_document_prints_no_english() -> None:
    out = _check(*map(str, DOCUMENTS))
    assert "检查覆盖" in out and "未检查" in out  # the coverage section is there, in Chinese
    assert english_words(out, DOCUMENTS) == []


def test_check_with_a_prior_year_prints_no_english() -> None:
    out = _check(str(WANLI_2024), "--prior", str(WANLI_2023))
    assert english_words(out, [WANLI_2024, WANLI_2023]) == []


def test_the_filter_sees_english() -> None:
    """The test above would fail on an English remnant (and not on the things it leaves alone)."""
    seed = SEEDS / "000_03b4c01fd59416ce.txt"
    said = f"{seed.name} B1-2 X-F5 PROJ 7737210fbd --prior：not checked"
    assert english_words(said, [seed]) == ["not", "checked"]


def _coverage_block(html: str) -> str:
    start = html.index("<h3>检查覆盖</h3>")
    return html[start : html.index("</table>", start)]


def test_coverage_is_chinese_in_every_format(tmp_path: Path) -> None:
    """The coverage of seed 001 (tables listed in the 目录 but not printed) in html, json, xlsx and csv."""
    import json

    from openpyxl import load_workbook

    seed = str(SEEDS / "001_8c4de2003b7dfa18.txt")
    html = tmp_path / "r.html"
    _check(seed, "--format", "html", "-o", str(html))
    block = _coverage_block(html.read_text(encoding="utf-8"))
    assert "<th>规则</th><th>状态</th><th>原因</th>" in block and "<td>未检查</td>" in block and "未刊印B1 收支总表" in block
    assert english_words(re.sub(r"<[^>]+>", " ", block), [Path(seed)]) == []

    [doc] = json.loads(_check(seed, "--format", "json"))["documents"]
    b1 = next(c for c in doc["coverage"] if c["rule"] == "B1-1")
    assert b1 == {"rule": "B1-1", "status": "not checked", "reason": "未刊印B1 收支总表",
                  "reason_code": "table_not_printed", "reason_codes": ["table_not_printed"]}

    xlsx = tmp_path / "r.xlsx"
    _check(seed, "--format", "xlsx", "-o", str(xlsx))
    rows = list(load_workbook(xlsx)["检查覆盖"].iter_rows(values_only=True))
    assert rows[0] == ("文件", "规则", "状态", "原因", "原因代码")
    assert (Path(seed).name, "B1-1", "未检查", "未刊印B1 收支总表", "table_not_printed") in rows

    csv = _check(seed, "--format", "csv")
    assert "未检查：未刊印B1 收支总表" in csv


def test_coverage_in_english_on_request() -> None:
    seed = str(SEEDS / "001_8c4de2003b7dfa18.txt")
    out = CliRunner(env={"COLUMNS": "200"}).invoke(app, ["--lang", "en", "check", seed]).stdout
    assert "coverage" in out and "not checked" in out
    assert "table B1 收支总表 is not printed" in out and "未刊印" not in out


def test_coverage_decides_on_codes_whatever_the_language(tmp_path: Path) -> None:
    """The 万里街道 2024 预算 as pdfplumber text, one cell of its 财政拨款收支总表 (B4) lost (the real text is now
    read whole): B4 has no readable body. X-B10 compares B4 with B1 or with PROJ (not printed): the coverage names
    only the table that was not understood — a choice made on the reason's code, so it holds in Chinese as in English."""
    from cnbudget.api import read
    from cnbudget.rules.registry import check_document
    from plain_variants import text_with_a_lost_cell

    d = read(str(text_with_a_lost_cell(tmp_path)))
    x_b10 = next(c for c in check_document(d).coverage if c.rule == "X-B10")
    assert x_b10.status == "not checked" and x_b10.codes == ("table_not_understood",)
    assert x_b10.text("zh").startswith("B4 财政拨款收支总表未能识别：标题下未读取到表体")
    assert x_b10.text("en").startswith("table B4 财政拨款收支总表 is not understood: no table body was read under its title")
    assert x_b10.as_dict("en")["reason_code"] == "table_not_understood"


# --- the command line's own words: help screens and usage errors -----------------------------------------

_CJK = re.compile(r"[\u4e00-\u9fff]")
# what Click and Typer print in English around our texts; none of it may reach a Chinese reader
CLICK_WORDS = (
    "Usage", "Options", "Arguments", "Commands", "Try '", "for help", "Show this message", "Error", "Missing",
    "No such", "Invalid value", "[required]", "[default", "env var", "Got unexpected", "Did you mean",
    "Choose from", "is not one of", "Input should", "Value error", "requires", "does not take", "Aborted",
)


def _cli(*args: str, lang: str | None = None) -> Any:
    set_lang(None)
    env = {"CNBUDGET_LANG": lang, "COLUMNS": "200"}
    return CliRunner(env=env).invoke(app, list(args), prog_name="cnbudget")


def _no_click_english(text: str) -> list[str]:
    return [w for w in CLICK_WORDS if w in text]


@pytest.mark.parametrize("args", [[], ["--help"], ["check", "--help"], ["corpus", "--help"], ["ingest", "--help"],
                                  ["learn-codes", "--help"], ["review", "--help"], ["rules", "--help"]])
def test_help_screens_are_chinese_by_default_and_english_on_request(args: list[str]) -> None:
    zh = _cli(*args)
    assert zh.exit_code in (0, 2), zh.output  # no arguments: the help, exit code 2 (Click's no_args_is_help)
    assert "用法：cnbudget" in zh.output and "选项" in zh.output and "显示此帮助并退出。" in zh.output
    assert _no_click_english(zh.output) == []
    en = _cli(*args, lang="en")
    assert "Usage: cnbudget" in en.output and "Options" in en.output and "Show this message and exit." in en.output
    assert "用法" not in en.output and "显示此帮助" not in en.output
    flag = _cli("--lang", "en", *args)
    assert "Usage: cnbudget" in flag.output and "用法" not in flag.output


def _error(*args: str, lang: str | None = None) -> tuple[str, str]:
    """(the usage lines, the sentence in the error panel) of a usage error: exit code 2, nothing on stdout."""
    result = _cli(*args, lang=lang)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    panel = re.findall(r"│ (.*?) *│", result.stderr)
    head = result.stderr.split("╭")[0]
    return head, " ".join(panel)


def test_usage_errors_are_chinese_by_default() -> None:
    head, said = _error("--bogus")
    assert head.splitlines() == ["用法：cnbudget [选项] 命令 [参数]...", "运行“cnbudget --help”查看帮助。"]
    assert said == "没有选项 --bogus。"
    head, said = _error("check")
    assert head.startswith("用法：cnbudget check [选项] {files}...") and said == "缺少参数'files'。"
    assert _error("check", "--format", "nope", "x.txt")[1] == (
        "'--format' / '-f'的值无效：“nope”不是可选值之一（text, concise, json, csv, html, xlsx, checklist）。"
    )
    assert _error("check", "x.txt", "--jobs", "many")[1] == "'--jobs' / '-j'的值无效：应为整数，而不是'many'"
    assert _error("check", "x.txt", "--jobs")[1] == "选项 --jobs 需要1个值。"
    assert _error("check", "x.txt", "--exit-zero=yes")[1] == "选项 --exit-zero 不带值。"
    assert _error("rules", "extra")[1] == "多余的参数：extra。"
    assert _error("chek", "x.txt")[1] == "没有命令“chek”。您是不是要用：check, schema？"
    assert _error("--lang", "fr", "rules")[1] == "--lang的值无效：不支持的语言“fr”，可选：zh, en。"
    assert _error("template", "--kind", "预算")[1] == "缺少选项'--year' / '-y'。"


def test_usage_errors_in_english_on_request() -> None:
    head, said = _error("--bogus", lang="en")
    assert head.splitlines() == ["Usage: cnbudget [OPTIONS] COMMAND [ARGS]...", "Try 'cnbudget --help' for help."]
    assert said == "No such option: --bogus."
    assert _error("check", lang="en")[1] == "Missing argument 'files'."
    assert _error("--lang", "en", "check", "x.txt", "--jobs", "many")[1] == "Invalid value for '--jobs' / '-j': expected a whole number, not 'many'"
    assert _error("--lang", "en", "chek")[1] == "No such command 'chek'. Did you mean check, schema?"
    assert _error("--lang", "en", "rules", "extra")[1] == "Got unexpected extra argument(s): extra."
    assert _error("--lang", "en")[1] == "Missing command."


def test_every_command_and_parameter_has_help_from_the_catalogs(capsys: pytest.CaptureFixture[str]) -> None:
    """Walk every command's parameters as the help screen shows them: Chinese by default, English with --lang en,
    the same parameter's text differing between the two (a plain English or frozen string would not)."""
    import typer.main

    from cnbudget.commands import COMMANDS

    shown: dict[str, dict[tuple[str, str], str]] = {}
    for code in ("zh", "en"):
        set_lang(code)
        group = typer.main.get_command(app)
        root = group.make_context("cnbudget", [], resilient_parsing=True)
        texts: dict[tuple[str, str], str] = {}
        for name, _ in COMMANDS:
            command = group.commands[name]  # type: ignore[attr-defined]
            ctx = command.make_context(name, [], parent=root, resilient_parsing=True)
            command.format_help(ctx, ctx.make_formatter())  # what `cnbudget NAME --help` shows
            texts[(name, "")] = command.help or ""
            for param in command.get_params(ctx):
                texts[(name, param.name or "")] = param.help or ""
        shown[code] = texts
        capsys.readouterr()
    set_lang(None)
    assert set(shown["zh"]) == set(shown["en"]) and len(shown["zh"]) > 100
    for key, text in shown["zh"].items():
        assert _CJK.search(text), (key, text)
        assert text != shown["en"][key], key
    for key, text in shown["en"].items():
        assert re.search(r"\b[a-z]{2,}\b", text), (key, text)  # English words
