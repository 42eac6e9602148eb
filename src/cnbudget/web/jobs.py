"""The worker pool: uploaded files read, checked and stored outside the request, state in the ``jobs`` table.

(Skeleton: the upload engineer fills this in — see docs/web.md.)
"""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from .settings import Settings
from .storage import Storage


class Workers:
    def __init__(self, settings: Settings, factory: sessionmaker[Session], storage: Storage) -> None:
        self.settings, self.factory, self.storage = settings, factory, storage

    def start(self) -> None:
        """Requeue the jobs a stopped server left running, then start taking queued jobs."""

    def stop(self) -> None:
        """Stop taking jobs; a job being read finishes or is requeued at the next start."""


def enqueue_paths(factory: sessionmaker[Session], storage: Storage, settings: Settings, paths: list[str]) -> int:
    """Copy the disclosure files under ``paths`` into the store and queue them (``serve --load``); how many.

    (Skeleton: filled in with the worker pool.)
    """
    return 0
