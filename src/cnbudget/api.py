"""The public API: read, check and build as plain functions.

The CLI, the tests and anyone embedding cnbudget call these::

    from cnbudget import api
    d = api.read("部门决算.pdf")
    for report in api.check(["a.pdf", "b.pdf"], prior="last-year.pdf"):
        print(report.source, len(report.findings))
    api.build("2025决算.xlsx", "out/")

Heavy subsystems are imported inside the functions, so that importing this module (as a `-j` worker
does) costs next to nothing. Unreadable input raises ``InputError`` with one sentence;
``check_each`` is the batch form that never raises and can run in worker processes.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cnbudget.i18n import Message, lang

if TYPE_CHECKING:
    from cnbudget.model import Disclosure
    from cnbudget.publish.build import Package
    from cnbudget.rules.registry import Config
    from cnbudget.rules.report import DocumentReport

Source = str | Path


def read(path: Source, *, ocr: bool = True) -> Disclosure:
    """Read a PDF or converted text into a Disclosure; InputError for anything unreadable."""
    from cnbudget.pipeline import read_disclosure

    return read_disclosure(str(path), ocr=ocr)


def _config(config: Config | Source | None) -> Config:
    from cnbudget.rules.registry import Config, load_config

    if config is None:
        return Config()
    if isinstance(config, Config):
        return config
    return load_config(config)


def check_one(
    document: Source | Disclosure, *, prior: Disclosure | None = None, config: Config | None = None, ocr: bool = True
) -> DocumentReport:
    """Every finding for one document (a path, or a Disclosure already read); InputError if unreadable."""
    from cnbudget.model import Disclosure
    from cnbudget.rules.identity import with_ids
    from cnbudget.rules.outline import outline
    from cnbudget.rules.registry import check_document
    from cnbudget.rules.report import DocumentReport

    cfg = config or _config(None)
    if isinstance(document, Disclosure):
        d, source = document, document.source
    else:
        d, source = read(document, ocr=ocr), str(document)
    result = check_document(d, cfg, prior)
    findings = with_ids(result.findings, d.meta, source)
    return DocumentReport(source=source, meta=d.meta, findings=findings, coverage=result.coverage, outline=outline(d))


def check(
    documents: Source | Disclosure | Iterable[Source | Disclosure],
    *,
    prior: Source | Disclosure | None = None,
    config: Config | Source | None = None,
    ocr: bool = True,
) -> list[DocumentReport]:
    """One report per document, in the order given. ``config`` is a Config or a cnbudget.toml path."""
    from cnbudget.model import Disclosure

    items: list[Source | Disclosure] = [documents] if isinstance(documents, str | Path | Disclosure) else list(documents)
    prior_d = prior if prior is None or isinstance(prior, Disclosure) else read(prior, ocr=ocr)
    cfg = _config(config)
    return [check_one(item, prior=prior_d, config=cfg, ocr=ocr) for item in items]


def build(workbook: Source | Disclosure, outdir: Source, *, formats: Sequence[str] | None = None) -> Package:
    """Write the whole disclosure package from a filled workbook, a Disclosure JSON file or a Disclosure."""
    from cnbudget.model import Disclosure
    from cnbudget.publish.build import FORMATS, Package, build_document, build_from_disclosure, build_from_workbook, write_package

    chosen = tuple(formats) if formats else FORMATS
    out = Path(outdir)
    if isinstance(workbook, Disclosure):
        doc = build_document(workbook)
        return Package(disclosure=workbook, document=doc, files=write_package(workbook, doc, out, chosen))
    path = Path(workbook)
    if path.suffix.lower() == ".json":
        return build_from_disclosure(path, out, chosen)
    return build_from_workbook(path, out, chosen)


def build_from(source: Source, outdir: Source, *, formats: Sequence[str] | None = None) -> Package:
    """`build --from`: re-print a Disclosure JSON, a region's own workbook, or any document cnbudget
    reads (a PDF, a converted text, a docx …: read first, as `parse` reads it)."""
    from cnbudget.pipeline import read_disclosure
    from cnbudget.publish.build import FORMATS, build_from_disclosure, is_disclosure_json, reprint
    from cnbudget.publish.region import is_region_workbook

    chosen = tuple(formats) if formats else FORMATS
    path = Path(source)
    if is_disclosure_json(path) or is_region_workbook(path):
        return build_from_disclosure(path, Path(outdir), chosen)
    return reprint(read_disclosure(str(path)), Path(outdir), chosen)


# --- batches: never raise, optionally in worker processes ---------------------------------------


@dataclass
class Checked:
    """The outcome for one input (or for the files of one disclosure published in parts, joined by
    ' + '): a report, or the one sentence saying why it could not be read."""

    source: str
    report: DocumentReport | None = None
    error: str = ""

    @property
    def sources(self) -> list[str]:
        from cnbudget.model import PARTS_SEPARATOR

        return self.source.split(PARTS_SEPARATOR)


def check_file(path: str, config: Config, ocr: bool = True, prior: Disclosure | None = None) -> Checked:
    """Read and check one file. Never raises: an unreadable file comes back with its error sentence."""
    done = _read_or_check(path, config, ocr, prior, keep_parts=False)
    assert isinstance(done, Checked)
    return done


def _read_or_check(path: str, config: Config, ocr: bool, prior: Disclosure | None, *, keep_parts: bool) -> Checked | Disclosure:
    """Check one file; a file that holds only a part of a disclosure comes back unchecked (keep_parts),
    to be merged with its other part first."""
    from cnbudget.errors import InputError
    from cnbudget.recognize.parts import is_part

    try:
        d = read(path, ocr=ocr)
        if keep_parts and is_part(d):
            return d
        return Checked(path, check_one(d, prior=prior, config=config, ocr=ocr))
    except InputError as exc:
        return Checked(path, error=str(exc))
    except Exception as exc:  # a bug must not stop a batch: the file is reported as not checked (exit 2)
        return Checked(path, error=Message("errors.run.check_failed", name=Path(path).name, error=type(exc).__name__))


def _check_chunk(
    paths: Sequence[str], config: Config, ocr: bool, prior: Disclosure | None, lang_code: str | None = None
) -> list[Checked | Disclosure]:
    """A worker's unit of work: a few files, checked one after another, in the caller's language."""
    from cnbudget.i18n import set_lang

    set_lang(lang_code)
    return [_read_or_check(p, config, ocr, prior, keep_parts=True) for p in paths]


def _check_parts(parts: list[Disclosure], config: Config, prior: Disclosure | None) -> Iterator[Checked]:
    """Files that each hold a part of one disclosure (a narrative whose tables are 附后, and the tables
    file) are merged and checked as one; a part without its partner is checked alone."""
    from cnbudget.recognize.parts import merge_parts

    for group in group_parts_of(parts):
        merged = merge_parts([parts[i] for i in group])
        try:
            yield Checked(merged.source, check_one(merged, prior=prior, config=config))
        except Exception as exc:  # a bug must not stop a batch: the files are reported as not checked (exit 2)
            yield Checked(merged.source, error=Message("errors.run.check_failed", name=Path(merged.source).name, error=type(exc).__name__))


def _chunks(items: Sequence[str], jobs: int) -> list[list[str]]:
    """Small chunks (about four per worker, at most 8 files) keep workers busy and results flowing."""
    size = max(1, min(8, len(items) // (jobs * 4)))
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


def check_each(
    inputs: Sequence[str], config: Config, *, ocr: bool = True, prior: Disclosure | None = None, jobs: int = 1
) -> Iterator[Checked]:
    """Check every input, yielding each result in input order as soon as it (and those before it) is done.

    With jobs > 1 the files go in chunks to ``jobs`` worker processes; only results that finished
    ahead of an earlier one are held, so memory does not grow with the size of the batch. A file that
    holds only part of a disclosure (a narrative whose tables are 附后, or tables without narrative)
    waits for the end of the batch, to be checked together with its other part; results after it are
    held (small reports, not Disclosures) so that the output keeps the order of the inputs.
    """
    slots: list[Checked | int] = []  # a result, or the index of a held part in ``parts``
    parts: list[Disclosure] = []
    for done in _each(inputs, config, ocr, prior, jobs):
        if isinstance(done, Checked):
            if not parts:
                yield done
            else:
                slots.append(done)
        else:
            slots.append(len(parts))
            parts.append(done)
    if not parts:
        return
    first_of_group: dict[int, Checked] = {}
    for group, checked in zip(group_parts_of(parts), _check_parts(parts, config, prior), strict=True):
        first_of_group[group[0]] = checked
    for slot in slots:
        if isinstance(slot, Checked):
            yield slot
        elif slot in first_of_group:
            yield first_of_group[slot]


def group_parts_of(parts: list[Disclosure]) -> list[list[int]]:
    from cnbudget.recognize.parts import group_parts

    return group_parts(list(parts))


def _each(inputs: Sequence[str], config: Config, ocr: bool, prior: Disclosure | None, jobs: int) -> Iterator[Checked | Disclosure]:
    keep_parts = len(inputs) > 1
    if jobs <= 1 or len(inputs) <= 1:
        for path in inputs:
            yield _read_or_check(path, config, ocr, prior, keep_parts=keep_parts)
        return
    chunks = _chunks(inputs, jobs)
    context = multiprocessing.get_context("spawn")  # no fork of a process running the progress bar's thread
    with ProcessPoolExecutor(max_workers=min(jobs, len(chunks)), mp_context=context) as pool:
        pending: deque[tuple[list[str], Future[list[Checked | Disclosure]]]] = deque(
            (chunk, pool.submit(_check_chunk, chunk, config, ocr, prior, lang())) for chunk in chunks
        )
        try:
            while pending:
                chunk, future = pending.popleft()  # dropped once yielded: nothing is held for the end
                results: list[Checked | Disclosure]
                try:
                    results = future.result()
                except Exception:  # the worker process died (killed, out of memory)
                    results = [Checked(p, error=Message("errors.run.worker_stopped", name=Path(p).name)) for p in chunk]
                yield from results
        finally:  # the caller stopped early (an error, Ctrl-C): do not check what nobody will read
            pool.shutdown(wait=True, cancel_futures=True)
