"""Uploaded files, kept by content: ``files/ab/<sha256>``. No name a user gives ever becomes a path."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path

_SHA = re.compile(r"[0-9a-f]{64}")


class Storage:
    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "files").mkdir(parents=True, exist_ok=True)
        (root / "cache").mkdir(parents=True, exist_ok=True)

    def path(self, sha256: str) -> Path:
        """Where the file with this hash is kept (the hash is checked, so it cannot name anything else)."""
        if not _SHA.fullmatch(sha256):
            raise ValueError("not a sha256")
        return self.root / "files" / sha256[:2] / sha256

    def has(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def put_chunks(self, chunks: Iterable[bytes], limit: int) -> tuple[str, int] | None:
        """Write the chunks to the store; (sha256, size), or None when they exceed ``limit`` bytes
        (nothing is kept then). Written beside its place first and moved in, so a half file never shows."""
        digest = hashlib.sha256()
        size = 0
        tmp_dir = self.root / "files"
        fd, tmp = tempfile.mkstemp(dir=tmp_dir, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as fh:
                for chunk in chunks:
                    size += len(chunk)
                    if size > limit:
                        return None
                    digest.update(chunk)
                    fh.write(chunk)
            sha = digest.hexdigest()
            target = self.path(sha)
            target.parent.mkdir(exist_ok=True)
            os.replace(tmp, target)
            tmp = ""
            return sha, size
        finally:
            if tmp and os.path.exists(tmp):
                os.unlink(tmp)

    def put_file(self, source: Path, limit: int) -> tuple[str, int] | None:
        """Copy a file of this machine into the store (``serve --load``)."""
        with source.open("rb") as fh:
            return self.put_chunks(iter(lambda: fh.read(1 << 20), b""), limit)

    def cache_path(self, *parts: str) -> Path:
        """A file in the cache folder (page images); parts are made by the application, never by a user."""
        path = self.root / "cache" / Path(*parts)
        path.parent.mkdir(parents=True, exist_ok=True)
        return path
