"""What a rule receives and what it declares it needs.

One ``CheckContext`` per checked document: the Disclosure as rules may read it (tables that are
not understood taken out), the prior-year Disclosure when one was given, the configuration, and the
analyses several rules share (computed once per run, never in a module-level cache).

A rule declares its ``Needs``: the tables it reads (any one of them printed and understood is
enough), and whether it needs the prior year. The runner evaluates the needs first; an unmet need
gives a coverage entry "not checked, because …" and no finding.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from cnbudget.model import Disclosure

if TYPE_CHECKING:
    from cnbudget.rules.registry import Config

T = TypeVar("T")

Status = Literal["ran", "not checked", "not applicable"]


@dataclass(frozen=True)
class Needs:
    """What a rule must have to say anything true."""

    tables: tuple[str, ...] = ()  # spec ids; the rule runs when any one is printed and understood
    together: tuple[tuple[str, ...], ...] = ()  # ... or when every table of one of these sets is (a comparison)
    prior: bool = False  # the same department's disclosure of the year before (--prior)
    facts: bool = False  # figures stated in the 情况说明
    forms: bool = False  # performance forms (绩效目标表 / 自评表)


@dataclass(frozen=True)
class Coverage:
    """One rule on one document: did it run, and if not, why."""

    rule: str
    status: Status
    reason: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"rule": self.rule, "status": self.status, "reason": self.reason}


@dataclass
class CheckContext:
    """Everything a rule may read for one document."""

    disclosure: Disclosure  # as recognised (all tables)
    config: Config
    prior: Disclosure | None = None
    shared: dict[str, Any] = field(default_factory=dict)
    partial: dict[str, str] = field(default_factory=dict)  # rule id → what it could not check

    @property
    def readable(self) -> Disclosure:
        """The Disclosure rules read: tables that are not understood are left out."""
        cached = self.shared.get("readable")
        if cached is None:
            kept = [t for t in self.disclosure.tables if t.understood]
            cached = self.disclosure if len(kept) == len(self.disclosure.tables) else self.disclosure.model_copy(update={"tables": kept})
            self.shared["readable"] = cached
        return cached

    @property
    def prior_readable(self) -> Disclosure | None:
        """The prior-year Disclosure with its not-understood tables left out."""
        if self.prior is None:
            return None
        kept = [t for t in self.prior.tables if t.understood]
        return self.prior if len(kept) == len(self.prior.tables) else self.prior.model_copy(update={"tables": kept})

    def analysis(self, name: str, compute: Callable[[Disclosure], T]) -> T:
        """An analysis several rules share, computed once for this document."""
        if name not in self.shared:
            self.shared[name] = compute(self.readable)
        return self.shared[name]

    def partly(self, needs: Needs) -> str:
        """What a rule that runs cannot read: the tables it needs that are printed but not understood."""
        wanted = set(needs.tables) | {t for group in needs.together for t in group}
        lost = [t for t in self.disclosure.tables if t.spec_id in wanted and not t.understood]
        if not lost:
            return ""
        names = ", ".join(f"{t.spec_id} {t.name}" for t in lost)
        return f"partly: not understood, so not read: {names}"

    def _missing(self, spec_id: str) -> str | None:
        """Why one table cannot be read (not printed, not understood), or None when it can."""
        printed = [t for t in self.disclosure.tables if t.spec_id == spec_id]
        if not printed:
            return f"table {spec_id} is not printed"
        if any(t.understood for t in printed):
            return None
        t = printed[0]
        page = f" (p.{t.location.page})" if t.location.page is not None else ""
        return f"table {t.spec_id} {t.name}{page} is not understood: {'; '.join(t.problems)}"

    def unmet(self, needs: Needs) -> str | None:
        """Why these needs are not met, or None when they are."""
        if needs.prior and self.prior is None:
            return "the prior year's disclosure was not given (--prior)"
        if needs.facts and not self.disclosure.facts:
            return "no figure of a 情况说明 was read from this file"
        if needs.forms and not self.disclosure.performance:
            return "no performance form (绩效目标表 / 自评表) was read from this file"
        alternatives = [(t,) for t in needs.tables] + list(needs.together)
        if not alternatives:
            return None
        reasons: list[str] = []
        for group in alternatives:
            missing = [why for t in group if (why := self._missing(t)) is not None]
            if not missing:
                return None
            reasons.extend(missing)
        unique = list(dict.fromkeys(reasons))
        misread = [r for r in unique if "not understood" in r]
        return "; ".join(misread or unique)
