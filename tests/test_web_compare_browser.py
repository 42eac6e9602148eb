"""The trends and peer charts as a person sees them: the system Chromium (Playwright) on a served application.

The charts are drawn by the vendored ECharts from each page's JSON block; the test waits for every chart,
reads the exact values printed on its bars, and downloads the checklist by its link.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from openpyxl import load_workbook
from playwright.sync_api import Page, sync_playwright

from cnbudget.corpus.ingest import ingest
from cnbudget.rules.registry import Config
from cnbudget.web import auth
from cnbudget.web.app import create_app
from cnbudget.web.settings import Settings
from conftest import SHARED

MESSAGES_LANG = "zh"
PASSWORD = "secret-pass-1"
WILD = SHARED / "samples" / "wild"
WANLI = "上海市普陀区人民政府万里街道办事处"
CHROMIUM = "/usr/bin/chromium"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The application on a local port, over the 万里街道 budgets of 2023 and 2024, with a reviewer."""
    folder = tmp_path_factory.mktemp("web-compare-browser")
    app = create_app(Settings(db=str(folder / "c.db"), data=folder / "data", start_workers=False))
    files = [str(WILD / "shpt-wanli-2023-dept-budget.pdf"), str(WILD / "shpt-wanli-2024-dept-budget.pdf")]
    ingest(files, app.state.factory, Config(), department=WANLI)
    with app.state.factory() as session:
        auth.add_user(session, "审核员", "reviewer", PASSWORD)
        session.commit()
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser_page(site: str) -> Iterator[Page]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
        page.goto(f"{site}/login")
        page.fill("input[name=name]", "审核员")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_selector("table.ledger")
        yield page
        browser.close()


def test_trend_charts_render_with_the_exact_values(site: str, browser_page: Page, tmp_path: Path) -> None:
    page = browser_page
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.click("a.trends >> nth=0")
    page.wait_for_url("**/trends")
    charts = page.locator("div.chart")
    assert charts.count() >= 10
    for i in range(charts.count()):
        page.wait_for_selector(f"#trend-{i}[data-rendered] svg")
    first = page.locator("#trend-0 svg").text_content() or ""
    assert "16497.864" in first and "15621.1123" in first and "2024 预算 部门" in first
    page.screenshot(path=str(tmp_path / "trends.png"), full_page=True)
    assert errors == []


def test_peer_chart_renders_and_the_checklist_downloads(site: str, browser_page: Page, tmp_path: Path) -> None:
    page = browser_page
    page.goto(f"{site}/compare?year=2024&metric=项目/支出")
    page.wait_for_selector("#peers-chart[data-rendered] svg")
    assert "36.17" in (page.locator("#peers-chart svg").text_content() or "")  # 项目支出 5650.5103 / 支出总计 15621.1123
    page.screenshot(path=str(tmp_path / "peers.png"), full_page=True)
    ledger = page.request.get(f"{site}/api/ledger").json()
    doc = next(e["document_id"] for e in ledger if e["department"] == WANLI and e["year"] == 2024)
    page.goto(f"{site}/documents/{doc}/downloads")
    with page.expect_download() as info:
        page.click("text=公开情况检查表")
    download = info.value
    assert download.suggested_filename == f"{WANLI}2024年预算部门-公开情况检查表.xlsx"
    saved = tmp_path / "checklist.xlsx"
    download.save_as(saved)
    ws = load_workbook(saved).worksheets[0]
    assert ws.cell(row=2, column=3).value == WANLI and ws.cell(row=4, column=3).value == "shpt-wanli-2024-dept-budget.pdf"
