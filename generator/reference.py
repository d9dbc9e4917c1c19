"""The profile reference (profiles/README.md), written from the JSON Schema so the two cannot drift."""

from __future__ import annotations

import json
from typing import Any

from generator.models import json_schema

BEGIN = "<!-- reference: written by `handbook schema --format markdown`; do not edit below -->"


def markdown() -> str:
    """One table per section of the profile: key, what it takes, default, and its description."""
    schema = json_schema()
    defs = schema["$defs"]
    out = [BEGIN, "", "## Top level", "", *_table(schema, defs)]
    for key, node in schema["properties"].items():
        target = _target(node, defs)
        if target is not None:
            many = _is_list(node)
            out += ["", f"## `{key}{'[]' if many else ''}`", "", *_table(target, defs)]
    return "\n".join(out) + "\n"


def _target(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any] | None:
    """The object schema a property holds (directly, in a list, or optional)."""
    for option in [node, node.get("items", {}), *node.get("anyOf", [])]:
        if "$ref" in option:
            return dict(defs[option["$ref"].split("/")[-1]])
    return None


def _is_list(node: dict[str, Any]) -> bool:
    return node.get("type") == "array"


def _table(node: dict[str, Any], defs: dict[str, Any]) -> list[str]:
    required = set(node.get("required", []))
    rows = ["| key | takes | default | what it is |", "| --- | --- | --- | --- |"]
    for key, prop in node["properties"].items():
        default = "required" if key in required else _shown(prop.get("default"))
        private = " **Private.**" if prop.get("private") else ""
        description = prop.get("description", "").removeprefix("Private: ")
        description = description[:1].upper() + description[1:]
        rows.append(f"| `{key}` | {_takes(prop, defs)} | {default} | {_cell(description)}{private} |")
    return rows


def _takes(prop: dict[str, Any], defs: dict[str, Any]) -> str:
    options = [o for o in prop.get("anyOf", [prop]) if o.get("type") != "null"]
    return " or ".join(_one(o, defs) for o in options)


def _one(node: dict[str, Any], defs: dict[str, Any]) -> str:
    if "$ref" in node:
        return "a section (below)"
    if "enum" in node:
        return ", ".join(f"`{v}`" for v in node["enum"])
    if "const" in node:
        return f"`{node['const']}`"
    kind = node.get("type")
    if kind == "array":
        item = node.get("items", {})
        return "a list of sections (below)" if "$ref" in item else f"a list of {_one(item, defs)}"
    if kind == "string" and node.get("format") == "date":
        return "a date YYYY-MM-DD"
    if kind == "string" and "pattern" in node:
        return f"text matching `{node['pattern']}`"
    if kind == "integer" and ("minimum" in node or "maximum" in node):
        return f"a whole number {node.get('minimum', '')}..{node.get('maximum', '')}"
    if kind == "number":
        return "a number"
    return {"string": "text", "integer": "a whole number", "boolean": "`true` or `false`"}.get(str(kind), str(kind))


def _shown(value: Any) -> str:
    return "" if value is None else f"`{json.dumps(value)}`"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
