"""Tables a note calls empty: the note against the table's own amounts and the 情况说明's figures.

A note such as '本部门2024年无“三公”经费和机关运行经费预算，故本表为空表' is a statement like any other: it is
false when the table under it prints amounts, or when the 情况说明 states a non-zero figure for the same subject;
and a note naming only another table's subject (政府性基金 under the 国有资本经营 table) was copied from that table.
The words and subjects are data (specs/empty_tables.json).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources

from cnbudget.i18n import Message
from cnbudget.model import Disclosure, Location, Table
from cnbudget.rules.context import CheckContext
from cnbudget.rules.findings import Finding, Severity, table_name, where
from cnbudget.rules.registry import Check, ContextCheck, Rule

_WS = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _spec() -> tuple[tuple[str, ...], dict[str, str]]:
    data = json.loads(resources.files("cnbudget.specs").joinpath("empty_tables.json").read_text(encoding="utf-8"))
    return tuple(data["empty_words"]), dict(data["subjects"])


def _empty_note(tb: Table) -> str:
    """The note by which the table says it has no data, as printed ('' when it says nothing of the kind)."""
    words, _ = _spec()
    for note in (tb.note, *tb.notes):
        if any(w in _WS.sub("", note) for w in words):
            return note
    return ""


def _finding(
    key: str, severity: Severity, tb: Table, note: str, actual: str, expected: str = "", at: Location | None = None,
    **values: object,
) -> Finding:
    """At the table, or at the sentence (``at``) whose figure contradicts it."""
    rule_id = key.split(".", 1)[0]
    message = Message(f"rules.{key}", table=table_name(tb), note=_WS.sub("", note), actual=actual, **values)
    return Finding(rule_id, "narrative", severity, message, where(tb, location=at), expected=expected, actual=actual)


def empty_note_against_figures(d: Disclosure) -> Iterator[Finding]:
    _, subjects = _spec()
    for tb in d.tables:
        note = _empty_note(tb)
        if not note and not tb.empty:
            continue
        printed = next((v for r in tb.rows for v in r.values if v.amount is not None and v.amount.value != 0), None)
        if note and printed is not None:
            yield _finding("N-EMPTY-FIGURES.table", "warning", tb, note, printed.text)
            continue
        subject = subjects.get(tb.spec_id, "")
        if not subject:
            continue
        stated = next(
            (f for f in d.facts
             if subject in _WS.sub("", f.subject) and f.kind in ("amount", "completion", "budget_vs_actual")
             and f.value is not None and f.value != 0),
            None,
        )
        if stated is None:
            continue
        figure = f"{stated.subject} {stated.printed or stated.value}万元"
        if note:
            yield _finding("N-EMPTY-FIGURES.text", "warning", tb, note, figure, at=stated.location)
        else:  # printed without data (or not read: a table the reader could not read looks the same), so info
            yield _finding("N-EMPTY-FIGURES.empty", "info", tb, tb.note, figure, at=stated.location)


def _notes_read(ctx: CheckContext) -> Iterator[Finding]:
    """N-EMPTY-FIGURES over the tables rules may read and the notes of tables whose body could not be read (a
    plain-text table the reader could not split): a note is a statement of its own, read as printed."""
    kept = [t for t in ctx.disclosure.tables if t.understood or (t.parts == 0 and not t.rows and _empty_note(t))]
    yield from empty_note_against_figures(ctx.readable.model_copy(update={"tables": kept}))


def note_of_another_table(d: Disclosure) -> Iterator[Finding]:
    _, subjects = _spec()
    for tb in d.tables:
        own = subjects.get(tb.spec_id, "")
        note = _empty_note(tb)
        if not own or not note:
            continue
        flat = _WS.sub("", note)
        others = sorted({s for s in subjects.values() if s != own and s in flat})
        if others and own not in flat:
            yield _finding("N-EMPTY-OTHER.message", "warning", tb, note, others[0], own, own=own)


def _rule(rule_id: str, check: Check | ContextCheck, *, contextual: bool = False) -> Rule:
    return Rule(rule_id, "narrative", "warning", ("REG-04",), check, contextual=contextual)


RULES: tuple[Rule, ...] = (
    _rule("N-EMPTY-FIGURES", _notes_read, contextual=True),
    _rule("N-EMPTY-OTHER", note_of_another_table),
)
