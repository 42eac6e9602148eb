"""Uploads and the worker pool: real disclosures uploaded, read and checked in worker processes, stored once;
every refusal with its status code and its Chinese sentence; a hostile file, a dying worker or a stopped
server never loses a job or takes the application down."""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from cnbudget.corpus.models import Document, File, Job, User, Version
from cnbudget.web import auth
from cnbudget.web.app import create_app
from cnbudget.web.jobs import enqueue_paths
from cnbudget.web.settings import Settings

MESSAGES_LANG = "zh"
PASSWORD = "secret-pass-1"
SHARED = Path(__file__).resolve().parents[2] / "shared"
PDF = SHARED / "samples" / "pdf" / "putuo-planning-resources-2024-final.pdf"
PDF_DEPARTMENT = "上海市普陀区规划和自然资源局"
BIG_PDF = SHARED / "samples" / "pdf" / "putuo-finance-bureau-2024-final.pdf"
SEEDS = sorted((SHARED / "seeds").glob("*.txt"))
SEED = SHARED / "seeds" / "000_03b4c01fd59416ce.txt"
SEED_DEPARTMENT = "安阳市医疗保障局"
HOSTILE = SHARED / "fuzz-repro" / "slow_tables_long_line.txt"
HOSTILE_PDF = SHARED / "fuzz-repro" / "pdf_many_text_objects.pdf"
ARCHIVE = SHARED / "fuzz-repro" / "oom_tables_1mb_header.txt.gz"
WAIT_SECONDS = 90

pytestmark = pytest.mark.skipif(not PDF.is_file() or not SEEDS, reason="the shared documents are not here")


def make_app(tmp_path: Path, **overrides: Any) -> Any:
    settings = Settings(**{"db": str(tmp_path / "corpus.db"), "data": tmp_path / "data", "workers": 1, **overrides})
    app = create_app(settings)
    with app.state.factory() as session:
        if session.scalar(select(func.count(User.id))) == 0:
            auth.add_user(session, "审核员", "reviewer", PASSWORD)
            auth.add_user(session, "规划局", "department", PASSWORD, department=PDF_DEPARTMENT)
            session.commit()
    return app


@pytest.fixture()
def client(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(make_app(tmp_path)) as c:
        yield c


def sign_in(c: TestClient, name: str = "审核员") -> str:
    """Sign in; the session's CSRF token."""
    r = c.post("/api/session", json={"name": name, "password": PASSWORD})
    assert r.status_code == 200
    return str(r.json()["csrf"])


def files(*paths: Path) -> list[tuple[str, tuple[str, bytes, str]]]:
    return [("files", (p.name, p.read_bytes(), "application/octet-stream")) for p in paths]


def upload(c: TestClient, csrf: str, *paths: Path) -> list[dict[str, Any]]:
    r = c.post("/api/uploads", files=files(*paths), headers={"X-CSRF-Token": csrf})
    assert r.status_code == 202, r.text
    jobs: list[dict[str, Any]] = r.json()["jobs"]
    assert [j["filename"] for j in jobs] == [p.name for p in paths] and all(j["status"] == "queued" for j in jobs)
    return jobs


def test_a_workbook_is_taken_by_content_and_read_as_a_disclosure(client: TestClient) -> None:
    """The district's xlsx budget template (a zip, told from a Word document by the reader) is accepted and read."""
    book = SHARED / "samples" / "workbooks" / "shanghai-putuo-2026-dept-budget-template.xlsx"
    csrf = sign_in(client)
    r = client.post("/api/uploads", files=[("files", ("预算.bin", book.read_bytes(), "application/octet-stream"))], headers={"X-CSRF-Token": csrf})
    assert r.status_code == 202
    job = wait(client, r.json()["jobs"][0]["id"])
    assert job["status"] == "done", job


def wait(c: TestClient, job_id: int) -> dict[str, Any]:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        job: dict[str, Any] = c.get(f"/api/jobs/{job_id}").json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} did not finish in {WAIT_SECONDS} s")


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def stored_files(data: Path) -> list[Path]:
    return [p for p in (data / "files").rglob("*") if p.is_file()]


def test_a_pdf_and_a_seed_are_read_checked_stored_and_in_the_ledger(client: TestClient, tmp_path: Path) -> None:
    csrf = sign_in(client)
    pdf_job, seed_job = upload(client, csrf, PDF, SEED)
    pdf_done, seed_done = wait(client, pdf_job["id"]), wait(client, seed_job["id"])
    for job in (pdf_done, seed_done):
        assert job["status"] == "done" and job["result"] == "new" and job["error"] == ""
        assert job["version_id"] and job["document_id"] and job["who"] == "审核员" and job["finished_at"]
    assert pdf_done["document"] == f"{PDF_DEPARTMENT} 2024 决算 部门"
    ledger = {e["department"]: e for e in client.get("/api/ledger").json()}
    assert ledger[PDF_DEPARTMENT]["document_id"] == pdf_done["document_id"] and ledger[PDF_DEPARTMENT]["year"] == 2024
    assert ledger[SEED_DEPARTMENT]["document_id"] == seed_done["document_id"] and ledger[SEED_DEPARTMENT]["kind"] == "预算"
    assert {p.name for p in stored_files(tmp_path / "data")} == {sha(PDF), sha(SEED)}

    again = wait(client, upload(client, csrf, SEED)[0]["id"])  # the same file twice: one version, 'unchanged'
    assert again["status"] == "done" and again["result"] == "unchanged" and again["version_id"] == seed_done["version_id"]
    with client.app.state.factory() as session:  # type: ignore[attr-defined]
        assert session.scalar(select(func.count(Version.id)).where(Version.document_id == seed_done["document_id"])) == 1
        outcome = session.get(Job, seed_done["id"]).outcome
    assert '"status": "new"' in outcome and SEED.name in outcome

    page = client.get("/jobs")
    assert 'http-equiv="refresh"' not in page.text  # every job finished: nothing to wait for
    assert page.status_code == 200 and "检查任务" in page.text and PDF.name in page.text and "已完成" in page.text
    assert f'href="/documents/{pdf_done["document_id"]}"' in page.text and "与已有版本相同" in page.text
    assert [j["id"] for j in client.get("/api/jobs").json()] == [again["id"], seed_job["id"], pdf_job["id"]]


def test_upload_page_in_chinese_with_its_script_and_nav(client: TestClient) -> None:
    assert client.get("/upload", follow_redirects=False).status_code == 303  # not signed in: to the login page
    assert client.post("/api/uploads", files=files(SEED)).json() == {"error": "sign_in", "message": "请先登录。"}
    csrf = sign_in(client)
    page = client.get("/upload")
    assert page.status_code == 200 and "上传公开文件" in page.text and "每个文件不超过 100 MB，一次最多 50 个文件" in page.text
    assert f'data-csrf="{csrf}"' in page.text and 'src="/static/upload.js"' in page.text
    assert '<a href="/upload">上传</a>' in page.text and '<a href="/jobs">检查任务</a>' in page.text
    script = client.get("/static/upload.js")
    assert script.status_code == 200 and "upload.onprogress" in script.text and "innerHTML" not in script.text
    assert "/api/uploads" in client.get("/api/openapi.json").json()["paths"]


def test_the_form_without_script_and_a_forged_form(client: TestClient, tmp_path: Path) -> None:
    csrf = sign_in(client)
    forged = client.post("/api/uploads", files=files(SEED))  # no token: a form from another site
    assert forged.status_code == 403 and forged.json()["message"] == "表单已过期或来源不明，请刷新页面后重试。"
    forged = client.post("/upload", files=files(SEED), data={"csrf": "forged"})
    assert forged.status_code == 403 and "表单已过期或来源不明" in forged.text
    assert stored_files(tmp_path / "data") == []
    r = client.post("/upload", files=files(SEED), data={"csrf": csrf})  # the page's own form, token as a field
    assert r.status_code == 200 and r.url.path == "/jobs" and SEED.name in r.text
    job = client.get("/api/jobs").json()[0]
    assert wait(client, job["id"])["status"] == "done"


def test_oversize_wrong_type_empty_and_too_many_are_refused_keeping_nothing(tmp_path: Path) -> None:
    app = make_app(tmp_path, max_upload_bytes=60_000, max_files_per_upload=2, start_workers=False)
    with TestClient(app) as c:
        csrf = sign_in(c)
        h = {"X-CSRF-Token": csrf}
        big = SHARED / "seeds" / "001_8c4de2003b7dfa18.txt"  # 98 KB
        r = c.post("/api/uploads", files=files(SEED, big), headers=h)
        assert r.status_code == 413 and r.json()["message"] == f"文件“{big.name}”超过了 58 KB 的上传上限，没有保存。"
        r = c.post("/api/uploads", files=files(BIG_PDF), headers=h)  # refused by its length, before a byte is read
        assert r.status_code == 413 and r.json()["message"] == "本次上传的内容过大（每个文件不超过 58 KB），没有保存。"
        r = c.post("/api/uploads", files=files(ARCHIVE), headers=h)
        assert r.status_code == 415 and r.json()["message"] == f"文件“{ARCHIVE.name}”不是 PDF、Word 或 Excel 文件，也不是 UTF-8 或 GB18030 编码的文本或网页，无法读取。"
        r = c.post("/api/uploads", files=[("files", ("空.txt", b"", "text/plain"))], headers=h)
        assert r.status_code == 415 and r.json()["message"] == "文件“空.txt”是空的，没有可读取的内容。"
        r = c.post("/api/uploads", files=files(SEEDS[0], SEEDS[2], SEEDS[4]), headers=h)
        assert r.status_code == 413 and r.json()["message"] == "一次最多上传 2 个文件，请分批上传。"
        r = c.post("/api/uploads", data={"note": "x"}, files=[], headers=h)
        assert r.status_code == 415 and r.json()["message"] == "请通过上传表单提交文件。"
        page = c.post("/upload", files=files(ARCHIVE), data={"csrf": csrf})  # the page: the same sentence, as a page
        assert page.status_code == 415 and "无法读取" in page.text and "<!doctype html>" in page.text
        with app.state.factory() as session:
            assert session.scalar(select(func.count(Job.id))) == 0
        assert stored_files(tmp_path / "data") == [] and not list((tmp_path / "data" / "files").glob(".upload-*"))


def test_a_pdf_named_txt_and_a_text_named_pdf_are_taken_by_content(tmp_path: Path) -> None:
    with TestClient(make_app(tmp_path, start_workers=False)) as c:
        csrf = sign_in(c)
        r = c.post(
            "/api/uploads",
            files=[("files", ("封面.txt", PDF.read_bytes(), "text/plain")), ("files", ("说明.pdf", SEED.read_bytes(), "application/pdf"))],
            headers={"X-CSRF-Token": csrf},
        )
        assert r.status_code == 202 and [j["filename"] for j in r.json()["jobs"]] == ["封面.txt", "说明.pdf"]
        gbk = "部门预算公开说明".encode("gb18030") * 10
        r = c.post("/api/uploads", files=[("files", ("gbk.txt", gbk, "text/plain"))], headers={"X-CSRF-Token": csrf})
        assert r.status_code == 202
        r = c.post("/api/uploads", files=[("files", ("../../etc/passwd", gbk, "text/plain"))], headers={"X-CSRF-Token": csrf})
        assert r.status_code == 202 and r.json()["jobs"][0]["filename"] == "passwd"  # a name is shown, never a path


def test_twenty_simultaneous_uploads_all_arrive_once_each(tmp_path: Path) -> None:
    sources = [*SEEDS, PDF, SHARED / "samples" / "wild" / "shpt-wanli-2024-dept-budget.pdfplumber.txt"]
    sources = [p for p in sources if p.is_file()]
    uploads = (sources * 4)[:20]
    app = make_app(tmp_path)
    with TestClient(app) as c:
        csrf = sign_in(c)

        def one(path: Path) -> dict[str, Any]:
            r = c.post("/api/uploads", files=files(path), headers={"X-CSRF-Token": csrf})
            assert r.status_code == 202
            job: dict[str, Any] = r.json()["jobs"][0]
            return job

        with ThreadPoolExecutor(max_workers=20) as pool:
            jobs = list(pool.map(one, uploads))
        assert len({j["id"] for j in jobs}) == 20
        assert sorted(p.name for p in stored_files(tmp_path / "data")) == sorted({sha(p) for p in uploads})
        finished = [wait(c, j["id"]) for j in jobs]
    assert all(j["status"] == "done" for j in finished), [j["error"] for j in finished]
    with app.state.factory() as session:
        assert session.scalar(select(func.count(Job.id))) == 20
        for path in set(uploads):
            versions = session.scalar(select(func.count(Version.id)).join(File, Version.file_id == File.id).where(File.sha256 == sha(path)))
            assert versions == 1, path.name
    results = sorted(j["result"] for j in finished)
    assert results.count("unchanged") == 20 - len(set(uploads))


def test_a_hostile_file_fails_with_a_sentence_and_the_server_goes_on(client: TestClient) -> None:
    csrf = sign_in(client)
    hostile, hostile_pdf, good = upload(client, csrf, HOSTILE, HOSTILE_PDF, SEED)
    failed_pdf = wait(client, hostile_pdf["id"])  # a page over limits.MAX_PAGE_OBJECTS: the reader's sentence
    assert failed_pdf["status"] == "failed" and failed_pdf["error"].startswith(f"文件“{HOSTILE_PDF.name}”无法读取：")
    assert "40,000" in failed_pdf["error"]
    failed = wait(client, hostile["id"])
    assert failed["status"] == "failed" and failed["version_id"] is None
    assert failed["error"].startswith(f"文件“{HOSTILE.name}”无法读取：") and sha(HOSTILE) not in failed["error"]
    assert "20,000" in failed["error"]  # the reader's own reason: the line limit of limits.py
    assert failed["error"].count(HOSTILE.name) == 1
    assert client.get("/api/health").json() == {"status": "ok"}
    assert wait(client, good["id"])["status"] == "done"
    page = client.get("/jobs?status=failed")
    assert HOSTILE.name in page.text and SEED.name not in page.text and "无法读取" in page.text


def test_a_department_user_uploads_for_their_department_only(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    department = TestClient(app)  # a second browser on the same server (the server's pool runs once, below)
    with TestClient(app) as reviewer:
        reviewer_job = upload(reviewer, sign_in(reviewer), SEEDS[2])[0]
        csrf = sign_in(department, "规划局")
        own, other = upload(department, csrf, PDF, SEED)
        assert wait(department, own["id"])["status"] == "done"
        refused = wait(department, other["id"])
        assert refused["status"] == "failed" and refused["error"] == (
            f"文件“{SEED.name}”封面上的部门是“{SEED_DEPARTMENT}”，不是您所在的“{PDF_DEPARTMENT}”，部门用户只能上传本部门的文件，没有保存。"
        )
        assert [e["department"] for e in department.get("/api/ledger").json()] == [PDF_DEPARTMENT]
        assert [j["id"] for j in department.get("/api/jobs").json()] == [other["id"], own["id"]]
        r = department.get(f"/api/jobs/{reviewer_job['id']}")  # another department's job: not there
        assert r.status_code == 404 and r.json()["message"] == "没有找到该页面或文件。"
        assert SEEDS[2].name not in department.get("/jobs").text
        assert wait(reviewer, reviewer_job["id"])["status"] == "done"
        assert reviewer.get(f"/api/jobs/{own['id']}").json()["department"] == PDF_DEPARTMENT  # a reviewer sees all
        with app.state.factory() as session:
            assert session.scalar(select(Document.id).where(Document.department == SEED_DEPARTMENT)) is None  # nothing stored

        reviewer_seed = wait(reviewer, upload(reviewer, sign_in(reviewer), SEED)[0]["id"])
        assert reviewer_seed["result"] == "new"
        again = wait(department, upload(department, csrf, SEED)[0]["id"])  # stored by a reviewer now: still refused
        assert again["status"] == "failed" and f"封面上的部门是“{SEED_DEPARTMENT}”" in again["error"]


def test_a_stopped_server_resumes_its_queue_and_loses_no_job(tmp_path: Path) -> None:
    first = make_app(tmp_path)
    with TestClient(first) as c:
        jobs = upload(c, sign_in(c), PDF, SEEDS[0], SEEDS[2], SEEDS[4])
        deadline = time.monotonic() + WAIT_SECONDS
        while c.get(f"/api/jobs/{jobs[0]['id']}").json()["status"] == "queued" and time.monotonic() < deadline:
            time.sleep(0.05)
    # the server stopped mid-queue; a server killed mid-job leaves its job 'running': the next start requeues it
    with first.state.factory() as session:
        states = [session.get(Job, j["id"]).status for j in jobs]
        assert "queued" in states or "running" in states, states
        last = jobs[-1]["id"]
        if session.get(Job, last).status == "queued":
            session.execute(update(Job).where(Job.id == last).values(status="running"))
            session.commit()
    second = make_app(tmp_path)
    with TestClient(second) as c:
        sign_in(c)
        finished = [wait(c, j["id"]) for j in jobs]
    assert [j["status"] for j in finished] == ["done"] * len(jobs)
    assert all(j["result"] in ("new", "version") for j in finished)  # each read and stored once: none 'unchanged'
    with second.state.factory() as session:
        assert session.scalar(select(func.count(Version.id))) == len(jobs)


def _pool_pids(app: Any) -> list[int]:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        pool = app.state.workers._pool
        pids = list(getattr(pool, "_processes", {}) or {}) if pool is not None else []
        if pids:
            return pids
        time.sleep(0.02)
    raise AssertionError("no worker process started")


def test_a_dying_worker_fails_its_job_only(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    with TestClient(app) as c:
        csrf = sign_in(c)
        victim = upload(c, csrf, BIG_PDF)[0]
        for pid in _pool_pids(app):
            os.kill(pid, 9)  # what the out-of-memory killer or a crash in a PDF library does
        failed = wait(c, victim["id"])
        assert failed["status"] == "failed" and failed["error"] == (
            f"读取文件“{BIG_PDF.name}”时检查进程意外退出，文件可能已损坏或格式异常，没有保存。"
        )
        assert c.get("/api/health").json() == {"status": "ok"}
        assert wait(c, upload(c, csrf, SEED)[0]["id"])["status"] == "done"  # a new pool takes the next job


def test_a_job_over_the_time_limit_fails_and_the_server_goes_on(tmp_path: Path) -> None:
    app = make_app(tmp_path, job_seconds=1)
    with TestClient(app) as c:
        slow = upload(c, sign_in(c), BIG_PDF)[0]  # a fresh worker process alone takes longer than a second to start
        failed = wait(c, slow["id"])
        assert failed["status"] == "failed"
        assert failed["error"] == f"文件“{BIG_PDF.name}”在 1 秒内没有检查完，已停止，文件可能过大或已损坏，没有保存。"
        assert c.get("/api/health").json() == {"status": "ok"}
    with app.state.factory() as session:
        assert session.scalar(select(func.count(Version.id))) == 0


def test_serve_load_queues_each_file_once(tmp_path: Path) -> None:
    app = make_app(tmp_path, start_workers=False)
    state = app.state
    assert enqueue_paths(state.factory, state.storage, state.settings, [str(SHARED / "seeds")]) == len(SEEDS)
    assert enqueue_paths(state.factory, state.storage, state.settings, [str(SHARED / "seeds")]) == 0  # waiting already
    with TestClient(app) as c:
        sign_in(c)
        listed = c.get("/api/jobs").json()
        assert sorted(j["filename"] for j in listed) == sorted(p.name for p in SEEDS)
        page = c.get("/jobs").text
        assert all(j["who"] == "" for j in listed) and "（启动时加载）" in page
        assert '<meta http-equiv="refresh" content="5">' in page  # jobs still waiting: the list refreshes itself


def test_an_api_token_uploads_without_a_csrf_token(tmp_path: Path) -> None:
    app = make_app(tmp_path, start_workers=False)
    with app.state.factory() as session:
        token = auth.new_token(session, "审核员")
        session.commit()
    with TestClient(app) as c:
        r = c.post("/api/uploads", files=files(SEED), headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 202 and r.json()["jobs"][0]["who"] == "审核员"
        r = c.get(f"/api/jobs/{r.json()['jobs'][0]['id']}", headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 200 and r.json()["status"] == "queued"
        assert c.get("/api/jobs/999", headers={"Authorization": f"Bearer {token}"}).status_code == 404


def test_a_worker_dying_beside_others_fails_no_innocent_job(tmp_path: Path) -> None:
    """Two jobs share a pool when one worker dies: neither is blamed; each is retried alone and finishes."""
    template = SHARED / "samples" / "pdf" / "shanghai-final-accounts-template-2024.pdf"
    app = make_app(tmp_path, workers=2)
    with TestClient(app) as c:
        first, second = upload(c, sign_in(c), BIG_PDF, template)
        deadline = time.monotonic() + WAIT_SECONDS
        while len(_pool_pids(app)) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        os.kill(_pool_pids(app)[0], 9)
        killed_at = auth.now()
        finished = [wait(c, first["id"]), wait(c, second["id"])]
        assert [j["status"] for j in finished] == ["done", "done"], [j["error"] for j in finished]
        assert all(j["result"] == "new" for j in finished)
        assert all(datetime.fromisoformat(j["started_at"]) >= killed_at for j in finished)  # both were run again
