"""Select what one applicant's handbook holds: the plan, as plain data.

The plan names every page and block and the condition that selected it; rendering
is a pure function of it, and it is written beside the site as plan.json.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.assess import Assessment
from generator.data import Data
from generator.errors import InputError
from generator.findings import Finding
from generator.profile import LoadedProfile

if TYPE_CHECKING:  # `handbook check` needs check_done without the content's templates (Jinja)
    from generator.content import Block, Content


@dataclass(frozen=True)
class PlannedBlock:
    kind: str
    id: str
    anchor: str
    file: str
    when: str
    for_each: str | None = None
    item: str | None = None
    folded: bool = False


@dataclass
class PlannedPage:
    id: str
    file: str
    title: str
    when: str
    blocks: list[PlannedBlock] = field(default_factory=list)
    nav: bool = True


@dataclass
class Plan:
    profile: str
    as_of: str
    public: bool
    pages: list[PlannedPage]
    findings: list[Finding]

    def as_json(self) -> dict[str, Any]:
        return {
            "profile": self.profile,
            "as_of": self.as_of,
            "public": self.public,
            "pages": [_page_json(page) for page in self.pages],
            "findings": [f.as_json() for f in self.findings],
        }


_BLOCK_FIELDS = tuple(f.name for f in fields(PlannedBlock))
_PAGE_FIELDS = tuple(f.name for f in fields(PlannedPage))


def _page_json(page: PlannedPage) -> dict[str, Any]:
    """dataclasses.asdict(page), without its deep copies: every field is a string, a bool, None or the blocks."""
    shown = {name: getattr(page, name) for name in _PAGE_FIELDS}
    shown["blocks"] = [{name: getattr(block, name) for name in _BLOCK_FIELDS} for block in page.blocks]
    return shown


def select(content: Content, loaded: LoadedProfile, assessment: Assessment, findings: list[Finding], public: bool) -> Plan:
    """Every page whose condition holds, with the blocks (and list items) that apply."""
    names = {"p": loaded.profile, "a": assessment, "codes": {f.code for f in findings}, "public": public}
    pages = [
        PlannedPage(page.id, page.file, page.title, page.when, nav=page.nav)
        for page in content.pages
        if content.page_when[page.id](names)
    ]
    by_id = {page.id: page for page in pages}
    for block in sorted(content.blocks, key=lambda b: (b.meta.order, b.meta.id)):
        page = by_id.get(block.meta.page)
        if page is not None:
            page.blocks += _instances(block, names, assessment, content.root)
    for definition in content.pages:
        if definition.collect and definition.id in by_id:
            collected = [b for p in pages if p.id != definition.id for b in p.blocks if b.kind == definition.collect]
            by_id[definition.id].blocks += collected
    return Plan(loaded.name, assessment.as_of.isoformat(), public, pages, findings)


def _instances(block: Block, names: dict[str, Any], assessment: Assessment, root: Path) -> list[PlannedBlock]:
    meta, file = block.meta, _shown_path(block.file, root)
    folds = block.fold if block.fold is not None else (lambda _: False)
    if meta.for_each is None:
        return (
            [PlannedBlock(block.kind, meta.id, meta.id, file, block.when.source, folded=folds(names))]
            if block.when(names)
            else []
        )
    planned = []
    for item in assessment.lists[meta.for_each]:
        bound = {**names, "item": item}
        if block.when(bound):
            anchor = f"{meta.id}-{item['slug']}"
            planned.append(
                PlannedBlock(block.kind, meta.id, anchor, file, block.when.source, meta.for_each, item["slug"], folds(bound))
            )
    return planned


@functools.lru_cache(maxsize=1024)
def _shown_path(file: str | Path, root: Path) -> str:
    """A block's file as plan.json names it: relative to the folder that holds content/ (resolved once per process)."""
    return Path(file).resolve().relative_to(root.resolve().parent).as_posix()


_WHOLE = {
    "active_letters": "letters",
    "usable_letters": "letters",
    "asked_letters": "letters",
    "to_ask_letters": "letters",
    "reminder_letters": "letters",
    "counted_research": "research",
    "prep_cards": "research",
    "upcoming_rotations": "experience",
}


def check_done(data: Data, loaded: LoadedProfile, assessment: Assessment) -> None:
    """Every id in `done:` must name a checklist item (and, after '@', one of its list's items)."""
    lists = data.checklist_items
    known = set(lists)
    problems = []
    for index, entry in enumerate(loaded.profile.done):
        base, _, slug = entry.partition("@")
        if base not in known:
            import difflib  # only for an unknown id

            close = difflib.get_close_matches(base, sorted(known), n=3, cutoff=0.5)
            hint = f"closest known: {', '.join(close)}" if close else "the ids are listed on the checklist pages"
            problems.append(loaded.problem(("done", index), f"unknown checklist item {entry!r}; {hint}"))
        elif slug:
            repeated = lists[base]
            # a writer who stops being usable (or a rotation that has started) keeps its done ids valid
            whole = _WHOLE.get(repeated, repeated) if repeated else None
            slugs = [item["slug"] for item in assessment.lists[whole]] if whole else []
            if slug not in slugs:
                message = f"unknown checklist item {entry!r}; {_allowed(base, whole, slugs)}"
                problems.append(loaded.problem(("done", index), message))
    if problems:
        raise InputError(problems)


def _allowed(base: str, list_name: str | None, slugs: list[str]) -> str:
    if list_name is None:
        return f"this checklist is not repeated per item: use {base}"
    if not slugs:
        return f"the profile has nothing in {list_name} yet: use {base}"
    return "allowed: " + ", ".join(f"{base}@{slug}" for slug in slugs)
