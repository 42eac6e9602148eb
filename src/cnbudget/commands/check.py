"""The `check` command.

Exit codes: 0 when no error-level finding, 1 when there are, 2 when an input (or the configuration,
or the prior document) could not be read — one sentence on stderr for each, never a traceback. A
directory stands for the disclosures directly in it (not in sub-folders: a reviewer keeps one folder
per batch); with ``-j N`` they are read and checked by N worker processes, results in the order
given, and a progress bar on stderr when stderr is a terminal. Only light modules are imported at
the top; the rules, the reader and the renderers load when the command runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, cast

import typer
from rich.console import Console

from cnbudget.i18n import Joined, Message, has, t
from cnbudget.reasons import pdf_reason
from cnbudget.render import formats
from cnbudget.safe_text import shown

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from cnbudget.api import Checked
    from cnbudget.commands.annotate_targets import Targets
    from cnbudget.model import Disclosure
    from cnbudget.render.formats import FindingsWriter
    from cnbudget.rules.report import DocumentReport
    from cnbudget.rules.review import ReviewFile

def _format_help(name: str, description: str) -> Message:
    what = Message(f"cli.formats.{name}") if has(f"cli.formats.{name}", "zh") else description
    return Message("cli.check.help_parts.format_item", name=name, what=what)


# rendered again in the language in force each time the help is shown
_FORMATS_HELP = Message(
    "cli.check.help_parts.format", formats=Joined("; ", tuple(_format_help(f.name, f.description) for f in formats.FORMATS.values()))
)
# the choices of --format are the registered formats (typer lists an Enum's values)
CheckFormat = StrEnum("CheckFormat", [(name, name) for name in formats.FORMATS])  # type: ignore[misc]
_TEXT = CheckFormat("text")
_NEEDS_FILE = ", ".join(f.name for f in formats.FORMATS.values() if f.needs_file)


def expand_inputs(paths: list[str], skipped: list[tuple[str, str]] | None = None) -> list[str]:
    """Files as given; a directory stands for every file directly in it of a format cnbudget reads (the one list
    `ingest` uses too: ``specs/corpus.json`` suffixes — pdf, txt, md, docx, doc, xlsx, xls, html, htm), sorted;
    sub-folders are not entered.

    What a directory holds and is not checked goes into ``skipped`` as (path, why).
    """
    from cnbudget.corpus.spec import readable_suffixes
    from cnbudget.i18n import t
    from cnbudget.rules.review import REVIEW_NAMES

    suffixes = readable_suffixes()
    out: list[str] = []
    for p in paths:
        path = Path(p)
        try:
            folder = path.is_dir()
        except OSError:  # a name the file system refuses: the reader says so in one sentence
            folder = False
        if not folder:
            out.append(p)
            continue
        for f in sorted(path.iterdir()):
            if f.is_file() and f.suffix.lower() in suffixes:
                out.append(str(f))
            elif skipped is None or f.name.startswith(".") or f.name in REVIEW_NAMES:
                continue
            elif f.is_dir():
                skipped.append((str(f), t("check.skipped_folder")))
            else:
                skipped.append((str(f), t("check.skipped_suffix", suffix=f.suffix or "—", suffixes=" ".join(suffixes))))
    return out


# --- the command --------------------------------------------------------------------------------


def _unwritable(output: Path | None, exc: OSError) -> str:
    from cnbudget.outfile import reason

    return t("errors.output.report", path=output, why=reason(exc, Path(output or ".")))


def _fail(err: Console, message: str) -> typer.Exit:
    err.print(f"[bold red]{shown(t('errors.prefix'))}[/] {shown(message)}", highlight=False, soft_wrap=True)
    return typer.Exit(2)


def _same_file(a: str | Path, b: str | Path) -> bool:
    return Path(a).resolve() == Path(b).resolve()


def _validate(inputs: list[str], format: str, output: Path | None) -> str | None:
    """Why the options cannot be carried out, or None (--annotate: annotate_targets.plan)."""
    if output is not None and any(_same_file(output, i) for i in inputs):
        return t("cli.error.overwrite", option="-o", target=output)
    fmt = formats.get(format)
    if fmt.needs_file and output is None:
        return t("cli.error.needs_file", format=format, suffix=fmt.suffix or format)
    return None


class _Quiet:
    """The progress line where none is drawn (stderr is no terminal, or one file without page progress):
    the same calls, nothing shown, and rich's progress machinery not imported."""

    disable = True  # as a disabled rich Progress says

    def __init__(self, console: Console) -> None:
        self.console = console

    def __enter__(self) -> _Quiet:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def add_task(self, description: str, **fields: object) -> TaskID:
        return cast("TaskID", 0)

    def update(self, task: TaskID, **fields: object) -> None:
        return None

    def remove_task(self, task: TaskID) -> None:
        return None


def _progress(err: Console, total: int, pages: bool = False) -> Progress | _Quiet:
    """The progress line on stderr, on a terminal only: files checked (several files) and, with ``pages``,
    the pages of the PDF being read (OCR takes seconds a page)."""
    if not (err.is_terminal and (total > 1 or pages)):
        return _Quiet(err)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("[bold]{task.fields[what]}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=err,
        transient=True,
    )


def _interrupted(err: Console, done: int, total: int, output: Path | None) -> typer.Exit:
    """Ctrl-C: one sentence (what was finished, that no half report was left), exit code 130, no traceback."""
    key = "check.interrupted_file" if output is not None else "check.interrupted"
    err.print(shown(t(key, done=done, total=total, path=str(output))), highlight=False, soft_wrap=True)
    return typer.Exit(130)


class _PageLine:
    """Follows the pages a PDF reader announces (cnbudget.ingest.progress) on the progress line."""

    def __init__(self, progress: Progress | _Quiet) -> None:
        self.progress = progress
        self.task: TaskID | None = None

    def __call__(self, source: str, page: int, pages: int, ocr: bool) -> None:
        from cnbudget.model import source_name

        what = t("check.progress.ocr") if ocr else t("check.progress.reading")
        if self.task is None:
            self.task = self.progress.add_task(source_name(source), total=pages, what=what)
        self.progress.update(self.task, completed=page, total=pages, what=what, description=source_name(source))
        if page >= pages:
            self.progress.remove_task(self.task)
            self.task = None


def check(
    files: Annotated[list[str], typer.Argument(help=Message("cli.check.files"))],
    format: Annotated[CheckFormat, typer.Option("--format", "-f", help=_FORMATS_HELP)] = _TEXT,
    output: Annotated[Path | None, typer.Option("--output", "-o", help=Message("cli.check.output", formats=_NEEDS_FILE))] = None,
    config: Annotated[Path | None, typer.Option("--config", help=Message("cli.check.config"))] = None,
    ocr: Annotated[bool, typer.Option("--ocr/--no-ocr", help=Message("cli.ocr"))] = True,
    prior: Annotated[
        Path | None, typer.Option("--prior", help=Message("cli.check.prior"))
    ] = None,
    annotate: Annotated[
        Path | None, typer.Option("--annotate", help=Message("cli.check.annotate"))
    ] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help=Message("cli.check.jobs"))] = 1,
    exit_zero: Annotated[
        bool, typer.Option("--exit-zero", help=Message("cli.check.exit_zero"))
    ] = False,
    review: Annotated[
        Path | None,
        typer.Option("--review", help=Message("cli.check.more.review")),
    ] = None,
    statistics: Annotated[
        bool, typer.Option("--statistics", help=Message("cli.check.more.statistics"))
    ] = False,
    force_prior: Annotated[
        bool, typer.Option("--force-prior", help=Message("cli.check.more.force_prior"))
    ] = False,
) -> None:
    """Check disclosures against every rule; exit 1 if any error-level finding, 2 if an input is unreadable."""
    from cnbudget.api import check_each, read
    from cnbudget.errors import InputError
    from cnbudget.i18n import t
    from cnbudget.ingest.progress import listening
    from cnbudget.model import source_name
    from cnbudget.rules.registry import ConfigError, load_config
    from cnbudget.rules.review import ReviewError

    err = Console(stderr=True)
    try:
        cfg = load_config(config)
    except ConfigError as exc:
        raise _fail(err, str(exc)) from None
    skipped: list[tuple[str, str]] = []
    inputs = expand_inputs(files, skipped)
    for path, why in skipped:
        err.print(shown(t("check.skipped", file=path, why=why)), highlight=False, soft_wrap=True)
    if not inputs:
        from cnbudget.corpus.spec import readable_suffixes

        raise _fail(err, t("errors.no_files_to_check", suffixes=" ".join(readable_suffixes())))
    problem = _validate(inputs, str(format), output)
    targets = None
    if problem is None and annotate is not None:
        from cnbudget.commands.annotate_targets import note, plan

        planned = plan(files, inputs, annotate, output)
        problem, targets = (planned, None) if isinstance(planned, str) else (None, planned)
        for sentence in targets.skipped if targets is not None else ():
            note(err, sentence)
    if problem:
        raise _fail(err, problem)
    try:
        review_file = _review_file(review, inputs)
    except ReviewError as exc:
        raise _fail(err, str(exc)) from None
    prior_d = None
    if prior is not None:
        try:
            prior_d = read(prior, ocr=ocr)
        except KeyboardInterrupt:
            raise _interrupted(err, 0, len(inputs), output) from None
        except InputError as exc:
            raise _fail(err, t("errors.prior_unusable", why=exc)) from None
        if not force_prior:
            refused = _prior_refused(inputs, prior_d, ocr)
            if refused:
                raise _fail(err, refused)

    quiet = statistics and output is None
    try:
        writer = formats.get(str(format)).open(output) if not quiet else formats.NullWriter(None)
    except OSError as exc:
        raise _fail(err, _unwritable(output, exc)) from None
    outcome = _Outcome(review=review_file, targets=targets)
    done = 0
    in_process = jobs <= 1 or len(inputs) <= 1  # page progress comes from a reader in this process only
    try:
        with _progress(err, len(inputs), pages=in_process) as progress, listening(_PageLine(progress)):
            task = progress.add_task("", total=len(inputs), what=t("check.progress.checking"), visible=len(inputs) > 1)
            for c in check_each(inputs, cfg, ocr=ocr, prior=prior_d, jobs=jobs):
                outcome.take(c, writer)
                done += len(c.sources)
                if c.error:
                    progress.console.print(f"[bold red]{shown(t('errors.prefix'))}[/] {shown(c.error)}", highlight=False, soft_wrap=True)
                progress.update(task, advance=len(c.sources), description=source_name(c.source))
        writer.close()
    except OSError as exc:
        writer.abort()
        raise _fail(err, _unwritable(output, exc)) from None
    except KeyboardInterrupt:
        writer.abort()
        raise _interrupted(err, done, len(inputs), output) from None
    except BaseException:
        writer.abort()
        raise
    if output is not None:
        err.print(shown(t("check.wrote", path=str(output))), highlight=False, soft_wrap=True)
    if statistics:
        from cnbudget.render.report import write_statistics

        write_statistics(outcome.per_rule)
    if targets is not None and targets.folder is None:
        if not outcome.annotate:
            raise _fail(err, t("annotate.cli.unreadable_one", file=annotate))
        source, report = outcome.annotate[0]
        _annotate(report, targets.outputs[source], err)
    elif targets is not None:
        from cnbudget.commands.annotate_targets import write_all

        if not write_all(targets, outcome.annotate, outcome.parts, err):
            raise typer.Exit(2)
    if outcome.unreadable:
        raise typer.Exit(2)
    if not exit_zero and outcome.errors:
        raise typer.Exit(1)


@dataclass
class _Outcome:
    """What the exit code and --annotate need from a batch, kept while its reports are written and let go."""

    unreadable: int = 0
    errors: int = 0
    review: ReviewFile | None = None
    per_rule: dict[tuple[str, str], int] = field(default_factory=dict)  # (rule, severity) -> findings counted
    targets: Targets | None = None  # --annotate: the copies to write
    annotate: list[tuple[str, DocumentReport]] = field(default_factory=list)  # (input, report) of each PDF to annotate
    parts: set[str] = field(default_factory=set)  # inputs read as parts of one disclosure

    def take(self, c: Checked, writer: FindingsWriter) -> None:
        if c.report is None:
            self.unreadable += 1
            writer.unreadable(c.source, c.error)
            return
        report = c.report.reviewed(self.review) if self.review is not None else c.report
        self.errors += sum(1 for f in report.findings if f.severity == "error")
        for f in report.findings:
            self.per_rule[(f.rule, f.severity)] = self.per_rule.get((f.rule, f.severity), 0) + 1
        writer.add(report)
        if len(c.sources) > 1:
            self.parts.update(c.sources)
        if self.targets is not None and self.targets.output(c.source) is not None:
            self.annotate.append((c.source, report))


def _review_file(given: Path | None, inputs: list[str]) -> ReviewFile | None:
    """The review state in force: the --review file (which must exist), else the one next to the documents."""
    from cnbudget.reasons import os_reason
    from cnbudget.rules.review import ReviewError, find_review, load_review

    try:
        missing = given is not None and not given.is_file()
    except OSError as exc:  # a name the file system refuses (too long, …)
        raise ReviewError(t("errors.review.cannot_read", path=given, why=os_reason(exc))) from None
    if missing:
        raise ReviewError(t("errors.review.not_found", path=given))
    path = given if given is not None else find_review(inputs)
    return load_review(path) if path is not None else None


def _prior_refused(inputs: list[str], prior: Disclosure, ocr: bool) -> str | None:
    """Why --prior cannot be the year before of the documents checked (another department, not year − 1), or None."""
    from cnbudget.api import read
    from cnbudget.errors import InputError
    from cnbudget.i18n import t
    from cnbudget.rules.identity import same_department

    pm = prior.meta
    for path in inputs:
        try:
            m = read(path, ocr=ocr).meta
        except InputError:
            continue  # reported as unreadable by the run itself
        name = Path(path).name
        if pm.department and m.department and not same_department(pm.department, m.department):
            return t("check.prior_department", prior=pm.department, file=name, department=m.department)
        if pm.year is not None and m.year is not None and pm.year != m.year - 1:
            return t("check.prior_year", prior=pm.year, file=name, year=m.year, expected=m.year - 1)
    return None


def _annotate(report: DocumentReport, out: Path, err: Console) -> None:
    import pypdfium2 as pdfium

    from cnbudget.outfile import reason
    from cnbudget.render.annotate import annotate_pdf

    try:
        done = annotate_pdf(report.source, report, out)
    except OSError as exc:
        raise _fail(err, t("annotate.cli.cannot_write", file=out, reason=reason(exc, out))) from None
    except (ValueError, pdfium.PdfiumError) as exc:
        raise _fail(err, t("annotate.cli.cannot_write", file=out, reason=pdf_reason(exc))) from None
    err.print(
        shown(t("annotate.cli.wrote", file=out, boxes=done.boxes, index_only=done.index_only, comments=done.comments)),
        highlight=False,
        soft_wrap=True,
    )
