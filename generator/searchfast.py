"""Material's search index, the same sections without its HTML parser's slow parts.

Material's search plugin divides every page's HTML into sections with a subclass of the
standard library's pure-Python HTMLParser: the tokenizer (goahead, parse_starttag,
parse_endtag, a handful of regular expressions per tag) and Material's callbacks, which ask
`self.skip.intersection(self.context)` and `el in self.context` over Element objects whose
equality and hash are Python methods, take an eighth of a handbook's build.

Here the same callbacks keep, instead of Element objects, the open tags and a count of them
by tag. Material's Element compares equal to anything with its tag, so each of its questions
is one about tags: "is a skipped element open" is "is an open tag among the skipped tags"
(kept as a running count), "is the section's heading open" is "is any element with the
heading's tag open", `skip.add(el)` adds a tag (nothing when it is there already) and
`skip.remove(el)` removes it, whichever element put it there. The sections are Material's own Section and
Element objects, made at the same steps with the same values.

Where the tokenizer is HTMLParser of a Python we read (VERIFIED_PYTHON), a page whose every
`<` opens a plain tag (a letter-led name; attributes, if any, named plainly, without a value or
with a quoted one, set apart by ASCII whitespace; `>` or `/>`; or `</name>`) and which opens
no script or style element is cut by one regular expression: for such text HTMLParser calls
its handlers with the same tags, the same attributes (lower-cased names, unquoted and
unescaped values, None for none), `/>` as a start and an end, and the same pieces of text, each
the whole run between two tags, unescaped, which matters (Material collapses whitespace per
piece). Any other page (a comment, a declaration, a bare `<`, an unquoted value, a script)
goes through HTMLParser, driving the same callbacks, and should anything raise, the page is
parsed again by Material's own Parser, so that even the error is Material's.

tests/test_searchfast.py compares the sections of every page of built handbooks, and of
generated tricky HTML, three ways, and the built search indexes byte for byte. The change is
made only for the mkdocs-material versions whose search plugin we read (VERIFIED); with any
other version Material runs untouched.
"""

from __future__ import annotations

import re
import sys
from html import escape, unescape
from html.parser import HTMLParser
from typing import Any

from generator import switch

# mkdocs-material versions whose search plugin (SearchIndex, Element, Section, Parser) was read for this.
VERIFIED = frozenset({"9.7.7"})
# Pythons whose html.parser was read for the tokenizer; with any other, HTMLParser drives the callbacks.
VERIFIED_PYTHON = frozenset({(3, 11, 7)})

_state: dict[str, Any] = {"installed": False, "wanted": True}

_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_ALWAYS_SKIPPED = frozenset({"script", "style", "object"})
# A plain start tag (name, attributes, "/" of "/>") or end tag (name); ASCII whitespace only, as
# HTMLParser's tag names end at " \t\n\r\f" but its attribute pattern's \s is any Unicode space.
_TAG = re.compile(
    r"<(?:([a-zA-Z][-a-zA-Z0-9]*)((?:[ \t\n\r\f]+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:=\"[^\"]*\"|='[^']*')?)*)"
    r"[ \t\n\r\f]*(/?)>|/([a-zA-Z][-a-zA-Z0-9]*)>)"
)
_ATTRIBUTE = re.compile(r"[ \t\n\r\f]+([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:=\"([^\"]*)\"|='([^']*)')?")


class Sections:
    """Material's Parser callbacks over tags: handed the same calls, the same sections in `data`."""

    def __init__(self, plugin: Any) -> None:
        self._element = plugin.Element
        self._section = plugin.Section
        self._void = plugin.void
        self.keep = frozenset({"p", "code", "pre", "li", "ol", "ul", "sub", "sup"})
        self.skip = {"object", "script", "style"}  # the tags of Material's skip set
        self.context: list[str] = []  # the open elements' tags
        self.open: dict[str, int] = {}  # how many of each tag are open
        self.skipping = 0  # open elements whose tag is in skip
        self.links: list[int] = []  # the depths of open <a class="headerlink">
        self.section: Any = None
        self.data: list[Any] = []

    def start(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Material's handle_starttag."""
        if tag in self._void:
            return
        found = dict(attrs)
        context = self.context
        context.append(tag)
        self.open[tag] = self.open.get(tag, 0) + 1
        if tag in self.skip:
            self.skipping += 1
        if tag == "a" and found.get("class") == "headerlink":
            self.links.append(len(context))
        if tag in _HEADINGS and "id" in found:
            depth = len(context)
            if tag != "h1" and not self.data:
                self.section = self._section(self._element("hx"), depth)
                self.data.append(self.section)
            self.section = self._section(self._element(tag, found), depth)
            if self.data:
                self.section.id = found["id"]
            self.data.append(self.section)
        if not self.section:
            self.section = self._section(self._element("hx"))
            self.data.append(self.section)
        if "data-search-exclude" in found or found.get("class") == "linenodiv":
            if tag not in self.skip:
                self.skip.add(tag)
                self.skipping += self.open[tag]
            return
        if not self.skipping and tag in self.keep:
            section = self.section
            (section.title if self.open.get(section.el.tag) else section.text).append(f"<{tag}>")

    def end(self, tag: str) -> None:
        """Material's handle_endtag."""
        context = self.context
        if not context or context[-1] != tag:
            return
        depth = len(context)
        if self.section.depth > depth:
            for section in reversed(self.data):
                if section.depth <= depth:
                    self.section.depth = float("inf")
                    self.section = section
                    break
        context.pop()
        if self.links and self.links[-1] == depth:
            self.links.pop()
        self.open[tag] -= 1
        if tag in self.skip:
            self.skipping -= 1
            if tag not in _ALWAYS_SKIPPED:
                self.skip.remove(tag)
                self.skipping -= self.open[tag]
            return
        if not self.skipping and tag in self.keep:
            section = self.section
            data = section.title if self.open.get(section.el.tag) else section.text
            index = data.index(f"<{tag}>")
            for i in range(index + 1, len(data)):
                if not data[i].isspace():
                    index = len(data)
                    break
            if len(data) > index:
                del data[index:]
            else:
                data.append(f"</{tag}>")

    def text(self, data: str) -> None:
        """Material's handle_data."""
        if self.skipping:
            return
        pre = self.open.get("pre")
        if not pre:
            data = data.replace("\n", " ") if not data.isspace() else " "
        if not self.section:
            self.section = self._section(self._element("hx"))
            self.data.append(self.section)
        section = self.section
        if self.open.get(section.el.tag):
            if not self.links:
                section.title.append(escape(data, quote=False))
        elif data.isspace():
            text = section.text
            if not text or not text[-1].isspace() or pre:
                text.append(data)
        else:
            section.text.append(escape(data, quote=False))


def tokenize(html: str, sections: Sections) -> bool:
    """Hand html's tags and text to sections as HTMLParser would; False, stopping, at anything not plain."""
    start, end, text = sections.start, sections.end, sections.text
    match, find, attribute = _TAG.match, html.find, _ATTRIBUTE.finditer
    position, size = 0, len(html)
    while position < size:
        at = find("<", position)
        if at < 0:
            at = size
        if at > position:
            piece = html[position:at]
            text(unescape(piece) if "&" in piece else piece)
            if at == size:
                break
        found = match(html, at)
        if found is None:
            return False
        name, attributes, closed, ending = found.groups()
        if ending is not None:
            end(ending.lower())
        else:
            tag = name.lower()
            if tag == "script" or tag == "style":
                return False
            attrs: list[tuple[str, str | None]] = []
            if attributes:
                for a in attribute(attributes):
                    key, double, single = a.groups()
                    value = double if double is not None else single
                    attrs.append((key.lower(), unescape(value) if value and "&" in value else value))
            start(tag, attrs)
            if closed:
                end(tag)
        position = found.end()
    return True


def parse_sections(html: str, plugin: Any, fast_tokenizer: bool | None = None) -> list[Any]:
    """The sections Material's Parser finds in html (its `data`), found faster."""
    if fast_tokenizer is None:
        fast_tokenizer = sys.version_info[:3] in VERIFIED_PYTHON
    try:
        sections = Sections(plugin)
        if fast_tokenizer and tokenize(html, sections):
            return sections.data
        sections = Sections(plugin)
        parser = HTMLParser()
        parser.handle_starttag = sections.start  # type: ignore[method-assign]
        parser.handle_endtag = sections.end  # type: ignore[method-assign]
        parser.handle_data = sections.text  # type: ignore[method-assign]
        parser.feed(html)
        parser.close()
        return sections.data
    except Exception:
        pass  # Material's own Parser, below, then raises its own error (or finds the sections)
    return material_sections(html, plugin)


def material_sections(html: str, plugin: Any) -> list[Any]:
    """The sections of Material's own Parser."""
    parser = plugin.Parser()
    parser.feed(html)
    parser.close()
    data: list[Any] = parser.data
    return data


def ensure() -> None:
    """Before a build: the faster parsing, unless use(False) asked for the library's own (the tests compare both)."""
    switch.ensure(_state, install)


def use(fast: bool) -> None:
    """The faster parsing (True) or the library's own (False) for the builds that follow."""
    switch.use(_state, install, uninstall, fast)


def material_version() -> str | None:
    """The installed mkdocs-material's version, None without it."""
    try:
        import material  # type: ignore[import-untyped]
    except ImportError:
        return None
    version = getattr(material, "__version__", None)
    return version if isinstance(version, str) else None


def install() -> bool:
    """Index pages with the faster parsing from now on in this process; False when Material's version was not verified."""
    if _state["installed"]:
        return True
    if material_version() not in VERIFIED:
        return False
    from material.plugins.search import plugin  # type: ignore[import-untyped]

    index = plugin.SearchIndex

    def add_entry_from_context(self: Any, page: Any) -> None:
        search = page.meta.get("search") or {}
        if search.get("exclude"):
            return
        for section in parse_sections(page.content, plugin):
            if not section.is_excluded():
                self.create_entry_for_section(section, page.toc, page.url, page)

    _state["saved"] = index.add_entry_from_context
    index.add_entry_from_context = add_entry_from_context
    _state["installed"] = True
    return True


def uninstall() -> None:
    """Material's own parsing again (the tests compare both)."""
    if not _state["installed"]:
        return
    from material.plugins.search import plugin

    plugin.SearchIndex.add_entry_from_context = _state.pop("saved")
    _state["installed"] = False
