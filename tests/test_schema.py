"""The documented JSON schema is the model's schema (docs cannot drift from code)."""

from __future__ import annotations

import json

from cnbudget.model import SCHEMA_VERSION, Disclosure
from conftest import ROOT


def test_committed_schema_matches_the_model() -> None:
    committed = json.loads((ROOT / "docs" / "disclosure.schema.json").read_text(encoding="utf-8"))
    assert committed == Disclosure.model_json_schema()


def test_schema_version_is_in_every_disclosure() -> None:
    assert Disclosure.model_fields["schema_version"].default == SCHEMA_VERSION
