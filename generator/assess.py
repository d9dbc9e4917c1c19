"""Assess a profile: the derived values of profile-format.md, item views and findings."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from generator import exams, letters
from generator.cycles import Season
from generator.errors import InputError
from generator.fit import ProgramList, evaluate
from generator.models import Profile, Research
from generator.profile import LoadedProfile

PUBLICATIONS = ("journal_article", "case_report", "book_chapter")
# init writes "Publication 1 (edit the title)": such an item is a reminder, never counted work.
PLACEHOLDER = re.compile(r"\(edit the title\)\s*$", re.IGNORECASE)
STATUS_RANK = {"planned": 0, "in_progress": 1, "submitted": 2, "accepted": 3, "published": 4, "presented": 4}
PRESENTATIONS = ("abstract", "poster", "oral_presentation")
# ERAS Scholarly Work (2027 on): peer-reviewed articles, chapters and journal abstracts, and presentations,
# once submitted; other research that is under way or done is described under Experiences.
PEER_REVIEWED_KINDS = ("journal_article", "case_report", "book_chapter", "abstract")
PRESENTATION_KINDS = ("poster", "oral_presentation")
SENT = ("submitted", "accepted", "published", "presented")
STARRED = 3
ASKED = ("asked", "agreed", "uploaded")
# The benchmark tiers of profile-format.md: the minimum of each count, lowest first.
TIERS: list[dict[str, Any]] = [
    {"name": "minimal", "counted": 1, "radiology": 0, "peer_reviewed_pubs": 0, "radiology_presentations": 0, "lead_author": 0},
    {"name": "solid", "counted": 3, "radiology": 1, "peer_reviewed_pubs": 1, "radiology_presentations": 0, "lead_author": 0},
    {"name": "strong", "counted": 6, "radiology": 0, "peer_reviewed_pubs": 2, "radiology_presentations": 2, "lead_author": 1},
]
REMINDER_DAYS = 21
ASK_SOON_DAYS = 56


@dataclass(frozen=True)
class Assessment:
    """Everything the handbook derives from one profile on one day."""

    as_of: dt.date
    season: Season
    application_date: dt.date
    application_date_expected: bool
    match_day: dt.date
    years_to_application: float
    months_to_application: int
    phase: str
    season_phase: str | None
    match_week: dt.date
    rank_deadline: dt.date
    rank_deadline_expected: bool
    research_counts: dict[str, int]
    research_tier: str
    next_tier: str | None
    tier_gap: dict[str, int]
    letters: dict[str, Any]
    ecfmg: dict[str, Any]
    eras_opens: dt.date
    eras_open: bool
    review_open: bool
    asking_closed: bool
    research_focus: dict[str, list[str]] | None
    non_us: bool
    has_us_experience: bool
    has_non_radiology_background: bool
    public: bool
    lists: dict[str, list[dict[str, Any]]] = field(repr=False)
    program_list: ProgramList = field(default_factory=ProgramList, repr=False)
    tiers: list[dict[str, Any]] = field(default_factory=lambda: TIERS)

    def summary(self) -> dict[str, Any]:
        """The derived values, as `handbook check --format json` reports them."""
        return {
            "as_of": self.as_of.isoformat(),
            "application_date": self.application_date.isoformat(),
            "application_date_expected": self.application_date_expected,
            "match_day": self.match_day.isoformat(),
            "years_to_application": self.years_to_application,
            "phase": self.phase,
            "season_phase": self.season_phase,
            "match_week": self.match_week.isoformat(),
            "rank_deadline": self.rank_deadline.isoformat(),
            "rank_deadline_expected": self.rank_deadline_expected,
            "research_tier": self.research_tier,
            "next_tier": self.next_tier,
            "research_counts": self.research_counts,
            "letters": self.letters,
            "ecfmg": self.ecfmg,
            "has_us_experience": self.has_us_experience,
            "programs": self.program_list.as_json(),
        }


def assess(loaded: LoadedProfile, season: Season, today: dt.date | None = None, public: bool = False) -> Assessment:
    """Derive every value for `today` (default: the profile's as_of, else the real date).

    A Match Day already past is a profile error. `public`: the profile is the public view
    (private fields such as `exams` are hidden, not missing).
    """
    profile = loaded.profile
    as_of = today or profile.as_of or dt.date.today()
    applications_open, match_day = season.applications_open, season.match_day
    assert applications_open.date is not None and match_day.date is not None
    if as_of > match_day.date:
        raise InputError(
            [
                loaded.problem(
                    ("goal", "match_year"),
                    (
                        f"found {profile.goal.match_year}, whose Match Day ({match_day.date.isoformat()}) is already past "
                        f"on {as_of.isoformat()}; use the year of your next Match Day"
                    ),
                )
            ]
        )
    days = (applications_open.date - as_of).days
    years = round(days / 365.25, 2)
    counts = research_counts(profile.research)
    tier = research_tier(counts)
    rank_deadline, rank_expected = effective_rank_deadline(season)
    next_tier = _next(tier)
    in_phase = season_phase(as_of, years, rank_deadline, match_day.date)
    eras_opens = season.season_opens.date or applications_open.date
    review = season.review_begins.date or applications_open.date
    return Assessment(
        as_of=as_of,
        season=season,
        application_date=applications_open.date,
        application_date_expected=applications_open.expected,
        match_day=match_day.date,
        years_to_application=years,
        months_to_application=max(0, round(days / 30.44)),
        phase=phase(years),
        season_phase=in_phase,
        match_week=match_week_start(match_day.date),
        rank_deadline=rank_deadline,
        rank_deadline_expected=rank_expected,
        research_counts=counts,
        research_tier=tier,
        next_tier=next_tier,
        tier_gap=tier_gap(counts, next_tier),
        letters=letters.model(profile, as_of),
        ecfmg=exams.chain(profile),
        eras_opens=eras_opens,
        eras_open=as_of >= eras_opens,
        review_open=as_of >= review,
        asking_closed=in_phase in ("after_rank_deadline", "match_week"),
        research_focus=research_focus(profile.research),
        non_us=profile.applicant.citizenship == "non_us",
        has_us_experience=any(e.country == "US" and e.start <= as_of for e in profile.experience),
        has_non_radiology_background=any(
            e.kind in ("residency", "clinical_job") and e.specialty != "radiology" for e in profile.experience
        ),
        public=public,
        lists=item_lists(profile, as_of, as_of >= eras_opens, in_phase in ("after_rank_deadline", "match_week")),
        program_list=evaluate(profile, as_of, applications_open.date, profile.programs_file, loaded.ignored_columns),
    )


def phase(years: float) -> str:
    """early (2 years or more), mid (1 to 2), late (under 1), in_season (applications open)."""
    if years <= 0:
        return "in_season"
    if years < 1:
        return "late"
    return "mid" if years < 2 else "early"


RANK_DEADLINE_BEFORE_MATCH_DAY = 16  # Wednesday of the third week before Match Day (2027: Mar 3 for Mar 19)


def effective_rank_deadline(season: Season) -> tuple[dt.date, bool]:
    """The rank-list deadline, and whether it is expected rather than confirmed.

    Without a published date only a window is known; the sub-phases then use the usual
    distance from Match Day (16 days), and every page shows that date as expected.
    """
    deadline, match_day = season.rank_deadline, season.match_day
    if deadline.date is not None:
        return deadline.date, deadline.expected
    assert match_day.date is not None
    return match_day.date - dt.timedelta(days=RANK_DEADLINE_BEFORE_MATCH_DAY), True


def season_phase(as_of: dt.date, years: float, rank_deadline: dt.date, match_day: dt.date) -> str | None:
    """Inside the season: interviews (applications open), after_rank_deadline, match_week; else None.

    Match Week starts on the Monday of Match Day's week (the match-status notice).
    """
    if years > 0:
        return None
    if as_of >= match_week_start(match_day):
        return "match_week"
    return "after_rank_deadline" if as_of > rank_deadline else "interviews"


def match_week_start(match_day: dt.date) -> dt.date:
    """The Monday of Match Day's week: the match-status notice and the start of SOAP."""
    return match_day - dt.timedelta(days=match_day.weekday())


def is_scholarly(item: Research) -> bool:
    """Fits a type of ERAS Scholarly Work and has at least been submitted.

    Anything presented is a presentation, and an abstract is a journal abstract or a presentation to come.
    """
    if item.status not in SENT or item.kind == "other_article" or is_placeholder(item):
        return False
    if item.status == "presented" or item.kind in (*PRESENTATION_KINDS, "abstract"):
        return True
    return item.kind in PEER_REVIEWED_KINDS and item.is_peer_reviewed


def is_placeholder(item: Research) -> bool:
    return bool(PLACEHOLDER.search(item.title))


def would_count(item: Research) -> bool:
    """Whether the item fits ERAS Scholarly Work once done (never other_article or a placeholder)."""
    if item.kind == "other_article" or is_placeholder(item):
        return False
    return item.kind not in ("journal_article", "case_report") or item.is_peer_reviewed


def is_counted(item: Research) -> bool:
    """Done work that fits Scholarly Work (profile-format.md "research_tier").

    Journal articles and case reports (peer-reviewed) and book chapters: accepted or published;
    abstracts, posters and oral presentations: accepted, presented or published (an abstract
    printed in a journal supplement is done too); QI and educational projects: presented or
    published. Submitted items are pending, never counted.
    """
    if not would_count(item):
        return False
    if item.kind in PUBLICATIONS:
        return item.status in ("accepted", "published")
    if item.kind in PRESENTATIONS:
        return item.status in ("accepted", "presented", "published")
    return item.status in ("presented", "published")


def is_pending(item: Research) -> bool:
    """Submitted work that would count once accepted."""
    return item.status == "submitted" and would_count(item)


def research_counts(items: list[Research]) -> dict[str, int]:
    counted = [i for i in items if is_counted(i)]
    real = [i for i in items if not is_placeholder(i)]
    return {
        "counted": len(counted),
        "pending": sum(is_pending(i) for i in items),
        "not_counted": len(items) - len(counted),
        "other_work": sum(i.kind == "other_article" and not is_placeholder(i) for i in items),
        "placeholders": len(items) - len(real),
        "peer_reviewed_pubs": sum(
            i.kind in ("journal_article", "case_report") and i.is_peer_reviewed and i.status in ("accepted", "published")
            for i in counted
        ),
        "radiology": sum(i.radiology for i in counted),
        "radiology_presentations": sum(i.radiology and i.kind in PRESENTATIONS for i in counted),
        "lead_author": sum(i.author_position in (1, 2) for i in counted),
        "first_author": sum(i.author_position == 1 for i in counted),
        "us_based": sum(i.us_based for i in counted),
        "planned_radiology": sum(i.radiology for i in real),
        "in_progress": sum(i.status == "in_progress" for i in real),
        "primary": sum(i.primary and i.status in ("planned", "in_progress") for i in real),
        "total": len(real),
    }


def research_focus(items: list[Research]) -> dict[str, list[str]] | None:
    """For the overcommitted (more than 2 open primary projects or more than 5 in progress):
    which open items to keep leading (2), which to keep helping on (3), which to pause.

    Open items are planned or in progress; the most advanced come first, then radiology, then
    the ones where you are first or second author, then the order of the profile.
    """
    counts = research_counts(items)
    if counts["primary"] <= 2 and counts["in_progress"] <= 5:
        return None
    open_items = [i for i in items if i.status in ("planned", "in_progress") and not is_placeholder(i)]
    ranked = sorted(open_items, key=lambda i: (-STATUS_RANK[i.status], not i.radiology, i.author_position not in (1, 2)))
    lead = [i for i in ranked if i.primary][:2]
    helping = [i for i in ranked if i not in lead and not i.primary][:3]
    return {
        "lead": [i.title for i in lead],
        "help": [i.title for i in helping],
        "pause": [i.title for i in ranked if i not in lead and i not in helping],
    }


def research_tier(counts: dict[str, int]) -> str:
    reached = "none"
    for tier in TIERS:
        if all(counts[key] >= minimum for key, minimum in tier.items() if key != "name"):
            reached = tier["name"]
    return reached


def _next(tier: str) -> str | None:
    names = ["none"] + [t["name"] for t in TIERS]
    index = names.index(tier)
    return names[index + 1] if index + 1 < len(names) else None


def tier_gap(counts: dict[str, int], next_tier: str | None) -> dict[str, int]:
    """How many more of each count the next tier needs (only the counts that fall short)."""
    if next_tier is None:
        return {}
    (tier,) = (t for t in TIERS if t["name"] == next_tier)
    return {key: minimum - counts[key] for key, minimum in tier.items() if key != "name" and counts[key] < minimum}


def item_lists(profile: Profile, as_of: dt.date, eras_open: bool, asking_closed: bool) -> dict[str, list[dict[str, Any]]]:
    """The profile's lists as plain items with a slug and derived extras, for templates.

    Letter lists follow the letter model: follow-up emails and packets go to usable writers;
    reminders (21 days or more after asking, not uploaded) only once the applicant's ERAS
    season is open and before the rank-list deadline, and only to usable writers or to a
    potential writer who has not answered yet.
    """
    letter_items = []
    for x in profile.letters:
        kind, reason = letters.usability(x, as_of)
        letter_items.append(
            {
                **x.model_dump(),
                "active": x.status != "declined",
                "usability": kind,
                "reason": reason,
                "salutation": letters.salutation(x.writer),
                "days_since_asked": (as_of - x.asked_on).days if x.asked_on else None,
                "days_since_worked": (as_of - x.last_worked).days if x.last_worked else None,
            }
        )
    research = [
        {
            **x.model_dump(),
            "peer_reviewed": x.is_peer_reviewed,
            "counted": is_counted(x),
            "pending": is_pending(x),
            "placeholder": is_placeholder(x),
            "scholarly": is_scholarly(x),
        }
        for x in profile.research
    ]
    experience = [{**x.model_dump(), "end_date": x.end_date} for x in profile.experience]
    visa = profile.applicant.visa_path
    programs = [{**x.model_dump(), "visa_ok": _visa_ok(x.sponsors, visa), "takes": _takes(x.sponsors)} for x in profile.programs]
    lists = {
        "letters": _slugged(letter_items, "writer"),
        "research": _slugged(research, "title"),
        "contacts": _slugged([x.model_dump() for x in profile.contacts], "name"),
        "programs": _slugged(programs, "name"),
        "experience": _slugged(experience, "institution"),
    }
    lists["active_letters"] = [x for x in lists["letters"] if x["active"]]
    lists["usable_letters"] = [x for x in lists["letters"] if x["usability"] == "usable"]
    lists["asked_letters"] = lists["usable_letters"]
    lists["to_ask_letters"] = [x for x in lists["letters"] if x["usability"] == "potential" and x["status"] == "not_asked"]
    lists["reminder_letters"] = [
        x
        for x in lists["letters"]
        if eras_open
        and not asking_closed
        and x["status"] in ("asked", "agreed")
        and x["usability"] in ("usable", "potential")
        and x["days_since_asked"] >= REMINDER_DAYS
    ]
    for program in lists["programs"]:
        chosen = [] if program["visa_ok"] is False else letters.letter_set(program, lists["usable_letters"])
        program["letter_set"] = [{"writer": x["writer"], "slug": x["slug"], "tag": letters.tag(x)} for x in chosen]
    lists["counted_research"] = [x for x in lists["research"] if x["counted"]]
    lists["prep_cards"] = sorted(lists["counted_research"], key=_strongest)[:3]
    lists["scholarly_work"] = [x for x in lists["research"] if x["scholarly"]]
    lists["starred_work"] = sorted(lists["scholarly_work"], key=_strongest)[:STARRED]
    lists["experience_research"] = [x for x in lists["research"] if x["status"] != "planned" and not x["scholarly"]]
    lists["upcoming_rotations"] = [x for x in lists["experience"] if x["start"] > as_of]
    return lists


def _strongest(item: dict[str, Any]) -> tuple[bool, bool, int]:
    """Sort key: imaging work first, then first-author work, then the most advanced status."""
    return (not item["radiology"], item["author_position"] != 1, -STATUS_RANK[item["status"]])


def _visa_ok(sponsors: Sequence[str] | None, visa: str) -> bool | None:
    """Whether a program can take the applicant's visa; None when unknown or not needed.

    An undecided applicant can go either way, so only a program that takes no visa at all
    (`sponsors: []`) cannot take them.
    """
    if sponsors is None or visa == "none":
        return None
    if visa == "undecided":
        return bool(sponsors)
    return visa in sponsors


def _takes(sponsors: Sequence[str] | None) -> str:
    """What the program table shows: j1, h1b, both, none or unknown."""
    if sponsors is None:
        return "unknown"
    if not sponsors:
        return "none"
    return "both" if set(sponsors) == {"j1", "h1b"} else sponsors[0]


def _slugged(items: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    seen: dict[str, int] = {}
    for index, item in enumerate(items, 1):
        base = slugify(str(item[key])) or f"item-{index}"
        seen[base] = seen.get(base, 0) + 1
        item["slug"] = base if seen[base] == 1 else f"{base}-{seen[base]}"
    return items


def years_before(day: dt.date, years: int) -> dt.date:
    """The same calendar day `years` earlier (28 February for 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def slugify(text: str) -> str:
    """ASCII, lower case, words joined by hyphens: 'Dr. José Núñez' -> 'dr-jose-nunez'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-")
