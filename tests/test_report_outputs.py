"""Outputs that fit Excel and the terminal, configuration that behaves (issue 11 §4, §6)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cnbudget.cli import app
from cnbudget.rules.registry import ConfigError, load_config
from conftest import SEED_FILES

runner = CliRunner()
S000, S001, S002, S003 = (str(SEED_FILES[n]) for n in ("000", "001", "002", "003"))


def test_csv_file_opens_with_a_bom_and_carries_the_document(tmp_path: Path) -> None:
    out = tmp_path / "report.csv"
    result = runner.invoke(app, ["check", S002, S003, "--format", "csv", "-o", str(out)])
    assert result.exit_code == 1
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel on Chinese Windows reads the file as UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    findings = [r for r in rows if r["category"] != "coverage"]
    by_source = {r["source"]: r for r in findings}
    assert by_source[S002]["department"] == "台前县医疗保障局" and by_source[S002]["year"] == "2023"
    assert by_source[S002]["kind"] == "预算"
    assert by_source[S003]["department"] == "峯城区医疗保障局" and by_source[S003]["kind"] == "决算"
    assert all(re.fullmatch(r"[0-9a-f]{10}", r["id"]) for r in findings)
    k004 = next(r for r in findings if r["rule"] == "K004")
    assert (k004["table"], k004["row"], k004["line"]) == ("B5 一般公共预算支出表", "2210201 住房公积金", "325")
    # to standard output (a pipe) there is no BOM
    piped = runner.invoke(app, ["check", S002, "--format", "csv"])
    assert piped.stdout.startswith("source,")


def test_concise_is_one_line_per_finding_unwrapped() -> None:
    result = runner.invoke(app, ["check", S002, "--format", "concise"])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    counted = runner.invoke(app, ["check", S002, "--format", "json"]).stdout.count('"rule": ')  # findings + coverage
    assert 20 < len(lines) < counted
    name = Path(S002).name
    assert all(line.startswith(f"{name}:") for line in lines)
    k004 = next(line for line in lines if ":K004: " in line)
    assert k004.startswith(f"{name}:325:K004: [error] 2210201 住房公积金 is printed twice")
    assert len(k004) > 200  # the long message stays on its one line
    c002 = next(line for line in lines if ":C002: " in line)
    assert c002.startswith(f"{name}::C002: ")  # a finding with no place keeps the empty field


def test_statistics_counts_per_rule(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", S002, "--statistics"])
    assert result.exit_code == 1
    counts = {m[1]: int(m[0]) for m in re.findall(r"^\s*(\d+)\s+(\S+)\s+error\b", result.stdout, flags=re.M)}
    assert counts["B3-4"] == 4 and counts["X-B3"] == 4 and counts["K004"] == 1
    assert "共" in result.stdout
    assert "台前县医疗保障局" not in result.stdout  # the statistics instead of the report
    out = tmp_path / "r.json"
    both = runner.invoke(app, ["check", S002, "--statistics", "--format", "json", "-o", str(out)])
    assert out.read_text(encoding="utf-8").count('"rule": "X-B3"') >= 4 and "X-B3" in both.stdout


def test_directory_run_lists_what_it_skipped(tmp_path: Path) -> None:
    (tmp_path / Path(S002).name).write_bytes(Path(S002).read_bytes())
    (tmp_path / "notes.csv").write_text("x", encoding="utf-8")
    (tmp_path / "scan.png").write_bytes(b"\x89PNG")  # an image: no reader (a .docx is read since issue 12)
    (tmp_path / "old").mkdir()
    result = runner.invoke(app, ["--lang", "zh", "check", str(tmp_path), "--format", "concise"])
    assert result.exit_code == 1
    skipped = [line for line in result.stderr.splitlines() if line.startswith("跳过")]
    assert len(skipped) == 3
    assert any("notes.csv" in s and ".csv" in s for s in skipped) and any("scan.png" in s for s in skipped)
    assert any(s.rstrip().endswith("子文件夹不进入") for s in skipped)


def test_prior_of_another_department_or_year_is_refused_unless_forced() -> None:
    other = runner.invoke(app, ["check", S000, "--prior", S001])
    assert other.exit_code == 2
    assert "济源产城融合示范区医疗保障局" in other.stderr and "安阳市医疗保障局" in other.stderr and "--force-prior" in other.stderr
    same_year = runner.invoke(app, ["check", S003, "--prior", S003])
    assert same_year.exit_code == 2 and "2019" in same_year.stderr
    forced = runner.invoke(app, ["check", S000, "--prior", S001, "--force-prior", "--format", "concise"])
    assert forced.exit_code in (0, 1)


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ('[rules]\ndisabel = ["K004"]\n', "'disabel'"),
        ("[rulez]\nx = 1\n", "[rulez]"),
        ('[rules]\ndisable = "K004"\n', "disable"),
        ("[rules]\ndisable = [1]\n", "disable"),
        ('[rules.severity]\n"K004" = "fatal"\n', "K004"),
        ("[rules]\nseverity = 3\n", "rules.severity"),
        ("rules = 3\n", "[rules]"),
        ('[rules]\ndisable = ["NOPE"]\n', "NOPE"),
    ],
)
def test_config_errors_name_the_key(tmp_path: Path, text: str, named: str) -> None:
    cfg = tmp_path / "cnbudget.toml"
    cfg.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(cfg)
    assert named in str(caught.value) and str(caught.value).count(". ") == 0  # one sentence
    result = runner.invoke(app, ["check", S003, "--config", str(cfg)])
    assert result.exit_code == 2 and named in result.stderr and "Traceback" not in result.output
    assert len([line for line in result.stderr.splitlines() if line.strip()]) == 1


def test_pyproject_keys_are_validated_too(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.cnbudget]\nrule = {}\n[tool.other]\nx = 1\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[tool\.cnbudget\.rule\]"):
        load_config(cwd=tmp_path)


def test_tables_never_truncates_amounts() -> None:
    result = runner.invoke(app, ["tables", S002, "-t", "B3"])
    assert result.exit_code == 0
    assert "…" not in result.stdout
    for amount in ("2,469.94", "1,885.44", "1,008.00", "877.44"):
        assert amount in result.stdout
    assert "机关事业单位基本养老保险缴费支出" in result.stdout  # labels too, on one line


def test_html_summary_at_the_top_even_for_one_document(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    runner.invoke(app, ["--lang", "zh", "check", S002, "--format", "html", "-o", str(out)])
    page = out.read_text(encoding="utf-8")
    overview = page.index("概览")
    assert overview < page.index('id="doc-1"')
    head = page[overview : page.index("</table>", overview)]
    assert "未检查规则" in head and "已审核" in head and "台前县医疗保障局" in head
