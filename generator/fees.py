"""ERAS application fees (content/data/fees.yaml) and what a program list costs.

ERAS charges per specialty and the tiers restart with each specialty. Radiology programs
(advanced and categorical) are one specialty; a transitional year is its own; preliminary
years belong to the specialty that offers them (internal medicine, surgery), which the
list does not say, so they are counted together as one group.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from generator import diskcache, yamlsafe
from generator.fit import ProgramFit, ProgramList
from generator.profile import parse_model

SPECIALTIES = {"advanced": "Diagnostic radiology", "categorical": "Diagnostic radiology"}
SPECIALTIES.update({"transitional": "Transitional year", "preliminary": "Preliminary year"})


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)  # built when content/ is read, not from the cache


class Tier(_Data):
    up_to: int | None = None
    fee: int


class SeasonFees(_Data):
    match_year: int
    tiers: list[Tier]
    source: str
    confidence: Literal["high", "medium", "low"]
    verified_on: dt.date
    note: str | None = None


class FeeFile(_Data):
    seasons: list[SeasonFees]

    def season(self, year: int) -> SeasonFees | None:
        return next((s for s in self.seasons if s.match_year == year), None)


@dataclass(frozen=True)
class FeeTable:
    """The fees of one Match year; `expected` when copied from an earlier season."""

    year: int
    fees: SeasonFees
    expected: bool

    def cost(self, count: int) -> int:
        """What `count` applications in one specialty cost, tier by tier."""
        total, start = 0, 0
        for tier in self.fees.tiers:
            end = count if tier.up_to is None else min(count, tier.up_to)
            total += max(0, end - start) * tier.fee
            start = max(start, end)
        return total


def load(path: Path) -> FeeFile:
    data, lines = diskcache.load_yaml(yamlsafe.read_text(path), path)
    return parse_model(FeeFile, data, lines, str(path))


def table(fees: FeeFile, match_year: int) -> FeeTable:
    """The season's fees, or the latest earlier season's, marked expected."""
    exact = fees.season(match_year)
    if exact is not None:
        return FeeTable(match_year, exact, False)
    years = sorted(s.match_year for s in fees.seasons)
    earlier = [year for year in years if year < match_year] or years[:1]
    found = fees.season(earlier[-1])
    assert found is not None
    return FeeTable(match_year, found, True)


@dataclass(frozen=True)
class Line:
    specialty: str
    programs: int
    cost: int
    without_no_fit: int  # programs left after dropping those that do not fit or cannot take the visa
    cost_without: int


@dataclass(frozen=True)
class Cost:
    fees: FeeTable
    lines: list[Line]

    @property
    def total(self) -> int:
        return sum(line.cost for line in self.lines)

    @property
    def total_without(self) -> int:
        return sum(line.cost_without for line in self.lines)

    @property
    def saving(self) -> int:
        return self.total - self.total_without

    @property
    def dropped(self) -> int:
        return sum(line.programs - line.without_no_fit for line in self.lines)


def cost(programs: ProgramList, fees: FeeTable) -> Cost:
    """The list's application fees per specialty, and without the programs that do not fit."""
    lines = []
    for specialty in dict.fromkeys(SPECIALTIES.values()):
        mine = [p for p in programs.programs if SPECIALTIES[p.track] == specialty]
        if mine:
            kept = sum(not _drop(p) for p in mine)
            lines.append(Line(specialty, len(mine), fees.cost(len(mine)), kept, fees.cost(kept)))
    return Cost(fees, lines)


def _drop(program: ProgramFit) -> bool:
    return program.group in ("no_fit", "no_visa")
