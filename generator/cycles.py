"""Cycle dates and sourced facts: data files under content/data, never literals in code."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from generator import diskcache, yamlsafe
from generator.profile import parse_model

WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)  # built when content/ is read, not from the cache


class Rule(_Data):
    month: int | None = None
    day: int | None = None
    weekday: Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] | None = None
    nth: int | None = None
    year_offset: int = 0
    after: str | None = None
    days: int = 0
    window: str | None = None


Confidence = Literal["high", "medium", "low"]
Url = Annotated[str, Field(pattern=r"^https://[^\s<>\"'`\\]+$")]
MAX_YEARS_AHEAD = 10  # a Match year may be up to this many years after the advice date


class Event(_Data):
    label: str
    pattern: str
    rule: Rule
    verify: Url
    verified_on: dt.date


class Published(_Data):
    """A date published (or reported) for one season."""

    date: dt.date
    source: str
    confidence: Confidence
    verified_on: dt.date


class CycleFile(_Data):
    events: dict[str, Event]
    dates: dict[int, dict[str, Published]] = {}

    @model_validator(mode="after")
    def _known_keys(self) -> CycleFile:
        seen: list[str] = []
        for key, event in self.events.items():
            if event.rule.after is not None and event.rule.after not in seen:
                raise ValueError(f"events.{key}.rule.after: found {event.rule.after!r}; it must name an event listed above it")
            seen.append(key)
        for year, dates in self.dates.items():
            for key in dates:
                if key not in self.events:
                    raise ValueError(f"dates.{year}.{key}: not an event; allowed: {', '.join(self.events)}")
        return self


class Fact(_Data):
    label: str
    value: Any
    source: str
    verify: Url
    confidence: Confidence
    verified_on: dt.date
    note: str | None = None
    flag: str | None = None  # shown wherever the value is: the value is a default to verify for the season
    visa_only: bool = False  # about visas: a US citizen's handbook leaves it out


@dataclass(frozen=True)
class CycleDate:
    """One date of a season; `date` is None when only a window is known.

    status: confirmed (published, confidence medium or high), reported (published by
    third parties only: confidence low) or expected (from the pattern). `expected` is
    true unless confirmed; `link` is the primary source, else the page to verify at.
    """

    key: str
    label: str
    date: dt.date | None
    expected: bool
    source: str
    verify: str
    window: str | None = None
    status: str = "expected"
    confidence: str = "low"
    verified_on: dt.date | None = None

    @property
    def reported(self) -> bool:
        return self.status == "reported"

    @property
    def link(self) -> str:
        return self.source if self.source.startswith("https://") else self.verify


@dataclass(frozen=True)
class Season:
    year: int
    dates: dict[str, CycleDate]

    def __getattr__(self, key: str) -> CycleDate:
        try:
            return self.dates[key]
        except KeyError:
            raise AttributeError(key) from None


def load_cycles(path: Path) -> CycleFile:
    data, lines = diskcache.load_yaml(yamlsafe.read_text(path), path)
    return parse_model(CycleFile, data, lines, str(path))


def load_facts(path: Path) -> dict[str, Fact]:
    data, lines = diskcache.load_yaml(yamlsafe.read_text(path), path)
    return {
        key: parse_model(Fact, value, {k[1:]: v for k, v in lines.items() if k[:1] == (key,)}, str(path))
        for key, value in (data or {}).items()
    }


def season(cycles: CycleFile, year: int) -> Season:
    """Every date of the season whose Match Day is in `year`: published where known, else the pattern."""
    published = cycles.dates.get(year, {})
    dates: dict[str, CycleDate] = {}
    for key, event in cycles.events.items():
        if key in published:
            fixed = published[key]
            status = "reported" if fixed.confidence == "low" else "confirmed"
            dates[key] = CycleDate(
                key, event.label, fixed.date, status != "confirmed", fixed.source, event.verify,
                status=status, confidence=fixed.confidence, verified_on=fixed.verified_on,
            )  # fmt: skip
        else:
            day = _apply(event.rule, year, dates)
            window = f"{event.rule.window} {year}" if event.rule.window else None
            dates[key] = CycleDate(
                key, event.label, day, True, event.pattern, event.verify, window, verified_on=event.verified_on
            )
    return Season(year, dates)


def latest_year(as_of: dt.date) -> int:
    """The last Match year a handbook can be made for on `as_of`."""
    return as_of.year + MAX_YEARS_AHEAD


def _apply(rule: Rule, year: int, earlier: dict[str, CycleDate]) -> dt.date | None:
    if rule.window is not None:
        return None
    if rule.after is not None:
        base = earlier[rule.after].date
        return None if base is None else base + dt.timedelta(days=rule.days)
    assert rule.month is not None
    if rule.day is not None:
        return dt.date(year + rule.year_offset, rule.month, rule.day)
    assert rule.weekday is not None and rule.nth is not None
    return nth_weekday(year + rule.year_offset, rule.month, WEEKDAYS[rule.weekday], rule.nth)


def nth_weekday(year: int, month: int, weekday: int, nth: int) -> dt.date:
    """The nth given weekday (Monday = 0) of a month, e.g. the third Friday of March."""
    first = dt.date(year, month, 1)
    offset = (weekday - first.weekday()) % 7
    return first + dt.timedelta(days=offset + 7 * (nth - 1))
