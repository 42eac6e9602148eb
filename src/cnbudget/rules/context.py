"""What a rule receives and what it declares it needs.

One ``CheckContext`` per checked document: the Disclosure as rules may read it (tables that are
not understood taken out), the prior-year Disclosure when one was given, the configuration, and the
analyses several rules share (computed once per run, never in a module-level cache).

A rule declares its ``Needs``: the tables it reads (any one of them printed and understood is
enough), and whether it needs the prior year. The runner evaluates the needs first; an unmet need
gives a coverage entry "not checked, because …" and no finding.

Every reason is a ``ReasonCode`` with its values; its sentence is the catalog's
(``coverage.reason.<code>`` in messages/<lang>/coverage.toml), so code matches on codes and a report
renders the reason in its reader's language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from cnbudget import i18n
from cnbudget.i18n import Joined, Message
from cnbudget.model import Disclosure
from cnbudget.specs import specs

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


class ReasonCode(StrEnum):
    """Why a rule did not run (or ran on part of what it needs): a stable machine code, one catalog sentence each."""

    SWITCHED_OFF = "switched_off"  # the configuration disables the rule
    OTHER_KIND = "other_kind"  # the rule applies to 预算 or 决算 documents only
    NO_PRIOR = "no_prior"  # --prior not given
    NO_FACTS = "no_facts"  # no figure of a 情况说明 read
    NO_FORMS = "no_forms"  # no performance form read
    TABLE_NOT_PRINTED = "table_not_printed"
    TABLE_NOT_UNDERSTOOD = "table_not_understood"
    TABLES_NOT_READ = "tables_not_read"  # partly: tables it reads are not understood
    NO_COMPARISON = "no_comparison"  # the rows or columns an identity compares are not printed
    UNNAMED_COLUMN = "unnamed_column"  # a column no spec names may be one of the parts
    OLDER_CODES = "older_codes"  # codes of a year before the bundled catalog
    UNTYPED_TABLES = "untyped_tables"  # tables with amounts that could not be typed
    OTHER_DEPARTMENT = "other_department"  # --prior is another department's
    OTHER_SCOPE = "other_scope"  # --prior is a 单位 document for a 部门 one (or the reverse)
    NEEDS_SAME_YEAR_BUDGET = "needs_same_year_budget"  # Y-3 compares a 决算 with its year's 预算
    SAME_YEAR_BUDGET = "same_year_budget"  # --prior is the same year's 预算 (only Y-3 compares it)
    UNKNOWN_YEAR = "unknown_year"  # the year of one document is unknown
    WRONG_YEAR = "wrong_year"  # --prior is not the year before
    ALL_TABLES_BLANK = "all_tables_blank"  # every standard table zero or blank: nothing to compare (C008)
    PAGES_NOT_READ = "pages_not_read"  # what a rule looks for may be printed on a page that could not be read
    PAGES_NOT_READ_IN = "pages_not_read_in"  # the same, in a disclosure read from several files (pages named with their file)
    NO_COVER = "no_cover"  # the file prints no cover
    COVER_UNDATED = "cover_undated"  # partly: the cover prints no date
    SELF_EVAL_UNREAD = "self_eval_unread"  # self-evaluation forms whose indicator scores could not be read


@dataclass(frozen=True)
class Reason:
    """One reason, as a code and the values its sentence names (plain text or Messages)."""

    code: ReasonCode
    values: dict[str, object] = field(default_factory=dict)

    def message(self) -> Message:
        return Message(f"coverage.reason.{self.code.value}", **self.values)

    def text(self, lang_code: str | None = None) -> str:
        return self.message().render(lang_code)


def reason(code: ReasonCode, **values: object) -> Reason:
    return Reason(code, dict(values))


@dataclass(frozen=True)
class Coverage:
    """One rule on one document: did it run, and if not, why (codes; the sentence is rendered on demand)."""

    rule: str
    status: Status
    reasons: tuple[Reason, ...] = ()

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(r.code.value for r in self.reasons)

    @property
    def reason(self) -> str:
        """The reasons in the language in force."""
        return self.text()

    def text(self, lang_code: str | None = None) -> str:
        return i18n.t("coverage.reason_separator", lang_code).join(r.text(lang_code) for r in self.reasons)

    def status_text(self, lang_code: str | None = None) -> str:
        return i18n.t(f"coverage.status.{self.status.replace(' ', '_')}", lang_code)

    def as_dict(self, lang_code: str | None = None) -> dict[str, object]:
        """JSON: the machine codes (status, reason_code, reason_codes) beside the rendered sentence."""
        return {
            "rule": self.rule,
            "status": self.status,
            "reason": self.text(lang_code),
            "reason_code": self.codes[0] if self.codes else "",
            "reason_codes": list(self.codes),
        }


def _table_name(spec_id: str) -> str:
    """'F8 政府性基金预算支出表': the id and the name a reviewer knows the table by."""
    try:
        return f"{spec_id} {specs().by_id(spec_id).name}"
    except KeyError:
        return spec_id


@dataclass
class CheckContext:
    """Everything a rule may read for one document."""

    disclosure: Disclosure  # as recognised (all tables)
    config: Config
    prior: Disclosure | None = None
    shared: dict[str, Any] = field(default_factory=dict)
    partial: dict[str, tuple[Status, Reason]] = field(default_factory=dict)  # rule id → what it could not check

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

    def not_checked(self, rule_id: str, why: Reason) -> None:
        """A rule that ran but could not decide anything: its coverage says not checked, and why."""
        self.partial[rule_id] = ("not checked", why)

    def checked_partly(self, rule_id: str, why: Reason) -> None:
        """A rule that ran on part of what it needs: its coverage says what it left out."""
        self.partial[rule_id] = ("ran", why)

    def partly(self, needs: Needs) -> Reason | None:
        """What a rule that runs cannot read: the tables it needs that are printed but not understood."""
        wanted = set(needs.tables) | {t for group in needs.together for t in group}
        lost = [t for t in self.disclosure.tables if t.spec_id in wanted and not t.understood]
        if not lost:
            return None
        return reason(ReasonCode.TABLES_NOT_READ, tables=", ".join(f"{t.spec_id} {t.name}" for t in lost))

    def _missing(self, spec_id: str) -> Reason | None:
        """Why one table cannot be read (not printed, not understood), or None when it can."""
        printed = [t for t in self.disclosure.tables if t.spec_id == spec_id]
        if not printed:
            return reason(ReasonCode.TABLE_NOT_PRINTED, table=_table_name(spec_id))
        if any(t.understood for t in printed):
            return None
        t = printed[0]
        page = Message("coverage.page", page=t.location.page) if t.location.page is not None else ""
        problems = Joined("; ", tuple(t.problems))
        return reason(ReasonCode.TABLE_NOT_UNDERSTOOD, table=f"{t.spec_id} {t.name}", page=page, problems=problems)

    def unmet(self, needs: Needs) -> tuple[Reason, ...]:
        """Why these needs are not met (empty when they are)."""
        if needs.prior and self.prior is None:
            return (reason(ReasonCode.NO_PRIOR),)
        if needs.facts and not self.disclosure.facts:
            return (reason(ReasonCode.NO_FACTS),)
        if needs.forms and not self.disclosure.performance:
            return (reason(ReasonCode.NO_FORMS),)
        alternatives = [(t,) for t in needs.tables] + list(needs.together)
        if not alternatives:
            return ()
        reasons: list[Reason] = []
        for group in alternatives:
            missing = [why for t in group if (why := self._missing(t)) is not None]
            if not missing:
                return ()
            reasons.extend(missing)
        unique = list({(r.code, r.text()): r for r in reasons}.values())
        misread = [r for r in unique if r.code is ReasonCode.TABLE_NOT_UNDERSTOOD]
        return tuple(misread or unique)
