"""Review state: what a reviewer decided about each finding, kept in a file that lasts between runs.

The review file (``cnbudget-review.json`` or ``cnbudget-review.toml`` next to the documents, or any
file given with ``--review``) maps a finding id (``rules/identity.py``) to its status — confirmed,
dismissed or fixed — with the reason, who and when, and enough of the finding (rule, document,
message) to be read on its own. ``apply_review`` splits a checked document's findings by that state:
dismissed findings leave the counted findings and are listed with their reason; an id recorded for
this document that the re-check no longer finds is reported as fixed. The same model is what the
corpus and web issues store.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from cnbudget.i18n import Message
from cnbudget.model import Meta
from cnbudget.reasons import field_problem, file_reason, syntax_reason
from cnbudget.rules.findings import Finding
from cnbudget.rules.identity import document_key

Status = Literal["confirmed", "dismissed", "fixed"]
STATUSES: tuple[Status, ...] = ("confirmed", "dismissed", "fixed")
REVIEW_NAMES = ("cnbudget-review.json", "cnbudget-review.toml")


class ReviewError(Exception):
    """The review file cannot be used. The message is one plain sentence."""


class Entry(BaseModel):
    """One decision about one finding."""

    model_config = ConfigDict(extra="forbid")

    status: Status
    reason: str = ""
    who: str = ""
    when: str = ""  # ISO 8601, UTC
    rule: str = ""
    document: str = ""  # rules/identity.document_key of the document the finding is in
    source: str = ""  # the file name it was seen in
    message: str = ""


class ReviewFile(BaseModel):
    """The whole review file: ``{"version": 1, "findings": {id: Entry}}``."""

    model_config = ConfigDict(extra="forbid")

    version: int = 1
    findings: dict[str, Entry] = Field(default_factory=dict)

    def mark(self, finding: Finding, status: Status, meta: Meta, source: str, reason: str = "", who: str = "") -> Entry:
        """Record a decision about a checked finding (its id must be set)."""
        from cnbudget.model import source_name

        entry = Entry(
            status=status,
            reason=reason,
            who=who or default_who(),
            when=datetime.now(UTC).replace(microsecond=0).isoformat(),
            rule=finding.rule,
            document=document_key(meta, source),
            source=source_name(source),
            message=finding.message,
        )
        self.findings[finding.id] = entry
        return entry


def default_who() -> str:
    return os.environ.get("CNBUDGET_REVIEWER") or os.environ.get("USER") or os.environ.get("USERNAME") or ""


def find_review(inputs: Iterable[str]) -> Path | None:
    """The review file next to the documents: in the folder of the first input (or the folder given)."""
    for p in inputs:
        path = Path(p)
        try:
            folder = path if path.is_dir() else path.parent
        except OSError:  # a name the file system refuses: reading it says so
            folder = path.parent
        for name in REVIEW_NAMES:
            if (folder / name).is_file():
                return folder / name
        return None
    return None


def load_review(path: Path) -> ReviewFile:
    """Read a review file (JSON or TOML by its suffix); a missing file is an empty review."""
    import tomllib

    if not path.exists():
        return ReviewFile()
    try:
        text = path.read_text(encoding="utf-8-sig")
        data = tomllib.loads(text) if path.suffix.lower() == ".toml" else json.loads(text)
        return ReviewFile.model_validate(data)
    except (OSError, UnicodeDecodeError) as exc:
        raise ReviewError(Message("errors.review.cannot_read", path=path, why=file_reason(exc))) from None
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as exc:
        syntax = path.suffix.lstrip(".").upper() or "JSON"
        raise ReviewError(Message("errors.review.not_valid", path=path, syntax=syntax, why=syntax_reason(exc))) from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(x) for x in first["loc"])
        why = field_problem(first, STATUSES if where.endswith("status") else ())
        raise ReviewError(Message("errors.review.invalid_at", path=path, where=where, why=why)) from None


def save_review(review: ReviewFile, path: Path) -> None:
    """Write the review file (JSON, or TOML for a .toml name), beside its name first and then moved in place."""
    if path.suffix.lower() == ".toml":
        text = _toml(review)
    else:
        text = json.dumps(review.model_dump(mode="json"), ensure_ascii=False, indent=1) + "\n"
    part = path.with_name(path.name + ".part")
    part.write_text(text, encoding="utf-8")
    part.replace(path)


def _toml(review: ReviewFile) -> str:
    """TOML by hand (the values are strings; a JSON string literal is a valid TOML basic string)."""
    lines = [f"version = {review.version}", ""]
    for fid, entry in review.findings.items():
        lines.append(f"[findings.{json.dumps(fid)}]")
        for key, value in entry.model_dump(mode="json").items():
            lines.append(f"{key} = {json.dumps(value, ensure_ascii=False)}")
        lines.append("")
    return "\n".join(lines)


@dataclass(frozen=True)
class Reviewed:
    """A finding set aside by the review: dismissed (with the finding) or fixed (the finding is gone)."""

    id: str
    entry: Entry
    finding: Finding | None = None


@dataclass(frozen=True)
class Applied:
    findings: list[Finding]  # still counted (confirmed ones among them)
    dismissed: list[Reviewed]
    fixed: list[Reviewed]
    confirmed: frozenset[str]


def apply_review(findings: list[Finding], meta: Meta, source: str, review: ReviewFile) -> Applied:
    """Split one document's findings by the review state (see the module docstring)."""
    present = {f.id for f in findings}
    counted: list[Finding] = []
    dismissed: list[Reviewed] = []
    confirmed: set[str] = set()
    for f in findings:
        entry = review.findings.get(f.id)
        if entry is not None and entry.status == "dismissed":
            dismissed.append(Reviewed(f.id, entry, f))
            continue
        if entry is not None and entry.status == "confirmed":
            confirmed.add(f.id)
        counted.append(f)
    document = document_key(meta, source)
    fixed = [Reviewed(fid, e) for fid, e in review.findings.items() if e.document == document and fid not in present]
    return Applied(counted, dismissed, fixed, frozenset(confirmed))
