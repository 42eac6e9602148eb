"""Plain text as `pdfplumber.extract_text()` and copy-paste give it: the lines a page prints, cells
separated by single spaces, and the last line of a page glued to the first line of the next.

This module only repairs what the conversion glued together; it decides nothing about meaning.
Reading a space-separated table (cells from the amount pattern) is recognition's job
(recognize/plain.py), because only a table's title and spec tell where its header ends.
"""

from __future__ import annotations

import re

# An amount ending a table row with the next page's first line glued to it: '…0 0 0201 38 02 …',
# '135,200201 38 02 …', '0合计 …', '156,211,1232024年部门收入预算总表'. Only an amount that cannot
# run on (thousands-separated, or a lone 0) is cut, and only before a 3-digit code, a year or a word
# (not a unit or a counter word: '1,234.56万元' is one figure).
_GLUED_AFTER_AMOUNT = re.compile(
    r"(?:(?<=\s)|^)(?P<amount>-?(?:\d{1,3}(?:,\d{3})+|0)(?:\.\d{1,2})?)"
    r"(?P<rest>(?:20\d{2}年|\d{3}(?=\s)|(?![万元亿个辆人项家名年月日倍分次])[\u4e00-\u9fff]).*)$"
)
# A sentence ending a page with the next page's table title glued to it: '…保持不变。2024年部门…预算总表'.
_GLUED_TITLE = re.compile(r"(?<=。)(?P<rest>(?:20\d{2}年)?[^\s。，,；;：:]{2,40}表)$")


def split_glued(text: str) -> list[str]:
    """One extracted line as the printed lines it joins (usually just itself)."""
    out: list[str] = []
    rest = text
    while True:
        m = _GLUED_AFTER_AMOUNT.search(rest) or _GLUED_TITLE.search(rest)
        if m is None or m.start("rest") == 0:
            break
        out.append(rest[: m.start("rest")].rstrip())
        rest = m.group("rest")
    out.append(rest)
    return [t for t in out if t.strip()]
