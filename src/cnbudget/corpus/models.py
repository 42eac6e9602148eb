"""The corpus schema (SQLAlchemy 2). Changing it means a new Alembic migration in migrations/versions/.

A *document* is one disclosure: (department, year, kind 预算/决算, scope 部门/单位). Each distinct file
(by sha256) read for it is a *version*; a version owns its findings and its table values. Amounts are
stored as the exact decimal text (``Numeric`` would round on SQLite), never as float.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Document(Base):
    """One disclosure; ``key`` is its identity (see identity.document_key)."""

    __tablename__ = "documents"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(Text, unique=True)
    department: Mapped[str] = mapped_column(Text, default="")
    region: Mapped[str] = mapped_column(Text, default="")
    year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    kind: Mapped[str] = mapped_column(Text, default="")
    scope: Mapped[str] = mapped_column(Text, default="")
    versions: Mapped[list[Version]] = relationship(back_populates="document", order_by="Version.number")


class File(Base):
    """A file seen by ingest, by content; ``error`` is why it could not be read (empty when it was)."""

    __tablename__ = "files"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    path: Mapped[str] = mapped_column(Text)
    size: Mapped[int] = mapped_column(Integer)
    error: Mapped[str] = mapped_column(Text, default="")
    seen_at: Mapped[datetime] = mapped_column()


class Version(Base):
    __tablename__ = "versions"
    __table_args__ = (UniqueConstraint("document_id", "number"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    file_id: Mapped[int] = mapped_column(ForeignKey("files.id"))
    source: Mapped[str] = mapped_column(Text)
    format: Mapped[str] = mapped_column(Text)
    errors: Mapped[int] = mapped_column(Integer, default=0)
    warnings: Mapped[int] = mapped_column(Integer, default=0)
    infos: Mapped[int] = mapped_column(Integer, default=0)
    ingested_at: Mapped[datetime] = mapped_column()
    document: Mapped[Document] = relationship(back_populates="versions")


class FindingRow(Base):
    __tablename__ = "findings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id", ondelete="CASCADE"), index=True)
    fingerprint: Mapped[str] = mapped_column(String(64), index=True)
    rule: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(Text)
    severity: Mapped[str] = mapped_column(Text)
    message: Mapped[str] = mapped_column(Text)
    page: Mapped[int | None] = mapped_column(Integer, nullable=True)
    line: Mapped[int | None] = mapped_column(Integer, nullable=True)
    table: Mapped[str] = mapped_column(Text, default="")
    section: Mapped[str] = mapped_column(Text, default="")
    row: Mapped[str] = mapped_column(Text, default="")
    column: Mapped[str] = mapped_column(Text, default="")
    expected: Mapped[str] = mapped_column(Text, default="")
    actual: Mapped[str] = mapped_column(Text, default="")
    finding_id: Mapped[str] = mapped_column(String(16), default="", index=True)  # rules/identity id: the review key
    bbox: Mapped[str] = mapped_column(Text, default="")  # "x0,top,x1,bottom" in PDF points, empty when unknown


class ValueRow(Base):
    """One printed value: ``value`` is the exact decimal (as text) when the cell is a number."""

    __tablename__ = "table_values"
    __table_args__ = (Index("ix_table_values_version_table", "version_id", "table_name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id", ondelete="CASCADE"))
    table_spec: Mapped[str] = mapped_column(Text, default="")
    table_name: Mapped[str] = mapped_column(Text)
    side: Mapped[str] = mapped_column(Text, default="")
    row_code: Mapped[str] = mapped_column(Text, default="")
    row_label: Mapped[str] = mapped_column(Text, default="")
    column: Mapped[str] = mapped_column(Text)
    printed: Mapped[str] = mapped_column(Text)
    value: Mapped[str | None] = mapped_column(Text, nullable=True)
    unit: Mapped[str] = mapped_column(Text, default="")
    page: Mapped[int | None] = mapped_column(Integer, nullable=True)
    line: Mapped[int | None] = mapped_column(Integer, nullable=True)


class DisclosureBlob(Base):
    """A version's Disclosure as zlib-compressed JSON (schema of ``cnbudget schema``): the year-over-year
    checks of the next year's disclosure compare against it."""

    __tablename__ = "disclosures"
    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id", ondelete="CASCADE"), primary_key=True)
    body: Mapped[bytes] = mapped_column(LargeBinary)


# The web application's tables (cnbudget serve): accounts, sessions, upload jobs and review decisions.


class User(Base):
    """An account: ``role`` admin / reviewer / department; a department user sees only ``department``."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text, unique=True)
    role: Mapped[str] = mapped_column(Text)
    department: Mapped[str] = mapped_column(Text, default="")
    password_hash: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column()


class WebSession(Base):
    """A signed-in browser: the cookie holds a random token, the table only its sha256."""

    __tablename__ = "web_sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column()
    expires_at: Mapped[datetime] = mapped_column()


class ApiToken(Base):
    """A token for scripts (``Authorization: Bearer …``); only its sha256 is kept."""

    __tablename__ = "api_tokens"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column()


class LoginAttempt(Base):
    """A failed sign-in, for the rate limit (by name and by address)."""

    __tablename__ = "login_attempts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text, index=True)
    address: Mapped[str] = mapped_column(Text, index=True)
    at: Mapped[datetime] = mapped_column(index=True)


class Job(Base):
    """One uploaded file to read, check and store. State lives here, so a restarted server resumes:
    queued → running → done / failed (``error`` is the uploader's one Chinese sentence)."""

    __tablename__ = "jobs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    filename: Mapped[str] = mapped_column(Text, default="")  # as uploaded: shown, never used as a path
    size: Mapped[int] = mapped_column(Integer, default=0)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    department: Mapped[str] = mapped_column(Text, default="")  # a department user's own department
    status: Mapped[str] = mapped_column(Text, default="queued", index=True)
    error: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(Text, default="")  # corpus.store.Outcome as JSON
    version_id: Mapped[int | None] = mapped_column(ForeignKey("versions.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column()
    started_at: Mapped[datetime | None] = mapped_column(nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(nullable=True)


class ReviewRow(Base):
    """A reviewer's decision about one finding (rules/review.Entry, keyed by the finding id): every decision
    is kept, the newest is the state; the CLI's review file is the same model (web/reviews.py converts)."""

    __tablename__ = "reviews"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    finding_id: Mapped[str] = mapped_column(String(16), index=True)
    document: Mapped[str] = mapped_column(Text, index=True)  # rules/identity.document_key
    status: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text, default="")
    who: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column()
    rule: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text, default="")
    message: Mapped[str] = mapped_column(Text, default="")


class VersionFile(Base):
    """A further file of a version: the same disclosure read from another format (a PDF and its text
    conversion, the docx beside the PDF) with the same figures. It adds no version and no findings."""

    __tablename__ = "version_files"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id", ondelete="CASCADE"), index=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("files.id"), unique=True)
    source: Mapped[str] = mapped_column(Text)
    format: Mapped[str] = mapped_column(Text)
    added_at: Mapped[datetime] = mapped_column()
