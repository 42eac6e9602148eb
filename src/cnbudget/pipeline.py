"""The one reading path every command uses: file → Layout → Disclosure.

A file that cannot be read raises InputError with one sentence; commands turn it into exit 2.
"""

from __future__ import annotations

from pathlib import Path

from cnbudget.errors import InputError
from cnbudget.model import Disclosure
from cnbudget.safe_text import plain


def read_disclosure(path: str, *, ocr: bool = True) -> Disclosure:
    """Read any supported file into a Disclosure; InputError for anything unreadable."""
    from cnbudget.ingest import read_layout
    from cnbudget.recognize.document import recognize

    layout = read_layout(path, ocr=ocr)
    if layout.unread_pages and not layout.blocks:
        if not ocr:
            raise InputError(
                f"{plain(Path(path).name)}: all {len(layout.unread_pages)} pages are images and OCR is off (--no-ocr), so nothing was read."
            )
        why = "; ".join(layout.notes[:3]) or "no page could be read"
        raise InputError(f"{plain(Path(path).name)}: nothing was read ({plain(why)}).")
    disclosure = recognize(layout)
    if not disclosure.tables and not disclosure.facts and not disclosure.performance and not disclosure.sections:
        raise InputError(
            f"{Path(path).name} does not look like a budget or final-account disclosure: no table, section or figure was recognised."
        )
    return disclosure
