"""Issue 11: what a performance form printed and could not be read (PerformanceForm.unreadable) is Chinese by
default, through `cnbudget parse --format json`, and English with --lang en — never assembled in code."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from tests.conftest import SEEDS
from typer.testing import CliRunner

from cnbudget.cli import app
from cnbudget.i18n import set_lang

MESSAGES_LANG = "zh"

SEED004 = next(SEEDS.glob("004_*.txt"))
_ENGLISH = re.compile(r"[A-Za-z]{3,}")


@pytest.fixture(autouse=True)
def default_language() -> None:
    set_lang(None)


def _unreadable(*lang: str) -> dict[str, list[str]]:
    result = CliRunner(env={"CNBUDGET_LANG": None}).invoke(app, [*lang, "parse", str(SEED004), "--format", "json"])
    assert result.exit_code == 0, result.output
    forms: list[dict[str, Any]] = json.loads(result.stdout)["performance"]
    return {f["name"]: f["unreadable"] for f in forms if f["unreadable"]}


def test_unread_parts_of_performance_forms_are_chinese_by_default() -> None:
    notes = _unreadable()
    assert notes["慢性病专家鉴定费"] == [
        "项目资金：印有年初预算数/全年预算数，但文字错乱，对不上数值",
        "绩效指标：指标表只剩错乱的文字；2行（共印出19个指标，按“指标 n：”计）在一行内完整读到"
        "（指标值、实际完成值、分值、得分；未对应名称），其余各行的单元格对不上所在的行",
    ]
    assert notes["北关区医疗保障局"][1] == "绩效指标：指标表只剩错乱的文字；没有读到任何指标"
    assert [w for texts in notes.values() for text in texts for w in _ENGLISH.findall(text)] == []


def test_and_english_on_request() -> None:
    notes = _unreadable("--lang", "en")
    assert notes["慢性病专家鉴定费"][0] == "项目资金: 年初预算数/全年预算数 printed but not tied to a value (scrambled text)"
    assert notes["北关区医疗保障局"][1] == "绩效指标: the indicator table survives only as scrambled text; no indicator was read"
