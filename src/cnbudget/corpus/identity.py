"""Identities: of a document (which disclosure a file is) and of a finding (the same problem across versions).

One place for both, so the review-state work can reuse ``finding_fingerprint``: a finding keeps its
fingerprint across versions of the same disclosure as long as the problem is the same one (same rule,
place and figures); its message text and page may change without making it a new finding.
"""

from __future__ import annotations

import hashlib

from cnbudget.model import Meta
from cnbudget.rules.findings import Finding


def finding_fingerprint(f: Finding) -> str:
    """sha256 of rule + table + row + column + section + expected + actual (hex, 64 characters)."""
    loc = f.location
    parts = (f.rule, loc.table, loc.row, loc.column, loc.section, f.expected, f.actual)
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def document_key(meta: Meta, sha256: str) -> str:
    """department|year|kind|scope; a document whose department was not read is only itself (its sha256),
    so that two unnamed disclosures are never taken for versions of each other."""
    if not meta.department:
        return f"sha256:{sha256}"
    return "|".join((meta.department, str(meta.year or ""), meta.kind or "", meta.scope or ""))


def file_sha256(path: str, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()
