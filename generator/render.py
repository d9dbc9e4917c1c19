"""Render the plan into Markdown pages: a pure function from plan to {path: text}."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import jinja2
from markupsafe import Markup

from generator import fees, fit
from generator.assess import Assessment
from generator.because import explain, finding_clause
from generator.content import Block, Content
from generator.context import shapes
from generator.errors import BuildError
from generator.expr import Condition
from generator.models import Profile
from generator.placing import place
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


# A page that collects blocks of other pages (the checklists) is left out of search: each block
# is found on its own page, where it is explained, and the index carries it once.
COLLECTED = """---
# Every part of this page is also on the page it belongs to, where search finds it.
search:
  exclude: true
---
"""


def render(inputs: Inputs) -> dict[str, str]:
    """Every page of the plan as Markdown, keyed by its path under docs/."""
    base = _context(inputs)
    blocks = {b.meta.id: b for b in inputs.content.blocks}
    titles: dict[PlannedBlock, str] = {}
    base["parts"] = _parts(inputs, blocks, base, titles)
    done: dict[PlannedBlock, str] = {}  # a block collected onto a second page is the same text there
    collecting = {p.id for p in inputs.content.pages if p.collect}
    pages = {}
    for page in inputs.plan.pages:
        parts = [COLLECTED] * (page.id in collecting) + [f"# {md_escape(page.title)}\n"]
        for planned in page.blocks:
            if planned not in done:
                done[planned] = _render_block(blocks[planned.id], planned, base, inputs, titles.get(planned))
            parts.append(done[planned])
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
        "findings": place(plan.findings, plan, inputs.content.catalog, a.lists),
        "catalog": [{"code": code, **d.model_dump()} for code, d in inputs.content.catalog.items()],
        "plan": plan.as_json(),
        "timeline": inputs.timeline,
        "signal_plan": fit.suggest_signals(a.program_list, facts["signals_gold"].value, facts["signals_silver"].value),
        "cost": fees.cost(a.program_list, fees.table(inputs.content.fees, inputs.profile.goal.match_year)),
        **a.lists,
    }


def _parts(
    inputs: Inputs, blocks: dict[str, Block], base: dict[str, Any], titles: dict[PlannedBlock, str]
) -> list[dict[str, Any]]:
    """Each page and part of the plan with its heading and why it was selected, in words (the about page).

    `titles` gets each block's rendered title that its page can use as it is (see _same_title)."""
    triggers = {code: finding_clause(d.title, d.trigger) for code, d in inputs.content.catalog.items()}
    pages = {p.id: p for p in inputs.content.pages}
    parts = []
    for page in inputs.plan.pages:
        shown = []
        for planned in [] if pages[page.id].collect else page.blocks:
            block, context = blocks[planned.id], _item_context(base, planned, inputs)
            rendered = _fill(block, "title", context)
            if _same_title(block):
                titles[planned] = rendered
            title = " ".join(rendered.split())
            reason = block.meta.because or explain(planned.when, triggers, _holds(context, planned.for_each))
            shown.append({"title": Markup(title), "anchor": planned.anchor, "when": planned.when, "because": reason})
        reason = pages[page.id].because or explain(page.when, triggers, _holds(base, None))
        parts.append({"title": page.title, "file": page.file, "when": page.when, "because": reason, "blocks": shown})
    return parts


def _holds(context: dict[str, Any], for_each: str | None) -> Callable[[str], bool]:
    """Whether a part of a condition is true for this applicant."""
    return lambda source: Condition(source, shapes(for_each))(context)


def _item_context(base: dict[str, Any], planned: PlannedBlock, inputs: Inputs) -> dict[str, Any]:
    context = dict(base)
    if planned.item is not None and planned.for_each is not None:
        context["item"] = next(x for x in inputs.assessment.lists[planned.for_each] if x["slug"] == planned.item)
    return context


def _same_title(block: Block) -> bool:
    """A title template with no statement (so no include) that does not name `parts`, which the about page's
    titles are rendered without: it renders the same before `parts` is in the context as after."""
    source = block.meta.title
    return "{%" not in source and "parts" not in source


def _render_block(block: Block, planned: PlannedBlock, base: dict[str, Any], inputs: Inputs, title: str | None = None) -> str:
    context = _item_context(base, planned, inputs)
    title = _fill(block, "title", context) if title is None else title
    heading = f"## {title} {{#{planned.anchor}}}\n"
    if block.kind == "section":
        body = _fill(block, "body", context).strip()
        return f"{heading}\n{_folded(body) if planned.folded else body}\n"
    if block.kind == "email":
        return f"{heading}\n{_email(_fill(block, 'subject', context), _fill(block, 'body', context))}"
    body = _checklist(block, planned, context, set(inputs.profile.done))
    return f'<div class="handbook-checklist" markdown>\n\n{heading}\n{body}\n</div>\n'


def _folded(body: str) -> str:
    """General guide text that does not concern this applicant now: closed under its heading, one click away."""
    inner = "\n".join(f"    {line}" if line.strip() else "" for line in body.splitlines())
    return f'??? note "Open to read this part"\n{inner}'


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
    return f"{fence} {{.text .handbook-email}}\n{text}{fence}\n"


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
