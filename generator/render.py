"""Render the plan into Markdown pages: a pure function from plan to {path: text}."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import jinja2

from generator import fees, fit
from generator.assess import Assessment
from generator.content import Block, Content
from generator.errors import BuildError
from generator.models import Profile
from generator.select import Plan, PlannedBlock
from generator.templating import md_escape


@dataclass(frozen=True)
class Inputs:
    """Everything templates may read."""

    content: Content
    profile: Profile
    assessment: Assessment
    plan: Plan
    timeline: dict[str, Any]


def render(inputs: Inputs) -> dict[str, str]:
    """Every page of the plan as Markdown, keyed by its path under docs/."""
    base = _context(inputs)
    blocks = {b.meta.id: b for b in inputs.content.blocks}
    pages = {}
    for page in inputs.plan.pages:
        parts = [f"# {md_escape(page.title)}\n"]
        parts += [_render_block(blocks[planned.id], planned, base, inputs) for planned in page.blocks]
        pages[page.file] = "\n".join(parts).rstrip() + "\n"
    return pages


def _context(inputs: Inputs) -> dict[str, Any]:
    a, plan, facts = inputs.assessment, inputs.plan, inputs.content.facts
    return {
        "p": inputs.profile,
        "a": a,
        "codes": {f.code for f in plan.findings},
        "public": plan.public,
        "cycle": a.season,
        "facts": facts,
        "suspensions": inputs.content.suspensions.proclamations,
        "suspensions_as_of": inputs.content.suspensions.as_of,
        "findings": [f.as_dict() for f in plan.findings],
        "catalog": [{"code": code, **d.model_dump()} for code, d in inputs.content.catalog.items()],
        "plan": plan.as_json(),
        "timeline": inputs.timeline,
        "signal_plan": fit.suggest_signals(a.program_list, facts["signals_gold"].value, facts["signals_silver"].value),
        "cost": fees.cost(a.program_list, fees.table(inputs.content.fees, inputs.profile.goal.match_year)),
        **a.lists,
    }


def _render_block(block: Block, planned: PlannedBlock, base: dict[str, Any], inputs: Inputs) -> str:
    context = dict(base)
    if planned.item is not None and planned.for_each is not None:
        context["item"] = next(x for x in inputs.assessment.lists[planned.for_each] if x["slug"] == planned.item)
    title = _fill(block, "title", context)
    heading = f"## {title} {{#{planned.anchor}}}\n"
    if block.kind == "section":
        return f"{heading}\n{_fill(block, 'body', context).strip()}\n"
    if block.kind == "email":
        return f"{heading}\n{_email(_fill(block, 'subject', context), _fill(block, 'body', context))}"
    body = _checklist(block, planned, context, set(inputs.profile.done))
    return f'<div class="handbook-checklist" markdown>\n\n{heading}\n{body}\n</div>\n'


def _fill(block: Block, name: str, context: dict[str, Any]) -> str:
    try:
        return block.templates[name].render(context)
    except jinja2.TemplateError as exc:
        raise BuildError(f"{block.file}: {name}: template error: {exc}") from None


def _email(subject: str, body: str) -> str:
    """A plain-text email in a fence longer than any backtick run inside it."""
    text = f"Subject: {' '.join(subject.split())}\n\n{body.strip()}\n"
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text}{fence}\n"


def _checklist(block: Block, planned: PlannedBlock, context: dict[str, Any], done: set[str]) -> str:
    lines = []
    intro = _fill(block, "intro", context).strip()
    if intro:
        lines += [intro, ""]
    for item in block.meta.items:
        if not block.item_when[item.id](context):
            continue
        item_id = item.id if planned.item is None else f"{item.id}@{planned.item}"
        mark = "x" if item.id in done or item_id in done else " "
        text = " ".join(_fill(block, f"item:{item.id}", context).split())
        lines.append(f"- [{mark}] {text} `{item_id}`")
    return "\n".join(lines) + "\n"
