"""Dates: relative advice and the applicant's own items turned into dates, and the calendar file."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Alarm, Calendar
from icalendar import Event as VEvent

from generator import ics
from generator.build import prepare
from generator.ics import uid
from generator.timeline import Event, events, months
from tests.conftest import PROFILES
from tests.helpers import checked, data, letter, profile_text

TODAY = dt.date(2026, 11, 23)


def _events(tmp_path: Path, **sections: object) -> dict[str, dt.date | None]:
    result = checked(tmp_path, **sections)
    return {e.key: e.date for e in events(result.loaded.profile, result.assessment, data().timeline)}


def test_phase_boundaries_become_dates(tmp_path: Path) -> None:
    found = _events(tmp_path, goal={"match_year": 2030})  # applications open 2029-09-05
    assert found["phase_mid"] == dt.date(2027, 9, 5)
    assert found["phase_late"] == dt.date(2028, 9, 5)
    assert found["start-research"] == dt.date(2026, 11, 23)  # three years before is already past: now
    later = _events(tmp_path, goal={"match_year": 2031})  # applications open 2030-09-04
    assert later["start-research"] == dt.date(2027, 9, 4)


def test_past_phase_boundaries_are_left_out(tmp_path: Path) -> None:
    found = _events(tmp_path, goal={"match_year": 2028})
    assert "phase_mid" not in found and "phase_late" not in found


def test_rotation_dates_and_the_ask_in_the_last_week(tmp_path: Path) -> None:
    rotation = {
        "kind": "elective",
        "specialty": "radiology",
        "institution": "Bay Hospital",
        "country": "US",
        "start": "2027-01-04",
    }
    found = _events(tmp_path, experience=[{**rotation, "end": "2027-01-29"}, {**rotation, "institution": "Hill", "weeks": 4}])
    assert found["rotation-start-bay-hospital"] == dt.date(2027, 1, 4)
    assert found["rotation-end-bay-hospital"] == dt.date(2027, 1, 29)
    assert found["rotation-ask-bay-hospital"] == dt.date(2027, 1, 23)
    assert found["rotation-end-hill"] == dt.date(2027, 1, 31)  # 4 weeks from Monday 4 January, last day included


def test_letter_reminders_fall_21_days_after_asking_but_not_before_the_season_opens(tmp_path: Path) -> None:
    letters = [
        letter("A", status="asked", asked_on="2026-11-10"),
        letter("B", status="uploaded", asked_on="2026-10-01"),
        letter("C", status="agreed", asked_on="2026-11-10", response="hesitant"),
    ]
    found = _events(tmp_path, letters=letters)  # Match 2029: the season opens 7 June 2028
    assert found["letter-remind-a"] == dt.date(2028, 6, 7)
    assert "letter-remind-b" not in found and found["letter-asked-b"] == dt.date(2026, 10, 1)
    assert "letter-remind-c" not in found  # a lukewarm writer gets no reminder
    in_season = _events(tmp_path, goal={"match_year": 2027}, letters=letters[:1])
    assert in_season["letter-remind-a"] == dt.date(2026, 12, 1)


def test_ecfmg_for_every_graduate_and_visa_steps_only_for_foreign_nationals(tmp_path: Path) -> None:
    us = _events(tmp_path, exams={"ecfmg_certified": False})
    assert not [k for k in us if k.startswith("visa-")]
    assert us["ecfmg-requirements"] == dt.date(2029, 2, 28)  # the expected deadline: 16 days before Match Day
    assert "ecfmg-requirements" in _events(tmp_path)  # exams omitted: not known to be done
    assert "ecfmg-requirements" not in _events(tmp_path, exams={"ecfmg_certified": True})
    h1b = _events(tmp_path, applicant={"citizenship": "non_us", "visa": "h1b"}, exams={"ecfmg_certified": False})
    assert h1b["visa-step3"] == dt.date(2028, 12, 31)  # scores of January-February tests came in mid-March


def test_the_statement_of_need_is_not_dated_today(tmp_path: Path) -> None:
    j1 = _events(tmp_path, applicant={"citizenship": "non_us", "visa": "j1"})
    assert j1["visa-j1-statement"] is None


def test_months_run_from_as_of_to_match_day_with_the_next_30_days(tmp_path: Path) -> None:
    result = checked(tmp_path, letters=[letter("A", status="asked", asked_on="2026-10-01")], exams={"ecfmg_certified": True})
    items = events(result.loaded.profile, result.assessment, data().timeline)
    shape = months(items, TODAY, result.assessment.match_day)
    assert shape["months"][0]["month"] == dt.date(2026, 11, 1) and shape["months"][-1]["month"] == dt.date(2029, 3, 1)
    assert shape["overdue"] == []  # the season opens in June 2028: a reminder cannot be overdue before
    assert all(TODAY <= e["date"] <= TODAY + dt.timedelta(days=30) for e in shape["next"])
    assert shape["undated"] == []  # every date of the season follows a pattern


def test_an_overdue_reminder_in_season(tmp_path: Path) -> None:
    result = checked(tmp_path, goal={"match_year": 2027}, letters=[letter("A", status="asked", asked_on="2026-10-01")])
    items = events(result.loaded.profile, result.assessment, data().timeline)
    assert [e["key"] for e in months(items, TODAY, result.assessment.match_day)["overdue"]] == ["letter-remind-a"]


def _calendar(profile: Path) -> Calendar:
    return Calendar.from_ical(prepare(profile, TODAY).files["docs/timeline.ics"])


def test_calendar_parses_back_with_one_all_day_event_per_dated_item() -> None:
    profile = PROFILES / "j1-letters-in-progress.yaml"
    handbook = prepare(profile, TODAY)
    cal = Calendar.from_ical(handbook.files["docs/timeline.ics"])
    vevents = cal.walk("VEVENT")
    result = handbook.checked
    dated = [e for e in events(result.loaded.profile, result.assessment, data().timeline) if e.date]
    assert len(vevents) == len([e for e in dated if not e.asap])
    first = vevents[0]
    assert isinstance(first.decoded("dtstart"), dt.date) and not isinstance(first.decoded("dtstart"), dt.datetime)
    assert first.decoded("dtend") - first.decoded("dtstart") == dt.timedelta(days=1)
    match_day = next(v for v in vevents if str(v["summary"]).startswith("Match Day"))
    assert str(match_day["summary"]) == "Match Day: results released at 12:00 p.m. ET (expected)"
    assert "Verify at https://" in str(match_day["description"])
    assert len({str(v["uid"]) for v in vevents}) == len(vevents)


def test_reported_dates_say_so_in_the_calendar_and_on_the_pages() -> None:
    """The 2027 rank-list deadline is reported by third parties only (confidence low)."""
    handbook = prepare(PROFILES / "h1b-strong-in-season.yaml", TODAY)
    vevents = Calendar.from_ical(handbook.files["docs/timeline.ics"]).walk("VEVENT")
    deadline = next(v for v in vevents if str(v["summary"]).startswith("Rank order list"))
    assert str(deadline["summary"]) == "Rank order list certification deadline (9:00 p.m. ET) (reported)"
    assert str(deadline["description"]) == (
        "Reported, not yet confirmed: verify at https://www.nrmp.org/audience/main-residency-match-applicants/"
    )
    timeline = handbook.files["docs/timeline.md"].decode()
    assert (
        "| 3 March 2027 (reported, verify at [nrmp.org](https://www.nrmp.org/audience/main-residency-match-applicants/)) "
        "| Rank order list certification deadline (9:00 p.m. ET) |"
    ) in timeline
    assert "| 19 March 2027 | Match Day: results released at 12:00 p.m. ET |" in timeline


def test_calendar_uids_are_stable_across_builds_and_dates() -> None:
    profile = PROFILES / "j1-letters-in-progress.yaml"
    first = {str(v["uid"]) for v in _calendar(profile).walk("VEVENT")}
    assert first == {str(v["uid"]) for v in _calendar(profile).walk("VEVENT")}
    assert uid("a", "cycle-match_day-2029") == uid("a", "cycle-match_day-2029") != uid("b", "cycle-match_day-2029")
    later = Calendar.from_ical(prepare(profile, TODAY + dt.timedelta(days=7)).files["docs/timeline.ics"])
    assert {str(v["uid"]) for v in later.walk("VEVENT")} == first


def test_timeline_page_links_the_calendar() -> None:
    page = prepare(PROFILES / "j1-letters-in-progress.yaml", TODAY).files["docs/timeline.md"].decode()
    assert "[the calendar file](timeline.ics)" in page and "### March 2029" in page


def _vevents(profile: Path, today: dt.date = TODAY, previous: bytes | None = None) -> tuple[bytes, dict[str, Any]]:
    ics = prepare(profile, today, previous_calendar=previous).files["docs/timeline.ics"]
    return ics, {str(v["summary"]): v for v in Calendar.from_ical(ics).walk("VEVENT")}


def test_calendar_is_named_after_the_applicant_and_reminds_the_day_before() -> None:
    ics, found = _vevents(PROFILES / "j1-letters-in-progress.yaml")
    calendar = Calendar.from_ical(ics)
    name = prepare(PROFILES / "j1-letters-in-progress.yaml", TODAY).checked.loaded.profile.applicant.name
    assert str(calendar["x-wr-calname"]) == f"Residency handbook: {name}"
    ahead = [v for k, v in found.items() if v.decoded("dtstart") > TODAY and not k.startswith("Rank order list")]
    assert ahead and all([a.decoded("trigger") for a in v.walk("VALARM")] == [dt.timedelta(hours=-15)] for v in ahead)
    past = [v for v in found.values() if v.decoded("dtstart") <= TODAY]
    assert all(not v.walk("VALARM") for v in past)


def test_the_expected_rank_list_deadline_is_an_all_day_event_with_a_week_of_warning() -> None:
    _, found = _vevents(PROFILES / "j1-letters-in-progress.yaml")
    (rank,) = (v for k, v in found.items() if k.startswith("Rank order list"))
    assert str(rank["summary"]) == "Rank order list certification deadline (9:00 p.m. ET) (expected)"
    assert rank.decoded("dtstart") == dt.date(2029, 2, 28)
    assert rank.decoded("dtend") - rank.decoded("dtstart") == dt.timedelta(days=1)
    assert sorted(a.decoded("trigger") for a in rank.walk("VALARM")) == [dt.timedelta(days=-7), dt.timedelta(hours=-15)]


def test_as_soon_as_possible_tasks_stay_out_of_the_calendar(tmp_path: Path) -> None:
    result = checked(tmp_path, applicant={"citizenship": "non_us", "visa": "j1"})
    items = {e.key: e for e in events(result.loaded.profile, result.assessment, data().timeline)}
    assert items["start-research"].asap
    assert items["visa-j1-statement"].date is None  # the sources give no lead time: advice, not a date
    profile = tmp_path / "profile.yaml"
    ics = prepare(profile, TODAY).files["docs/timeline.ics"]
    summaries = [str(v["summary"]) for v in Calendar.from_ical(ics).walk("VEVENT")]
    assert not [s for s in summaries if s.startswith(("Join a research project", "Request the Statement of Need"))]


def test_sequence_grows_when_an_event_changes_and_retired_events_are_cancelled(tmp_path: Path) -> None:
    asked = [letter("Dr A", status="asked", asked_on="2026-11-10")]
    profile = tmp_path / "profile.yaml"
    season = {"match_year": 2027}  # reminders are dated 21 days after asking once the season is open
    profile.write_text(profile_text(letters=asked, goal=season))
    first, before = _vevents(profile)
    assert {int(v["sequence"]) for v in before.values()} == {0}
    again, _ = _vevents(profile, previous=first)
    assert again == first  # nothing changed: the same bytes
    profile.write_text(profile_text(letters=[{**asked[0], "asked_on": "2026-11-12"}], goal=season))
    second, after = _vevents(profile, previous=first)
    assert int(after["Letter requested from Dr A"]["sequence"]) == 1
    assert int(after["Match Day: results released at 12:00 p.m. ET"]["sequence"]) == 0  # 2027: confirmed
    profile.write_text(profile_text(letters=[{**asked[0], "status": "uploaded", "asked_on": "2026-11-12"}], goal=season))
    _, third = _vevents(profile, previous=second)
    cancelled = third["Remind Dr A if the letter is not in"]
    assert int(after["Remind Dr A if the letter is not in"]["sequence"]) == 1  # its date moved with asked_on
    assert str(cancelled["status"]) == "CANCELLED" and int(cancelled["sequence"]) == 2 and not cancelled.walk("VALARM")


# The calendar is written line by line (generator.ics); icalendar, which wrote it before, is the reference.
def icalendar_calendar(
    items: list[Event], key: str, as_of: dt.date, name: str, rank: dt.date | None, previous: bytes | None
) -> bytes:
    """The calendar as icalendar writes it (the earlier generator.ics, word for word)."""
    cal = Calendar()
    cal.add("prodid", ics.PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "Residency handbook: " + " ".join(name.split()))
    stamp = dt.datetime(as_of.year, as_of.month, as_of.day, tzinfo=dt.UTC)
    old = ics._parse(previous)
    before = ics._previous_events(old)
    written = set()
    for item in items:
        event = icalendar_event(item, key, as_of, rank)
        if event is None:
            continue
        written.add(str(event["uid"]))
        sequence, fingerprint = before.get(str(event["uid"]), (0, str(event[ics.FINGERPRINT])))
        event.add("sequence", sequence + 1 if fingerprint != str(event[ics.FINGERPRINT]) else sequence)
        event.add("dtstamp", stamp)
        cal.add_component(event)
    for _key, retired in sorted(ics._retired(old, written, as_of).items()):
        retired["dtstamp"] = stamp
        cal.add_component(retired)
    return bytes(cal.to_ical())


def icalendar_event(item: Event, key: str, as_of: dt.date, rank_deadline: dt.date | None) -> VEvent | None:
    status = " (reported)" if item.reported else " (expected)" if item.expected else ""
    day, summary = item.date, item.title + status
    rank = item.key.startswith(ics.RANK_DEADLINE)
    if day is None and rank and rank_deadline is not None:
        day, summary = rank_deadline, f"{item.title} (window: {item.window}; verify the exact date)"
    if day is None or item.asap:
        return None
    event = VEvent()
    event.add("uid", uid(key, item.key))
    event.add("dtstart", day)
    event.add("dtend", day + dt.timedelta(days=1))
    event.add("summary", summary)
    description = item.detail
    if item.reported:
        description = f"{description}\nReported, not yet confirmed: verify at {item.verify}".strip()
    elif item.verify:
        description = f"{description}\nVerify at {item.verify}".strip()
    if description:
        event.add("description", description)
    event.add("categories", [item.kind])
    event.add("transp", "TRANSPARENT")
    event.add(ics.FINGERPRINT, ics._fingerprint(day, summary, description))
    if day > as_of:
        for trigger in (ics.WEEK_BEFORE, ics.DAY_BEFORE) if rank else (ics.DAY_BEFORE,):
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", summary)
            alarm.add("trigger", trigger)
            event.add_component(alarm)
    return event


def both_calendars(items: list[Event], as_of: dt.date, name: str, previous: bytes | None = None) -> tuple[bytes, bytes]:
    rank = dt.date(2027, 3, 3)
    ours = ics.calendar_file(items, "ana-key", as_of, name, rank, previous)
    return ours, icalendar_calendar(items, "ana-key", as_of, name, rank, previous)


@pytest.mark.parametrize("profile", sorted(p.name for p in PROFILES.glob("*.yaml")))
def test_the_calendar_is_written_byte_for_byte_as_icalendar_writes_it(profile: str) -> None:
    for day in (dt.date(2026, 6, 1), dt.date(2026, 11, 23)):
        handbook = prepare(PROFILES / profile, day)
        loaded, assessment = handbook.checked.loaded, handbook.checked.assessment
        items = events(loaded.profile, assessment, data().timeline)
        previous = handbook.files["docs/timeline.ics"]
        for earlier in (None, previous, both_calendars(items[::2], day, "x")[0]):
            ours, theirs = both_calendars(items, assessment.as_of, loaded.profile.applicant.name, earlier)
            assert ours == theirs


PIECES = [*"ab ,;:\\^N\n\r\t\"'é€😀\u2028\x85", "\\N", "\r\n", "x" * 30]
TEXT = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


@settings(max_examples=400, deadline=None, database=None)
@given(
    title=TEXT,
    detail=TEXT,
    kind=TEXT,
    name=TEXT,
    verify=st.none() | TEXT,
    flags=st.tuples(st.booleans(), st.booleans(), st.booleans()),
    offset=st.integers(-400, 400),
)
def test_any_text_is_escaped_and_folded_as_icalendar_does_it(
    title: str, detail: str, kind: str, name: str, verify: str | None, flags: tuple[bool, bool, bool], offset: int
) -> None:
    as_of = dt.date(2026, 11, 23)
    day = as_of + dt.timedelta(days=offset)
    expected, reported, rank = flags
    items = [
        Event("a", kind, title, detail, day, expected, verify, None, reported=reported),
        Event(ics.RANK_DEADLINE + "2027" if rank else "b", kind, detail, title, None if rank else day, window="early March"),
    ]
    ours, theirs = both_calendars(items, as_of, name)
    assert ours == theirs
    assert both_calendars(items[1:], as_of, name, ours)[0] == both_calendars(items[1:], as_of, name, theirs)[1]
    scanned = ics._scan(ours)
    assert scanned is not None
    assert {key: value[:2] for key, value in scanned.items()} == ics._previous_events(ics._parse(ours))


@pytest.mark.parametrize("profile", sorted(p.name for p in PROFILES.glob("*.yaml")))
def test_our_own_calendar_is_read_back_as_icalendar_reads_it(profile: str) -> None:
    handbook = prepare(PROFILES / profile, TODAY)
    calendar = handbook.files["docs/timeline.ics"]
    scanned = ics._scan(calendar)
    assert scanned is not None and len(scanned) >= 5
    assert {key: value[:2] for key, value in scanned.items()} == ics._previous_events(ics._parse(calendar))
    again, _ = _vevents(PROFILES / profile, previous=calendar)
    assert again == calendar


@pytest.mark.parametrize(
    "change",
    [
        lambda c: c.replace(b"DTSTART;VALUE=DATE:", b"DTSTART;TZID=Europe/Paris:", 1),
        lambda c: c.replace(b"SEQUENCE:0", b"SEQUENCE:x", 1),
        lambda c: c.replace(b"END:VEVENT\r\n", b"STATUS:CANCELLED\r\nEND:VEVENT\r\n", 1),
        lambda c: c.replace(b"BEGIN:VCALENDAR", b"BEGIN:VCALENDAR\r\nnot a property line", 1),
        lambda c: c[:-30],
        lambda c: b"\xff" + c,
    ],
    ids=["a-time-zone", "a-bad-sequence", "a-cancelled-event", "a-stray-line", "cut-short", "not-utf-8"],
)
def test_a_calendar_written_otherwise_is_left_to_icalendar(change: Any) -> None:
    calendar = prepare(PROFILES / "us-late-applying.yaml", TODAY).files["docs/timeline.ics"]
    assert ics._scan(change(calendar)) is None


REBUILD_THEN_LIST_MODULES = """
import datetime as dt, sys
from pathlib import Path
from generator import build
build.build(Path(sys.argv[1]), Path(sys.argv[2]), dt.date(2026, 11, 23))
before = "icalendar" in sys.modules
build.build(Path(sys.argv[1]), Path(sys.argv[2]), dt.date(2026, 11, 23))
print(before, "icalendar" in sys.modules)
"""


def test_a_rebuild_with_the_same_plan_reads_its_calendar_without_icalendar(tmp_path: Path) -> None:
    profile, site = str(PROFILES / "j1-letters-in-progress.yaml"), str(tmp_path / "site")
    done = subprocess.run([sys.executable, "-c", REBUILD_THEN_LIST_MODULES, profile, site], capture_output=True, text=True)
    assert done.stdout.split() == ["False", "False"], done.stderr
