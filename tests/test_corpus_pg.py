"""The corpus on PostgreSQL: the same ingest, ledger, versions and compare as on SQLite.

.ci/run starts a throwaway local PostgreSQL and sets CNBUDGET_TEST_PG (a postgresql:// URL). Without it
these tests print a note saying PostgreSQL was not tested and pass — they do not pretend it was.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cnbudget.cli import app
from conftest import SEED_FILES, SEEDS, SHARED

MESSAGES_LANG = "zh"  # this module asserts the Chinese default output
ENV = "CNBUDGET_TEST_PG"
WANLI = "上海市普陀区人民政府万里街道办事处"
runner = CliRunner()


def cli(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str | None]:
    """A fresh database on the test server (dropped afterwards), or None when there is no server."""
    base = os.environ.get(ENV, "")
    if not base:
        yield None
        return
    import psycopg

    name = f"cnbudget_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield base.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def _note() -> None:
    """Shown in pytest's warnings summary: the run says plainly that PostgreSQL was not tested."""
    warnings.warn(f"{ENV} is not set, so the corpus was NOT tested on PostgreSQL (.ci/run starts one).", UserWarning, stacklevel=2)


def test_ingest_ledger_and_versions_on_postgresql(pg_url: str | None, tmp_path: Path) -> None:
    if pg_url is None:
        _note()
        return
    out = cli("ingest", str(SEEDS), "--db", pg_url)
    assert "新增 5 份，新版本 0 份，未变化 0 份，无法读取 0 份" in out
    assert "未变化 5 份" in cli("ingest", str(SEEDS), "--db", pg_url)
    v2 = tmp_path / "002-corrected.txt"
    shutil.copy(SEED_FILES["002"], v2)
    v2.write_text(v2.read_text(encoding="utf-8").replace("占 96.3%", "占 76.34%", 1), encoding="utf-8")
    out = cli("ingest", str(v2), "--db", pg_url)
    assert "新版本  台前县医疗保障局 2023 预算 部门（第 2 版）" in out and "N-SHARE（第二部分/三、支出预算总体情况说明） 96.3% ≠ 76.34%" in out
    ledger = json.loads(cli("corpus", "--db", pg_url, "--format", "json"))["documents"]
    by_name = {e["department"]: e for e in ledger}
    assert len(ledger) == 5 and by_name["台前县医疗保障局"]["versions"] == 2
    assert (by_name["峯城区医疗保障局"]["errors"], by_name["峯城区医疗保障局"]["warnings"]) == (1, 1)


def test_compare_and_export_on_postgresql(pg_url: str | None, tmp_path: Path) -> None:
    if pg_url is None:
        _note()
        return
    wild = SHARED / "samples" / "wild"
    cli("ingest", str(wild / "shpt-wanli-2023-dept-budget.pdf"), str(wild / "shpt-wanli-2024-dept-budget.pdf"), "--department", WANLI, "--db", pg_url)
    data = json.loads(cli("compare", "--department", WANLI, "--db", pg_url, "--format", "json"))
    series = {s["metric"]: [(p["year"], p["value"]) for p in s["points"]] for s in data["series"]}
    assert series["收入总计"] == [(2023, "16497.864"), (2024, "15621.1123")]
    assert series["三公经费合计"] == [(2023, "22.91"), (2024, "47.91")]
    cli("export-corpus", "--db", pg_url, "--format", "csv", "-o", str(tmp_path))
    assert "万里" not in (tmp_path / "values.csv").read_text(encoding="utf-8").splitlines()[0]
    assert WANLI in (tmp_path / "values.csv").read_text(encoding="utf-8")
