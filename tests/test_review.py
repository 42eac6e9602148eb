"""Stable finding ids and the review round trip (issue 11 §3), through the real CLI on a copy of a seed.

Seed 002 prints “2022 年部门预算” in its 2023 budget (N-YEAR, line 66); correcting that sentence in the
copy is the "fixed" half of the round trip.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from cnbudget.api import check_one
from cnbudget.cli import app
from cnbudget.i18n import set_lang
from cnbudget.rules.identity import finding_id
from cnbudget.rules.review import ReviewFile, load_review, save_review
from conftest import SEED_FILES

runner = CliRunner()
WRONG_YEAR = "2022 年部门预算"


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / SEED_FILES["002"].name
    target.write_bytes(SEED_FILES["002"].read_bytes())
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")


def _doc(args: list[str]) -> tuple[int, dict[str, Any]]:
    result = runner.invoke(app, ["check", *args, "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)["documents"][0]


def test_ids_are_stable_across_rereading_and_edits_elsewhere(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    before = check_one(copy)
    again = check_one(copy)
    assert [f.id for f in before.findings] == [f.id for f in again.findings]
    assert len({f.id for f in before.findings}) == len(before.findings)  # unique within a document
    assert all(len(f.id) == 10 and int(f.id, 16) >= 0 for f in before.findings)
    # lines added above everything (the narrative shifts by two lines): the same ids, other line numbers
    lines = copy.read_text(encoding="utf-8").split("\n")
    copy.write_text("\n".join([*lines[:59], "", "", *lines[59:]]), encoding="utf-8")
    shifted = check_one(copy)
    assert {f.id for f in shifted.findings} == {f.id for f in before.findings}
    moved = {f.id: f.location.line for f in shifted.findings}
    assert any(moved[f.id] != f.location.line for f in before.findings if f.location.line)
    # the id names the document: the same finding in another department's document is another id
    f = before.findings[0]
    other = before.meta.model_copy(update={"department": "另一个部门"})
    assert finding_id(f, other) != f.id


def test_review_round_trip(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    code, doc = _doc([str(copy)])
    assert code == 1
    errors = [f for f in doc["findings"] if f["severity"] == "error"]
    [wrong_year] = [f for f in errors if f["rule"] == "N-YEAR"]
    others = [f for f in errors if f is not wrong_year]
    assert others

    # dismiss every error but the wrong year (by id, one by prefix), confirm the wrong year
    ids = [f["id"] for f in others]
    args = ["review", str(copy), "--reason", "口径不同，已与财政局核对", "--who", "张三"]
    for i, fid in enumerate(ids):
        args += ["--id", fid[:6] if i == 0 else fid]
    marked = runner.invoke(app, args)
    assert marked.exit_code == 0, marked.output
    review_file = tmp_path / "cnbudget-review.json"
    state = load_review(review_file)
    assert {k for k, e in state.findings.items() if e.status == "dismissed"} == set(ids)
    entry = state.findings[ids[0]]
    assert entry.reason == "口径不同，已与财政局核对" and entry.who == "张三" and entry.when and entry.rule == others[0]["rule"]
    assert runner.invoke(app, ["review", str(copy), "--id", wrong_year["id"], "--status", "confirmed"]).exit_code == 0

    # re-check: dismissed findings are hidden from the counted ones, listed with their reason; N-YEAR still counts
    code, doc = _doc([str(copy)])
    assert code == 1
    assert [f["id"] for f in doc["findings"] if f["severity"] == "error"] == [wrong_year["id"]]
    assert sorted(d["id"] for d in doc["dismissed"]) == sorted(ids)
    assert all(d["review"]["reason"] == "口径不同，已与财政局核对" for d in doc["dismissed"])
    assert doc["confirmed"] == [wrong_year["id"]]
    text = runner.invoke(app, ["--lang", "zh", "check", str(copy)]).stdout  # (tests run in English by default)
    set_lang("en")  # --lang stays in force in this process: back to the tests' language
    assert "已忽略的问题" in text and "口径不同，已与财政局核对" in text and "已确认" in text
    concise = runner.invoke(app, ["check", str(copy), "--format", "concise"]).stdout
    assert not any(fid in concise for fid in ids) and wrong_year["id"] in concise

    # the document is corrected: the confirmed finding is gone and reported fixed; nothing counted is an error
    _edit(copy, WRONG_YEAR, "2023 年部门预算")
    code, doc = _doc([str(copy)])
    assert code == 0
    assert [x["id"] for x in doc["fixed"]] == [wrong_year["id"]]
    assert doc["fixed"][0]["review"]["rule"] == "N-YEAR"
    assert sorted(d["id"] for d in doc["dismissed"]) == sorted(ids)  # untouched findings keep their ids
    out = tmp_path / "report.csv"
    runner.invoke(app, ["check", str(copy), "--format", "csv", "-o", str(out)])
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert {r["id"] for r in rows if r["status"] == "fixed"} == {wrong_year["id"]}
    assert {r["id"] for r in rows if r["status"] == "dismissed"} == set(ids)
    html = tmp_path / "report.html"
    runner.invoke(app, ["--lang", "zh", "check", str(copy), "--format", "html", "-o", str(html)])
    page = html.read_text(encoding="utf-8")
    assert "已修正的问题" in page and "口径不同，已与财政局核对" in page and "已审核" in page
    from openpyxl import load_workbook

    book = tmp_path / "issues.xlsx"
    runner.invoke(app, ["check", str(copy), "--format", "xlsx", "-o", str(book)])
    ws = load_workbook(book)["问题清单"]
    header = [c.value for c in ws[1]]
    states = {row[header.index("编号")]: row[header.index("审核")] for row in ws.iter_rows(min_row=2, values_only=True)}
    assert {states[i] for i in ids} == {"已忽略：口径不同，已与财政局核对"}
    assert states[wrong_year["id"]] == "已修正"

    # the review command records what the re-check no longer finds as fixed
    assert runner.invoke(app, ["review", str(copy)]).exit_code == 0
    assert load_review(review_file).findings[wrong_year["id"]].status == "fixed"


def test_review_file_given_and_in_toml(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    review = tmp_path / "elsewhere" / "decisions.toml"
    review.parent.mkdir()
    result = runner.invoke(app, ["review", str(copy), "--rule", "X-B3", "--reason", "表间口径", "--review", str(review)])
    assert result.exit_code == 0, result.output
    state = load_review(review)
    assert state.findings and {e.rule for e in state.findings.values()} == {"X-B3"}
    assert 'status = "dismissed"' in review.read_text(encoding="utf-8")
    # not next to the documents: only --review applies it
    _, plain = _doc([str(copy)])
    assert "dismissed" not in plain
    _, reviewed = _doc([str(copy), "--review", str(review)])
    assert {d["rule"] for d in reviewed["dismissed"]} == {"X-B3"}
    assert not [f for f in reviewed["findings"] if f["rule"] == "X-B3"]
    # saving and reading back is the identity
    save_review(state, tmp_path / "again.toml")
    assert load_review(tmp_path / "again.toml") == state


def test_review_refuses_what_it_cannot_do(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    no_reason = runner.invoke(app, ["--lang", "zh", "review", str(copy), "--rule", "X-B3"])
    assert no_reason.exit_code == 2 and "理由" in no_reason.output
    unknown = runner.invoke(app, ["review", str(copy), "--id", "ffffffffff", "--reason", "x"])
    assert unknown.exit_code == 2 and "ffffffffff" in unknown.output
    assert not (tmp_path / "cnbudget-review.json").exists()
    missing = runner.invoke(app, ["check", str(copy), "--review", str(tmp_path / "typo.json")])
    assert missing.exit_code == 2 and "typo.json" in missing.output
    bad = tmp_path / "cnbudget-review.json"
    bad.write_text('{"findings": {"abc": {"status": "ignored"}}}', encoding="utf-8")
    result = runner.invoke(app, ["check", str(copy)])
    assert result.exit_code == 2 and "findings.abc.status" in result.output and "Traceback" not in result.output


def test_review_interactively(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    first = check_one(copy).findings[:2]
    # first finding: dismissed with a reason; second: skipped; then quit
    result = runner.invoke(app, ["review", str(copy), "-i", "--who", "王五"], input="d\n转换误差\ns\nq\n")
    assert result.exit_code == 0, result.output
    state = load_review(tmp_path / "cnbudget-review.json")
    assert list(state.findings) == [first[0].id]
    assert state.findings[first[0].id].reason == "转换误差" and state.findings[first[0].id].who == "王五"
    assert isinstance(state, ReviewFile)
