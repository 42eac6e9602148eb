"""The commands a user runs: parse, tables, export; and bad input → one sentence, exit 2."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cnbudget.cli import app
from cnbudget.render.facts import FACT_COLUMNS, NUMBER_COLUMN
from conftest import SEED_FILES

runner = CliRunner()


def test_parse_summary_names_meta_tables_and_absences() -> None:
    result = runner.invoke(app, ["parse", str(SEED_FILES["003"])], env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    out = result.output
    assert "峯城区医疗保障局" in out and "2020" in out and "决算" in out and "单位" in out
    for name in ("收支总表", "一般公共预算基本支出表", "国有资本经营预算支出表"):
        assert name in out


def test_parse_json_is_the_versioned_disclosure() -> None:
    result = runner.invoke(app, ["parse", str(SEED_FILES["000"]), "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["schema_version"] == "1.0"
    assert data["meta"]["department"] == "安阳市医疗保障局" and data["meta"]["kind"] == "预算"
    assert data["tables"][0]["rows"][0]["values"][0]["amount"]["value"] == "6236581.78"


def test_tables_command_shows_keys_and_paths() -> None:
    result = runner.invoke(app, ["tables", str(SEED_FILES["000"]), "--table", "支出表"], env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    assert "基本支出.公用经费.人员运行定额" in result.output and "4,552,025.43" in result.output


def test_unknown_table_name_is_a_clear_error() -> None:
    result = runner.invoke(app, ["tables", str(SEED_FILES["000"]), "--table", "没有这张表"])
    assert result.exit_code == 2


def test_export_facts_has_exactly_the_contract_columns(tmp_path: Path) -> None:
    out = tmp_path / "facts.csv"
    result = runner.invoke(app, ["export", str(SEED_FILES["002"]), "--format", "facts", "-o", str(out)])
    assert result.exit_code == 0, result.output
    raw = out.read_text(encoding="utf-8")
    assert raw.startswith("\ufeff")  # the BOM: Excel on Chinese Windows opens it as UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.removeprefix("\ufeff"))))
    assert list(rows[0].keys()) == [*FACT_COLUMNS, NUMBER_COLUMN]
    row = next(r for r in rows if r["table"] == "一般公共预算支出表" and r["row_code"] == "2210201")
    assert row == {
        "table": "一般公共预算支出表", "row_code": "2210201", "row_label": "住房公积金", "column": "合计",
        "value": "49.00", "unit": "万元", "page": "", "line": "321", "number": "49.00",
    }
    big = next(r for r in rows if r["value"].count(",") == 1 and r["number"])
    assert "," not in big["number"] and Decimal(big["number"]) == Decimal(big["value"].replace(",", ""))


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02\x03binary\x00garbage" * 50, "binary"),
        ("这是一段与预算无关的文字。今天天气很好。\n".encode(), "does not look like"),
        (b"%PDF-1.4\n%garbage that is no pdf\n", "damaged"),
    ],
)
def test_bad_input_one_sentence_exit_2(tmp_path: Path, content: bytes, needle: str) -> None:
    path = tmp_path / "input.txt"
    path.write_bytes(content)
    before = path.read_bytes()
    result = runner.invoke(app, ["parse", str(path)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert needle.lower() in result.output.lower()
    assert len([ln for ln in result.output.splitlines() if ln.strip()]) == 1
    assert path.read_bytes() == before  # never changes the user's file


def test_missing_file_exit_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["parse", str(tmp_path / "nope.txt")])
    assert result.exit_code == 2 and "does not exist" in result.output
