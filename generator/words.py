"""Numbers, dates and lists as people write them (no Jinja: `check` uses these too)."""

from __future__ import annotations

import datetime as dt
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
