"""The profile reference in profiles/README.md is the schema's, and every key is described."""

from __future__ import annotations

from typing import Any

from generator.models import json_schema
from generator.reference import BEGIN, markdown
from tests.conftest import PROFILES


def test_profiles_readme_holds_the_reference_written_from_the_schema() -> None:
    text = (PROFILES / "README.md").read_text(encoding="utf-8")
    assert text[text.index(BEGIN) :] == markdown(), "run: handbook schema --format markdown, and paste it into profiles/README.md"


def _properties(node: dict[str, Any], defs: dict[str, Any], path: str) -> list[tuple[str, dict[str, Any]]]:
    found = []
    for key, prop in node.get("properties", {}).items():
        found.append((f"{path}.{key}", prop))
        for option in [prop, prop.get("items", {}), *prop.get("anyOf", [])]:
            if "$ref" in option:
                found += _properties(defs[option["$ref"].split("/")[-1]], defs, f"{path}.{key}")
    return found


def test_every_schema_property_has_a_description() -> None:
    schema = json_schema()
    undescribed = [path for path, prop in _properties(schema, schema["$defs"], "") if not prop.get("description")]
    assert undescribed == []
    assert schema["$id"] == "urn:residency-handbook:profile:1"
