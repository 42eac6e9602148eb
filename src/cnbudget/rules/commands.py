"""The `check` and `rules` commands, added to the cnbudget Typer app by ``register(app)``.

Exit codes of `check`: 0 when no error-level finding, 1 when there are, 2 when an input (or the
configuration, or the prior document) could not be read — one sentence on stderr for each, never a
traceback. A directory stands for the disclosures directly in it (not in sub-folders: a reviewer keeps
one folder per batch); with ``-j N`` they are read and checked by N worker processes, results in the
order given, and a progress bar on stderr when stderr is a terminal.
"""

from __future__ import annotations

import io
import multiprocessing
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from cnbudget.errors import InputError
from cnbudget.model import Disclosure
from cnbudget.outfile import write_text_atomic
from cnbudget.pipeline import read_disclosure
from cnbudget.rules.findings import Finding
from cnbudget.rules.registry import Config, ConfigError, all_rules, load_config, run, sort_findings
from cnbudget.rules.report import DocumentReport, render_rules, render_text, rules_json, rules_markdown, to_csv, to_json
from cnbudget.safe_text import shown, utf8

SUFFIXES = (".txt", ".md", ".pdf")


class CheckFormat(StrEnum):
    text = "text"
    json = "json"
    csv = "csv"
    html = "html"
    xlsx = "xlsx"


class RulesFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


def expand_inputs(paths: list[str]) -> list[str]:
    """Files as given; a directory stands for every .txt/.md/.pdf directly in it (sorted; sub-folders are not entered)."""
    out: list[str] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            try:
                out.extend(str(f) for f in sorted(path.iterdir()) if f.is_file() and f.suffix.lower() in SUFFIXES)
            except OSError:
                out.append(p)  # an unreadable folder: reading it says why, in one sentence
        else:
            out.append(p)
    return out


# --- checking one document (in this process or a worker) ----------------------------------------


@dataclass
class Checked:
    """The outcome for one input: a report, or the one sentence saying why it could not be read."""

    source: str
    report: DocumentReport | None = None
    error: str = ""


def year_over_year(current: Disclosure, prior: Disclosure, config: Config) -> list[Finding]:
    """The year-over-year findings of ``current`` against ``prior``, disabled and re-graded as configured."""
    from cnbudget.rules import year_over_year as yoy

    pair = yoy.check_pair(current, prior, enabled=[r.id for r in yoy.RULES if r.id not in config.disable])

    def reported(rule_id: str) -> Callable[[Disclosure], list[Finding]]:
        return lambda _d: [f for f in pair if f.rule == rule_id]

    # through registry.run, so that disabling and re-grading work exactly as for every other rule
    return run(current, config, rules=[replace(r, check=reported(r.id)) for r in yoy.RULES])


def check_file(path: str, config: Config, ocr: bool = True, prior: Disclosure | None = None) -> Checked:
    """Read and check one file. Never raises: an unreadable file comes back with its error sentence."""
    try:
        d = read_disclosure(path, ocr=ocr)
        findings = run(d, config)
        if prior is not None:
            findings = sort_findings(findings + year_over_year(d, prior, config))
    except InputError as exc:
        return Checked(path, error=str(exc))
    except Exception as exc:  # a bug must not stop a batch: the file is reported as not checked (exit 2)
        return Checked(path, error=f"{Path(path).name} could not be checked ({type(exc).__name__}: {exc}).")
    return Checked(path, DocumentReport(source=path, meta=d.meta, findings=findings))


def check_all(
    inputs: Sequence[str],
    config: Config,
    *,
    ocr: bool = True,
    prior: Disclosure | None = None,
    jobs: int = 1,
    on_done: Callable[[Checked], None] | None = None,
) -> list[Checked]:
    """Check every input, in ``jobs`` worker processes when jobs > 1; results in input order."""
    done = on_done or (lambda _c: None)
    if jobs <= 1 or len(inputs) <= 1:
        results = []
        for path in inputs:
            results.append(check_file(path, config, ocr, prior))
            done(results[-1])
        return results
    by_future: dict[Future[Checked], int] = {}
    results_by_index: dict[int, Checked] = {}
    context = multiprocessing.get_context("spawn")  # no fork of a process running the progress bar's thread
    with ProcessPoolExecutor(max_workers=min(jobs, len(inputs)), mp_context=context) as pool:
        for i, path in enumerate(inputs):
            by_future[pool.submit(check_file, path, config, ocr, prior)] = i
        for future in as_completed(by_future):
            i = by_future[future]
            try:
                result = future.result()
            except Exception as exc:  # the worker process died (killed, out of memory)
                result = Checked(inputs[i], error=f"{Path(inputs[i]).name} could not be checked: the worker stopped ({exc}).")
            results_by_index[i] = result
            done(result)
    return [results_by_index[i] for i in range(len(inputs))]


# --- the command --------------------------------------------------------------------------------


def _fail(err: Console, message: str) -> typer.Exit:
    err.print(f"[bold red]error:[/] {shown(message)}", highlight=False, soft_wrap=True)
    return typer.Exit(2)


def _is_pdf(path: str) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(5) == b"%PDF-"
    except OSError:
        return Path(path).suffix.lower() == ".pdf"


def _same_file(a: str | Path, b: str | Path) -> bool:
    return Path(a).resolve() == Path(b).resolve()


def _validate(inputs: list[str], format: CheckFormat, output: Path | None, annotate: Path | None) -> str | None:
    """Why the options cannot be carried out, or None."""
    for target, option in ((output, "-o"), (annotate, "--annotate")):
        if target is not None and any(_same_file(target, i) for i in inputs):
            return f"{option} {target} is one of the inputs; cnbudget never overwrites a file it checks."
    if format is CheckFormat.xlsx and output is None:
        return "the xlsx report is a file: give -o REPORT.xlsx."
    if annotate is not None:
        if len(inputs) != 1:
            return f"--annotate draws on one PDF, but {len(inputs)} files were given; check them one at a time to annotate them."
        if not _is_pdf(inputs[0]):
            return f"--annotate draws on a PDF, and {Path(inputs[0]).name} is not one (a converted text has no pages to draw on)."
        if output is not None and _same_file(output, annotate):
            return "-o and --annotate name the same file."
    return None


def _progress(err: Console, total: int) -> Progress:
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
    files: Annotated[list[str], typer.Argument(help="Disclosures (PDF or converted text/markdown), or directories of them.")],
    format: Annotated[CheckFormat, typer.Option("--format", "-f", help="text, json, csv, html or xlsx.")] = CheckFormat.text,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the report here (required for xlsx).")] = None,
    config: Annotated[Path | None, typer.Option("--config", help="cnbudget.toml (default: ./cnbudget.toml or ./pyproject.toml).")] = None,
    ocr: Annotated[bool, typer.Option("--ocr/--no-ocr", help="OCR image-only PDF pages (default on).")] = True,
    prior: Annotated[
        Path | None, typer.Option("--prior", help="The same department's disclosure of the year before: adds the year-over-year checks.")
    ] = None,
    annotate: Annotated[
        Path | None, typer.Option("--annotate", help="Write a copy of the one input PDF with a box on every finding and an index page.")
    ] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Worker processes reading and checking files (1: in this process).")] = 1,
    exit_zero: Annotated[
        bool, typer.Option("--exit-zero", help="Exit 0 even when there are error-level findings (unreadable input still exits 2).")
    ] = False,
) -> None:
    """Check disclosures against every rule; exit 1 if any error-level finding, 2 if an input is unreadable."""
    err = Console(stderr=True)
    try:
        cfg = load_config(config)
    except ConfigError as exc:
        raise _fail(err, str(exc)) from None
    inputs = expand_inputs(files)
    if not inputs:
        raise _fail(err, "no .txt, .md or .pdf file to check.")
    problem = _validate(inputs, format, output, annotate)
    if problem:
        raise _fail(err, problem)
    prior_d: Disclosure | None = None
    if prior is not None:
        try:
            prior_d = read_disclosure(str(prior), ocr=ocr)
        except InputError as exc:
            raise _fail(err, f"the prior document cannot be used: {exc}") from None

    with _progress(err, len(inputs)) as progress:
        task = progress.add_task("", total=len(inputs))

        def done(c: Checked) -> None:
            if c.error:
                progress.console.print(f"[bold red]error:[/] {shown(c.error)}", highlight=False, soft_wrap=True)
            progress.update(task, advance=1, description=Path(c.source).name)

        results = check_all(inputs, cfg, ocr=ocr, prior=prior_d, jobs=jobs, on_done=done)
    reports = [c.report for c in results if c.report is not None]
    unreadable = [(c.source, c.error) for c in results if c.report is None]
    try:
        _write(reports, unreadable, format, output, err)
    except OSError as exc:
        raise _fail(err, f"the report cannot be written to {output}: {exc.strerror or exc}.") from None
    except InputError as exc:  # OutputError: one sentence already
        raise _fail(err, str(exc)) from None
    if annotate is not None:
        if not reports:
            raise _fail(err, f"no annotated copy was written to {annotate}: the PDF could not be read.")
        _annotate(reports[0], annotate, err)
    if unreadable:
        raise typer.Exit(2)
    if not exit_zero and any(f.severity == "error" for r in reports for f in r.findings):
        raise typer.Exit(1)


def _annotate(report: DocumentReport, out: Path, err: Console) -> None:
    import pypdfium2 as pdfium

    from cnbudget.render.annotate import annotate_pdf

    try:
        done = annotate_pdf(report.source, report, out)
    except (OSError, ValueError, pdfium.PdfiumError) as exc:
        raise _fail(err, f"the annotated copy cannot be written to {out}: {exc}.") from None
    err.print(
        f"wrote {shown(str(out))}: {done.boxes} finding(s) boxed, {done.index_only} listed on the index page only",
        highlight=False,
        soft_wrap=True,
    )


def _write(
    reports: list[DocumentReport], unreadable: list[tuple[str, str]], format: CheckFormat, output: Path | None, err: Console
) -> None:
    if format is CheckFormat.xlsx:
        from cnbudget.render.xlsx import write_xlsx

        assert output is not None  # checked by _validate
        write_xlsx(reports, output, unreadable)
        err.print(f"wrote {shown(str(output))}", highlight=False, soft_wrap=True)
        return
    if format is CheckFormat.json:
        text = to_json(reports)
    elif format is CheckFormat.csv:
        text = to_csv(reports)
    elif format is CheckFormat.html:
        from cnbudget.render.html import to_html

        text = to_html(reports, unreadable)
    else:
        if output is None:
            render_text(reports, Console())
            return
        buffer = Console(record=True, width=120, file=io.StringIO())
        render_text(reports, buffer)
        text = buffer.export_text()
    if output is None:
        sys.stdout.write(utf8(text))
    else:
        write_text_atomic(output, text)
        err.print(f"wrote {shown(str(output))}", highlight=False, soft_wrap=True)


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
