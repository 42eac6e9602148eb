"""Shared helpers for the rule tests (no tests here): findings per seed and per sample PDF, read once."""

from __future__ import annotations

from functools import cache

from cnbudget.model import Disclosure
from cnbudget.pipeline import read_disclosure
from cnbudget.rules.findings import Finding
from cnbudget.rules.registry import run
from conftest import PDFS, seed

PDF_FILES = {
    "finance": PDFS / "putuo-finance-bureau-2024-final.pdf",
    "planning": PDFS / "putuo-planning-resources-2024-final.pdf",
    "template": PDFS / "shanghai-final-accounts-template-2024.pdf",
}


@cache
def seed_findings(name: str) -> tuple[Finding, ...]:
    return tuple(run(seed(name)))


@cache
def pdf(name: str) -> Disclosure:
    """A sample PDF read into a Disclosure (a reader failure fails the test, it is never skipped)."""
    return read_disclosure(str(PDF_FILES[name]))


@cache
def pdf_findings(name: str) -> tuple[Finding, ...]:
    return tuple(run(pdf(name)))


def of(findings: tuple[Finding, ...] | list[Finding], rule: str, severity: str | None = None) -> list[Finding]:
    return [f for f in findings if f.rule == rule and (severity is None or f.severity == severity)]


def errors(findings: tuple[Finding, ...] | list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "error"]
