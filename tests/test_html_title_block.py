"""A web page's table title block as a browser lays it out (issue 12): a 金额单位 floated to the right, set
in its own flex item or positioned absolutely is its own line, not glued to the 编制单位 before it.

The page is built from a real sample: the 收入决算表 (公开02表) of putuo-planning-resources-2024-final.pdf,
exported and rebuilt as HTML by cnbudget itself, with its title block written the ways web pages write
it. Each way must read the department, the unit and every value of the table as the PDF gives them.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cnbudget import api
from cnbudget.cli import app
from cnbudget.ingest import read_layout
from cnbudget.model import Disclosure
from conftest import PDFS

SAMPLE = PDFS / "putuo-planning-resources-2024-final.pdf"
DEPARTMENT = "上海市普陀区规划和自然资源局"
LEFT = f"编制单位：{DEPARTMENT}"
RIGHT = "公开02表　金额单位：万元"
META = re.compile(r'<div class="meta"><span>([^<]*)</span><span>([^<]*)</span></div>')

# the title block as pages write it: (CSS of the page, markup of the block)
BLOCKS = {
    "float attribute": ("", f'<p>{LEFT}<span style="float: right">{RIGHT}</span></p>'),
    "float by class": (".page .unit { float:right !important }", f'<p class="page">{LEFT}<span class="unit">{RIGHT}</span></p>'),
    "flex row": (".meta{display:flex;justify-content:space-between}", f'<div class="meta"><span>{LEFT}</span><span>{RIGHT}</span></div>'),
    "absolute div": (
        "div.hd { position: relative } /* the unit at the right edge */ #unit { position:absolute; right:0 }",
        f'<div class="hd">{LEFT}<span id="unit">{RIGHT}</span></div>',
    ),
}


@cache
def _section(root: str) -> tuple[str, str]:
    """The rebuilt page's cover heading and its 收入决算表 section (F2), from the CLI's own export and build."""
    runner = CliRunner()
    out = Path(root)
    exported = out / "sample.json"
    assert runner.invoke(app, ["export", str(SAMPLE), "-f", "json", "-o", str(exported)]).exit_code == 0
    assert runner.invoke(app, ["build", "--from", str(exported), "-o", str(out / "built"), "-f", "html"]).exit_code == 0
    page = next((out / "built").glob("*.html")).read_text(encoding="utf-8")
    cover = re.search(r'<h1 class="cover">.*?</p>', page)
    section = re.search(r'<section class="table" id="F2">.*?</section>', page)
    assert cover and section
    return cover.group(0), section.group(0)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    return _section(str(tmp_path_factory.mktemp("html-title")))


def _page(path: Path, built: tuple[str, str], css: str, block: str) -> Path:
    cover, section = built
    assert META.search(section), section[:300]
    body = META.sub(lambda _m: block, section)
    path.write_text(f'<!DOCTYPE html><html><head><meta charset="utf-8"><style>{css}</style></head><body>{cover}{body}</body></html>')
    return path


def _f2(d: Disclosure) -> dict[tuple[str, str], Decimal]:
    table = next(t for t in d.tables if t.spec_id == "F2")
    return {(r.code or r.label, v.column): v.amount.value for r in table.rows for v in r.values if v.amount is not None}


@pytest.mark.parametrize("way", list(BLOCKS))
def test_a_unit_laid_out_apart_by_css_is_its_own_line(way: str, built: tuple[str, str], tmp_path: Path) -> None:
    css, block = BLOCKS[way]
    page = _page(tmp_path / "page.html", built, css, block)
    lines = [ln.text for ln in read_layout(str(page)).lines()]
    assert LEFT in lines and RIGHT in lines, lines
    d = api.read(page)
    assert (d.meta.department, d.meta.year, d.meta.kind) == (DEPARTMENT, 2024, "决算")
    table = next(t for t in d.tables if t.spec_id == "F2")
    assert table.unit == "万元" and table.understood
    expected = _f2(api.read(SAMPLE))
    assert len(expected) > 20 and _f2(d) == expected


def test_an_inline_span_without_css_stays_on_the_line_as_a_browser_shows_it(built: tuple[str, str], tmp_path: Path) -> None:
    page = _page(tmp_path / "inline.html", built, "span.x { color: #333; font-weight: bold }", f'<p>{LEFT}<span class="x">（{RIGHT}）</span></p>')
    lines = [ln.text for ln in read_layout(str(page)).lines()]
    assert f"{LEFT}（{RIGHT}）" in lines


def test_a_hostile_style_sheet_costs_bounded_work_and_style_attributes_still_count(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Thousands of rules that all match every element: past the budget of selector checks only style
    attributes are read, so the page is read in bounded time and an inline float still makes its line."""
    import cnbudget.ingest.css as css

    monkeypatch.setattr(css, "MAX_CHECKS", 5_000)
    sheet = "".join(f".a .a .b{i}, .a .a {{ display: block }}\n" for i in range(3_000))
    assert len(css.rules([sheet])) == css.MAX_RULES
    cells = '<i class="a">x</i>' * 2_000
    page = tmp_path / "hostile.html"
    page.write_text(
        f'<!DOCTYPE html><html><head><style>{sheet}</style></head><body><div class="a">{cells}'
        f'<p>{LEFT}<span style="float:right">{RIGHT}</span></p></div></body></html>',
        encoding="utf-8",
    )
    lines = [ln.text for ln in read_layout(str(page)).lines()]
    assert LEFT in lines and RIGHT in lines
    assert lines.count("x") < 2_000  # the sheet's rules stopped counting once the budget was spent
