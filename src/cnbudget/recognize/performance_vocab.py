"""The vocabulary of performance forms (``specs/performance.json``), read once, and ``key``: the
form in which printed labels are compared."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from cnbudget.numbers import squash

_KEY_TABLE = str.maketrans({"（": "(", "）": ")", "：": ":", "“": "", "”": "", '"': "", "％": "%", "，": ","})


@lru_cache(maxsize=65536)
def key(text: str) -> str:
    """The form in which labels are compared: no whitespace, no quotes, half-width ( ) : %."""
    return squash(text).translate(_KEY_TABLE)


@dataclass(frozen=True)
class _Vocab:
    text_labels: dict[str, str]  # normalised label -> field (project / org / unit / dept / grade)
    amount_labels: dict[str, str]  # normalised synonym -> canonical amount key
    overall_amount_labels: dict[str, str]  # amount labels of a 整体绩效目标表 only (（3）其他支出)
    amount_groups: dict[str, str]
    amount_sublabels: frozenset[str]
    amount_prefixes: tuple[str, ...]
    money_units: dict[str, str]
    goal_labels: frozenset[str]  # 年度履职目标 / 年度总体目标
    task_labels: frozenset[str]  # 年度主要任务
    task_columns: dict[str, str]  # normalised header -> 任务名称 / 主要内容
    block_labels: frozenset[str]  # a label opening another block of the form (预算情况)
    matrix_columns: dict[str, str]
    matrix_total_rows: frozenset[str]
    execution_row_labels: frozenset[str]  # 项目资金: the funds block's row label (scrambled 分值/执行率/得分 before it)
    indicator_columns: dict[str, str]
    wide_columns: dict[str, str]
    summary_columns: frozenset[str]
    total_labels: frozenset[str]
    stop_re: re.Pattern[str]
    operators: tuple[tuple[str, str], ...]  # (printed form, normalised symbol), longest first
    units: frozenset[str]
    level1: frozenset[str]
    level2: frozenset[str]
    qualitative_words: tuple[str, ...]
    name_suffixes: tuple[str, ...]
    org_suffixes: tuple[str, ...]
    indicator_marker: str  # 指标: the word of a scrambled form's numbered indicator names ('指标 1：…')
    weight_unit: str  # 分: the unit of a printed weight ('50 分')
    execution_rounding: tuple[str, ...]  # roundings a printed execution score may use: half_up, ceiling


def _invert(groups: dict[str, list[str]]) -> dict[str, str]:
    return {key(s): k for k, synonyms in groups.items() if not k.startswith("_") for s in synonyms}


@lru_cache(maxsize=1)
def vocab() -> _Vocab:
    """The vocabulary of ``specs/performance.json`` (read once)."""
    text = resources.files("cnbudget.specs").joinpath("performance.json").read_text(encoding="utf-8")
    d: dict[str, Any] = json.loads(text)
    ops = sorted(((w, sym) for sym, words in d["operators"].items() for w in words), key=lambda p: -len(p[0]))
    stops = "|".join(re.escape(s) for s in d["stop_prefixes"])
    return _Vocab(
        text_labels=_invert(d["text_labels"]),
        amount_labels=_invert(d["amount_labels"]),
        overall_amount_labels=_invert(d["overall_amount_labels"]),
        amount_groups=dict(d["amount_groups"]),
        amount_sublabels=frozenset(d["amount_sublabels"]),
        amount_prefixes=tuple(key(p) for p in d["amount_label_prefixes"]),
        money_units=dict(d["money_units"]),
        goal_labels=frozenset(key(s) for s in d["goal_labels"]),
        task_labels=frozenset(key(s) for s in d["task_labels"]),
        task_columns=_invert(d["task_columns"]),
        block_labels=frozenset(key(s) for s in d["block_labels"]),
        matrix_columns=_invert(d["matrix_columns"]),
        matrix_total_rows=frozenset(d["matrix_total_rows"]),
        execution_row_labels=frozenset(key(s) for s in d["execution_row_labels"]["labels"]),
        indicator_columns=_invert(d["indicator_columns"]),
        wide_columns=_invert(d["wide_columns"]),
        summary_columns=frozenset(key(s) for s in d["summary_columns"]),
        total_labels=frozenset(key(s) for s in d["total_labels"]),
        stop_re=re.compile(rf"^(?:{stops})(?:[:0-9.、]|$)"),
        operators=tuple((key(w), sym) for w, sym in ops),
        units=frozenset(d["units"]),
        level1=frozenset(key(s) for s in d["level1"]),
        level2=frozenset(key(s) for s in d["level2"]),
        qualitative_words=tuple(d["qualitative_words"]),
        name_suffixes=tuple(d["name_suffixes"]),
        org_suffixes=tuple(key(s) for s in d["org_suffixes"]),
        indicator_marker=d["scrambled_self_eval"]["indicator_marker"],
        weight_unit=d["scrambled_self_eval"]["weight_unit"],
        execution_rounding=tuple(d["execution_score_rounding"]["modes"]),
    )
