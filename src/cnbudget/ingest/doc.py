"""Legacy Word documents (.doc): converted to .docx by LibreOffice, then read by the .docx reader.

The conversion runs headless on a copy of the file in a private temporary folder, with a profile of
its own (-env:UserInstallation: two conversions at once never share one, and the user's LibreOffice
settings are never touched) and a time limit, after which the whole process group is stopped. The
user's file is only read. Without LibreOffice a .doc is refused in one sentence saying so.
Provenance is the .docx reader's (paragraph and table-row numbers of the converted document); the
Layout names the .doc as its source.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from cnbudget.errors import InputError
from cnbudget.i18n import t
from cnbudget.model import Layout
from cnbudget.safe_text import plain

CONVERT_SECONDS = 120  # a 200-page .doc converts in a few seconds; a hung LibreOffice is stopped
_EXECUTABLES = ("soffice", "libreoffice")


def libreoffice() -> str | None:
    """The LibreOffice command on PATH, if any."""
    return next((found for name in _EXECUTABLES if (found := shutil.which(name))), None)


def read_doc(path: Path) -> Layout:
    """A .doc disclosure's Layout, read from its LibreOffice conversion to .docx."""
    from cnbudget.ingest.docx import read_docx

    name = plain(path.name)
    command = libreoffice()
    if command is None:
        raise InputError(t("formats.doc_needs_libreoffice", name=name))
    with tempfile.TemporaryDirectory(prefix="cnbudget-doc-") as tmp:
        work = Path(tmp)
        source = work / "in" / "document.doc"  # a plain name: LibreOffice never sees the user's path
        source.parent.mkdir()
        shutil.copyfile(path, source)
        out = work / "out"
        _convert(command, source, out, work / "profile", name)
        converted = out / "document.docx"
        if not converted.is_file():
            raise InputError(t("formats.doc_unconverted", name=name, why="no .docx written"))
        layout = read_docx(str(converted))
    layout.source, layout.format = str(path), "doc"
    return layout


def _convert(command: str, source: Path, out: Path, profile: Path, name: str) -> None:
    args = [
        command, "--headless", "--norestore", "--nolockcheck", "--nologo", "--nodefault",
        f"-env:UserInstallation={profile.as_uri()}", "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), str(source),
    ]  # fmt: skip
    env = {**os.environ, "HOME": str(profile.parent)}  # nothing LibreOffice writes lands in the user's home
    try:
        proc = subprocess.Popen(
            args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=env, start_new_session=True
        )
    except OSError as exc:
        raise InputError(t("formats.doc_unconverted", name=name, why=plain(exc.strerror or exc))) from None
    try:
        _stdout, stderr = proc.communicate(timeout=CONVERT_SECONDS)
    except subprocess.TimeoutExpired:
        _stop(proc)
        raise InputError(t("formats.doc_timeout", name=name, seconds=CONVERT_SECONDS)) from None
    except BaseException:  # Ctrl-C: no LibreOffice is left running
        _stop(proc)
        raise
    if proc.returncode != 0:
        why = stderr.decode("utf-8", "replace").strip().splitlines()
        raise InputError(t("formats.doc_unconverted", name=name, why=plain(why[-1] if why else f"exit {proc.returncode}")))


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop the conversion and every process it started (its own session)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
