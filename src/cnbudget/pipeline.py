"""The one reading path every command uses: file → Layout → Disclosure.

A file that cannot be read raises InputError with one sentence; commands turn it into exit 2.
"""

from __future__ import annotations

from pathlib import Path

from cnbudget.errors import InputError
from cnbudget.i18n import Joined, Message
from cnbudget.model import Disclosure
from cnbudget.safe_text import plain


def read_disclosure(path: str, *, ocr: bool = True) -> Disclosure:
    """Read any supported file into a Disclosure; InputError for anything unreadable."""
    from cnbudget.ingest import read_layout
    from cnbudget.recognize.document import recognize

    layout = read_layout(path, ocr=ocr)
    if layout.unread_pages and not layout.blocks:
        if not ocr:
            raise InputError(Message("errors.input.all_images", name=plain(Path(path).name), count=len(layout.unread_pages)))
        why: object = Joined("; ", tuple(layout.notes[:3])) if layout.notes else Message("errors.input.no_page_read")
        raise InputError(Message("errors.input.nothing_read", name=plain(Path(path).name), why=why))
    disclosure = recognize(layout)
    if not disclosure.tables and not disclosure.facts and not disclosure.performance and not disclosure.sections:
        raise InputError(Message("errors.input.not_disclosure", name=Path(path).name))
    return disclosure
