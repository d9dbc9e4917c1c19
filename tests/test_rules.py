"""Every advice rule, firing and not firing (today is 2026-11-23 unless a test says otherwise)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.helpers import checked, codes, item, letter

THREE_GOOD = [letter("A"), letter("B"), letter("C", specialty="surgery")]


def fired(tmp_path: Path, **sections: Any) -> list[tuple[str, str | None]]:
    sections.setdefault("letters", THREE_GOOD)
    sections.setdefault("research", [item(us_based=True, author_position=1)])
    return codes(checked(tmp_path, **sections))


def test_a_well_rounded_profile_has_no_research_or_letter_findings(tmp_path: Path) -> None:
    assert fired(tmp_path) == []


@pytest.mark.parametrize(
    ("match_year", "research", "expected"),
    [
        (2028, [], True),
        (2028, [item()], True),
        (2028, [item(), item("b"), item("c", kind="poster")], False),
        (2029, [], False),
    ],
)
def test_late_with_little_research(tmp_path: Path, match_year: int, research: list[Any], expected: bool) -> None:
    found = ("PHASE-LATE-LOW-RESEARCH", None) in fired(tmp_path, goal={"match_year": match_year}, research=research)
    assert found is expected


@pytest.mark.parametrize(
    ("research", "expected"),
    [
        ([item(radiology=False)], True),
        ([item(radiology=False), item("plan", radiology=True, status="planned")], False),
    ],
)
def test_no_radiology_item(tmp_path: Path, research: list[Any], expected: bool) -> None:
    assert (("RES-NO-RADIOLOGY", None) in fired(tmp_path, research=research)) is expected


@pytest.mark.parametrize(
    ("research", "expected"),
    [
        ([item(str(i), status="in_progress", primary=i < 2) for i in range(5)], False),
        ([item(str(i), status="in_progress", primary=i < 3) for i in range(5)], True),
        ([item(str(i), status="in_progress") for i in range(6)], True),
    ],
)
def test_overcommitted(tmp_path: Path, research: list[Any], expected: bool) -> None:
    assert any(c == "RES-OVERCOMMITTED" for c, _ in fired(tmp_path, research=research)) is expected


def test_lead_author(tmp_path: Path) -> None:
    assert ("RES-NO-LEAD-AUTHOR", None) in fired(tmp_path, research=[item(author_position=3, us_based=True)])
    assert ("RES-NO-LEAD-AUTHOR", None) not in fired(tmp_path, research=[item(author_position=2, us_based=True)])
    in_season = fired(tmp_path, goal={"match_year": 2027}, research=[item(author_position=3, us_based=True)])
    assert ("RES-NO-LEAD-AUTHOR", None) not in in_season


def test_no_us_item(tmp_path: Path) -> None:
    assert ("RES-NO-US", None) in fired(tmp_path, research=[item(author_position=1)])
    assert ("RES-NO-US", None) not in fired(tmp_path, research=[item(author_position=1, us_based=True)])


def test_research_year_is_weighed_only_early_with_little_research(tmp_path: Path) -> None:
    assert ("RES-CONSIDER-YEAR", None) in fired(tmp_path, goal={"match_year": 2030})
    assert ("RES-CONSIDER-YEAR", None) not in fired(tmp_path, goal={"match_year": 2029})
    solid = [item("a", author_position=1, us_based=True), item("b"), item("c")]
    assert ("RES-CONSIDER-YEAR", None) not in fired(tmp_path, goal={"match_year": 2030}, research=solid)


def test_non_radiology_counted_item_names_the_item(tmp_path: Path) -> None:
    research = [
        item(us_based=True, author_position=1),
        item("Sepsis bundles", radiology=False),
        item("Planned", radiology=False, status="planned"),
    ]
    assert ("RES-NON-RADIOLOGY-ITEM", "Sepsis bundles") in fired(tmp_path, research=research)
    assert ("RES-NON-RADIOLOGY-ITEM", "Planned") not in fired(tmp_path, research=research)


@pytest.mark.parametrize(
    ("letters", "expected"),
    [
        ([], {"LOR-TOO-FEW", "LOR-FEW-US", "LOR-FEW-RADIOLOGY"}),
        ([letter("A"), letter("B")], {"LOR-TOO-FEW"}),
        ([letter("A"), letter("B"), letter("C", status="declined", asked_on="2026-10-01")], {"LOR-TOO-FEW"}),
        ([letter("A"), letter("B", us_based=False), letter("C", us_based=False)], {"LOR-FEW-US"}),
        ([letter("A"), letter("B", specialty="surgery"), letter("C", specialty="surgery")], {"LOR-FEW-RADIOLOGY"}),
        ([letter(n) for n in "ABCDE"], {"LOR-TOO-MANY"}),
        ([letter(n) for n in "ABCD"], set()),
        ([letter(n, basis="research") for n in "ABC"], {"LOR-ALL-RESEARCH"}),
    ],
)
def test_letter_mix(tmp_path: Path, letters: list[Any], expected: set[str]) -> None:
    assert {c for c, _ in fired(tmp_path, letters=letters) if c.startswith("LOR")} == expected


def _writer_codes(tmp_path: Path, **fields: Any) -> set[str]:
    letters = [*THREE_GOOD, letter("Dr. Jane Smith", **fields)]
    return {c for c, s in fired(tmp_path, letters=letters) if s == "Dr. Jane Smith"}


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"weeks_worked": 0.5}, {"LOR-BRIEF"}),
        ({"weeks_worked": 1}, set()),
        ({"physician": False}, {"LOR-NON-PHYSICIAN"}),
        ({"status": "agreed", "asked_on": "2026-11-20", "response": "standard"}, {"LOR-LUKEWARM"}),
        ({"status": "agreed", "asked_on": "2026-11-20", "response": "hesitant"}, {"LOR-LUKEWARM"}),
        ({"status": "agreed", "asked_on": "2026-11-20", "response": "strong"}, set()),
        # 8 weeks = 56 days: on the 56th day not yet, on the 57th "ask soon"
        ({"last_worked": "2026-09-28"}, set()),
        ({"last_worked": "2026-09-27"}, {"LOR-ASK-SOON"}),
        ({"last_worked": "2026-09-27", "status": "asked", "asked_on": "2026-11-20"}, set()),
        # 21 days after asking: day 20 no reminder, day 21 a reminder; uploaded or declined never
        ({"status": "asked", "asked_on": "2026-11-03"}, set()),
        ({"status": "asked", "asked_on": "2026-11-02"}, {"LOR-REMIND"}),
        ({"status": "agreed", "asked_on": "2026-10-01"}, {"LOR-REMIND"}),
        ({"status": "uploaded", "asked_on": "2026-10-01"}, set()),
        ({"status": "declined", "asked_on": "2026-10-01", "weeks_worked": 0.5}, set()),
    ],
)
def test_writer_rules(tmp_path: Path, fields: dict[str, Any], expected: set[str]) -> None:
    assert _writer_codes(tmp_path, **fields) == expected


def test_old_letter_is_measured_from_the_application_date(tmp_path: Path) -> None:
    # match_year 2029: applications open 2028-09-06; two years before is 2026-09-06
    base = {"status": "asked", "asked_on": "2026-11-20"}
    assert _writer_codes(tmp_path, last_worked="2026-09-05", **base) == {"LOR-OLD"}
    assert _writer_codes(tmp_path, last_worked="2026-09-06", **base) == set()


def test_reminder_message_has_the_dates(tmp_path: Path) -> None:
    result = checked(tmp_path, letters=[*THREE_GOOD, letter("Dr. Jane Smith", status="asked", asked_on="2026-11-02")])
    (finding,) = (f for f in result.findings if f.code == "LOR-REMIND")
    assert finding.message == "You asked on 2026-11-02, 21 days ago, and the letter is not uploaded yet. Send the reminder email."
    assert finding.severity == "info"


NON_US = {"citizenship": "non_us"}


def _visa_codes(tmp_path: Path, visa: str, exams: dict[str, Any] | None = None, **sections: Any) -> set[str]:
    found = fired(tmp_path, applicant={**NON_US, "visa": visa}, exams=exams or {"ecfmg_certified": True}, **sections)
    return {c for c, _ in found if c.startswith(("VISA", "ECFMG", "PROG"))}


def test_visa_rules(tmp_path: Path) -> None:
    assert _visa_codes(tmp_path, "h1b") == {"VISA-H1B-STEP3"}
    assert _visa_codes(tmp_path, "h1b", {"ecfmg_certified": True, "usmle_step3": "pass"}) == set()
    assert _visa_codes(tmp_path, "undecided") == {"VISA-UNDECIDED"}
    assert _visa_codes(tmp_path, "j1") == set()
    assert _visa_codes(tmp_path, "j1", {"ecfmg_certified": False}) == {"ECFMG-NOT-CERTIFIED"}


def test_us_citizen_gets_no_visa_findings(tmp_path: Path) -> None:
    assert not [c for c, _ in fired(tmp_path, exams={"ecfmg_certified": False}) if c.startswith(("VISA", "ECFMG"))]


def test_ecfmg_message_names_the_expected_rank_deadline(tmp_path: Path) -> None:
    result = checked(tmp_path, applicant={**NON_US, "visa": "j1"}, exams={"ecfmg_certified": False})
    (finding,) = (f for f in result.findings if f.code == "ECFMG-NOT-CERTIFIED")
    assert "(28 February 2029, expected)" in finding.message


def test_program_rules(tmp_path: Path) -> None:
    programs = [
        {"name": "Sponsors J-1", "sponsors": ["j1"]},
        {"name": "Sponsors none", "sponsors": []},
        {"name": "Unknown"},
    ]
    found = fired(tmp_path, applicant={**NON_US, "visa": "j1"}, exams={"ecfmg_certified": True}, programs=programs)
    assert [x for x in found if x[0].startswith("PROG")] == [("PROG-NO-SPONSOR", "Sponsors none"), ("PROG-NO-PGY1", None)]
    assert [x for x in fired(tmp_path, programs=programs) if x[0].startswith("PROG")] == [("PROG-NO-PGY1", None)]
    assert not [x for x in fired(tmp_path) if x[0].startswith("PROG")]


def test_too_many_signals_is_a_warning_while_the_count_is_unverified(tmp_path: Path) -> None:
    programs = [{"name": f"P{i}", "signal": "gold"} for i in range(7)] + [{"name": "S", "signal": "silver"}]
    result = checked(tmp_path, programs=programs, letters=THREE_GOOD, research=[item(us_based=True, author_position=1)])
    assert not [f for f in result.findings if f.severity == "error"]
    (finding,) = (f for f in result.findings if f.code.startswith("PROG-TOO-MANY"))
    assert (finding.code, finding.severity, finding.subject, finding.message) == (
        "PROG-TOO-MANY-GOLD",
        "warning",
        None,
        "7 programs carry a gold signal; radiology allowed 6 in 2025. Verify the count for your season and keep your gold "
        "signals within it.",
    )
