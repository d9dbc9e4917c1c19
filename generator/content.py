"""Load content/: pages, guide sections, checklists and emails, every file checked.

A broken front matter, condition or template names its file (and line) and stops the
build before anything is written. A template whose code is known to compile (shipped with
the package or cached, see generator.compiled) is only loaded when a page renders it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import jinja2
from pydantic import BaseModel, ConfigDict, Field

from generator import compiled, diskcache, yamlsafe
from generator.context import LIST_NAMES, shapes
from generator.data import Data, display, load_data
from generator.errors import InputError, Problem
from generator.expr import Condition, ExpressionError
from generator.findings import Definition
from generator.profile import parse_model
from generator.templating import environment

Id = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")


class _Meta(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class PageDef(_Meta):
    id: str = Id
    file: str = Field(pattern=r"^[a-z0-9-]+\.md$")
    title: str
    when: str = "true"
    because: str | None = None  # why the page is there, in words (default: read from `when`)
    nav: bool = True  # false: left out of the navigation (linked from the footer instead)
    collect: Literal["checklist"] | None = None


class BlockMeta(_Meta):
    id: str = Id
    page: str
    order: int
    title: str
    when: str = "true"
    because: str | None = None  # why this part is there, in words (default: read from `when`)
    fold: str = "false"  # a condition: when it holds, the part's text is folded under its heading (general guide text)
    for_each: Literal[LIST_NAMES] | None = None  # type: ignore[valid-type]


class EmailMeta(BlockMeta):
    subject: str


class ItemDef(_Meta):
    id: str = Id
    text: str
    when: str = "true"


class ChecklistMeta(BlockMeta):
    intro: str = ""
    items: list[ItemDef]


@dataclass(frozen=True)
class Block:
    """One selectable piece of content: a section, a checklist or an email."""

    kind: str
    meta: Any
    file: str
    when: Condition
    templates: dict[str, jinja2.Template | compiled.Deferred]  # a Deferred one is made when first rendered
    item_when: dict[str, Condition]
    fold: Condition | None = None


@dataclass(frozen=True)
class Content(Data):
    root: Path
    pages: list[PageDef]
    page_when: dict[str, Condition]
    blocks: list[Block]


def load_content(root: Path, data: Data | None = None) -> Content:
    """Read and check every content file; all problems are reported together (`data`: load_data(root), if loaded)."""
    problems: list[Problem] = []
    pages = _load_pages(root / "pages.yaml")
    blocks: list[Block] = []
    envs = environments(root)
    for kind, path in _files(root):
        try:
            blocks.append(_load_block(kind, path, envs))
        except InputError as exc:
            problems += exc.problems
    problems += _cross_checks(pages, blocks)
    if problems:
        raise InputError(problems)
    page_when = {page.id: _condition(page.when, None, display(root / "pages.yaml"), page.id) for page in pages}
    data = data or load_data(root)
    _check_shown_in(data.catalog, blocks, display(root / "findings.yaml"))
    return Content(
        data.catalog,
        data.cycles,
        data.facts,
        data.timeline,
        data.checklist_items,
        data.suspensions,
        data.fees,
        root,
        pages,
        page_when,
        blocks,
    )


class _Pages(_Meta):
    pages: list[PageDef]


def _load_pages(path: Path) -> list[PageDef]:
    data, lines = diskcache.load_yaml(yamlsafe.read_text(path), path)
    return parse_model(_Pages, {"pages": data}, {("pages", *k): v for k, v in lines.items()}, display(path)).pages


def _load_block(kind: str, path: Path, envs: dict[bool, jinja2.Environment]) -> Block:
    file, meta, sources = _read_block(kind, path, envs)
    templates = {}
    for name, (source, line, env) in sources.items():
        try:
            templates[name] = compiled.template(env, source)
        except jinja2.TemplateSyntaxError as exc:
            raise InputError([Problem(file, line + (exc.lineno or 1) - 1, name, f"template error: {exc.message}")]) from None
    item_when = {}
    if kind == "checklist":
        item_when = {item.id: _condition(item.when, meta.for_each, file, f"items.{item.id}.when") for item in meta.items}
    fold = _condition(meta.fold, meta.for_each, file, "fold")
    return Block(kind, meta, file, _condition(meta.when, meta.for_each, file, "when"), templates, item_when, fold)


Sources = dict[str, tuple[str, int, jinja2.Environment]]


def _read_block(kind: str, path: Path, envs: dict[bool, jinja2.Environment]) -> tuple[str, Any, Sources]:
    """A content file's checked front matter and its templates' sources: name -> (source, first line, environment)."""
    file = display(path)
    text = yamlsafe.read_text(path)
    if kind == "checklist":
        data, lines = diskcache.load_yaml(text, path)
        meta: Any = parse_model(ChecklistMeta, data, lines, file)
        sources = {"title": (meta.title, 1), "intro": (meta.intro, 1)}
        sources.update({f"item:{item.id}": (item.text, lines.get(("items",), 1)) for item in meta.items})
    else:
        data, lines, body, body_line = _front_matter(text, file)
        meta = parse_model(EmailMeta if kind == "email" else BlockMeta, data, lines, file)
        sources = {"title": (meta.title, 2), "body": (body, body_line)}
        if kind == "email":
            sources["subject"] = (meta.subject, 2)
    plain = ("body", "subject") if kind == "email" else ()
    return file, meta, {name: (source, line, envs[name not in plain]) for name, (source, line) in sources.items()}


def template_sources(root: Path) -> list[tuple[jinja2.Environment, str]]:
    """Every content template's environment and source, as load_content compiles them (for generator.prebuild)."""
    envs = environments(root)
    found = []
    for kind, path in _files(root):
        found += [(env, source) for source, _, env in _read_block(kind, path, envs)[2].values()]
    return found


def environments(root: Path) -> dict[bool, jinja2.Environment]:
    """The Markdown (True) and plain-text (False) environments of the content's templates."""
    return {md: environment(root / "partials", md) for md in (True, False)}


def _files(root: Path) -> list[tuple[str, Path]]:
    patterns = (("section", "sections/**/*.md"), ("checklist", "checklists/*.yaml"), ("email", "emails/*.md"))
    return [(kind, path) for kind, pattern in patterns for path in sorted(root.glob(pattern))]


def _front_matter(text: str, file: str) -> tuple[Any, yamlsafe.Lines, str, int]:
    if not text.startswith("---\n"):
        raise InputError([Problem(file, 1, "", "a content file starts with a front matter block between two '---' lines")])
    end = text.find("\n---\n", 3)
    if end < 0:
        raise InputError([Problem(file, 1, "", "the front matter block is not closed by a '---' line")])
    data, lines = diskcache.load_yaml(text[4 : end + 1], file)
    lines = {key: line + 1 for key, line in lines.items()}
    body_line = text[: end + 5].count("\n") + 1
    return data, lines, text[end + 5 :], body_line


def _condition(source: str, for_each: str | None, file: str, where: str) -> Condition:
    try:
        return Condition(source, shapes(for_each))
    except ExpressionError as exc:
        raise InputError([Problem(file, None, where, str(exc))]) from None


def _check_shown_in(catalog: dict[str, Definition], blocks: list[Block], file: str) -> None:
    """A finding's `shown_in:` names a section that exists."""
    sections = sorted(b.meta.id for b in blocks if b.kind == "section")
    problems = [
        Problem(file, None, f"{code}.shown_in", f"found {d.shown_in!r}, which is not the id of a section")
        for code, d in catalog.items()
        if d.shown_in is not None and d.shown_in not in sections
    ]
    if problems:
        raise InputError(problems)


def _cross_checks(pages: list[PageDef], blocks: list[Block]) -> list[Problem]:
    problems = []
    page_ids = [p.id for p in pages]
    seen: dict[str, str] = {}
    for block in blocks:
        if block.meta.page not in page_ids:
            problems.append(Problem(block.file, None, "page", f"found {block.meta.page!r}; allowed: {', '.join(page_ids)}"))
        ids = [block.meta.id] + [item.id for item in getattr(block.meta, "items", [])]
        for one in ids:
            if one in seen:
                problems.append(Problem(block.file, None, "id", f"{one!r} is already used in {seen[one]}; ids must be unique"))
            seen[one] = block.file
    return problems
