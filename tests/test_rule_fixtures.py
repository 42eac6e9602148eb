"""Every rule has a small document where it fires and one where it stays silent.

The fixtures live in tests/fixtures/rules/<RULE_ID>/ (see the README there): ``fire.<ext>`` must produce at
least one finding of that rule (at the rule's default severity unless ``expect.toml`` says otherwise),
``silent.<ext>`` none; ``prior.<ext>`` is the year before for the year-over-year rules. A rule added to
the index without its two fixtures fails ``test_every_rule_has_both_fixtures``.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from cnbudget.model import Disclosure
from cnbudget.pipeline import read_disclosure
from cnbudget.rules.findings import Finding
from cnbudget.rules.registry import Config, all_rules, run
from cnbudget.rules.year_over_year import check_pair

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "rules"
RULE_IDS = [r.id for r in all_rules()]
DEFAULT_SEVERITY = {r.id: r.severity for r in all_rules()}


def _read(path: Path) -> Disclosure:
    if path.suffix == ".json":  # a Disclosure as `cnbudget parse FILE -f json` prints it
        return Disclosure.model_validate_json(path.read_text(encoding="utf-8"))
    return read_disclosure(str(path), ocr=False)


def check(path: Path) -> list[Finding]:
    """All findings for one fixture document: the one place the tests call the checker.

    A ``prior.<ext>`` beside the fixture adds the year-over-year findings against it."""
    d = _read(path)
    found = run(d, Config())
    prior = next(path.parent.glob("prior.*"), None)
    if prior is not None:
        found += check_pair(d, _read(prior))
    return found


def _one(rule_id: str, name: str) -> Path:
    paths = sorted((FIXTURES / rule_id).glob(f"{name}.*"))
    assert len(paths) == 1, f"{rule_id}: expected exactly one {name}.<ext>, found {[p.name for p in paths]}"
    return paths[0]


def _expect(rule_id: str) -> dict[str, Any]:
    path = FIXTURES / rule_id / "expect.toml"
    expect = tomllib.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    unknown = set(expect) - {"severity", "count", "lines"}
    assert not unknown, f"{path}: unknown keys {sorted(unknown)} (the mistake a fire document makes is fixtures.<ID> in messages/<lang>/fixtures.toml)"
    return expect


def test_every_fixture_says_its_mistake_in_both_languages() -> None:
    """The rule index explains each fire document from the catalogs (messages/<lang>/fixtures.toml), zh and en."""
    from cnbudget.i18n import has

    missing = [f"{lang}: fixtures.{rid}" for rid in RULE_IDS for lang in ("zh", "en") if not has(f"fixtures.{rid}", lang)]
    assert not missing, missing


def test_every_rule_has_both_fixtures() -> None:
    missing = [
        f"{rid}/{name}"
        for rid in RULE_IDS
        for name in ("fire", "silent")
        if not any((FIXTURES / rid).glob(f"{name}.*"))
    ]
    assert not missing, f"rules without fixtures (add tests/fixtures/rules/<ID>/fire.txt and silent.txt): {missing}"


def test_no_fixture_folder_for_an_unknown_rule() -> None:
    unknown = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir() and p.name not in RULE_IDS)
    assert not unknown, f"fixture folders for rules not in the index: {unknown}"


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_fires(rule_id: str) -> None:
    expect = _expect(rule_id)
    mine = [f for f in check(_one(rule_id, "fire")) if f.rule == rule_id]
    assert mine, f"{rule_id} does not fire on its fire fixture"
    severity = expect.get("severity", DEFAULT_SEVERITY[rule_id])
    assert severity in {f.severity for f in mine}, (rule_id, [(f.severity, f.message) for f in mine])
    if "count" in expect:
        assert len(mine) == expect["count"], (rule_id, [(f.location.line, f.message) for f in mine])
    for line in expect.get("lines", []):
        assert line in {f.location.line for f in mine}, (rule_id, line, [(f.location.line, f.message) for f in mine])


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_stays_silent(rule_id: str) -> None:
    mine = [f for f in check(_one(rule_id, "silent")) if f.rule == rule_id]
    assert not mine, (rule_id, [(f.severity, f.location.line, f.message) for f in mine])


def test_the_rule_index_links_every_fixture() -> None:
    from cnbudget.render.rule_index import rules_markdown

    index = rules_markdown(all_rules())
    for rid in RULE_IDS:
        for path in sorted((FIXTURES / rid).glob("*.txt")) + sorted((FIXTURES / rid).glob("*.json")):
            assert f"](../tests/fixtures/rules/{rid}/{path.name})" in index, (rid, path.name)
