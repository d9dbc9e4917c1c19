"""Numbers, dates and lists as people write them."""

from __future__ import annotations

import datetime as dt

from generator.words import duration, human_date, join_words, plural


def test_one_date_style() -> None:
    assert human_date(dt.date(2026, 10, 5)) == "5 October 2026"


def test_plurals() -> None:
    assert [plural(n, "writer") for n in (0, 1, 2)] == ["0 writers", "1 writer", "2 writers"]
    assert plural(2, "entry", "entries") == "2 entries"


def test_durations_in_years_and_months() -> None:
    assert [duration(m) for m in (0, 1, 9, 12, 21, 24, -3)] == [
        "0 months",
        "1 month",
        "9 months",
        "1 year",
        "1 year and 9 months",
        "2 years",
        "0 months",
    ]


def test_lists_in_words() -> None:
    assert [join_words(x) for x in ([], ["Python"], ["Python", "R"], ["Python", "R", "Excel"])] == [
        "",
        "Python",
        "Python and R",
        "Python, R and Excel",
    ]
