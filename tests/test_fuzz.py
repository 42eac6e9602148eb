"""A seeded mutation loop over the shared samples: read → check → render, in this process.

Every mutated input must give a result (text, JSON, CSV, HTML and xlsx reports) or an InputError
with one sentence, within a time budget per input; anything else — an exception, a hang — fails
with the seed and mutation that reproduce it (``python benchmarks/fuzz.py --seed N --count 1``).
The longer run is ``python benchmarks/fuzz.py --count 100000``.
"""

from __future__ import annotations

import hashlib
import io
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from tests.conftest import SHARED
from tests.mutate import build_corpus, corpus, mutate, mutate_as

from cnbudget.errors import InputError
from cnbudget.pipeline import read_disclosure
from cnbudget.render.html import to_html
from cnbudget.render.report import render_text, to_csv, to_json
from cnbudget.render.xlsx import build_workbook
from cnbudget.rules.registry import Config, run
from cnbudget.rules.report import DocumentReport

TEXT_INPUTS = 200  # ~0.2 s each on this machine
PDF_INPUTS = 10
PER_INPUT_SECONDS = 20  # generous under load; a normal input takes under 2 s
TOTAL_SECONDS = 120


class Hang(Exception):
    pass


@contextmanager
def time_budget(seconds: int) -> Iterator[None]:
    def expired(_signum: int, _frame: object) -> None:
        raise Hang(f"over {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def read_check_render(path: Path) -> str:
    """The whole way a user's file goes; 'ok' or 'refused' (InputError with one sentence)."""
    try:
        d = read_disclosure(str(path), ocr=False)
    except InputError as exc:
        message = str(exc)
        assert message and "\n" not in message and "Traceback" not in message, message
        message.encode("utf-8")
        return "refused"
    findings = run(d, Config())
    report = DocumentReport(source=str(path), meta=d.meta, findings=findings)
    for text in (to_json([report]), to_csv([report]), to_html([report], [])):
        text.encode("utf-8")
    render_text([report], Console(file=io.StringIO(), width=120))
    build_workbook([report]).save(io.BytesIO())
    d.model_dump_json().encode("utf-8")
    return "ok"


def build_package(path: Path, outdir: Path) -> str:
    """The build path a workbook or a Disclosure JSON goes (``cnbudget build``, ``build --from``): every
    format written, or 'refused' with one sentence (InputError, WorkbookInvalid)."""
    from cnbudget.api import build

    try:
        package = build(path, outdir)
    except InputError as exc:
        message = str(exc)
        assert message and "Traceback" not in message, message
        message.encode("utf-8")
        return "refused"
    assert all(Path(f).is_file() for f in package.files.values()), package.files
    return "ok"


def _outcome(path: Path, label: str, failures: list[str]) -> str:
    """read → check → render one input under the per-input budget: its outcome; a hang or a crash is also
    added to ``failures`` with ``label`` (the seed or input that made it) — the test's whole point."""
    try:
        with time_budget(PER_INPUT_SECONDS):
            return read_check_render(path)
    except Hang as exc:
        failures.append(f"{label}: {exc}")
        return "hang"
    except Exception as exc:
        failures.append(f"{label}: {type(exc).__name__}: {exc}"[:300])
        return "crash"


def test_mutated_inputs_never_crash_or_hang(tmp_path: Path) -> None:
    inputs = corpus(SHARED)
    digests = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in inputs}
    texts = [p for p in inputs if p.suffix != ".pdf"]
    pdfs = [p for p in inputs if p.suffix == ".pdf"]
    plan = [(texts[i % len(texts)], i, False) for i in range(TEXT_INPUTS)]
    plan += [(pdfs[i % len(pdfs)], 10_000 + i, True) for i in range(PDF_INPUTS)]
    outcomes: dict[str, int] = {}
    failures: list[str] = []
    started = time.monotonic()
    for source, seed, binary in plan:
        what, data = mutate(source.read_bytes(), seed, binary)
        path = tmp_path / f"{seed}{source.suffix}"
        path.write_bytes(data)
        outcome = _outcome(path, f"seed {seed} ({source.name}, {what})", failures)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
        path.unlink()
    elapsed = time.monotonic() - started
    assert not failures, "\n".join(failures)
    assert outcomes.get("ok", 0) > 0 and outcomes.get("refused", 0) > 0, outcomes
    assert all(hashlib.sha256(p.read_bytes()).hexdigest() == d for p, d in digests.items())  # inputs unchanged
    assert elapsed < TOTAL_SECONDS, f"{len(plan)} inputs took {elapsed:.0f} s"


BUILD_INPUTS = 8  # ~3 s each: the whole package is written
BUILD_SECONDS = 90


def test_mutated_workbooks_and_disclosure_json_never_crash_or_hang(tmp_path: Path) -> None:
    """The build path (``cnbudget build``, ``build --from``) on seeded mutations of a filled workbook, the
    shared workbooks and a Disclosure JSON; a zip bomb is among them (seed 0 of the filled workbook)."""
    (tmp_path / "sources").mkdir()
    inputs = build_corpus(SHARED, tmp_path / "sources")
    shared = [p for p in inputs if SHARED in p.parents]
    digests = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in shared}
    outcomes: dict[str, int] = {}
    failures: list[str] = []
    started = time.monotonic()
    for seed in range(BUILD_INPUTS):
        source = inputs[seed % len(inputs)]
        what, data = mutate_as(source.read_bytes(), seed, source.suffix)
        path = tmp_path / f"{seed}{source.suffix}"
        path.write_bytes(data)
        try:
            with time_budget(PER_INPUT_SECONDS):
                outcome = build_package(path, tmp_path / f"out-{seed}")
        except Hang as exc:
            outcome = "hang"
            failures.append(f"seed {seed} ({source.name}, {what}): {exc}")
        except Exception as exc:  # report every crash with its seed
            outcome = "crash"
            failures.append(f"seed {seed} ({source.name}, {what}): {type(exc).__name__}: {exc}"[:300])
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
        path.unlink()
    elapsed = time.monotonic() - started
    assert not failures, "\n".join(failures)
    assert outcomes.get("refused", 0) > 0, outcomes
    assert all(hashlib.sha256(p.read_bytes()).hexdigest() == d for p, d in digests.items())
    assert elapsed < BUILD_SECONDS, f"{BUILD_INPUTS} inputs took {elapsed:.0f} s"


STRUCTURAL_INPUTS = 10  # two per family of tests/mutate_pdf.py, on single pages of the sample PDFs
STRUCTURAL_SECONDS = 90


def test_structural_pdf_damage_never_crashes_or_hangs(tmp_path: Path) -> None:
    """Shuffled objects, fonts and ToUnicode maps removed, many text objects, nested XObjects and image-only
    pages (tests/mutate_pdf.py) on single pages cut from the sample PDFs: a result or one sentence each."""
    import random

    import pypdfium2 as pdfium
    from tests.mutate_pdf import PDF_MUTATIONS

    pdfs = sorted((SHARED / "samples" / "pdf").glob("*.pdf"))
    digests = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in pdfs}
    pages: list[bytes] = []
    for pdf in pdfs:
        source = pdfium.PdfDocument(str(pdf))
        for index in (1, len(source) // 2):
            one = pdfium.PdfDocument.new()
            one.import_pages(source, [index])
            buffer = io.BytesIO()
            one.save(buffer)
            pages.append(buffer.getvalue())
        source.close()
    outcomes: dict[str, int] = {}
    failures: list[str] = []
    started = time.monotonic()
    for i in range(STRUCTURAL_INPUTS):
        name = list(PDF_MUTATIONS)[i % len(PDF_MUTATIONS)]
        data = PDF_MUTATIONS[name](random.Random(i), pages[i % len(pages)])
        path = tmp_path / f"{i}.pdf"
        path.write_bytes(data)
        outcome = _outcome(path, f"input {i} ({name})", failures)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    elapsed = time.monotonic() - started
    assert not failures, "\n".join(failures)
    assert outcomes.get("ok", 0) > 0 and outcomes.get("refused", 0) > 0, outcomes  # image-only pages: refused with OCR off
    assert all(hashlib.sha256(p.read_bytes()).hexdigest() == d for p, d in digests.items())
    assert elapsed < STRUCTURAL_SECONDS, f"{STRUCTURAL_INPUTS} inputs took {elapsed:.0f} s"
