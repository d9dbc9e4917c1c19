"""The applicant's timeline: cycle dates, their own dated items and relative advice turned into dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from generator import diskcache, yamlsafe
from generator.assess import REMINDER_DAYS, Assessment, years_before
from generator.models import Profile

NEXT_DAYS = 30
NRMP_FEES = "https://www.nrmp.org/topic/match-participants/programs/?post_type=help"
STEP3_DELAY = "https://www.fsmb.org/step-3/step-3-announcements/"
KINDS = ("cycle", "season", "plan", "rotation", "letter", "research", "visa")
LOCKED = ("after_rank_deadline", "match_week")  # sub-phases in which the rank list can no longer change


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
    pinned: bool = False  # a must-do of the season: on the next-30-days list from today until its date
    reported: bool = False  # published by third parties only: "reported, verify at ..."

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def load_wording(path: Path) -> dict[str, dict[str, str]]:
    data, _ = diskcache.load_yaml(yamlsafe.read_text(path), path)
    return dict(data)


def events(profile: Profile, a: Assessment, wording: dict[str, dict[str, str]]) -> list[Event]:
    """Every timeline item, dated ones in date order, then the undated ones."""
    found = [
        *_cycle(a),
        *_season(profile, a, wording),
        *_plan(profile, a, wording),
        *_rotations(a, wording),
        *_letters(a, wording),
        *_research(a, wording),
        *_visa(profile, a, wording),
    ]
    return sorted(found, key=lambda e: (e.date is None, e.date or dt.date.max, KINDS.index(e.kind), e.key))


def _make(wording: dict[str, dict[str, str]], name: str, key: str, group: str, day: dt.date | None, **values: Any) -> Event:
    text = wording[name]
    from generator.templating import humanize  # Jinja: not imported by `handbook check`

    shown = {k: humanize(v) if isinstance(v, str) and k in ("kind", "specialty", "status") else v for k, v in values.items()}
    return Event(key, group, text["title"].format(**shown), text["detail"].format(**shown).strip(), day)


def _cycle(a: Assessment) -> Iterator[Event]:
    for key, d in a.season.dates.items():
        yield Event(
            f"cycle-{key}-{a.season.year}", "cycle", d.label, "", d.date, d.expected, d.verify, d.window, reported=d.reported
        )


def _season(profile: Profile, a: Assessment, wording: dict[str, dict[str, str]]) -> Iterator[Event]:
    """The season's must-dos, dated: NRMP registration, the ECFMG requirements, Step 3 for H-1B, Match Week."""
    year, open_ranking = a.season.year, a.season_phase == "interviews"
    if open_ranking and "season-nrmp-registered" not in profile.done:
        day = dt.date(year, 1, 31)
        if day >= a.as_of:
            yield _due(wording, "nrmp_register", "season-nrmp-register", day, NRMP_FEES, pinned=True)
    exams = profile.exams
    # every applicant is an IMG: omitted exams are not known to be done, so the item stays
    if not a.ecfmg["certified"] and a.season_phase not in LOCKED:
        yield _due(
            wording,
            "ecfmg_by_rank",
            "ecfmg-requirements",
            a.rank_deadline,
            a.season.rank_deadline.verify,
            open_ranking,
            reported=a.season.rank_deadline.reported,
        )
    h1b = a.non_us and profile.applicant.visa_path == "h1b"
    if h1b and exams is not None and exams.usmle_step3 != "pass" and a.season_phase not in LOCKED:
        by = dt.date(year - 1, 12, 31)
        name, day = ("step3_h1b", by) if a.as_of <= by else ("step3_h1b_late", a.rank_deadline)
        yield _due(wording, name, "visa-step3", day, STEP3_DELAY, open_ranking)
    match_day = a.season.match_day
    text = wording["match_week"]
    yield Event(
        f"season-match-week-{year}",
        "season",
        text["title"],
        text["detail"].strip(),
        a.match_week,
        match_day.expected,
        match_day.verify,
    )


def _due(
    wording: dict[str, dict[str, str]], name: str, key: str, day: dt.date, verify: str, pinned: bool, reported: bool = False
) -> Event:
    event = _make(wording, name, key, "season", day)
    return replace(event, expected=not reported, verify=verify, pinned=pinned, reported=reported)


def _plan(profile: Profile, a: Assessment, wording: dict[str, dict[str, str]]) -> Iterator[Event]:
    for name, years in (("phase_mid", 2), ("phase_late", 1)):
        day = years_before(a.application_date, years)
        if day > a.as_of:
            yield _make(wording, name, name, "plan", day)
    if not profile.research and a.phase != "in_season":
        day = years_before(a.application_date, 3)
        event = _make(wording, "start_research", "start-research", "plan", max(a.as_of, day))
        yield replace(event, asap=day <= a.as_of)


def _rotations(a: Assessment, wording: dict[str, dict[str, str]]) -> Iterator[Event]:
    for x in a.lists["experience"]:
        values = {"kind": x["kind"], "specialty": x["specialty"], "institution": x["institution"]}
        yield _make(wording, "rotation_start", f"rotation-start-{x['slug']}", "rotation", x["start"], **values)
        yield _make(wording, "rotation_end", f"rotation-end-{x['slug']}", "rotation", x["end_date"], **values)
        asking = a.season_phase not in LOCKED
        if asking and x["end_date"] >= a.as_of and x["kind"] not in ("residency", "clinical_job"):
            ask = max(x["start"], x["end_date"] - dt.timedelta(days=6))
            yield _make(wording, "rotation_ask", f"rotation-ask-{x['slug']}", "rotation", ask, **values)


def _letters(a: Assessment, wording: dict[str, dict[str, str]]) -> Iterator[Event]:
    """The date each letter was asked, and a reminder for the writers who may get one.

    A reminder is dated 21 days after asking, but never before the applicant's ERAS season
    opens (a writer may write early and keep the letter), and only for usable writers or a
    potential writer with no answer yet; none after the rank-list deadline.
    """
    for x in a.lists["letters"]:
        if x["asked_on"] is None:
            continue
        yield _make(
            wording, "letter_asked", f"letter-asked-{x['slug']}", "letter", x["asked_on"], writer=x["writer"], status=x["status"]
        )
        if x["status"] in ("asked", "agreed") and x["usability"] in ("usable", "potential") and not a.asking_closed:
            day = max(x["asked_on"] + dt.timedelta(days=REMINDER_DAYS), a.eras_opens)
            yield _make(wording, "letter_remind", f"letter-remind-{x['slug']}", "letter", day, writer=x["writer"])


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
    """The J-1 Statement of Need, undated: the sources give no lead time, so it is advice to ask
    the ministry early, never a date of today years ahead (ECFMG and Step 3 are season items)."""
    if a.non_us and profile.applicant.visa_path == "j1":
        yield _make(wording, "j1_statement", "visa-j1-statement", "visa", None)


def months(items: list[Event], as_of: dt.date, until: dt.date) -> dict[str, Any]:
    """The timeline page's shape: earlier items, one entry per month up to `until`, and undated items."""
    dated = [e for e in items if e.date is not None]
    result: dict[str, Any] = {
        "earlier": [e.as_dict() for e in dated if e.date < as_of.replace(day=1)],  # type: ignore[operator]
        "months": [],
        "undated": [e.as_dict() for e in items if e.date is None],
        "next": [e.as_dict() for e in dated if as_of <= e.date and (e.pinned or e.date <= as_of + dt.timedelta(days=NEXT_DAYS))],  # type: ignore[operator]
        "overdue": [e.as_dict() for e in dated if e.key.startswith("letter-remind-") and e.date < as_of],  # type: ignore[operator]
    }
    month = as_of.replace(day=1)
    while month <= until:
        inside = [e.as_dict() for e in dated if (e.date.year, e.date.month) == (month.year, month.month)]  # type: ignore[union-attr]
        result["months"].append({"month": month, "events": inside})
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return result
