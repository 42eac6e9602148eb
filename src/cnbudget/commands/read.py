"""The reading commands: parse, tables, export, schema, version.

Every command reads through the same path (``api.read``), so a file that cannot be read gets the
same one-sentence error and exit code 2 everywhere. Only light modules are imported at the top: the
signatures are all typer needs to build the command line.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from cnbudget import __version__
from cnbudget.i18n import Message
from cnbudget.i18n import t as _t
from cnbudget.safe_text import shown, utf8

if TYPE_CHECKING:
    from rich.tree import Tree

    from cnbudget.model import Disclosure, Section

console = Console()
err = Console(stderr=True)


def _load(path: str, ocr: bool = True) -> Disclosure:
    from cnbudget.api import read
    from cnbudget.errors import InputError

    try:
        return read(path, ocr=ocr)
    except InputError as exc:
        err.print(f"[bold red]{shown(_t('errors.prefix'))}[/] {shown(exc)}", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None


class ParseFormat(StrEnum):
    text = "text"
    json = "json"


class ExportFormat(StrEnum):
    facts = "facts"
    json = "json"


OcrOption = Annotated[bool, typer.Option("--ocr/--no-ocr", help=Message("cli.ocr"))]


def parse(
    file: Annotated[str, typer.Argument(help=Message("cli.file"))],
    format: Annotated[
        ParseFormat, typer.Option("--format", "-f", help=Message("cli.parse.format"))
    ] = ParseFormat.text,
    ocr: OcrOption = True,
) -> None:
    """Summarise what was read: meta, sections, tables, facts, forms, and what is absent."""
    from rich.table import Table as RichTable
    from rich.tree import Tree

    d = _load(file, ocr)
    if format is ParseFormat.json:
        sys.stdout.write(utf8(d.model_dump_json(indent=1)) + "\n")
        return
    m = d.meta
    console.print(f"[bold]{shown(Path(file).name)}[/]  ({d.format})")
    console.print("  " + shown(_t("parse.meta_1", department=m.department or "—", region=m.region or "—")))
    console.print("  " + shown(_t("parse.meta_2", year=m.year or "—", kind=m.kind or "—", scope=m.scope or "—")))
    if m.standard:
        console.print("  " + shown(_t("parse.standard", standard=m.standard)))
    grid = RichTable(title=_t("parse.tables"), show_lines=False)
    for col in ("spec", "name", "title", "unit", "rows", "pieces", "note"):
        grid.add_column(_t(f"parse.col.{col}"))
    for t in d.tables:
        note = (_t("parse.empty") if t.empty else "") + t.note[:40]
        grid.add_row(*(shown(v) for v in (t.spec_id, t.name, t.title, t.unit or "—", str(len(t.rows)), str(t.parts), note)))
    console.print(grid)
    if d.performance:
        counts: dict[str, int] = {}
        for f in d.performance:
            counts[f.kind] = counts.get(f.kind, 0) + 1
        console.print(shown(_t("parse.forms", forms=", ".join(f"{_t(f'parse.form.{k}')} ×{v}" for k, v in counts.items()))))
    if d.sections:
        tree = Tree(_t("parse.sections"))
        _add_sections(tree, d.sections)
        console.print(tree)
    console.print(shown(_t("parse.facts", count=len(d.facts))))
    if d.absent:
        console.print(f"[bold yellow]{shown(_t('parse.absent'))}[/]")
        for a in d.absent:
            console.print(f"  - {shown(a.what)}: {shown(_t(f'absence.{a.code}', detail=a.detail))}")
    for note in d.notes:
        console.print(f"[yellow]{shown(_t('parse.note'))}[/] {shown(note)}")


def _add_sections(tree: Tree, sections: list[Section]) -> None:
    for s in sections:
        branch = tree.add(shown(f"{s.number} {s.title}".strip()))
        _add_sections(branch, s.children)


def tables(
    file: Annotated[str, typer.Argument(help=Message("cli.file"))],
    table: Annotated[str | None, typer.Option("--table", "-t", help=Message("cli.tables.table"))] = None,
    ocr: OcrOption = True,
) -> None:
    """Show each recognised table as a grid: canonical column key above the printed header path."""
    from rich.cells import cell_len
    from rich.table import Table as RichTable

    d = _load(file, ocr)
    chosen = [t for t in d.tables if table is None or table in (t.name, t.spec_id, t.title)]
    if table is not None and not chosen:
        found = ", ".join(t.name for t in d.tables)
        said = _t("errors.no_table", table=repr(table), found=found)
        err.print(f"[bold red]{shown(_t('errors.prefix'))}[/] {shown(said)}", highlight=False, soft_wrap=True)
        raise typer.Exit(2)
    for t in chosen:
        value_cols = [c for c in t.columns if c.role in ("value", "other", "note")]
        grid = RichTable(title=shown(f"{t.spec_id} {t.name} — {t.title} (单位：{t.unit or '—'})"), show_lines=False)
        for col in ("side", "code", "label"):
            grid.add_column(_t(f"parse.col.{col}"))
        rows = []
        for r in t.rows:
            by_path = {v.path: v.text for v in r.values}
            cells = (by_path.get(c.path, "") if c.side in ("", r.side) else "" for c in value_cols)
            rows.append([shown(x) for x in (r.side, r.code, r.label, *cells)])
        # amounts are never cut short: each value column is at least as wide as its longest cell and
        # folds rather than ending in '…'; off a terminal the table gets the width it needs
        widths = [max((cell_len(row[i]) for row in rows), default=0) for i in range(3 + len(value_cols))]
        headers = [max(cell_len(c.key), cell_len(c.path)) for c in value_cols]
        for c, width in zip(value_cols, widths[3:], strict=True):
            grid.add_column(f"{shown(c.key)}\n[dim]{shown(c.path)}[/]", justify="right", no_wrap=True, min_width=width, overflow="fold")
        for row in rows:
            grid.add_row(*row)
        out = console
        needed = sum(max(w, h) for w, h in zip(widths, [4, 4, 5, *headers], strict=True)) + 3 * len(widths) + 1
        if not console.is_terminal and console.width < needed:
            out = Console(width=needed, highlight=False)
        out.print(grid)
        if t.note:
            console.print(f"  {shown(t.note)}")


def export(
    file: Annotated[str, typer.Argument(help=Message("cli.file"))],
    format: Annotated[
        ExportFormat, typer.Option("--format", "-f", help=Message("cli.export.format"))
    ] = ExportFormat.facts,
    output: Annotated[Path | None, typer.Option("--output", "-o", help=Message("cli.export.output"))] = None,
    ocr: OcrOption = True,
) -> None:
    """Export every value with its provenance."""
    from cnbudget.errors import InputError
    from cnbudget.outfile import write_text_atomic
    from cnbudget.render.facts import facts_csv
    from cnbudget.render.report import BOM

    d = _load(file, ocr)
    text = facts_csv(d, numeric=True) if format is ExportFormat.facts else d.model_dump_json(indent=1) + "\n"
    if output is None:
        sys.stdout.write(utf8(text))
    else:
        try:
            # a CSV file starts with a BOM so that Excel on Chinese Windows reads it as UTF-8
            write_text_atomic(output, (BOM if format is ExportFormat.facts else "") + text)
        except InputError as exc:
            err.print(f"[bold red]{shown(_t('errors.prefix'))}[/] {shown(exc)}", highlight=False, soft_wrap=True)
            raise typer.Exit(2) from None
        err.print(shown(_t("check.wrote", path=output)), highlight=False, soft_wrap=True)


def schema() -> None:
    """Print the JSON schema of the Disclosure (the contract of `parse --format json`)."""
    from cnbudget.model import Disclosure

    sys.stdout.write(json.dumps(Disclosure.model_json_schema(), ensure_ascii=False, indent=1) + "\n")


def version() -> None:
    """Print the version."""
    console.print(__version__)
