"""The web application's sign-in: pages in Chinese, refusals with the right status, CSRF on every form."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from cnbudget.web import auth
from cnbudget.web.app import create_app
from cnbudget.web.settings import Settings

MESSAGES_LANG = "zh"
PASSWORD = "secret-pass-1"


@pytest.fixture()
def client(tmp_path: Path) -> TestClient:
    app = create_app(Settings(db=str(tmp_path / "corpus.db"), data=tmp_path / "data", start_workers=False, login_failures_allowed=3))
    with app.state.factory() as session:
        auth.add_user(session, "审核员", "reviewer", PASSWORD)
        auth.add_user(session, "财务", "department", PASSWORD, department="上海市某某局")
        session.commit()
    with TestClient(app) as c:
        yield c


def _login_token(c: TestClient) -> str:
    page = c.get("/login")
    match = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert match
    return match.group(1)


def sign_in(c: TestClient, name: str = "审核员", password: str = PASSWORD) -> None:
    r = c.post("/login", data={"name": name, "password": password, "csrf": _login_token(c), "next": "/"})
    assert r.status_code == 200 and "公开台账" in r.text


def test_pages_ask_to_sign_in_and_api_says_401(client: TestClient) -> None:
    r = client.get("/")
    assert r.url.path == "/login" and "登录" in r.text
    r = client.get("/api/ledger")
    assert r.status_code == 401 and r.json() == {"error": "sign_in", "message": "请先登录。"}
    assert client.get("/api/health").json() == {"status": "ok"}


def test_wrong_password_then_rate_limit(client: TestClient) -> None:
    for _ in range(3):
        r = client.post("/login", data={"name": "审核员", "password": "wrong-one", "csrf": _login_token(client), "next": "/"})
        assert r.status_code == 401 and "用户名或密码不正确。" in r.text
    r = client.post("/login", data={"name": "审核员", "password": PASSWORD, "csrf": _login_token(client), "next": "/"})
    assert r.status_code == 429 and "登录失败次数过多" in r.text


def test_forged_login_form_is_refused(client: TestClient) -> None:
    r = client.post("/login", data={"name": "审核员", "password": PASSWORD, "csrf": "forged", "next": "/"})
    assert r.status_code == 403 and "表单已过期或来源不明" in r.text


def test_signed_in_session_and_csrf(client: TestClient) -> None:
    sign_in(client)
    me = client.get("/api/me").json()
    assert me["name"] == "审核员" and me["role"] == "reviewer" and me["csrf"]
    assert client.post("/logout").status_code == 403  # no CSRF token: a forged form
    r = client.post("/logout", data={"csrf": me["csrf"]})
    assert r.url.path == "/login"
    assert client.get("/api/me").status_code == 401


def test_next_never_leaves_the_site(client: TestClient) -> None:
    r = client.post(
        "/login",
        data={"name": "审核员", "password": PASSWORD, "csrf": _login_token(client), "next": "//evil.example/"},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == "/"


def test_api_token(client: TestClient) -> None:
    with client.app.state.factory() as session:  # type: ignore[attr-defined]
        token = auth.new_token(session, "审核员")
        session.commit()
    r = client.get("/api/ledger", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200 and r.json() == []
    assert client.get("/api/ledger", headers={"Authorization": "Bearer cnb_forged"}).status_code == 401


def test_english_on_request(client: TestClient) -> None:
    r = client.get("/login?lang=en")
    assert "Sign in" in r.text and "登录" not in r.text
