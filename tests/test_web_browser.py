"""The web application in a real browser: the system Chromium driven by Playwright against `cnbudget serve`.

Issue 13's acceptance path (upload → check → a finding's box on its page image → dismiss → reload → the
department's chart → the checklist), the refusals a person meets (wrong password, another role's page, an
unknown document, an expired session) in Chinese, English on request, and the accounts page; every page
visited is photographed (test-artifacts/screenshots/).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from browser_harness import PASSWORD, Camera, Server, browser_page, camera, chromium, needs_chromium, sign_in
from conftest import PDF_FILES, SEED_FILES

MESSAGES_LANG = "zh"
pytestmark = needs_chromium
__all__ = ["browser_page", "camera", "chromium"]  # fixtures from the harness

DEPARTMENT = "安阳市医疗保障局"  # seed 000's department (安阳市医疗保障局 2021 预算)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    s = Server(tmp_path_factory.mktemp("serve"))
    s.add_user("审核员", "reviewer")
    s.add_user("管理员", "admin")
    s.add_user("医保局财务", "department", department=DEPARTMENT)
    s.ingest(SEED_FILES["000"], SEED_FILES["002"], SEED_FILES["003"])
    s.start()
    yield s
    s.stop()


def test_sign_in_and_see_the_ledger(server: Server, browser_page: Any, camera: Camera) -> None:
    page = browser_page
    page.goto(server.url + "/")
    assert page.url.startswith(server.url + "/login")
    assert page.locator("h1").inner_text() == "登录"
    camera.shot(page, "login")
    sign_in(page, server, "审核员")
    assert page.url == server.url + "/"
    assert page.locator("h1").inner_text() == "公开台账"
    assert "审核员（审核人员）" in page.locator(".who").inner_text()
    rows = page.locator("table.ledger tbody tr")
    assert rows.count() == 3
    texts = [rows.nth(i).inner_text() for i in range(3)]
    assert any(DEPARTMENT in t and "2021" in t and "预算" in t for t in texts)
    assert any("台前县医疗保障局" in t and "2023" in t for t in texts)
    assert any("峯城区医疗保障局" in t and "决算" in t for t in texts)
    camera.shot(page, "ledger")
    page.select_option("select[name=kind]", "决算")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state("load")
    assert page.locator("table.ledger tbody tr").count() == 1 and "kind=" in page.url
    camera.shot(page, "ledger-filtered")


def test_a_wrong_password_is_refused_in_chinese(server: Server, browser_page: Any, camera: Camera) -> None:
    page = browser_page
    sign_in(page, server, "审核员", "not-the-password")
    assert page.locator("[role=alert]").inner_text() == "用户名或密码不正确。"
    assert page.url.startswith(server.url + "/login")
    assert page.input_value("input[name=name]") == "审核员"
    camera.shot(page, "login-refused")


def test_a_department_user_sees_only_their_own(server: Server, browser_page: Any, camera: Camera) -> None:
    page = browser_page
    sign_in(page, server, "医保局财务")
    rows = page.locator("table.ledger tbody tr")
    assert rows.count() == 1 and DEPARTMENT in rows.first.inner_text()
    camera.shot(page, "ledger-department")
    response = page.goto(server.url + "/admin/users")
    assert response is not None and response.status == 403
    assert page.locator("[role=alert]").inner_text() == "只有管理员可以进行此操作。"
    camera.shot(page, "refused-not-admin")


def test_an_unknown_page_says_so(server: Server, browser_page: Any, camera: Camera) -> None:
    page = browser_page
    sign_in(page, server, "审核员")
    response = page.goto(server.url + "/documents/999999")
    assert response is not None and response.status == 404
    assert page.locator("[role=alert]").inner_text() == "没有找到该页面或文件。"
    page.click("text=返回台账")
    assert page.locator("h1").inner_text() == "公开台账"
    page.goto(server.url + "/documents/999999")
    camera.shot(page, "refused-not-found")


def test_english_on_request_is_remembered(server: Server, browser_page: Any, camera: Camera) -> None:
    page = browser_page
    page.goto(server.url + "/login?lang=en")
    assert page.locator("h1").inner_text() == "Sign in"
    page.fill("input[name=name]", "审核员")
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text() == "Disclosure ledger"
    assert "公开台账" not in page.content()
    camera.shot(page, "ledger-english")


def test_an_admin_manages_accounts(server: Server, browser_page: Any, camera: Camera) -> None:
    page = browser_page
    sign_in(page, server, "管理员")
    page.click("header nav >> text=账户管理")
    assert page.locator("h1").inner_text() == "账户管理"
    assert page.locator("tr[data-user]").count() == 3
    page.fill("form.add-user input[name=name]", "审核员")
    page.fill("form.add-user input[name=password]", "another-pass-1")
    page.click("form.add-user button[type=submit]")
    assert page.locator("[role=alert]").inner_text() == "用户名“审核员”已被使用。"
    camera.shot(page, "accounts-name-taken")
    page.fill("form.add-user input[name=name]", "新审核员")
    page.fill("form.add-user input[name=password]", "another-pass-1")
    page.click("form.add-user button[type=submit]")
    assert page.locator("[role=status]").inner_text().startswith("已新建账户“新审核员”")
    assert page.locator("tr[data-user='新审核员']").count() == 1
    camera.shot(page, "accounts-added")
    row = page.locator("tr[data-user='新审核员']")
    row.locator("form.reset input[name=password]").fill("reset-pass-22")
    row.locator("form.reset button").click()
    assert "已重置“新审核员”的密码" in page.locator("[role=status]").inner_text()
    page.once("dialog", lambda dialog: dialog.dismiss())  # asked first: "no" keeps the account
    page.locator("tr[data-user='新审核员'] form.remove button").click()
    assert page.locator("tr[data-user='新审核员']").count() == 1
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("tr[data-user='新审核员'] form.remove button").click()
    page.wait_for_load_state("load")
    assert page.locator("[role=status]").inner_text() == "已删除账户“新审核员”。"
    assert page.locator("tr[data-user='新审核员']").count() == 0
    camera.shot(page, "accounts-removed")


def test_sign_out(server: Server, browser_page: Any, camera: Camera) -> None:
    page = browser_page
    sign_in(page, server, "审核员")
    page.click("header .who button[type=submit]")
    page.wait_for_load_state("load")
    assert page.url.startswith(server.url + "/login")
    page.goto(server.url + "/")
    assert page.url.startswith(server.url + "/login?next=")
    camera.shot(page, "signed-out")


def _no_console_errors(page: Any) -> list[str]:
    """What went wrong in the page: script errors, console errors, and every request refused (status ≥ 400)."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and not m.text.startswith("Failed to load resource") else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    return errors


def test_no_outside_request_and_no_script_error(server: Server, browser_page: Any) -> None:
    """Works offline: every request a page makes goes to the server itself."""
    page = browser_page
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith((server.url, "data:")) else None)
    errors = _no_console_errors(page)
    sign_in(page, server, "管理员")
    page.goto(server.url + "/admin/users")
    assert outside == [] and errors == []
    assert re.search(r"cnbudget", page.locator("footer").inner_text())


def test_an_expired_session_returns_to_the_login_page(server: Server, browser_page: Any, camera: Camera) -> None:
    """The session ends while the page is open: the next click lands on the login page, then back where it was."""
    import sqlite3

    page = browser_page
    sign_in(page, server, "管理员")
    page.goto(server.url + "/admin/users")
    with sqlite3.connect(server.db) as db:
        db.execute("update web_sessions set expires_at = '2000-01-01 00:00:00'")
    page.click("header nav >> text=账户管理")
    page.wait_for_load_state("load")
    assert page.url == server.url + "/login?next=/admin/users"
    camera.shot(page, "session-expired")
    page.fill("input[name=name]", "管理员")
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_load_state("load")
    assert page.url == server.url + "/admin/users" and page.locator("h1").inner_text() == "账户管理"


FLOW_PDF = PDF_FILES["finance"]  # 上海市普陀区财政局 2024 决算: findings with boxes on its pages (N-TABLE on page 21)
REASON = "口径不同，已与财政局核对"


@pytest.fixture(scope="module")
def empty_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server with accounts and no document yet: the upload is the first."""
    s = Server(tmp_path_factory.mktemp("serve-empty"))
    s.add_user("审核员", "reviewer")
    s.start()
    yield s
    s.stop()


def test_acceptance_flow(empty_server: Server, browser_page: Any, camera: Camera, tmp_path: Path) -> None:
    """Issue 13's path: log in → upload a sample → wait for the check → open a finding and see its page image
    with the box → dismiss it with a reason → reload: still dismissed → the department's comparison: the chart
    renders → download the checklist."""
    page = browser_page
    errors = _no_console_errors(page)
    sign_in(page, empty_server, "审核员")

    # upload a sample and wait for the check (the worker pool reads it; the page polls its job)
    page.goto(empty_server.url + "/upload")
    page.set_input_files("#upload-files", str(FLOW_PDF))
    page.click("#upload-form button[type=submit]")
    item = page.locator("#upload-list li.upload-item").first
    item.locator("progress").wait_for()
    camera.shot(page, "flow-uploading")
    page.wait_for_selector("#upload-list li[data-status]", timeout=240_000)
    assert item.get_attribute("data-status") == "done", item.inner_text()
    camera.shot(page, "flow-checked")

    # the document page, its findings
    item.locator("a.open").click()
    page.wait_for_load_state("load")
    assert re.fullmatch(empty_server.url + r"/documents/\d+", page.url)
    document_url = page.url
    assert "普陀区财政局" in page.locator("h1").inner_text() and "2024" in page.locator("h1").inner_text()
    finding = page.locator("tr.finding", has=page.locator("a[href^='/rules/N-TABLE']")).first
    finding_id = finding.get_attribute("data-finding-id")
    assert finding_id and "0.3万元" in finding.locator(".msg").inner_text()
    camera.shot(page, "flow-document")

    # its page image with the box drawn where the finding is
    finding.locator("a.place").click()
    page.wait_for_load_state("load")
    assert "/pages/21" in page.url
    image = page.locator(".sheet img")
    image.wait_for()
    assert page.evaluate("(img) => img.complete && img.naturalWidth > 0", image.element_handle())
    box = page.locator(".sheet a.box.chosen")
    shape = box.bounding_box()
    sheet = page.locator(".sheet").bounding_box()
    assert shape and sheet and shape["width"] > 5 and shape["height"] > 5
    assert sheet["x"] <= shape["x"] and shape["x"] + shape["width"] <= sheet["x"] + sheet["width"] + 1
    assert sheet["y"] <= shape["y"] and shape["y"] + shape["height"] <= sheet["y"] + sheet["height"] + 1
    camera.shot(page, "flow-page-image")

    # dismiss it with a reason; reload: still dismissed, with the reason and who
    page.goto(document_url)
    row = page.locator(f"tr.finding[data-finding-id='{finding_id}']")
    row.locator("form.review select[name=status]").select_option("dismissed")
    row.locator("form.review input[name=reason]").fill(REASON)
    row.locator("form.review button[type=submit]").click()
    page.wait_for_load_state("load")
    page.reload()
    row = page.locator(f"tr.finding[data-finding-id='{finding_id}']")
    assert row.get_attribute("data-state") == "dismissed"
    assert row.locator(".decision .reason").inner_text() == REASON
    assert "审核员" in row.locator(".decision").inner_text()
    row.evaluate("(node) => node.scrollIntoView({block: 'center'})")
    camera.shot(page, "flow-dismissed", full_page=False)

    # the department's comparison: the chart renders (ECharts from the package, drawn as SVG)
    page.goto(document_url + "/downloads")
    page.click("a[href^='/departments/'][href$='/trends']")
    page.wait_for_load_state("load")
    chart = page.locator(".chart[data-rendered='1']").first
    chart.wait_for()
    assert chart.locator("svg").count() == 1 and chart.locator("svg path").count() > 0
    camera.shot(page, "flow-trends")

    # download the checklist (公开情况检查表) and open it
    page.goto(document_url + "/downloads")
    camera.shot(page, "flow-downloads")
    with page.expect_download() as caught:
        page.click(f"a[href='{document_url.removeprefix(empty_server.url)}/downloads/checklist']")
    saved = tmp_path / caught.value.suggested_filename
    caught.value.save_as(saved)
    assert saved.suffix == ".xlsx"
    from openpyxl import load_workbook

    book = load_workbook(saved, read_only=True)
    cells = " ".join(str(c) for ws in book.worksheets for r in ws.iter_rows(values_only=True) for c in r if c is not None)
    assert "普陀区财政局" in cells
    # the reviewer's decision reaches the checklist: the dismissed N-TABLE is set aside, N-SHARE is still a problem
    assert "（N-SHARE）" in cells and "（N-TABLE）" not in cells
    assert errors == []
