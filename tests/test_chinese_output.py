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
