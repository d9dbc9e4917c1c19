"""Every advice rule, firing and not firing (today is 2026-11-23 unless a test says otherwise)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.helpers import checked, codes, item, letter

AGREED = {"status": "agreed", "asked_on": "2026-11-20"}
THREE_GOOD = [letter("A", **AGREED), letter("B", **AGREED), letter("C", specialty="surgery", **AGREED)]
CERTIFIED = {"usmle_step1": "pass", "usmle_step2_ck": 250, "oet_medicine": "pass", "ecfmg_certified": True}


def fired(tmp_path: Path, **sections: Any) -> list[tuple[str, str | None]]:
    sections.setdefault("letters", THREE_GOOD)
    sections.setdefault("research", [item(us_based=True, author_position=1)])
    sections.setdefault("exams", CERTIFIED)
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
        ([letter("A", **AGREED), letter("B", **AGREED)], {"LOR-TOO-FEW"}),
        (
            [letter("A", **AGREED), letter("B", **AGREED), letter("C", status="declined", asked_on="2026-10-01")],
            {"LOR-TOO-FEW"},
        ),
        ([letter("A", **AGREED), letter("B", us_based=False, **AGREED), letter("C", us_based=False, **AGREED)], {"LOR-FEW-US"}),
        (
            [letter("A", **AGREED), letter("B", specialty="surgery", **AGREED), letter("C", specialty="surgery", **AGREED)],
            {"LOR-FEW-RADIOLOGY"},
        ),
        ([letter(n, **AGREED) for n in "ABCDE"], {"LOR-TOO-MANY"}),
        ([letter(n, **AGREED) for n in "ABCD"], set()),
        ([letter(n, basis="research", **AGREED) for n in "ABC"], {"LOR-ALL-RESEARCH"}),
        # writers not asked yet are potential, not usable: three of them are still too few
        ([letter(n) for n in "ABC"], {"LOR-TOO-FEW", "LOR-FEW-US", "LOR-FEW-RADIOLOGY"}),
        # a research-basis radiologist counts as a radiologist
        ([letter("A", **AGREED), letter("B", basis="research", **AGREED), letter("C", specialty="surgery", **AGREED)], set()),
    ],
)
def test_letter_mix_counts_usable_letters(tmp_path: Path, letters: list[Any], expected: set[str]) -> None:
    assert {c for c, _ in fired(tmp_path, letters=letters) if c.startswith("LOR")} == expected


def test_not_usable_letters_do_not_count_and_the_mix_names_them(tmp_path: Path) -> None:
    """A 3-day supervisor, a non-physician and a hesitant writer: the mix is 0, not 3."""
    letters = [
        letter("Dr. Brief", weeks_worked=0.6, **AGREED),
        letter("Ms. Nurse", physician=False, **AGREED),
        letter("Dr. Unsure", response="hesitant", **AGREED),
    ]
    result = checked(tmp_path, letters=letters, exams=CERTIFIED, research=[item(us_based=True, author_position=1)])
    model = result.assessment.letters
    assert model["total"] == 3 and model["usable"]["count"] == 0
    assert model["not_usable"] == [
        {"writer": "Dr. Brief", "reason": "brief"},
        {"writer": "Ms. Nurse", "reason": "non_physician"},
        {"writer": "Dr. Unsure", "reason": "lukewarm"},
    ]
    assert [(f.code, f.subject) for f in result.findings if f.subject] == [
        ("LOR-BRIEF", "Dr. Brief"),
        ("LOR-NON-PHYSICIAN", "Ms. Nurse"),
        ("LOR-LUKEWARM", "Dr. Unsure"),
    ]
    (few,) = (f for f in result.findings if f.code == "LOR-TOO-FEW")
    assert few.message == "You have 0 usable letters; most radiology programs ask for 3 and many accept 4."
    assert few.severity == "warning"  # Match 2029: 1.79 years before applications open


@pytest.mark.parametrize(
    ("match_year", "severity"), [(2031, "info"), (2030, "info"), (2029, "warning"), (2028, "warning"), (2027, "error")]
)
def test_too_few_letters_grows_with_the_phase(tmp_path: Path, match_year: int, severity: str) -> None:
    result = checked(tmp_path, goal={"match_year": match_year}, exams=CERTIFIED, letters=[letter("A", **AGREED)])
    (few,) = (f for f in result.findings if f.code == "LOR-TOO-FEW")
    assert few.severity == severity
    assert few.message == "You have 1 usable letter; most radiology programs ask for 3 and many accept 4."


def test_no_letter_advice_after_the_rank_list_deadline(tmp_path: Path) -> None:
    import datetime as dt

    result = checked(
        tmp_path,
        dt.date(2027, 3, 10),
        goal={"match_year": 2027},
        exams=CERTIFIED,
        letters=[letter("A", last_worked="2026-12-01")],
    )
    assert result.assessment.season_phase == "after_rank_deadline"
    assert not [f for f in result.findings if f.code.startswith("LOR")]


def _writer_codes(tmp_path: Path, **fields: Any) -> set[str]:
    letters = [*THREE_GOOD, letter("Dr. Jane Smith", **fields)]
    return {c for c, s in fired(tmp_path, letters=letters) if s == "Dr. Jane Smith"}


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"weeks_worked": 1.5}, {"LOR-BRIEF"}),
        ({"weeks_worked": 2}, set()),
        ({"physician": False}, {"LOR-NON-PHYSICIAN"}),
        # one finding per writer: a brief non-physician is told only to ask a physician
        ({"physician": False, "weeks_worked": 0.5, "last_worked": "2026-09-01"}, {"LOR-NON-PHYSICIAN"}),
        ({"status": "agreed", "asked_on": "2026-11-20", "response": "standard"}, {"LOR-LUKEWARM"}),
        ({"status": "agreed", "asked_on": "2026-11-20", "response": "hesitant"}, {"LOR-LUKEWARM"}),
        ({"status": "agreed", "asked_on": "2026-11-20", "response": "strong"}, set()),
        # 8 weeks = 56 days: on the 56th day not yet, on the 57th "ask soon"
        ({"last_worked": "2026-09-28"}, set()),
        ({"last_worked": "2026-09-27"}, {"LOR-ASK-SOON"}),
        ({"last_worked": "2026-09-27", "status": "asked", "asked_on": "2026-11-20"}, set()),
        # 12 months or more: reconnect first, never also "ask soon" or "old"
        ({"last_worked": "2025-11-24"}, {"LOR-ASK-SOON"}),
        ({"last_worked": "2025-11-23"}, {"LOR-RECONNECT"}),
        ({"last_worked": "2024-01-10"}, {"LOR-RECONNECT"}),
        # before the season opens (Match 2029: June 2028) no reminder, however long ago the request
        ({"status": "asked", "asked_on": "2026-09-02"}, set()),
        ({"status": "agreed", "asked_on": "2026-10-01"}, set()),
        ({"status": "uploaded", "asked_on": "2026-10-01"}, set()),
        ({"status": "declined", "asked_on": "2026-10-01", "weeks_worked": 0.5}, set()),
    ],
)
def test_writer_rules(tmp_path: Path, fields: dict[str, Any], expected: set[str]) -> None:
    assert _writer_codes(tmp_path, **fields) == expected


def test_four_usable_letters_stop_ask_soon(tmp_path: Path) -> None:
    letters = [*THREE_GOOD, letter("D", **AGREED), letter("Dr. Jane Smith", last_worked="2026-09-01")]
    assert not [c for c, s in fired(tmp_path, letters=letters) if s == "Dr. Jane Smith"]


def test_ask_soon_before_the_season_says_the_letter_can_wait(tmp_path: Path) -> None:
    result = checked(tmp_path, exams=CERTIFIED, letters=[*THREE_GOOD, letter("Dr. Jane Smith", last_worked="2026-09-01")])
    (finding,) = (f for f in result.findings if f.code == "LOR-ASK-SOON")
    assert finding.message == (
        "You worked together until 1 September 2026, 11 weeks ago, and have not asked yet. Ask soon, while your work "
        "is fresh in their memory. They can write it now and keep it until your application season opens."
    )
    assert finding.title == "Ask Dr. Jane Smith soon"


def test_old_letter_is_measured_from_the_application_date(tmp_path: Path) -> None:
    # match_year 2029: applications open 2028-09-06; two years before is 2026-09-06
    assert _writer_codes(tmp_path, last_worked="2026-09-05", **AGREED) == {"LOR-OLD"}
    assert _writer_codes(tmp_path, last_worked="2026-09-06", **AGREED) == set()


@pytest.mark.parametrize(
    ("today", "severity"),
    [("2027-06-10", "info"), ("2027-09-22", "warning")],  # Match 2028: season opens 2 June 2027, review 22 September
)
def test_reminders_only_once_the_season_is_open(tmp_path: Path, today: str, severity: str) -> None:
    import datetime as dt

    uploaded = [letter(n, status="uploaded", asked_on="2027-05-01") for n in "ABC"]
    letters = [*uploaded, letter("Dr. Jane Smith", status="asked", asked_on="2027-05-10")]
    result = checked(tmp_path, dt.date.fromisoformat(today), goal={"match_year": 2028}, exams=CERTIFIED, letters=letters)
    (finding,) = (f for f in result.findings if f.code == "LOR-REMIND")
    assert finding.severity == severity
    assert finding.message.startswith("You asked on 10 May 2027, ")


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


def test_us_citizen_gets_ecfmg_findings_but_no_visa_findings(tmp_path: Path) -> None:
    found = [c for c, _ in fired(tmp_path, exams={"usmle_step1": "pass"}) if c.startswith(("VISA", "ECFMG", "STEP2"))]
    assert found == ["ECFMG-NOT-CERTIFIED", "STEP2-MISSING"]


def test_ecfmg_message_names_what_is_left_and_the_expected_rank_deadline(tmp_path: Path) -> None:
    result = checked(tmp_path, applicant={**NON_US, "visa": "j1"}, exams={"usmle_step1": "pass", "usmle_step2_ck": 240})
    (finding,) = (f for f in result.findings if f.code == "ECFMG-NOT-CERTIFIED")
    assert finding.message == (
        "You are not ECFMG certified yet. Still to do: OET Medicine (the communication requirement). ECFMG must confirm "
        "your exams before the rank list deadline (28 February 2029, expected), "
        "or the NRMP withdraws you from the Match."
    )
    assert finding.severity == "info"


@pytest.mark.parametrize(
    ("match_year", "exams", "severity"),
    [
        (2030, {}, "info"),
        (2028, {}, "warning"),
        (2027, {}, "error"),
        # in season with every requirement done, only the certificate is pending: a warning
        (2027, {"usmle_step1": "pass", "usmle_step2_ck": 240, "oet_medicine": "pass"}, "warning"),
    ],
)
def test_ecfmg_severity_grows_with_the_phase(tmp_path: Path, match_year: int, exams: dict[str, Any], severity: str) -> None:
    result = checked(tmp_path, goal={"match_year": match_year}, exams=exams)
    (finding,) = (f for f in result.findings if f.code == "ECFMG-NOT-CERTIFIED")
    assert finding.severity == severity


@pytest.mark.parametrize(("match_year", "severity"), [(2029, "info"), (2028, "warning")])
def test_exams_omitted_and_step2_missing(tmp_path: Path, match_year: int, severity: str) -> None:
    omitted = checked(tmp_path, goal={"match_year": match_year})
    assert [(f.code, f.severity) for f in omitted.findings if f.area == "ecfmg"] == [("EXAMS-MISSING", severity)]
    no_step2 = checked(tmp_path, goal={"match_year": match_year}, exams={"usmle_step1": "pass"})
    assert ("STEP2-MISSING", severity) in [(f.code, f.severity) for f in no_step2.findings]


def test_a_public_build_does_not_call_hidden_exams_missing(tmp_path: Path) -> None:
    from generator.build import check

    path = tmp_path / "profile.yaml"
    from tests.helpers import data, profile_text

    path.write_text(profile_text(exams={"usmle_step1": "pass"}))
    assert not [f for f in check(path, None, True, data()).findings if f.area == "ecfmg"]


@pytest.mark.parametrize(
    ("exams", "problem"),
    [
        ({**CERTIFIED, "usmle_step2_ck": None, "usmle_step3": "pass"}, "Step 3 passed while Step 2 CK is not taken"),
        (
            {"usmle_step1": "pass", "usmle_step2_ck": 240, "usmle_step3": "pass"},
            "Step 3 passed while you are not ECFMG certified",
        ),
    ],
)
def test_exams_that_cannot_be_true_together(tmp_path: Path, exams: dict[str, Any], problem: str) -> None:
    result = checked(tmp_path, exams={k: v for k, v in exams.items() if v is not None})
    messages = [f.message for f in result.findings if f.code == "EXAMS-IMPOSSIBLE"]
    assert f"Your profile says {problem}, which cannot be. Check your exam results in your profile." in messages


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
    result = checked(
        tmp_path, programs=programs, letters=THREE_GOOD, exams=CERTIFIED, research=[item(us_based=True, author_position=1)]
    )
    assert not [f for f in result.findings if f.severity == "error"]
    (gold,) = (f for f in result.findings if f.code == "PROG-TOO-MANY-GOLD")
    assert (gold.severity, gold.message) == (
        "warning",
        "7 programs carry a gold signal; radiology allowed 6 in 2025. Verify the count for your season and keep your gold "
        "signals within it.",
    )


def test_undecided_visa_flags_a_program_that_takes_none(tmp_path: Path) -> None:
    programs = [{"name": "Takes J-1", "sponsors": ["j1"]}, {"name": "Takes none", "sponsors": []}, {"name": "Unknown"}]
    result = checked(tmp_path, applicant={**NON_US, "visa": "undecided"}, exams=CERTIFIED, programs=programs)
    assert [(f.code, f.subject, f.severity) for f in result.findings if f.code in ("PROG-NO-VISA", "PROG-NO-SPONSOR")] == [
        ("PROG-NO-VISA", "Takes none", "warning")
    ]
    assert [x["takes"] for x in result.assessment.lists["programs"]] == ["j1", "none", "unknown"]
    assert [x["letter_set"] for x in result.assessment.lists["programs"]][1] == []


def _set(tmp_path: Path, program: dict[str, Any], letters: list[Any]) -> list[str]:
    result = checked(tmp_path, exams=CERTIFIED, letters=letters, programs=[{"name": "P", **program}])
    return [f"{x['writer']} ({x['tag']})" for x in result.assessment.lists["programs"][0]["letter_set"]]


LETTER_POOL = [
    letter("Home surgeon", specialty="surgery", us_based=False, last_worked="2026-01-10"),  # not asked: never in a set
    letter("Dr. Brief", weeks_worked=1, **AGREED),
    letter("Dr. Home Rad", us_based=False, last_worked="2025-06-01", **AGREED),
    letter("Dr. US Research Rad", basis="research", last_worked="2026-08-01", status="uploaded", asked_on="2026-08-01"),
    letter("Dr. US Surgeon", specialty="surgery", last_worked="2026-10-01", **AGREED),
    letter("Dr. US Rad", last_worked="2026-03-01", **AGREED),
]


@pytest.mark.parametrize(
    ("program", "expected"),
    [
        ({}, ["Dr. US Research Rad (research)", "Dr. US Rad (radiology)", "Dr. Home Rad (radiology)"]),
        (
            {"letters_wanted": 4},
            ["Dr. US Research Rad (research)", "Dr. US Rad (radiology)", "Dr. Home Rad (radiology)", "Dr. US Surgeon (clinical)"],
        ),
        ({"research_heavy": True}, ["Dr. US Research Rad (research)", "Dr. US Rad (radiology)", "Dr. Home Rad (radiology)"]),
        ({"setting": "community"}, ["Dr. US Rad (radiology)", "Dr. Home Rad (radiology)", "Dr. US Surgeon (clinical)"]),
    ],
)
def test_program_letter_sets_use_usable_letters_only(tmp_path: Path, program: dict[str, Any], expected: list[str]) -> None:
    assert _set(tmp_path, program, LETTER_POOL) == expected


def test_a_program_that_cannot_take_the_visa_gets_no_set(tmp_path: Path) -> None:
    result = checked(
        tmp_path,
        applicant={**NON_US, "visa": "j1"},
        exams=CERTIFIED,
        letters=LETTER_POOL,
        programs=[{"name": "H-1B only", "sponsors": ["h1b"]}],
    )
    assert result.assessment.lists["programs"][0]["letter_set"] == []


def test_a_program_asking_for_4_with_3_usable_letters(tmp_path: Path) -> None:
    found = fired(tmp_path, programs=[{"name": "Wants 4", "letters_wanted": 4}, {"name": "Wants 3"}])
    assert [x for x in found if x[0] == "PROG-LETTERS-SHORT"] == [("PROG-LETTERS-SHORT", "Wants 4")]


def test_only_placeholders_get_only_the_placeholder_finding(tmp_path: Path) -> None:
    placeholders = [item("Publication 1 (edit the title)"), item("Poster 1 (edit the title)", kind="poster", status="presented")]
    found = [c for c, _ in fired(tmp_path, research=placeholders) if c.startswith("RES-")]
    assert found == ["RES-PLACEHOLDER"]
    (finding,) = (f for f in checked(tmp_path, research=placeholders[:1]).findings if f.code == "RES-PLACEHOLDER")
    assert finding.message == (
        "1 research item still carries the placeholder title from the starter profile. "
        "It does not count until you give it its real title, kind and status."
    )


def test_after_the_rank_list_deadline_ecfmg_speaks_in_the_past(tmp_path: Path) -> None:
    import datetime as dt

    result = checked(tmp_path, dt.date(2027, 3, 10), goal={"match_year": 2027}, exams={"usmle_step1": "pass"})
    (finding,) = (f for f in result.findings if f.code == "ECFMG-NOT-CERTIFIED")
    assert finding.severity == "error"
    assert "has passed: if ECFMG had not confirmed your exams by then" in finding.message
    assert "must confirm your exams before" not in finding.message
