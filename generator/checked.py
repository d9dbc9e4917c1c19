"""Load, validate and assess one profile: all `handbook check` does, without the pipeline's imports.

`handbook check` imports this module and not generator.build, so it never loads Jinja, MkDocs
or icalendar (`python -X importtime -m generator check PROFILE` shows what it imports).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

from generator import cycles
from generator.assess import Assessment, assess
from generator.data import Data, load_data
from generator.errors import InputError
from generator.findings import Finding, find
from generator.models import Profile, public_view
from generator.paths import CONTENT
from generator.profile import LoadedProfile, load_profile
from generator.select import check_done


@dataclass(frozen=True)
class Checked:
    """A profile with its assessment and findings: what `handbook check` reports."""

    loaded: LoadedProfile
    assessment: Assessment
    findings: list[Finding]
    full: Profile  # the profile as written, private fields included (what a public build is scanned for)
    data: Data  # the content it was assessed with (a build loads the rest of content/ next to it)


def check(profile_path: str | Path, today: dt.date | None = None, public: bool = False, content: Data | None = None) -> Checked:
    """Load, validate and assess a profile (a public check sees no private field)."""
    loaded = load_profile(profile_path)  # a broken profile is reported before the content loads
    content = content or load_data(CONTENT)
    full = loaded.profile
    if public:
        loaded = replace(loaded, profile=public_view(full))
    season = _season(content, loaded, today or loaded.profile.as_of or dt.date.today())
    assessment = assess(loaded, season, today, public)
    check_done(content, loaded, assessment)
    return Checked(loaded, assessment, find(loaded.profile, assessment, content.rule_facts(), content.catalog), full, content)


def _season(content: Data, loaded: LoadedProfile, as_of: dt.date) -> cycles.Season:
    """The season of the profile's Match year: any year up to 10 years after the advice date.

    A year whose Match Day is already past is refused by the assessment.
    """
    year, latest = loaded.profile.goal.match_year, cycles.latest_year(as_of)
    if year > latest:
        raise InputError(
            [
                loaded.problem(
                    ("goal", "match_year"),
                    f"found {year}; the handbook plans Match years up to {latest} ({cycles.MAX_YEARS_AHEAD} years after "
                    f"{as_of.isoformat()})",
                )
            ]
        )
    return cycles.season(content.cycles, year)
