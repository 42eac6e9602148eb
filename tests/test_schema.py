"""The documented JSON schema is the model's schema (docs cannot drift from code).

Compared by what a consumer relies on: every object's property names and required fields. The
exact keywords pydantic emits (e.g. the pattern it adds for Decimals) vary between its versions.
"""

from __future__ import annotations

import json
from typing import Any

from cnbudget.model import SCHEMA_VERSION, Disclosure
from conftest import ROOT


def _shape(schema: dict[str, Any]) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    objects = {"Disclosure": schema, **schema.get("$defs", {})}
    return {
        name: (tuple(sorted(obj.get("properties", {}))), tuple(sorted(obj.get("required", []))))
        for name, obj in objects.items()
        if obj.get("type") == "object"
    }


def test_committed_schema_matches_the_model() -> None:
    committed = json.loads((ROOT / "docs" / "disclosure.schema.json").read_text(encoding="utf-8"))
    assert _shape(committed) == _shape(Disclosure.model_json_schema())


def test_schema_version_is_in_every_disclosure() -> None:
    assert Disclosure.model_fields["schema_version"].default == SCHEMA_VERSION
