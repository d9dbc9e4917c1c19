"""timeline.ics: every dated timeline item as an all-day event (RFC 5545).

- UIDs come from the handbook and the item's stable key, so importing the file again
  updates events instead of duplicating them.
- SEQUENCE grows when an event's content changes, and an event that was in the previous
  calendar but is no longer planned is kept once more as CANCELLED, so a calendar app that
  re-imports or subscribes removes it. Both are read from the previous calendar file.
- Each event that is still ahead has a reminder (VALARM) at 09:00 the day before; the
  rank-list deadline also a week before. "As soon as possible" tasks have no real date and
  stay out of the calendar (they are on the next-30-days list).
- DTSTAMP is the advice date, so two builds of one profile give the same bytes.

The new events are written here, line by line, exactly as icalendar writes them (its property
order, TEXT escaping and folding at 75 octets; tests/test_timeline.py compares the two on every
example profile and on generated text): importing icalendar costs a build about 25 ms, writing
with it 5 ms more. The previous calendar, when it is one this module wrote, is read back here too
(_scan; tests compare it with icalendar's reading); icalendar reads any other, and writes the
events retired from it, so it is imported only when an event is gone or the file is not ours.
`handbook check` never loads it (tests/test_lean.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from generator.timeline import Event

PRODID = "-//residency-handbook//timeline//EN"
FINGERPRINT = "X-HANDBOOK-FINGERPRINT"
DAY_BEFORE = dt.timedelta(hours=-15)  # 09:00 the day before an all-day event
WEEK_BEFORE = dt.timedelta(days=-7)
TRIGGERS = {WEEK_BEFORE: "-P7D", DAY_BEFORE: "-PT15H"}  # as RFC 5545 durations
RANK_DEADLINE = "cycle-rank_deadline-"
KEEP_CANCELLED = dt.timedelta(days=365)
FOLD_AT = 75  # octets: a longer content line is folded


@dataclass(frozen=True)
class _Planned:
    """One event to write: its properties, in icalendar's order, before SEQUENCE and DTSTAMP are known."""

    uid: str
    fingerprint: str
    head: list[str]  # SUMMARY, DTSTART, DTEND
    tail: list[str]  # CATEGORIES, DESCRIPTION, TRANSP, X-HANDBOOK-FINGERPRINT and the alarms


def calendar_file(
    items: list[Event],
    handbook_key: str,
    as_of: dt.date,
    name: str,
    rank_deadline: dt.date | None = None,
    previous: bytes | None = None,
) -> bytes:
    """The calendar of a handbook; `previous` is the last calendar written for it, if any."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{_text(PRODID)}",
        "CALSCALE:GREGORIAN",
        # One line, whatever was typed; icalendar 7 writes an X- property as it is, without TEXT escapes.
        "X-WR-CALNAME:Residency handbook: " + " ".join(name.split()),
    ]
    stamp = f"DTSTAMP:{_date(as_of)}T000000Z"
    scanned = _scan(previous)  # the usual case: our own calendar, read without icalendar
    previous_events = _parse(previous) if scanned is None else []  # read once: _retired changes these events
    before = _previous_events(previous_events) if scanned is None else {k: v[:2] for k, v in scanned.items()}
    written = set()
    for item in items:
        event = _event(item, handbook_key, as_of, rank_deadline)
        if event is None:
            continue
        written.add(event.uid)
        sequence, fingerprint = before.get(event.uid, (0, event.fingerprint))
        changed = fingerprint != event.fingerprint
        uid_and_sequence = [f"UID:{_text(event.uid)}", f"SEQUENCE:{sequence + 1 if changed else sequence}"]
        lines += ["BEGIN:VEVENT", *event.head, stamp, *uid_and_sequence, *event.tail, "END:VEVENT"]
    text = "".join(f"{_fold(line)}\r\n" for line in lines).encode()
    if scanned is not None and any(_kept(key, start, written, as_of) for key, (_, _, start) in scanned.items()):
        previous_events = _parse(previous)  # some events are gone: icalendar writes them once more, cancelled
    retired = b""
    if previous_events:
        moment = dt.datetime(as_of.year, as_of.month, as_of.day, tzinfo=dt.UTC)
        for _key, old in sorted(_retired(previous_events, written, as_of).items()):
            old["dtstamp"] = moment
            retired += bytes(old.to_ical())
    return text + retired + b"END:VCALENDAR\r\n"


def _event(item: Event, handbook_key: str, as_of: dt.date, rank_deadline: dt.date | None) -> _Planned | None:
    status = " (reported)" if item.reported else " (expected)" if item.expected else ""
    day, summary = item.date, item.title + status
    rank = item.key.startswith(RANK_DEADLINE)
    if day is None and rank and rank_deadline is not None:
        day, summary = rank_deadline, f"{item.title} (window: {item.window}; verify the exact date)"
    if day is None or item.asap:
        return None
    end = day + dt.timedelta(days=1)
    description = item.detail
    if item.reported:
        description = f"{description}\nReported, not yet confirmed: verify at {item.verify}".strip()
    elif item.verify:
        description = f"{description}\nVerify at {item.verify}".strip()
    fingerprint = _fingerprint(day, summary, description)
    head = [f"SUMMARY:{_text(summary)}", f"DTSTART;VALUE=DATE:{_date(day)}", f"DTEND;VALUE=DATE:{_date(end)}"]
    tail = [f"CATEGORIES:{_text(item.kind)}"]
    if description:
        tail.append(f"DESCRIPTION:{_text(description)}")
    tail += ["TRANSP:TRANSPARENT", f"{FINGERPRINT}:{fingerprint}"]
    if day > as_of:
        for trigger in (WEEK_BEFORE, DAY_BEFORE) if rank else (DAY_BEFORE,):
            alarm = ["ACTION:DISPLAY", f"DESCRIPTION:{_text(summary)}", f"TRIGGER:{TRIGGERS[trigger]}"]
            tail += ["BEGIN:VALARM", *alarm, "END:VALARM"]
    return _Planned(uid(handbook_key, item.key), fingerprint, head, tail)


def _text(value: str) -> str:
    """A TEXT value escaped as icalendar escapes it (RFC 5545, 3.3.11), its steps in its order."""
    return (
        value.replace("\\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _date(day: dt.date) -> str:
    return f"{day.year:04}{day.month:02}{day.day:02}"


def _fold(line: str) -> str:
    """A content line folded as icalendar folds it: before the octet that would reach FOLD_AT, never right
    after a backslash or a caret (an escape stays on one line)."""
    if len(line) < FOLD_AT // 4 or len(line.encode()) < FOLD_AT:
        return line
    folded: list[str] = []
    current: list[str] = []
    count = 0
    for char in line:
        size = len(char.encode())
        if current and count + size >= FOLD_AT:
            if len(current) > 1 and current[-1] in "\\^":
                kept = current.pop()
                folded.append("".join(current))
                current, count = [kept], len(kept.encode())
            else:
                folded.append("".join(current))
                current, count = [], 0
        current.append(char)
        count += size
    if current:
        folded.append("".join(current))
    return "\r\n ".join(folded)


def _fingerprint(day: dt.date, summary: str, description: str) -> str:
    return hashlib.sha256(f"{day.isoformat()}\n{summary}\n{description}".encode()).hexdigest()[:16]


def _previous_events(previous: list[Any]) -> dict[str, tuple[int, str]]:
    """UID -> (SEQUENCE, fingerprint) of the previous calendar's events."""
    return {str(e["uid"]): (int(e.get("sequence", 0)), str(e.get(FINGERPRINT, ""))) for e in previous}


def _retired(previous: list[Any], written: set[str], as_of: dt.date) -> dict[str, Any]:
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


def _kept(key: str, start: dt.date, written: set[str], as_of: dt.date) -> bool:
    """Whether an event of the previous calendar is written again as cancelled (as _retired decides)."""
    return key not in written and start >= as_of - KEEP_CANCELLED


def _scan(previous: bytes | None) -> dict[str, tuple[int, str, dt.date]] | None:
    """UID -> (SEQUENCE, fingerprint, start day) of a previous calendar as this module writes it.

    None when there is none or it holds anything else (a time, a parameter, a property written
    otherwise): then icalendar reads it. Lines are unfolded as RFC 5545 says (a line break and
    one space or tab); only the properties of events count, not those of their reminders.
    """
    if not previous:
        return None
    try:
        text = previous.decode("utf-8").replace("\r\n ", "").replace("\r\n\t", "")
    except UnicodeDecodeError:
        return None
    found: dict[str, tuple[int, str, dt.date]] = {}
    event: dict[str, str] | None = None
    depth = 0
    for line in text.split("\r\n"):
        name, colon, value = line.partition(":")
        name = name.upper()
        if not colon or '"' in name:
            if line:
                return None
            continue
        if name == "BEGIN":
            depth += 1
            event = {} if value.upper() == "VEVENT" else event
        elif name == "END":
            depth -= 1
            if value.upper() == "VEVENT" and event is not None:
                item = _scanned(event)
                if item is None:
                    return None
                found[item[0]] = item[1]
                event = None
        elif event is not None and depth == 2 and name in _SCANNED:
            if name in event:
                return None
            event[name] = value
    return found if depth == 0 else None


_SCANNED = ("UID", "SEQUENCE", FINGERPRINT, "DTSTART;VALUE=DATE", "DTSTART", "STATUS")


def _scanned(event: dict[str, str]) -> tuple[str, tuple[int, str, dt.date]] | None:
    key, start = event.get("UID", ""), event.get("DTSTART;VALUE=DATE") or event.get("DTSTART", "")
    sequence, status = event.get("SEQUENCE", "0"), event.get("STATUS", "")
    if not key or "\\" in key or not sequence.isdigit() or len(start) != 8 or not start.isdigit() or status:
        return None  # an event we did not write as it is (a cancelled one is left to icalendar)
    try:
        day = dt.date(int(start[:4]), int(start[4:6]), int(start[6:]))
    except ValueError:
        return None
    return key, (int(sequence), event.get(FINGERPRINT, ""), day)


def _parse(previous: bytes | None) -> list[Any]:
    """The previous calendar's events (icalendar's VEVENT components), read by icalendar."""
    if not previous:
        return []
    from icalendar import Calendar
    from icalendar import Event as VEvent

    try:
        return [e for e in Calendar.from_ical(previous).walk("VEVENT") if isinstance(e, VEvent)]
    except (ValueError, KeyError, IndexError):
        return []  # not a calendar we can read: start afresh


def uid(handbook_key: str, item_key: str) -> str:
    digest = hashlib.sha256(f"{handbook_key}\n{item_key}".encode()).hexdigest()[:32]
    return f"{digest}@residency-handbook"
