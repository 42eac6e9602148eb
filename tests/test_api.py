"""The public API: read, check and build as plain functions, the same results as the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cnbudget import api
from cnbudget.errors import InputError
from cnbudget.model import Disclosure
from cnbudget.rules.registry import Config, load_config, run
from conftest import SEED_FILES


def test_read_gives_the_disclosure() -> None:
    d = api.read(SEED_FILES["002"])
    assert isinstance(d, Disclosure)
    assert d.tables and d.meta.year


def test_check_takes_paths_or_disclosures_and_agrees_with_the_registry() -> None:
    d = api.read(SEED_FILES["002"])
    expected = [(f.rule, f.severity, f.message) for f in run(d)]
    [by_path] = api.check(SEED_FILES["002"])
    [by_model] = api.check([d])
    assert [(f.rule, f.severity, f.message) for f in by_path.findings] == expected
    assert [(f.rule, f.severity, f.message) for f in by_model.findings] == expected
    assert any(f.severity == "error" for f in by_path.findings)  # seed 002 carries its author's real mistakes
    assert by_path.source == str(SEED_FILES["002"])


def test_check_honours_a_config_file_and_a_prior(tmp_path: Path) -> None:
    [report] = api.check(SEED_FILES["002"])
    erring = sorted({f.rule for f in report.findings if f.severity == "error"})
    cfg = tmp_path / "cnbudget.toml"
    cfg.write_text(f"[rules]\ndisable = {json.dumps(erring)}\n", encoding="utf-8")
    [quiet] = api.check(SEED_FILES["002"], config=cfg)
    assert not {f.rule for f in quiet.findings} & set(erring)
    assert api.check(SEED_FILES["002"], config=load_config(cfg))[0].findings == quiet.findings
    with_prior = api.check(SEED_FILES["002"], prior=SEED_FILES["002"])[0]
    assert len(with_prior.findings) >= len(report.findings)


def test_unreadable_input_raises_in_check_and_is_reported_in_a_batch(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(InputError):
        api.check(empty)
    got = list(api.check_each([str(empty), str(SEED_FILES["003"])], Config()))
    assert [c.report is None for c in got] == [True, False]
    assert "empty" in got[0].error


def test_check_each_in_workers_gives_the_same_results_in_order() -> None:
    paths = [str(SEED_FILES[k]) for k in ("002", "003", "000")]
    one = list(api.check_each(paths, Config()))
    two = list(api.check_each(paths, Config(), jobs=2))
    assert [c.source for c in two] == paths
    assert [[f.as_dict() for f in c.report.findings] for c in one if c.report] == [
        [f.as_dict() for f in c.report.findings] for c in two if c.report
    ]


def test_build_reprints_a_disclosure(tmp_path: Path) -> None:
    d = api.read(SEED_FILES["003"])
    package = api.build(d, tmp_path, formats=["json"])
    written = Disclosure.model_validate_json(package.files["json"].read_text(encoding="utf-8"))
    assert [t.spec_id for t in written.tables] == [t.spec_id for t in d.tables]
