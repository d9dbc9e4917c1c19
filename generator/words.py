"""Numbers, dates and lists as people write them (no Jinja: `check` uses these too)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable


def human_date(day: dt.date) -> str:
    """The one date style of the handbook: '15 October 2026'."""
    return f"{day.day} {day:%B %Y}"


def plural(count: int, word: str, many: str | None = None) -> str:
    """'1 writer', '2 writers', '0 writers' (or the given plural form)."""
    return f"{count} {word if count == 1 else many or word + 's'}"


def duration(months: int) -> str:
    """Months as years and months: '9 months', '1 year', '2 years and 3 months'."""
    years, rest = divmod(max(0, months), 12)
    parts = [plural(years, "year")] if years else []
    if rest or not years:
        parts.append(plural(rest, "month"))
    return " and ".join(parts)


def join_words(items: Iterable[str], last: str = "and") -> str:
    """'Python', 'Python and R', 'Python, R and Excel'."""
    words = [w for w in items if w]
    if len(words) < 2:
        return "".join(words)
    return f"{', '.join(words[:-1])} {last} {words[-1]}"


TITLES = ("dr", "prof", "professor", "mr", "mrs", "ms", "mx")
CREDENTIALS = re.compile(r"[A-Z][A-Za-z.]{0,7}(?:,?\s*[A-Z][A-Za-z.]{0,7})*")  # "MD", "MD, PhD", "FRCR"


def salutation(name: str) -> str:
    """How a letter greets someone: 'Dr. Helen Park' -> 'Dr. Park'; a name without a title stays whole."""
    base, comma, rest = name.partition(",")
    words = (base if comma and CREDENTIALS.fullmatch(rest.strip()) else name).split()
    if len(words) > 2 and words[0].rstrip(".").lower() in TITLES:
        return f"{words[0]} {words[-1]}"
    return " ".join(words)


DETERMINERS = {"the", "a", "an", "my", "our", "your", "his", "her", "their", "this", "that", "these", "those"}
DETERMINERS |= {"one", "two", "three", "four", "five", "six", "several", "many", "some", "each", "every", "all"}


def with_article(text: str) -> str:
    """A noun phrase as it reads after a preposition: 'surgery clerkship' -> 'the surgery clerkship'.

    The applicant's own words are kept; 'the' is added only when they start without a determiner or a number.
    """
    words = text.split()
    if not words or words[0].lower() in DETERMINERS or words[0][:1].isdigit():
        return text
    return f"the {text}"
