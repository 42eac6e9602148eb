"""The real-browser test harness: `cnbudget serve` as a real process, and the system Chromium driven by Playwright.

The server gets a free port, a temporary database and data folder, and accounts made the way an
administrator makes them (`cnbudget user add … --password-stdin`). The browser is /usr/bin/chromium (CI
installs Debian's package; nothing is ever downloaded). Every page a test visits is photographed into
test-artifacts/screenshots/NN-name.png for a reviewer to look at.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]  # fmt: skip
SCREENSHOTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "screenshots"
PASSWORD = "browser-pass-1"
CLI = [sys.executable, "-c", "from cnbudget.cli import main; main()"]

needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no system Chromium at {CHROMIUM} (.ci/run installs Debian's chromium)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cnbudget(*args: str, stdin: str = "", env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """One `cnbudget` command in its own process (this interpreter, this checkout), asserted to succeed."""
    done = subprocess.run([*CLI, *args], input=stdin, capture_output=True, text=True, timeout=300, env=env, check=False)
    assert done.returncode == 0, f"cnbudget {' '.join(args)} failed ({done.returncode}): {done.stderr}"
    return done


@dataclass
class Server:
    """A running `cnbudget serve`; ``url`` is its root."""

    folder: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def db(self) -> str:
        return str(self.folder / "corpus.db")

    def add_user(self, name: str, role: str, department: str = "", password: str = PASSWORD) -> None:
        extra = ["--department", department] if department else []
        cnbudget("user", "add", name, "--role", role, *extra, "--password-stdin", "--db", self.db, stdin=password + "\n")

    def ingest(self, *paths: Path) -> None:
        cnbudget("ingest", *map(str, paths), "--db", self.db)

    def start(self, *load: Path, timeout: float = 90) -> None:
        """Starts the server and waits until /api/health answers (or the process dies: its stderr is shown)."""
        loads = [arg for p in load for arg in ("--load", str(p))]
        log = (self.folder / "serve.log").open("wb")
        command = [*CLI, "serve", "--db", self.db, "--data", str(self.folder / "data"), "--port", str(self.port), *loads]
        self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"cnbudget serve stopped ({self.process.returncode}): {self.log()}")
            try:
                with urllib.request.urlopen(self.url + "/api/health", timeout=2) as r:
                    if json.load(r) == {"status": "ok"}:
                        return
            except OSError:
                time.sleep(0.2)
        raise AssertionError(f"cnbudget serve did not answer /api/health in {timeout:.0f} s: {self.log()}")

    def log(self) -> str:
        path = self.folder / "serve.log"
        return path.read_text(encoding="utf-8", errors="replace")[-3000:] if path.exists() else ""

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class Camera:
    """Screenshots numbered in the order they are taken: test-artifacts/screenshots/NN-name.png."""

    def __init__(self, folder: Path = SCREENSHOTS) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.png"):
            old.unlink()
        self.folder, self.n = folder, 0

    def shot(self, page: Any, name: str, full_page: bool = True) -> Path:
        """The whole page, or (``full_page=False``) what the window shows, e.g. a row scrolled into view."""
        self.n += 1
        path = self.folder / f"{self.n:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path


@pytest.fixture(scope="module")
def camera() -> Camera:
    return Camera()


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """The system Chromium, headless, driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture()
def browser_page(chromium: Any) -> Iterator[Any]:
    """A fresh browser profile (no cookies) with a Chinese locale and a desktop-sized window."""
    context = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}, accept_downloads=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


def sign_in(page: Any, server: Server, name: str, password: str = PASSWORD) -> None:
    """Through the login form, as a person does."""
    page.goto(server.url + "/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", password)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_load_state("load")
