"""The web application's trends, peer comparison, charts and downloads, on real documents of ../shared.

The 万里街道 budgets of 2023 and 2024 (one Shanghai department in two years) and a converted-text seed
are ingested once; every number and every file is compared with what the command line says of the same
corpus and the same files.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import shutil
import time
import zipfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

import pypdfium2 as pdfium
import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import delete, select
from typer.testing import CliRunner

from cnbudget.api import check_one
from cnbudget.cli import app as cli_app
from cnbudget.corpus.db import open_corpus
from cnbudget.corpus.ingest import ingest
from cnbudget.corpus.models import Document, ReviewRow
from cnbudget.render.checklist import problem_line
from cnbudget.rules.identity import document_key
from cnbudget.rules.registry import Config
from cnbudget.rules.review import Entry, ReviewFile
from cnbudget.web import auth
from cnbudget.web.app import create_app
from cnbudget.web.settings import Settings
from conftest import SEED_FILES, SHARED

MESSAGES_LANG = "zh"
PASSWORD = "secret-pass-1"
WILD = SHARED / "samples" / "wild"
WANLI = "上海市普陀区人民政府万里街道办事处"
WANLI_2024 = WILD / "shpt-wanli-2024-dept-budget.pdf"
SEED = SEED_FILES["002"]  # 台前县医疗保障局 2023 预算, a converted text
SEED_DEPARTMENT = "台前县医疗保障局"
VENDOR = Path(__file__).resolve().parents[1] / "src" / "cnbudget" / "web" / "static" / "vendor"
NOT_FOUND = "没有找到该页面或文件。"
runner = CliRunner()


def cli(*args: str) -> str:
    result = runner.invoke(cli_app, list(args))
    assert result.exit_code in (0, 1), result.output  # check exits 1 when it finds errors
    return result.output


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The two 万里街道 budgets (the cover line naming the department is given, as `ingest --department`)
    and the seed, with a reviewer, the 万里街道's department user and the seed department's user."""
    db = tmp_path_factory.mktemp("web-compare") / "corpus.db"
    factory = open_corpus(str(db))
    ingest([str(WILD / "shpt-wanli-2023-dept-budget.pdf"), str(WANLI_2024)], factory, Config(), department=WANLI)
    ingest([str(SEED)], factory, Config())
    with factory() as session:
        auth.add_user(session, "审核员", "reviewer", PASSWORD)
        auth.add_user(session, "万里财务", "department", PASSWORD, department=WANLI)
        auth.add_user(session, "台前财务", "department", PASSWORD, department=SEED_DEPARTMENT)
        session.commit()
    return db


@pytest.fixture()
def client(corpus: Path, tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(Settings(db=str(corpus), data=tmp_path / "data", start_workers=False))
    with TestClient(app) as c:
        yield c


def sign_in(c: TestClient, name: str = "审核员") -> None:
    token = re.search(r'name="csrf" value="([^"]+)"', c.get("/login").text)
    assert token
    r = c.post("/login", data={"name": name, "password": PASSWORD, "csrf": token.group(1), "next": "/"})
    assert r.status_code == 200 and "公开台账" in r.text


def document_id(corpus: Path, department: str, year: int) -> int:
    with open_corpus(str(corpus))() as session:
        found = session.scalar(select(Document.id).where(Document.department == department, Document.year == year))
    assert found is not None
    return found


# --- ECharts, vendored -----------------------------------------------------------------------------


def test_vendored_echarts_matches_its_checksums_and_is_served(client: TestClient) -> None:
    sums = dict(line.split()[::-1] for line in (VENDOR / "SHA256SUMS").read_text(encoding="utf-8").splitlines() if line.strip())
    assert {"echarts.min.js", "echarts.LICENSE", "echarts.NOTICE"} <= set(sums)
    for name, digest in sums.items():
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == digest, name
    assert "Apache License" in (VENDOR / "echarts.LICENSE").read_text(encoding="utf-8")
    assert "Apache ECharts" in (VENDOR / "echarts.NOTICE").read_text(encoding="utf-8")
    r = client.get("/static/vendor/echarts.min.js")
    assert r.status_code == 200 and r.content == (VENDOR / "echarts.min.js").read_bytes()


# --- trends ----------------------------------------------------------------------------------------


def test_trends_are_the_numbers_of_cnbudget_compare(client: TestClient, corpus: Path) -> None:
    sign_in(client)
    r = client.get(f"/api/departments/{WANLI}/trends")
    assert r.status_code == 200
    web = r.json()
    cli_json = json.loads(cli("compare", "--department", WANLI, "--db", str(corpus), "--format", "json"))
    assert web["department"] == cli_json["department"] == WANLI
    assert [(s["metric"], s["unit"]) for s in web["series"]] == [(s["metric"], s["unit"]) for s in cli_json["series"]]
    for ours, theirs in zip(web["series"], cli_json["series"], strict=True):
        assert [{k: p[k] for k in ("year", "kind", "scope", "value")} for p in ours["points"]] == theirs["points"]
    # the change on the year before and the execution rate, as the CLI's CSV gives them
    rows = csv.DictReader(cli("compare", "--department", WANLI, "--db", str(corpus), "--format", "csv").splitlines())
    ours_rows = {(s["metric"], p["year"]): p for s in web["series"] for p in s["points"]}
    for row in rows:
        p = ours_rows[(row["metric"], int(row["year"]))]
        assert (p["change"] or "", p["change_percent"] or "", p["execution_rate"] or "") == (row["change"], row["change_pct"], row["execution_rate"])
    total = next(s for s in web["series"] if s["metric"] == "收入总计")
    # 收支总表 收入总计 164,978,640 元 (2023) and 156,211,123 元 (2024), in 万元 exactly
    assert [(p["year"], p["value"], p["change"], p["change_percent"]) for p in total["points"]] == [
        (2023, "16497.864", None, None),
        (2024, "15621.1123", "-876.7517", "-5.31"),
    ]


def test_trends_page_draws_each_metric_from_a_json_block_beside_its_table(client: TestClient) -> None:
    sign_in(client)
    r = client.get(f"/departments/{WANLI}/trends")
    assert r.status_code == 200 and f"{WANLI}：历年主要指标" in r.text
    assert '<script src="/static/vendor/echarts.min.js"></script>' in r.text
    block = re.search(r'<script type="application/json" id="chart-data">(.*?)</script>', r.text, re.S)
    assert block
    charts = json.loads(block.group(1))
    api = client.get(f"/api/departments/{WANLI}/trends").json()
    assert [c["title"] for c in charts] == [f"{s['metric']}（{s['unit']}）" for s in api["series"]]
    assert [c["values"] for c in charts] == [[p["value"] for p in s["points"]] for s in api["series"]]
    assert charts[0]["labels"] == ["2023 预算 部门", "2024 预算 部门"]
    for i, _ in enumerate(charts):
        assert f'id="trend-{i}"' in r.text
    # the table holds the same numbers, exactly as stored
    assert '<td class="num">15621.1123</td>' in r.text and '<td class="num">-876.7517</td>' in r.text
    # the ledger links each department to its trends
    ledger = client.get("/").text
    assert f'href="/departments/{quote(WANLI)}/trends"' in ledger


def test_a_department_user_sees_only_their_own_trends(client: TestClient) -> None:
    sign_in(client, "万里财务")
    assert client.get(f"/api/departments/{WANLI}/trends").status_code == 200
    r = client.get(f"/api/departments/{SEED_DEPARTMENT}/trends")
    assert r.status_code == 404 and r.json() == {"error": "not_found", "message": NOT_FOUND}
    r = client.get(f"/departments/{SEED_DEPARTMENT}/trends")
    assert r.status_code == 404 and NOT_FOUND in r.text and "2023" not in r.text


def test_trends_of_an_unknown_department_and_without_sign_in(client: TestClient) -> None:
    r = client.get(f"/api/departments/{WANLI}/trends")
    assert r.status_code == 401 and r.json()["message"] == "请先登录。"
    assert client.get(f"/departments/{WANLI}/trends").url.path == "/login"
    sign_in(client)
    r = client.get("/api/departments/不存在的部门/trends")
    assert r.status_code == 404 and r.json()["message"] == NOT_FOUND


# --- peers -----------------------------------------------------------------------------------------


def test_peer_comparison_is_that_of_cnbudget_compare_peers(client: TestClient, corpus: Path) -> None:
    sign_in(client)
    r = client.get("/api/compare", params={"year": 2024})
    assert r.status_code == 200
    web = r.json()
    cli_peers = json.loads(cli("compare", "--peers", "--year", "2024", "--db", str(corpus), "--format", "json"))["peers"]
    assert web["peers"] == cli_peers
    assert [(p["department"], p["year"], p["growth"]) for p in web["peers"]] == [(WANLI, 2024, "-5.31")]
    assert web["years"] == [2024, 2023] and web["metric"] == "支出总计" and "项目/支出" in web["metrics"]
    # without a year: the latest stored
    assert client.get("/api/compare").json()["year"] == 2024
    assert [p["department"] for p in client.get("/api/compare", params={"year": 2023}).json()["peers"]] == sorted([SEED_DEPARTMENT, WANLI])


def test_peer_page_charts_the_chosen_figure(client: TestClient) -> None:
    sign_in(client)
    r = client.get("/compare", params={"year": 2024, "metric": "项目/支出"})
    assert r.status_code == 200 and "同级部门比较" in r.text
    assert '<script src="/static/vendor/echarts.min.js"></script>' in r.text and 'id="peers-chart"' in r.text
    block = re.search(r'<script type="application/json" id="chart-data">(.*?)</script>', r.text, re.S)
    assert block
    (chart,) = json.loads(block.group(1))
    share = client.get("/api/compare", params={"year": 2024}).json()["peers"][0]["shares"]["项目/支出"]
    assert chart["values"] == [share] and chart["labels"] == [f"{WANLI} 预算 部门"]
    assert f"<td class=\"num\">{share}</td>" in r.text
    r = client.get("/api/compare", params={"metric": "不存在"})
    assert r.status_code == 404 and r.json()["message"] == "没有名为“不存在”的比较指标。"


def test_peer_comparison_is_for_reviewers(client: TestClient) -> None:
    sign_in(client, "万里财务")
    message = "同级部门比较只对审核人员和管理员开放；部门用户可以查看本部门的历年趋势。"
    r = client.get("/api/compare")
    assert r.status_code == 403 and r.json() == {"error": "reviewers_only", "message": message}
    r = client.get("/compare")
    assert r.status_code == 403 and message in r.text and SEED_DEPARTMENT not in r.text


# --- a document's downloads ----------------------------------------------------------------------


def _cells(data: bytes | Path) -> list[list[list[object]]]:
    book = load_workbook(io.BytesIO(data) if isinstance(data, bytes) else data)
    return [[list(row) for row in ws.iter_rows(values_only=True)] for ws in book.worksheets]


def test_downloads_page_and_api_list_the_files(client: TestClient, corpus: Path) -> None:
    sign_in(client)
    doc = document_id(corpus, WANLI, 2024)
    api = client.get(f"/api/documents/{doc}/downloads").json()
    assert (api["department"], api["year"], api["source"]) == (WANLI, 2024, WANLI_2024.name)
    assert [(d["what"], d["available"]) for d in api["downloads"]] == [("checklist", True), ("html", True), ("xlsx", True), ("annotated", True)]
    r = client.get(f"/documents/{doc}/downloads")
    assert r.status_code == 200 and "公开情况检查表" in r.text and f'href="/documents/{doc}/downloads/annotated"' in r.text
    seed_doc = document_id(corpus, SEED_DEPARTMENT, 2023)
    annotated = client.get(f"/api/documents/{seed_doc}/downloads").json()["downloads"][-1]
    assert annotated["available"] is False and annotated["reason"] == "只有 PDF 文件才有标注版：该文件不是 PDF。"


def test_checklist_is_the_file_cnbudget_check_writes(client: TestClient, corpus: Path, tmp_path: Path) -> None:
    sign_in(client)
    doc = document_id(corpus, WANLI, 2024)
    r = client.get(f"/documents/{doc}/downloads/checklist")
    assert r.status_code == 200 and r.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    name = f"{WANLI}2024年预算部门-公开情况检查表.xlsx"
    assert r.headers["content-disposition"] == f"attachment; filename*=utf-8''{quote(name)}"
    cli("check", str(WANLI_2024), "-f", "checklist", "-o", str(tmp_path / "cli.xlsx"))
    web = _cells(r.content)
    assert web == _cells(tmp_path / "cli.xlsx")
    # it carries the document's findings: every error and warning is a problem line of the form
    text = "\n".join(str(c) for row in web[0] for c in row if c)
    report = check_one(str(WANLI_2024))
    serious = [f for f in report.findings if f.severity in ("error", "warning")]
    assert serious and all(problem_line(f) in text for f in serious)
    assert WANLI in text


def test_reports_and_annotated_pdf_are_those_of_cnbudget_check(client: TestClient, corpus: Path, tmp_path: Path) -> None:
    sign_in(client)
    doc = document_id(corpus, WANLI, 2024)
    r = client.get(f"/documents/{doc}/downloads/xlsx")
    assert r.status_code == 200 and r.content.startswith(b"PK")
    cli("check", str(WANLI_2024), "-f", "xlsx", "-o", str(tmp_path / "cli.xlsx"))
    assert _cells(r.content) == _cells(tmp_path / "cli.xlsx")

    r = client.get(f"/documents/{doc}/downloads/html")
    assert r.status_code == 200 and r.headers["content-type"] == "text/html; charset=utf-8"
    assert r.headers["content-disposition"].startswith("attachment;")
    cli("check", str(WANLI_2024), "-f", "html", "-o", str(tmp_path / "cli.html"))
    assert r.text == (tmp_path / "cli.html").read_text(encoding="utf-8")

    r = client.get(f"/documents/{doc}/downloads/annotated")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf" and r.content.startswith(b"%PDF-")
    assert r.headers["content-disposition"].endswith(quote(f"{WANLI}2024年预算部门-标注版 PDF.pdf"))
    annotated, original = pdfium.PdfDocument(r.content), pdfium.PdfDocument(str(WANLI_2024))
    try:
        assert len(annotated) > len(original)  # the index of findings is appended
        index = annotated[len(original)].get_textpage().get_text_range()
        assert WANLI_2024.name in index  # the file's name, not a path of the server
    finally:
        annotated.close()
        original.close()


def test_reports_carry_the_stored_review_state_as_the_cli_with_a_review_file(client: TestClient, corpus: Path, tmp_path: Path) -> None:
    """A finding dismissed in the web (reviews table) is set aside in every download, exactly as
    `cnbudget check --review FILE` sets it aside with the same decision in the review file."""
    sign_in(client)
    doc = document_id(corpus, WANLI, 2024)
    report = check_one(str(WANLI_2024))
    target = next(f for f in report.findings if f.severity == "error")
    key = document_key(report.meta, report.source)
    at = datetime(2026, 12, 1, 9, 30)
    row = ReviewRow(finding_id=target.id, document=key, status="dismissed", reason="口径不同，已核实", who="审核员", at=at,
                    rule=target.rule, source=WANLI_2024.name, message=target.message)
    factory = open_corpus(str(corpus))
    with factory() as session:
        session.add(row)
        session.commit()
        row_id = row.id
    try:
        entry = Entry(status="dismissed", reason="口径不同，已核实", who="审核员", when="2026-12-01T09:30:00+00:00",
                      rule=target.rule, document=key, source=WANLI_2024.name, message=target.message)
        review = tmp_path / "review.json"
        review.write_text(ReviewFile(findings={target.id: entry}).model_dump_json(), encoding="utf-8")
        for what, suffix in (("checklist", "xlsx"), ("xlsx", "xlsx"), ("html", "html")):
            r = client.get(f"/documents/{doc}/downloads/{what}")
            assert r.status_code == 200
            out = tmp_path / f"cli-{what}.{suffix}"
            cli("check", str(WANLI_2024), "--review", str(review), "-f", what, "-o", str(out))
            if suffix == "html":
                assert r.text == out.read_text(encoding="utf-8") and "口径不同，已核实" in r.text
            else:
                assert _cells(r.content) == _cells(out)
        checklist_text = "\n".join(str(c) for row_ in _cells(client.get(f"/documents/{doc}/downloads/checklist").content)[0] for c in row_ if c)
        assert problem_line(target) not in checklist_text
    finally:
        with factory() as session:
            session.execute(delete(ReviewRow).where(ReviewRow.id == row_id))
            session.commit()


def test_a_decision_is_found_by_its_finding_id_whatever_document_key_it_was_stored_under(client: TestClient, corpus: Path) -> None:
    sign_in(client)
    doc = document_id(corpus, SEED_DEPARTMENT, 2023)
    report = check_one(str(SEED))
    target = next(f for f in report.findings if f.severity in ("error", "warning"))
    before = client.get(f"/documents/{doc}/downloads/checklist").content
    assert problem_line(target) in "\n".join(str(c) for row in _cells(before)[0] for c in row if c)
    factory = open_corpus(str(corpus))
    with factory() as session:
        row = ReviewRow(finding_id=target.id, document="台前县医疗保障局|2023|预算|部门（网页记录的写法）", status="dismissed",
                        reason="已核实无误", who="审核员", at=datetime(2026, 12, 2, 8, 0), rule=target.rule)
        session.add(row)
        session.commit()
        row_id = row.id
    try:
        after = client.get(f"/documents/{doc}/downloads/checklist").content
        assert problem_line(target) not in "\n".join(str(c) for row_ in _cells(after)[0] for c in row_ if c)
    finally:
        with factory() as session:
            session.execute(delete(ReviewRow).where(ReviewRow.id == row_id))
            session.commit()


def test_annotated_copy_only_for_a_pdf(client: TestClient, corpus: Path) -> None:
    sign_in(client)
    doc = document_id(corpus, SEED_DEPARTMENT, 2023)
    r = client.get(f"/documents/{doc}/downloads/annotated")
    assert r.status_code == 404 and "只有 PDF 文件才有标注版：该文件不是 PDF。" in r.text
    r = client.get(f"/documents/{doc}/downloads/checklist")
    assert r.status_code == 200 and _cells(r.content)[0][1][2] == SEED_DEPARTMENT


def test_another_departments_downloads_are_not_found(client: TestClient, corpus: Path) -> None:
    sign_in(client, "台前财务")
    doc = document_id(corpus, WANLI, 2024)
    for path in (f"/documents/{doc}/downloads/checklist", f"/documents/{doc}/downloads/annotated", f"/documents/{doc}/downloads"):
        r = client.get(path)
        assert r.status_code == 404 and NOT_FOUND in r.text and WANLI not in r.text
    r = client.get(f"/api/documents/{doc}/downloads")
    assert r.status_code == 404 and r.json()["message"] == NOT_FOUND
    own = document_id(corpus, SEED_DEPARTMENT, 2023)
    assert client.get(f"/documents/{own}/downloads/html").status_code == 200


def test_unknown_documents_and_files_are_not_found(client: TestClient, corpus: Path) -> None:
    assert client.get("/api/documents/1/downloads").status_code == 401
    sign_in(client)
    assert client.get("/documents/99999/downloads/checklist").status_code == 404
    doc = document_id(corpus, WANLI, 2024)
    r = client.get(f"/documents/{doc}/downloads/..%2F..%2Fetc%2Fpasswd")
    assert r.status_code == 404
    assert client.get(f"/documents/{doc}/downloads/json").status_code == 404


def test_a_report_from_the_web_store_and_a_file_gone(tmp_path: Path) -> None:
    """A file the corpus remembers by a path that is gone: 404 with a sentence; once the web store holds
    the same content, the reports are made from it and name the file as it was ingested."""
    copy = tmp_path / "incoming" / "台前县2023预算.txt"
    copy.parent.mkdir()
    shutil.copy(SEED, copy)
    app = create_app(Settings(db=str(tmp_path / "c.db"), data=tmp_path / "data", start_workers=False))
    ingest([str(copy)], app.state.factory, Config())
    with app.state.factory() as session:
        auth.add_user(session, "审核员", "reviewer", PASSWORD)
        session.commit()
        doc = session.scalars(select(Document.id)).one()
    data = copy.read_bytes()
    copy.unlink()
    with TestClient(app) as c:
        sign_in(c)
        r = c.get(f"/documents/{doc}/downloads/checklist")
        assert r.status_code == 404 and "原文件已不在服务器上，无法生成下载文件。请重新上传该文件。" in r.text
        assert app.state.storage.put_chunks([data], 10**8) is not None
        r = c.get(f"/documents/{doc}/downloads/checklist")
        assert r.status_code == 200
        cells = _cells(r.content)[0]
        assert cells[3][2] == copy.name and cells[1][2] == SEED_DEPARTMENT


def test_downloads_of_an_earlier_version(tmp_path: Path) -> None:
    """Two files of one disclosure: the downloads are the latest version's unless ?version=N asks for another."""
    first, second = tmp_path / "第一次报送.txt", tmp_path / "第二次报送.txt"
    shutil.copy(SEED, first)
    second.write_bytes(SEED.read_bytes() + b"\n")
    app = create_app(Settings(db=str(tmp_path / "c.db"), data=tmp_path / "data", start_workers=False))
    ingest([str(first)], app.state.factory, Config())
    ingest([str(second)], app.state.factory, Config())
    with app.state.factory() as session:
        auth.add_user(session, "审核员", "reviewer", PASSWORD)
        session.commit()
        doc = session.scalars(select(Document.id)).one()
    with TestClient(app) as c:
        sign_in(c)
        api = c.get(f"/api/documents/{doc}/downloads").json()
        assert (api["version"], api["source"]) == (2, second.name)
        assert _cells(c.get(f"/documents/{doc}/downloads/checklist").content)[0][3][2] == second.name
        api = c.get(f"/api/documents/{doc}/downloads", params={"version": 1}).json()
        assert (api["version"], api["source"]) == (1, first.name)
        assert api["downloads"][0]["href"] == f"/documents/{doc}/downloads/checklist?version=1"
        assert _cells(c.get(api["downloads"][0]["href"]).content)[0][3][2] == first.name
        assert "第 1 版" in c.get(f"/documents/{doc}/downloads", params={"version": 1}).text
        r = c.get(f"/documents/{doc}/downloads/checklist", params={"version": 3})
        assert r.status_code == 404 and NOT_FOUND in r.text


# --- corpus exports --------------------------------------------------------------------------------


def test_corpus_exports_are_those_of_export_corpus(client: TestClient, corpus: Path, tmp_path: Path) -> None:
    sign_in(client)
    page = client.get("/downloads")
    assert page.status_code == 200 and "全库数据导出" in page.text
    assert [d["what"] for d in client.get("/api/downloads").json()["downloads"]] == ["csv", "xlsx", "datapackage"]
    cli("export-corpus", "--db", str(corpus), "-o", str(tmp_path / "csv"))
    r = client.get("/downloads/corpus/csv")
    assert r.status_code == 200 and r.headers["content-type"] == "text/csv; charset=utf-8"
    assert r.content == (tmp_path / "csv" / "values.csv").read_bytes()
    assert r.text.startswith("department,region,year,kind,scope,version,")
    r = client.get("/downloads/corpus/xlsx")
    assert r.status_code == 200
    cli("export-corpus", "--db", str(corpus), "-o", str(tmp_path / "xlsx"), "-f", "xlsx")
    assert _cells(r.content) == _cells(tmp_path / "xlsx" / "values.xlsx")
    r = client.get("/downloads/corpus/datapackage")
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(r.content)) as zf:
        assert sorted(zf.namelist()) == ["datapackage.json", "values.csv"]
        assert json.loads(zf.read("datapackage.json"))["resources"][0]["path"] == "values.csv"
        assert zf.read("values.csv") == (tmp_path / "csv" / "values.csv").read_bytes()
    assert client.get("/downloads/corpus/parquet").status_code == 404
    # nothing is left behind in the data folder
    cache = Path(client.app.state.settings.data) / "cache"  # type: ignore[attr-defined]
    assert [p.name for p in cache.iterdir()] == []


def test_corpus_exports_are_refused_to_a_department_user(client: TestClient) -> None:
    sign_in(client, "万里财务")
    message = "全库数据导出只对审核人员和管理员开放。"
    for path in ("/downloads/corpus/csv", "/downloads/corpus/datapackage", "/downloads"):
        r = client.get(path)
        assert r.status_code == 403 and message in r.text
    r = client.get("/api/downloads")
    assert r.status_code == 403 and r.json() == {"error": "reviewers_only", "message": message}


def test_openapi_lists_every_route_of_this_area(client: TestClient) -> None:
    paths = set(client.get("/api/openapi.json").json()["paths"])
    assert {
        "/api/departments/{name}/trends", "/api/compare", "/api/documents/{document_id}/downloads", "/api/downloads",
        "/documents/{document_id}/downloads/{what}", "/downloads/corpus/{what}",
    } <= paths


def test_navigation_links_by_role(client: TestClient) -> None:
    sign_in(client)
    ledger = client.get("/").text
    assert 'href="/compare">同级比较</a>' in ledger and 'href="/downloads">数据下载</a>' in ledger
    client.post("/logout", data={"csrf": client.get("/api/me").json()["csrf"]})
    sign_in(client, "万里财务")
    ledger = client.get("/").text
    assert f'href="/departments/{quote(WANLI)}/trends">本部门趋势</a>' in ledger and 'href="/compare"' not in ledger


def test_a_download_folder_left_by_a_client_that_went_away_is_swept(client: TestClient) -> None:
    sign_in(client)
    cache = Path(client.app.state.settings.data) / "cache"  # type: ignore[attr-defined]
    old, recent = cache / ".download-old", cache / ".download-recent"
    for folder in (old, recent):
        folder.mkdir()
        (folder / "values.csv").write_text("x", encoding="utf-8")
    two_hours_ago = time.time() - 7200
    os.utime(old, (two_hours_ago, two_hours_ago))
    assert client.get("/downloads/corpus/csv").status_code == 200
    assert sorted(p.name for p in cache.iterdir()) == [".download-recent"]
