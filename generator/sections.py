"""Pages converted a section at a time, each section's tree kept for the next handbook that has it.

Most of a handbook's text is the same in every handbook of a batch: the personal parts are a
few lines here and there, but whole sections (a heading and what follows it, up to the next
heading) come back word for word. Python-Markdown's block parsing and inline pass (with the
task lists, attribute lists and prettifying that run with it) are a third of a build, and done
again for every copy. This plugin object, added to MkDocs' configuration in memory by
generator.site (the generated project stays plain), cuts each page, after Markdown's
preprocessors, into sections at the blocks that start with `#`, parses only the sections it
has not kept, and, once those are through the tree steps that run before the table of
contents, puts the kept sections' trees (copies) back in their places. A section is kept the
second time it is seen, after it has gone through those steps, and only when its tree owes
nothing to the page but the raw HTML made from its own text (task-list boxes, inline HTML,
entities; kept with it and added to the store of the page it is copied into): no raw HTML of
the page's preprocessors, no reference link, no warning.

Why the page is the same, with Python-Markdown 3.11.3 and the extensions of our configuration
(checked before each page; with any other set this plugin steps aside):
- Markdown splits a document into blocks at blank lines and gives them in turn to its block
  processors, each of which takes the first block (and may put a part of it back first), and
  looks back only at the element before it (a list to continue, a paragraph of terms). A block
  that starts with `#` is taken, whatever comes before it, by the heading or the table
  processor, neither of which looks back, so the blocks of a section make the same elements
  whether the sections before it were parsed or not. The sections are cut from the very list
  of blocks Markdown would make, so no block is cut otherwise.
- The tree steps before the table of contents (code highlighting, task lists, the inline
  pass, prettifying, attribute lists) work on each element and what is inside it, with the
  page's reference links (none here: a page that defines one is converted as usual) and its
  store of raw HTML: what a section adds to it is kept with the section, and where a copy's
  pieces are numbered in the page's store does not matter (Markdown puts each back in place of
  its placeholder, by number, after serialising).
- What runs after (the table of contents and ids, MkDocs' links, anchors and title, the
  print page, serialising) runs once on the whole page, as before.
The tests build handbooks both ways and compare every file (tests/test_sections.py).
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree as etree

from markdown.extensions import Extension  # type: ignore[import-untyped]
from markdown.treeprocessors import Treeprocessor  # type: ignore[import-untyped]
from mkdocs.config.base import Config
from mkdocs.plugins import BasePlugin
from mkdocs.structure.pages import Page

from generator import printpage
from generator.printbuild import PLACEHOLDER, copy_tree, renumber_tree

ENABLED = True  # the tests turn it off to build every page as MkDocs does, and compare
PRIORITY = 7  # after attribute lists (8), before the print page's step (6) and the table of contents (5)
LIMIT = 3000  # sections kept per process and Markdown configuration (a worker of a batch of 200 keeps about 600)
SEEN_LIMIT = 200_000  # sections noted as seen once, likewise (a handbook has about 90)
VERIFIED = frozenset({("3.11.3", "13.1.2")})  # Python-Markdown and pymdown-extensions versions read for this
# The processors the reasoning above was made for, by name (priority): any other set, and the plugin steps aside.
BLOCK_PROCESSORS = [
    "admonition",
    "markdown_block",
    "details",
    "empty",
    "indent",
    "defindent",
    "code",
    "table",
    "hashheader",
    "setextheader",
    "hr",
    "olist",
    "ulist",
    "deflist",
    "quote",
    "reference",
    "paragraph",
]
EARLY_STEPS = {"indent-highlight": 30, "task-list": 25, "inline": 20, "prettify": 10, "attr_list": 8}
INLINE_PATTERNS = set(
    [
        "backtick",
        "escape",
        "reference",
        "link",
        "image_link",
        "image_reference",
        "short_reference",
        "short_image_ref",
        "autolink",
        "automail",
        "linebreak",
        "html",
        "entity",
        "em_strong",
    ]
)
_OWED = re.compile("\x02(?![0-9]+\x03)")  # a placeholder (the inline pass's) rather than an escaped character

_KEPT: dict[str, dict[str, _Kept]] = {}
_SEEN: dict[str, set[int]] = {}
STATS = {"pages": 0, "sections": 0, "kept": 0, "as_usual": 0}  # for the tests


class _Unexpected(Exception):
    """The page is not as this plugin expects: it is converted as MkDocs does."""


@dataclass(frozen=True)
class _Kept:
    """A section's elements after the steps before the table of contents, and the raw HTML they hold.

    The raw HTML (task-list boxes, inline HTML, entities) is kept as text, and its placeholders
    in the elements are numbered from 0: copied into a page, they are numbered on from the page's
    own store (Markdown puts each piece back by its placeholder, whatever its number).
    """

    elements: list[etree.Element]
    stash: list[str]


@dataclass
class _Section:
    text: str
    kept: _Kept | None = None  # a kept section (copied in)
    parsed: list[etree.Element] = field(default_factory=list)  # or the elements parsed for it


@dataclass
class _PageState:
    kind: str
    sections: list[_Section] = field(default_factory=list)
    pending: list[tuple[str, _Kept]] = field(default_factory=list)
    used: bool = False


class _NoOptions(Config):  # type: ignore[no-untyped-call]  # (mkdocs: untyped __init_subclass__)
    """The plugin has no options."""


class Sections(BasePlugin[_NoOptions]):  # type: ignore[no-untyped-call]
    """Converts each page a section at a time, keeping sections that recur (steps aside when it cannot)."""

    def __init__(self) -> None:
        self.kind = ""
        self.active: _PageState | None = None

    def on_config(self, config: Any) -> Any:
        if ENABLED and _verified():
            config.markdown_extensions.append(_Extension(self))
            self.kind = _kind(config)
        return config

    def on_page_markdown(self, text: str, /, *, page: Page, config: Any, files: Any) -> str:
        if self.kind and page.file.src_uri != printpage.FILE and "render" not in vars(page):
            page.render = self._render(page)  # type: ignore[method-assign]
        return text

    def _render(self, page: Page) -> Any:
        def render(config: Any, files: Any) -> None:
            del page.render  # the class's own again
            self.active = state = _PageState(self.kind)
            try:
                with _counted_warnings() as warned:
                    Page.render(page, config, files)
            except _Unexpected:
                self.active = None
                STATS["as_usual"] += 1
                Page.render(page, config, files)
                return
            finally:
                self.active = None
            if not warned and state.used:
                _keep(state)

        return render


def _verified() -> bool:
    import markdown  # type: ignore[import-untyped]
    import pymdownx  # type: ignore[import-untyped]

    return (markdown.__version__, pymdownx.__version__) in VERIFIED


def _kind(config: Any) -> str:
    """What, besides a section's text, decides its tree: the Markdown configuration."""
    names = [x if isinstance(x, str) else f"{type(x).__module__}.{type(x).__qualname__}" for x in config.markdown_extensions]
    return json.dumps([names, config.mdx_configs], sort_keys=True, default=repr)


def _keep(state: _PageState) -> None:
    kept = _KEPT.setdefault(state.kind, {})
    for text, section in state.pending:
        if len(kept) < LIMIT:
            kept[text] = section


class _Extension(Extension):  # type: ignore[misc]  # (Python-Markdown is untyped)
    """In a page's Markdown (while the plugin converts that page): the sectioned parse and the joining step."""

    def __init__(self, plugin: Sections) -> None:
        super().__init__()
        self.plugin = plugin

    def extendMarkdown(self, md: Any) -> None:
        state = self.plugin.active
        if state is None:
            return
        md.treeprocessors.register(_Join(md, state), "handbook_sections", PRIORITY)
        parser = md.parser
        parser.parseDocument = lambda lines: _parse(md, parser, state, lines)


def _expected(md: Any) -> bool:
    """The processors are those the reasoning in this module's docstring was made for."""
    for registry in (md.parser.blockprocessors, md.treeprocessors, md.inlinePatterns):
        registry._sort()
    blocks = [item.name for item in md.parser.blockprocessors._priority]
    steps = {item.name: item.priority for item in md.treeprocessors._priority if item.priority > PRIORITY}
    inline = {item.name for item in md.inlinePatterns._priority}
    return blocks == BLOCK_PROCESSORS and steps == EARLY_STEPS and inline == INLINE_PATTERNS


def _parse(md: Any, parser: Any, state: _PageState, lines: list[str]) -> Any:
    """BlockParser.parseDocument, a section at a time: kept sections are not parsed (they are joined later)."""
    if not _expected(md):
        raise _Unexpected
    parser.root = root = etree.Element(md.doc_tag)
    kept = _KEPT.get(state.kind, {})
    for blocks in _sections("\n".join(lines).split("\n\n")):
        text = "\n\n".join(blocks)
        found = kept.get(text) if "\x02" not in text else None
        section = _Section(text, found)
        if found is None:
            before = len(root)
            parser.parseBlocks(root, blocks)
            section.parsed = list(root[before:])
        state.sections.append(section)
    STATS["pages"] += 1
    STATS["sections"] += len(state.sections)
    STATS["kept"] += sum(section.kept is not None for section in state.sections)
    if md.references:  # a reference link: it could be used anywhere on the page
        raise _Unexpected
    state.used = True
    return etree.ElementTree(root)


def _sections(blocks: list[str]) -> Iterator[list[str]]:
    """The blocks, cut before each block (but the first) that starts with `#`."""
    start = 0
    for index in range(1, len(blocks)):
        if blocks[index][:1] == "#":
            yield blocks[start:index]
            start = index
    yield blocks[start:]


class _Join(Treeprocessor):  # type: ignore[misc]
    """After the steps before the table of contents: kept sections back in their places, new ones noted to keep."""

    def __init__(self, md: Any, state: _PageState) -> None:
        super().__init__(md)
        self.state = state

    def run(self, root: etree.Element) -> None:
        state = self.state
        if not state.used:
            return
        parsed = [el for section in state.sections for el in section.parsed]
        if len(root) != len(parsed) or any(a is not b for a, b in zip(root, parsed, strict=True)):
            raise _Unexpected  # a step added or removed a top-level element
        if root.text not in (None, "\n"):
            raise _Unexpected
        seen = _SEEN.setdefault(state.kind, set())
        if len(seen) > SEEN_LIMIT:  # a long batch of personal sections: start noting again
            seen.clear()
        stash = self.md.htmlStash
        children: list[etree.Element] = []
        for section in state.sections:
            if section.kept is not None:
                children += _copied(section.kept, stash)
                continue
            children += section.parsed
            if "\x02" in section.text:
                continue
            mark = hash(section.text)
            if mark not in seen:
                seen.add(mark)  # kept the next time it is seen: most sections seen once are personal
            elif (found := _to_keep(section.parsed, stash.rawHtmlBlocks)) is not None:
                state.pending.append((section.text, found))
        root[:] = children
        # What prettifying gives the whole page's first line (the parser leaves the root's text empty).
        root.text = "\n" if len(root) and self.md.is_block_level(root[0].tag) else None


def _to_keep(elements: list[etree.Element], stash: list[Any]) -> _Kept | None:
    """A copy of the elements to keep, with the raw HTML they hold; None when they hold another placeholder
    (of the inline pass) or a piece of raw HTML that is not text."""
    used: dict[int, int] = {}
    for tree in elements:
        for el in tree.iter():
            if not isinstance(el.tag, str):
                return None
            for value in (el.text, el.tail, *el.attrib.values()):
                if value and "\x02" in value:
                    if _OWED.search(PLACEHOLDER.sub("", value)):
                        return None
                    for match in PLACEHOLDER.finditer(value):
                        number = int(match[1])
                        if number >= len(stash) or not isinstance(stash[number], str):
                            return None
                        used.setdefault(number, len(used))
    copies = [copy_tree(el) for el in elements]
    if used:
        _renumber(copies, used)
    return _Kept(copies, [stash[number] for number in used])


def _copied(kept: _Kept, stash: Any) -> list[etree.Element]:
    """Copies of a kept section's elements, their raw HTML added to the page's store."""
    copies = [copy_tree(el) for el in kept.elements]
    if kept.stash:
        offset = len(stash.rawHtmlBlocks)
        stash.rawHtmlBlocks.extend(kept.stash)
        stash.html_counter = len(stash.rawHtmlBlocks)
        _renumber(copies, {n: offset + n for n in range(len(kept.stash))})
    return copies


def _renumber(elements: list[etree.Element], numbers: dict[int, int]) -> None:
    def renumber(value: str) -> str:
        return PLACEHOLDER.sub(lambda m: f"\x02wzxhzdk:{numbers[int(m[1])]}\x03", value)

    for tree in elements:
        renumber_tree(tree, renumber)


@contextlib.contextmanager
def _counted_warnings() -> Iterator[list[logging.LogRecord]]:
    """Warnings logged meanwhile (MkDocs' logger does not pass them on to the root logger)."""
    handler = _Collect()
    loggers = [logging.getLogger(), logging.getLogger("mkdocs")]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield handler.records
    finally:
        for logger in loggers:
            logger.removeHandler(handler)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)
