"""Issues 9 and 13: the web API under schemathesis — no request, however malformed, gets a 500.

Every operation of the application's own OpenAPI document (/api/openapi.json) is called with
requests generated from it, valid and invalid (negative mode: wrong types, missing fields, strange
strings in paths and queries), as a reviewer with an API token, against a corpus holding one real
shared document. Each response must be below 500; each refusal must be the JSON ``{"error",
"message"}`` with a Chinese sentence from the catalogs; and afterwards the server still answers.

The run is bounded and deterministic (derandomized Hypothesis, a fixed number of examples per
operation). A longer run by hand: ``CNBUDGET_WEB_FUZZ_EXAMPLES=2000 pytest tests/test_web_fuzz.py``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.config import GenerationConfig, SchemathesisConfig
from schemathesis.generation import GenerationMode

from cnbudget.corpus.ingest import ingest
from cnbudget.rules.registry import Config
from cnbudget.web import auth
from cnbudget.web.app import create_app
from cnbudget.web.settings import Settings
from conftest import SEED_FILES

MESSAGES_LANG = "zh"
EXAMPLES = int(os.environ.get("CNBUDGET_WEB_FUZZ_EXAMPLES", "12"))
# the file downloads read and check the document again, or export the corpus: seconds per call
SLOW = r"/downloads/"
SLOW_EXAMPLES = int(os.environ.get("CNBUDGET_WEB_FUZZ_SLOW_EXAMPLES", "3"))
CHINESE = re.compile(r"[\u4e00-\u9fff]")
PASSWORD = "secret-pass-1"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp("webfuzz")
    settings_ = Settings(db=str(folder / "corpus.db"), data=folder / "data", start_workers=False)
    application = create_app(settings_)
    outcomes = ingest([str(SEED_FILES["000"])], application.state.factory, Config())
    assert [o.status for o in outcomes] == ["new"], outcomes
    with application.state.factory() as session:
        auth.add_user(session, "审核员", "reviewer", PASSWORD)
        session.commit()
        application.state.token = auth.new_token(session, "审核员", "fuzz")
        session.commit()
    return application


@pytest.fixture(scope="module")
def web_schema(app: Any) -> Any:
    config = SchemathesisConfig()
    config.projects.default.generation = GenerationConfig(modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
    return schemathesis.openapi.from_asgi("/api/openapi.json", app, config=config)


@pytest.fixture(scope="module")
def client(app: Any) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


schema = schemathesis.pytest.from_fixture("web_schema")


def _call(case: Any, app: Any) -> None:
    headers = {**(case.headers or {}), "Authorization": f"Bearer {app.state.token}", "Accept": "application/json"}
    response = case.call(headers=headers)
    assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.status_code} {response.text[:300]}"
    if response.status_code >= 400:
        body = response.json()
        assert set(body) == {"error", "message"}, body
        assert isinstance(body["message"], str) and CHINESE.search(body["message"]), body


@schema.exclude(path_regex=SLOW).parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
def test_no_request_gets_a_server_error(case: Any, app: Any) -> None:
    _call(case, app)


@schema.include(path_regex=SLOW).parametrize()
@settings(max_examples=SLOW_EXAMPLES, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
def test_no_download_request_gets_a_server_error(case: Any, app: Any) -> None:
    _call(case, app)


def test_the_server_still_answers_after_the_fuzzing(client: TestClient, app: Any) -> None:
    assert client.get("/api/health").status_code == 200
    r = client.get("/api/ledger", headers={"Authorization": f"Bearer {app.state.token}"})
    assert r.status_code == 200, r.text


def test_refusals_name_their_cause(client: TestClient, app: Any) -> None:
    """The statuses the fuzzing once got wrong: each with its status code and its Chinese sentence."""
    bearer = {"Authorization": f"Bearer {app.state.token}"}
    r = client.get("/api/documents/99999999", headers=bearer)
    assert r.status_code == 404 and CHINESE.search(r.json()["message"])
    r = client.get("/api/ledger?year=abc", headers=bearer)
    assert r.status_code == 422 and r.json()["error"] == "bad_request" and CHINESE.search(r.json()["message"])
    # an id no database column can hold was a 500 (OverflowError from SQLite): now refused at the door
    for path in ("/api/documents/99999999999999999999999", "/api/jobs/-99999999999999999999", "/api/documents/1/versions/1/lines/9223372036854775808"):
        r = client.get(path, headers=bearer)
        assert r.status_code == 422 and r.json()["error"] == "bad_request", (path, r.text)
    # a multipart body that is not multipart was a 500 (MultipartParseError): now 400 with the sentence
    boundary = "a222103b9b30b1f9e8be6882ecedb1d2"
    body = f"--{boundary}\r\n[]--{boundary}--\r\n".encode()
    headers = {**bearer, "Content-Type": f"multipart/form-data; boundary={boundary}"}
    r = client.post("/api/uploads", content=body, headers=headers)
    assert r.status_code == 400 and r.json() == {"error": "bad_request", "message": "请求的内容不完整或格式不对。"}, r.text
