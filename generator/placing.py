"""Where each finding is explained: its full text appears once, where the applicant acts on it.

A letter writer's finding sits in that writer's card on the letters page; a finding whose
catalog entry names a section (`shown_in:`) sits in that section when it is selected; any
other finding sits in the findings box of its area's page. The home page only points there,
unless no page explains it (then the home page holds the full text).
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from generator.findings import Definition, Finding
from generator.select import Plan

CARD = "lor-writers"


def place(findings: list[Finding], plan: Plan, catalog: dict[str, Definition], lists: dict[str, Any]) -> list[dict[str, Any]]:
    """Each finding as a dict for templates, with `box` (shown in its area's box) and `href` (where it is explained)."""
    anchors = {b.id: (page.file, b.anchor) for page in plan.pages for b in page.blocks if b.kind == "section"}
    boxes = {page.id: page.file for page in plan.pages if any(b.id.endswith("-findings") for b in page.blocks)}
    box_anchor = {page.id: b.anchor for page in plan.pages for b in page.blocks if b.id.endswith("-findings")}
    writers = {x["writer"]: x["slug"] for x in lists.get("letters", [])}
    placed = []
    for f in findings:
        shown_in = catalog[f.code].shown_in if f.code in catalog else None
        href, box = None, False
        if f.area == "letters" and f.subject in writers and CARD in anchors:
            href = f"{anchors[CARD][0]}#lor-writer-{writers[f.subject]}"
        elif shown_in is not None and shown_in in anchors:
            file, anchor = anchors[shown_in]
            href = f"{file}#{anchor}"
        elif f.area in boxes:
            href, box = f"{boxes[f.area]}#{box_anchor[f.area]}", True
        body = f.message[len(f.title) :].strip() if f.message.startswith(f.title) else f.message
        placed.append({**f.as_dict(), "body": body, "href": Markup(href) if href else None, "box": box})
    return placed
