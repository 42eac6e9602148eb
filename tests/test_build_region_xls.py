"""`cnbudget build` from a region's workbook saved as a legacy .xls builds what the .xlsx builds.

tests/fixtures/legacy/region-dept-filled.xlsx is the Shanghai district 部门 template filled with a real
sample's figures (shpt-finance-2025-dept-budget.pdf), region-dept-filled.xls its conversion by LibreOffice.
Both are read through the one cell grid (ingest/cellgrid.py); the built disclosure and its pages must
agree value for value, only the source's name and format differing.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from cnbudget.cli import app
from cnbudget.publish.region import is_region_workbook

LEGACY = Path(__file__).parent / "fixtures" / "legacy"
XLSX, XLS = LEGACY / "region-dept-filled.xlsx", LEGACY / "region-dept-filled.xls"
MESSAGES_LANG = "zh"


def _build(book: Path, out: Path) -> tuple[str, dict[str, Any], str]:
    result = CliRunner(env={"CNBUDGET_LANG": None}).invoke(app, ["build", str(book), "-o", str(out), "-f", "json", "-f", "html"])
    assert result.exit_code == 0, result.output
    [disclosure] = out.glob("*.disclosure.json")
    [page] = out.glob("*.html")
    return result.output, json.loads(disclosure.read_text(encoding="utf-8")), page.read_text(encoding="utf-8")


def _without_source(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _without_source(v) for k, v in node.items() if k not in ("source", "format")}
    if isinstance(node, list):
        return [_without_source(v) for v in node]
    return node


def test_both_are_region_workbooks() -> None:
    assert is_region_workbook(XLSX) and is_region_workbook(XLS)


def test_the_xls_builds_the_same_disclosure_as_the_xlsx(tmp_path: Path) -> None:
    said_x, built_x, page_x = _build(XLSX, tmp_path / "x")
    said_l, built_l, page_l = _build(XLS, tmp_path / "l")
    assert built_l["meta"]["department"] == "上海市普陀区财政局" and built_l["meta"]["year"] == 2025
    assert _without_source(built_l) == _without_source(built_x)
    assert page_l == page_x
    # the figures are there, not only equal: the 收支总表's 合计 as printed in the sample
    tables = {t["spec_id"]: t for t in built_l["tables"]}
    values = [Decimal(v["amount"]["value"]) for r in tables["B1"]["rows"] for v in r["values"] if v.get("amount")]
    assert values and max(values) > 0
    # the build report names the same empty tables, in Chinese
    notes = [sorted(ln for ln in said.splitlines() if ln.startswith("说明：")) for said in (said_l, said_x)]
    assert notes[0] == notes[1] and len(notes[0]) == 2
    assert "部门政府性基金拨款表：此表没有填写任何金额（印出为空表）。" in said_l
