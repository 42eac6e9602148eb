"""The corpus's data files (specs/corpus.json, specs/metrics.json), loaded once."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any


@cache
def load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(resources.files("cnbudget.specs").joinpath(name).read_text(encoding="utf-8"))
    return data


def corpus_spec() -> dict[str, Any]:
    return load("corpus.json")


def readable_suffixes() -> tuple[str, ...]:
    """The file name endings of every format cnbudget reads: what a folder given to `check` or `ingest`
    stands for (the readers themselves choose by content, not by name)."""
    return tuple(str(s).lower() for s in corpus_spec()["suffixes"])


def metrics_spec() -> dict[str, Any]:
    return load("metrics.json")
