"""US visa suspensions by nationality (content/data/visa-suspensions.yaml) and whom they affect.

A nationality is private: nothing here returns or formats a country, only which visa
routes a list in force blocks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from generator import diskcache, yamlsafe
from generator.cycles import Confidence, Url
from generator.profile import parse_model

Code = Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
VisaClass = Literal["immigrant", "B", "F", "M", "J"]
ROUTES = {"j1": ("j1",), "h1b": ("h1b",), "undecided": ("j1", "h1b")}


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)  # built when content/ is read, not from the cache


class Proclamation(_Data):
    name: str
    signed_on: dt.date
    in_force_from: dt.date
    in_force_until: dt.date | None = None
    review_every_days: int = Field(gt=0)
    source: Url
    verify: Url
    confidence: Confidence
    verified_on: dt.date
    full: list[Code]
    partial: dict[Code, list[VisaClass]]

    def in_force(self, day: dt.date) -> bool:
        return self.in_force_from <= day and (self.in_force_until is None or day <= self.in_force_until)

    def next_review(self, day: dt.date) -> dt.date:
        """The first review date on or after `day` (reviews fall every review_every_days from in_force_from)."""
        periods = max(0, -(-(day - self.in_force_from).days // self.review_every_days))
        return self.in_force_from + dt.timedelta(days=periods * self.review_every_days)


class SuspensionFile(_Data):
    as_of: dt.date  # the lists as they stood on this day
    proclamations: list[Proclamation]


@dataclass(frozen=True)
class Suspension:
    """What a list in force blocks for one applicant: the level and the visa routes it closes."""

    proclamation: Proclamation
    level: Literal["full", "partial"]
    blocked: tuple[str, ...]  # of the applicant's routes: j1, h1b
    open: tuple[str, ...]  # the applicant's routes it leaves open


def load_suspensions(path: Path) -> SuspensionFile:
    data, lines = diskcache.load_yaml(yamlsafe.read_text(path), path)
    return parse_model(SuspensionFile, data, lines, str(path))


def suspension(lists: SuspensionFile, nationality: str | None, visa_path: str, day: dt.date) -> Suspension | None:
    """The suspension in force on `day` that blocks one of the applicant's visa routes, if any.

    A full suspension blocks every route; a partial one blocks the J-1 only when it lists the
    J class (it never covers the H-1B). No nationality, or a route that needs no visa: none.
    """
    routes = ROUTES.get(visa_path, ())
    if nationality is None or not routes:
        return None
    for proclamation in lists.proclamations:
        if not proclamation.in_force(day):
            continue
        if nationality in proclamation.full:
            return Suspension(proclamation, "full", routes, ())
        classes = proclamation.partial.get(nationality, [])
        if "J" in classes and "j1" in routes:
            return Suspension(proclamation, "partial", ("j1",), tuple(r for r in routes if r != "j1"))
    return None
