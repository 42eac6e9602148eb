"""Issue 9: bad input never crashes, hangs or exhausts memory — one regression test per fuzzing class.

Every test runs the real CLI on a minimal input from ../shared/fuzz-repro (or one built here) and
asserts a correct result where the input is readable, or exit 2 with one sentence where it is not;
never a traceback, and the input file's bytes never change. The classes that once hung or ran out
of memory run in a child process with a time limit and an address-space limit.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import resource
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from tests.conftest import ROOT, SEED_FILES, SHARED
from typer.testing import CliRunner

from cnbudget.cli import app
from cnbudget.errors import InputError
from cnbudget.ingest.sanitize import UNREADABLE, clean
from cnbudget.limits import computable, to_decimal
from cnbudget.numbers import parse_amount
from cnbudget.outfile import OutputError, write_atomic
from cnbudget.safe_text import name_part, shown

REPRO = SHARED / "fuzz-repro"
runner = CliRunner()
MEMORY_LIMIT = 3 * 1024**3  # bytes of address space for a child: the blow-ups took 7–21 GB
TIME_LIMIT = 90  # seconds for a child under load: the hangs took 70 s to hours


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _cli(args: list[str]) -> tuple[int, str]:
    """Run cnbudget in this process; (exit code, stdout + stderr)."""
    result = runner.invoke(app, args, env={"COLUMNS": "200"})
    assert "Traceback" not in result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def _child(args: list[str]) -> tuple[int, str, float]:
    """Run cnbudget in a child with the time and memory limits; (exit code, stderr, seconds)."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "COLUMNS": "200", "CNBUDGET_LANG": "en"}  # as the other tests
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-c", "from cnbudget.cli import app; app()", *args],
        capture_output=True,
        timeout=TIME_LIMIT,
        preexec_fn=limit,
        env=env,
    )
    stderr = proc.stderr.decode("utf-8", "replace")
    assert "Traceback" not in stderr and "MemoryError" not in stderr, stderr[-2000:]
    return proc.returncode, stderr, time.monotonic() - started


def _one_sentence(output: str) -> str:
    lines = [ln for ln in output.splitlines() if ln.strip().startswith("error:")]
    assert len(lines) == 1, output
    return lines[0]


def _gunzip(name: str, tmp_path: Path) -> Path:
    out = tmp_path / name.removesuffix(".gz")
    out.write_bytes(gzip.decompress((REPRO / name).read_bytes()))
    return out


# --- numbers beyond any budget (470 of the 565 crashes) ----------------------------------------


def test_amounts_beyond_any_budget_are_not_numbers() -> None:
    assert parse_amount("9" * 30) is None
    assert parse_amount("0." + "0" * 32 + "1") is None
    assert parse_amount("1,601.48") == (Decimal("1601.48"), 2)
    assert parse_amount("410927230000000028913") is not None  # a 21-digit project code still reads
    assert not computable(Decimal("1e300")) and not computable(Decimal("Infinity"))
    assert to_decimal("94.5") == Decimal("94.5") and to_decimal("Infinity") is None and to_decimal("1e9") is None


@pytest.mark.parametrize(
    "name", ["decimal_tolerance_fmt_amount.txt", "decimal_narrative_q.txt", "decimal_performance_score_q.txt"]
)
def test_huge_figures_are_checked_not_crashed(name: str) -> None:
    path = REPRO / name
    before = _digest(path)
    code, out = _cli(["check", str(path), "-f", "json"])
    assert code in (0, 1), out  # checked: the huge figure is unreadable text, never computed with
    assert "InvalidOperation" not in out and "Overflow" not in out
    json.loads(out)
    assert _digest(path) == before


def test_huge_figures_are_named_unreadable() -> None:
    code, out = _cli(["parse", str(REPRO / "decimal_tolerance_fmt_amount.txt"), "-f", "json"])
    assert code == 0
    d = json.loads(out)
    assert any(n.startswith("3 printed figure(s) are beyond any real budget") for n in d["notes"]), d["notes"]
    cells = [v for t in d["tables"] for r in t["rows"] for v in r["values"] if v["text"].startswith("99999999999")]
    assert cells and all(v["amount"] is None and v["number"] is None for v in cells)  # text, never a number


def test_huge_figure_in_a_narrative_change(tmp_path: Path) -> None:
    """The minimal form of decimal_overflow_narrative_base_of: a 400-digit 事业收入 in the 收入 sentence."""
    text = (
        "2023年部门收支预算表\n单位：万元\n本年收入合计1,601.48万元，其中：财政拨款收入1,601.48万元，占100%；"
        f"事业收入{'1' * 400}万元，占0%；经营收入0万元，比上年增加{'9' * 60}万元，增长{'9' * 50}%。\n"
    )
    path = tmp_path / "base_of.txt"
    path.write_text(text, encoding="utf-8")
    code, out = _cli(["check", str(path)])
    assert code in (0, 1, 2)
    assert "InvalidOperation" not in out and "Overflow" not in out


@pytest.mark.parametrize(
    ("name", "needle", "errors"),
    [  # the first two minimal workbooks hold no other amount: "not filled in" is their second, true error
        ("min_xlsx_balance_1e308_budget.xlsx", "beyond any real budget", 2),
        ("min_xlsx_sangong_1e300.xlsx", "beyond any real budget", 2),
        ("min_xlsx_year_1e300.xlsx", "beyond any real budget", 1),
    ],
)
def test_workbook_values_beyond_any_budget(name: str, needle: str, errors: int, tmp_path: Path) -> None:
    path = REPRO / name
    before = _digest(path)
    code, out = _cli(["build", str(path), "-o", str(tmp_path / "out")])
    assert code == 2 and needle in out, out
    assert out.splitlines()[-1] == f"error: the workbook has {errors} error(s); nothing was written."
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())  # nothing written
    assert _digest(path) == before


# --- broken text layers: surrogates, control characters, private-use glyphs ----------------------


def test_clean_replaces_unreadable_characters() -> None:
    assert clean("支\x1b[31m出\ud800\ue001") == (f"支{UNREADABLE}[31m出{UNREADABLE}{UNREADABLE}", 3)
    assert clean("一般公共预算 2,444.50") == ("一般公共预算 2,444.50", 0)
    assert clean("a\tb") == ("a b", 0)


@pytest.mark.parametrize(
    ("name", "args", "note"),
    [
        ("surrogate_parse_text.pdf", [], ""),
        ("surrogate_section_tree.pdf", [], ""),
        ("surrogate_section_tree.pdf", ["-f", "json"], "unreadable character"),
        # its one page's text layer is mojibake ('ŇŠšŢţŤ…': 63 of its 64 characters are none a disclosure prints),
        # so the page is read from its image (ingest/plausible.py) and its surrogates never reach the sanitizer
        ("surrogate_parse_json.pdf", ["-f", "json"], "does not read as printed Chinese"),
    ],
)
def test_surrogates_from_a_broken_text_layer(name: str, args: list[str], note: str) -> None:
    path = REPRO / name
    before = _digest(path)
    code, out = _cli(["parse", str(path), *args])
    assert code == 0, out
    out.encode("utf-8")  # no lone surrogate reaches the output
    if note:
        d = json.loads(out)
        assert any(note in n for n in d["notes"]), d["notes"]
    assert _digest(path) == before


def test_control_characters_in_the_xlsx_report(tmp_path: Path) -> None:
    path = REPRO / "ctrlchar_check_xlsx.txt"
    report = tmp_path / "r.xlsx"
    code, out = _cli(["check", str(path), "-f", "xlsx", "-o", str(report)])
    assert code in (0, 1), out
    assert load_workbook(report)["问题清单"].max_row >= 1


def test_control_characters_in_build_from(tmp_path: Path) -> None:
    path = REPRO / "ctrlchar_build_from.json"
    before = _digest(path)
    code, out = _cli(["build", "--from", str(path), "-o", str(tmp_path), "-f", "xlsx", "-f", "docx"])
    assert code == 0, out
    assert len(list(tmp_path.glob("*.xlsx"))) == 1 and len(list(tmp_path.glob("*.docx"))) == 1
    assert _digest(path) == before


# --- document text and paths are data, never markup ----------------------------------------------


@pytest.mark.parametrize(
    ("name", "command"),
    [("markup_parse_section_tree.txt", "parse"), ("markup_parse_table_title.txt", "parse"), ("markup_tables.txt", "tables")],
)
def test_markup_in_document_text(name: str, command: str) -> None:
    code, out = _cli([command, str(REPRO / name)])
    assert code == 0, out
    assert "[/" in out  # printed as the document prints it (a narrow table cell may wrap after it)


def test_markup_in_a_folder_name(tmp_path: Path) -> None:
    folder = tmp_path / "[/]报告[bold]"
    folder.mkdir(parents=True)
    path = folder / "seed.txt"
    path.write_bytes(SEED_FILES["004"].read_bytes())
    code, out = _cli(["parse", str(path)])
    assert code == 0
    code, out = _cli(["check", str(path), "-f", "json", "-o", str(folder / "r.json")])
    assert code in (0, 1) and "[/]报告[bold]" in out
    assert shown("[/]") == "\\[/]"


# --- outputs and paths ---------------------------------------------------------------------------


def test_output_is_atomic(tmp_path: Path) -> None:
    target = tmp_path / "report.xlsx"
    target.write_bytes(b"old report")

    def broken(p: Path) -> None:
        p.write_bytes(b"half")
        raise ValueError("writer failed")

    with pytest.raises(ValueError):
        write_atomic(target, broken)
    assert target.read_bytes() == b"old report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.xlsx"]  # no temporary file left behind
    with pytest.raises(OutputError, match="is a folder"):
        write_atomic(tmp_path, lambda p: None)
    with pytest.raises(OutputError, match="does not exist"):
        write_atomic(tmp_path / "missing" / "r.json", lambda p: None)


def test_workbook_value_in_a_file_name() -> None:
    name = name_part("1" * 400 + "/../决算")
    assert len(name) <= 80 and "/" not in name


def test_build_output_folder_is_a_file(tmp_path: Path) -> None:
    blocker = tmp_path / "taken"
    blocker.write_text("x", encoding="utf-8")
    code, out = _cli(["build", "--from", str(REPRO / "ctrlchar_build_from.json"), "-o", str(blocker), "-f", "xlsx"])
    assert code == 2 and "cannot be created" in _one_sentence(out)
    assert blocker.read_text(encoding="utf-8") == "x"


def test_template_output_is_a_folder(tmp_path: Path) -> None:
    code, out = _cli(["template", "--kind", "预算", "--year", "2025", "-o", str(tmp_path), "--force"])
    assert code == 2 and "is a folder" in _one_sentence(out)


def test_report_into_a_missing_folder(tmp_path: Path) -> None:
    code, out = _cli(["check", str(SEED_FILES["004"]), "-f", "json", "-o", str(tmp_path / "no" / "r.json")])
    assert code == 2 and "does not exist" in _one_sentence(out)
    assert not (tmp_path / "no").exists()


def test_input_is_a_folder(tmp_path: Path) -> None:
    code, out = _cli(["parse", str(tmp_path)])
    assert code == 2 and "directory" in _one_sentence(out)
    code, out = _cli(["build", "--from", str(tmp_path), "-o", str(tmp_path / "o")])
    assert code == 2 and "folder" in _one_sentence(out)


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS refuses file names that are not UTF-8")
def test_file_name_not_utf8(tmp_path: Path) -> None:
    folder = os.fsencode(tmp_path)
    raw = os.path.join(folder, b"\xff\xfe-report.json")
    src = os.path.join(folder, b"\xb2\xe2\xca\xd4.txt")  # GBK bytes: not UTF-8
    with open(src, "wb") as fh:
        fh.write(SEED_FILES["004"].read_bytes())
    code, out = _cli(["check", os.fsdecode(src), "-f", "json", "-o", os.fsdecode(raw)])
    assert code in (0, 1), out
    assert os.path.exists(raw) and json.loads(Path(os.fsdecode(raw)).read_text(encoding="utf-8"))
    assert sorted(os.listdir(folder)) == sorted([b"\xff\xfe-report.json", b"\xb2\xe2\xca\xd4.txt"])  # nothing broken left


# --- limits: each one sentence and exit 2, in a child with time and memory limits ----------------


@pytest.mark.parametrize(
    ("name", "command", "needle"),
    [
        ("slow_tables_long_line.txt", "tables", "characters long"),
        ("oom_tables_1mb_header.txt.gz", "tables", "characters long"),
        ("pdf_many_text_objects.pdf", "parse", "drawing objects"),
        ("heavy_ocr_huge_page.pdf", "parse", "million pixels"),
        ("oom_ocr_extreme_aspect.pdf", "parse", "longer than wide"),
        ("min_xlsx_far_cell.xlsx", "build", "XFD1048576"),
        ("xlsx_zip_bomb.xlsx", "build", "zip bomb"),
        ("xlsx_zip_bomb_429mb.xlsx", "build", "unpacks to"),
    ],
)
def test_limits_refuse_in_one_sentence(name: str, command: str, needle: str, tmp_path: Path) -> None:
    path = _gunzip(name, tmp_path) if name.endswith(".gz") else REPRO / name
    before = _digest(path)
    args = [command, str(path)] + (["-o", str(tmp_path / "out")] if command == "build" else [])
    code, err, seconds = _child(args)
    assert code == 2, err
    sentence = _one_sentence(err)
    assert needle in sentence and "OCR is off" not in sentence
    assert seconds < 60
    assert _digest(path) == before


def test_many_findings_report_is_linear(tmp_path: Path) -> None:
    """The minimal form of slow_check_xlsx_wide_table: one classification row printed 300 and 3,000 times.

    K004 looked each duplicate up by a scan of the table and the xlsx report asked openpyxl for
    max_row (a scan of every cell) per finding: both quadratic, 70 s+ for the reproducer."""
    lines = SEED_FILES["000"].read_text(encoding="utf-8").split("\n")
    row = next(i for i, ln in enumerate(lines) if ln.startswith("208\t05\t05"))
    seconds: dict[int, float] = {}
    for copies in (300, 3000):  # ten times the findings: linear takes ~8× as long (fixed costs), quadratic ~100×
        path = tmp_path / f"dup{copies}.txt"
        path.write_text("\n".join(lines[:row] + [lines[row]] * copies + lines[row:]), encoding="utf-8")
        report = tmp_path / f"r{copies}.xlsx"
        started = time.monotonic()
        code, out = _cli(["check", str(path), "-f", "xlsx", "-o", str(report)])
        seconds[copies] = time.monotonic() - started
        assert code == 1, out
        rows = list(load_workbook(report, read_only=True)["问题清单"].iter_rows(values_only=True))
        assert sum(1 for r in rows if r[5] == "K004") == copies
    # a ratio measured in one run, not a wall-clock limit: it holds on a loaded machine and fails on a quadratic pass
    assert seconds[3000] / seconds[300] < 20, seconds


@pytest.mark.parametrize(
    ("name", "needle", "times"),
    [
        ("markup_tables.txt", "| | | | 合计", 500),  # a header line 500 times: the header split was quadratic
        ("decimal_performance_score_q.txt", "万元，", 3000),  # a run-on sentence: C004 quadratic, facts of gigabytes
    ],
)
def test_repeated_lines_stay_linear(name: str, needle: str, times: int, tmp_path: Path) -> None:
    """Found by benchmarks/fuzz.py (mutation repeat_lines): minutes and gigabytes before the fix."""
    lines = (REPRO / name).read_text(encoding="utf-8").split("\n")
    at = next(i for i, ln in enumerate(lines) if needle in ln)
    path = tmp_path / name
    path.write_text("\n".join(lines[:at] + [lines[at]] * times + lines[at:]), encoding="utf-8")
    started = time.monotonic()
    code, out = _cli(["parse", str(path), "-f", "json"])
    assert code in (0, 2), out
    if code == 0:
        assert len(out) < 5_000_000  # each fact keeps its sentence: never a run-on one
    code, out = _cli(["check", str(path), "-f", "json"])
    assert code in (0, 1, 2) and "could not be checked (" not in out
    assert time.monotonic() - started < 60


def test_input_error_is_the_base_of_output_errors() -> None:
    assert issubclass(OutputError, InputError)


# --- found by the small-seed fuzz run (benchmarks/fuzz.py --seeds small) -------------------------


def test_a_long_digit_run_in_a_sentence_stays_linear(tmp_path: Path) -> None:
    """Fuzz seed 157 (long_line + digit_runs): a run of 5,000 digits before 万元 in a narrative sentence
    took N-CLAIM 6 s — a claim template starting with an amount was tried at every digit of the run."""
    lines = SEED_FILES["002"].read_text(encoding="utf-8").split("\n")
    at = next(i for i, ln in enumerate(lines) if ln.startswith("台前县医疗保障局 2023 年收入合计"))
    seconds: dict[int, float] = {}
    for digits in (2_000, 16_000):  # eight times the run: linear well under 8× as long, quadratic ~64×
        path = tmp_path / f"run{digits}.txt"
        line = lines[at].replace("2469.94 万元", "1" * digits + "万元", 1)
        path.write_text("\n".join([*lines[:at], line, *lines[at + 1 :]]), encoding="utf-8")
        before = _digest(path)
        started = time.process_time()
        code, out = _cli(["check", str(path), "-f", "json"])
        seconds[digits] = time.process_time() - started
        assert code in (0, 1), out
        json.loads(out)
        assert _digest(path) == before
    assert seconds[16_000] / seconds[2_000] < 8, seconds


def test_a_disclosure_json_figure_beyond_any_budget(tmp_path: Path) -> None:
    """Fuzz seed 76 (digit_runs on a Disclosure JSON): a 400-digit amount value reached the narrative
    writer of build --from and crashed it (InvalidOperation); it is refused when the JSON is loaded."""
    d = json.loads((REPRO / "ctrlchar_build_from.json").read_text(encoding="utf-8"))
    value = next(v for t in d["tables"] for r in t["rows"] for v in r["values"] if v.get("amount"))
    value["amount"]["value"] = "1" * 400
    path = tmp_path / "huge.json"
    path.write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    before = _digest(path)
    code, out = _cli(["build", "--from", str(path), "-o", str(tmp_path / "out")])
    assert code == 2, out
    sentence = _one_sentence(out)
    assert "values.0.amount.value" in sentence and "beyond any real budget" in sentence, sentence  # the field path as every other field sentence prints it
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    assert _digest(path) == before


def test_build_fuzz_seed_46_costs_what_the_unmutated_file_costs(tmp_path: Path) -> None:
    """Build-fuzz seed 46 (digit_runs on a Disclosure JSON: '1e999999' in the source text field) took ~50 s
    against 8.8 s unmutated — in wall time on a shared, loaded machine. Measured in CPU time the two cost
    the same on this code and on the code of that run; the fuzz harness now limits CPU time. This keeps it so:
    a huge-exponent numeral in a text field is text, never computed with."""
    from tests.test_publish_seed002 import fill_seed002

    from cnbudget.api import build

    base = build(fill_seed002(tmp_path / "seed002.xlsx"), tmp_path / "json", formats=["json"]).files["json"]
    d = json.loads(base.read_text(encoding="utf-8"))
    d["source"] = d["source"] + "1e999999"
    d["meta"]["standard"] = "1e999999"
    mutated = tmp_path / "seed46.json"
    mutated.write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    cpu: dict[str, float] = {}
    for name, path in (("base", base), ("mutated", mutated), ("base again", base)):
        started = time.process_time()
        code, out = _cli(["build", "--from", str(path), "-o", str(tmp_path / name.replace(" ", "-"))])
        cpu[name] = time.process_time() - started
        assert code == 0, out
    assert cpu["mutated"] < 2 * min(cpu["base"], cpu["base again"]) + 1, cpu


def test_a_damaged_pdf_whose_startxref_is_beyond_any_file(tmp_path: Path) -> None:
    """Fuzz seed 100529 (bit_flips + digit_runs on a sample page): PDFium refused the file, and looking for an
    /Encrypt entry at its startxref — a 30-digit number — crashed seek() with ValueError."""
    path = tmp_path / "startxref.pdf"
    path.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\nstartxref\n" + b"9" * 30 + b"\n%%EOF\n")
    before = _digest(path)
    code, out = _cli(["parse", str(path)])
    assert code == 2, out
    assert "is damaged and cannot be read as a PDF" in _one_sentence(out)
    assert _digest(path) == before


@pytest.mark.parametrize(
    ("command", "needle"),
    [("build", "is not an .xlsx workbook cnbudget can read"), ("check", "its zip archive cannot be opened")],
)
def test_a_workbook_whose_zip_needs_an_unknown_version(command: str, needle: str, tmp_path: Path) -> None:
    """Build-fuzz seed 101719 (bit_flips on a workbook): a flipped 'version needed to extract' (14.8) made
    zipfile raise NotImplementedError, which the zip-bomb check and the Office reader did not expect."""
    data = (REPRO / "min_xlsx_sangong_1e300.xlsx").read_bytes()
    at = data.find(b"PK\x01\x02") + 6  # the first central directory entry's version needed to extract
    path = tmp_path / "version.xlsx"
    path.write_bytes(data[:at] + bytes([148, 0]) + data[at + 2 :])
    before = _digest(path)
    code, out = _cli([command, str(path)] + (["-o", str(tmp_path / "out")] if command == "build" else []))
    assert code == 2, out
    assert needle in _one_sentence(out) and "NotImplementedError: " not in out
    assert _digest(path) == before


def test_a_sentence_printed_thousands_of_times_gets_only_its_own_facts(tmp_path: Path) -> None:
    """Fuzz seed 119676 (repeat_lines: one line of seed 002 printed 3,001 times): every copy of the sentence
    carried the facts of all 3,001 copies, so the narrative rules (years, claims) took 11.5 s of CPU — quadratic.
    Each copy now gets its own share, in order; a sentence printed once keeps all its facts."""
    from cnbudget.api import read
    from cnbudget.rules.sentences import sentences

    seed = SEED_FILES["002"]
    lines = seed.read_text(encoding="utf-8").splitlines()
    repeated = next(line for line in lines if "部门预算编制范围的单位共" in line)
    copies = 400
    text = "\n".join(lines[:40] + [repeated] * copies + lines[40:]) + "\n"
    path = tmp_path / "repeated.txt"
    path.write_text(text, encoding="utf-8")
    d = read(str(path))
    found = [s for s in sentences(d) if s.facts and "部门预算编制范围的单位共" in s.text]
    assert len(found) >= copies
    per_copy = {len(s.facts) for s in found}
    assert per_copy == {len(found[0].facts)} and len(found[0].facts) <= 4  # one copy's facts, never 400 copies'
    assert len({s.facts[0].location.line for s in found}) == len(found)  # each copy points at its own line


def test_a_long_run_of_hanzi_without_a_class_mark_is_read_in_linear_time() -> None:
    """Fuzz seed 200286 (repeat_lines: 170 KB of one paragraph): the 类/款/项 chain pattern of the names rules
    tried an unbounded lazy 类 name at every position of a run of Hanzi with no （类）, reading to the run's
    end each time — 24 s of CPU. Names are bounded now; four times the text costs about four times the CPU."""
    from cnbudget.rules.names import mentions

    def cost(n: int) -> float:
        text = "本部门支出主要用于保障机构正常运转和完成年度工作任务" * (n // 25) + "一般公共服务（类）"
        start = time.process_time()
        assert list(mentions(text)) == []
        return time.process_time() - start

    cost(2_000)  # warm the pattern
    small, large = cost(50_000), cost(200_000)
    assert large < 8 * max(small, 0.005), (small, large)  # linear ≈ 4×; the quadratic pattern gave ≈ 16×


def test_a_header_line_repeated_thousands_of_times_is_not_read_as_a_header(tmp_path: Path) -> None:
    """Fuzz seed 304292 (repeat_lines on the Wanli pdfplumber text): a header line printed thousands of times
    was taken as one header whose fragments were joined pairwise — quadratic, over 20 s of CPU. No printed
    header is taller than limits.MAX_HEADER_ROWS: four times the copies cost about four times the CPU."""
    from cnbudget.api import read

    source = SHARED / "samples" / "wild" / "shpt-wanli-2024-dept-budget.pdfplumber.txt"
    lines = source.read_text(encoding="utf-8").splitlines()

    def cost(copies: int) -> float:
        path = tmp_path / f"r{copies}.txt"
        path.write_text("\n".join(lines[:143] + [lines[143]] * copies + lines[144:]) + "\n", encoding="utf-8")
        start = time.process_time()
        read(str(path))
        return time.process_time() - start

    small, large = cost(500), cost(2_000)
    assert large < 8 * max(small, 0.05), (small, large)


def test_a_balanced_totals_sentence_repeated_thousands_of_times_is_checked_in_linear_time(tmp_path: Path) -> None:
    """Fuzz seed 505121 (repeat_lines on seed 002): the sentence '收入总计…支出总计…收入增加…支出增加…' printed
    3,000 times. N-SAME-FACT compared every 收入总计 change with every 支出总计 change and normalised both
    subjects inside the double loop — 43 s of CPU. Subjects are normalised once and the 支出总计 changes
    indexed by section and total: four times the copies cost about four times the CPU, same findings."""
    from cnbudget.api import read
    from cnbudget.rules.consistency import check_balanced_changes

    lines = SEED_FILES["002"].read_text(encoding="utf-8").splitlines()
    at = next(i for i, ln in enumerate(lines) if "收入总计" in ln and "支出总计" in ln and "增加" in ln)

    def cost(copies: int) -> float:
        path = tmp_path / f"r{copies}.txt"
        path.write_text("\n".join(lines[:at] + [lines[at]] * copies + lines[at + 1 :]) + "\n", encoding="utf-8")
        d = read(str(path))
        assert sum(1 for f in d.facts if f.kind == "change" and "收入总计" in f.subject) >= copies
        start = time.process_time()
        list(check_balanced_changes(d))
        return time.process_time() - start

    small, large = cost(300), cost(1_200)
    assert large < 8 * max(small, 0.01), (small, large)  # linear ≈ 4×; the double loop gave ≈ 16×


def test_a_short_tree_row_repeated_thousands_of_times_is_not_a_recursion_error(tmp_path: Path) -> None:
    """Fuzz seeds 622439 and 634203 (repeat_lines on the Wanli pdfplumber text): a 类/款/项 row printed 3,000
    times in a table where one row has a blank cell dropped. The search that places such rows by the table's
    identities recursed once per row (RecursionError), and checked a '款' whose 3,000 '项' all carry one code
    at every step (over 20 s of CPU). The search is a loop, the tree is indexed by code, and a code printed
    twice is no tree to place by: the table is left unread (C007), the file is checked, and four times the
    copies cost about four times the CPU, a few times the document's own."""
    from cnbudget.api import check_file
    from cnbudget.rules.registry import Config

    source = SHARED / "samples" / "wild" / "shpt-wanli-2024-dept-budget.pdfplumber.txt"
    lines = source.read_text(encoding="utf-8").splitlines()
    at = next(i for i, ln in enumerate(lines) if ln.startswith("201 05 07 "))
    row = lines[at]
    assert row.endswith(" 0 0 0")
    short = row.removesuffix(" 0")  # a blank cell dropped: the rows are placed by the identities

    def cost(copies: int) -> float:
        repeated = [short if k % 100 == 0 else row for k in range(copies)]  # some copies short, as char noise made them
        path = tmp_path / f"repeated{copies}.txt"
        path.write_text("\n".join(lines[:at] + repeated + lines[at + 1 :]) + "\n", encoding="utf-8")
        start = time.process_time()
        checked = check_file(str(path), Config())
        assert checked.report is not None, checked.error
        return time.process_time() - start

    original, small, large = cost(1), cost(750), cost(3_000)
    assert large < 8 * max(small, 0.05), (small, large)
    # against the document itself, measured in this run: the search cost ~500× as much, bounded but per copy
    assert large < 25 * max(original, 0.05), (original, large)
