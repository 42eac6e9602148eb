"""目录 entries as printed: ``第一部分 概况 ……… 2`` is the entry ``第一部分 概况`` on page 2.

Shared by the table reader (which sets the 目录 aside) and the narrative reader (which must not take
an entry with a page number for body text).
"""

from __future__ import annotations

import re

# a dotted leader (or a wide gap) and a page number, perhaps printed as "- 2 -", at the end of a line
_TOC_PAGE_RE = re.compile(r"\s*(?:[.．…·]{2,}\s*|\s{2,})[-－—]?\s*\d{1,4}\s*[-－—]?\s*$")
_LEADER_RE = re.compile(r"[.．…·]{4,}\s*[-－—]?\s*\d{1,4}\s*[-－—]?\s*$")


def toc_text(text: str) -> str:
    """A 目录 entry without its dotted leader and page number."""
    return _TOC_PAGE_RE.sub("", text.strip())


def is_toc_entry(text: str) -> bool:
    """True for a line that ends in a dotted leader and a page number: only a 目录 prints those."""
    return bool(_LEADER_RE.search(text))
