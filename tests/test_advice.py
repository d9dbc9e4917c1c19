"""The defects of issue 12, each reproduced on a profile and checked in the built handbook."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

from generator.build import Handbook, prepare
from tests.conftest import PROFILES

TODAY = dt.date(2026, 11, 23)


@cache
def _built(name: str) -> Handbook:
    return prepare(PROFILES / f"{name}.yaml", TODAY)


def _page(name: str, page: str) -> str:
    return _built(name).files[f"docs/{page}"].decode()


def _codes(name: str) -> list[tuple[str, str | None]]:
    return [(f.code, f.subject) for f in _built(name).checked.findings]


def test_every_profile_builds_with_one_finding_per_writer_about_its_use() -> None:
    for path in sorted(PROFILES.glob("*.yaml")):
        found = _codes(path.stem)
        per_writer = [s for c, s in found if c in ("LOR-ASK-SOON", "LOR-RECONNECT", "LOR-OLD") and s]
        assert len(per_writer) == len(set(per_writer)), path.stem


def test_a_us_citizen_trained_abroad_gets_the_ecfmg_chain() -> None:
    assert ("ECFMG-NOT-CERTIFIED", None) in _codes("us-early-no-research")
    assert "visa.md" not in " ".join(_built("us-early-no-research").files)
    ecfmg = _page("us-early-no-research", "ecfmg.md")
    assert "even as a US citizen" in ecfmg and "| USMLE Step 2 CK | still to do |" in ecfmg
    timeline = _page("us-early-no-research", "timeline.md")
    assert "ECFMG must confirm your exams" in timeline


def test_the_caribbean_us_citizen_in_season_has_an_ecfmg_error() -> None:
    (finding,) = (f for f in _built("us-caribbean-in-season").checked.findings if f.code == "ECFMG-NOT-CERTIFIED")
    assert finding.severity == "error"
    assert "Still to do: OET Medicine (the communication requirement)." in finding.message


def test_letters_ruled_out_are_not_counted_assigned_or_emailed() -> None:
    letters = _page("j1-brief-hesitant", "letters.md")
    programs = _page("j1-brief-hesitant", "programs.md")
    for writer in ("Dr. Sarah O'Neill", "Dr. Peter Novak", "Rachel Kim, PhD"):
        assert f"Follow-up email for {writer}" not in letters
        assert f"Packet for {writer}" not in letters
        assert writer not in programs
    assert "Your mix covers what programs ask for" not in letters
    assert "| Letters in total | 3, at most 4 per program | 1 (short by 2) | 0 |" in letters
    assert ("LOR-ASK-SOON", "Rachel Kim, PhD") not in _codes("j1-brief-hesitant")


def test_a_standard_letter_gets_only_the_whom_else_script() -> None:
    letters = _page("undecided-solid-mid", "letters.md")
    assert "Follow-up email for Dr. Martín Ruiz" not in letters
    assert "Thank you for agreeing to write a strong letter" not in letters
    assert "- Dr. Martín Ruiz (standard)" in letters  # listed under "When a writer hesitates"


def test_letters_asked_before_the_season_get_no_reminder_or_portal_wording() -> None:
    letters = _page("j1-letters-in-progress", "letters.md")
    home = _page("j1-letters-in-progress", "index.md")
    assert "Reminder for" not in letters and "ERAS does not show the letter yet" not in letters
    assert "AAMC Letter Writer Portal. You do not need" not in letters
    assert "keep it until then; I will send you the formal request as soon as the season opens" in letters
    assert "Overdue" not in home
    assert "Dear Dr. Park," in letters and "Dear Dr. Subramanian," in letters


def test_in_season_reminders_never_say_lost_to_a_writer_who_answered() -> None:
    letters = _page("us-caribbean-in-season", "letters.md")
    webb = letters.split("## Reminder for Dr. Karen Webb")[1].split("## Reminder for Dr. Lisa Chen")[0]
    chen = letters.split("## Reminder for Dr. Lisa Chen")[1].split("\n## ")[0]
    assert "in case my message was lost" not in webb and "you kindly agreed" in webb
    assert "in case my message was lost" in chen


def test_program_sets_skip_a_program_that_cannot_take_the_visa() -> None:
    programs = _page("j1-brief-hesitant", "programs.md")
    assert "| Summit Valley Radiology | 3 | no set: it cannot take your visa |" in programs
    assert "| Northgate University Radiology (research-heavy) | 4 | 1. Dr. Anil Mehta (radiology) (short by 3) |" in programs


def test_undecided_visa_shows_what_each_program_takes() -> None:
    programs = _page("undecided-solid-mid", "programs.md")
    assert "| Visas it takes |" in programs and "| Eastfield University Radiology | university | yes | none | none |" in programs
    assert ("PROG-NO-VISA", "Eastfield University Radiology") in _codes("undecided-solid-mid")


def test_a_submitted_abstract_does_not_make_the_record_solid() -> None:
    a = _built("undecided-solid-mid").checked.assessment
    assert (a.research_tier, a.research_counts["counted"], a.research_counts["pending"]) == ("minimal", 2, 1)
    assert "Card: Chest radiograph triage" not in _page("undecided-solid-mid", "research.md")


def test_placeholders_and_blog_posts_never_count() -> None:
    research = _page("j1-brief-hesitant", "research.md")
    assert "Card: Poster 1" not in research
    assert ("RES-PLACEHOLDER", None) in _codes("j1-brief-hesitant")
    assert _built("us-caribbean-in-season").checked.assessment.research_counts["other_work"] == 1


def test_overcommitted_gets_a_keep_and_pause_plan_and_no_nudge_to_join() -> None:
    found = dict(_codes("j1-brief-hesitant"))
    assert "RES-OVERCOMMITTED" in found
    assert not {"RES-NO-LEAD-AUTHOR", "RES-NO-RADIOLOGY", "RES-NO-US"} & set(found)
    (plan,) = (f for f in _built("j1-brief-hesitant").checked.findings if f.code == "RES-OVERCOMMITTED")
    assert "Pause \u201cDengue and liver imaging\u201d" in plan.message
    research = _page("j1-brief-hesitant", "research.md")
    assert "Joining work that is almost done" not in research


def test_no_research_is_one_finding() -> None:
    found = [c for c, _ in _codes("us-early-no-research") if c.startswith("RES-")]
    assert found == ["RES-NONE", "RES-CONSIDER-YEAR"]


def test_rotations_follow_their_specialty_and_do_not_count_before_they_start() -> None:
    letters = _page("j1-brief-hesitant", "letters.md")
    rotation = letters.split("## Rotation at Northgate University Hospital")[1].split("## Introduction email")[0]
    assert "differential before the readout" not in rotation and "present them clearly on rounds" in rotation
    assert _built("us-late-applying").checked.assessment.has_us_experience is False
    assert "## If you have little or no US experience" in _page("us-late-applying", "letters.md")


def test_the_statement_of_need_is_advice_not_a_date_today() -> None:
    timeline = _page("j1-letters-in-progress", "timeline.md")
    assert "Ask your Ministry of Health about the Statement of Need" in timeline
    events = _built("j1-letters-in-progress").files["docs/timeline.ics"].decode()
    assert "Statement of Need" not in events


def test_check_json_reports_the_model(tmp_path: Path) -> None:
    summary = _built("j1-brief-hesitant").checked.assessment.summary()
    assert summary["letters"]["not_usable"] == [
        {"writer": "Dr. Sarah O'Neill", "reason": "brief"},
        {"writer": "Dr. Peter Novak", "reason": "lukewarm"},
        {"writer": "Rachel Kim, PhD", "reason": "non_physician"},
        {"writer": "Prof. Ana María García López", "reason": "stale"},
    ]
    assert [s["step"] for s in summary["ecfmg"]["steps"]] == ["usmle_step1", "usmle_step2_ck", "oet_medicine", "certification"]
