"""Where the applicant fits on their own program list, and why.

Each program's stated requirements (shared/advice-rules.md, "Programs' own requirements")
are compared with the profile, one row per requirement: met, not met, or unknown (the
applicant's value or the program's is missing). No invented data, no probability, no
score: every row says what the program states and what the profile holds.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from generator.models import Experience, Profile, Program

MET, NOT_MET, UNKNOWN = "met", "not_met", "unknown"
NOT_NOTED = "not noted"  # what a program states when the list leaves the requirement empty
# The groups the programs page opens with, in the order it shows them.
GROUPS = ("fits", "unknowns", "no_fit", "no_visa")
DR_TRACKS = ("advanced", "categorical")
PGY1_TRACKS = ("preliminary", "transitional")
CLINICAL = ("observership", "elective", "externship", "clerkship", "residency", "clinical_job")
VISA_NAMES = {"j1": "J-1", "h1b": "H-1B"}
LOWER = {"graduation": "years since graduation", "visa": "visa"}  # requirement names inside a sentence


@dataclass(frozen=True)
class Check:
    """One stated requirement compared with the profile."""

    key: str  # step2 | graduation | usce | visa
    requirement: str
    stated: str
    yours: str
    status: str  # met | not_met | unknown


@dataclass(frozen=True)
class ProgramFit:
    """One program of the list with its checks and the group they put it in."""

    index: int  # position in the applicant's list, from 1: their order of preference
    name: str
    track: str
    signal: str
    source: str | None
    verified_on: dt.date | None
    stale: bool
    checks: list[Check]

    @property
    def group(self) -> str:
        statuses = {c.key: c.status for c in self.checks}
        if statuses.get("visa") == NOT_MET:
            return "no_visa"
        if NOT_MET in statuses.values():
            return "no_fit"
        return "unknowns" if UNKNOWN in statuses.values() else "fits"

    @property
    def reasons(self) -> list[str]:
        """What does not fit, in plain words, for the 'does not fit' group."""
        return [f"{c.requirement}: {c.stated}; yours: {c.yours}" for c in self.checks if c.status == NOT_MET]

    @property
    def unknowns(self) -> list[str]:
        return [LOWER.get(c.key, c.requirement) for c in self.checks if c.status == UNKNOWN]

    @property
    def source_url(self) -> str | None:
        """The source as a link target when it is a plain web address, else None (shown as text)."""
        source = self.source or ""
        return source if re.fullmatch(r"https?://[^\s<>\"'`\\()]+", source) else None

    @property
    def is_dr(self) -> bool:
        return self.track in DR_TRACKS


@dataclass(frozen=True)
class ProgramList:
    """The whole list, computed once: every later stage reads it and never re-derives it."""

    programs: list[ProgramFit] = field(default_factory=list)
    from_file: str | None = None
    ignored_columns: tuple[str, ...] = ()

    def group(self, name: str) -> list[ProgramFit]:
        return [p for p in self.programs if p.group == name]

    @property
    def groups(self) -> dict[str, list[ProgramFit]]:
        return {name: self.group(name) for name in GROUPS}

    def track(self, *tracks: str) -> list[ProgramFit]:
        return [p for p in self.programs if p.track in tracks]

    @property
    def needs_pgy1(self) -> bool:
        """Advanced programs are listed and no preliminary or transitional one is."""
        return bool(self.track("advanced")) and not self.track(*PGY1_TRACKS)

    def as_json(self) -> dict[str, Any]:
        """The list as `handbook check --format json` reports it (no private value: the applicant's side is left out)."""
        return {
            **self.summary(),
            "needs_pgy1": self.needs_pgy1,
            "groups": {name: [p.name for p in found] for name, found in self.groups.items()},
            "programs": [
                {
                    "name": p.name,
                    "track": p.track,
                    "group": p.group,
                    "checks": [{"requirement": c.key, "stated": c.stated, "status": c.status} for c in p.checks],
                }
                for p in self.programs
            ],
        }

    def summary(self) -> dict[str, int]:
        """The counts an advisor sees in the build-all overview."""
        return {
            "listed": len(self.programs),
            "no_fit": len(self.group("no_fit")),
            "no_visa": len(self.group("no_visa")),
        }


def evaluate(
    profile: Profile, as_of: dt.date, application_date: dt.date, from_file: str | None = None, ignored: tuple[str, ...] = ()
) -> ProgramList:
    """Every program of the profile, checked against the profile, in the applicant's order."""
    checks = _Checks(profile, as_of, application_date)
    fits = [
        ProgramFit(
            index,
            p.name,
            p.track,
            p.signal,
            p.source,
            p.verified_on,
            p.verified_on is not None and p.verified_on < _year_before(as_of),
            checks.of(p),
        )
        for index, p in enumerate(profile.programs, 1)
    ]
    return ProgramList(fits, from_file, ignored)


class _Checks:
    """The profile's side of every comparison, worked out once for the whole list."""

    def __init__(self, profile: Profile, as_of: dt.date, application_date: dt.date) -> None:
        self.score = profile.exams.usmle_step2_ck if profile.exams else None
        self.years = profile.goal.match_year - profile.applicant.graduation_year
        self.match_year = profile.goal.match_year
        self.graduation_year = profile.applicant.graduation_year
        self.visa = profile.applicant.visa_path if profile.applicant.citizenship == "non_us" else "none"
        us = [e for e in profile.experience if e.country == "US" and e.kind in CLINICAL]
        self.usce_done = [e for e in us if e.start <= as_of]
        self.usce_planned = [e for e in us if as_of < e.start < application_date]

    def of(self, program: Program) -> list[Check]:
        rows = [self.step2(program.min_step2_ck), self.graduation(program.max_years_since_graduation), self.usce(program)]
        visa = self.sponsor(program.sponsors)
        return rows + ([visa] if visa else [])

    def step2(self, minimum: int | None) -> Check:
        stated = f"{minimum} or more" if minimum is not None else NOT_NOTED
        if self.score is None:
            return Check("step2", "Step 2 CK score", stated, "not in this handbook", UNKNOWN)
        status = UNKNOWN if minimum is None else (MET if self.score >= minimum else NOT_MET)
        return Check("step2", "Step 2 CK score", stated, str(self.score), status)

    def graduation(self, limit: int | None) -> Check:
        yours = f"{_years(max(self.years, 0))} ({self.graduation_year} to the {self.match_year} Match)"
        if limit is None:
            return Check("graduation", "Years since graduation", NOT_NOTED, yours, UNKNOWN)
        stated = f"at most {_years(limit)} before the Match year"
        return Check("graduation", "Years since graduation", stated, yours, MET if self.years <= limit else NOT_MET)

    def usce(self, program: Program) -> Check:
        name = "US clinical experience"
        if program.usce_required is None:
            return Check("usce", name, NOT_NOTED, self._usce_yours(), UNKNOWN)
        if not program.usce_required:
            return Check("usce", name, "not required", self._usce_yours(), MET)
        if self.usce_done:
            return Check("usce", name, "required", self._usce_yours(), MET)
        status = UNKNOWN if self.usce_planned else NOT_MET
        return Check("usce", name, "required", self._usce_yours(), status)

    def _usce_yours(self) -> str:
        if self.usce_done:
            return f"{_experience(self.usce_done[0])}, started {_day(self.usce_done[0].start)}"
        if self.usce_planned:
            return f"{_experience(self.usce_planned[0])}, planned from {_day(self.usce_planned[0].start)}"
        return "none completed or under way"

    def sponsor(self, sponsors: Sequence[str] | None) -> Check | None:
        if self.visa == "none":
            return None
        takes = " and ".join(VISA_NAMES[v] for v in sponsors) if sponsors else "none"
        stated = NOT_NOTED if sponsors is None else f"sponsors {takes}"
        if self.visa == "undecided":
            status = UNKNOWN if sponsors is None else (MET if sponsors else NOT_MET)
            return Check("visa", "Visa", stated, "not decided yet", status)
        status = UNKNOWN if sponsors is None else (MET if self.visa in sponsors else NOT_MET)
        return Check("visa", "Visa", stated, VISA_NAMES[self.visa], status)


def _year_before(day: dt.date) -> dt.date:
    """The same day a year earlier (28 February for 29 February): older facts are stale."""
    return day.replace(year=day.year - 1, day=28 if (day.month, day.day) == (2, 29) else day.day)


def _experience(item: Experience) -> str:
    return f"{item.kind.replace('_', ' ')} at {item.institution}"


def _years(count: int) -> str:
    return f"{count} year" if count == 1 else f"{count} years"


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


@dataclass(frozen=True)
class Suggestion:
    """A signal the handbook suggests, next to the one the applicant placed."""

    program: ProgramFit
    suggested: str  # gold | silver | none


def suggest_signals(programs: ProgramList, gold: int, silver: int) -> list[Suggestion]:
    """Gold, then silver, down the applicant's own order, for the radiology programs that fit.

    A program that does not fit or cannot take the visa gets no signal; PGY-1 programs are
    another specialty with signals of their own.
    """
    suggestions = []
    given = 0
    for program in programs.programs:
        if not program.is_dr:
            continue
        tier = "none"
        if program.group in ("fits", "unknowns") and given < gold + silver:
            tier = "gold" if given < gold else "silver"
            given += 1
        suggestions.append(Suggestion(program, tier))
    return suggestions
