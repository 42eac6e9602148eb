"""The `check` command.

Exit codes: 0 when no error-level finding, 1 when there are, 2 when an input (or the configuration,
or the prior document) could not be read — one sentence on stderr for each, never a traceback. A
directory stands for the disclosures directly in it (not in sub-folders: a reviewer keeps one folder
per batch); with ``-j N`` they are read and checked by N worker processes, results in the order
given, and a progress bar on stderr when stderr is a terminal. Only light modules are imported at
the top; the rules, the reader and the renderers load when the command runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape

from cnbudget.i18n import has, lang, t
from cnbudget.render import formats

if TYPE_CHECKING:
    from rich.progress import Progress

    from cnbudget.api import Checked
    from cnbudget.render.formats import FindingsWriter
    from cnbudget.rules.report import DocumentReport

SUFFIXES = (".txt", ".md", ".pdf")
_FORMATS_HELP = "; ".join(
    f"{f.name}: {t(f'cli.formats.{f.name}') if has(f'cli.formats.{f.name}', lang()) else f.description}" for f in formats.FORMATS.values()
) + "."
# the choices of --format are the registered formats (typer lists an Enum's values)
CheckFormat = StrEnum("CheckFormat", [(name, name) for name in formats.FORMATS])  # type: ignore[misc]
_TEXT = CheckFormat("text")
_NEEDS_FILE = ", ".join(f.name for f in formats.FORMATS.values() if f.needs_file)


def expand_inputs(paths: list[str]) -> list[str]:
    """Files as given; a directory stands for every .txt/.md/.pdf directly in it (sorted; sub-folders are not entered)."""
    out: list[str] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            out.extend(str(f) for f in sorted(path.iterdir()) if f.is_file() and f.suffix.lower() in SUFFIXES)
        else:
            out.append(p)
    return out


# --- the command --------------------------------------------------------------------------------


def _fail(err: Console, message: str) -> typer.Exit:
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    return typer.Exit(2)


def _is_pdf(path: str) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(5) == b"%PDF-"
    except OSError:
        return Path(path).suffix.lower() == ".pdf"


def _same_file(a: str | Path, b: str | Path) -> bool:
    return Path(a).resolve() == Path(b).resolve()


def _validate(inputs: list[str], format: str, output: Path | None, annotate: Path | None) -> str | None:
    """Why the options cannot be carried out, or None."""
    for target, option in ((output, "-o"), (annotate, "--annotate")):
        if target is not None and any(_same_file(target, i) for i in inputs):
            return t("cli.error.overwrite", option=option, target=target)
    if formats.get(format).needs_file and output is None:
        return t("cli.error.needs_file", format=format)
    if annotate is not None:
        if len(inputs) != 1:
            return t("cli.error.annotate_many", count=len(inputs))
        if not _is_pdf(inputs[0]):
            return t("cli.error.annotate_not_pdf", name=Path(inputs[0]).name)
        if output is not None and _same_file(output, annotate):
            return t("cli.error.same_output")
    return None


def _progress(err: Console, total: int) -> Progress:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("[bold]checking"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=err,
        transient=True,
        disable=not (err.is_terminal and total > 1),
    )


def check(
    files: Annotated[list[str], typer.Argument(help=t("cli.check.files"))],
    format: Annotated[CheckFormat, typer.Option("--format", "-f", help=_FORMATS_HELP)] = _TEXT,
    output: Annotated[Path | None, typer.Option("--output", "-o", help=t("cli.check.output", formats=_NEEDS_FILE))] = None,
    config: Annotated[Path | None, typer.Option("--config", help=t("cli.check.config"))] = None,
    ocr: Annotated[bool, typer.Option("--ocr/--no-ocr", help=t("cli.ocr"))] = True,
    prior: Annotated[
        Path | None, typer.Option("--prior", help=t("cli.check.prior"))
    ] = None,
    annotate: Annotated[
        Path | None, typer.Option("--annotate", help=t("cli.check.annotate"))
    ] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help=t("cli.check.jobs"))] = 1,
    exit_zero: Annotated[
        bool, typer.Option("--exit-zero", help=t("cli.check.exit_zero"))
    ] = False,
) -> None:
    """Check disclosures against every rule; exit 1 if any error-level finding, 2 if an input is unreadable."""
    from cnbudget.api import check_each, read
    from cnbudget.errors import InputError
    from cnbudget.model import source_name
    from cnbudget.rules.registry import ConfigError, load_config

    err = Console(stderr=True)
    try:
        cfg = load_config(config)
    except ConfigError as exc:
        raise _fail(err, str(exc)) from None
    inputs = expand_inputs(files)
    if not inputs:
        raise _fail(err, "no .txt, .md or .pdf file to check.")
    problem = _validate(inputs, str(format), output, annotate)
    if problem:
        raise _fail(err, problem)
    prior_d = None
    if prior is not None:
        try:
            prior_d = read(prior, ocr=ocr)
        except InputError as exc:
            raise _fail(err, f"the prior document cannot be used: {exc}") from None

    try:
        writer = formats.get(str(format)).open(output)
    except OSError as exc:
        raise _fail(err, f"the report cannot be written to {output}: {exc.strerror or exc}.") from None
    outcome = _Outcome()
    try:
        with _progress(err, len(inputs)) as progress:
            task = progress.add_task("", total=len(inputs))
            for c in check_each(inputs, cfg, ocr=ocr, prior=prior_d, jobs=jobs):
                outcome.take(c, writer)
                if c.error:
                    progress.console.print(f"[bold red]error:[/] {escape(c.error)}", highlight=False, soft_wrap=True)
                progress.update(task, advance=len(c.sources), description=source_name(c.source))
        writer.close()
    except OSError as exc:
        writer.abort()
        raise _fail(err, f"the report cannot be written to {output}: {exc.strerror or exc}.") from None
    except BaseException:
        writer.abort()
        raise
    if output is not None:
        err.print(f"wrote {escape(str(output))}", highlight=False, soft_wrap=True)
    if annotate is not None:
        if outcome.first is None:
            raise _fail(err, f"no annotated copy was written to {annotate}: the PDF could not be read.")
        _annotate(outcome.first, annotate, err)
    if outcome.unreadable:
        raise typer.Exit(2)
    if not exit_zero and outcome.errors:
        raise typer.Exit(1)


@dataclass
class _Outcome:
    """What the exit code and --annotate need from a batch, kept while its reports are written and let go."""

    first: DocumentReport | None = None
    unreadable: int = 0
    errors: int = 0

    def take(self, c: Checked, writer: FindingsWriter) -> None:
        if c.report is None:
            self.unreadable += 1
            writer.unreadable(c.source, c.error)
            return
        self.first = self.first or c.report
        self.errors += sum(1 for f in c.report.findings if f.severity == "error")
        writer.add(c.report)


def _annotate(report: DocumentReport, out: Path, err: Console) -> None:
    import pypdfium2 as pdfium

    from cnbudget.render.annotate import annotate_pdf

    try:
        done = annotate_pdf(report.source, report, out)
    except (OSError, ValueError, pdfium.PdfiumError) as exc:
        raise _fail(err, f"the annotated copy cannot be written to {out}: {exc}.") from None
    err.print(
        f"wrote {escape(str(out))}: {done.boxes} finding(s) boxed, {done.index_only} listed on the index page only",
        highlight=False,
        soft_wrap=True,
    )
