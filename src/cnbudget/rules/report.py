"""The outcome of checking one document: its source, meta and findings (rendered by ``cnbudget.render``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from cnbudget.model import Meta
from cnbudget.rules.context import Coverage
from cnbudget.rules.findings import Finding
from cnbudget.rules.outline import Outline
from cnbudget.rules.registry import Rule, all_rules
from cnbudget.rules.review import Reviewed, ReviewFile, apply_review


@dataclass
class DocumentReport:
    source: str
    meta: Meta
    findings: list[Finding]
    coverage: list[Coverage] = field(default_factory=list)  # which rules ran, which could not and why
    outline: Outline | None = None  # what the document prints (sections, tables), for the reviewer's checklist
    # the review state (rules/review.py): findings dismissed (not in ``findings``), recorded ones now gone
    dismissed: list[Reviewed] = field(default_factory=list)
    fixed: list[Reviewed] = field(default_factory=list)
    confirmed: frozenset[str] = frozenset()

    def counts(self) -> Counter[str]:
        return Counter(f.severity for f in self.findings)

    def reviewed(self, review: ReviewFile) -> DocumentReport:
        """This report with the review state applied: dismissed findings set aside, fixed ones listed."""
        applied = apply_review(self.findings, self.meta, self.source, review)
        return replace(self, findings=applied.findings, dismissed=applied.dismissed, fixed=applied.fixed, confirmed=applied.confirmed)


def rules_used(reports: Sequence[DocumentReport]) -> list[Rule]:
    """The registry's rules that reported a finding in any of the reports, in index order."""
    ids = {f.rule for r in reports for f in r.findings}
    return [r for r in all_rules() if r.id in ids]
