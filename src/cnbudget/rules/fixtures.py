"""Each rule's example documents (tests/fixtures/rules/<ID>/): where it fires and where it stays silent.

The rule index (docs/rules.md) links them, so that a reader sees every rule at work on a small document.
They exist in a source checkout only; an installed package lists none.
"""

from __future__ import annotations

from pathlib import Path

from cnbudget.i18n import has, lang, t

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


def fixture_example(rule_id: str, lang_code: str | None = None) -> str:
    """The one mistake the fire document makes, in the reader's language (``fixtures.<ID>`` in
    messages/<lang>/fixtures.toml), or '' for a rule without one."""
    key = f"fixtures.{rule_id}"
    return t(key, lang_code) if has(key, lang_code or lang()) else ""
