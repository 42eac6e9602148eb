"""The web document page, page images with boxes, review actions, the CLI review file, versions and the
ledger's 'reviewed' status — with the test client, on real documents ingested into a corpus.

The corpus: the 普陀区规划和自然资源局 2024 决算 PDF, seed 000 (安阳市医疗保障局 2021 预算, a text) and a
corrected re-publication of seed 000 as its version 2 (the 2018 name 文化体育与传媒 corrected on line 73 —
fixing a K003 finding — and one figure of line 74 changed, which two B4-2 findings catch), and the 2024
template PDF ingested from a copy (to test where page images come from).
"""

from __future__ import annotations

import io
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
from fastapi.testclient import TestClient
from PIL import Image
from typer.testing import CliRunner

from cnbudget.cli import app as cli
from cnbudget.corpus.db import open_corpus
from cnbudget.corpus.ingest import ingest
from cnbudget.rules.registry import Config
from cnbudget.web import auth
from cnbudget.web.app import create_app
from cnbudget.web.settings import Settings
from conftest import PDF_FILES, SEED_FILES

MESSAGES_LANG = "zh"
PASSWORD = "secret-pass-1"
PLANNING = "上海市普陀区规划和自然资源局"
ANYANG = "安阳市医疗保障局"
runner = CliRunner()


def _corrected_seed(folder: Path) -> Path:
    """Seed 000 as its department would re-publish it: one name corrected, one figure changed."""
    lines = SEED_FILES["000"].read_text(encoding="utf-8").splitlines(keepends=True)
    assert "七、文化体育与传媒" in lines[72] and lines[73].count("332,742.56") == 3
    lines[72] = lines[72].replace("七、文化体育与传媒", "七、文化旅游体育与传媒")
    lines[73] = lines[73].replace("332,742.56", "332,742.65", 1)
    target = folder / "000-corrected.txt"
    target.write_text("".join(lines), encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("docpage")
    template = folder / "template-copy.pdf"
    shutil.copyfile(PDF_FILES["template"], template)
    factory = open_corpus(str(folder / "corpus.db"))
    paths = [str(PDF_FILES["planning"]), str(SEED_FILES["000"])]
    outcomes = ingest(paths, factory, Config()) + ingest([str(_corrected_seed(folder))], factory, Config())
    outcomes += ingest([str(template)], factory, Config())
    assert [o.status for o in outcomes] == ["new", "new", "version", "new"], outcomes
    with factory() as session:
        auth.add_user(session, "审核员", "reviewer", PASSWORD)
        auth.add_user(session, "规划财务", "department", PASSWORD, department=PLANNING)
        session.commit()
    factory.kw["bind"].dispose()  # the last connection closed: the WAL is written into the file that is copied
    return folder


@pytest.fixture()
def client(corpus: Path, tmp_path: Path) -> Iterator[TestClient]:
    shutil.copyfile(corpus / "corpus.db", tmp_path / "corpus.db")
    app = create_app(Settings(db=str(tmp_path / "corpus.db"), data=tmp_path / "data", start_workers=False))
    with TestClient(app) as c:
        yield c


def sign_in(c: TestClient, name: str = "审核员") -> str:
    """Sign in; the session's CSRF token."""
    login = c.get("/login")
    match = re.search(r'name="csrf" value="([^"]+)"', login.text)
    assert match
    r = c.post("/login", data={"name": name, "password": PASSWORD, "csrf": match.group(1), "next": "/"})
    assert r.status_code == 200
    csrf: str = c.get("/api/me").json()["csrf"]
    return csrf


def doc_id(c: TestClient, department: str) -> int:
    found = [e["document_id"] for e in c.get("/api/ledger").json() if e["department"] == department]
    assert len(found) == 1
    return int(found[0])


def cli_check(path: Path, *extra: str) -> dict[str, Any]:
    result = runner.invoke(cli, ["check", str(path), "--format", "json", *extra])
    assert result.exit_code in (0, 1), result.output
    document: dict[str, Any] = json.loads(result.stdout)["documents"][0]
    return document


# --- the document page ---------------------------------------------------------------------------------


def test_pdf_page_shows_the_findings_the_cli_reports(client: TestClient) -> None:
    sign_in(client)
    pid = doc_id(client, PLANNING)
    expected = cli_check(PDF_FILES["planning"])
    api = client.get(f"/api/documents/{pid}").json()
    assert [f["finding_id"] for f in api["findings"]] == [f["id"] for f in expected["findings"]]
    assert [f["rule"] for f in api["findings"]] == [f["rule"] for f in expected["findings"]]
    assert api["document"] == {"id": pid, "department": PLANNING, "region": api["document"]["region"], "year": 2024, "kind": "决算", "scope": "部门"}
    assert api["version"]["source"] == PDF_FILES["planning"].name and api["version"]["format"] == "pdf"
    assert (api["version"]["errors"], api["version"]["warnings"]) == (
        sum(f["severity"] == "error" for f in expected["findings"]),
        sum(f["severity"] == "warning" for f in expected["findings"]),
    )
    # coverage: what check says was not checked, with the same reasons
    not_checked = {(c["rule"], c["reason"]) for c in expected["coverage"] if c["status"] == "not checked"}
    assert {(c["rule"], c["reason"]) for c in api["coverage"] if c["status"] == "not checked"} == not_checked
    # the standard tables as printed, with their codes and page numbers: F1 prints 类 210 with 236.63 on page 7
    f1 = next(t for t in api["tables"] if t["spec_id"] == "F1")
    assert f1["page"] == 7 and any("236.63" in values for _, _, values in f1["rows"])
    html = client.get(f"/documents/{pid}")
    assert html.status_code == 200
    assert "检查发现的问题" in html.text and "检查覆盖" in html.text and "情况说明" in html.text and PLANNING in html.text
    for f in expected["findings"]:
        assert f'data-finding-id="{f["id"]}"' in html.text
    assert 'href="/rules/N-TABLE"' in html.text
    # a finding with a box links to its page image
    boxed = next(f for f in api["findings"] if f["bbox"] and f["page"])
    assert f'/documents/{pid}/versions/1/pages/{boxed["page"]}?finding={boxed["id"]}' in html.text


def test_text_page_shows_the_findings_the_cli_reports(client: TestClient) -> None:
    sign_in(client)
    aid = doc_id(client, ANYANG)
    expected = cli_check(SEED_FILES["000"])
    v1 = client.get(f"/api/documents/{aid}/versions/1").json()
    assert [f["finding_id"] for f in v1["findings"]] == [f["id"] for f in expected["findings"]]
    assert [v["number"] for v in v1["versions"]] == [1, 2] and v1["version"]["source"] == SEED_FILES["000"].name
    latest = client.get(f"/api/documents/{aid}").json()
    assert latest["version"]["number"] == 2 and latest["version"]["source"] == "000-corrected.txt"
    assert [s["title"] for s in latest["sections"]] == [s["title"] for s in v1["sections"]]
    older = client.get(f"/documents/{aid}/versions/1")
    assert older.status_code == 200 and "这是较早的版本，最新的是第2版。" in older.text
    assert client.get(f"/documents/{aid}/versions/3").status_code == 404


def test_another_departments_document_is_not_found(client: TestClient) -> None:
    sign_in(client)
    aid, pid = doc_id(client, ANYANG), doc_id(client, PLANNING)
    client.post("/logout", data={"csrf": client.get("/api/me").json()["csrf"]})
    sign_in(client, "规划财务")
    assert [e["department"] for e in client.get("/api/ledger").json()] == [PLANNING]
    assert client.get(f"/documents/{pid}").status_code == 200
    for path in (
        f"/documents/{aid}", f"/documents/{aid}/versions/1", f"/documents/{aid}/changes", f"/documents/{aid}/versions/1/lines/73",
        f"/api/documents/{aid}", f"/api/documents/{aid}/versions/2", f"/api/documents/{aid}/changes", f"/api/documents/{aid}/review",
    ):
        r = client.get(path)
        assert r.status_code == 404, path
        assert "没有找到该页面或文件。" in r.text, path
    finding = client.get(f"/api/documents/{pid}").json()["findings"][0]["finding_id"]
    assert client.get(f"/api/findings/{finding}/review").status_code == 200
    client.post("/logout", data={"csrf": client.get("/api/me").json()["csrf"]})
    sign_in(client)
    elsewhere = client.get(f"/api/documents/{aid}").json()["findings"][0]["finding_id"]
    client.post("/logout", data={"csrf": client.get("/api/me").json()["csrf"]})
    sign_in(client, "规划财务")
    assert client.get(f"/api/findings/{elsewhere}/review").status_code == 404
    assert client.get("/api/documents/999999").status_code == 404


def test_pages_need_a_sign_in(client: TestClient) -> None:
    assert client.get("/api/documents/1").json() == {"error": "sign_in", "message": "请先登录。"}
    assert client.get("/documents/1").url.path == "/login"
    assert client.get("/documents/1/versions/1/pages/1.png").url.path == "/login"


# --- page images and boxes ------------------------------------------------------------------------------


def test_page_png_is_the_page_at_its_size(client: TestClient) -> None:
    sign_in(client)
    pid = doc_id(client, PLANNING)
    info = client.get(f"/api/documents/{pid}/versions/1/pages/7").json()
    pdf = pdfium.PdfDocument(str(PDF_FILES["planning"]))
    width, height = pdf[6].get_size()
    assert info["pages"] == len(pdf) and (info["width"], info["height"]) == pytest.approx((width, height))
    r = client.get(info["image"])
    assert r.status_code == 200 and r.headers["content-type"] == "image/png" and r.content.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(r.content))
    assert abs(image.width - 1240) <= 2 and image.height == pytest.approx(image.width * height / width, abs=2)
    assert client.get(info["image"]).content == r.content  # from the cache the second time
    for bad in (0, info["pages"] + 1):
        r = client.get(f"/documents/{pid}/versions/1/pages/{bad}.png")
        assert r.status_code == 404 and f"页码超出范围：本文件共 {info['pages']} 页。" in r.text
        assert client.get(f"/api/documents/{pid}/versions/1/pages/{bad}").status_code == 404


def test_every_box_is_inside_its_page_and_on_the_figure(client: TestClient) -> None:
    """The box is where the finding is: the printed text under the X-F2 box of page 7 is the figure it names."""
    sign_in(client)
    pid = doc_id(client, PLANNING)
    findings = client.get(f"/api/documents/{pid}").json()["findings"]
    pages = sorted({f["page"] for f in findings if f["bbox"]})
    assert pages
    for p in pages:
        info = client.get(f"/api/documents/{pid}/versions/1/pages/{p}").json()
        assert info["boxes"]
        for b in info["boxes"]:
            x0, top, x1, bottom = b["bbox"]
            assert 0 <= x0 < x1 <= info["width"] and 0 <= top < bottom <= info["height"]
            assert b["left"] >= 0 and b["left"] + b["width"] <= 100.001 and b["top"] >= 0 and b["top"] + b["height"] <= 100.001
    xf2 = next(f for f in findings if f["rule"] == "X-F2" and f["page"] == 7 and "236.63" in f["message"])
    info = client.get(f"/api/documents/{pid}/versions/1/pages/7").json()
    box = next(b for b in info["boxes"] if b["finding"] == xf2["id"])
    x0, top, x1, bottom = box["bbox"]
    page = pdfium.PdfDocument(str(PDF_FILES["planning"]))[6]
    assert page.get_rotation() == 0
    text = page.get_textpage().get_text_bounded(left=x0, bottom=info["height"] - bottom, right=x1, top=info["height"] - top)
    assert text.strip() == "236.63"
    viewer = client.get(f"/documents/{pid}/versions/1/pages/7?finding={xf2['id']}")
    assert viewer.status_code == 200 and info["image"] in viewer.text
    assert f'id="finding-{xf2["id"]}"' in viewer.text and f"left: {box['left']}%; top: {box['top']}%" in viewer.text


def test_page_image_from_the_store_or_the_ingested_file(client: TestClient, corpus: Path) -> None:
    """The image comes from the web store by hash, else from the ingested path while it holds the same bytes."""
    sign_in(client)
    tid = doc_id(client, "上海市XX局")
    copy = corpus / "template-copy.pdf"
    assert client.get(f"/documents/{tid}/versions/1/pages/1.png").status_code == 200
    copy.write_bytes(b"%PDF-1.4 changed since it was ingested")
    try:
        r = client.get(f"/documents/{tid}/versions/1/pages/2.png")
        assert r.status_code == 404 and "原始文件已不在服务器上，无法显示页面。" in r.text
        storage = client.app.state.storage  # type: ignore[attr-defined]
        assert storage.put_file(PDF_FILES["template"], 10**9) is not None
        assert client.get(f"/documents/{tid}/versions/1/pages/2.png").content.startswith(b"\x89PNG")
    finally:
        shutil.copyfile(PDF_FILES["template"], copy)


def test_text_document_shows_the_lines_around_a_finding(client: TestClient) -> None:
    sign_in(client)
    aid = doc_id(client, ANYANG)
    k003 = next(f for f in client.get(f"/api/documents/{aid}/versions/1").json()["findings"] if f["rule"] == "K003" and f["line"] == 73)
    lines = client.get(f"/api/documents/{aid}/versions/1/lines/73").json()
    assert lines["first"] == 67 and lines["lines"][73 - 67].strip() == "七、文化体育与传媒"
    assert k003["finding_id"] in [f["finding_id"] for f in lines["findings"]]
    page = client.get(f"/documents/{aid}/versions/1/lines/73?finding={k003['id']}")
    assert page.status_code == 200 and '<span id="line-73" class="line chosen">' in page.text and k003["message"] in page.text
    assert client.get(f"/api/documents/{aid}/versions/2/lines/73").json()["lines"][6].strip() == "七、文化旅游体育与传媒"
    r = client.get(f"/documents/{aid}/versions/1/lines/100000")
    assert r.status_code == 404 and "行号超出范围。" in r.text
    assert client.get(f"/documents/{aid}/versions/1/pages/1.png").status_code == 404  # a text has no pages


# --- review ---------------------------------------------------------------------------------------------


def test_dismiss_with_reason_stays_dismissed_and_the_cli_counts_it(client: TestClient, tmp_path: Path) -> None:
    csrf = sign_in(client)
    aid = doc_id(client, ANYANG)
    v1 = client.get(f"/api/documents/{aid}/versions/1").json()["findings"]
    c006 = next(f for f in v1 if f["rule"] == "C006")
    r = client.post(f"/findings/{c006['finding_id']}/review", data={"csrf": csrf, "status": "dismissed", "reason": "情况说明另文公开"})
    assert r.status_code == 200 and r.url.path == f"/documents/{aid}/versions/2"
    again = client.get(f"/documents/{aid}")
    row = re.search(rf'<tr id="f-{c006["finding_id"]}" class="([^"]+)"', again.text)
    assert row and "state-dismissed" in row.group(1) and "情况说明另文公开" in again.text and "已排除" in again.text
    state = client.get(f"/api/findings/{c006['finding_id']}/review").json()
    assert state["state"] == "dismissed" and state["decisions"][0]["who"] == "审核员"
    # the download is the CLI's review file: check --review counts the finding dismissed
    download = client.get(f"/api/documents/{aid}/review")
    assert download.status_code == 200 and 'filename="cnbudget-review.json"' in download.headers["content-disposition"]
    review_path = tmp_path / "cnbudget-review.json"
    review_path.write_bytes(download.content)
    checked = cli_check(SEED_FILES["000"], "--review", str(review_path))
    assert [x["id"] for x in checked["dismissed"]] == [c006["finding_id"]]
    assert checked["dismissed"][0]["review"]["reason"] == "情况说明另文公开" and checked["dismissed"][0]["review"]["who"] == "审核员"
    assert c006["finding_id"] not in [f["id"] for f in checked["findings"]]


def test_a_decision_made_with_the_cli_imports_into_the_web(client: TestClient, tmp_path: Path) -> None:
    csrf = sign_in(client)
    aid = doc_id(client, ANYANG)
    c001 = next(f for f in client.get(f"/api/documents/{aid}").json()["findings"] if f["rule"] == "C001")
    copy = tmp_path / SEED_FILES["000"].name
    shutil.copyfile(SEED_FILES["000"], copy)
    review_path = tmp_path / "cnbudget-review.json"
    marked = runner.invoke(cli, ["review", str(copy), "--id", c001["finding_id"], "--status", "confirmed", "--who", "张三", "--review", str(review_path)])
    assert marked.exit_code == 0, marked.output
    files = {"file": ("cnbudget-review.json", review_path.read_bytes(), "application/json")}
    r = client.post(f"/api/documents/{aid}/review", files=files, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 200 and r.json() == {"added": 1, "unchanged": 0, "elsewhere": 0}
    state = client.get(f"/api/findings/{c001['finding_id']}/review").json()
    assert state["state"] == "confirmed" and state["decisions"][0]["who"] == "张三"
    r = client.post(f"/documents/{aid}/review", files=files, data={"csrf": csrf})  # the page's form; the same file again changes nothing
    assert r.status_code == 200 and "已导入审核记录：新增 0 条，未变 1 条，其他文件的 0 条未导入。" in r.text
    # and back: the web's file, as the CLI reads it
    round_trip = tmp_path / "back.json"
    round_trip.write_bytes(client.get(f"/api/documents/{aid}/review").content)
    assert cli_check(SEED_FILES["000"], "--review", str(round_trip))["confirmed"] == [c001["finding_id"]]


def test_review_refusals(client: TestClient) -> None:
    csrf = sign_in(client)
    aid = doc_id(client, ANYANG)
    fid = client.get(f"/api/documents/{aid}").json()["findings"][0]["finding_id"]
    r = client.post(f"/api/findings/{fid}/review", json={"status": "dismissed", "reason": "  "}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 422 and r.json()["message"] == "排除一个问题时必须填写理由。"
    r = client.post(f"/api/findings/{fid}/review", json={"status": "ignored"}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 422 and r.json()["message"] == "审核结论只能是：confirmed / dismissed / fixed。"
    r = client.post(f"/findings/{fid}/review", data={"status": "dismissed", "reason": "理由"})  # no CSRF token: a forged form
    assert r.status_code == 403 and "表单已过期或来源不明" in r.text
    r = client.post("/api/findings/0000000000/review", json={"status": "confirmed"}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 404
    bad = {"file": ("x.json", b'{"version": 1, "findings": {"abc": {"status": "maybe"}}}', "application/json")}
    r = client.post(f"/api/documents/{aid}/review", files=bad, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 422 and r.json()["message"] == "审核记录文件的内容不对（位置：findings.abc.status）。"
    r = client.post(f"/api/documents/{aid}/review", files={"file": ("x.json", b"not a review", "text/plain")}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 422 and r.json()["message"].startswith("这不是审核记录文件")
    assert client.get(f"/api/findings/{fid}/review").json()["decisions"] == []  # nothing was recorded


def test_a_department_user_sees_decisions_but_cannot_make_them(client: TestClient) -> None:
    csrf = sign_in(client)
    pid = doc_id(client, PLANNING)
    fid = client.get(f"/api/documents/{pid}").json()["findings"][0]["finding_id"]
    r = client.post(f"/api/findings/{fid}/review", json={"status": "confirmed"}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 200 and r.json()["state"] == "confirmed"
    client.post("/logout", data={"csrf": csrf})
    csrf = sign_in(client, "规划财务")
    page = client.get(f"/documents/{pid}")
    assert "已确认" in page.text and f'action="/findings/{fid}/review"' not in page.text and 'name="file"' not in page.text
    r = client.post(f"/api/findings/{fid}/review", json={"status": "dismissed", "reason": "不同意"}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 403 and r.json()["message"] == "只有审核人员可以进行此操作。"
    r = client.post(f"/findings/{fid}/review", data={"csrf": csrf, "status": "dismissed", "reason": "不同意"})
    assert r.status_code == 403 and "只有审核人员可以进行此操作。" in r.text
    files = {"file": ("cnbudget-review.json", b'{"version": 1, "findings": {}}', "application/json")}
    assert client.post(f"/api/documents/{pid}/review", files=files, headers={"X-CSRF-Token": csrf}).status_code == 403
    assert client.get(f"/api/findings/{fid}/review").json()["state"] == "confirmed"
    assert json.loads(client.get(f"/api/documents/{pid}/review").content)["findings"][fid]["status"] == "confirmed"


def test_history_is_kept_and_the_newest_decision_wins(client: TestClient) -> None:
    csrf = sign_in(client)
    pid = doc_id(client, PLANNING)
    fid = client.get(f"/api/documents/{pid}").json()["findings"][0]["finding_id"]
    for status, reason in (("dismissed", "模板表述"), ("confirmed", ""), ("fixed", "")):
        assert client.post(f"/api/findings/{fid}/review", json={"status": status, "reason": reason}, headers={"X-CSRF-Token": csrf}).status_code == 200
    state = client.get(f"/api/findings/{fid}/review").json()
    assert state["state"] == "fixed" and [d["status"] for d in state["decisions"]] == ["fixed", "confirmed", "dismissed"]
    page = client.get(f"/documents/{pid}")
    assert "审核记录（3）" in page.text and "模板表述" in page.text


# --- the ledger's 'reviewed' status ----------------------------------------------------------------------


def test_ledger_says_reviewed_when_every_error_and_warning_has_a_decision(client: TestClient) -> None:
    csrf = sign_in(client)
    aid = doc_id(client, ANYANG)

    def status() -> str:
        return str(next(e["status"] for e in client.get("/api/ledger").json() if e["document_id"] == aid))

    latest = client.get(f"/api/documents/{aid}").json()["findings"]
    needed = [f for f in latest if f["severity"] in ("error", "warning")]
    info = next(f for f in latest if f["severity"] == "info")
    assert len(needed) >= 2 and status() == "checked"
    client.post(f"/api/findings/{info['finding_id']}/review", json={"status": "confirmed"}, headers={"X-CSRF-Token": csrf})
    for f in needed[:-1]:
        client.post(f"/api/findings/{f['finding_id']}/review", json={"status": "confirmed"}, headers={"X-CSRF-Token": csrf})
    assert status() == "checked"
    client.post(f"/api/findings/{needed[-1]['finding_id']}/review", json={"status": "dismissed", "reason": "已核实"}, headers={"X-CSRF-Token": csrf})
    assert status() == "reviewed"
    assert "已审核" in client.get("/").text
    others = [e["status"] for e in client.get("/api/ledger").json() if e["document_id"] != aid]
    assert others and set(others) == {"checked"}


# --- versions and what changed -----------------------------------------------------------------------------


def test_what_changed_between_versions(client: TestClient) -> None:
    sign_in(client)
    aid = doc_id(client, ANYANG)
    c = client.get(f"/api/documents/{aid}/changes?from=1&to=2").json()
    assert (c["before"], c["after"]) == (1, 2)
    assert [(f["rule"], f["row"]) for f in c["fixed"]] == [("K003", "七、文化体育与传媒")]
    assert sorted(f["rule"] for f in c["new"]) == ["B4-2", "B4-2"]
    assert {f["rule"] for f in c["remaining"]} == {"C001", "C006", "K003", "P-COST-TARGET"}
    changed = {"table": "财政拨款收支总表", "row": "支出｜八、社会保障和就业", "column": "合计", "before": "332,742.56", "after": "332,742.65"}
    assert c["values"] == [changed]  # the corrected name printed no figures: only the one changed figure
    assert client.get(f"/api/documents/{aid}/changes").json() == c  # the latest against the one before
    page = client.get(f"/documents/{aid}/changes?from=1&to=2")
    assert page.status_code == 200 and "第1版 → 第2版的变化" in page.text and "已修正的问题（1）" in page.text and "332,742.65" in page.text
    assert client.get(f"/api/documents/{aid}/changes?from=1&to=7").status_code == 404


# --- rule pages -------------------------------------------------------------------------------------------------


def test_rule_page(client: TestClient) -> None:
    sign_in(client)
    rule = client.get("/api/rules/X-F2").json()
    assert rule["id"] == "X-F2" and rule["title"] and rule["explanation"]
    page = client.get("/rules/X-F2")
    assert page.status_code == 200 and "规则 X-F2" in page.text and rule["explanation"].splitlines()[0] in page.text
    assert client.get("/rules/NO-SUCH-RULE").status_code == 404


def test_every_page_has_its_api_twin_in_openapi(client: TestClient) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in (
        "/api/documents/{doc_id}", "/api/documents/{doc_id}/versions/{number}", "/api/documents/{doc_id}/changes",
        "/api/documents/{doc_id}/versions/{number}/pages/{p}", "/api/documents/{doc_id}/versions/{number}/lines/{line}",
        "/api/findings/{finding_id}/review", "/api/documents/{doc_id}/review", "/api/rules/{rule_id}",
    ):
        assert path in paths, path
    assert set(paths["/api/findings/{finding_id}/review"]) == {"get", "post"}


def test_the_page_in_english_on_request(client: TestClient) -> None:
    sign_in(client)
    pid = doc_id(client, PLANNING)
    page = client.get(f"/documents/{pid}?lang=en")
    assert page.status_code == 200 and "Findings" in page.text and "Coverage" in page.text and "Tables printed" in page.text
    assert "检查发现的问题" not in page.text and PLANNING in page.text  # the document's own text stays as printed
