"""What one running application is configured with: the corpus, the data folder and the limits."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

MB = 1024 * 1024


@dataclass(frozen=True)
class Settings:
    """``db`` is a corpus URL or SQLite path (corpus.db.resolve_url); ``data`` holds uploaded files by hash
    and the page-image cache. Cookies are marked Secure only when the site is served over HTTPS."""

    db: str | None = None
    data: Path = Path("cnbudget-data")
    max_upload_bytes: int = 100 * MB
    max_files_per_upload: int = 50
    workers: int = 1
    job_seconds: int = 900  # reading and checking one uploaded file; a slower one fails with a sentence
    session_hours: int = 12
    secure_cookies: bool = False
    login_failures_allowed: int = 5  # per name or per address in login_window_minutes
    login_window_minutes: int = 15
    start_workers: bool = True  # tests of the pages alone run without the worker pool
