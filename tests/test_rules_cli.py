"""`check` and `rules`: formats, exit codes, directories, configuration, the generated rule index."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from cnbudget.commands import register
from cnbudget.render.rule_index import rules_markdown
from cnbudget.rules.registry import ConfigError, all_rules, load_config, run
from conftest import ROOT, SEED_FILES, seed

runner = CliRunner()


def _app() -> typer.Typer:
    app = typer.Typer(add_completion=False)

    @app.command()
    def version() -> None:  # a second command, so that typer keeps sub-command names
        """Print nothing."""

    register(app, "check", "rules")
    return app


APP = _app()
S002, S003 = str(SEED_FILES["002"]), str(SEED_FILES["003"])


def test_exit_codes(tmp_path: Path) -> None:
    assert runner.invoke(APP, ["check", S002]).exit_code == 1  # error-level findings
    # 0 once every rule reporting an error on seed 003 is switched off (the table rules only report 尾数差异 there)
    erring = sorted({f.rule for f in run(seed("003")) if f.severity == "error"})
    assert not [r for r in erring if r[0] in "BFXCK"]
    cfg = tmp_path / "cnbudget.toml"
    cfg.write_text(f"[rules]\ndisable = {json.dumps(erring)}\n", encoding="utf-8")
    assert runner.invoke(APP, ["check", S003, "--config", str(cfg)]).exit_code == 0


def test_unreadable_input_exits_2_with_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4\nnot really a pdf")
    result = runner.invoke(APP, ["check", str(bad)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    missing = runner.invoke(APP, ["check", str(tmp_path / "nothing.txt")])
    assert missing.exit_code == 2


def test_json_report_shape() -> None:
    result = runner.invoke(APP, ["check", S002, "--format", "json"])
    data = json.loads(result.stdout)
    assert list(data) == ["documents"]
    [doc] = data["documents"]
    assert list(doc) == ["source", "meta", "findings", "coverage"]
    # the machine codes (status, reason_code) stay beside the sentence, which follows --lang
    y1 = {"rule": "Y-1", "status": "not checked", "reason": "the prior year's disclosure was not given (--prior)",
          "reason_code": "no_prior", "reason_codes": ["no_prior"]}
    assert y1 in doc["coverage"]
    assert doc["meta"]["department"] == "台前县医疗保障局"
    f = doc["findings"][0]
    assert list(f) == ["id", "rule", "category", "severity", "message", "location", "expected", "actual"]
    assert list(f["location"]) == ["file", "page", "table", "section", "row", "column", "bbox"]
    assert {x["location"]["file"] for x in doc["findings"]} <= {S002, ""}  # the file of the page (issue 8)
    assert any(x["rule"] == "K004" for x in doc["findings"])


def test_csv_report(tmp_path: Path) -> None:
    out = tmp_path / "report.csv"
    result = runner.invoke(APP, ["check", S002, S003, "--format", "csv", "-o", str(out)])
    assert result.exit_code == 1
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert {r["source"] for r in rows} == {S002, S003}
    assert {"rule", "severity", "table", "row", "column", "line", "expected", "actual"} <= set(rows[0])


def test_text_report_groups_by_table(tmp_path: Path) -> None:
    out = tmp_path / "report.txt"
    runner.invoke(APP, ["check", S002, "-o", str(out)])
    text = out.read_text(encoding="utf-8")
    assert "B5 一般公共预算支出表" in text and "K004" in text and "\x1b[" not in text


def test_directory_argument(tmp_path: Path) -> None:
    for name in ("002", "003"):
        (tmp_path / SEED_FILES[name].name).write_bytes(SEED_FILES[name].read_bytes())
    (tmp_path / "notes.csv").write_text("ignored", encoding="utf-8")
    result = runner.invoke(APP, ["check", str(tmp_path), "--format", "json"])
    assert len(json.loads(result.stdout)["documents"]) == 2


def test_config_disables_and_regrades(tmp_path: Path) -> None:
    cfg = tmp_path / "cnbudget.toml"
    cfg.write_text('[rules]\ndisable = ["K004", "C002"]\n[rules.severity]\n"X-B3" = "warning"\n', encoding="utf-8")
    config = load_config(cfg)
    findings = run(seed("002"), config)
    assert not [f for f in findings if f.rule in ("K004", "C002")]
    assert {f.severity for f in findings if f.rule == "X-B3"} == {"warning"}
    result = runner.invoke(APP, ["check", S002, "--config", str(cfg), "--format", "json"])
    assert not [f for f in json.loads(result.stdout)["documents"][0]["findings"] if f["rule"] == "K004"]


def test_regrading_keeps_rounding_at_info(tmp_path: Path) -> None:
    cfg = tmp_path / "cnbudget.toml"
    cfg.write_text('[rules.severity]\n"F3-1" = "warning"\n', encoding="utf-8")
    findings = run(seed("003"), load_config(cfg))
    assert {f.severity for f in findings if f.rule == "F3-1"} == {"info"}


def test_pyproject_section(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.cnbudget.rules]\ndisable = ["K003"]\n', encoding="utf-8")
    assert load_config(cwd=tmp_path).disable == {"K003"}
    assert load_config(cwd=tmp_path / "nowhere").disable == frozenset()


@pytest.mark.parametrize(
    "text",
    ['[rules]\ndisable = ["NOPE"]\n', '[rules.severity]\n"K004" = "fatal"\n', "[rules\n", '[rules]\ndisable = "K004"\n'],
)
def test_bad_configuration(tmp_path: Path, text: str) -> None:
    cfg = tmp_path / "cnbudget.toml"
    cfg.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError):
        load_config(cfg)
    result = runner.invoke(APP, ["check", S003, "--config", str(cfg)])
    assert result.exit_code == 2


def test_rules_listing() -> None:
    result = runner.invoke(APP, ["rules", "--format", "json"])
    listed = json.loads(result.stdout)
    assert [r["id"] for r in listed] == [r.id for r in all_rules()]
    for r in listed:
        assert r["category"] in ("completeness", "arithmetic", "cross_table", "narrative", "classification", "performance_score", "year_over_year")
        assert r["severity"] in ("error", "warning", "info")
        assert len(r["explanation"]) > 60
    text = runner.invoke(APP, ["rules"]).stdout
    assert "X-F7" in text and "C004" in text


def test_docs_rules_md_is_generated_from_the_registry() -> None:
    # docs/rules.md is the Chinese index (the default language), docs/rules.en.md the English one
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == rules_markdown(all_rules(), "zh")
    assert (ROOT / "docs" / "rules.en.md").read_text(encoding="utf-8") == rules_markdown(all_rules(), "en")
