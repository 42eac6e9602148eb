"""Every rule cnbudget checks, with its id, category, severity and explanation.

Rules come from two places: the identities declared as data in ``specs/identities.json`` (one rule
per identity id, checked by the one generic mechanism in ``identities.py``) and the checks that
cannot be declared (``completeness.py``, ``classification.py``). ``all_rules()`` is the index that
``cnbudget rules`` prints and ``docs/rules.md`` is generated from.

Configuration (``cnbudget.toml`` or ``[tool.cnbudget]`` in ``pyproject.toml``)::

    [rules]
    disable = ["K001"]
    [rules.severity]
    "X-B3" = "warning"

Re-grading changes the severity of the findings a rule reports at its default severity; findings
a rule deliberately reports lower (尾数差异 at info, a suspected converter shift at warning) stay as
they are.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from cnbudget.model import Disclosure
from cnbudget.rules.findings import SEVERITIES, SEVERITY_ORDER, Category, Finding, Severity

Check = Callable[[Disclosure], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    category: Category
    severity: Severity
    explanation: str
    enforces: tuple[str, ...]  # identity ids (identities.csv) and regulation ids (regulations.csv)
    check: Check = field(compare=False, repr=False)
    applies_to: str = "both"  # 预算 / 决算 / both

    def applies(self, d: Disclosure) -> bool:
        return self.applies_to == "both" or d.meta.kind is None or d.meta.kind == self.applies_to


@lru_cache(maxsize=1)
def all_rules() -> tuple[Rule, ...]:
    """The rule index, in the order rules run and are listed."""
    from cnbudget.rules import (
        classification,
        completeness,
        empty_tables,
        hygiene,
        identities,
        names,
        narrative,
        performance_score,
        year_over_year,
    )

    rules = (
        *completeness.RULES,
        *identities.rules(),
        *narrative.RULES,
        *classification.RULES,
        *performance_score.RULES,
        *year_over_year.RULES,
        *hygiene.RULES,
        *names.RULES,
        *empty_tables.RULES,
    )
    ids = [r.id for r in rules]
    duplicated = {i for i in ids if ids.count(i) > 1}
    if duplicated:
        raise RuntimeError(f"duplicate rule ids: {sorted(duplicated)}")
    return rules


def rule(rule_id: str) -> Rule:
    for r in all_rules():
        if r.id == rule_id:
            return r
    raise KeyError(rule_id)


# --- configuration ------------------------------------------------------------------------------


class ConfigError(Exception):
    """The configuration file cannot be used. The message is one plain sentence."""


@dataclass(frozen=True)
class Config:
    disable: frozenset[str] = frozenset()
    severity: dict[str, Severity] = field(default_factory=dict)
    source: str = ""


def load_config(path: str | Path | None = None, cwd: Path | None = None) -> Config:
    """Read ``[rules]`` from the given file, else ./cnbudget.toml, else ./pyproject.toml [tool.cnbudget]."""
    if path is not None:
        p = Path(path)
        if not p.is_file():
            raise ConfigError(f"the configuration file {p} does not exist.")
        candidates = [p]
    else:
        base = cwd or Path.cwd()
        candidates = [c for c in (base / "cnbudget.toml", base / "pyproject.toml") if c.is_file()]
    for p in candidates:
        try:
            data = tomllib.loads(p.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{p.name} is not valid TOML: {exc}.") from None
        section = data.get("tool", {}).get("cnbudget") if p.name == "pyproject.toml" else data
        if section is None:
            continue
        return _parse(section.get("rules", {}), str(p))
    return Config()


def _parse(rules_section: object, source: str) -> Config:
    if not isinstance(rules_section, dict):
        raise ConfigError(f"[rules] in {source} must be a table.")
    known = {r.id for r in all_rules()}
    disable = rules_section.get("disable", [])
    if not isinstance(disable, list) or not all(isinstance(x, str) for x in disable):
        raise ConfigError(f"[rules] disable in {source} must be a list of rule ids.")
    severity = rules_section.get("severity", {})
    if not isinstance(severity, dict):
        raise ConfigError(f"[rules.severity] in {source} must be a table of rule id = severity.")
    unknown = sorted((set(disable) | set(severity)) - known)
    if unknown:
        raise ConfigError(f"{source} names unknown rule ids: {', '.join(unknown)} (see `cnbudget rules`).")
    grades: dict[str, Severity] = {}
    for rid, sev in severity.items():
        if sev not in SEVERITIES:
            raise ConfigError(f"severity of {rid} in {source} must be one of {', '.join(SEVERITIES)}, not {sev!r}.")
        grades[rid] = sev
    return Config(disable=frozenset(disable), severity=grades, source=source)


# --- running ------------------------------------------------------------------------------------


def run(d: Disclosure, config: Config | None = None, rules: Iterable[Rule] | None = None) -> list[Finding]:
    """All findings for one Disclosure, re-graded by the configuration, most severe first."""
    config = config or Config()
    found: list[Finding] = []
    for r in rules if rules is not None else all_rules():
        if r.id in config.disable or not r.applies(d):
            continue
        regrade = config.severity.get(r.id)
        for f in r.check(d):
            if regrade is not None and f.severity == r.severity:
                f = f.with_severity(regrade)
            found.append(f)
    return sort_findings(found)


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Stable order: document order of the place (line/page), then severity."""

    def key(f: Finding) -> tuple[int, int, int, str]:
        loc = f.location
        return (loc.page or 0, loc.line or 0, SEVERITY_ORDER[f.severity], f.rule)

    return sorted(findings, key=key)
