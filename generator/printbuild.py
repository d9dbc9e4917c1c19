"""The print page built from the trees of the pages it copies, when MkDocs runs in our process.

docs/print.md (generator.printpage) is every page's Markdown again, with its headings one level
down, their ids prefixed and its links turned into links within the page: converting it was half
of a handbook's Markdown work. This plugin object, added to MkDocs' configuration in memory by
generator.site (the generated project stays plain: any engine, and `mkdocs build` itself, builds
print.md from its Markdown), keeps each copied page's element tree as Python-Markdown has it
just before the table of contents is made (inline Markdown, attribute lists and layout done;
automatic ids, permalinks and relative links not yet), and applies to it, as a tree, what
generator.printpage does to the Markdown. The print page is then converted from its short
introduction alone, with those trees joined in just before the table of contents, so that
the remaining steps (ids, permalinks, links, title, serialising) run once on the whole page, as
they do when print.md is converted.

The result is the same page: tests/test_printbuild.py builds every example both ways and
compares the bytes. Whatever this does not expect (a page without a title heading, a heading
inside a block, a reference link, a raw <details>, another plugin that changes page content)
makes it step aside, and print.md is converted as usual.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree as etree

import markdown  # type: ignore[import-untyped]
from markdown.extensions import Extension  # type: ignore[import-untyped]
from markdown.treeprocessors import Treeprocessor  # type: ignore[import-untyped]
from mkdocs.config.base import Config
from mkdocs.plugins import BasePlugin
from mkdocs.structure.pages import Page

from generator import printpage

ENABLED = True  # tests turn it off to build the print page from its Markdown and compare
PRIORITY = 6  # after attribute lists (8) and prettifying (10), before the table of contents (5)
_MARKER = re.compile(r"^## .*\{#print-([\w-]+) \.handbook-print-page\}$", re.M)
PLACEHOLDER = re.compile("\x02wzxhzdk:(\\d+)\x03")  # of a piece of raw HTML in the page's store (also generator.sections)
_REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:", re.M)
_HEADINGS = {f"h{n}" for n in range(1, 7)}
_STASHED = re.compile("\x02[^\x03]*\x03")  # a placeholder of raw HTML or of an escaped character
_ENTITY = re.compile(r"&#?\w+;")


@dataclass
class _Copy:
    """A page's tree before its table of contents, with what the tree points into."""

    root: etree.Element
    stash: list[Any]
    raw_ids: set[str]


@dataclass
class _State:
    """One build's print page: what it copies, and the copies kept so far."""

    page: Page
    head: str
    stems: list[str]
    copies: dict[str, _Copy] = field(default_factory=dict)
    assembling: bool = False


class _NoOptions(Config):  # type: ignore[no-untyped-call]  # (mkdocs: untyped __init_subclass__)
    """The plugin has no options."""


class PrintBuild(BasePlugin[_NoOptions]):  # type: ignore[no-untyped-call]
    """Builds print.md from the trees of the pages it copies (steps aside when it cannot)."""

    def __init__(self) -> None:
        self.state: _State | None = None
        self.current: Page | None = None
        self.wanted: list[str] = []  # the pages the print page copies, in its order
        self.copies: dict[str, _Copy] = {}

    def on_config(self, config: Any) -> Any:
        config.markdown_extensions.append(_Keeper(self))
        return config

    def on_files(self, files: Any, /, *, config: Any) -> Any:
        file = files.get_file_from_path(printpage.FILE)
        self.wanted, self.copies, self.state = [], {}, None
        if file is not None and ENABLED and not config.plugins.events["page_content"]:
            self.wanted = _MARKER.findall(file.content_string)
        return files

    def on_page_markdown(self, text: str, /, *, page: Page, config: Any, files: Any) -> str:
        self.current = page
        if page.file.src_uri == printpage.FILE and self.wanted:
            self.state = _plan(page, text, self.wanted, self.copies)
            if self.state is not None:
                page.render = _later(page)  # type: ignore[method-assign]  # built in on_env, once every page is converted
        return text

    def on_env(self, env: Any, /, *, config: Any, files: Any) -> Any:
        state = self.state
        if state is None:
            return env
        page = state.page
        del page.render  # the class's own again
        markdown_text = page.markdown
        sections = _sections(state, files)
        if sections is None:  # not as expected: the page is converted from its Markdown
            self.current, self.state = page, None
            page.render(config, files)
            return env
        state.assembling = True
        self.current = page
        page.markdown = state.head
        try:
            page.render(config, files)
        finally:
            page.markdown = markdown_text
            self.state = None
        if page.present_anchor_ids is not None:
            page.present_anchor_ids |= set().union(*(c.raw_ids for c in sections.values()))
        return env

    def keep(self, root: etree.Element, md: markdown.Markdown) -> None:
        """At the tree step: keep a copy of a page the print page copies, or join the copies into the print page."""
        state, page = self.state, self.current
        if page is None:
            return
        if state is not None and page is state.page:
            if state.assembling:
                _assemble(root, md, state)
            return
        stem = page.file.src_uri.removesuffix(".md")
        if stem in self.wanted and "mkdocs_raw_html" in md.preprocessors:  # without it, print.md is converted as usual
            raw_ids = set(md.preprocessors["mkdocs_raw_html"].present_anchor_ids)  # ids in the page's raw HTML
            stash = [copy_tree(x) if isinstance(x, etree.Element) else x for x in md.htmlStash.rawHtmlBlocks]
            self.copies[stem] = _Copy(copy_tree(root), stash, raw_ids)


class _Keeper(Extension):  # type: ignore[misc]  # (Python-Markdown is untyped)
    """Registers the tree step of PrintBuild in every page's Markdown."""

    def __init__(self, plugin: PrintBuild) -> None:
        super().__init__()
        self.plugin = plugin

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_Step(md, self.plugin), "handbook_print", PRIORITY)


class _Step(Treeprocessor):  # type: ignore[misc]
    def __init__(self, md: markdown.Markdown, plugin: PrintBuild) -> None:
        super().__init__(md)
        self.plugin = plugin

    def run(self, root: etree.Element) -> None:
        self.plugin.keep(root, self.md)


def _later(page: Page) -> Any:
    """The print page's turn to be converted: an empty page for now (on_env makes it)."""

    def render(config: Any, files: Any) -> None:
        page.content = ""

    return render


def _plan(page: Page, text: str, wanted: list[str], copies: dict[str, _Copy]) -> _State | None:
    """The print page's introduction and what it copies; None when it does not look as generator.printpage writes it."""
    first = _MARKER.search(text)
    stems = _MARKER.findall(text)
    if first is None or stems != wanted or len(set(stems)) != len(stems) or printpage.FILE.removesuffix(".md") in stems:
        return None
    return _State(page, text[: first.start()], stems, copies)


def _sections(state: _State, files: Any) -> dict[str, _Copy] | None:
    """Each copied page's tree made into its part of the print page, or None when one cannot be."""
    texts: dict[str, str] = {}
    for stem in state.stems:
        file = files.get_file_from_path(f"{stem}.md")
        page = getattr(file, "page", None)
        if page is None or page.markdown is None or stem not in state.copies:
            return None
        texts[stem] = page.markdown
    ids = {stem: set(printpage.explicit_ids(text)) for stem, text in texts.items()}
    for stem in state.stems:
        if not _transform(state.copies[stem], stem, texts[stem], ids):
            return None
    return state.copies


def _transform(kept: _Copy, stem: str, text: str, ids: dict[str, set[str]]) -> bool:
    """Do to the tree what printpage.section does to the Markdown; False when the tree is not as expected."""
    root = kept.root
    if _REFERENCE.search(text) or "<details" in text:
        return False
    nested = _nested(root)
    headings = [el for el in root.iter() if el.tag in _HEADINGS and id(el) not in nested]
    written = [
        m for line, fenced in printpage._lines(text) if not fenced and line[:1] == "#" and (m := printpage._HEADING.match(line))
    ]
    if [(len(m[1]), _letters(_ENTITY.sub("", m[3]))) for m in written] != [
        (int(el.tag[1]), _letters(_STASHED.sub("", "".join(el.itertext())))) for el in headings
    ]:
        return False  # the headings printpage changes are not these, one for one (level and words)
    inside_headings: set[int] = set()
    in_headings: set[int] = set()  # raw HTML written in a heading line, which printpage leaves as it is
    titled = False
    for el in headings:
        inside_headings.update(id(x) for x in el.iter() if x is not el)
        in_headings.update(int(m[1]) for t in _texts(el) for m in PLACEHOLDER.finditer(t))
        if not titled and el.tag == "h1":
            titled = True
            el.tag = "h2"
            el.attrib.clear()
            el.set("id", f"print-{stem}")
            el.set("class", "handbook-print-page")
            continue
        el.tag = f"h{min(6, int(el.tag[1]) + 1)}"
        if "id" in el.attrib:
            el.set("id", f"print-{stem}--{el.get('id')}")
    if not titled or _details_in_blocks(root):
        return False
    for el in root.iter():
        if el.tag == "code" and any("](" in t for t in _texts(el)):
            return False
        if el.tag == "a" and "href" in el.attrib and id(el) not in inside_headings:
            el.set("href", printpage.target(el.get("href", ""), stem, ids))
        elif el.tag == "details" and "open" not in el.attrib:
            kept_attributes = list(el.attrib.items())
            el.attrib.clear()
            el.set("open", "open")
            for name, value in kept_attributes:
                el.set(name, value)
    kept.stash = [x if n in in_headings else _href(x, stem, ids) for n, x in enumerate(kept.stash)]
    return True


def _nested(root: etree.Element) -> set[int]:
    """The elements inside a list, quote, definition or note (indented in the Markdown: printpage leaves their headings)."""
    nesting = ("li", "blockquote", "details", "dd")
    blocks = (el for el in root.iter() if el.tag in nesting or "admonition" in el.get("class", "").split())
    return {id(x) for block in blocks for x in block.iter() if x is not block}


def _details_in_blocks(root: etree.Element) -> bool:
    """A folded note inside a list, quote, definition or table: whether printpage opens it depends on how its line starts."""
    blocks = (el for el in root.iter() if el.tag in ("li", "blockquote", "dd", "dt", "td", "th"))
    return any(x.tag == "details" for block in blocks for x in block.iter())


def _href(entry: Any, stem: str, ids: dict[str, set[str]]) -> Any:
    """A stashed piece of raw HTML with its in-page links turned as printpage turns them."""
    if isinstance(entry, str):
        return printpage._HREF.sub(lambda m: printpage.target(m[1], stem, ids), entry)
    return entry


def _letters(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum())


def _texts(el: etree.Element) -> list[str]:
    return [t for x in el.iter() for t in (x.text, x.tail) if isinstance(t, str)]


def _assemble(root: etree.Element, md: markdown.Markdown, state: _State) -> None:
    """Join the copied pages' trees to the print page's introduction, their raw HTML renumbered into its stash."""
    stash = md.htmlStash
    for stem in state.stems:
        kept = state.copies[stem]
        offset = len(stash.rawHtmlBlocks)

        def renumber(value: str, offset: int = offset) -> str:
            return PLACEHOLDER.sub(lambda m: f"\x02wzxhzdk:{int(m[1]) + offset}\x03", value)

        for entry in kept.stash:
            if isinstance(entry, etree.Element):
                renumber_tree(entry, renumber)
                stash.rawHtmlBlocks.append(entry)
            else:
                stash.rawHtmlBlocks.append(renumber(entry))
        stash.html_counter = len(stash.rawHtmlBlocks)
        renumber_tree(kept.root, renumber)
        root.extend(list(kept.root))


def copy_tree(element: etree.Element) -> etree.Element:
    """A deep copy of an element and everything under it, as copy.deepcopy makes it, three times faster.

    makeelement copies the attributes into a new dict (Element.__copy__ would share them); text, tail
    and attribute values are strings (Python-Markdown's AtomicString too), which never change in place,
    so they are shared.
    """
    new = element.makeelement(element.tag, element.attrib)
    new.text, new.tail = element.text, element.tail
    new.extend([copy_tree(child) for child in element])
    return new


def renumber_tree(tree: etree.Element, renumber: Any) -> None:
    """renumber (a text's placeholders of raw HTML given new numbers) applied to every text, tail and attribute
    value of the tree that holds a placeholder (also generator.sections)."""
    for el in tree.iter():
        if isinstance(el.text, str) and "\x02" in el.text:
            el.text = _same_kind(el.text, renumber(el.text))
        if isinstance(el.tail, str) and "\x02" in el.tail:
            el.tail = _same_kind(el.tail, renumber(el.tail))
        for name, value in list(el.attrib.items()):
            if "\x02" in value:
                el.set(name, renumber(value))


def _same_kind(old: str, new: str) -> str:
    """Keep Python-Markdown's AtomicString (text not to be parsed again) as it was."""
    return type(old)(new) if type(old) is not str else new
