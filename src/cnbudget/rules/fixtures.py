"""Each rule's example documents (tests/fixtures/rules/<ID>/): where it fires and where it stays silent.

The rule index (docs/rules.md) links them, so that a reader sees every rule at work on a small document.
They exist in a source checkout only; an installed package lists none.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

FIXTURES_PATH = "tests/fixtures/rules"  # repository-relative
_ROOT = Path(__file__).resolve().parents[3]
_ORDER = {"fire": 0, "silent": 1, "prior": 2}


def fixture_files(rule_id: str) -> list[str]:
    """Repository-relative paths of the rule's fire, silent (and prior) documents; [] outside a checkout."""
    folder = _ROOT / FIXTURES_PATH / rule_id
    if not folder.is_dir():
        return []
    files = sorted((p for p in folder.iterdir() if p.stem in _ORDER), key=lambda p: (_ORDER[p.stem], p.name))
    return [f"{FIXTURES_PATH}/{rule_id}/{p.name}" for p in files]


def fixture_example(rule_id: str) -> str:
    """The one mistake the fire document makes (``why`` in its expect.toml), or ''."""
    path = _ROOT / FIXTURES_PATH / rule_id / "expect.toml"
    if not path.is_file():
        return ""
    why = tomllib.loads(path.read_text(encoding="utf-8")).get("why", "")
    return why if isinstance(why, str) else ""
