"""Cycle dates and sourced facts: data files under content/data, never literals in code."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from generator import diskcache, yamlsafe
from generator.profile import parse_model

WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Rule(_Data):
    month: int | None = None
    day: int | None = None
    weekday: Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] | None = None
    nth: int | None = None
    year_offset: int = 0
    after: str | None = None
    days: int = 0
    window: str | None = None


class Event(_Data):
    label: str
    pattern: str
    rule: Rule
    source: str


class Confirmed(_Data):
    date: dt.date
    source: str


class CycleFile(_Data):
    seasons: list[int]
    events: dict[str, Event]
    confirmed: dict[int, dict[str, Confirmed]] = {}


class Fact(_Data):
    value: Any
    source: str
    verify: str
    confidence: Literal["high", "medium", "low"]
    note: str | None = None


@dataclass(frozen=True)
class CycleDate:
    """One date of a season; `date` is None when only a window is known."""

    key: str
    label: str
    date: dt.date | None
    expected: bool
    source: str
    verify: str
    window: str | None = None


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
    """Every date of the season whose Match Day is in `year`."""
    confirmed = cycles.confirmed.get(year, {})
    dates: dict[str, CycleDate] = {}
    for key, event in cycles.events.items():
        if key in confirmed:
            fixed = confirmed[key]
            dates[key] = CycleDate(key, event.label, fixed.date, False, fixed.source, fixed.source)
        else:
            day = _apply(event.rule, year, dates)
            window = f"{event.rule.window} {year}" if event.rule.window else None
            dates[key] = CycleDate(key, event.label, day, True, event.source, event.source, window)
    return Season(year, dates)


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
