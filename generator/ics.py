"""timeline.ics: every dated timeline item as an all-day event (RFC 5545, via icalendar).

UIDs are derived from the handbook and the item's stable key, so importing the file
again updates events instead of duplicating them. DTSTAMP is the advice date, so
two builds of one profile give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from icalendar import Calendar
from icalendar import Event as VEvent

from generator.timeline import Event

PRODID = "-//residency-handbook//timeline//EN"


def calendar_file(items: list[Event], handbook_key: str, as_of: dt.date) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "Residency handbook")
    stamp = dt.datetime(as_of.year, as_of.month, as_of.day, tzinfo=dt.UTC)
    for item in items:
        if item.date is None:
            continue
        event = VEvent()
        event.add("uid", uid(handbook_key, item.key))
        event.add("dtstamp", stamp)
        event.add("dtstart", item.date)
        event.add("dtend", item.date + dt.timedelta(days=1))
        status = " (reported)" if item.reported else " (expected)" if item.expected else ""
        event.add("summary", item.title + status)
        description = item.detail
        if item.reported:
            description = f"{description}\nReported, not yet confirmed: verify at {item.verify}".strip()
        elif item.verify:
            description = f"{description}\nVerify at {item.verify}".strip()
        if description:
            event.add("description", description)
        event.add("categories", [item.kind])
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return bytes(cal.to_ical())


def uid(handbook_key: str, item_key: str) -> str:
    digest = hashlib.sha256(f"{handbook_key}\n{item_key}".encode()).hexdigest()[:32]
    return f"{digest}@residency-handbook"
