"""The applicant's timeline: cycle dates, their own dated items and relative advice turned into dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from generator import yamlsafe
from generator.assess import REMINDER_DAYS, Assessment, years_before
from generator.models import Profile
from generator.templating import humanize

NEXT_DAYS = 30
KINDS = ("cycle", "plan", "rotation", "letter", "research", "visa")


@dataclass(frozen=True)
class Event:
    """One item of the timeline; `date` is None when only a window is known."""

    key: str
    kind: str
    title: str
    detail: str
    date: dt.date | None
    expected: bool = False
    verify: str | None = None
    window: str | None = None
    asap: bool = False  # "as soon as possible": dated today on the page, never in the calendar

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def load_wording(path: Path) -> dict[str, dict[str, str]]:
    data, _ = yamlsafe.load(yamlsafe.read_text(path), path)
    return dict(data)


def events(profile: Profile, a: Assessment, wording: dict[str, dict[str, str]]) -> list[Event]:
    """Every timeline item, dated ones in date order, then the undated ones."""
    found = [
        *_cycle(a),
        *_plan(profile, a, wording),
        *_rotations(a, wording),
        *_letters(a, wording),
        *_research(a, wording),
        *_visa(profile, a, wording),
    ]
    return sorted(found, key=lambda e: (e.date is None, e.date or dt.date.max, KINDS.index(e.kind), e.key))


def _make(wording: dict[str, dict[str, str]], name: str, key: str, group: str, day: dt.date | None, **values: Any) -> Event:
    text = wording[name]
    shown = {k: humanize(v) if isinstance(v, str) and k in ("kind", "specialty", "status") else v for k, v in values.items()}
    return Event(key, group, text["title"].format(**shown), text["detail"].format(**shown).strip(), day)


def _cycle(a: Assessment) -> Iterator[Event]:
    for key, d in a.season.dates.items():
        yield Event(f"cycle-{key}-{a.season.year}", "cycle", d.label, "", d.date, d.expected, d.verify, d.window)


def _plan(profile: Profile, a: Assessment, wording: dict[str, dict[str, str]]) -> Iterator[Event]:
    for name, years in (("phase_mid", 2), ("phase_late", 1)):
        day = years_before(a.application_date, years)
        if day > a.as_of:
            yield _make(wording, name, name, "plan", day)
    if not profile.research:
        day = years_before(a.application_date, 3)
        event = _make(wording, "start_research", "start-research", "plan", max(a.as_of, day))
        yield replace(event, asap=day <= a.as_of)


def _rotations(a: Assessment, wording: dict[str, dict[str, str]]) -> Iterator[Event]:
    for x in a.lists["experience"]:
        values = {"kind": x["kind"], "specialty": x["specialty"], "institution": x["institution"]}
        yield _make(wording, "rotation_start", f"rotation-start-{x['slug']}", "rotation", x["start"], **values)
        yield _make(wording, "rotation_end", f"rotation-end-{x['slug']}", "rotation", x["end_date"], **values)
        if x["end_date"] >= a.as_of and x["kind"] not in ("residency", "clinical_job"):
            ask = max(x["start"], x["end_date"] - dt.timedelta(days=6))
            yield _make(wording, "rotation_ask", f"rotation-ask-{x['slug']}", "rotation", ask, **values)


def _letters(a: Assessment, wording: dict[str, dict[str, str]]) -> Iterator[Event]:
    for x in a.lists["letters"]:
        if x["asked_on"] is None:
            continue
        yield _make(
            wording, "letter_asked", f"letter-asked-{x['slug']}", "letter", x["asked_on"], writer=x["writer"], status=x["status"]
        )
        if x["status"] in ("asked", "agreed"):
            yield _make(
                wording,
                "letter_remind",
                f"letter-remind-{x['slug']}",
                "letter",
                x["asked_on"] + dt.timedelta(days=REMINDER_DAYS),
                writer=x["writer"],
            )


def _research(a: Assessment, wording: dict[str, dict[str, str]]) -> Iterator[Event]:
    for x in a.lists["research"]:
        if x["date"] is not None:
            yield _make(
                wording,
                "research_dated",
                f"research-{x['slug']}",
                "research",
                x["date"],
                title=x["title"],
                status=x["status"],
                venue=x["venue"] or "",
            )


def _visa(profile: Profile, a: Assessment, wording: dict[str, dict[str, str]]) -> Iterator[Event]:
    if not a.non_us:
        return
    deadline = a.season.rank_deadline
    steps = []
    if profile.exams is not None and not profile.exams.ecfmg_certified:
        steps.append(("ecfmg_by_rank", "visa-ecfmg"))
    if profile.applicant.visa_path == "h1b" and profile.exams is not None and profile.exams.usmle_step3 != "pass":
        steps.append(("step3_h1b", "visa-step3"))
    for name, key in steps:
        event = _make(wording, name, key, "visa", deadline.date)
        yield Event(
            event.key, "visa", event.title, event.detail, deadline.date, deadline.expected, deadline.verify, deadline.window
        )
    if profile.applicant.visa_path == "j1":
        yield replace(_make(wording, "j1_statement", "visa-j1-statement", "visa", a.as_of), asap=True)


def months(items: list[Event], as_of: dt.date, until: dt.date) -> dict[str, Any]:
    """The timeline page's shape: earlier items, one entry per month up to `until`, and undated items."""
    dated = [e for e in items if e.date is not None]
    result: dict[str, Any] = {
        "earlier": [e.as_dict() for e in dated if e.date < as_of.replace(day=1)],  # type: ignore[operator]
        "months": [],
        "undated": [e.as_dict() for e in items if e.date is None],
        "next": [e.as_dict() for e in dated if as_of <= e.date <= as_of + dt.timedelta(days=NEXT_DAYS)],  # type: ignore[operator]
        "overdue": [e.as_dict() for e in dated if e.key.startswith("letter-remind-") and e.date < as_of],  # type: ignore[operator]
    }
    month = as_of.replace(day=1)
    while month <= until:
        inside = [e.as_dict() for e in dated if (e.date.year, e.date.month) == (month.year, month.month)]  # type: ignore[union-attr]
        result["months"].append({"month": month, "events": inside})
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return result
