"""The `review` command: record what a reviewer decided about findings, in the review file `check` honours.

``cnbudget review FILE… --id ID --status dismissed --reason "…"`` (or ``--rule RULE`` for every finding
of a rule, or ``--interactive`` to go through the findings one by one) checks the files, finds the
findings by their stable ids and writes the decision (status, reason, who, when) to the review file:
``--review FILE``, else ``cnbudget-review.json``/``.toml`` next to the documents (created as .json).
Without a selection it lists the findings with their ids and review state. Ids recorded for these
documents that the check no longer finds are marked fixed.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from cnbudget.i18n import Message, t
from cnbudget.safe_text import shown

if TYPE_CHECKING:
    from cnbudget.rules.findings import Finding
    from cnbudget.rules.report import DocumentReport
    from cnbudget.rules.review import ReviewFile, Status

    Pair = tuple[DocumentReport, Finding]


class ReviewStatus(StrEnum):
    confirmed = "confirmed"
    dismissed = "dismissed"
    fixed = "fixed"


def _fail(err: Console, message: str) -> typer.Exit:
    err.print(f"[bold red]{shown(t('errors.prefix'))}[/] {shown(message)}", highlight=False, soft_wrap=True)
    return typer.Exit(2)


def review(
    files: Annotated[list[str], typer.Argument(help=Message("cli.review.files"))],
    ids: Annotated[list[str] | None, typer.Option("--id", help=Message("cli.review.id"))] = None,
    rules: Annotated[list[str] | None, typer.Option("--rule", help=Message("cli.review.rule"))] = None,
    status: Annotated[ReviewStatus, typer.Option("--status", "-s", help=Message("cli.review.status"))] = ReviewStatus.dismissed,
    reason: Annotated[str, typer.Option("--reason", "-r", help=Message("cli.review.reason"))] = "",
    who: Annotated[str, typer.Option("--who", help=Message("cli.review.who"))] = "",
    interactive: Annotated[bool, typer.Option("--interactive", "-i", help=Message("cli.review.interactive"))] = False,
    review_path: Annotated[Path | None, typer.Option("--review", help=Message("cli.review.review"))] = None,
    config: Annotated[Path | None, typer.Option("--config", help=Message("cli.review.config"))] = None,
    ocr: Annotated[bool, typer.Option("--ocr/--no-ocr", help=Message("cli.review.ocr"))] = True,
) -> None:
    """Mark findings confirmed, dismissed or fixed in the review file that check honours."""
    from cnbudget.api import check_each
    from cnbudget.commands.check import expand_inputs
    from cnbudget.i18n import t
    from cnbudget.rules.registry import ConfigError, load_config
    from cnbudget.rules.review import REVIEW_NAMES, ReviewError, find_review, load_review, save_review

    err = Console(stderr=True)
    out = Console(soft_wrap=True)
    try:
        cfg = load_config(config)
    except ConfigError as exc:
        raise _fail(err, str(exc)) from None
    inputs = expand_inputs(files)
    if not inputs:
        from cnbudget.corpus.spec import readable_suffixes

        raise _fail(err, t("errors.no_files_to_review", suffixes=" ".join(readable_suffixes())))
    path = review_path or find_review(inputs)
    if path is None:
        first = Path(inputs[0])
        path = first.parent / REVIEW_NAMES[0]
    try:
        state = load_review(path)
    except ReviewError as exc:
        raise _fail(err, str(exc)) from None
    reports: list[DocumentReport] = []
    for c in check_each(inputs, cfg, ocr=ocr):
        if c.report is None:
            raise _fail(err, c.error)
        reports.append(c.report)

    fixed = _mark_fixed(reports, state)
    found = [(r, f) for r in reports for f in r.findings]
    if interactive:
        count = _interactive(found, state, who, out)
        chosen = "—"
    elif ids or rules:
        if status is ReviewStatus.dismissed and not reason.strip():
            raise _fail(err, t("review.reason_required"))
        picked, missing = _select(found, ids or [], rules or [])
        if missing:
            raise _fail(err, t("review.none_matched", what=", ".join(missing)))
        for r, f in picked:
            state.mark(f, status.value, r.meta, r.source, reason=reason.strip(), who=who)
        count, chosen = len(picked), t(f"review.status_{status.value}")
    else:
        _list(found, state, out)
        if fixed:
            save_review(state, path)
        return
    save_review(state, path)
    out.print(shown(t("review.marked", count=count, status=chosen, file=str(path))), highlight=False)
    if fixed:
        out.print(shown(t("review.fixed_heading", count=fixed)), highlight=False)


def _select(found: list[tuple[DocumentReport, Finding]], ids: list[str], rules: list[str]) -> tuple[list[Pair], list[str]]:
    """The findings named by id (exact or a unique prefix) or by rule, and the names that matched none."""
    picked: dict[str, Pair] = {}
    missing: list[str] = []
    for wanted in ids:
        hits = [(r, f) for r, f in found if f.id == wanted] or [(r, f) for r, f in found if f.id.startswith(wanted)]
        if len(hits) != 1:
            missing.append(wanted)
            continue
        picked[hits[0][1].id] = hits[0]
    for rid in rules:
        hits = [(r, f) for r, f in found if f.rule == rid]
        if not hits:
            missing.append(rid)
        for r, f in hits:
            picked[f.id] = (r, f)
    return list(picked.values()), missing


def _mark_fixed(reports: list[DocumentReport], state: ReviewFile) -> int:
    """Recorded findings of these documents that the check no longer finds become fixed; how many changed."""
    from cnbudget.rules.review import apply_review

    changed = 0
    for r in reports:
        for x in apply_review(r.findings, r.meta, r.source, state).fixed:
            if x.entry.status != "fixed":
                state.findings[x.id] = x.entry.model_copy(update={"status": "fixed"})
                changed += 1
    return changed


def _list(found: list[tuple[DocumentReport, Finding]], state: ReviewFile, out: Console) -> None:
    from cnbudget.i18n import t

    for _, f in found:
        entry = state.findings.get(f.id)
        mark = t(f"review.status_{entry.status}") if entry else ""
        out.print(f"{f.id}  {f.rule:<12} {f.severity:<7} {shown(mark)}  {shown(f.message)}", highlight=False)
    out.print(shown(t("review.nothing_to_mark")), highlight=False)


_KEYS: dict[str, Status] = {"c": "confirmed", "d": "dismissed", "f": "fixed"}


def _interactive(found: list[tuple[DocumentReport, Finding]], state: ReviewFile, who: str, out: Console) -> int:
    """One finding at a time: c / d / f record it (a reason is asked), s skips, q stops (what was marked is kept)."""
    from cnbudget.i18n import t
    from cnbudget.model import source_name

    count = 0
    for r, f in found:
        entry = state.findings.get(f.id)
        mark = f" [{t(f'review.status_{entry.status}')}]" if entry else ""
        out.print(f"\n[bold]{shown(f.rule)}[/] {f.id} {shown(source_name(r.source))}{shown(mark)}", highlight=False)
        out.print(shown(f.message), highlight=False)
        choice = typer.prompt(t("review.prompt"), default="s").strip().lower()[:1]
        if choice == "q":
            break
        if choice not in _KEYS:
            continue
        why = typer.prompt(t("review.prompt_reason"), default="" if choice != "d" else None, show_default=False)
        state.mark(f, _KEYS[choice], r.meta, r.source, reason=str(why).strip(), who=who)
        count += 1
    return count
