"""Refuse nonsense, explain gaps (issue 14): an untouched template does not build (exit 2, naming what
is empty); a partly filled workbook builds and its report notes each part left empty; the 单位构成
the officer lists is printed."""

from __future__ import annotations

from pathlib import Path

import typer
from openpyxl import load_workbook
from typer.testing import CliRunner

from cnbudget.commands import register
from cnbudget.publish.build import build_from_workbook
from cnbudget.publish.document import Paragraph
from cnbudget.publish.workbook import write_template
from test_publish_seed003 import fill_seed003

MESSAGES_LANG = "zh"  # this module asserts the Chinese default output

runner = CliRunner()


def _app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """cnbudget (test app with the publish commands)."""

    register(app, "template", "build", "learn-codes")
    return app


def _meta(path: Path, label: str, value: str) -> None:
    wb = load_workbook(path)
    ws = wb["基本信息"]
    row = next(r for r in range(1, ws.max_row + 1) if str(ws.cell(row=r, column=1).value or "").startswith(label))
    ws.cell(row=row, column=2, value=value)
    wb.save(path)


def test_an_untouched_template_refuses_to_build_naming_what_is_empty(tmp_path: Path) -> None:
    book = tmp_path / "t.xlsx"
    write_template(book, "决算", 2025)
    _meta(book, "部门（单位）名称", "某区某局")  # the one required field: still nothing to publish
    result = runner.invoke(_app(), ["build", str(book), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "“功能分类”工作表没有填写任何金额" in result.output
    for empty in ("基本信息：主要职能", "基本支出经济分类", "三公经费", "项目绩效"):
        assert empty in result.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_a_partly_filled_workbook_builds_and_notes_what_is_missing(tmp_path: Path) -> None:
    book = fill_seed003(tmp_path / "seed003.xlsx")
    result = runner.invoke(_app(), ["build", str(book), "-o", str(tmp_path / "out"), "-f", "json"])
    assert result.exit_code == 0, result.output
    assert "说明：基本信息：“纳入本次公开的单位”未填写" in result.output  # the frame of an issue line is Chinese too (issue 11)
    assert "“主要职能”未填写" not in result.output  # filled in seed 003's workbook


def test_the_units_of_the_department_are_printed(tmp_path: Path) -> None:
    book = fill_seed003(tmp_path / "seed003.xlsx")
    _meta(book, "纳入本次公开的单位", "峄城区医疗保障局（本级）\n峄城区医疗保险事业中心")
    package = build_from_workbook(book, tmp_path / "out", formats=("json",))
    texts = [b.text for b in package.document.blocks if isinstance(b, Paragraph)]
    assert "纳入本单位2020年度决算编制范围的单位共2个，包括：峄城区医疗保障局（本级）、峄城区医疗保险事业中心。" in texts
    assert not any("纳入本次公开的单位" in i.message for i in package.notes)
