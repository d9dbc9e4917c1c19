"""Lints of the ERAS application: what the profile shows against the limits of its sections.

Which research goes to Scholarly Work and which under Experiences is decided once, in the
assessment's lists (`scholarly_work`, `starred_work`, `experience_research`); the rules and the
"Your ERAS application" page both read them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from generator.assess import Assessment
from generator.models import Profile

Hit = tuple[str, str | None, dict[str, Any]]


def before_certifying(a: Assessment) -> bool:
    """The application can still change: the year before applications open, or in season before programs review."""
    review = a.season.review_begins.date or a.application_date
    return a.phase == "late" or (a.phase == "in_season" and a.as_of < review)


def description_length(item: dict[str, Any]) -> int:
    """The characters of the notes that would become an experience description."""
    return len(" ".join(item[key] for key in ("objective", "methods", "findings") if item[key]))


def lints(p: Profile, a: Assessment, facts: dict[str, Any]) -> Iterator[Hit]:
    if not before_certifying(a):
        return
    most, others = facts["eras_max_experiences"].value, a.lists["experience_research"]
    if len(p.experience) > most:
        yield "APP-TOO-MANY-EXPERIENCES", None, {"count": len(p.experience), "max": most}
    elif len(p.experience) + len(others) > most:
        research = f"{len(others)} research {'item' if len(others) == 1 else 'items'}"
        yield "APP-EXPERIENCES-CROWDED", None, {"count": len(p.experience), "research": research, "max": most}
    limit = facts["eras_experience_chars"].value
    for item in others:
        length = description_length(item)
        if length > limit:
            yield "APP-DESCRIPTION-LONG", item["title"], {"chars": length, "max": limit}
    if p.research and not a.lists["scholarly_work"]:
        yield "APP-NO-SCHOLARLY", None, {}
