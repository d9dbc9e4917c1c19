from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.assess import phase, research_counts, research_tier, slugify, tier_gap
from generator.build import CONTENT
from generator.cycles import nth_weekday, season
from generator.errors import InputError
from generator.models import Research
from tests.helpers import checked, data, item


@pytest.mark.parametrize(
    ("years", "expected"),
    [
        (2.01, "early"),
        (2.0, "early"),
        (1.99, "mid"),
        (1.01, "mid"),
        (1.0, "mid"),
        (0.99, "late"),
        (0.01, "late"),
        (0.0, "in_season"),
        (-0.5, "in_season"),
    ],
)
def test_phase_boundaries(years: float, expected: str) -> None:
    assert phase(years) == expected


def _counts(*items: dict[str, object]) -> dict[str, int]:
    return research_counts([Research.model_validate(i) for i in items])


def test_only_done_scholarly_work_counts_and_submitted_is_pending() -> None:
    counts = _counts(item(status="planned"), item(status="in_progress"), item(status="submitted"), item(status="accepted"))
    assert (counts["counted"], counts["pending"], counts["total"], counts["in_progress"]) == (1, 1, 4, 1)


@pytest.mark.parametrize(
    ("fields", "counted"),
    [
        ({"kind": "abstract", "status": "submitted"}, False),
        ({"kind": "abstract", "status": "accepted"}, True),
        ({"kind": "poster", "status": "presented"}, True),
        ({"kind": "other_article", "status": "published"}, False),  # a blog post is other work
        ({"kind": "qi_project", "status": "in_progress"}, False),
        ({"kind": "qi_project", "status": "accepted"}, False),
        ({"kind": "qi_project", "status": "presented"}, True),
        ({"kind": "educational_project", "status": "published"}, True),
        ({"kind": "journal_article", "status": "published", "peer_reviewed": False}, False),
        ({"kind": "book_chapter", "status": "accepted"}, True),
        ({"title": "Publication 1 (edit the title)", "status": "published"}, False),  # an init placeholder
    ],
)
def test_what_counts_follows_scholarly_work(fields: dict[str, object], counted: bool) -> None:
    assert _counts(item(**fields))["counted"] == int(counted)


def test_placeholders_are_reported_apart() -> None:
    counts = _counts(item("Publication 1 (edit the title)"), item("Poster 2 (edit the title)", kind="poster", status="presented"))
    assert (counts["placeholders"], counts["total"], counts["counted"]) == (2, 0, 0)


def test_peer_reviewed_publication_needs_acceptance() -> None:
    assert _counts(item(status="submitted"))["peer_reviewed_pubs"] == 0
    assert _counts(item(status="accepted"))["peer_reviewed_pubs"] == 1
    assert _counts(item(status="published", peer_reviewed=False))["peer_reviewed_pubs"] == 0
    assert _counts(item(kind="abstract", status="published"))["peer_reviewed_pubs"] == 0


def _poster(n: int, **fields: object) -> dict[str, object]:
    return item(f"poster {n}", kind="poster", status="presented", **fields)


@pytest.mark.parametrize(
    ("items", "tier"),
    [
        ([], "none"),
        ([item(status="planned")], "none"),
        ([_poster(1, radiology=False)], "minimal"),
        # solid: 3 counted, 1 radiology, 1 peer-reviewed publication; one short of each stays minimal
        ([item(), _poster(2, radiology=False), _poster(3, radiology=False)], "solid"),
        ([item(), _poster(2, radiology=False)], "minimal"),
        ([item(radiology=False), _poster(2, radiology=False), _poster(3, radiology=False)], "minimal"),
        ([item(status="submitted"), _poster(2), _poster(3)], "minimal"),
        # strong: 6 counted, 2 publications, 2 radiology presentations, 1 first/second author
        ([item(author_position=2), item("b"), _poster(1), _poster(2), _poster(3), _poster(4)], "strong"),
        ([item(author_position=3), item("b"), _poster(1), _poster(2), _poster(3), _poster(4)], "solid"),
        ([item(author_position=1), item("b"), _poster(1), _poster(2), _poster(3)], "solid"),
        ([item(author_position=1), item("b", status="submitted"), _poster(1), _poster(2), _poster(3), _poster(4)], "solid"),
        (
            [
                item(author_position=1),
                item("b"),
                _poster(1),
                _poster(2, radiology=False),
                _poster(3, radiology=False),
                _poster(4, radiology=False),
            ],
            "solid",
        ),
    ],
)
def test_research_tier_thresholds(items: list[dict[str, object]], tier: str) -> None:
    assert research_tier(_counts(*items)) == tier


def test_tier_gap_names_only_what_is_short() -> None:
    counts = _counts(item(), _poster(1))
    assert tier_gap(counts, "solid") == {"counted": 1}
    assert tier_gap(counts, None) == {}
    assert tier_gap(_counts(), "minimal") == {"counted": 1}


def test_third_friday_of_march() -> None:
    assert nth_weekday(2027, 3, 4, 3) == dt.date(2027, 3, 19)
    assert nth_weekday(2026, 3, 4, 3) == dt.date(2026, 3, 20)
    assert nth_weekday(2028, 3, 4, 3) == dt.date(2028, 3, 17)


def test_published_dates_win_over_patterns() -> None:
    s2026, s2027, s2028 = (season(data().cycles, year) for year in (2026, 2027, 2028))
    assert (s2026.match_day.date, s2026.match_day.status, s2026.match_day.expected) == (dt.date(2026, 3, 20), "confirmed", False)
    assert (s2028.applications_open.date, s2028.applications_open.status) == (dt.date(2027, 9, 1), "expected")
    assert s2028.review_begins.date == dt.date(2027, 9, 22)
    assert (s2028.rank_deadline.date, s2028.rank_deadline.status) == (dt.date(2028, 3, 1), "expected")
    reported = {key: (d.date, d.status) for key, d in s2027.dates.items() if d.status != "confirmed"}
    assert reported == {
        "applications_open": (dt.date(2026, 9, 2), "reported"),
        "review_begins": (dt.date(2026, 9, 23), "reported"),
        "rank_deadline": (dt.date(2027, 3, 3), "reported"),
    }
    assert (s2027.match_day.date, s2027.match_day.confidence) == (dt.date(2027, 3, 19), "medium")


def test_the_stale_2026_nrmp_values_are_gone() -> None:
    """The 2026 rank-list deadline was taken from a page showing the 2015 calendar (domain-facts 9.0)."""
    s2026 = season(data().cycles, 2026)
    assert (s2026.rank_deadline.date, s2026.rank_deadline.status) == (dt.date(2026, 3, 4), "expected")
    text = (CONTENT / "data" / "cycles.yaml").read_text()
    assert "2026-02-25" not in text and "http://" not in text and "wikipedia" not in text
    assert s2026.match_day.label == "Match Day: results released at 12:00 p.m. ET"


def test_every_published_date_and_fact_carries_its_source() -> None:
    for dates in data().cycles.dates.values():
        for d in dates.values():
            assert d.source and d.confidence in ("high", "medium", "low") and d.verified_on
    for fact in data().facts.values():
        assert fact.source and fact.verify.startswith("https://") and fact.verified_on


def test_derived_values(tmp_path: Path) -> None:
    result = checked(
        tmp_path,
        goal={"match_year": 2028},
        letters=[
            {"writer": "A", "specialty": "radiology", "us_based": True},
            {"writer": "B", "specialty": "surgery", "us_based": False},
            {"writer": "C", "specialty": "oncology", "us_based": True, "basis": "research"},
            {"writer": "D", "specialty": "radiology", "us_based": True, "status": "declined", "asked_on": "2026-10-01"},
        ],
    )
    a = result.assessment
    assert a.application_date == dt.date(2027, 9, 1)
    assert a.years_to_application == round((dt.date(2027, 9, 1) - dt.date(2026, 11, 23)).days / 365.25, 2) == 0.77
    assert a.phase == "late"
    group = {"us_based": 2, "radiology": 1, "non_radiology_clinical": 1, "research": 1}
    assert a.letters == {
        "total": 3,
        **group,
        "usable": {"count": 0, "us_based": 0, "radiology": 0, "non_radiology_clinical": 0, "research": 0, "writers": []},
        "potential": {"count": 3, **group, "writers": ["A", "B", "C"]},
        "not_usable": [{"writer": "D", "reason": "declined"}],
    }


@pytest.mark.parametrize(
    ("fields", "kind", "reason"),
    [
        ({}, "potential", None),
        ({"status": "agreed", "asked_on": "2026-11-01"}, "usable", None),
        ({"status": "uploaded", "asked_on": "2026-11-01"}, "usable", None),
        ({"status": "asked", "asked_on": "2026-11-01", "response": "strong"}, "usable", None),
        ({"status": "asked", "asked_on": "2026-11-01"}, "potential", None),
        ({"status": "agreed", "asked_on": "2026-11-01", "weeks_worked": 1.9}, "not_usable", "brief"),
        ({"status": "agreed", "asked_on": "2026-11-01", "weeks_worked": 2}, "usable", None),
        ({"status": "agreed", "asked_on": "2026-11-01", "physician": False}, "not_usable", "non_physician"),
        ({"status": "uploaded", "asked_on": "2026-11-01", "response": "standard"}, "not_usable", "lukewarm"),
        ({"status": "asked", "asked_on": "2026-11-01", "response": "hesitant"}, "not_usable", "lukewarm"),
        ({"status": "declined", "asked_on": "2026-11-01"}, "not_usable", "declined"),
        ({"last_worked": "2025-11-24"}, "potential", None),
        ({"last_worked": "2025-11-23"}, "not_usable", "stale"),
        ({"status": "agreed", "asked_on": "2026-11-01", "last_worked": "2023-01-01"}, "usable", None),
    ],
)
def test_letter_usability(tmp_path: Path, fields: dict[str, object], kind: str, reason: str | None) -> None:
    letter = {"writer": "Dr. X", "specialty": "radiology", "us_based": True, **fields}
    (x,) = checked(tmp_path, letters=[letter]).assessment.lists["letters"]
    assert (x["usability"], x["reason"]) == (kind, reason)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Dr. Jane Smith", "Dr. Smith"),
        ("Dr Jane Smith", "Dr. Smith"),
        ("Jane Smith", "Jane Smith"),
        ("Dr. Jane Smith, MD", "Dr. Smith"),
        ("Dr. R. Subramanian", "Dr. Subramanian"),
        ("Prof. Ana María García López", "Professor García López"),
        ("Dr. Hans van der Berg", "Dr. van der Berg"),
        ("Dr. Martín Ruiz", "Dr. Ruiz"),
        ("Dr. Smith", "Dr. Smith"),
    ],
)
def test_salutation(name: str, expected: str) -> None:
    from generator.letters import salutation

    assert salutation(name) == expected


def test_rotations_not_started_are_not_us_experience(tmp_path: Path) -> None:
    future = {
        "kind": "observership",
        "specialty": "radiology",
        "institution": "X",
        "country": "US",
        "start": "2027-01-04",
        "weeks": 4,
    }
    assert checked(tmp_path, experience=[future]).assessment.has_us_experience is False
    ongoing = {**future, "start": "2026-11-09"}
    assert checked(tmp_path, experience=[ongoing]).assessment.has_us_experience is True


def test_match_day_already_past_is_a_profile_error(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        checked(tmp_path, goal={"match_year": 2026})
    assert str(info.value).endswith(
        "profile.yaml:11: goal.match_year: found 2026, whose Match Day (2026-03-20) is already past on 2026-11-23; "
        "use the year of your next Match Day"
    )


def test_a_match_year_ten_years_ahead_builds_with_expected_dates(tmp_path: Path) -> None:
    a = checked(tmp_path, goal={"match_year": 2036}).assessment
    assert (a.application_date, a.application_date_expected, a.match_day) == (dt.date(2035, 9, 5), True, dt.date(2036, 3, 21))
    assert all(d.status == "expected" for d in a.season.dates.values())
    assert (a.rank_deadline, a.rank_deadline_expected) == (dt.date(2036, 3, 5), True)


def test_a_match_year_more_than_ten_years_ahead_is_a_profile_error(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        checked(tmp_path, goal={"match_year": 2037})
    assert str(info.value).endswith(
        "goal.match_year: found 2037; the handbook plans Match years up to 2036 (10 years after 2026-11-23)"
    )


def test_today_overrides_as_of(tmp_path: Path) -> None:
    assert checked(tmp_path, dt.date(2027, 1, 1)).assessment.as_of == dt.date(2027, 1, 1)
    assert checked(tmp_path).assessment.as_of == dt.date(2026, 11, 23)
    assert checked(tmp_path, as_of=None).assessment.as_of == dt.date.today()


def test_slugs_are_ascii_and_unique(tmp_path: Path) -> None:
    assert slugify("Dr. José Núñez") == "dr-jose-nunez"
    result = checked(
        tmp_path,
        letters=[
            {"writer": "Dr. A", "specialty": "radiology", "us_based": True},
            {"writer": "Dr A", "specialty": "radiology", "us_based": True},
        ],
    )
    assert [x["slug"] for x in result.assessment.lists["letters"]] == ["dr-a", "dr-a-2"]
