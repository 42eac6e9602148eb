"""The corpus commands — ingest, corpus, compare, export-corpus (registered in commands/__init__.py).

Exit codes: 0 done; 2 when the database cannot be opened or an input list cannot be read (one sentence
on stderr). An unreadable disclosure does not stop ``ingest``: it is listed in the summary with its reason.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sys
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cnbudget.i18n import Message, t
from cnbudget.reasons import database_reason, file_reason

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

DbOption = Annotated[str | None, typer.Option("--db", help=Message("cli.corpus_options.db"))]


class LedgerFormat(StrEnum):
    text = "text"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


OutputOption = Annotated[Path | None, typer.Option("--output", "-o", help=Message("cli.corpus_options.output"))]
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


class Engine(StrEnum):
    local = "local"
    ray = "ray"


class ExportCorpusFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"
    parquet = "parquet"
    datapackage = "datapackage"


def _fail(message: str) -> typer.Exit:
    sys.stderr.write(message + "\n")
    return typer.Exit(2)


def _open(db: str | None) -> sessionmaker[Session]:
    from sqlalchemy.exc import SQLAlchemyError

    from cnbudget.corpus.db import open_corpus, resolve_url

    try:
        return open_corpus(db)
    except (SQLAlchemyError, OSError, ImportError) as exc:
        raise _fail(t("corpus.error.db", url=resolve_url(db), reason=database_reason(exc))) from None


def _table(headers: list[str], rows: list[list[str]]) -> str:
    """Plain aligned columns (document text is data: no markup)."""
    from rich.cells import cell_len

    widths = [max([cell_len(h)] + [cell_len(r[i]) for r in rows]) for i, h in enumerate(headers)]

    def line(cells: list[str]) -> str:
        return "  ".join(c + " " * (w - cell_len(c)) for c, w in zip(cells, widths, strict=True)).rstrip()

    return "\n".join([line(headers)] + [line(r) for r in rows]) + "\n"


def _csv(headers: list[str], rows: list[list[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(headers)
    writer.writerows(["" if v is None else v for v in r] for r in rows)
    return out.getvalue()


def _emit(format: LedgerFormat, output: Path | None, headers: list[str], rows: list[list[str]], text: str, sheet: str) -> None:
    """CSV / xlsx / text of one table, to the terminal or to ``output``."""
    if format is LedgerFormat.xlsx:
        if output is None:
            raise _fail(t("corpus.error.xlsx"))
        _write_xlsx(output, headers, rows, sheet)
        return
    body = _csv(headers, [list[object](r) for r in rows]) if format is LedgerFormat.csv else text
    if output is None:
        sys.stdout.write(body)
    else:
        output.write_text(body, encoding="utf-8")


def _write_xlsx(path: Path, headers: list[str], rows: list[list[str]], sheet: str) -> None:
    """One sheet; decimal text becomes an exact number cell (openpyxl writes a Decimal as its digits)."""
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet
    ws.append(headers)
    for row in rows:
        ws.append([Decimal(c) if _NUMBER.match(c) else c for c in row])
    ws.freeze_panes = "A2"
    partial = path.with_name(f".{path.name}.partial")
    book.save(partial)
    os.replace(partial, path)  # a reader never sees half a workbook


def ingest_command(
    paths: Annotated[list[str], typer.Argument(help=Message("cli.corpus_options.paths"))],
    db: DbOption = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help=Message("cli.corpus_options.jobs"))] = 1,
    ocr: Annotated[bool, typer.Option("--ocr/--no-ocr", help=Message("cli.corpus_options.ocr"))] = True,
    department: Annotated[
        str | None, typer.Option("--department", help=Message("cli.corpus_options.department"))
    ] = None,
    config: Annotated[Path | None, typer.Option("--config", help=Message("cli.corpus_options.config"))] = None,
    engine: Annotated[
        Engine, typer.Option("--engine", help=Message("cli.corpus_options.engine"))
    ] = Engine.local,
    address: Annotated[
        str | None, typer.Option("--address", help=Message("cli.corpus_options.address"))
    ] = None,
) -> None:
    """Read, check and store every file; print what is new, a new version (findings fixed / new / remaining), unchanged or unreadable."""
    from cnbudget.corpus.ingest import ingest
    from cnbudget.corpus.store import Outcome
    from cnbudget.rules.registry import ConfigError, load_config

    try:
        rules_config = load_config(config)
    except ConfigError as exc:
        raise _fail(str(exc)) from None
    factory = _open(db)
    counts = {"new": 0, "version": 0, "format": 0, "unchanged": 0, "unreadable": 0}

    def show(o: Outcome) -> None:
        counts[o.status] += 1
        if o.status == "unreadable":
            sys.stdout.write(t("corpus.summary.unreadable", path=o.path, reason=o.error) + "\n")
        elif o.status == "unchanged":
            sys.stdout.write(t("corpus.summary.unchanged", path=o.path) + "\n")
        elif o.status == "format":
            sys.stdout.write(t("corpus.summary.format", document=o.document, version=o.version, format=o.format, path=o.path) + "\n")
            if o.figures[0] > o.figures[1]:  # the fuller reading: the version is read from this file now
                sys.stdout.write(t("corpus.summary.format_fuller", figures=o.figures[0], stored=o.figures[1]) + "\n")
            else:
                sys.stdout.write(t("corpus.summary.format_note") + "\n")
        else:
            sys.stdout.write(t(f"corpus.summary.{o.status}", document=o.document, version=o.version, path=o.path) + "\n")
        if o.part:
            sys.stdout.write(t("corpus.summary.part") + "\n")
        if o.status == "version":
            for key, found in (("fixed", o.fixed), ("added", o.new)):
                if found:  # one per line: what a reviewer checks off
                    sys.stdout.write(t(f"corpus.summary.{key}", n=len(found), rules="") + "\n")
                    sys.stdout.writelines(f"          {f}\n" for f in found)
            if o.remaining:  # the rest, by rule: these were reported before
                rules = sorted({f.split("（", 1)[0] for f in o.remaining})
                sys.stdout.write(t("corpus.summary.remaining", n=len(o.remaining), rules=", ".join(rules)) + "\n")
        for r in o.rechecked:  # the next year's disclosure came first: its year-over-year checks run again
            sys.stdout.write(t("corpus.summary.rechecked", document=r.document, version=r.version, n=r.findings) + "\n")
            for key, found in (("fixed", r.fixed), ("added", r.new)):
                if found:
                    sys.stdout.write(t(f"corpus.summary.{key}", n=len(found), rules="") + "\n")
                    sys.stdout.writelines(f"          {f}\n" for f in found)
        sys.stdout.flush()

    if engine is Engine.ray:
        try:
            import ray  # noqa: F401
        except ImportError:
            raise _fail(t("corpus.error.ray")) from None
    ingest(
        paths, factory, rules_config,
        jobs=jobs, ocr=ocr, department=department, on_outcome=show, engine=engine.value, address=address, keep=False,
    )
    summary = t(
        "corpus.summary.title",
        new=counts["new"],
        versions=counts["version"],
        unchanged=counts["unchanged"],
        unreadable=counts["unreadable"],
    )
    sys.stdout.write(summary + "\n")
    if counts["format"]:
        sys.stdout.write(t("corpus.summary.formats_title", n=counts["format"]) + "\n")


LEDGER_FIELDS = ["department", "region", "year", "kind", "scope", "versions", "status", "errors", "warnings"]


def corpus_command(
    db: DbOption = None,
    year: Annotated[int | None, typer.Option("--year", help=Message("cli.corpus_options.year"))] = None,
    kind: Annotated[str | None, typer.Option("--kind", help=Message("cli.corpus_options.kind"))] = None,
    expect: Annotated[
        Path | None, typer.Option("--expect", help=Message("cli.corpus_options.expect"))
    ] = None,
    format: Annotated[LedgerFormat, typer.Option("--format", "-f", help=Message("cli.corpus_options.format"))] = LedgerFormat.text,
    output: OutputOption = None,
) -> None:
    """The ledger: every disclosure received, its versions, status and findings; with --expect, the ones still missing."""
    from cnbudget.corpus.ledger import ledger, read_expected, unreadable, with_expected, with_reviewed

    factory = _open(db)
    with factory() as session:
        entries = with_reviewed(session, ledger(session, year, kind))  # 'reviewed' as the web ledger says it
        bad = unreadable(session)
    if expect is not None:
        try:
            entries = with_expected(entries, [e for e in read_expected(expect, year, kind) if year is None or e[1] == year])
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            raise _fail(t("corpus.error.expect", path=str(expect), reason=file_reason(exc))) from None
    if format is LedgerFormat.json:
        _emit_text(output, json.dumps({"documents": [e.as_dict() for e in entries]}, ensure_ascii=False, indent=1) + "\n")
        return
    if format in (LedgerFormat.csv, LedgerFormat.xlsx):
        table = [["" if getattr(e, f) is None else str(getattr(e, f)) for f in LEDGER_FIELDS] for e in entries]
        _emit(format, output, LEDGER_FIELDS, table, "", "corpus")
        return
    lines: list[str] = []
    if not entries:
        lines.append(t("corpus.ledger.empty") + "\n")
    else:
        lines.append(t("corpus.ledger.title", n=len(entries)) + "\n")
        rows = [
            [
                e.department or t("corpus.ledger.unnamed", source=Path(e.source).name), e.region, str(e.year or ""), e.kind, e.scope,
                str(e.versions), t(f"corpus.status.{e.status}"), str(e.errors), str(e.warnings),
            ]
            for e in entries
        ]
        lines.append(_table([t(f"corpus.ledger.{f}") for f in LEDGER_FIELDS], rows))
    if bad:
        lines.append(t("corpus.ledger.unreadable", n=len(bad)) + "\n")
        lines.extend(t("corpus.ledger.unreadable_line", path=path, reason=reason) + "\n" for path, reason in bad)
    _emit_text(output, "".join(lines))


def _emit_text(output: Path | None, text: str) -> None:
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")


COMPARE_FIELDS = ["metric", "unit", "year", "kind", "scope", "value", "change", "change_pct", "execution_rate"]


def compare_command(
    department: Annotated[str | None, typer.Option("--department", help=Message("cli.corpus_options.compare_department"))] = None,
    peers: Annotated[bool, typer.Option("--peers", help=Message("cli.corpus_options.peers"))] = False,
    region: Annotated[str | None, typer.Option("--region", help=Message("cli.corpus_options.region"))] = None,
    year: Annotated[int | None, typer.Option("--year", help=Message("cli.corpus_options.peers_year"))] = None,
    kind: Annotated[str | None, typer.Option("--kind", help=Message("cli.corpus_options.peers_kind"))] = None,
    db: DbOption = None,
    format: Annotated[LedgerFormat, typer.Option("--format", "-f", help=Message("cli.corpus_options.format"))] = LedgerFormat.text,
    output: OutputOption = None,
    chart: Annotated[Path | None, typer.Option("--chart", help=Message("cli.corpus_options.chart"))] = None,
) -> None:
    """One department over the years (--department): totals, 基本/项目支出, 人员/公用经费, 三公, 机关运行经费, 政府采购,
    each 类, with the change on the year before; or departments side by side (--peers)."""
    from cnbudget.corpus.compare import as_json, change, department_series, execution_rate

    if peers:
        _peers(db, region, year, kind, format, output)
        return
    if not department:
        raise _fail(t("corpus.error.compare"))

    factory = _open(db)
    with factory() as session:
        series = department_series(session, department)
    if chart is not None:
        from cnbudget.corpus.chart import write_chart

        if chart.suffix.lower() != ".svg":
            raise _fail(t("corpus.error.chart", path=str(chart)))
        write_chart(chart, department, series)
    if format is LedgerFormat.json:
        _emit_text(output, json.dumps(as_json(department, series), ensure_ascii=False, indent=1) + "\n")
        return
    rows: list[list[str]] = []
    for s in series:
        for i, p in enumerate(s.points):
            delta = change(s.points, i)
            rate = execution_rate(s.points, i)
            rows.append(
                [
                    s.metric, s.unit, str(p.year or ""), p.kind, p.scope, format_decimal(p.value),
                    format_decimal(delta[0]) if delta else "", format_decimal(delta[1]) if delta and delta[1] is not None else "",
                    "" if rate is None else format_decimal(rate),
                ]
            )
    if format in (LedgerFormat.csv, LedgerFormat.xlsx):
        _emit(format, output, COMPARE_FIELDS, rows, "", "compare")
        return
    if not series:
        _emit_text(output, t("corpus.compare.none", department=department) + "\n")
        return
    headers = [t(f"corpus.compare.{f}") for f in COMPARE_FIELDS]
    title = t("corpus.compare.title", department=department, unit=series[0].unit) + "\n"
    _emit_text(output, title + _table([h for i, h in enumerate(headers) if i != 1], [[c for i, c in enumerate(r) if i != 1] for r in rows]))


def _peers(db: str | None, region: str | None, year: int | None, kind: str | None, format: LedgerFormat, output: Path | None) -> None:
    from cnbudget.corpus.peers import peers
    from cnbudget.corpus.spec import metrics_spec

    factory = _open(db)
    with factory() as session:
        found = peers(session, region, year, kind)
    if format is LedgerFormat.json:
        _emit_text(output, json.dumps({"peers": [p.as_dict() for p in found]}, ensure_ascii=False, indent=1) + "\n")
        return
    spec = metrics_spec()["peers"]
    figures, shares = list(spec["figures"]), [s["share"] for s in spec["shares"]]
    headers = [t(f"corpus.ledger.{f}") for f in ("department", "year", "kind", "scope")] + figures
    headers += [f"{s}（%）" for s in shares] + [t("corpus.peers.rank", share=s) for s in shares]
    headers += [t("corpus.peers.growth"), t("corpus.ledger.errors"), t("corpus.ledger.warnings")]
    rows = [
        [p.department, str(p.year or ""), p.kind, p.scope]
        + [format_decimal(p.figures[f]) if f in p.figures else "" for f in figures]
        + [format_decimal(p.shares[s]) if s in p.shares else "" for s in shares]
        + [str(p.ranks.get(s, "")) for s in shares]
        + ["" if p.growth is None else format_decimal(p.growth), str(p.errors), str(p.warnings)]
        for p in found
    ]
    if format in (LedgerFormat.csv, LedgerFormat.xlsx):
        _emit(format, output, headers, rows, "", "peers")
        return
    _emit_text(output, t("corpus.peers.title", n=len(found), unit=str(metrics_spec()["unit"])) + "\n" + _table(headers, rows))


def format_decimal(value: object) -> str:
    return format(value, "f")


def export_corpus_command(
    output: Annotated[Path, typer.Option("--output", "-o", help=Message("cli.corpus_options.export_output"))],
    db: DbOption = None,
    format: Annotated[
        ExportCorpusFormat, typer.Option("--format", "-f", help=Message("cli.corpus_options.export_format"))
    ] = ExportCorpusFormat.csv,
) -> None:
    """Every stored value with its department, year, kind, table, row code, column and source place."""
    from cnbudget.corpus.export import FILE_NAME, PARQUET_NAME, XLSX_NAME, write_csv, write_datapackage, write_parquet, write_xlsx

    factory = _open(db)
    output.mkdir(parents=True, exist_ok=True)
    with factory() as session:
        if format is ExportCorpusFormat.datapackage:
            n = write_datapackage(session, output)
        elif format is ExportCorpusFormat.xlsx:
            n = write_xlsx(session, output / XLSX_NAME)
        elif format is ExportCorpusFormat.parquet:
            n = write_parquet(session, output / PARQUET_NAME)
        else:
            n = write_csv(session, output / FILE_NAME)
    sys.stderr.write(t("corpus.export.done", n=n, path=str(output)) + "\n")
