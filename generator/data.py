"""What checking a profile needs from content/: findings, cycles, facts, timeline wording, checklist item ids.

Kept apart from generator.content (the pages, sections and emails, with their templates) so that
`handbook check` imports neither Jinja nor the rest of the pipeline.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator import cycles, diskcache, fees, findings, profile, suspensions, timeline, yamlsafe
from generator.cycles import CycleFile, Fact, load_cycles, load_facts
from generator.findings import Definition, load_catalog
from generator.suspensions import SuspensionFile, load_suspensions
from generator.timeline import load_wording


@dataclass(frozen=True)
class Data:
    """What an assessment needs: the finding catalog, cycle dates, sourced facts and checklist item ids."""

    catalog: dict[str, Definition]
    cycles: CycleFile
    facts: dict[str, Fact]
    timeline: dict[str, dict[str, str]]
    checklist_items: dict[str, str | None]
    suspensions: SuspensionFile
    fees: fees.FeeFile

    def rule_facts(self) -> dict[str, Any]:
        """What the advice rules read: the sourced facts and the visa suspension lists."""
        return {**self.facts, "visa_suspensions": self.suspensions}


# The content files an assessment reads, and the modules whose code turns them into Data.
SOURCES = (
    "findings.yaml",
    "data/cycles.yaml",
    "data/facts.yaml",
    "data/timeline.yaml",
    "data/visa-suspensions.yaml",
    "data/fees.yaml",
)


def load_data(root: Path) -> Data:
    """The assessment's content, checked; kept (generator.diskcache) for the same files and the same code,
    so that a run reads it without validating it again (the models' validators are then never built)."""
    files = [root / name for name in SOURCES] + sorted(root.glob("checklists/*.yaml"))
    parts = [f"{path.relative_to(root).as_posix()}\0{yamlsafe.read_text(path)}" for path in files]
    return diskcache.load_object("data", parts + _code(), lambda: _load(root), Data)


def _code() -> list[str]:
    """What, besides the files, decides loaded Data: the code of its models and loaders (parse_model's too),
    and pydantic's version."""
    import pydantic

    modules = (sys.modules[__name__], cycles, fees, findings, suspensions, timeline, profile)
    return [Path(str(m.__file__)).read_text(encoding="utf-8") for m in modules] + [pydantic.VERSION]


def _load(root: Path) -> Data:
    return Data(
        load_catalog(root / "findings.yaml"),
        load_cycles(root / "data" / "cycles.yaml"),
        load_facts(root / "data" / "facts.yaml"),
        load_wording(root / "data" / "timeline.yaml"),
        _checklist_items(root),
        load_suspensions(root / "data" / "visa-suspensions.yaml"),
        fees.load(root / "data" / "fees.yaml"),
    )


def _checklist_items(root: Path) -> dict[str, str | None]:
    """Every checklist item id with the list its checklist repeats over (checked in full by load_content)."""
    items: dict[str, str | None] = {}
    for path in sorted(root.glob("checklists/*.yaml")):
        data, _ = diskcache.load_yaml(yamlsafe.read_text(path), display(path))
        if isinstance(data, dict):
            for item in data.get("items") or []:
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    items[item["id"]] = data.get("for_each")
    return items


def display(path: Path) -> str:
    """A path as users see it: relative to the working folder when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)
