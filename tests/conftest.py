"""Shared fixtures: the real documents in ../shared, read once per test session."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

from cnbudget.api import read as read_disclosure
from cnbudget.i18n import set_lang
from cnbudget.model import Disclosure, Table

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
PDFS = SHARED / "samples" / "pdf"
GOLDEN = ROOT / "tests" / "golden"

SEED_FILES = {
    "000": SEEDS / "000_03b4c01fd59416ce.txt",
    "001": SEEDS / "001_8c4de2003b7dfa18.txt",
    "002": SEEDS / "002_61d3ea1876e8ffd1.txt",
    "003": SEEDS / "003_35d32641a4df889b.txt",
    "004": SEEDS / "004_7d4e11e979e6ef6d.txt",
}


@cache
def seed(name: str) -> Disclosure:
    """The Disclosure read from seed ``name`` ('000' … '004')."""
    return read_disclosure(str(SEED_FILES[name]))


def table(d: Disclosure, name: str) -> Table:
    found = d.table(name)
    assert found is not None, f"table {name} not recognised; have {[t.name for t in d.tables]}"
    return found


def rows_as_text(t: Table) -> list[str]:
    """Compact, exact rendering of a table's rows: 'side|code|label|col=value;…'."""
    out = []
    for r in t.rows:
        vals = ";".join(f"{v.column}={v.text}" for v in r.values)
        out.append(f"{r.side}|{r.code}|{r.label}|{vals}")
    return out


def pytest_sessionstart(session: pytest.Session) -> None:
    """The tests read the real documents in ../shared; without them nothing meaningful is tested."""
    if not SEEDS.is_dir() or not PDFS.is_dir():
        raise pytest.UsageError(f"the shared documents are missing: expected {SEEDS} and {PDFS} beside the repository")


PDF_FILES = {
    "finance": PDFS / "putuo-finance-bureau-2024-final.pdf",
    "planning": PDFS / "putuo-planning-resources-2024-final.pdf",
    "template": PDFS / "shanghai-final-accounts-template-2024.pdf",
}


@cache
def pdf(name: str) -> Disclosure:
    """The Disclosure read from sample PDF ``name`` ('finance', 'planning', 'template')."""
    return read_disclosure(str(PDF_FILES[name]))


@pytest.fixture(autouse=True)
def english_messages(request: pytest.FixtureRequest) -> Iterator[None]:
    """The tests written before the catalogs assert English text: they run in English. A test module
    written for the Chinese default output says so with ``MESSAGES_LANG = "zh"``; single tests of the
    other language ask for it (``set_lang``, ``Finding.text("zh")``, ``--lang``)."""
    set_lang(getattr(request.module, "MESSAGES_LANG", "en"))
    yield
    set_lang(None)
