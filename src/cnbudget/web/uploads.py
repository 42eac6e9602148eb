"""Receiving uploaded files: the multipart body streamed into Storage, each file checked as it arrives.

A file over ``max_upload_bytes`` is refused the moment it passes the limit (413), a file that is not a
kind the readers take is refused when it ends (415), more than ``max_files_per_upload`` files is refused
(413); a refused request keeps nothing it wrote. The name a browser gives a file is kept for display only.

The body is parsed here, chunk by chunk, when nothing has read it yet (a script or the upload page sends
the CSRF token as a header). A plain HTML form sends it as a field, so the CSRF check (deps.writer) has
already parsed the form with Starlette; then its spooled files are copied in with the same limits.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.datastructures import UploadFile
from starlette.requests import Request

from .errors import WebError
from .settings import MB, Settings
from .sniff import HEAD_BYTES, kind_of
from .storage import Storage

CHUNK = 1 << 16
MAX_NAME_CHARS = 200


@dataclass(frozen=True)
class Received:
    filename: str  # as the browser named it: shown, never a path
    sha256: str
    size: int
    created: bool  # the store did not hold this content before this request


def request_limit(settings: Settings) -> int:
    """The most one request may carry: every file at its limit, and a megabyte of form around them."""
    return settings.max_upload_bytes * settings.max_files_per_upload + MB


def size_text(n: int) -> str:
    """A size limit as people say it: '100 MB', or '58 KB' below a megabyte."""
    return f"{n // MB} MB" if n >= MB else f"{max(1, n // 1024)} KB"


def display_name(raw: str) -> str:
    """The last part of a browser's file name (some send a whole Windows path), trimmed; never empty."""
    name = raw.replace("\\", "/").rsplit("/", 1)[-1].strip()
    name = "".join(ch for ch in name if ch.isprintable())
    return name[:MAX_NAME_CHARS] or "upload"


class Incoming:
    """One file being written beside its place in Storage; moved in by ``finish`` once it is whole and sniffed."""

    def __init__(self, storage: Storage, filename: str, limit: int) -> None:
        self.storage, self.filename, self.limit = storage, filename, limit
        self.digest = hashlib.sha256()
        self.size = 0
        self.head = b""
        fd, self.tmp = tempfile.mkstemp(dir=storage.root / "files", prefix=".upload-")
        self.fh = os.fdopen(fd, "wb")

    def write(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self.limit:
            raise WebError(413, "web.upload.too_large", name=self.filename, limit=size_text(self.limit))
        if len(self.head) <= HEAD_BYTES:
            self.head += data[: HEAD_BYTES + 1 - len(self.head)]
        self.digest.update(data)
        self.fh.write(data)

    def finish(self) -> Received:
        self.fh.close()
        if self.size == 0:
            raise WebError(415, "web.upload.empty", name=self.filename)
        if kind_of(self.head, complete=self.size <= HEAD_BYTES, path=Path(self.tmp)) is None:
            raise WebError(415, "web.upload.wrong_type", name=self.filename)
        sha = self.digest.hexdigest()
        target = self.storage.path(sha)
        created = not target.is_file()
        if created:
            target.parent.mkdir(exist_ok=True)
            os.replace(self.tmp, target)
        else:
            os.unlink(self.tmp)
        self.tmp = ""
        return Received(self.filename, sha, self.size, created)

    def discard(self) -> None:
        if not self.fh.closed:
            self.fh.close()
        if self.tmp and os.path.exists(self.tmp):
            os.unlink(self.tmp)
        self.tmp = ""


class _Parts:
    """python-multipart callbacks: file parts go to Incoming, other fields are skipped (never kept)."""

    def __init__(self, storage: Storage, settings: Settings) -> None:
        self.storage, self.settings = storage, settings
        self.received: list[Received] = []
        self.current: Incoming | None = None
        self._field = b""
        self._value = b""
        self._headers: dict[bytes, bytes] = {}

    def callbacks(self) -> dict[str, Callable[..., None]]:
        return {
            "on_part_begin": self.part_begin, "on_header_field": self.header_field, "on_header_value": self.header_value,
            "on_header_end": self.header_end, "on_headers_finished": self.headers_finished,
            "on_part_data": self.part_data, "on_part_end": self.part_end,
        }

    def part_begin(self) -> None:
        self._headers = {}

    def header_field(self, data: bytes, start: int, end: int) -> None:
        self._field += data[start:end]

    def header_value(self, data: bytes, start: int, end: int) -> None:
        self._value += data[start:end]

    def header_end(self) -> None:
        self._headers[self._field.lower()] = self._value
        self._field = self._value = b""

    def headers_finished(self) -> None:
        _, options = parse_options_header(self._headers.get(b"content-disposition", b""))
        raw = options.get(b"filename")
        if raw is None:
            return  # a form field (the CSRF token): not a file
        name = raw.decode("utf-8", errors="replace")
        if not name:
            return  # a file input left empty
        if len(self.received) >= self.settings.max_files_per_upload:
            raise WebError(413, "web.upload.too_many", n=self.settings.max_files_per_upload)
        self.current = Incoming(self.storage, display_name(name), self.settings.max_upload_bytes)

    def part_data(self, data: bytes, start: int, end: int) -> None:
        if self.current is not None:
            self.current.write(data[start:end])

    def part_end(self) -> None:
        if self.current is not None:
            current, self.current = self.current, None
            try:
                self.received.append(current.finish())
            finally:
                current.discard()


async def receive(request: Request, storage: Storage, settings: Settings, parsed: bool, in_use: Callable[[str], bool]) -> list[Received]:
    """Every file of a multipart upload, in the store; refused (WebError) with nothing kept.

    ``parsed``: the form was already read by the CSRF check. ``in_use(sha)``: a job already names this
    content, so a refused request must not remove it from the store."""
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("multipart/form-data"):
        raise WebError(415, "web.upload.not_multipart")
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > request_limit(settings):
        raise WebError(413, "web.upload.request_too_large", limit=size_text(settings.max_upload_bytes))
    parts = _Parts(storage, settings)
    try:
        if parsed:
            await _from_form(request, parts)
        else:
            await _stream(request, content_type, parts)
    except BaseException:
        if parts.current is not None:
            parts.current.discard()
        for item in parts.received:
            if item.created and not in_use(item.sha256):
                storage.path(item.sha256).unlink(missing_ok=True)
        raise
    if not parts.received:
        raise WebError(400, "web.upload.no_files")
    return parts.received


async def _stream(request: Request, content_type: str, parts: _Parts) -> None:
    _, options = parse_options_header(content_type)
    boundary = options.get(b"boundary")
    if not boundary:
        raise WebError(400, "web.upload.no_files")
    parser = MultipartParser(boundary, parts.callbacks())  # type: ignore[arg-type]
    total, limit = 0, request_limit(parts.settings)
    async for chunk in request.stream():
        total += len(chunk)
        if total > limit:  # a body without a length that never ends (fields are not kept, but it must stop)
            raise WebError(413, "web.upload.request_too_large", limit=size_text(parts.settings.max_upload_bytes))
        if chunk:
            try:
                parser.write(chunk)
            except MultipartParseError as exc:  # a body that is not the multipart it says it is
                raise WebError(400, "web.error.bad_request") from exc
    parser.finalize()


async def _from_form(request: Request, parts: _Parts) -> None:
    form = await request.form(max_files=parts.settings.max_files_per_upload + 1)
    files = [value for _, value in form.multi_items() if isinstance(value, UploadFile) and value.filename]
    if len(files) > parts.settings.max_files_per_upload:
        raise WebError(413, "web.upload.too_many", n=parts.settings.max_files_per_upload)
    for upload in files:
        parts.current = Incoming(parts.storage, display_name(upload.filename or ""), parts.settings.max_upload_bytes)
        while chunk := await upload.read(CHUNK):
            parts.current.write(chunk)
        parts.part_end()
