"""Each program's stated requirements against the profile, the grouping, signals, the PGY-1 year and the cost."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from generator import fees
from generator.fit import ProgramFit, ProgramList, suggest_signals
from tests.helpers import checked, codes, data

J1 = {"citizenship": "non_us", "visa": "j1", "graduation_year": 2024}
EXAMS = {"usmle_step1": "pass", "usmle_step2_ck": 236}
US_ROTATION = {"kind": "observership", "specialty": "radiology", "institution": "Lakeside", "country": "US"}


def program(name: str = "North", **fields: Any) -> dict[str, Any]:
    return {"name": name, **fields}


def fit_of(tmp_path: Path, programs: list[dict[str, Any]], **sections: Any) -> ProgramList:
    sections.setdefault("applicant", J1)
    sections.setdefault("exams", EXAMS)
    sections.setdefault("goal", {"match_year": 2028})
    return checked(tmp_path, programs=programs, **sections).assessment.program_list


def rows(fit: ProgramFit) -> list[tuple[str, str, str, str]]:
    return [(c.requirement, c.stated, c.yours, c.status) for c in fit.checks]


def program_codes(tmp_path: Path, programs: list[dict[str, Any]], **sections: Any) -> list[tuple[str, str | None]]:
    sections.setdefault("applicant", J1)
    sections.setdefault("exams", EXAMS)
    sections.setdefault("goal", {"match_year": 2028})
    found = codes(checked(tmp_path, programs=programs, **sections))
    return [(code, subject) for code, subject in found if code.startswith("PROG-")]


def test_a_row_per_requirement_met(tmp_path: Path) -> None:
    stated = program(sponsors=["j1"], min_step2_ck=230, max_years_since_graduation=4, usce_required=True)
    (fit,) = fit_of(tmp_path, [stated], experience=[{**US_ROTATION, "start": "2026-06-01", "weeks": 4}]).programs
    assert rows(fit) == [
        ("Step 2 CK score", "230 or more", "236", "met"),
        ("Years since graduation", "at most 4 years before the Match year", "4 years (2024 to the 2028 Match)", "met"),
        ("US clinical experience", "required", "observership at Lakeside, started 1 June 2026", "met"),
        ("Visa", "sponsors J-1", "J-1", "met"),
    ]
    assert fit.group == "fits"


def test_unknown_when_the_program_or_the_profile_is_silent(tmp_path: Path) -> None:
    (fit,) = fit_of(tmp_path, [program()], exams=None).programs
    assert rows(fit) == [
        ("Step 2 CK score", "not noted", "not in this handbook", "unknown"),
        ("Years since graduation", "not noted", "4 years (2024 to the 2028 Match)", "unknown"),
        ("US clinical experience", "not noted", "none completed or under way", "unknown"),
        ("Visa", "not noted", "J-1", "unknown"),
    ]
    assert fit.group == "unknowns"
    assert fit.unknowns == ["Step 2 CK score", "years since graduation", "US clinical experience", "visa"]


def test_a_us_citizen_has_no_visa_row(tmp_path: Path) -> None:
    (fit,) = fit_of(tmp_path, [program(sponsors=[])], applicant={"citizenship": "us"}).programs
    assert [c.key for c in fit.checks] == ["step2", "graduation", "usce"]


def test_step2_below_the_minimum(tmp_path: Path) -> None:
    stated = program(min_step2_ck=240, source="https://example.org/north", verified_on="2026-10-01")
    (fit,) = fit_of(tmp_path, [stated]).programs
    assert fit.group == "no_fit"
    assert fit.reasons == ["Step 2 CK score: 240 or more; yours: 236"]
    found = checked(tmp_path, applicant=J1, exams=EXAMS, goal={"match_year": 2028}, programs=[stated]).findings
    (below,) = [f for f in found if f.code == "PROG-STEP2-BELOW"]
    assert (below.severity, below.subject) == ("warning", "North")
    assert below.message == (
        "This program considers Step 2 CK scores of 240 or more (as stated at https://example.org/north, "
        "read on 1 October 2026), and yours is lower. Ask the program whether it makes exceptions before you "
        "pay for the application."
    )


def test_step2_unknown_while_a_minimum_is_stated_is_info(tmp_path: Path) -> None:
    found = program_codes(tmp_path, [program(min_step2_ck=240), program("South")], exams=None)
    assert ("PROG-STEP2-UNKNOWN", "North") in found
    assert ("PROG-STEP2-UNKNOWN", "South") not in found


@pytest.mark.parametrize(("limit", "fires"), [(4, False), (3, True)])
def test_years_since_graduation_over_the_limit(tmp_path: Path, limit: int, fires: bool) -> None:
    found = program_codes(tmp_path, [program(max_years_since_graduation=limit)])
    assert (("PROG-GRADUATION-LIMIT", "North") in found) is fires


@pytest.mark.parametrize(
    ("start", "expected", "status"),
    [
        ("2026-11-01", None, "met"),  # under way on 23 November 2026
        ("2027-02-01", "PROG-USCE-PLANNED", "unknown"),  # before applications open (1 September 2027)
        ("2027-10-01", "PROG-USCE-MISSING", "not_met"),  # after applications open: too late
    ],
)
def test_us_clinical_experience_required(tmp_path: Path, start: str, expected: str | None, status: str) -> None:
    experience = [{**US_ROTATION, "start": start, "weeks": 4}]
    (fit,) = fit_of(tmp_path, [program(usce_required=True)], experience=experience).programs
    assert fit.checks[2].status == status
    fired = {code for code, _ in program_codes(tmp_path, [program(usce_required=True)], experience=experience)}
    assert fired & {"PROG-USCE-PLANNED", "PROG-USCE-MISSING"} == ({expected} if expected else set())


def test_research_abroad_is_not_us_clinical_experience(tmp_path: Path) -> None:
    experience = [{**US_ROTATION, "kind": "research_position", "start": "2026-01-01", "weeks": 20}]
    found = program_codes(tmp_path, [program(usce_required=True)], experience=experience)
    assert ("PROG-USCE-MISSING", "North") in found


def test_visa_not_taken_reuses_the_sponsor_finding(tmp_path: Path) -> None:
    found = program_codes(tmp_path, [program(sponsors=["h1b"])])
    assert ("PROG-NO-SPONSOR", "North") in found
    (fit,) = fit_of(tmp_path, [program(sponsors=["h1b"])]).programs
    assert fit.group == "no_visa"
    assert fit.reasons == ["Visa: sponsors H-1B; yours: J-1"]


def test_undecided_visa_and_a_program_that_sponsors_none(tmp_path: Path) -> None:
    undecided = {**J1, "visa": "undecided"}
    found = program_codes(tmp_path, [program(sponsors=[]), program("South", sponsors=["h1b"])], applicant=undecided)
    assert ("PROG-SPONSORS-NONE", "North") in found
    assert ("PROG-SPONSORS-NONE", "South") not in found


def test_facts_older_than_a_year(tmp_path: Path) -> None:
    found = program_codes(tmp_path, [program(verified_on="2025-11-22"), program("South", verified_on="2025-11-23")])
    assert ("PROG-STALE", "North") in found
    assert ("PROG-STALE", "South") not in found


def test_grouping_keeps_the_applicants_order(tmp_path: Path) -> None:
    programs = [
        program("A", sponsors=["h1b"], min_step2_ck=250),
        program("B", sponsors=["j1"], min_step2_ck=200, max_years_since_graduation=5, usce_required=False),
        program("C", min_step2_ck=250),
        program("D"),
        program("E", sponsors=["j1", "h1b"], min_step2_ck=230, max_years_since_graduation=9, usce_required=False),
    ]
    groups = fit_of(tmp_path, programs).groups
    assert {name: [p.name for p in found] for name, found in groups.items()} == {
        "fits": ["B", "E"],
        "unknowns": ["D"],
        "no_fit": ["C"],
        "no_visa": ["A"],
    }


@pytest.mark.parametrize(
    ("tracks", "no_pgy1", "reminder"),
    [
        (["advanced"], True, False),
        (["advanced", "preliminary"], False, True),
        (["advanced", "transitional"], False, True),
        (["categorical"], False, False),
        (["preliminary"], False, False),
    ],
)
def test_the_pgy1_warning(tmp_path: Path, tracks: list[str], no_pgy1: bool, reminder: bool) -> None:
    programs = [program(f"P{i}", track=track) for i, track in enumerate(tracks)]
    found = {code for code, _ in program_codes(tmp_path, programs)}
    assert ("PROG-NO-PGY1" in found) is no_pgy1
    assert ("PROG-PRELIM-YEAR" in found) is reminder


def test_the_pgy1_warning_text(tmp_path: Path) -> None:
    found = checked(tmp_path, programs=[program("A"), program("B", track="categorical"), program("C")]).findings
    (warning,) = [f for f in found if f.code == "PROG-NO-PGY1"]
    assert warning.severity == "warning"
    assert warning.message == (
        "2 of your programs start at PGY-2 and your list has no preliminary or transitional program for the "
        "first year. Apply to some, or a match to an advanced program leaves you without a first year to start with."
    )


def test_signals_follow_the_list_order_and_skip_what_does_not_fit(tmp_path: Path) -> None:
    programs = [
        program("A", sponsors=["h1b"]),
        program("B"),
        program("C", min_step2_ck=250),
        program("Prelim", track="preliminary"),
        program("D", track="categorical"),
        program("E"),
        program("F"),
    ]
    plan = suggest_signals(fit_of(tmp_path, programs), gold=2, silver=1)
    assert [(s.program.name, s.suggested) for s in plan] == [
        ("A", "none"),
        ("B", "gold"),
        ("C", "none"),
        ("D", "gold"),
        ("E", "silver"),
        ("F", "none"),
    ]


@pytest.mark.parametrize(("count", "cost"), [(0, 0), (1, 11), (30, 330), (31, 360), (43, 720)])
def test_fee_tiers(count: int, cost: int) -> None:
    table = fees.table(data().fees, 2027)
    assert not table.expected
    assert table.cost(count) == cost


def test_a_season_without_fees_uses_the_latest_marked_expected() -> None:
    table = fees.table(data().fees, 2030)
    assert (table.expected, table.fees.match_year, table.fees.verified_on) == (True, 2027, dt.date(2026, 12, 1))


def test_cost_per_specialty_and_the_saving(tmp_path: Path) -> None:
    programs = [program(f"DR{i}", sponsors=["j1"]) for i in range(31)]
    programs += [program(f"Out{i}", sponsors=["h1b"]) for i in range(2)]
    programs += [program(f"TY{i}", track="transitional") for i in range(3)]
    programs += [program("Prelim", track="preliminary", min_step2_ck=250)]
    result = fees.cost(fit_of(tmp_path, programs), fees.table(data().fees, 2028))
    assert [(x.specialty, x.programs, x.cost, x.without_no_fit, x.cost_without) for x in result.lines] == [
        ("Diagnostic radiology", 33, 30 * 11 + 3 * 30, 31, 30 * 11 + 30),
        ("Transitional year", 3, 33, 3, 33),
        ("Preliminary year", 1, 11, 0, 0),
    ]
    assert (result.total, result.total_without, result.saving, result.dropped) == (464, 393, 71, 3)


def test_check_json_reports_the_list_without_the_applicants_values(tmp_path: Path) -> None:
    stated = program(sponsors=["h1b"], min_step2_ck=230)
    summary = checked(tmp_path, applicant=J1, exams=EXAMS, programs=[stated]).assessment.summary()["programs"]
    assert summary["groups"] == {"fits": [], "unknowns": [], "no_fit": [], "no_visa": ["North"]}
    assert (summary["listed"], summary["no_fit"], summary["no_visa"], summary["needs_pgy1"]) == (1, 0, 1, True)
    assert summary["programs"][0]["checks"][0] == {"requirement": "step2", "stated": "230 or more", "status": "met"}
    assert "236" not in str(summary)


def test_after_the_rank_deadline_the_season_finding_takes_over(tmp_path: Path) -> None:
    found = program_codes(tmp_path, [program("A")], goal={"match_year": 2027}, as_of="2027-03-10")
    assert ("PROG-NO-PGY1", None) not in found
    assert ("SEASON-NO-PGY1", None) in codes(
        checked(tmp_path, applicant=J1, exams=EXAMS, goal={"match_year": 2027}, as_of="2027-03-10", programs=[program("A")])
    )
