"""The corpus: every document of ../shared ingested into SQLite, the ledger, versions, compare, exports."""

from __future__ import annotations

import csv
import json
import re
import shutil
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from cnbudget.cli import app
from cnbudget.corpus import store as store_module
from cnbudget.corpus.compare import department_series
from cnbudget.corpus.db import open_corpus
from cnbudget.corpus.identity import finding_fingerprint
from cnbudget.corpus.ingest import expand, ingest
from cnbudget.corpus.models import Document, File, FindingRow, ValueRow, Version, VersionFile
from cnbudget.pipeline import read_disclosure
from cnbudget.rules.registry import Config, run
from conftest import PDFS, SEED_FILES, SEEDS, SHARED

MESSAGES_LANG = "zh"  # this module asserts the Chinese default output

WILD = SHARED / "samples" / "wild"
WANLI = "上海市普陀区人民政府万里街道办事处"
runner = CliRunner()


def cli(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """All documents of ../shared (seeds, sample PDFs, wild PDFs) ingested once into a fresh SQLite file."""
    db = tmp_path_factory.mktemp("corpus") / "corpus.db"
    out = cli("ingest", str(SEEDS), str(PDFS), str(WILD), "--db", str(db))
    return db, out


def test_every_shared_document_is_stored(corpus: tuple[Path, str]) -> None:
    db, out = corpus
    files = expand([str(SEEDS), str(PDFS), str(WILD)])
    assert len(files) == 5 + 3 + 11
    summary = re.search(r"新增 (\d+) 份，新版本 (\d+) 份，未变化 0 份，无法读取 0 份", out)
    assert summary is not None, out
    new, versions = int(summary.group(1)), int(summary.group(2))
    # the Wanli 2024 PDF and its pdfplumber text are one disclosure with the same figures in two formats:
    # one version with two files, not a second version (issue 12)
    assert "另有 1 个文件是已入库版本的另一种格式" in out
    assert "另一格式 上海市普陀区人民政府万里街道办事处 2024 预算 部门（第 1 版）的text格式文件" in out
    assert new + versions + 1 == len(files)
    factory = open_corpus(str(db))
    with factory() as s:
        assert s.scalar(select(func.count(Version.id))) == len(files) - 1
        assert s.scalars(select(VersionFile.source)).all() == [str(WILD / "shpt-wanli-2024-dept-budget.pdfplumber.txt")]
        assert s.scalar(select(func.count(Document.id))) == new
        # a second version only where two files are one disclosure published in parts (js-cppcc-2018's
        # narrative and its 公开表 file)
        assert versions == s.scalar(select(func.count(Version.id)).where(Version.number > 1))
        # disclosures whose cover does not name the department (today: the Shanghai district budgets, until
        # their 预算主管部门 line is read) are never taken for versions of each other
        unnamed = s.scalars(select(Document).where(Document.department == "")).all()
        assert all(len(d.versions) == 1 for d in unnamed)
        assert len({d.key for d in unnamed}) == len(unnamed)


def test_stored_findings_and_values_are_those_of_the_document(corpus: tuple[Path, str]) -> None:
    db, _ = corpus
    d = read_disclosure(str(SEED_FILES["002"]))
    findings = run(d, Config())
    factory = open_corpus(str(db))
    with factory() as s:
        doc = s.scalars(select(Document).where(Document.department == "台前县医疗保障局")).one()
        assert (doc.year, doc.kind, doc.scope, doc.region) == (2023, "预算", "部门", "台前县")
        version = doc.versions[-1]
        counts = Counter(f.severity for f in findings)
        assert (version.errors, version.warnings, version.infos) == (counts["error"], counts["warning"], counts["info"])
        stored = Counter(s.scalars(select(FindingRow.fingerprint).where(FindingRow.version_id == version.id)))
        assert stored == Counter(finding_fingerprint(f) for f in findings)
        # one value, exactly as printed and as an exact decimal, with its place
        row = s.scalars(
            select(ValueRow).where(
                ValueRow.version_id == version.id, ValueRow.table_name == "一般公共预算基本支出表",
                ValueRow.row_label == "合计", ValueRow.column == "人员经费",
            )
        ).one()
        assert (row.printed, row.value, row.unit) == ("560.00", "560.00", "万元")
        assert row.line is not None


def test_ledger_json_is_the_documented_shape(corpus: tuple[Path, str]) -> None:
    db, _ = corpus
    data = json.loads(cli("corpus", "--db", str(db), "--format", "json"))
    assert list(data) == ["documents"]
    keys = ["department", "region", "year", "kind", "scope", "versions", "status", "errors", "warnings"]
    assert all(list(e) == keys for e in data["documents"])
    by_name = {(e["department"], e["year"], e["kind"], e["scope"]): e for e in data["documents"]}
    e = by_name[("峯城区医疗保障局", 2020, "决算", "单位")]
    assert (e["versions"], e["status"], e["region"]) == (1, "checked", "峯城区")
    assert (e["errors"], e["warnings"]) == (1, 1)
    only_2021 = json.loads(cli("corpus", "--db", str(db), "--year", "2021", "--kind", "决算", "--format", "json"))["documents"]
    assert [(e["department"], e["kind"]) for e in only_2021] == [("安阳市北关区医疗保障局", "决算")]


def test_ledger_text_and_expected_list(corpus: tuple[Path, str], tmp_path: Path) -> None:
    db, _ = corpus
    expected = tmp_path / "departments.csv"
    expected.write_text("部门,年度\n安阳市医疗保障局,2021\n安阳市卫生健康委员会,2021\n", encoding="utf-8")
    data = json.loads(cli("corpus", "--db", str(db), "--year", "2021", "--expect", str(expected), "--format", "json"))
    status = {e["department"]: e["status"] for e in data["documents"]}
    assert status["安阳市医疗保障局"] == "checked"
    assert status["安阳市卫生健康委员会"] == "missing"  # expected, not received
    text = cli("corpus", "--db", str(db), "--year", "2021", "--expect", str(expected))
    assert "未收到" in text and "已检查" in text and "部门" in text
    rows = list(csv.DictReader(cli("corpus", "--db", str(db), "--format", "csv").splitlines()))
    assert {r["department"] for r in rows} >= {"江苏省高级人民法院", "上海市普陀区财政局"}
    # a document whose department was not read is shown by its file in the text ledger
    text = cli("corpus", "--db", str(db))
    factory = open_corpus(str(db))
    with factory() as s:
        for doc in s.scalars(select(Document).where(Document.department == "")):
            assert f"（部门未识别：{Path(doc.versions[-1].source).name}）" in text


def test_the_cli_ledger_says_reviewed_where_every_error_and_warning_is_decided(tmp_path: Path) -> None:
    """As the web ledger does: a disclosure whose latest version has a review decision on every error and
    warning is 已审核 / reviewed (text, json, csv, xlsx); one decision short, it stays 已检查 / checked."""
    from openpyxl import load_workbook

    from cnbudget.web.reviews import decide

    db = tmp_path / "c.db"
    cli("ingest", str(SEED_FILES["000"]), str(SEED_FILES["001"]), "--db", str(db))
    factory = open_corpus(str(db))
    with factory() as s:
        decided = {}
        for doc in s.scalars(select(Document)):
            version = doc.versions[-1]
            judged = s.scalars(select(FindingRow).where(FindingRow.version_id == version.id, FindingRow.severity.in_(("error", "warning")))).all()
            assert judged and all(f.finding_id for f in judged)
            keep = judged if doc.department == "安阳市医疗保障局" else judged[1:]  # the other one: one left undecided
            for f in keep:
                decide(s, f, doc, version.source, "confirmed" if f.severity == "error" else "dismissed", "已核对原表", "审核员")
            decided[doc.department] = len(keep) == len(judged)
        s.commit()
    assert sorted(decided.values()) == [False, True]
    data = json.loads(cli("corpus", "--db", str(db), "--format", "json"))
    status = {e["department"]: e["status"] for e in data["documents"]}
    assert status == {d: "reviewed" if done else "checked" for d, done in decided.items()}
    text = cli("corpus", "--db", str(db))
    line = next(ln for ln in text.splitlines() if ln.startswith("安阳市医疗保障局"))
    assert "已审核" in line and "已检查" not in line
    assert "已检查" in next(ln for ln in text.splitlines() if ln.startswith("济源"))
    rows = list(csv.DictReader(cli("corpus", "--db", str(db), "--format", "csv").splitlines()))
    assert {r["department"]: r["status"] for r in rows} == status
    cli("corpus", "--db", str(db), "--format", "xlsx", "-o", str(tmp_path / "ledger.xlsx"))
    sheet = list(load_workbook(tmp_path / "ledger.xlsx").active.iter_rows(values_only=True))
    at = sheet[0].index("status")
    assert {r[0]: r[at] for r in sheet[1:]} == status
    english = runner.invoke(app, ["--lang", "en", "corpus", "--db", str(db)])
    assert english.exit_code == 0 and "reviewed" in english.output, english.output


def test_same_files_again_are_unchanged(corpus: tuple[Path, str]) -> None:
    db, _ = corpus
    factory = open_corpus(str(db))
    with factory() as s:
        before = s.scalar(select(func.count(Version.id)))
    out = cli("ingest", str(SEEDS), "--db", str(db))
    assert "新增 0 份，新版本 0 份，未变化 5 份，无法读取 0 份" in out
    with factory() as s:
        assert s.scalar(select(func.count(Version.id))) == before


def test_a_corrected_file_is_a_new_version_with_fixed_new_and_remaining_findings(tmp_path: Path) -> None:
    v1 = tmp_path / "v1.txt"
    shutil.copy(SEED_FILES["002"], v1)
    text = v1.read_text(encoding="utf-8")
    # the corrected copy: the wrong share of 项目支出 (1885.44 / 2469.94 = 76.34%, printed 96.3%) put right,
    # and a new slip: 人员经费 of the 基本支出表's 合计 row printed 561.00 instead of 560.00
    v2_text = text.replace("占 96.3%", "占 76.34%", 1).replace(
        "| 合计 | | | | 584.50 | 560.00 | 24.50 |", "| 合计 | | | | 584.50 | 561.00 | 24.50 |", 1
    )
    assert v2_text.count("76.34%") == 1 and "561.00" in v2_text
    v2 = tmp_path / "v2.txt"
    v2.write_text(v2_text, encoding="utf-8")
    db = tmp_path / "c.db"
    cli("ingest", str(v1), "--db", str(db))
    out = cli("ingest", str(v2), "--db", str(db))
    assert "新版本  台前县医疗保障局 2023 预算 部门（第 2 版）" in out
    # fixed: the share itself, and the shares that summed to 120%
    assert "已改正 2 项" in out
    assert "N-SHARE（第二部分/三、支出预算总体情况说明） 96.3% ≠ 76.34%" in out
    assert "N-SHARE（第二部分/三、支出预算总体情况说明） 120.00% ≠ 100%" in out
    # new: the 合计 row no longer adds up, and the narrative's 560 no longer matches the table
    assert "新出现 3 项" in out
    assert "B6-2（B6 一般公共预算基本支出表 合计 本年一般公共预算基本支出-人员经费） 561.00 ≠ 560.00" in out
    assert "B6-1（B6 一般公共预算基本支出表 合计 本年一般公共预算基本支出-合计） 584.50 ≠ 585.50" in out
    assert "N-TABLE（第二部分/六、一般公共预算基本支出预算情况说明） 560 ≠ 561.00" in out
    assert "仍存在 24 项" in out  # (with N-YEAR: the seed calls its 2023 budget "2022 年部门预算编制范围")
    assert "新增 0 份，新版本 1 份" in out
    factory = open_corpus(str(db))
    with factory() as s:
        doc = s.scalars(select(Document)).one()
        assert [v.number for v in doc.versions] == [1, 2]
    ledger = json.loads(cli("corpus", "--db", str(db), "--format", "json"))["documents"]
    assert [(e["department"], e["versions"]) for e in ledger] == [("台前县医疗保障局", 2)]
    # the first file again: already stored, unchanged; the version count stays 2
    assert "未变化 1 份" in cli("ingest", str(v1), "--db", str(db))
    # the same content twice in one batch (a copy under another name) is read once
    copy = tmp_path / "copy-of-v2.txt"
    shutil.copy(v2, copy)
    assert "新增 0 份，新版本 0 份，未变化 2 份" in cli("ingest", str(v2), str(copy), "--db", str(db))


def test_a_failed_write_leaves_no_half_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    factory = open_corpus(str(tmp_path / "c.db"))
    real_insert = store_module.insert

    def failing_insert(table: object) -> object:
        if table is ValueRow:
            raise KeyboardInterrupt  # Ctrl-C after the document, version and findings were written
        return real_insert(table)  # type: ignore[arg-type]

    monkeypatch.setattr(store_module, "insert", failing_insert)
    with pytest.raises(KeyboardInterrupt):
        ingest([str(SEED_FILES["002"])], factory, Config())
    with factory() as s:
        for model in (Document, File, Version, FindingRow, ValueRow):
            assert s.scalar(select(func.count()).select_from(model)) == 0, model.__name__
    monkeypatch.setattr(store_module, "insert", real_insert)
    assert [o.status for o in ingest([str(SEED_FILES["002"])], factory, Config())] == ["new"]


def test_unreadable_files_are_listed_with_their_reason(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.pdf").write_bytes(b"")
    (tmp_path / "in" / "sub").mkdir()
    (tmp_path / "in" / "sub" / "notes.txt").write_text("今天天气很好。\n", encoding="utf-8")
    shutil.copy(SEED_FILES["000"], tmp_path / "in" / "sub" / "000.txt")
    db = tmp_path / "c.db"
    out = cli("ingest", str(tmp_path / "in"), "--db", str(db))
    assert "无法读取 " in out and "empty.pdf是空文件，没有可读取的内容" in out  # the reason in the same language
    assert "新增 1 份，新版本 0 份，未变化 0 份，无法读取 2 份" in out  # the sub-folder was searched
    text = cli("corpus", "--db", str(db))
    assert "无法读取的文件 2 个" in text


def test_parallel_ingest_stores_the_same(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    out = cli("ingest", str(SEED_FILES["000"]), str(SEED_FILES["003"]), "-j", "2", "--db", str(db))
    assert "新增 2 份" in out
    ledger = json.loads(cli("corpus", "--db", str(db), "--format", "json"))["documents"]
    assert {(e["department"], e["errors"], e["warnings"]) for e in ledger} == {("安阳市医疗保障局", 2, 1), ("峯城区医疗保障局", 1, 1)}


@pytest.fixture(scope="module")
def wanli(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 万里街道 disclosures of 2023 and 2024 (their cover names the department in a line the reader
    does not yet take: the reviewer names it with --department)."""
    db = tmp_path_factory.mktemp("wanli") / "c.db"
    files = [str(WILD / "shpt-wanli-2023-dept-budget.pdf"), str(WILD / "shpt-wanli-2024-dept-budget.pdf")]
    cli("ingest", *files, "--department", WANLI, "--db", str(db))
    return db


def test_compare_series_of_one_department_over_two_years(wanli: Path) -> None:
    data = json.loads(cli("compare", "--department", WANLI, "--db", str(wanli), "--format", "json"))
    assert list(data) == ["department", "series"] and data["department"] == WANLI
    series = {s["metric"]: s for s in data["series"]}
    assert all(s["unit"] == "万元" for s in data["series"])
    assert all(list(p) == ["year", "kind", "scope", "value"] for s in data["series"] for p in s["points"])

    def values(metric: str) -> list[tuple[int, str]]:
        return [(p["year"], p["value"]) for p in series[metric]["points"]]

    # 收支总表 收入总计 164,978,640 元 (2023) and 156,211,123 元 (2024), in 万元 exactly
    assert values("收入总计") == [(2023, "16497.864"), (2024, "15621.1123")]
    assert values("支出总计") == [(2023, "16497.864"), (2024, "15621.1123")]
    assert values("财政拨款") == [(2023, "16497.864"), (2024, "15621.1123")]
    # 一般公共预算基本支出表 合计 row: 人员经费 84,024,865 / 88,537,451 元; 公用经费 15,381,432 / 11,168,569 元
    assert values("人员经费") == [(2023, "8402.4865"), (2024, "8853.7451")]
    assert values("公用经费") == [(2023, "1538.1432"), (2024, "1116.8569")]
    # 三公 table (printed in 万元)
    assert values("三公经费合计") == [(2023, "22.91"), (2024, "47.91")]
    assert values("公务用车购置费") == [(2023, "0"), (2024, "25")]
    assert values("公务接待费") == [(2023, "1.35"), (2024, "1.35")]
    assert values("机关运行经费") == [(2023, "786.09"), (2024, "443.18")]
    assert values("政府采购") == [(2023, "830.00"), (2024, "1662.44")]
    assert values("一般公共预算支出·212 城乡社区支出") == [(2023, "12131.9878"), (2024, "11938.5303")]
    # 支出表 合计 row: 基本支出 99,406,297 / 99,706,020 元; 项目支出 65,572,343 / 56,505,103 元 (2024's total
    # row, printed alone at the top of p.20, is read since the continuation-total fix)
    assert values("基本支出") == [(2023, "9940.6297"), (2024, "9970.602")]
    assert values("项目支出") == [(2023, "6557.2343"), (2024, "5650.5103")]
    assert all(p["kind"] == "预算" and p["scope"] == "部门" for s in data["series"] for p in s["points"])


def test_compare_text_and_csv_show_the_change_on_the_year_before(wanli: Path) -> None:
    rows = list(csv.DictReader(cli("compare", "--department", WANLI, "--db", str(wanli), "--format", "csv").splitlines()))
    row = next(r for r in rows if r["metric"] == "三公经费合计" and r["year"] == "2024")
    assert (row["value"], row["change"], row["change_pct"]) == ("47.91", "25.00", "109.12")
    first = next(r for r in rows if r["metric"] == "三公经费合计" and r["year"] == "2023")
    assert first["change"] == ""  # no prior year in the corpus
    text = cli("compare", "--department", WANLI, "--db", str(wanli))
    assert "各年度指标（单位：万元）" in text and "比上年增减" in text
    assert "没有部门" in cli("compare", "--department", "不存在的部门", "--db", str(wanli))
    factory = open_corpus(str(wanli))
    with factory() as s:
        assert department_series(s, "不存在的部门") == []


def test_export_csv_has_every_value_with_its_place(corpus: tuple[Path, str], tmp_path: Path) -> None:
    db, _ = corpus
    cli("export-corpus", "--db", str(db), "--format", "csv", "-o", str(tmp_path))
    with (tmp_path / "values.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    factory = open_corpus(str(db))
    with factory() as s:  # every value of the latest version of each disclosure (the wanli 2024 PDF and its
        # plain-text conversion are one disclosure: the text, ingested after the PDF, is its version 2)
        latest = select(Version.document_id, func.max(Version.number).label("n")).group_by(Version.document_id).subquery()
        current = select(Version.id).join(latest, (latest.c.document_id == Version.document_id) & (latest.c.n == Version.number))
        assert len(rows) == s.scalar(select(func.count(ValueRow.id)).where(ValueRow.version_id.in_(current)))
    row = next(
        r for r in rows
        if r["department"] == "台前县医疗保障局" and r["table"] == "一般公共预算基本支出表" and r["row_label"] == "合计" and r["column"] == "人员经费"
    )
    assert (row["year"], row["kind"], row["scope"], row["printed"], row["value"], row["unit"]) == ("2023", "预算", "部门", "560.00", "560.00", "万元")
    assert row["source"].endswith("002_61d3ea1876e8ffd1.txt") and row["line"]
    pdf_row = next(r for r in rows if r["department"] == "上海市普陀区财政局" and r["table"] == "收支总表")
    assert pdf_row["page"]
    assert all(r["value"] == "" or Decimal(r["value"]) == Decimal(r["value"]) for r in rows)


def test_export_datapackage_validates_with_frictionless(corpus: tuple[Path, str], tmp_path: Path) -> None:
    frictionless = pytest.importorskip("frictionless", reason="frictionless is in the dev extra")
    db, _ = corpus
    cli("export-corpus", "--db", str(db), "--format", "datapackage", "-o", str(tmp_path))
    package = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    fields = {f["name"]: f["type"] for f in package["resources"][0]["schema"]["fields"]}
    assert fields["value"] == "number" and fields["year"] == "integer" and fields["page"] == "integer"
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "message"])[:5]


def test_default_database_is_cnbudget_db_here_or_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CNBUDGET_DB", raising=False)
    cli("ingest", str(SEED_FILES["000"]))
    assert (tmp_path / "cnbudget.db").is_file()
    monkeypatch.setenv("CNBUDGET_DB", str(tmp_path / "other.db"))
    assert "新增 1 份" in cli("ingest", str(SEED_FILES["000"]))  # a different database: new there
    assert (tmp_path / "other.db").is_file()
    assert json.loads(cli("corpus", "--format", "json"))["documents"][0]["department"] == "安阳市医疗保障局"


def test_ray_engine_ingests_on_a_local_ray_instance(tmp_path: Path) -> None:
    """--engine ray: each file a Ray task on a local instance, results written by the driver."""
    ray_db, local_db = tmp_path / "ray.db", tmp_path / "local.db"
    files = [str(SEED_FILES["000"]), str(SEED_FILES["003"]), str(tmp_path / "empty.txt")]
    (tmp_path / "empty.txt").write_bytes(b"")
    out = cli("ingest", *files, "--engine", "ray", "-j", "1", "--db", str(ray_db))
    assert "新增 2 份，新版本 0 份，未变化 0 份，无法读取 1 份" in out
    cli("ingest", *files, "--db", str(local_db))
    ledger = [json.loads(cli("corpus", "--db", str(db), "--format", "json")) for db in (ray_db, local_db)]
    assert ledger[0] == ledger[1]
    assert "未变化 2 份" in cli("ingest", *files, "--engine", "ray", "-j", "1", "--db", str(ray_db))


def test_the_migrations_build_exactly_the_models(tmp_path: Path) -> None:
    """Alembic's head and the SQLAlchemy models agree: a model change without its migration fails here."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from cnbudget.corpus.models import Base

    factory = open_corpus(str(tmp_path / "c.db"))
    with factory() as s:
        diff = compare_metadata(MigrationContext.configure(s.connection()), Base.metadata)
    assert diff == []


def test_a_database_error_on_one_file_is_reported_and_the_batch_goes_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sqlalchemy.exc import DataError

    factory = open_corpus(str(tmp_path / "c.db"))
    real_insert = store_module.insert
    calls = {"values": 0}

    def insert_failing_once(table: object) -> object:
        if table is ValueRow:
            calls["values"] += 1
            if calls["values"] == 1:
                raise DataError("INSERT", {}, Exception("value too long"))
        return real_insert(table)  # type: ignore[arg-type]

    monkeypatch.setattr(store_module, "insert", insert_failing_once)
    outcomes = ingest([str(SEED_FILES["000"]), str(SEED_FILES["003"])], factory, Config())
    assert [o.status for o in outcomes] == ["unreadable", "new"]
    # the module runs in Chinese: the sentence is the catalog's, the reason chosen by the error's class
    assert outcomes[0].error == "000_03b4c01fd59416ce.txt无法存入数据库（有一个数值不符合数据库的要求（过长或类型不对））。"
    with factory() as s:
        assert s.scalars(select(Document.department)).all() == ["峯城区医疗保障局"]


def test_year_over_year_checks_run_against_the_stored_prior_year(tmp_path: Path) -> None:
    """Seed 003 (2020 决算) is in the corpus; the same document dated 2021 comes in: its 年初结转和结余
    (53.23, the 2020 figure) is not 2020's 年末结转和结余 (15.35), in F1 and in F4 — Y-1 fires twice."""
    current = tmp_path / "2021.txt"
    current.write_text(SEED_FILES["003"].read_text(encoding="utf-8").replace("2020", "2021"), encoding="utf-8")
    db = tmp_path / "c.db"
    cli("ingest", str(SEED_FILES["003"]), str(current), "--db", str(db))
    factory = open_corpus(str(db))
    with factory() as s:
        doc = s.scalars(select(Document).where(Document.year == 2021)).one()
        version = doc.versions[-1]
        y1 = s.execute(
            select(FindingRow.table, FindingRow.row, FindingRow.expected, FindingRow.actual)
            .where(FindingRow.version_id == version.id, FindingRow.rule == "Y-1")
            .order_by(FindingRow.table)
        ).all()
        assert [tuple(r) for r in y1] == [
            ("F1 收支总表", "年初结转和结余", "15.35", "53.23"),
            ("F4 财政拨款收支总表", "年初财政拨款结转和结余", "15.35", "53.23"),
        ]
        prior = s.scalars(select(Document).where(Document.year == 2020)).one().versions[-1]
        assert s.scalar(select(func.count()).where(FindingRow.version_id == prior.id, FindingRow.rule.like("Y-%"))) == 0


def test_year_over_year_checks_stay_silent_on_a_consistent_pair(wanli: Path) -> None:
    factory = open_corpus(str(wanli))
    with factory() as s:
        assert s.scalar(select(func.count()).where(FindingRow.rule.like("Y-%"))) == 0


def test_a_tables_file_after_its_narrative_file_is_not_taken_for_a_correction(tmp_path: Path) -> None:
    """js-cppcc-2018: the narrative and the 公开表 were published as two files. Once both are read as
    江苏省政协办公厅 2018 预算 部门, the second must not be reported as a version that 'fixed' the first's findings."""
    from cnbudget.corpus.identity import file_sha256
    from cnbudget.corpus.reading import read_and_check
    from cnbudget.corpus.store import store

    factory = open_corpus(str(tmp_path / "c.db"))
    narrative, tables = WILD / "js-cppcc-2018-dept-budget.pdf", WILD / "js-cppcc-2018-dept-budget-tables.pdf"
    first = read_and_check(str(narrative), file_sha256(str(narrative)), narrative.stat().st_size, Config())
    second = read_and_check(str(tables), file_sha256(str(tables)), tables.stat().st_size, Config())
    assert first.findings and (first.meta.department, first.meta.scope) == ("江苏省政协办公厅", "部门")
    second.meta = second.meta.model_copy(update={"department": "江苏省政协办公厅", "scope": "部门"})  # as a reader that names it will
    with factory() as s:
        assert store(s, first).status == "new"
    with factory() as s:
        outcome = store(s, second)
    assert (outcome.status, outcome.version, outcome.part) == ("version", 2, True)
    assert outcome.fixed == [] and outcome.new == []


def test_a_database_that_cannot_be_opened_is_one_sentence_and_exit_2(tmp_path: Path) -> None:
    for db in (str(tmp_path / "no" / "such" / "dir" / "c.db"), "postgresql://nobody@127.0.0.1:1/corpus"):
        result = runner.invoke(app, ["corpus", "--db", db])
        assert result.exit_code == 2
        assert "无法打开语料库数据库" in result.output and "Traceback" not in result.output


def test_peers_side_by_side_with_shares_ranks_and_growth(corpus: tuple[Path, str], wanli: Path) -> None:
    db, _ = corpus
    data = json.loads(cli("compare", "--peers", "--year", "2021", "--kind", "预算", "--db", str(db), "--format", "json"))
    by_name = {p["department"]: p for p in data["peers"]}
    assert set(by_name) == {"安阳市医疗保障局", "济源产城融合示范区医疗保障局"}
    anyang = by_name["安阳市医疗保障局"]
    # seed 000, in 元: 支出总计 6,236,581.78 → 623.658178 万元. Its 三公 table's 合计 (271,000.00) adds 会议费,
    # 培训费 and 差旅费; the 三公 are its 小计, 40,000.00 → 4 万元; / 基本支出 5,036,581.78 元 = 0.79%
    assert anyang["figures"]["支出总计"] == "623.658178"
    assert anyang["figures"]["三公经费合计"] == "4"
    assert anyang["shares"]["三公/基本支出"] == "0.79"
    jiyuan = by_name["济源产城融合示范区医疗保障局"]
    assert jiyuan["figures"]["三公经费合计"] == "2.5"  # seed 001 prints the 三公 as a 共计 row of 预算数
    assert (anyang["ranks"]["三公/基本支出"], jiyuan["ranks"]["三公/基本支出"]) == (1, 2)
    assert (anyang["errors"], anyang["warnings"]) == (2, 1)
    assert "支出总计" not in by_name["济源产城融合示范区医疗保障局"]["figures"]  # it prints no 收支总表: absent, not zero
    # growth needs the same department's year before: Wanli 2024 against 2023 (15621.1123 / 16497.864 − 1)
    wanli_2024 = json.loads(cli("compare", "--peers", "--year", "2024", "--db", str(wanli), "--format", "json"))["peers"]
    assert [(p["year"], p["growth"]) for p in wanli_2024] == [(2024, "-5.31")]
    assert "三公/基本支出 排名" in cli("compare", "--peers", "--db", str(db))
    result = runner.invoke(app, ["compare", "--db", str(db)])
    assert result.exit_code == 2 and "--peers" in result.output


def test_ledger_and_compare_as_xlsx_hold_the_same_as_json(corpus: tuple[Path, str], wanli: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    db, _ = corpus
    assert runner.invoke(app, ["corpus", "--db", str(db), "--format", "xlsx"]).exit_code == 2  # a file: -o required
    cli("corpus", "--db", str(db), "--format", "xlsx", "-o", str(tmp_path / "ledger.xlsx"))
    ws = load_workbook(tmp_path / "ledger.xlsx").active
    assert ws is not None
    sheet = [[c.value for c in row] for row in ws.iter_rows()]
    documents = json.loads(cli("corpus", "--db", str(db), "--format", "json"))["documents"]
    assert sheet[0] == list(documents[0])
    assert [[v if v is not None else "" for v in r] for r in sheet[1:]] == [
        [("" if v is None else v) for v in d.values()] for d in documents
    ]
    cli("compare", "--department", WANLI, "--db", str(wanli), "--format", "xlsx", "-o", str(tmp_path / "compare.xlsx"))
    ws = load_workbook(tmp_path / "compare.xlsx").active
    assert ws is not None
    cells = {(r[0].value, r[2].value): r[5].value for r in ws.iter_rows(min_row=2)}
    assert Decimal(str(cells[("收入总计", 2024)])) == Decimal("15621.1123")
    assert Decimal(str(cells[("三公经费合计", 2023)])) == Decimal("22.91")


def test_the_same_new_content_twice_in_one_batch_is_one_document(tmp_path: Path) -> None:
    copy = tmp_path / "copy.txt"
    shutil.copy(SEED_FILES["001"], copy)
    out = cli("ingest", str(SEED_FILES["001"]), str(copy), "--db", str(tmp_path / "c.db"))
    assert "新增 1 份，新版本 0 份，未变化 1 份，无法读取 0 份" in out


def test_export_xlsx_has_the_same_values_as_the_csv(corpus: tuple[Path, str], tmp_path: Path) -> None:
    from openpyxl import load_workbook

    db, _ = corpus
    cli("export-corpus", "--db", str(db), "--format", "csv", "-o", str(tmp_path))
    cli("export-corpus", "--db", str(db), "--format", "xlsx", "-o", str(tmp_path))
    with (tmp_path / "values.csv").open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    ws = load_workbook(tmp_path / "values.xlsx", read_only=True)["values"]
    sheet = [["" if c is None else c for c in r] for r in ws.iter_rows(values_only=True)]
    assert len(sheet) == len(rows) and sheet[0] == rows[0]
    value_at = rows[0].index("value")
    for csv_row, xlsx_row in zip(rows[1:], sheet[1:], strict=True):
        assert (Decimal(csv_row[value_at]) == Decimal(str(xlsx_row[value_at]))) if csv_row[value_at] else xlsx_row[value_at] == ""
        assert [str(c) for i, c in enumerate(xlsx_row) if i != value_at] == [c for i, c in enumerate(csv_row) if i != value_at]


def test_export_parquet_has_the_same_rows_as_the_csv_with_exact_decimals(corpus: tuple[Path, str], tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    db, _ = corpus
    cli("export-corpus", "--db", str(db), "--format", "csv", "-o", str(tmp_path))
    cli("export-corpus", "--db", str(db), "--format", "parquet", "-o", str(tmp_path))
    with (tmp_path / "values.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    table = pq.read_table(tmp_path / "values.parquet")
    assert table.column_names == list(rows[0])
    value_type = table.schema.field("value").type
    assert pa.types.is_decimal(value_type) and value_type.scale >= 2  # never a float: the data prints fen
    assert pa.types.is_int64(table.schema.field("year").type) and pa.types.is_int64(table.schema.field("page").type)
    parquet_rows = table.to_pylist()
    assert len(parquet_rows) == len(rows) > 1000
    for c, p in zip(rows, parquet_rows, strict=True):
        assert (p["value"] == Decimal(c["value"])) if c["value"] else p["value"] is None
        assert {k: "" if v is None else str(v) for k, v in p.items() if k != "value"} == {k: v for k, v in c.items() if k != "value"}
    row = next(
        r for r in parquet_rows
        if r["department"] == "台前县医疗保障局" and r["table"] == "一般公共预算基本支出表" and r["row_label"] == "合计" and r["column"] == "人员经费"
    )
    assert (row["year"], row["printed"], row["value"], row["unit"]) == (2023, "560.00", Decimal("560.00"), "万元")


def test_execution_rate_of_a_final_account_against_the_budget_of_the_same_year(tmp_path: Path) -> None:
    """No department in ../shared has both its 预算 and 决算 of one year, so seed 003 (2020 决算) is paired with
    itself relabeled 预算: where both print a figure the rate is 100.00%; a zero budget or a missing one gives none."""
    budget = tmp_path / "budget.txt"
    budget.write_text(SEED_FILES["003"].read_text(encoding="utf-8").replace("决算", "预算"), encoding="utf-8")
    db = tmp_path / "c.db"
    cli("ingest", str(SEED_FILES["003"]), str(budget), "--db", str(db))
    rows = list(csv.DictReader(cli("compare", "--department", "峯城区医疗保障局", "--db", str(db), "--format", "csv").splitlines()))
    rate = {(r["metric"], r["kind"]): r["execution_rate"] for r in rows}
    assert rate[("机关运行经费", "决算")] == "100.00"
    assert rate[("机关运行经费", "预算")] == ""  # the rate is shown on the 决算
    assert rate[("政府采购", "决算")] == ""  # budget 0: no rate rather than a division by zero
    assert rate[("三公经费合计", "决算")] == ""  # no 预算 figure read


def test_compare_chart_is_an_svg_with_one_panel_per_metric(wanli: Path, tmp_path: Path) -> None:
    import xml.dom.minidom

    from cnbudget.corpus.chart import chart_svg

    svg = tmp_path / "wanli.svg"
    data = json.loads(cli("compare", "--department", WANLI, "--db", str(wanli), "--format", "json", "--chart", str(svg)))
    doc = xml.dom.minidom.parse(str(svg))
    panels = doc.getElementsByTagName("g")
    assert len(panels) == len(data["series"])
    texts = [t.firstChild.data for t in doc.getElementsByTagName("text") if t.firstChild is not None]
    assert WANLI in texts and "收入总计（万元）" in texts and "16497.864" in texts and "15621.1123" in texts
    bars = sum(len(s["points"]) for s in data["series"])
    assert len(doc.getElementsByTagName("rect")) == bars + 1  # + the background
    # document text is data: a name with markup characters stays text
    xml.dom.minidom.parseString(chart_svg("<b>部门 & 单位</b>", []))
    result = runner.invoke(app, ["compare", "--department", WANLI, "--db", str(wanli), "--chart", str(tmp_path / "x.png")])
    assert result.exit_code == 2 and ".svg" in result.output
