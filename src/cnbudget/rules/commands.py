"""The `check` and `rules` commands, added to the cnbudget Typer app by ``register(app)``.

Exit codes of `check`: 0 when no error-level finding, 1 when there are, 2 when an input (or the
configuration) could not be read — one sentence on stderr for each, never a traceback.
"""

from __future__ import annotations

import io
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from cnbudget.errors import InputError
from cnbudget.pipeline import read_disclosure
from cnbudget.rules.registry import ConfigError, all_rules, load_config, run
from cnbudget.rules.report import DocumentReport, render_rules, render_text, rules_json, rules_markdown, to_csv, to_json

SUFFIXES = (".txt", ".md", ".pdf")


class CheckFormat(StrEnum):
    text = "text"
    json = "json"
    csv = "csv"


class RulesFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


def expand_inputs(paths: list[str]) -> list[str]:
    """Files as given; a directory stands for every .txt/.md/.pdf directly in it (sorted)."""
    out: list[str] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            out.extend(str(f) for f in sorted(path.iterdir()) if f.is_file() and f.suffix.lower() in SUFFIXES)
        else:
            out.append(p)
    return out


def check(
    files: Annotated[list[str], typer.Argument(help="Disclosures (PDF or converted text/markdown), or directories of them.")],
    format: Annotated[CheckFormat, typer.Option("--format", "-f", help="text, json or csv.")] = CheckFormat.text,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the report here.")] = None,
    config: Annotated[Path | None, typer.Option("--config", help="cnbudget.toml (default: ./cnbudget.toml or ./pyproject.toml).")] = None,
    ocr: Annotated[bool, typer.Option("--ocr/--no-ocr", help="OCR image-only PDF pages (default on).")] = True,
) -> None:
    """Check disclosures against every rule; exit 1 if any error-level finding, 2 if an input is unreadable."""
    err = Console(stderr=True)
    try:
        cfg = load_config(config)
    except ConfigError as exc:
        err.print(f"[bold red]error:[/] {exc}", highlight=False)
        raise typer.Exit(2) from None
    inputs = expand_inputs(files)
    if not inputs:
        err.print("[bold red]error:[/] no .txt, .md or .pdf file to check.", highlight=False)
        raise typer.Exit(2)
    reports: list[DocumentReport] = []
    unreadable = 0
    for path in inputs:
        try:
            d = read_disclosure(path, ocr=ocr)
        except InputError as exc:
            err.print(f"[bold red]error:[/] {exc}", highlight=False)
            unreadable += 1
            continue
        reports.append(DocumentReport(source=path, meta=d.meta, findings=run(d, cfg)))
    _write(reports, format, output, err)
    if unreadable:
        raise typer.Exit(2)
    if any(f.severity == "error" for r in reports for f in r.findings):
        raise typer.Exit(1)


def _write(reports: list[DocumentReport], format: CheckFormat, output: Path | None, err: Console) -> None:
    if format is CheckFormat.json:
        text = to_json(reports)
    elif format is CheckFormat.csv:
        text = to_csv(reports)
    else:
        if output is None:
            render_text(reports, Console())
            return
        buffer = Console(record=True, width=120, file=io.StringIO())
        render_text(reports, buffer)
        text = buffer.export_text()
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        err.print(f"wrote {output}")


def rules(
    format: Annotated[RulesFormat, typer.Option("--format", "-f", help="text, json or markdown (docs/rules.md).")] = (RulesFormat.text),
) -> None:
    """List every rule: id, category, default severity, explanation, and what it enforces."""
    listed = all_rules()
    if format is RulesFormat.markdown:
        sys.stdout.write(rules_markdown(listed))
    elif format is RulesFormat.json:
        sys.stdout.write(rules_json(listed))
    else:
        render_rules(listed, Console())


def register(app: typer.Typer) -> None:
    """Add `check` and `rules` to the cnbudget app."""
    app.command("check")(check)
    app.command("rules")(rules)
