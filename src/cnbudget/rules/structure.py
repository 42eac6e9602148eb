"""Tables that were read but not understood: one finding each, and no rule reads them.

The structural self-check (recognize/verify.py) marks a table not understood when what was read
cannot be a correct reading of a table of its kind (codes deeper than the header, codes repeated
under other names, names read as amounts, a top line that is a fraction of its parts). Every rule
that needs such a table reports "not checked, because …" in the coverage instead of a finding.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from cnbudget.i18n import Joined, Message, render
from cnbudget.rules.context import CheckContext
from cnbudget.rules.findings import Finding, where
from cnbudget.rules.registry import Rule


def not_understood(ctx: CheckContext) -> Iterator[Finding]:
    """C007: a table whose structure failed the self-check."""
    for t in ctx.disclosure.tables:
        if t.understood:
            continue
        page = Message("rules.C007.page", page=t.location.page) if t.location.page is not None else ""
        yield Finding(
            rule="C007",
            category="completeness",
            severity="warning",
            message=Message(
                "rules.C007.message", table=f"{t.spec_id} {t.name}", title=t.title, page=page, problems=Joined("; ", tuple(t.problems))
            ),
            location=where(t),
            expected="",
            actual=Message("value.not_understood"),
            cause=_cause(t.problems[0]),
        )


def _cause(problem: str) -> str:
    """What groups C007 findings: the problem's wording with the numbers taken out, in one language whatever the reader's."""
    return re.sub(r"\d+", "#", render(problem, "en"))


RULES: tuple[Rule, ...] = (
    Rule(
        id="C007",
        category="completeness",
        severity="warning",
        enforces=(),
        check=not_understood,
        contextual=True,
    ),
)
