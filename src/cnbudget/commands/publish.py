"""The `template`, `build` and `learn-codes` commands (the publish subsystem loads only when one of them runs).

Exit codes of `build`: 0 when the package was written (warnings, such as 尾数差异, are printed),
2 when the workbook has errors (every one is listed with its sheet and cell, and nothing is
written) or an input cannot be read.
"""

from __future__ import annotations

import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from cnbudget.i18n import Message, t
from cnbudget.publish.writers import FORMATS
from cnbudget.safe_text import shown

console = Console()
err = Console(stderr=True)


class KindChoice(StrEnum):
    budget = "预算"
    final = "决算"


def _fail(message: str) -> typer.Exit:
    err.print(f"[bold red]{shown(t('errors.prefix'))}[/] {shown(message)}", highlight=False, soft_wrap=True)
    return typer.Exit(2)


def template(
    kind: Annotated[KindChoice, typer.Option("--kind", "-k", help=Message("cli.template.kind"))],
    year: Annotated[int, typer.Option("--year", "-y", help=Message("cli.template.year"), min=2000, max=2100)],
    output: Annotated[Path | None, typer.Option("--output", "-o", help=Message("cli.template.output"))] = None,
    department: Annotated[str, typer.Option("--department", "-d", help=Message("cli.template.department"))] = "",
    force: Annotated[bool, typer.Option("--force", help=Message("cli.template.force"))] = False,
) -> None:
    """Write an empty workbook for a 预算 or 决算 that a finance officer fills in Excel or WPS."""
    from cnbudget.errors import InputError
    from cnbudget.publish.workbook import write_template

    path = output or Path(f"{year}{kind.value}.xlsx")
    if path.exists() and not force:
        raise _fail(t("errors.publish.exists", path=path))
    try:
        write_template(path, kind.value, year, department)
    except InputError as exc:
        raise _fail(str(exc)) from None
    console.print(shown(t("publish.wrote_template", path=str(path))), soft_wrap=True)


def _os_sentence(exc: OSError) -> str:
    """One sentence for an OSError no reader turned into one: the path it names and why."""
    from cnbudget.reasons import os_reason

    return t("errors.more.os", path=exc.filename or "", why=os_reason(exc))


def build(
    workbook: Annotated[Path | None, typer.Argument(help=Message("cli.build.workbook"))] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help=Message("cli.build.output"))] = Path("."),
    from_json: Annotated[
        Path | None, typer.Option("--from", help=Message("cli.build.from_json"))
    ] = None,
    formats: Annotated[
        list[str] | None, typer.Option("--format", "-f", help=Message("cli.build.formats", formats=", ".join(FORMATS)))
    ] = None,
) -> None:
    """Check a filled workbook and write the disclosure: standard tables, 情况说明, 名词解释, forms (xlsx, docx, pdf, html, json)."""
    from cnbudget.api import build_from
    from cnbudget.errors import InputError
    from cnbudget.publish.build import build_from_workbook
    from cnbudget.publish.inputs import WorkbookInvalid

    chosen = tuple(formats) if formats else FORMATS
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown:
        raise _fail(t("errors.publish.unknown_format", formats=", ".join(unknown), choices=", ".join(FORMATS)))
    if (workbook is None) == (from_json is None):
        raise _fail(t("errors.publish.one_source"))
    started = time.perf_counter()
    try:
        if from_json is not None:
            package = build_from(from_json, output, formats=chosen)
        else:
            assert workbook is not None
            package = build_from_workbook(workbook, output, chosen)
    except WorkbookInvalid as exc:
        for issue in exc.issues:
            colour = "red" if issue.severity == "error" else "yellow"
            err.print(f"[{colour}]{shown(str(issue))}[/]", highlight=False, soft_wrap=True)
        raise _fail(str(exc)) from None
    except InputError as exc:
        raise _fail(str(exc)) from None
    except OSError as exc:  # a path the file system refuses before the builder could say which (too long, …)
        raise _fail(_os_sentence(exc)) from None
    for warning in package.warnings:
        err.print(f"[yellow]{shown(str(warning))}[/]", highlight=False, soft_wrap=True)
    for note in package.notes:
        err.print(shown(str(note)), highlight=False, soft_wrap=True)
    d = package.disclosure
    seconds = f"{time.perf_counter() - started:.1f}"
    built = t("publish.built", department=d.meta.department, year=d.meta.year, kind=d.meta.kind, tables=len(d.tables),
              facts=len(d.facts), forms=len(d.performance), seconds=seconds)
    console.print(shown(built))
    for fmt, path in package.files.items():
        console.print(f"  {fmt:5} {shown(str(path))}")


def learn_codes(
    folder: Annotated[Path, typer.Argument(help=Message("cli.learn-codes.folder"))],
    output: Annotated[Path, typer.Option("--output", "-o", help=Message("cli.learn-codes.output"))] = Path("codes.csv"),
) -> None:
    """Add the code–name pairs the disclosures in FOLDER print (with year and source) to a code list;
    set CNBUDGET_CODES to it and `template` / `build` know those codes."""
    from cnbudget.api import read
    from cnbudget.errors import InputError
    from cnbudget.i18n import t
    from cnbudget.publish.learned_codes import ENV as LEARNED_ENV
    from cnbudget.publish.learned_codes import learn, write

    try:
        found = learn(folder, read)
        added = write(output, found)
    except InputError as exc:
        raise _fail(str(exc)) from None
    except OSError as exc:
        raise _fail(_os_sentence(exc)) from None
    console.print(t("publish.learn.done", seen=len(found), added=added, path=output, env=LEARNED_ENV), soft_wrap=True, highlight=False)
