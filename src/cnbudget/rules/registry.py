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

from cnbudget.i18n import Message, t
from cnbudget.model import Disclosure
from cnbudget.reasons import os_reason, syntax_reason
from cnbudget.rules.context import CheckContext, Coverage, Needs, ReasonCode, reason
from cnbudget.rules.findings import SEVERITY_ORDER, Category, Finding, Severity, group_findings

Check = Callable[[Disclosure], Iterable[Finding]]
ContextCheck = Callable[[CheckContext], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    """A rule as code knows it: its id (its title and explanation are the catalogs', messages/<lang>/index.toml
    ``rules.<id>.title`` / ``.explanation``: the one source for `cnbudget rules` and docs/rules.md)."""

    id: str
    category: Category
    severity: Severity
    enforces: tuple[str, ...]  # identity ids (identities.csv) and regulation ids (regulations.csv)
    check: Check | ContextCheck = field(compare=False, repr=False)
    applies_to: str = "both"  # 预算 / 决算 / both
    needs: Needs = field(default_factory=Needs)
    contextual: bool = False  # check takes the CheckContext (else the Disclosure rules may read)

    @property
    def title_key(self) -> str:
        return f"rules.{self.id}.title"

    @property
    def explanation_key(self) -> str:
        return f"rules.{self.id}.explanation"

    def name(self, lang_code: str | None = None) -> str:
        """The rule's title in the reader's language (messages/<lang>/index.toml)."""
        return t(self.title_key, lang_code)

    def explain(self, lang_code: str | None = None) -> str:
        """What the rule checks and why, in the reader's language (messages/<lang>/index.toml)."""
        return t(self.explanation_key, lang_code)

    def cites(self, lang_code: str | None = None, year: int | None = None) -> str:
        """What the rule enforces, by name and article (财预〔2016〕143号《地方预决算公开操作规程》…)."""
        from cnbudget.rules.citations import cited

        return cited(self.id, self.enforces, year, lang_code)

    def applies(self, d: Disclosure) -> bool:
        return self.applies_to == "both" or d.meta.kind is None or d.meta.kind == self.applies_to


@lru_cache(maxsize=1)
def all_rules() -> tuple[Rule, ...]:
    """The rule index, in the order rules run and are listed."""
    from cnbudget.rules import (
        claims,
        classification,
        completeness,
        completion_table,
        consistency,
        cover,
        empty_tables,
        hygiene,
        identities,
        names,
        narrative,
        pages,
        performance_score,
        self_eval_forms,
        structure,
        year_over_year,
        years,
        zero_tables,
    )

    rules = (
        *structure.RULES,
        *completeness.RULES,
        *zero_tables.RULES,
        *cover.RULES,
        *identities.rules(),
        *narrative.RULES,
        *completion_table.RULES,
        *claims.RULES,
        *consistency.RULES,
        *years.RULES,
        *classification.RULES,
        *performance_score.RULES,
        *self_eval_forms.RULES,
        *year_over_year.RULES,
        *hygiene.RULES,
        *pages.RULES,
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
        try:
            given = p.is_file()
        except OSError as exc:  # a name the file system refuses (too long, …)
            raise ConfigError(Message("errors.more.config_cannot_read", path=p, why=os_reason(exc))) from None
        if not given:
            raise ConfigError(Message("errors.config.not_found", path=p))
        candidates = [p]
    else:
        base = cwd or Path.cwd()
        candidates = [c for c in (base / "cnbudget.toml", base / "pyproject.toml") if c.is_file()]
    for p in candidates:
        try:
            data = tomllib.loads(p.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(Message("errors.config.not_toml", name=p.name, why=syntax_reason(exc))) from None
        except OSError as exc:
            raise ConfigError(Message("errors.more.config_cannot_read", path=p, why=os_reason(exc))) from None
        section = data.get("tool", {}).get("cnbudget") if p.name == "pyproject.toml" else data
        if section is None:
            continue
        return _parse(section, str(p), "tool.cnbudget." if p.name == "pyproject.toml" else "")
    return Config()


def _parse(data: object, source: str, prefix: str = "") -> Config:
    """Validate the file's shape (rules/config_file.py), then its rule ids against the index."""
    from cnbudget.rules.config_file import validate

    if not isinstance(data, dict):
        raise ConfigError(Message("errors.config.not_a_table", source=source, section=prefix.rstrip(".")))
    checked = validate(data, source, prefix)
    if isinstance(checked, str):
        raise ConfigError(checked)
    rules = checked.rules
    known = {r.id for r in all_rules()}
    unknown = sorted((set(rules.disable) | set(rules.severity)) - known)
    if unknown:
        raise ConfigError(Message("errors.config.unknown_rules", source=source, rules=", ".join(unknown)))
    return Config(disable=frozenset(rules.disable), severity=dict(rules.severity), source=source)


# --- running ------------------------------------------------------------------------------------


@dataclass
class CheckResult:
    """Findings for one document and the coverage: which rule ran, which could not and why."""

    findings: list[Finding]
    coverage: list[Coverage]


def check_document(
    d: Disclosure, config: Config | None = None, prior: Disclosure | None = None, rules: Iterable[Rule] | None = None
) -> CheckResult:
    """Every rule over one Disclosure: needs evaluated first, findings re-graded and grouped by cause."""
    from cnbudget.rules.zero_tables import blank_reason, compares_tables

    ctx = CheckContext(d, config or Config(), prior)
    found: list[Finding] = []
    coverage: list[Coverage] = []
    blank = blank_reason(d)  # every table zero or blank: C008 says so once, the comparisons have nothing to compare
    for r in rules if rules is not None else all_rules():
        if r.id in ctx.config.disable:
            source = ctx.config.source or Message("coverage.the_configuration")
            coverage.append(Coverage(r.id, "not checked", (reason(ReasonCode.SWITCHED_OFF, source=source),)))
            continue
        if not r.applies(d):
            kind = Message(f"applies.{r.applies_to}")
            coverage.append(Coverage(r.id, "not applicable", (reason(ReasonCode.OTHER_KIND, kind=kind),)))
            continue
        unmet = ctx.unmet(r.needs)
        if unmet:
            coverage.append(Coverage(r.id, "not checked", unmet))
            continue
        if blank is not None and compares_tables(r):
            coverage.append(Coverage(r.id, "not checked", blank))
            continue
        regrade = ctx.config.severity.get(r.id)
        reported = r.check(ctx) if r.contextual else r.check(ctx.readable)  # type: ignore[arg-type]
        for f in group_findings(list(reported)):
            if regrade is not None and f.severity == r.severity:
                f = f.with_severity(regrade)
            found.append(f)
        status, why = ctx.partial.get(r.id) or ("ran", ctx.partly(r.needs))
        coverage.append(Coverage(r.id, status, (why,) if why is not None else ()))
    return CheckResult(sort_findings(found), coverage)


def run(d: Disclosure, config: Config | None = None, rules: Iterable[Rule] | None = None, prior: Disclosure | None = None) -> list[Finding]:
    """All findings for one Disclosure, re-graded by the configuration, most severe first."""
    return check_document(d, config, prior, rules).findings


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Stable order: document order of the place (line/page), then severity."""

    def key(f: Finding) -> tuple[int, int, int, str]:
        loc = f.location
        return (loc.page or 0, loc.line or 0, SEVERITY_ORDER[f.severity], f.rule)

    return sorted(findings, key=key)
