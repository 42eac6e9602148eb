"""Accounts for admins in the browser (/admin/users and /api/admin/users), and the expired session.

Every refusal is asserted with its status and its Chinese sentence: a reviewer (403), a forged form (403),
a duplicate name (409), a short password, removing one's own account, an unknown account (404).
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from cnbudget.corpus.models import User, WebSession
from cnbudget.web import auth
from cnbudget.web.app import create_app
from cnbudget.web.settings import Settings

MESSAGES_LANG = "zh"
PASSWORD = "secret-pass-1"


@pytest.fixture()
def client(tmp_path: Path) -> TestClient:
    app = create_app(Settings(db=str(tmp_path / "corpus.db"), data=tmp_path / "data", start_workers=False))
    with app.state.factory() as session:
        auth.add_user(session, "管理员", "admin", PASSWORD)
        auth.add_user(session, "审核员", "reviewer", PASSWORD)
        auth.add_user(session, "财务", "department", PASSWORD, department="上海市某某局")
        session.commit()
    with TestClient(app) as c:
        yield c


def sign_in(c: TestClient, name: str = "管理员", password: str = PASSWORD) -> str:
    """Signs in through the API (sets the cookie); the session's CSRF token."""
    r = c.post("/api/session", json={"name": name, "password": password})
    assert r.status_code == 200, r.text
    return str(r.json()["csrf"])


def user_id(c: TestClient, name: str) -> int:
    with c.app.state.factory() as session:  # type: ignore[attr-defined]
        found = session.scalar(select(User.id).where(User.name == name))
    assert found is not None
    return int(found)


def page_csrf(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match
    return match.group(1)


def can_sign_in(app: object, name: str, password: str) -> bool:
    with TestClient(app) as other:  # type: ignore[arg-type]
        return other.post("/api/session", json={"name": name, "password": password}).status_code == 200


def test_admin_sees_every_account_and_a_link_to_them(client: TestClient) -> None:
    sign_in(client)
    r = client.get("/admin/users")
    assert r.status_code == 200 and "账户管理" in r.text
    for name, role in (("管理员", "管理员"), ("审核员", "审核人员"), ("财务", "部门用户")):
        assert f'data-user="{name}"' in r.text and role in r.text
    assert "上海市某某局" in r.text and "（当前登录账户）" in r.text
    assert 'href="/admin/users"' in client.get("/").text
    api = client.get("/api/admin/users").json()
    assert {u["name"]: (u["role"], u["department"]) for u in api} == {
        "管理员": ("admin", ""),
        "审核员": ("reviewer", ""),
        "财务": ("department", "上海市某某局"),
    }
    assert "password_hash" not in r.text and "argon2" not in r.text and "argon2" not in str(api)


def test_no_one_else_sees_the_accounts(client: TestClient) -> None:
    r = client.get("/admin/users", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    assert client.get("/api/admin/users").status_code == 401
    for name in ("审核员", "财务"):
        csrf = sign_in(client, name)
        r = client.get("/admin/users")
        assert r.status_code == 403 and "只有管理员可以进行此操作。" in r.text
        assert 'href="/admin/users"' not in client.get("/").text
        r = client.get("/api/admin/users")
        assert r.status_code == 403 and r.json() == {"error": "not_admin", "message": "只有管理员可以进行此操作。"}
        form = {"csrf": csrf, "name": "新人", "role": "admin", "password": "long-enough-1"}
        r = client.post("/admin/users", data=form)
        assert r.status_code == 403 and "只有管理员可以进行此操作。" in r.text
        r = client.post(f"/admin/users/{user_id(client, '管理员')}/remove", data={"csrf": csrf})
        assert r.status_code == 403
        r = client.put(
            f"/api/admin/users/{user_id(client, '管理员')}/password", json={"password": "taken-over-1"}, headers={"X-CSRF-Token": csrf}
        )
        assert r.status_code == 403 and r.json()["error"] == "not_admin"
        client.cookies.clear()
    assert [u for u in ("新人",) if can_sign_in(client.app, u, "long-enough-1")] == []
    assert can_sign_in(client.app, "管理员", PASSWORD)


def test_a_forged_form_changes_nothing(client: TestClient) -> None:
    sign_in(client)
    for csrf in ("", "forged"):
        r = client.post("/admin/users", data={"csrf": csrf, "name": "新人", "role": "admin", "password": "long-enough-1"})
        assert r.status_code == 403 and "表单已过期或来源不明，请刷新页面后重试。" in r.text
        r = client.post(f"/admin/users/{user_id(client, '审核员')}/remove", data={"csrf": csrf})
        assert r.status_code == 403 and "表单已过期或来源不明" in r.text
        r = client.post(f"/admin/users/{user_id(client, '审核员')}/password", data={"csrf": csrf, "password": "taken-over-1"})
        assert r.status_code == 403
    r = client.delete(f"/api/admin/users/{user_id(client, '审核员')}")  # a script without the header
    assert r.status_code == 403 and r.json() == {"error": "csrf", "message": "表单已过期或来源不明，请刷新页面后重试。"}
    assert {u["name"] for u in client.get("/api/admin/users").json()} == {"管理员", "审核员", "财务"}
    assert can_sign_in(client.app, "审核员", PASSWORD)


def test_add_an_account_in_the_browser(client: TestClient) -> None:
    sign_in(client)
    csrf = page_csrf(client.get("/admin/users").text)
    form = {"csrf": csrf, "name": "徐汇财务", "role": "department", "department": "上海市徐汇区教育局", "password": "initial-pass-1"}
    r = client.post("/admin/users", data=form)
    assert r.status_code == 200 and r.url.path == "/admin/users"
    assert "已新建账户“徐汇财务”。" in r.text and 'data-user="徐汇财务"' in r.text
    me = TestClient(client.app)
    me.post("/api/session", json={"name": "徐汇财务", "password": "initial-pass-1"})
    assert me.get("/api/me").json()["department"] == "上海市徐汇区教育局"
    # a reviewer's department is not kept: it would mean nothing
    form = {"csrf": csrf, "name": "新审核员", "role": "reviewer", "department": "某局", "password": "initial-pass-2"}
    assert client.post("/admin/users", data=form).status_code == 200
    assert {u["name"]: u["department"] for u in client.get("/api/admin/users").json()}["新审核员"] == ""


@pytest.mark.parametrize(
    ("form", "status", "message"),
    [
        ({"name": "审核员", "role": "reviewer", "password": "long-enough-1"}, 409, "用户名“审核员”已被使用。"),
        ({"name": " 审核员 ", "role": "admin", "password": "long-enough-1"}, 409, "用户名“审核员”已被使用。"),
        ({"name": "新人", "role": "reviewer", "password": "short"}, 400, "密码至少需要 8 个字符。"),
        ({"name": "新人", "role": "department", "department": " ", "password": "long-enough-1"}, 400, "部门用户必须指定所属部门"),
        ({"name": "新人", "role": "root", "password": "long-enough-1"}, 400, "角色“root”不存在"),
        ({"name": "  ", "role": "reviewer", "password": "long-enough-1"}, 400, "用户名不能为空。"),
    ],
)
def test_a_refused_account_says_why_and_keeps_the_form(client: TestClient, form: dict[str, str], status: int, message: str) -> None:
    csrf = sign_in(client)
    r = client.post("/admin/users", data={"csrf": csrf, **form})
    assert r.status_code == status and message in r.text
    assert 'value="' + form["name"] + '"' in r.text  # what was typed is kept (escaped), never the password
    assert form["password"] not in r.text.replace('value="' + form["name"] + '"', "")
    r = client.post("/api/admin/users", json=form, headers={"X-CSRF-Token": csrf})
    assert r.status_code == status and message in r.json()["message"]
    assert len(client.get("/api/admin/users").json()) == 3


def test_remove_an_account_signs_it_out(client: TestClient) -> None:
    other = TestClient(client.app)
    other.post("/api/session", json={"name": "审核员", "password": PASSWORD})
    assert other.get("/api/me").status_code == 200
    csrf = sign_in(client)
    r = client.post(f"/admin/users/{user_id(client, '审核员')}/remove", data={"csrf": csrf})
    assert r.status_code == 200 and "已删除账户“审核员”。" in r.text and 'data-user="审核员"' not in r.text
    assert other.get("/api/me").status_code == 401
    assert not can_sign_in(client.app, "审核员", PASSWORD)
    r = client.delete(f"/api/admin/users/{user_id(client, '财务')}", headers={"X-CSRF-Token": csrf})
    assert r.status_code == 204
    assert [u["name"] for u in client.get("/api/admin/users").json()] == ["管理员"]


def test_no_one_removes_their_own_account_or_an_unknown_one(client: TestClient) -> None:
    csrf = sign_in(client)
    me = user_id(client, "管理员")
    r = client.post(f"/admin/users/{me}/remove", data={"csrf": csrf})
    assert r.status_code == 409 and "不能删除自己正在使用的账户。" in r.text
    r = client.delete(f"/api/admin/users/{me}", headers={"X-CSRF-Token": csrf})
    assert r.status_code == 409 and r.json() == {"error": "self_remove", "message": "不能删除自己正在使用的账户。"}
    r = client.post("/admin/users/99999/remove", data={"csrf": csrf})
    assert r.status_code == 404 and "没有找到该页面或文件。" in r.text
    r = client.put("/api/admin/users/99999/password", json={"password": "long-enough-1"}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 404 and r.json()["error"] == "not_found"
    assert client.get("/api/me").status_code == 200


def test_reset_a_password(client: TestClient) -> None:
    other = TestClient(client.app)
    other.post("/api/session", json={"name": "财务", "password": PASSWORD})
    csrf = sign_in(client)
    target = user_id(client, "财务")
    r = client.post(f"/admin/users/{target}/password", data={"csrf": csrf, "password": "short"})
    assert r.status_code == 400 and "密码至少需要 8 个字符。" in r.text
    assert can_sign_in(client.app, "财务", PASSWORD)
    r = client.post(f"/admin/users/{target}/password", data={"csrf": csrf, "password": "brand-new-pass"})
    assert r.status_code == 200 and "已重置“财务”的密码" in r.text
    assert other.get("/api/me").status_code == 401  # signed out everywhere
    assert not can_sign_in(client.app, "财务", PASSWORD) and can_sign_in(client.app, "财务", "brand-new-pass")
    r = client.put(f"/api/admin/users/{target}/password", json={"password": "another-pass-2"}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 204 and can_sign_in(client.app, "财务", "another-pass-2")


def test_an_admin_script_with_an_api_token(client: TestClient) -> None:
    with client.app.state.factory() as session:  # type: ignore[attr-defined]
        token = auth.new_token(session, "管理员")
        session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    r = client.post("/api/admin/users", json={"name": "脚本建的", "role": "reviewer", "password": "long-enough-1"}, headers=headers)
    assert r.status_code == 201 and r.json()["name"] == "脚本建的" and r.json()["role"] == "reviewer"
    assert "脚本建的" in {u["name"] for u in client.get("/api/admin/users", headers=headers).json()}


def test_accounts_page_in_english_on_request(client: TestClient) -> None:
    sign_in(client)
    r = client.get("/admin/users?lang=en")
    assert r.status_code == 200 and "Accounts" in r.text and "账户管理" not in r.text and "reviewer" in r.text


def test_the_api_twins_are_in_openapi(client: TestClient) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    assert set(paths["/api/admin/users"]) == {"get", "post"}
    assert "delete" in paths["/api/admin/users/{user_id}"] and "put" in paths["/api/admin/users/{user_id}/password"]


def test_an_expired_session_asks_to_sign_in_again(client: TestClient) -> None:
    sign_in(client, "审核员")
    assert client.get("/api/me").status_code == 200
    with client.app.state.factory() as session:  # type: ignore[attr-defined]
        session.execute(update(WebSession).values(expires_at=auth.now() - timedelta(minutes=1)))
        session.commit()
    r = client.get("/", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=/"
    r = client.get("/")
    assert r.url.path == "/login" and "登录" in r.text
    r = client.get("/api/ledger")
    assert r.status_code == 401 and r.json() == {"error": "sign_in", "message": "请先登录。"}
    with client.app.state.factory() as session:  # type: ignore[attr-defined]
        assert session.scalar(select(WebSession.token_hash)) is None  # the expired row is gone
