"""The season itself: sub-phases on the home page and the timeline, the season and application pages, the lints."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any

from icalendar import Calendar

from generator.build import CONTENT, Handbook, prepare
from generator.content import Content, load_content
from generator.templating import dated, human_date
from tests.conftest import PROFILES
from tests.helpers import item, letter, profile_text

NRMP_DUE = (
    "- **Due 31 January 2027 (expected; [verify](https://www.nrmp.org/topic/match-participants/programs/?post_type=help))**: "
    "Register for the Match with the NRMP (late fee after this date in recent Matches)"
)
LOCKED = ("after_rank_deadline", "match_week")


@cache
def _content() -> Content:
    return load_content(CONTENT)


def _handbook(tmp_path: Path, today: dt.date, **sections: Any) -> Handbook:
    path = tmp_path / "profile.yaml"
    path.write_text(profile_text(**{"goal": {"match_year": 2027}, **sections}))
    return prepare(path, today, content=_content())


def _page(handbook: Handbook, name: str) -> str:
    return handbook.files[f"docs/{name}.md"].decode()


def _blocks(handbook: Handbook, page: str) -> list[str]:
    (found,) = [p for p in handbook.plan.pages if p.id == page]
    return [b.anchor for b in found.blocks]


def _deadline(handbook: Handbook) -> str:
    """The rank list deadline as findings word it (the dates themselves are cycle data)."""
    a = handbook.checked.assessment
    status = {"confirmed": "", "reported": ", reported, not yet confirmed", "expected": ", expected"}
    return human_date(a.rank_deadline) + status[a.season.rank_deadline.status]


def _codes(handbook: Handbook) -> set[str]:
    return {f.code for f in handbook.checked.findings}


def test_in_season_with_nothing_in_hand(tmp_path: Path) -> None:
    handbook = _handbook(tmp_path, dt.date(2026, 11, 15))
    assert handbook.checked.assessment.season_phase == "interviews"
    assert [p.id for p in handbook.plan.pages][:2] == ["home", "season"]
    home = _page(handbook, "index")
    assert home.index("## Now: interviews and your rank list {#home-now}") < home.index("## At a glance")
    assert NRMP_DUE in home and "Join a research project" not in home
    (nrmp,) = [f for f in handbook.checked.findings if f.code == "SEASON-NRMP-REGISTER"]
    assert (nrmp.severity, nrmp.title) == ("warning", "Register for the Match with the NRMP")
    assert nrmp.message == (
        "Applying through ERAS does not enter you in the Match. Register with the NRMP in its own system by the rank list "
        f"deadline ({_deadline(handbook)}) at the latest, and by 31 January to avoid the late fee "
        "charged in recent seasons. Then tick it on the season page."
    )
    assert "- **Register for the Match with the NRMP**: Applying through ERAS" in home
    research = _blocks(handbook, "research")
    assert "res-plan-in-season" in research and "res-research-year" not in research and "res-finding" not in research
    season = _page(handbook, "season")
    assert "Your list shows" not in season and "Your profile lists no experiences yet" in _page(handbook, "application")


def test_the_rank_list_is_due_on_the_next_30_days_when_its_deadline_nears(tmp_path: Path) -> None:
    line = "Certify your rank order list, and certify it again after any change"
    assert line not in _page(_handbook(tmp_path, dt.date(2027, 1, 20)), "index")
    handbook = _handbook(tmp_path, dt.date(2027, 2, 10))
    assert f"- **Due {dated(handbook.checked.assessment.season.rank_deadline)}**: {line}" in _page(handbook, "index")


def test_ticking_nrmp_registration_clears_the_reminder(tmp_path: Path) -> None:
    handbook = _handbook(tmp_path, dt.date(2026, 11, 15), done=["season-nrmp-registered"])
    assert "SEASON-NRMP-REGISTER" not in _codes(handbook) and NRMP_DUE not in _page(handbook, "index")
    assert "- [x] Registered for the 2027 Match in R3" in _page(handbook, "season")


def test_in_season_h1b_plan_with_step3_not_taken(tmp_path: Path) -> None:
    foreign = {"citizenship": "non_us", "visa": "h1b"}
    exams = {"usmle_step1": "pass", "usmle_step2_ck": 240, "ecfmg_certified": False}
    handbook = _handbook(tmp_path, dt.date(2026, 12, 1), applicant=foreign, exams=exams)
    home = _page(handbook, "index")
    assert (
        "- **Due 31 December 2026 (expected; [verify](https://www.fsmb.org/step-3/step-3-announcements/))**: "
        "H-1B: sit USMLE Step 3 by 31 December"
    ) in home
    assert "ECFMG must confirm your exams and the communication requirement by the rank list deadline" in home
    season = _page(handbook, "season")
    assert "### H-1B: Step 3 and timing" in season and "### J-1" not in season
    january = _handbook(tmp_path, dt.date(2027, 1, 10), applicant=foreign, exams=exams)
    assert "H-1B: a Step 3 result from a test now arrives after programs rank" in _page(january, "index")


def test_after_the_rank_deadline_nothing_asks_applies_or_signals(tmp_path: Path) -> None:
    rotation = {"kind": "elective", "specialty": "radiology", "institution": "Bay", "country": "US", "start": "2027-02-22"}
    handbook = _handbook(
        tmp_path,
        dt.date(2027, 3, 8),
        experience=[{**rotation, "end": "2027-03-19"}],
        letters=[letter("Dr A", last_worked="2027-01-20"), letter("Dr B", status="asked", asked_on="2027-01-02")],
        programs=[{"name": "Bay Radiology", "track": "advanced", "signal": "gold"}],
    )
    assert handbook.checked.assessment.season_phase == "after_rank_deadline"
    home = _page(handbook, "index")
    assert "## Now: get ready for Match Week {#home-now}" in home and "Overdue" not in home
    timeline = _page(handbook, "timeline")
    assert "Ask for a letter" not in timeline and "Send the reminder" not in timeline  # (letter findings: the letter rules)
    assert _blocks(handbook, "letters") == ["lor-findings", "lor-locked", "lor-why"]
    assert _blocks(handbook, "programs") == ["prog-findings", "prog-locked"]
    assert not [c for c in _codes(handbook) if c.startswith("PROG-")] and "SEASON-NO-PGY1" in _codes(handbook)
    season = _blocks(handbook, "season")
    assert "season-interviews" not in season and "season-intent" not in season
    assert "season-match-week-checklist" in season
    assert "Your list shows 1 advanced program and no PGY-1 year." in _page(handbook, "season")


def test_match_week_partially_matched_advanced_without_pgy1() -> None:
    handbook = prepare(PROFILES / "j1-match-week-advanced-only.yaml", content=_content())
    assessment = handbook.checked.assessment
    assert (assessment.summary()["season_phase"], assessment.summary()["match_week"]) == ("match_week", "2027-03-15")
    home = _page(handbook, "index")
    assert "## Now: Match Week {#home-now}" in home and "On Monday 15 March 2027 at 10:00 a.m. Eastern time" in home
    season = _page(handbook, "season")
    assert "| Advanced radiology (from PGY-2) | Lakeside Medical Center Radiology; Riverbend University Radiology |" in season
    assert '!!! warning "If you matched an advanced program only"' in season
    assert "Your list shows 2 advanced programs and no PGY-1 year." in season
    assert "### J-1: the steps after you match" in season and "### H-1B" not in season
    (finding,) = [f for f in handbook.checked.findings if f.code == "SEASON-NO-PGY1"]
    assert finding.title == "No PGY-1 year on your list"


def test_research_page_in_season_is_at_most_half_of_the_year_before() -> None:
    profile = PROFILES / "h1b-strong-in-season.yaml"
    before = prepare(profile, dt.date(2025, 12, 1), content=_content())
    during = prepare(profile, dt.date(2026, 12, 1), content=_content())
    words = [len(_page(h, "research").split()) for h in (before, during)]
    assert words[1] <= words[0] / 2, words
    assert "res-prep-card" in " ".join(_blocks(during, "research")) and "res-presenting" in _blocks(during, "research")


def _rank_event(handbook: Handbook) -> Any:
    cal = Calendar.from_ical(handbook.files["docs/timeline.ics"])
    (event,) = [v for v in cal.walk("VEVENT") if str(v["summary"]).startswith("Rank order list")]
    return event


def test_rank_deadline_is_a_calendar_event_and_the_ecfmg_item_is_due_by_it(tmp_path: Path) -> None:
    foreign = {"citizenship": "non_us", "visa": "j1"}
    handbook = _handbook(tmp_path, dt.date(2026, 11, 15), applicant=foreign, exams={"ecfmg_certified": False})
    window = _rank_event(handbook)
    assert window.decoded("dtstart") == handbook.checked.assessment.rank_deadline
    assert window.decoded("dtend") - window.decoded("dtstart") == dt.timedelta(days=1)
    a = handbook.checked.assessment
    reported = a.season.rank_deadline.reported  # the 2027 deadline is reported by third parties only
    due = dated(
        {"date": a.rank_deadline, "expected": not reported, "reported": reported, "verify": a.season.rank_deadline.verify}
    )
    assert (
        f"- **Due {due}**: ECFMG must confirm your exams and the communication requirement by the rank list deadline"
    ) in _page(handbook, "index")


def _experience(n: int) -> dict[str, Any]:
    return {
        "kind": "observership",
        "specialty": "radiology",
        "institution": f"H{n}",
        "country": "US",
        "start": "2025-01-06",
        "weeks": 2,
    }


def test_check_lints_the_application_against_eras_limits(tmp_path: Path) -> None:
    notes = {"objective": "o" * 300, "methods": "m" * 300, "findings": "f" * 300}
    research = [item("Sepsis audit", kind="qi_project", radiology=False, status="in_progress", **notes)]
    late = _handbook(tmp_path, dt.date(2026, 3, 1), experience=[_experience(n) for n in range(11)], research=research)
    found = {f.code: f for f in late.checked.findings}
    assert found["APP-TOO-MANY-EXPERIENCES"].message == (
        "Your profile lists 11 experiences and ERAS takes at most 10. Combine short stays at one place into one entry "
        "and leave out the ones that say least about you as a future radiologist."
    )
    assert found["APP-DESCRIPTION-LONG"].message == (
        "Your notes on this project come to 902 characters; an experience description in ERAS holds 750. "
        "Cut it down to the question, your part in it and the result."
    )
    assert found["APP-DESCRIPTION-LONG"].title == "Too long for an ERAS experience: Sepsis audit"
    assert "APP-NO-SCHOLARLY" in found
    crowded = _handbook(tmp_path, dt.date(2026, 3, 1), experience=[_experience(n) for n in range(10)], research=research)
    (hit,) = [f for f in crowded.checked.findings if f.code == "APP-EXPERIENCES-CROWDED"]
    assert "You list 10 experiences, and 1 research item that do not fit" in hit.message
    reviewed = _handbook(tmp_path, dt.date(2026, 10, 1), experience=[_experience(n) for n in range(11)], research=research)
    assert not [c for c in _codes(reviewed) if c.startswith("APP-")]  # certified: nothing left to change


def test_application_page_sorts_research_into_scholarly_work_and_experiences(tmp_path: Path) -> None:
    research = [
        item("Liver MRI", status="published", author_position=1),
        item("Knee poster", kind="poster", status="presented"),
        item("Chest abstract", kind="abstract", status="accepted"),
        item("Ward teaching", kind="educational_project", radiology=False, status="in_progress"),
        item("Cardiology paper", radiology=False, status="published"),
        item("Brain CT paper", status="submitted", author_position=3),
    ]
    page = _page(_handbook(tmp_path, dt.date(2026, 3, 1), research=research), "application")
    assert "| Liver MRI | journal article | published | **yes** |" in page
    assert "| Cardiology paper | journal article | published |  |" in page
    assert "| Chest abstract | abstract | accepted | **yes** |" in page  # a presentation to come, imaging: starred
    assert "| Brain CT paper | journal article | submitted |  |" in page
    assert 'These go under **Experiences** instead, as research: "Ward teaching".' in page
