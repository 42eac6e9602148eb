"""Where `check --annotate` writes: one file for one PDF checked alone, else one copy per PDF in a folder.

``--annotate OUT`` names a file when one input is checked and OUT is not an existing folder; with
several inputs, a directory among them, or an existing folder, OUT is a folder and each PDF's copy is
written into it under the PDF's own name, made safe for every file system (no path separators,
reserved characters or device names, at most 180 bytes) and made unique. A converted text has no
pages to draw on and is skipped with a note; nothing an input is named is ever overwritten.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console

from cnbudget.i18n import t
from cnbudget.reasons import pdf_reason
from cnbudget.rules.report import DocumentReport
from cnbudget.safe_text import shown

_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
_MAX_BYTES = 180


def is_pdf(path: str) -> bool:
    """Whether ``path`` holds a PDF (by its first bytes; by its suffix when it cannot be opened)."""
    try:
        with open(path, "rb") as fh:
            return fh.read(5) == b"%PDF-"
    except OSError:
        return Path(path).suffix.lower() == ".pdf"


def safe_name(name: str) -> str:
    """``name`` as a file name every system accepts, ending in .pdf."""
    name = unicodedata.normalize("NFC", name)
    stem = name[:-4] if name.lower().endswith(".pdf") else name
    stem = _UNSAFE.sub("_", stem).strip(" .") or "document"
    if stem.split(".")[0].upper() in _RESERVED:
        stem = "_" + stem
    while len(stem.encode("utf-8")) > _MAX_BYTES:
        stem = stem[:-1]
    return stem + ".pdf"


def _is_dir(path: Path) -> bool:
    """A folder? (False for a name the file system refuses: reading or writing it says why in one sentence.)"""
    try:
        return path.is_dir()
    except OSError:
        return False


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:
        return False


def _same(a: Path, b: str) -> bool:
    return a.resolve() == Path(b).resolve()


@dataclass
class Targets:
    """The annotated copies to write: input path → output path; the inputs skipped, with why."""

    outputs: dict[str, Path] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    folder: Path | None = None

    def output(self, source: str) -> Path | None:
        return self.outputs.get(source)


def plan(given: list[str], inputs: list[str], annotate: Path, output: Path | None) -> Targets | str:
    """The copies ``--annotate annotate`` asks for, or the sentence saying why it cannot be done."""
    for i in inputs:
        if _same(annotate, i):
            return t("cli.error.overwrite", option="--annotate", target=annotate)
    many = len(inputs) > 1 or any(_is_dir(Path(g)) for g in given)
    if not _is_dir(annotate) and not many:
        if not is_pdf(inputs[0]):
            return t("cli.error.annotate_not_pdf", name=Path(inputs[0]).name)
        if output is not None and _same(output, str(annotate)):
            return t("cli.error.same_output")
        return Targets({inputs[0]: annotate})
    if _exists(annotate) and not _is_dir(annotate):
        return t("annotate.cli.folder_is_file", count=len(inputs), target=annotate)
    if not _exists(annotate) and annotate.suffix.lower() == ".pdf":
        return t("annotate.cli.named_like_pdf", count=len(inputs), target=annotate)
    targets = Targets(folder=annotate)
    taken: set[str] = set()
    for i in inputs:
        if not is_pdf(i):
            targets.skipped.append(t("annotate.cli.skipped_text", file=i))
            continue
        name = safe_name(Path(i).name)
        stem, n = name[:-4], 2
        while name.casefold() in taken:
            name, n = f"{stem}-{n}.pdf", n + 1
        taken.add(name.casefold())
        out = annotate / name
        if any(_same(out, j) for j in inputs) or (output is not None and _same(out, str(output))):
            return t("annotate.cli.into_input", name=name)
        targets.outputs[i] = out
    if not targets.outputs:
        return t("annotate.cli.no_pdf", count=len(inputs))
    return targets


def note(err: Console, sentence: str) -> None:
    err.print(shown(sentence), highlight=False, soft_wrap=True)


def write_all(targets: Targets, reports: list[tuple[str, DocumentReport]], parts: set[str], err: Console) -> bool:
    """Annotate each report's PDF into the folder, noting each copy written or not; False if any failed.

    ``parts``: inputs checked as a part of a disclosure published in several files, whose pages are
    not those of one PDF."""
    import pypdfium2 as pdfium

    from cnbudget.outfile import reason
    from cnbudget.render.annotate import annotate_pdf

    assert targets.folder is not None
    done_for = {source for source, _ in reports}
    for source in targets.outputs:
        if source not in done_for:
            key = "skipped_parts" if source in parts else "skipped_unreadable"
            note(err, t(f"annotate.cli.{key}", file=source))
    ok = True
    for source, report in reports:
        out = targets.outputs[source]
        try:
            targets.folder.mkdir(parents=True, exist_ok=True)
            done = annotate_pdf(source, report, out)
        except OSError as exc:
            note(err, t("annotate.cli.cannot_write", file=out, reason=reason(exc, out)))
            ok = False
            continue
        except (ValueError, pdfium.PdfiumError) as exc:
            note(err, t("annotate.cli.cannot_write", file=out, reason=pdf_reason(exc)))
            ok = False
            continue
        note(err, t("annotate.cli.wrote", file=out, boxes=done.boxes, index_only=done.index_only, comments=done.comments))
    return ok
