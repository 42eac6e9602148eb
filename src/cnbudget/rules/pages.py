"""Blank pages (issue 10, family 4): a page inside the document that prints nothing.

The PDF reader marks a page blank when it has no text, no image and no curve (so an image page,
OCR'd or not, is never blank); pages after the last page that prints anything are the document's
end and are left out. A page with ruling lines only is an empty table row spilled onto a page of
its own: reported for information. Never an error: nothing is missing from the figures.
"""

from __future__ import annotations

from collections.abc import Iterator

from cnbudget.i18n import Message
from cnbudget.model import Disclosure
from cnbudget.rules.findings import Finding, where
from cnbudget.rules.registry import Rule


def blank_pages(d: Disclosure) -> Iterator[Finding]:
    for page in d.blank_pages:
        if page.location.page is None:
            continue
        key = "rules.H-BLANK.ruled" if page.ruled else "rules.H-BLANK.message"
        yield Finding(
            "H-BLANK",
            "narrative",
            "info" if page.ruled else "warning",
            Message(key, page=page.location.page),
            where(location=page.location),
            expected="",
            actual=str(page.location.page),
        )


RULES: tuple[Rule, ...] = (Rule("H-BLANK", "narrative", "warning", ("REG-04",), blank_pages),)
