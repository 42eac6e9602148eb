"""The package's file writers: one module per format, registered by name and loaded only when used.

``json`` is the Disclosure itself (written by ``build.write_package``); every other format renders
the printed ``Document``.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cnbudget.publish.document import Document

FORMATS = ("json", "xlsx", "docx", "pdf", "html")

_WRITERS = {
    "xlsx": "cnbudget.publish.writers.xlsx:render_xlsx",
    "docx": "cnbudget.publish.writers.docx:render_docx",
    "pdf": "cnbudget.publish.writers.pdf:render_pdf",
    "html": "cnbudget.publish.writers.html:render_html",
}


def document_writer(fmt: str) -> Callable[[Document, Path], None]:
    """The function that writes a Document as ``fmt`` (KeyError for json or an unknown name)."""
    module, name = _WRITERS[fmt].split(":")
    writer: Callable[[Document, Path], None] = getattr(import_module(module), name)
    return writer
