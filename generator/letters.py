"""The letter model of profile-format.md: which writers are usable, potential or not usable, and why.

Computed once in the assessment; findings, the mix table, emails, packets, reminders, the
timeline and the program letter sets all read it and never decide usability again.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from generator.models import Letter, Profile

MIN_WEEKS = 2  # the guides say ask after 2-4 weeks of supervision
REASONS = ("declined", "non_physician", "brief", "lukewarm", "stale")
GROUP_KEYS = ("count", "us_based", "radiology", "non_radiology_clinical", "research")
_TITLES = {"dr": "Dr.", "dr.": "Dr.", "doctor": "Dr.", "prof": "Professor", "prof.": "Professor", "professor": "Professor"}
_CREDENTIALS = re.compile(r"^(md|do|phd|mbbs|mbchb|frcr|facr|frcpc|mph|ms|msc|mba|bs|dmrd|fellow)\.?$", re.IGNORECASE)
_PARTICLES = {
    "de",
    "del",
    "della",
    "der",
    "den",
    "di",
    "da",
    "do",
    "dos",
    "das",
    "du",
    "la",
    "le",
    "van",
    "von",
    "ter",
    "bin",
    "al",
    "el",
}


def usability(letter: Letter, as_of: dt.date) -> tuple[str, str | None]:
    """("usable" | "potential" | "not_usable", the reason when not usable).

    One reason per writer, the first that applies in this order: declined, non_physician,
    brief (under 2 weeks together; omitted weeks count as enough), lukewarm (answered standard
    or hesitant), stale (not asked or no answer yet, and the work ended 12 months or more ago).
    Usable: agreed, uploaded, or asked with the answer strong. Potential: not asked, or asked
    with no answer, and the work ended less than 12 months ago (or its end is not given).
    """
    if letter.status == "declined":
        return "not_usable", "declined"
    if not letter.physician:
        return "not_usable", "non_physician"
    if letter.weeks_worked is not None and letter.weeks_worked < MIN_WEEKS:
        return "not_usable", "brief"
    if letter.response in ("standard", "hesitant"):
        return "not_usable", "lukewarm"
    if letter.status in ("agreed", "uploaded") or (letter.status == "asked" and letter.response == "strong"):
        return "usable", None
    if letter.last_worked is not None and letter.last_worked <= _year_before(as_of):
        return "not_usable", "stale"
    return "potential", None


def model(profile: Profile, as_of: dt.date) -> dict[str, Any]:
    """`letters` of the assessment: active counts, and the usable, potential and not-usable writers."""
    active = [x for x in profile.letters if x.status != "declined"]
    judged = [(x, *usability(x, as_of)) for x in profile.letters]
    return {
        "total": len(active),
        **_counts(active),
        "usable": _group([x for x, kind, _ in judged if kind == "usable"]),
        "potential": _group([x for x, kind, _ in judged if kind == "potential"]),
        "not_usable": [{"writer": x.writer, "reason": reason} for x, kind, reason in judged if kind == "not_usable"],
    }


def _group(letters: Sequence[Letter]) -> dict[str, Any]:
    return {"count": len(letters), **_counts(letters), "writers": [x.writer for x in letters]}


def _counts(letters: Sequence[Letter]) -> dict[str, int]:
    """How many of these letters come from the US, from radiology, from other clinical work, from research."""
    return {
        "us_based": sum(x.us_based for x in letters),
        "radiology": sum(x.specialty == "radiology" for x in letters),
        "non_radiology_clinical": sum(x.specialty != "radiology" and x.basis == "clinical" for x in letters),
        "research": sum(x.basis == "research" for x in letters),
    }


def _year_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def salutation(name: str) -> str:
    """What follows "Dear": "Dr. Jane Smith" -> "Dr. Smith"; no title -> the name as written.

    Credentials after a comma or at the end ("MD", "PhD") are dropped. The surname is the last
    word with any particles before it ("van der Berg"); after a title, four or more name words
    are read as given names plus two surnames ("Prof. Ana María García López" -> "Professor
    García López").
    """
    words = name.split(",")[0].split()
    while len(words) > 1 and _CREDENTIALS.match(words[-1]):
        words.pop()
    if not words:
        return name.strip()
    title = _TITLES.get(words[0].lower())
    if title is None or len(words) == 1:
        return " ".join(words)
    rest = words[1:]
    if len(rest) == 1:
        return f"{title} {rest[0]}"
    start = len(rest) - 2 if len(rest) >= 4 else len(rest) - 1
    while start > 1 and rest[start - 1].lower() in _PARTICLES:
        start -= 1
    return f"{title} {' '.join(rest[start:])}"


def letter_set(program: dict[str, Any], usable: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The usable letters to assign to one program, in order, at most its `letters_wanted` (3 or 4).

    Research-heavy programs: research letters first, then clinical; community programs:
    clinical first, then research; other programs: one group. Within a group radiologists come
    first (whatever the basis), then US-based writers, then the most recent work.
    """
    groups: list[tuple[str, ...]]
    if program["research_heavy"]:
        groups = [("research",), ("clinical",)]
    elif program["setting"] == "community":
        groups = [("clinical",), ("research",)]
    else:
        groups = [("clinical", "research")]
    ordered = []
    for group in groups:
        members = [x for x in usable if x["basis"] in group]
        ordered += sorted(members, key=_within_group)
    return ordered[: program["letters_wanted"]]


def _within_group(x: dict[str, Any]) -> tuple[bool, bool, int]:
    recent = -(x["last_worked"].toordinal()) if x["last_worked"] else 0
    return (x["specialty"] != "radiology", not x["us_based"], recent)


def tag(x: dict[str, Any]) -> str:
    """How the program table names a letter: research, radiology or clinical."""
    if x["basis"] == "research":
        return "research"
    return "radiology" if x["specialty"] == "radiology" else "clinical"
