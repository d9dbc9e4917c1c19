"""timeline.ics: every dated timeline item as an all-day event (RFC 5545, via icalendar).

- UIDs come from the handbook and the item's stable key, so importing the file again
  updates events instead of duplicating them.
- SEQUENCE grows when an event's content changes, and an event that was in the previous
  calendar but is no longer planned is kept once more as CANCELLED, so a calendar app that
  re-imports or subscribes removes it. Both are read from the previous calendar file.
- Each event that is still ahead has a reminder (VALARM) at 09:00 the day before; the
  rank-list deadline also a week before. "As soon as possible" tasks have no real date and
  stay out of the calendar (they are on the next-30-days list).
- DTSTAMP is the advice date, so two builds of one profile give the same bytes.

icalendar is kept (not replaced by a writer of our own): this module also reads the previous
calendar back, and folding, escaping and parsing are where hand-written RFC 5545 goes wrong. It
is imported only here, and this module only by generator.build when the calendar is written, so
`handbook check` never loads it (tests/test_lean.py); it costs a build about 20 ms.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from icalendar import Alarm, Calendar
from icalendar import Event as VEvent

from generator.timeline import Event

PRODID = "-//residency-handbook//timeline//EN"
FINGERPRINT = "X-HANDBOOK-FINGERPRINT"
DAY_BEFORE = dt.timedelta(hours=-15)  # 09:00 the day before an all-day event
WEEK_BEFORE = dt.timedelta(days=-7)
RANK_DEADLINE = "cycle-rank_deadline-"
KEEP_CANCELLED = dt.timedelta(days=365)


def calendar_file(
    items: list[Event],
    handbook_key: str,
    as_of: dt.date,
    name: str,
    rank_deadline: dt.date | None = None,
    previous: bytes | None = None,
) -> bytes:
    """The calendar of a handbook; `previous` is the last calendar written for it, if any."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "Residency handbook: " + " ".join(name.split()))  # one line, whatever was typed
    stamp = dt.datetime(as_of.year, as_of.month, as_of.day, tzinfo=dt.UTC)
    previous_events = _parse(previous)  # read once: _retired changes these events
    before = _previous_events(previous_events)
    written = set()
    for item in items:
        event = _event(item, handbook_key, as_of, rank_deadline)
        if event is None:
            continue
        key = str(event["uid"])
        written.add(key)
        sequence, fingerprint = before.get(key, (0, str(event[FINGERPRINT])))
        changed = fingerprint != str(event[FINGERPRINT])
        event.add("sequence", sequence + 1 if changed else sequence)
        event.add("dtstamp", stamp)
        cal.add_component(event)
    for _key, old in sorted(_retired(previous_events, written, as_of).items()):
        old["dtstamp"] = stamp
        cal.add_component(old)
    return bytes(cal.to_ical())


def _event(item: Event, handbook_key: str, as_of: dt.date, rank_deadline: dt.date | None) -> VEvent | None:
    status = " (reported)" if item.reported else " (expected)" if item.expected else ""
    day, summary = item.date, item.title + status
    rank = item.key.startswith(RANK_DEADLINE)
    if day is None and rank and rank_deadline is not None:
        day, summary = rank_deadline, f"{item.title} (window: {item.window}; verify the exact date)"
    if day is None or item.asap:
        return None
    event = VEvent()
    event.add("uid", uid(handbook_key, item.key))
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
    event.add(FINGERPRINT, _fingerprint(day, summary, description))
    if day > as_of:
        for trigger in (WEEK_BEFORE, DAY_BEFORE) if rank else (DAY_BEFORE,):
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", summary)
            alarm.add("trigger", trigger)
            event.add_component(alarm)
    return event


def _fingerprint(day: dt.date, summary: str, description: str) -> str:
    return hashlib.sha256(f"{day.isoformat()}\n{summary}\n{description}".encode()).hexdigest()[:16]


def _previous_events(previous: list[VEvent]) -> dict[str, tuple[int, str]]:
    """UID -> (SEQUENCE, fingerprint) of the previous calendar's events."""
    return {str(e["uid"]): (int(e.get("sequence", 0)), str(e.get(FINGERPRINT, ""))) for e in previous}


def _retired(previous: list[VEvent], written: set[str], as_of: dt.date) -> dict[str, VEvent]:
    """Events of the previous calendar that are gone now, as CANCELLED (kept for a year after their date)."""
    retired = {}
    for event in previous:
        key = str(event["uid"])
        start = event.decoded("dtstart")
        if key in written or start < as_of - KEEP_CANCELLED:
            continue
        if str(event.get("status", "")) != "CANCELLED":
            event["status"] = "CANCELLED"
            event["sequence"] = int(event.get("sequence", 0)) + 1
            event.subcomponents = []  # no reminder for what is no longer planned
        retired[key] = event
    return retired


def _parse(previous: bytes | None) -> list[VEvent]:
    if not previous:
        return []
    try:
        return [e for e in Calendar.from_ical(previous).walk("VEVENT") if isinstance(e, VEvent)]
    except (ValueError, KeyError, IndexError):
        return []  # not a calendar we can read: start afresh


def uid(handbook_key: str, item_key: str) -> str:
    digest = hashlib.sha256(f"{handbook_key}\n{item_key}".encode()).hexdigest()[:32]
    return f"{digest}@residency-handbook"
