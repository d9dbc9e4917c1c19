"""Findings: run the rules and word each hit from the catalog in content/findings.yaml."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from generator import diskcache, yamlsafe
from generator.assess import Assessment
from generator.errors import problem
from generator.models import Profile
from generator.profile import parse_model
from generator.rules import RULES

SEVERITIES = ("error", "warning", "info")
AREAS = ("research", "letters", "ecfmg", "visa", "programs", "timeline", "season", "application")


class Definition(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)  # built when content/ is read, not from the cache

    severity: Literal["error", "warning", "info"]
    area: Literal["research", "letters", "ecfmg", "visa", "programs", "timeline", "season", "application"]
    trigger: str
    message: str
    title: str | None = None
    shown_in: str | None = None  # the id of the section that explains this finding in full
    non_us_only: bool = False


class Catalog(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)  # built when content/ is read, not from the cache

    codes: dict[str, Definition]


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    subject: str | None
    message: str
    area: str
    title: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "subject": self.subject,
            "title": self.title,
            "message": self.message,
        }

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _first(message: str) -> str:
    """A finding without a title of its own is headed by its message's first sentence."""
    sentence, dot, _ = message.partition(". ")
    return sentence + ("." if dot else "")


def load_catalog(path: Path) -> dict[str, Definition]:
    data, lines = diskcache.load_yaml(yamlsafe.read_text(path), path)
    catalog = parse_model(Catalog, {"codes": data}, {("codes", *k): v for k, v in lines.items()}, str(path)).codes
    return catalog


def find(profile: Profile, assessment: Assessment, facts: dict[str, Any], catalog: dict[str, Definition]) -> list[Finding]:
    """Every finding that fires, errors first, in the order of the catalog."""
    order = {code: i for i, code in enumerate(catalog)}
    found = []
    for rule in RULES:
        for code, subject, values in rule(profile, assessment, facts):
            if code not in catalog:
                raise problem("content/findings.yaml", None, code, "a rule reports this code but the catalog does not define it")
            definition = catalog[code]
            severity = values.pop("severity", definition.severity)
            message = " ".join(definition.message.format(subject=subject, **values).split())
            title = " ".join(definition.title.format(subject=subject, **values).split()) if definition.title else _first(message)
            found.append(Finding(code, severity, subject, message, definition.area, title))
    return sorted(found, key=lambda f: (SEVERITIES.index(f.severity), order[f.code]))
