"""`cnbudget check` outputs people use: HTML report, xlsx issue list, annotated PDF, --prior, -j, exit codes."""

from __future__ import annotations

import hashlib
import json
import re
from io import StringIO
from pathlib import Path
from typing import Any

import numpy as np
import pypdfium2 as pdfium
from openpyxl import load_workbook
from rich.console import Console
from typer.testing import CliRunner

from cnbudget.cli import app
from cnbudget.commands.check import _progress
from cnbudget.i18n import t as message_text
from cnbudget.model import Meta
from cnbudget.render.html import to_html
from cnbudget.render.pdf_comments import read_comments
from cnbudget.render.report import SEVERITY_ZH
from cnbudget.render.xlsx import ISSUE_COLUMNS
from cnbudget.rules.findings import Finding, Where
from cnbudget.rules.report import DocumentReport
from conftest import PDF_FILES, SEED_FILES, SEEDS

runner = CliRunner()
S002, S003 = str(SEED_FILES["002"]), str(SEED_FILES["003"])
FINANCE = PDF_FILES["finance"]


def _json(args: list[str]) -> dict[str, Any]:
    result = runner.invoke(app, ["check", *args, "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


# --- HTML ---------------------------------------------------------------------------------------


def test_html_report_is_one_self_contained_file(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["check", S002, "--format", "html", "-o", str(out)])
    assert result.exit_code == 1
    assert list(tmp_path.iterdir()) == [out]
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in html
    # nothing outside the file: no script, stylesheet link, image, remote URL or CSS url()
    for forbidden in ("<script", "<link", "<img", "src=", "url(", "http://", "https://", "@import"):
        assert forbidden not in html, forbidden
    assert all(h.startswith("#") for h in re.findall(r'href="([^"]*)"', html))
    # meta, counts and the N-SHARE finding with its expected share
    assert "台前县医疗保障局" in html and "2023" in html and "预算" in html
    assert "76.34%" in html and "96.3%" in html
    # grouped by table and by narrative section
    assert "<h4>B5 一般公共预算支出表" in html
    assert "<h4>第二部分/三、支出预算总体情况说明" in html
    # every rule link lands on an explanation from the registry
    targets = set(re.findall(r'href="#(rule-[^"]+)"', html))
    assert "rule-N-SHARE" in targets and "rule-K004" in targets
    for t in targets:
        assert f'id="{t}"' in html, t
    assert "printed twice" in html or "K004" in html


def test_html_escapes_everything() -> None:
    nasty = "<script>alert('x')</script> & \"quoted\""
    report = DocumentReport(
        source="/tmp/<evil>.txt",
        meta=Meta(department="<b>部门</b>", year=2023, kind="预算"),
        findings=[Finding("N-SHARE", "narrative", "error", nasty, Where(table="B5 <表>", row="<row>", column="<col>"), "<1>", "<2>")],
    )
    html = to_html([report], unreadable=[("/tmp/<bad>.pdf", "<reason>")])
    assert "<script>" not in html and "<b>部门" not in html and "<evil>" not in html and "<row>" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;quoted&quot;" in html
    assert "&lt;bad&gt;.pdf" in html and "&lt;reason&gt;" in html


def test_html_batch_has_overview_and_lists_unreadable_files(tmp_path: Path) -> None:
    for name in ("002", "003"):
        (tmp_path / SEED_FILES[name].name).write_bytes(SEED_FILES[name].read_bytes())
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4\nnot really a pdf")
    out = tmp_path / "out" / "report.html"
    out.parent.mkdir()
    result = runner.invoke(app, ["check", str(tmp_path), "--format", "html", "-o", str(out)])
    assert result.exit_code == 2
    html = out.read_text(encoding="utf-8")
    assert "概览 Overview" in html and 'href="#doc-1"' in html and 'id="doc-2"' in html
    assert "未能读取" in html and "broken.pdf" in html
    assert "峯城区医疗保障局" in html and "台前县医疗保障局" in html


# --- xlsx ---------------------------------------------------------------------------------------


def test_xlsx_rows_equal_the_json_findings(tmp_path: Path) -> None:
    out = tmp_path / "issues.xlsx"
    result = runner.invoke(app, ["check", S002, S003, "--format", "xlsx", "-o", str(out)])
    assert result.exit_code == 1, result.output
    data = _json([S002, S003])
    wb = load_workbook(out)
    assert wb.sheetnames == ["问题清单", "规则说明", "检查覆盖"]  # coverage: what ran and what could not
    ws = wb["问题清单"]
    header = [c.value for c in ws[1]]
    assert header == ["文件", "部门", "年度", "类型", "严重程度", "规则", "类别", "表格", "行", "列", "页", "行号", "说明", "应为", "实际", "编号", "审核", "所在文件"]
    assert header == [name for name, _ in ISSUE_COLUMNS]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:R{ws.max_row}"
    assert ws.column_dimensions["M"].width >= 60  # 说明
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in ws.iter_rows(min_row=2)]
    expected = []
    for doc in data["documents"]:
        for f in doc["findings"]:
            loc = f["location"]
            expected.append(
                {
                    "文件": Path(doc["source"]).name,
                    "部门": doc["meta"]["department"],
                    "年度": doc["meta"]["year"],
                    "类型": doc["meta"]["kind"],
                    "严重程度": SEVERITY_ZH[f["severity"]],
                    "规则": f["rule"],
                    "类别": message_text(f"category.{f['category']}"),  # named for people, like the severity
                    "表格": loc["table"] or (f"情况说明 · {loc['section']}" if loc["section"] else None),
                    "行": loc["row"] or None,
                    "列": loc["column"] or None,
                    "页": loc["page"],
                    "说明": f["message"],
                    "应为": f["expected"] or None,
                    "实际": f["actual"] or None,
                    "编号": f["id"],
                    "审核": None,  # no review file: nothing reviewed
                    "所在文件": Path(loc["file"]).name if loc["file"] else None,  # one file: the document's, or none
                }
            )
    assert [{k: v for k, v in r.items() if k != "行号"} for r in rows] == expected
    assert len(rows) > 30
    # a text source's finding has its line number; severity is coloured
    assert {r["行号"] for r in rows if r["规则"] == "N-SHARE" and r["文件"].startswith("002")} == {94}
    first_error = next(i for i, r in enumerate(rows, 2) if r["严重程度"] == "错误")
    assert ws.cell(row=first_error, column=5).fill.fgColor.rgb.endswith("FFC7CE")
    # the second sheet explains each rule that reported something
    rules = wb["规则说明"]
    listed = {row[0].value for row in rules.iter_rows(min_row=2)}
    assert listed == {r["规则"] for r in rows}
    n_share = next(row for row in rules.iter_rows(min_row=2) if row[0].value == "N-SHARE")
    assert n_share[5].value and len(str(n_share[5].value)) > 40


def test_xlsx_needs_an_output_file() -> None:
    result = runner.invoke(app, ["check", S002, "--format", "xlsx"])
    assert result.exit_code == 2 and "-o" in result.output


# --- exit codes, directories, -j ----------------------------------------------------------------


def test_exit_codes(tmp_path: Path) -> None:
    assert runner.invoke(app, ["check", S002]).exit_code == 1
    cfg = tmp_path / "cnbudget.toml"
    erring = sorted({f["rule"] for f in _json([S003])["documents"][0]["findings"] if f["severity"] == "error"})
    cfg.write_text(f"[rules]\ndisable = {json.dumps(erring)}\n", encoding="utf-8")
    assert runner.invoke(app, ["check", S003, "--config", str(cfg)]).exit_code == 0
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    assert runner.invoke(app, ["check", str(empty)]).exit_code == 2


def test_unreadable_file_in_a_batch_is_reported_and_the_others_checked(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(SEED_FILES["002"].read_bytes())
    (tmp_path / "b_broken.pdf").write_bytes(b"%PDF-1.4\nnot really a pdf")
    (tmp_path / "c.txt").write_bytes(SEED_FILES["003"].read_bytes())
    (tmp_path / "sub").mkdir()  # sub-folders are not entered
    (tmp_path / "sub" / "d.txt").write_bytes(SEED_FILES["004"].read_bytes())
    for jobs in ("1", "2"):
        result = runner.invoke(app, ["check", str(tmp_path), "-j", jobs, "--format", "json"])
        assert result.exit_code == 2
        assert "b_broken.pdf" in result.stderr and "Traceback" not in result.output
        docs = json.loads(result.stdout)["documents"]
        assert [Path(d["source"]).name for d in docs] == ["a.txt", "c.txt"]


def test_jobs_give_the_same_findings_as_one_process() -> None:
    one = runner.invoke(app, ["check", str(SEEDS), "-j", "1", "--format", "json"])
    two = runner.invoke(app, ["check", str(SEEDS), "-j", "2", "--format", "json"])
    assert one.exit_code == two.exit_code == 1
    assert json.loads(one.stdout) == json.loads(two.stdout)
    assert len(json.loads(two.stdout)["documents"]) == len(list(SEEDS.glob("*.txt")))


def test_progress_bar_only_on_a_terminal() -> None:
    assert _progress(Console(file=StringIO()), 5).disable
    assert not _progress(Console(file=StringIO(), force_terminal=True), 5).disable
    assert _progress(Console(file=StringIO(), force_terminal=True), 1).disable


def test_outputs_never_overwrite_an_input(tmp_path: Path) -> None:
    copy = tmp_path / "seed.txt"
    copy.write_bytes(SEED_FILES["002"].read_bytes())
    result = runner.invoke(app, ["check", str(copy), "--format", "json", "-o", str(copy)])
    assert result.exit_code == 2 and "never overwrites" in result.output
    assert copy.read_bytes() == SEED_FILES["002"].read_bytes()


# --- annotated PDF ------------------------------------------------------------------------------


def _red_pixels(page: pdfium.PdfPage, box: tuple[float, float, float, float], scale: float = 2.0) -> int:
    img = np.asarray(page.render(scale=scale).to_pil().convert("RGB")).astype(int)
    x0, y0, x1, y1 = (int(v * scale) for v in box)
    pad = int(4 * scale)
    region = img[max(y0 - pad, 0) : y1 + pad, max(x0 - pad, 0) : x1 + pad]
    r, g, b = region[..., 0], region[..., 1], region[..., 2]
    return int(((r > 180) & (g < 80) & (b < 80)).sum())


def test_annotated_pdf_boxes_every_finding_and_adds_an_index_page(tmp_path: Path) -> None:
    digest = hashlib.sha256(FINANCE.read_bytes()).hexdigest()
    out = tmp_path / "annotated.pdf"
    result = runner.invoke(app, ["check", str(FINANCE), "--annotate", str(out), "--format", "json"])
    assert result.exit_code == 1, result.output
    assert hashlib.sha256(FINANCE.read_bytes()).hexdigest() == digest  # the input is only read
    findings = json.loads(result.stdout)["documents"][0]["findings"]
    original, annotated = pdfium.PdfDocument(str(FINANCE)), pdfium.PdfDocument(str(out))
    assert len(annotated) == len(original) + 1
    # a red box where the N-TABLE error is (page 21), none there in the original
    error = next(f for f in findings if f["rule"] == "N-TABLE")
    page_no, box = error["location"]["page"], tuple(error["location"]["bbox"])
    assert _red_pixels(annotated[page_no - 1], box) > 300
    assert _red_pixels(original[page_no - 1], box) == 0
    # a page without findings is untouched
    empty_page = next(p for p in range(1, len(original) + 1) if p not in {f["location"]["page"] for f in findings})
    same = np.asarray(original[empty_page - 1].render().to_pil()), np.asarray(annotated[empty_page - 1].render().to_pil())
    assert (same[0] == same[1]).all()
    # the index page lists every finding with its page
    index = annotated[len(annotated) - 1].get_textpage().get_text_bounded()
    assert "Index of findings" in index  # in the language in force; the Chinese index: tests/test_annotate_pdf.py
    for n, f in enumerate(findings, 1):
        assert f"{n}." in index and f["rule"] in index
    assert "expected 2,961.68" in index
    # every finding is a PDF comment in the language in force (English here)
    comments = read_comments(annotated)
    assert [(c.page, c.title, c.contents) for c in comments] == [(f["location"]["page"], f["rule"], f["message"]) for f in findings]
    assert sum("(rounding)" in c.contents for c in comments) == 10
    assert f"{len(findings)} finding(s) boxed, 0 listed on the index page only" in result.stderr


def test_annotate_is_for_one_pdf(tmp_path: Path) -> None:
    out = tmp_path / "a.pdf"
    two = runner.invoke(app, ["check", str(FINANCE), S002, "--annotate", str(out)])
    assert two.exit_code == 2 and "one PDF" in two.output
    text = runner.invoke(app, ["check", S002, "--annotate", str(out)])
    assert text.exit_code == 2 and "is not one" in text.output
    same = runner.invoke(app, ["check", str(FINANCE), "--annotate", str(FINANCE)])
    assert same.exit_code == 2 and "never overwrites" in same.output
    assert not out.exists()


# --- --prior ------------------------------------------------------------------------------------


def _prior(tmp_path: Path, closing: str) -> Path:
    """A synthetic 2019 决算 of seed 003's department: seed 003 with the year and F1/F4 年末结转和结余 changed."""
    lines = SEED_FILES["003"].read_text(encoding="utf-8").split("\n")
    assert lines[2] == "2020年度"
    lines[2] = "2019年度"
    f1 = lines.index("年初结转和结余\t29\t53.23\t年末结转和结余\t60\t15.35")
    lines[f1] = lines[f1].replace("\t15.35", f"\t{closing}")
    f4 = lines.index("年初财政拨款结转和结余\t28\t53.23\t年末财政拨款结转和结余\t60\t15.35\t15.35\t0.00\t0.00")
    lines[f4] = lines[f4].replace("\t15.35\t15.35", f"\t{closing}\t{closing}")
    path = tmp_path / f"prior_{closing}.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_prior_carry_over(tmp_path: Path) -> None:
    matching = _json([S003, "--prior", str(_prior(tmp_path, "53.23"))])["documents"][0]["findings"]
    assert not [f for f in matching if f["rule"] in ("Y-0", "Y-1")]
    differing = _json([S003, "--prior", str(_prior(tmp_path, "50.00"))])["documents"][0]["findings"]
    y1 = [f for f in differing if f["rule"] == "Y-1"]
    assert {f["location"]["table"].split()[0] for f in y1} == {"F1", "F4"}
    f1 = next(f for f in y1 if f["location"]["table"].startswith("F1"))
    assert (f1["severity"], f1["expected"], f1["actual"]) == ("error", "50.00", "53.23")
    assert f1["location"]["row"] == "年初结转和结余"
    # the other findings are those of the document alone
    alone = _json([S003])["documents"][0]["findings"]
    assert [f for f in differing if not f["rule"].startswith("Y-")] == alone


def test_prior_respects_the_configuration(tmp_path: Path) -> None:
    prior = str(_prior(tmp_path, "50.00"))
    cfg = tmp_path / "cnbudget.toml"
    cfg.write_text('[rules]\ndisable = ["Y-1"]\n[rules.severity]\n"Y-2" = "info"\n', encoding="utf-8")
    findings = _json([S003, "--prior", prior, "--config", str(cfg)])["documents"][0]["findings"]
    assert not [f for f in findings if f["rule"] == "Y-1"]
    assert {f["severity"] for f in findings if f["rule"] == "Y-2"} <= {"info"}


def test_prior_of_the_wrong_year_says_so(tmp_path: Path) -> None:
    # issue 11 §6: the command refuses a prior of the wrong year unless forced; forced, Y-0 still says so
    refused = runner.invoke(app, ["check", S003, "--prior", S003])
    assert refused.exit_code == 2 and "--force-prior" in refused.output
    findings = _json([S003, "--prior", S003, "--force-prior"])["documents"][0]["findings"]
    [y0] = [f for f in findings if f["rule"] == "Y-0"]
    assert y0["severity"] == "warning" and "2020, not 2019" in y0["message"]
    missing = runner.invoke(app, ["check", S003, "--prior", str(tmp_path / "none.txt")])
    assert missing.exit_code == 2 and "prior" in missing.output


def test_exit_zero_keeps_the_report_but_not_the_error_exit() -> None:
    from typer.testing import CliRunner

    from cnbudget.cli import app
    from conftest import SEED_FILES

    runner = CliRunner()
    failing = runner.invoke(app, ["check", str(SEED_FILES["002"]), "--format", "json"])
    assert failing.exit_code == 1
    zero = runner.invoke(app, ["check", str(SEED_FILES["002"]), "--format", "json", "--exit-zero"])
    assert zero.exit_code == 0 and zero.stdout == failing.stdout
