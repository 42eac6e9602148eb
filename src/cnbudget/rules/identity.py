"""A finding's stable id: a short fingerprint of rule, document identity, place and the values involved.

The id must survive re-reading the same file and small edits elsewhere in the document, so it leaves
out everything that moves when text is added above (page, line, bbox) and everything worded for people
(the message). It keeps what names the defect: the rule, the document (department, year, kind, scope —
the file name only when the document does not say who it is), the table, section, row and column, and
the expected and printed values. Correcting the printed value changes the id: the old one disappears,
which is how a re-check tells that a finding was fixed. Two findings that would share every part are
told apart by their order (``#2``), which is stable while the document keeps them in the same order.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import replace

from cnbudget.i18n import render
from cnbudget.model import Meta, source_name
from cnbudget.rules.findings import Finding

ID_LENGTH = 10  # hex digits: 40 bits, no collision in any plausible batch of findings
_SPACE = re.compile(r"\s+")


def document_key(meta: Meta, source: str = "") -> str:
    """Who the document is: department, year, kind and scope when it says so, else its file name."""
    if meta.department and meta.year:
        return "|".join((_norm(meta.department), str(meta.year), meta.kind or "", meta.scope or ""))
    return "file:" + source_name(source) if source else "unknown"


def _norm(text: str) -> str:
    return _SPACE.sub("", text)


def fingerprint(finding: Finding, document: str) -> str:
    """The text the id hashes (kept readable for tests and debugging)."""
    loc = finding.location
    parts = (finding.rule, document, loc.table, loc.section, loc.row, loc.column, finding.expected, finding.actual)
    # a value worded from the catalogs (未刊印 …) is hashed in one language, so an id never depends on --lang
    return "\x1f".join(_norm(render(p, "zh")) for p in parts)


def finding_id(finding: Finding, meta: Meta, source: str = "", occurrence: int = 1) -> str:
    """The short hex id of one finding (``occurrence`` > 1 for the n-th finding with the same fingerprint)."""
    text = fingerprint(finding, document_key(meta, source))
    if occurrence > 1:
        text += f"\x1f#{occurrence}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:ID_LENGTH]


def with_ids(findings: Sequence[Finding], meta: Meta, source: str = "") -> list[Finding]:
    """The findings with their ids set (in order; duplicates numbered)."""
    seen: dict[str, int] = {}
    out: list[Finding] = []
    document = document_key(meta, source)
    for f in findings:
        key = fingerprint(f, document)
        seen[key] = seen.get(key, 0) + 1
        out.append(replace(f, id=finding_id(f, meta, source, seen[key])))
    return out


def same_department(a: str, b: str) -> bool:
    """Whether two printed department names name the same department (spacing aside; one may carry the region before it)."""
    x, y = _norm(a), _norm(b)
    return x == y or x.endswith(y) or y.endswith(x)
